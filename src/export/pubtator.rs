//! PubTator: `ID|t|title`, `ID|a|abstract`, then one line per annotation
//! (`ID start end mention type concepts [score|mentions]`) and per relation
//! (`ID type concept concept [novel]`), documents separated by a blank line. Offsets count code
//! points across `title + " " + abstract`, so the text is cut into those two at the end of its
//! title passage (or its first line) and nothing else moves.

use std::fmt::Write as _;

use super::{file_name, join_concepts, spaces_for, Exported, Losses, Writer};
use crate::model::{Annotation, Document, Relation};
use crate::offsets::CharIndex;

pub const WRITER: Writer = Writer { id: "pubtator", label: "PubTator", extension: "pubtator", write };

/// Line breaks would end a PubTator line and tabs would split a column.
const BREAKS: &[char] = &['\n', '\r', '\t'];

fn write(documents: &[Document]) -> Exported {
    let mut out = String::new();
    let mut losses = Losses::default();
    for (position, document) in documents.iter().enumerate() {
        if position > 0 {
            out.push('\n');
        }
        document_lines(&mut out, document, position, &mut losses);
    }
    Exported { files: vec![(file_name(documents, WRITER.extension), out)], diagnostics: losses.into_diagnostics() }
}

/// The document's id as PubTator can write it: no `|`, tab or space, at most 100 characters.
fn pubtator_id(document: &Document, position: usize, losses: &mut Losses) -> String {
    let valid = |id: &str| !id.is_empty() && id.len() <= 100 && !id.contains(['|', '\t', ' ', '\n', '\r']);
    if let Some(id) = document.source.id.as_deref().filter(|id| valid(id)) {
        return id.to_string();
    }
    let replacement =
        document.citation.pmid.clone().filter(|id| valid(id)).unwrap_or_else(|| (position + 1).to_string());
    if let Some(id) = &document.source.id {
        losses.note(
            document,
            "a PubTator id cannot hold '|', tabs or spaces, or be longer than 100 characters: the document is written under another id",
            format!("'{id}' became '{replacement}'"),
        );
    }
    replacement
}

/// Where the title ends: at the end of a title passage, or else of the first line, when the
/// character after it is a space or line break that PubTator's `title + " " + abstract` can
/// stand for. `None` when the whole text is the title.
fn title_end(document: &Document, chars: &CharIndex) -> Option<usize> {
    let separator = |at: usize| chars.slice(at, at + 1).is_some_and(|c| matches!(c, " " | "\n" | "\r" | "\t"));
    let title = document.passages.iter().find(|p| p.kind == "title" && p.start == 0).map(|p| p.end);
    if let Some(end) = title.filter(|&end| separator(end)) {
        return Some(end);
    }
    let first_line = document.text.find('\n').map(|byte| crate::offsets::char_len(&document.text[..byte]));
    first_line.filter(|&end| separator(end))
}

fn document_lines(out: &mut String, document: &Document, position: usize, losses: &mut Losses) {
    let id = pubtator_id(document, position, losses);
    let (text, changed) = spaces_for(&document.text, BREAKS);
    if changed {
        losses.note(
            document,
            "PubTator holds each text on one line: line breaks and tabs are written as spaces (offsets are unchanged)",
            "its text",
        );
    }
    let chars = CharIndex::new(&text);
    let length = chars.len();
    // A split that leaves no abstract would lose the separator: PubTator drops an empty abstract.
    let split = title_end(document, &CharIndex::new(&document.text)).filter(|&end| end + 1 < length);
    let (title, abstract_text) = match split {
        Some(end) => (chars.slice(0, end).unwrap_or(""), chars.slice(end + 1, length).unwrap_or("")),
        None => (text.as_str(), ""),
    };
    let others: Vec<&str> =
        document.passages.iter().map(|p| p.kind.as_str()).filter(|k| !matches!(*k, "title" | "abstract")).collect();
    if !others.is_empty() {
        losses.note(
            document,
            "PubTator has only a title and an abstract: the other passages are written into the abstract line, with their offsets unchanged",
            format!("passages {}", others.join(", ")),
        );
    }
    let _ = writeln!(out, "{id}|t|{title}");
    let _ = writeln!(out, "{id}|a|{abstract_text}");
    for annotation in &document.annotations {
        annotation_line(out, &id, document, annotation, &chars, losses);
    }
    for relation in &document.relations {
        relation_line(out, &id, document, relation, losses);
    }
}

