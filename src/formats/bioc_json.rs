//! BioC JSON, in every shape it is met in: a collection object, a bare list of documents, one
//! document object, JSON lines (`.jsonl`, one document or collection per line), a collection
//! without `infons` (BioRED), and PubTator3's `{"PubTator3": [...]}`, whose extra document fields
//! (pmid, pmcid, journal, authors, date) describe the work and go into the citation.
//! [`super::bioc`] turns what is read into documents.

use serde_json::{Map, Value};

use super::bioc::{self, BiocAnnotation, BiocDocument, BiocPassage, BiocRelation, BiocSentence, Infons};
use super::{Format, Parsed, Source};
use crate::model::{Arg, Citation, DateParts, Diagnostic, Name};

pub const FORMAT: Format =
    Format { id: "bioc-json", label: "BioC JSON", extensions: &["json", "jsonl", "bioc"], sniff, parse };

fn sniff(text: &str) -> u8 {
    let head = bioc::head(text.trim_start_matches('\u{feff}').trim_start(), 8192);
    if !head.starts_with(['{', '[']) {
        return 0;
    }
    if head.contains("\"PubTator3\"") {
        return 95;
    }
    let passages = head.contains("\"passages\"");
    let documents = head.contains("\"documents\"");
    match (passages, documents) {
        (true, _) => 90,
        (false, true) => 70,
        _ => 0,
    }
}

/// Where a value came from, for diagnostics: the JSON-lines line, and the path inside it.
struct Reading<'a> {
    file: &'a str,
    line: Option<u32>,
    diagnostics: Vec<Diagnostic>,
    documents: Vec<BiocDocument>,
}

impl Reading<'_> {
    fn warn(&mut self, document: Option<&str>, message: String) {
        self.diagnostics.push(Diagnostic::warning(self.file, self.line, message).in_document(document));
    }
}

fn parse(source: &Source) -> Parsed {
    let text = source.text.trim_start_matches('\u{feff}');
    let mut reading = Reading { file: source.file, line: None, diagnostics: Vec::new(), documents: Vec::new() };
    match serde_json::from_str::<Value>(text) {
        Ok(value) => top(&mut reading, &value),
        Err(whole) => {
            let lines: Vec<(usize, &str)> =
                text.split('\n').enumerate().filter(|(_, line)| !line.trim().is_empty()).collect();
            let first_line_is_json =
                lines.first().is_some_and(|(_, line)| serde_json::from_str::<Value>(line.trim()).is_ok());
            if lines.len() > 1 && first_line_is_json {
                for (number, line) in lines {
                    reading.line = Some(number as u32 + 1);
                    match serde_json::from_str::<Value>(line.trim()) {
                        Ok(value) => top(&mut reading, &value),
                        Err(error) => reading.diagnostics.push(Diagnostic::warning(
                            source.file,
                            reading.line,
                            format!("this line is not JSON ({error}); skipped"),
                        )),
                    }
                }
            } else {
                reading.diagnostics.push(Diagnostic::error(
                    source.file,
                    Some(whole.line() as u32),
                    format!("the file is not valid JSON: {whole}"),
                ));
            }
        }
    }
    let Reading { mut diagnostics, documents, .. } = reading;
    let documents = bioc::documents(source.file, documents, &mut diagnostics);
    Parsed { documents, diagnostics }
}

fn top(reading: &mut Reading, value: &Value) {
    match value {
        Value::Object(object) => {
            if let Some(list) = object.get("PubTator3") {
                list_of_documents(reading, list, "PubTator3");
            } else if let Some(list) = object.get("documents") {
                list_of_documents(reading, list, "documents");
            } else if object.contains_key("passages") {
                document(reading, object);
            } else {
                reading.warn(None, "this JSON object is neither a BioC collection nor a BioC document (it has no 'documents' or 'passages'); skipped".into());
            }
        }
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Object(object) if object.contains_key("documents") => top(reading, item),
                    Value::Object(object) => document(reading, object),
                    _ => reading.warn(None, "an item of the document list is not an object; skipped".into()),
                }
            }
        }
        _ => reading.warn(None, "the JSON holds no BioC collection or document; skipped".into()),
    }
}

fn list_of_documents(reading: &mut Reading, list: &Value, key: &str) {
    let Value::Array(items) = list else {
        reading.warn(None, format!("'{key}' should be a list of documents; skipped"));
        return;
    };
    for item in items {
        match item {
            Value::Object(object) => document(reading, object),
            _ => reading.warn(None, format!("an item of '{key}' is not a document object; skipped")),
        }
    }
}

/// An id or other scalar written as a string or a number.
fn scalar(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Infons are strings in BioC; PubTator3 writes numbers, booleans, lists and objects too, which
/// are kept as their JSON text. Objects naming a concept (`role1`) are returned apart.
fn infons(value: Option<&Value>) -> (Infons, Vec<Arg>) {
    let mut infons = Vec::new();
    let mut concepts = Vec::new();
    let Some(Value::Object(object)) = value else { return (infons, concepts) };
    for (key, value) in object {
        match value {
            Value::Null => {}
            Value::Object(inner) if inner.contains_key("identifier") => {
                if let Some(concept) = scalar(inner.get("identifier")).filter(|c| !c.is_empty()) {
                    concepts.push(Arg { concept: Some(concept), kind: scalar(inner.get("type")), ..Arg::default() });
                }
            }
            Value::Array(_) | Value::Object(_) => infons.push((key.clone(), value.to_string())),
            _ => infons.push((key.clone(), scalar(Some(value)).unwrap_or_default())),
        }
    }
    (infons, concepts)
}

fn offset(reading: &mut Reading, document: Option<&str>, value: Option<&Value>, what: &str) -> Option<usize> {
    match value? {
        Value::Number(n) => match n.as_u64().and_then(|n| usize::try_from(n).ok()) {
            Some(n) => Some(n),
            None => {
                reading.warn(document, format!("{what} {n} is not a whole number ≥ 0; ignored"));
                None
            }
        },
        Value::String(s) => match s.trim().parse::<usize>() {
            Ok(n) => {
                reading.warn(document, format!("{what} is written as the string \"{s}\"; read as the number {n}"));
                Some(n)
            }
            Err(_) => {
                reading.warn(document, format!("{what} \"{s}\" is not a number; ignored"));
                None
            }
        },
        Value::Null => None,
        other => {
            reading.warn(document, format!("{what} {other} is not a number; ignored"));
            None
        }
    }
}

fn array<'v>(object: &'v Map<String, Value>, key: &str) -> impl Iterator<Item = &'v Map<String, Value>> {
    object.get(key).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_object)
}

