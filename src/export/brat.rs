//! brat standoff: per document a `.txt` holding its text and an `.ann` beside it, one line per
//! annotation (`T1 Type 0 5;9 12 text`), concept (`N1 Reference T1 MESH:D001`), detail
//! (`A1 Name T1 Value`, `#1 AnnotatorNotes T1 note`), relation (`R1 Type Arg1:T1 Arg2:T2`),
//! event (`E1 Type:T3 Theme:T1`, a relation whose first argument is its trigger) and equivalence
//! (`* Equiv T1 T2`). Offsets count code points. brat ids carry their kind as their first letter,
//! so ids that do not (`a1` from PubTator) are renumbered, and relations follow.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use super::{safe_name, stem, Exported, Losses, Writer};
use crate::case;
use crate::model::{Document, Relation};
use crate::offsets::CharIndex;

pub const WRITER: Writer = Writer { id: "brat", label: "brat standoff", extension: "ann", write };

fn write(documents: &[Document]) -> Exported {
    let mut losses = Losses::default();
    let mut files = Vec::new();
    let mut names = HashSet::new();
    for document in documents {
        let wanted = match &document.source.id {
            Some(id) => safe_name(id),
            None => format!("{}-{}", stem(&document.source.file), document.source.index + 1),
        };
        let mut name = wanted.clone();
        let mut n = 1;
        while !names.insert(case::lower(&name)) {
            n += 1;
            name = format!("{wanted}-{n}");
        }
        let ann = standoff(document, &mut losses);
        files.push((format!("{name}.txt"), document.text.clone()));
        files.push((format!("{name}.ann"), ann));
    }
    Exported { files, diagnostics: losses.into_diagnostics() }
}

/// An id brat reads as `kind`'s: the letter, then at least one character, no whitespace.
fn valid_id(id: &str, kind: char) -> bool {
    id.len() > 1 && id.starts_with(kind) && !id.contains(char::is_whitespace) && !id.contains(':')
}

/// A word brat can hold (a type, a role, an attribute name): whitespace becomes `_`.
fn word(text: &str) -> String {
    text.trim().chars().map(|c| if c.is_whitespace() || c == ':' { '_' } else { c }).collect()
}

fn one_line(text: &str) -> String {
    super::spaces_for(text, &['\n', '\r', '\t']).0
}

struct Ids {
    taken: HashSet<String>,
    /// The next number to try per kind, so that numbering a thousand lines stays linear.
    next: HashMap<char, usize>,
}

impl Ids {
    /// `wanted` if brat can read it as `kind`'s and it is free, else the next free `kind` + number.
    fn assign(&mut self, wanted: &str, kind: char) -> String {
        if valid_id(wanted, kind) && self.taken.insert(wanted.to_string()) {
            return wanted.to_string();
        }
        let next = self.next.entry(kind).or_insert(1);
        loop {
            let id = format!("{kind}{next}");
            *next += 1;
            if self.taken.insert(id.clone()) {
                return id;
            }
        }
    }

    fn fresh(&mut self, kind: char) -> String {
        self.assign("", kind)
    }
}