fn annotation_line(
    out: &mut String,
    id: &str,
    document: &Document,
    annotation: &Annotation,
    chars: &CharIndex,
    losses: &mut Losses,
) {
    let name = || format!("annotation {} ('{}')", annotation.id, annotation.text);
    let kind = annotation.kind.trim();
    if kind.is_empty() || kind.contains(['|', ':', '\t', '\n', '\r']) {
        losses.note(
            document,
            "a PubTator annotation needs a type without '|', ':', tabs or line breaks: the annotation is left out",
            format!("{} of type '{kind}'", name()),
        );
        return;
    }
    if annotation.fragments.as_ref().is_some_and(|f| f.len() > 1) {
        losses.note(
            document,
            "PubTator has no discontinuous mentions: the mention is written as the one span covering its fragments",
            name(),
        );
    }
    let mention = chars.slice(annotation.start, annotation.end).unwrap_or_default();
    let concepts = if annotation.concepts.is_empty() {
        String::new()
    } else {
        join_concepts(&annotation.concepts, &["|", ";", ","]).unwrap_or_else(|| {
            losses.note(
                document,
                "these concept ids hold the separators PubTator splits composite ids on, so they do not read back as written",
                format!("{}: {}", name(), annotation.concepts.join(" ")),
            );
            annotation.concepts.join(";")
        })
    };
    let concepts = spaces_for(&concepts, &['\t', '\n', '\r']).0;
    let _ = write!(out, "{id}\t{}\t{}\t{mention}\t{kind}", annotation.start, annotation.end);
    // PubTator's seventh column holds a score or the individual mentions of a composite.
    let extra = ["score", "mentions", "extra"].iter().find_map(|key| annotation.infons.get(*key));
    match extra {
        Some(extra) => {
            let concepts = if concepts.is_empty() { "-" } else { &concepts };
            let _ = writeln!(out, "\t{concepts}\t{}", spaces_for(extra, &['\n', '\r']).0);
        }
        None if concepts.is_empty() => out.push('\n'),
        None => {
            let _ = writeln!(out, "\t{concepts}");
        }
    }
    let held = annotation.infons.keys().filter(|k| Some(k.as_str()) != extra_key(annotation)).count();
    if held > 0 {
        let keys: Vec<&str> =
            annotation.infons.keys().map(String::as_str).filter(|k| Some(*k) != extra_key(annotation)).collect();
        losses.note(
            document,
            "PubTator has one column beyond the concepts: other details of the annotation are left out",
            format!("{}: {}", name(), keys.join(", ")),
        );
    }
}

fn extra_key(annotation: &Annotation) -> Option<&'static str> {
    ["score", "mentions", "extra"].into_iter().find(|key| annotation.infons.contains_key(*key))
}

/// An entity type PubTator3 writes before a concept (`Chemical|MESH:D001`), as the reader knows it.
fn is_argument_type(kind: &str) -> bool {
    kind.len() >= 2
        && kind.starts_with(|c: char| c.is_ascii_uppercase())
        && kind.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn relation_line(out: &mut String, id: &str, document: &Document, relation: &Relation, losses: &mut Losses) {
    let name = || format!("relation {} ({})", relation.id, relation.kind);
    let concepts: Vec<_> = relation.args.iter().filter(|a| a.concept.is_some()).collect();
    if concepts.len() != relation.args.len() {
        losses.note(
            document,
            "PubTator's relations link concepts, not mentions: a relation between annotations is left out",
            name(),
        );
        return;
    }
    if concepts.len() != 2 {
        losses.note(
            document,
            "a PubTator relation has exactly two concepts: a relation with another number is left out",
            name(),
        );
        return;
    }
    let kind = relation.kind.trim();
    if kind.is_empty() || kind.bytes().all(|b| b.is_ascii_digit()) || kind.contains(['\t', '\n', '\r']) {
        losses.note(
            document,
            "a PubTator relation needs a type that is not a number and has no tabs: the relation is left out",
            name(),
        );
        return;
    }
    let mut line = format!("{id}\t{kind}");
    for arg in &concepts {
        let concept = spaces_for(arg.concept.as_deref().unwrap_or_default(), BREAKS).0;
        match arg.kind.as_deref() {
            Some(kind) if is_argument_type(kind) => {
                let _ = write!(line, "\t{kind}|{concept}");
            }
            Some(kind) => {
                losses.note(
                    document,
                    "PubTator writes an argument's entity type as one word before '|': this type cannot be written and is left out",
                    format!("{}: type '{kind}'", name()),
                );
                let _ = write!(line, "\t{concept}");
            }
            None => {
                let _ = write!(line, "\t{concept}");
            }
        }
    }
    let roles: Vec<&str> = concepts.iter().map(|a| a.role.as_str()).collect();
    if roles != ["subject", "object"] {
        losses.note(
            document,
            "PubTator's relation arguments have no roles: they are written in order, first and second",
            format!("{}: roles {}", name(), roles.join(", ")),
        );
    }
    let flag = relation.infons.get("novel").or_else(|| relation.infons.get("extra"));
    if let Some(flag) = flag {
        let _ = write!(line, "\t{}", spaces_for(flag, &['\n', '\r']).0);
    }
    let left: Vec<&str> =
        relation.infons.keys().map(String::as_str).filter(|k| !matches!(*k, "novel" | "extra")).collect();
    if !left.is_empty() {
        losses.note(
            document,
            "PubTator has one column for a relation beyond its concepts (BioRED's novelty): other details are left out",
            format!("{}: {}", name(), left.join(", ")),
        );
    }
    out.push_str(&line);
    out.push('\n');
}