fn document(reading: &mut Reading, object: &Map<String, Value>) {
    let id = scalar(object.get("id")).or_else(|| scalar(object.get("pmid")));
    let doc = id.as_deref();
    let (infons, _) = infons(object.get("infons"));
    let mut passages = Vec::new();
    for passage in array(object, "passages") {
        let (infons, _) = self::infons(passage.get("infons"));
        let offset = offset(reading, doc, passage.get("offset"), "a passage offset");
        let mut sentences = Vec::new();
        for sentence in array(passage, "sentences") {
            sentences.push(BiocSentence {
                infons: self::infons(sentence.get("infons")).0,
                offset: self::offset(reading, doc, sentence.get("offset"), "a sentence offset"),
                text: sentence.get("text").and_then(Value::as_str).map(str::to_string),
                annotations: annotations(reading, doc, sentence),
                relations: relations(sentence),
                line: reading.line,
            });
        }
        passages.push(BiocPassage {
            infons,
            offset,
            text: passage.get("text").and_then(Value::as_str).map(str::to_string),
            sentences,
            annotations: annotations(reading, doc, passage),
            relations: relations(passage),
            line: reading.line,
        });
    }
    let document = BiocDocument {
        id: id.clone(),
        infons,
        passages,
        annotations: annotations(reading, doc, object),
        relations: relations(object),
        line: reading.line,
        citation: citation(object),
    };
    reading.documents.push(document);
}

fn annotations(reading: &mut Reading, doc: Option<&str>, object: &Map<String, Value>) -> Vec<BiocAnnotation> {
    let mut annotations = Vec::new();
    for annotation in array(object, "annotations") {
        let id = scalar(annotation.get("id"));
        let what = format!("annotation {}", id.as_deref().unwrap_or("without id"));
        let mut locations = Vec::new();
        for location in array(annotation, "locations") {
            let start = offset(reading, doc, location.get("offset"), &format!("the offset of {what}"));
            let length = offset(reading, doc, location.get("length"), &format!("the length of {what}"));
            if let (Some(start), Some(length)) = (start, length) {
                locations.push((start, length));
            }
        }
        annotations.push(BiocAnnotation {
            id,
            infons: infons(annotation.get("infons")).0,
            locations,
            text: annotation.get("text").and_then(Value::as_str).unwrap_or_default().to_string(),
            line: reading.line,
        });
    }
    annotations
}

fn relations(object: &Map<String, Value>) -> Vec<BiocRelation> {
    array(object, "relations")
        .map(|relation| {
            let (infons, concepts) = infons(relation.get("infons"));
            let nodes = array(relation, "nodes")
                .filter_map(|node| Some((scalar(node.get("refid"))?, scalar(node.get("role")).unwrap_or_default())))
                .collect();
            BiocRelation { id: scalar(relation.get("id")), infons, nodes, concepts, line: None }
        })
        .collect()
}

/// PubTator3's document fields beside the BioC ones.
fn citation(object: &Map<String, Value>) -> Citation {
    let mut citation = Citation {
        pmid: scalar(object.get("pmid")).filter(|id| bioc::is_pmid(id)),
        pmcid: scalar(object.get("pmcid")).filter(|id| !id.is_empty()),
        container_title: scalar(object.get("journal")).filter(|j| !j.is_empty()),
        ..Citation::default()
    };
    if let Some(Value::Array(authors)) = object.get("authors") {
        citation.author = authors.iter().filter_map(Value::as_str).map(name).collect();
    }
    if let Some(date) = object.get("date").and_then(Value::as_str) {
        citation.issued = date_parts(date);
    }
    citation
}

/// PubMed's short form `Alpsoy A`: family name, then initials.
fn name(author: &str) -> Name {
    match author.trim().rsplit_once(' ') {
        Some((family, initials)) if !initials.is_empty() && initials.chars().all(|c| c.is_uppercase()) => {
            Name { family: Some(family.to_string()), given: Some(initials.to_string()), ..Name::default() }
        }
        _ => Name { literal: Some(author.trim().to_string()), ..Name::default() },
    }
}

/// `2024-01-24T00:00:00Z` or `2024-01-24` or `2024`.
fn date_parts(date: &str) -> Option<DateParts> {
    let day = date.split('T').next().unwrap_or_default();
    let mut parts = day.split('-').map(|p| p.trim().parse::<u32>().ok());
    let year = parts.next().flatten()?;
    let month = parts.next().flatten().filter(|m| (1..=12).contains(m));
    let day = month.and(parts.next().flatten()).filter(|d| (1..=31).contains(d));
    Some(DateParts::ymd(i32::try_from(year).ok()?, month, day))
}
