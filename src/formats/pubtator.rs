//! PubTator: `ID|t|title` and `ID|a|abstract` lines, then tab-separated annotation lines
//! (`ID start end mention type [concepts [more]]`) and relation lines (`ID type arg1 arg2 [novel]`).
//! Offsets count code points across `title + " " + abstract`. Real files bend every rule, so
//! each line is read on its own: a bad line gets a warning and only that line is skipped.

use std::collections::{BTreeMap, HashMap};

use super::{Format, Parsed, Source};
use crate::model::{Annotation, Arg, Citation, Diagnostic, Document, Passage, Relation};
use crate::offsets::char_len;

pub const FORMAT: Format = Format { id: "pubtator", label: "PubTator", extensions: &["pubtator"], sniff, parse };

fn sniff(text: &str) -> u8 {
    let mut tab_lines = 0;
    for line in text.lines().filter(|line| !line.trim().is_empty()).take(40) {
        if header(line).is_some() {
            return 95;
        }
        let mut columns = line.split('\t');
        let (_, start, end) = (columns.next(), columns.next(), columns.next());
        if start.and_then(offset).is_some() && end.and_then(offset).is_some() && columns.count() >= 2 {
            tab_lines += 1;
        }
    }
    if tab_lines >= 3 {
        40
    } else {
        0
    }
}

/// A document being read: its header lines so far and the annotation lines that follow.
#[derive(Default)]
struct Record {
    id: String,
    title: Option<String>,
    abstract_text: Option<String>,
    annotations: Vec<Annotation>,
    relations: Vec<Relation>,
}