fn standoff(document: &Document, losses: &mut Losses) -> String {
    let mut out = String::new();
    let chars = CharIndex::new(&document.text);
    // Ids brat would read as the wrong kind are renumbered; keep the good ones from being taken.
    let keep: HashSet<String> = document
        .annotations
        .iter()
        .map(|a| a.id.clone())
        .filter(|id| valid_id(id, 'T'))
        .chain(document.relations.iter().map(|r| r.id.clone()).filter(|id| valid_id(id, 'R') || valid_id(id, 'E')))
        .collect();
    let mut ids = Ids { taken: HashSet::new(), next: HashMap::new() };
    let mut reserved = keep.clone();
    let assign = |ids: &mut Ids, wanted: &str, kind: char, reserved: &mut HashSet<String>| {
        if reserved.remove(wanted) && valid_id(wanted, kind) {
            ids.assign(wanted, kind)
        } else {
            // Skip over ids that a later annotation keeps.
            loop {
                let id = ids.fresh(kind);
                if !reserved.contains(&id) {
                    return id;
                }
            }
        }
    };
    let mut mapped: HashMap<&str, String> = HashMap::new();
    let mut qualifiers: Vec<(String, String, String)> = Vec::new();
    for annotation in &document.annotations {
        let name = || format!("annotation {} ('{}')", annotation.id, annotation.text);
        let kind = word(&annotation.kind);
        if kind.is_empty() {
            losses.note(document, "a brat annotation needs a type: an annotation without one is left out", name());
            continue;
        }
        if kind != annotation.kind {
            losses.note(
                document,
                "a brat type is one word: spaces and ':' in the type are written as '_'",
                format!("{}: '{}' became '{kind}'", name(), annotation.kind),
            );
        }
        let id = assign(&mut ids, &annotation.id, 'T', &mut reserved);
        mapped.insert(annotation.id.as_str(), id.clone());
        let spans = annotation.spans();
        let offsets: Vec<String> = spans.iter().map(|[s, e]| format!("{s} {e}")).collect();
        let pieces: Vec<&str> = spans.iter().map(|&[s, e]| chars.slice(s, e).unwrap_or_default()).collect();
        let mention = pieces.join(" ");
        if mention.contains(['\n', '\r', '\t']) {
            losses.note(
                document,
                "a brat annotation line holds its mention on one line: line breaks in it are written as spaces (its offsets are unchanged)",
                name(),
            );
        }
        let _ = writeln!(out, "{id}\t{kind} {}\t{}", offsets.join(";"), one_line(&mention));

        let normalizations = annotation.infons.get("normalization");
        for concept in &annotation.concepts {
            if concept.is_empty() || concept.contains(char::is_whitespace) {
                losses.note(
                    document,
                    "a brat normalization names its concept id as one word: an id with spaces is left out",
                    format!("{}: '{concept}'", name()),
                );
                continue;
            }
            // The reader keeps `id text` of each normalization as a detail: write its text back.
            let tail = normalizations
                .and_then(|n| n.split("; ").find_map(|piece| piece.strip_prefix(concept.as_str())?.strip_prefix(' ')))
                .unwrap_or("");
            let n = ids.fresh('N');
            let _ = writeln!(out, "{n}\tReference {id} {concept}\t{}", one_line(tail));
        }
        for (key, value) in annotation.infons.iter().filter(|(k, _)| *k != "normalization") {
            qualifiers.push((id.clone(), key.clone(), value.clone()));
        }
    }

    for relation in &document.relations {
        let Some(line) = relation_line(document, relation, &mapped, &mut ids, &mut reserved, losses) else { continue };
        let (id, line) = line;
        out.push_str(&line);
        for (key, value) in &relation.infons {
            match &id {
                Some(id) => qualifiers.push((id.clone(), key.clone(), value.clone())),
                None => losses.note(
                    document,
                    "a brat equivalence has no id, so nothing can be said about it: its details are left out",
                    format!("relation {}: {key}", relation.id),
                ),
            }
        }
    }

    for (target, key, value) in qualifiers {
        if key == "note" {
            let n = ids.fresh('#');
            let _ = writeln!(out, "{n}\tAnnotatorNotes {target}\t{}", one_line(&value));
            continue;
        }
        let name = word(&key);
        if name.is_empty() {
            continue;
        }
        if name != key {
            losses.note(
                document,
                "a brat attribute name is one word: spaces and ':' in it are written as '_'",
                format!("{target}: '{key}'"),
            );
        }
        let a = ids.fresh('A');
        if value == "true" {
            let _ = writeln!(out, "{a}\t{name} {target}");
        } else {
            let _ = writeln!(out, "{a}\t{name} {target} {}", one_line(&value));
        }
    }
    out
}

/// The line of one relation, and the id it can be referred to by (an equivalence has none).
fn relation_line(
    document: &Document,
    relation: &Relation,
    mapped: &HashMap<&str, String>,
    ids: &mut Ids,
    reserved: &mut HashSet<String>,
    losses: &mut Losses,
) -> Option<(Option<String>, String)> {
    let name = || format!("relation {} ({})", relation.id, relation.kind);
    let mut targets = Vec::new();
    for arg in &relation.args {
        let Some(annotation) = &arg.annotation else {
            losses.note(
                document,
                "brat's relations link annotations, not concepts: a relation between concepts is left out",
                name(),
            );
            return None;
        };
        let Some(target) = mapped.get(annotation.as_str()) else {
            losses.note(
                document,
                "the relation names an annotation that is not written: the relation is left out",
                format!("{}: {annotation}", name()),
            );
            return None;
        };
        targets.push((arg.role.as_str(), target.as_str()));
    }
    let kind = word(&relation.kind);
    if kind.is_empty() || targets.is_empty() {
        losses.note(document, "a brat relation needs a type and arguments: this one is left out", name());
        return None;
    }
    if kind != relation.kind {
        losses.note(
            document,
            "a brat type is one word: spaces and ':' in the type are written as '_'",
            format!("{}: '{}' became '{kind}'", name(), relation.kind),
        );
    }
    let role = |role: &str, i: usize| {
        let role = word(role);
        if role.is_empty() {
            format!("Arg{}", i + 1)
        } else {
            role
        }
    };
    let arguments = |targets: &[(&str, &str)], skip: usize| -> String {
        targets.iter().enumerate().skip(skip).map(|(i, (r, t))| format!(" {}:{t}", role(r, i))).collect()
    };
    if relation.id.starts_with('*') && targets.iter().all(|(r, _)| *r == "Arg") {
        let all: Vec<&str> = targets.iter().map(|(_, t)| *t).collect();
        return Some((None, format!("*\t{kind} {}\n", all.join(" "))));
    }
    let take = |ids: &mut Ids, reserved: &mut HashSet<String>, kind: char| {
        if reserved.remove(&relation.id) && valid_id(&relation.id, kind) {
            ids.assign(&relation.id, kind)
        } else {
            loop {
                let id = ids.fresh(kind);
                if !reserved.contains(&id) {
                    return id;
                }
            }
        }
    };
    if let Some((("trigger", trigger), _)) = targets.split_first() {
        let id = take(ids, reserved, 'E');
        let line = format!("{id}\t{kind}:{trigger}{}\n", arguments(&targets, 1));
        return Some((Some(id), line));
    }
    let id = take(ids, reserved, 'R');
    let line = format!("{id}\t{kind}{}\n", arguments(&targets, 0));
    Some((Some(id), line))
}