fn parse(source: &Source) -> Parsed {
    let file = source.file;
    let mut records: Vec<Record> = Vec::new();
    // The latest record of each id: annotation lines attach there, even when a file repeats an id.
    let mut latest: HashMap<String, usize> = HashMap::new();
    let mut diagnostics = Vec::new();
    let mut warn = |line: u32, id: Option<&str>, message: String| {
        diagnostics.push(Diagnostic::warning(file, Some(line), message).in_document(id));
    };

    for (number, line) in source.text.split('\n').enumerate() {
        let number = number as u32 + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        if let Some((id, marker, text)) = header(line) {
            let current = records.last_mut().filter(|record| record.id == id);
            match (marker, current) {
                // An abstract line completes the record its title line began.
                (Marker::Abstract, Some(record)) if record.abstract_text.is_none() && record.annotations.is_empty() => {
                    record.abstract_text = Some(text.to_string());
                }
                (marker, _) => {
                    if marker == Marker::Abstract {
                        warn(number, Some(id), format!("abstract line of document {id} has no title line before it"));
                    }
                    latest.insert(id.to_string(), records.len());
                    let text = Some(text.to_string());
                    let (title, abstract_text) = match marker {
                        Marker::Title => (text, None),
                        Marker::Abstract => (None, text),
                    };
                    records.push(Record { id: id.to_string(), title, abstract_text, ..Record::default() });
                }
            }
            continue;
        }

        let columns: Vec<&str> = trim_trailing_empty(line.split('\t').collect());
        let id = columns[0].trim();
        let Some(&index) = latest.get(id) else {
            let what = if columns.len() > 1 {
                format!("document {id}, which has no title or abstract line before it")
            } else {
                "no document".to_string()
            };
            warn(number, None, format!("this line is not PubTator (it belongs to {what}); skipped"));
            continue;
        };
        let record = &mut records[index];
        match columns.get(1).map(|c| offset(c).is_some()) {
            Some(true) => match annotation(&columns, number, record.annotations.len()) {
                Ok(annotation) => record.annotations.push(annotation),
                Err(message) => warn(number, Some(id), message),
            },
            // A negative start is a broken annotation line, not a relation whose type is "-3".
            Some(false)
                if columns.get(1).is_some_and(|c| is_negative(c)) && columns.get(2).is_some_and(|c| is_signed(c)) =>
            {
                warn(
                    number,
                    Some(id),
                    format!(
                        "the start offset '{}' is negative; offsets count characters from 0; skipped",
                        columns[1].trim()
                    ),
                )
            }
            Some(false) => match relation(&columns, record.relations.len()) {
                Ok(relation) => record.relations.push(relation),
                Err(message) => warn(number, Some(id), message),
            },
            None => warn(number, Some(id), "a line with only a document id and no tabs; skipped".into()),
        }
    }

    let documents = records.into_iter().map(document).collect();
    Parsed { documents, diagnostics }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Marker {
    Title,
    Abstract,
}

/// Splits `ID|t|text` (also `ID |t| text`, as some corpora write it) into its parts.
fn header(line: &str) -> Option<(&str, Marker, &str)> {
    let bar = memchr::memchr(b'|', line.as_bytes())?;
    let raw_id = &line[..bar];
    let id = raw_id.trim();
    if id.is_empty() || id.len() > 100 || id.contains(['\t', ' ']) {
        return None;
    }
    let rest = &line[bar + 1..];
    let marker = match rest.as_bytes() {
        [b't', b'|', ..] => Marker::Title,
        [b'a', b'|', ..] => Marker::Abstract,
        _ => return None,
    };
    let text = &rest[2..];
    // In the spaced form the space after the marker is part of the marker, not of the text.
    let text = if raw_id.ends_with(' ') { text.strip_prefix(' ').unwrap_or(text) } else { text };
    Some((id, marker, text))
}

fn offset(column: &str) -> Option<usize> {
    let column = column.trim();
    if column.is_empty() || !column.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    column.parse().ok()
}

fn is_signed(column: &str) -> bool {
    let column = column.trim();
    offset(column.strip_prefix('-').unwrap_or(column)).is_some()
}

fn is_negative(column: &str) -> bool {
    column.trim().starts_with('-') && is_signed(column)
}

/// A trailing tab is an empty last column, not a column.
fn trim_trailing_empty(mut columns: Vec<&str>) -> Vec<&str> {
    while columns.len() > 1 && columns.last().is_some_and(|c| c.trim().is_empty()) {
        columns.pop();
    }
    columns
}

fn annotation(columns: &[&str], line: u32, count: usize) -> Result<Annotation, String> {
    if columns.len() < 5 {
        return Err(format!(
            "an annotation line needs at least 5 tab-separated columns (id, start, end, mention, type); this one has {}; skipped",
            columns.len()
        ));
    }
    let start = offset(columns[1]).unwrap_or(0);
    let end = offset(columns[2]).ok_or_else(|| format!("the end offset '{}' is not a number; skipped", columns[2]))?;
    let kind = columns[4].trim();
    if kind.is_empty() {
        return Err("the annotation has no type; skipped".into());
    }
    if kind.contains('|') || kind.contains(':') {
        return Err(format!(
            "the type column holds '{kind}', which looks like a concept id: the type is missing; skipped"
        ));
    }
    let concepts = columns.get(5).map(|field| split_concepts(field)).unwrap_or_default();
    let mut infons = BTreeMap::new();
    if columns.len() > 6 {
        let extra = columns[6..].join("\t");
        let key = if extra.trim().parse::<f64>().is_ok() {
            "score"
        } else if extra.contains('|') && extra.split('|').count() == concepts.len() {
            "mentions"
        } else {
            "extra"
        };
        infons.insert(key.to_string(), extra);
    }
    Ok(Annotation {
        id: format!("a{}", count + 1),
        start,
        end,
        text: columns[3].to_string(),
        kind: kind.to_string(),
        concepts,
        infons,
        line: Some(line),
        ..Annotation::default()
    })
}

fn relation(columns: &[&str], count: usize) -> Result<Relation, String> {
    if columns.len() < 4 {
        return Err(format!(
            "a relation line needs 4 tab-separated columns (id, type, concept, concept); this one has {}, and its second column is not an offset; skipped",
            columns.len()
        ));
    }
    let args = [("subject", columns[2]), ("object", columns[3])]
        .into_iter()
        .map(|(role, value)| {
            let (kind, concept) = typed_argument(value.trim());
            Arg {
                role: role.into(),
                concept: Some(concept.to_string()),
                kind: kind.map(str::to_string),
                ..Arg::default()
            }
        })
        .collect();
    let mut infons = BTreeMap::new();
    if let Some(flag) = columns.get(4) {
        // BioRED's fifth column says whether the relation is a novel finding of the paper.
        let key = if matches!(flag.trim(), "Novel" | "No") { "novel" } else { "extra" };
        infons.insert(key.to_string(), columns[4..].join("\t"));
    }
    Ok(Relation { id: format!("r{}", count + 1), kind: columns[1].trim().to_string(), args, infons })
}

/// PubTator3 writes relation arguments as `Type|ID` (`Chemical|MESH:D001`). A tmVar id such as
/// `p|SUB|R|114|H` starts with a one-letter sequence type, not an entity type, and stays whole.
fn typed_argument(value: &str) -> (Option<&str>, &str) {
    if let Some((kind, id)) = value.split_once('|') {
        let is_type = kind.len() >= 2
            && kind.starts_with(|c: char| c.is_ascii_uppercase())
            && kind.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if is_type && !id.is_empty() {
            return (Some(kind), id);
        }
    }
    (None, value)
}

/// Splits a concept field into identifiers. Composites join ids with `|`, `,`, `;` or `+`;
/// `-1`, `-`, `None` and empty mean none. A tmVar variant (`p|SUB|R|114|H;Gene:11277;RS#:…`)
/// packs `|` inside its first id, so it splits only on `;` and keeps each part as written.
pub fn split_concepts(field: &str) -> Vec<String> {
    let field = field.trim();
    let packed = field.as_bytes().get(1) == Some(&b'|') && field.starts_with(|c: char| c.is_ascii_lowercase());
    let separators: &[char] = if packed { &[';'] } else { &['|', ',', ';', '+'] };
    field
        .split(separators)
        .map(str::trim)
        .filter(|id| !matches!(*id, "" | "-" | "-1" | "None" | "none" | "null"))
        .map(str::to_string)
        .collect()
}

fn document(record: Record) -> Document {
    let title = record.title.unwrap_or_default();
    let title_len = char_len(&title);
    let mut passages = vec![Passage { kind: "title".into(), start: 0, end: title_len, ..Passage::default() }];
    let mut text = title.clone();
    if let Some(abstract_text) = record.abstract_text.filter(|a| !a.is_empty()) {
        // PubTator counts offsets across title + one space + abstract.
        text.push(' ');
        text.push_str(&abstract_text);
        let start = title_len + 1;
        passages.push(Passage {
            kind: "abstract".into(),
            start,
            end: start + char_len(&abstract_text),
            ..Passage::default()
        });
    }
    // Most ids are PMIDs; the 11-digit ids of figure-caption corpora are not.
    let pmid = (record.id.len() <= 9 && record.id.bytes().all(|b| b.is_ascii_digit())).then(|| record.id.clone());
    let citation = Citation { title: (!title.is_empty()).then_some(title), pmid, ..Citation::default() };
    Document {
        source: crate::model::Source { id: Some(record.id), ..Default::default() },
        citation,
        text,
        passages,
        annotations: record.annotations,
        relations: record.relations,
        references: Vec::new(),
    }
}
