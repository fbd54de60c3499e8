//! PubAnnotation JSON: `text`, `denotations` (a span, or a bag of spans for a discontinuous
//! mention, and `obj`, the type), `relations` between two denotations (`subj`, `pred`, `obj`),
//! and `attributes` for everything said about them: concept ids as `pubann:denotes`, the way
//! PubAnnotation's own normalizations are written. Passages become TextAE `blocks`. Offsets count
//! code points. One document is one object; several are a list.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Map, Value};

use super::{file_name, Exported, Losses, Writer};
use crate::model::{Document, Relation};

pub const WRITER: Writer = Writer { id: "pubannotation", label: "PubAnnotation", extension: "json", write };

/// The predicate PubAnnotation writes a normalization with.
const DENOTES: &str = "pubann:denotes";

fn write(documents: &[Document]) -> Exported {
    let mut losses = Losses::default();
    let objects: Vec<Value> = documents.iter().map(|d| Value::Object(object(d, &mut losses))).collect();
    let value = match <[Value; 1]>::try_from(objects) {
        Ok([one]) => one,
        Err(objects) => Value::Array(objects),
    };
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    Exported { files: vec![(file_name(documents, WRITER.extension), out)], diagnostics: losses.into_diagnostics() }
}

/// `sourcedb` and `sourceid`: PubMed with a PMID, PMC with a PMCID, else the document's id.
fn source(document: &Document) -> (Option<String>, Option<String>) {
    let citation = &document.citation;
    if let Some(pmid) = &citation.pmid {
        return (Some("PubMed".into()), Some(pmid.clone()));
    }
    if let Some(pmcid) = &citation.pmcid {
        return (Some("PMC".into()), Some(pmcid.trim_start_matches("PMC").to_string()));
    }
    match document.source.id.as_deref() {
        // The PubAnnotation reader names a document `sourcedb:sourceid`.
        Some(id) if document.source.format == "pubannotation" => match id.split_once(':') {
            Some((db, id)) => (Some(db.to_string()), Some(id.to_string())),
            None => (None, Some(id.to_string())),
        },
        Some(id) => (None, Some(id.to_string())),
        None => (None, None),
    }
}

fn object(document: &Document, losses: &mut Losses) -> Map<String, Value> {
    let mut object = Map::new();
    let (sourcedb, sourceid) = source(document);
    if let Some(db) = sourcedb {
        object.insert("sourcedb".into(), Value::String(db));
    }
    if let Some(id) = sourceid {
        object.insert("sourceid".into(), Value::String(id));
    }
    object.insert("text".into(), Value::String(document.text.clone()));

    let mut taken: HashSet<String> = document.annotations.iter().map(|a| a.id.clone()).collect();
    // The next number per prefix, so that numbering thousands of attributes stays linear.
    let mut counters: HashMap<String, usize> = HashMap::new();
    let mut fresh = |prefix: &str, taken: &mut HashSet<String>| {
        let next = counters.entry(prefix.to_string()).or_insert(1);
        loop {
            let id = format!("{prefix}{next}");
            *next += 1;
            if taken.insert(id.clone()) {
                return id;
            }
        }
    };
    let mut denotations = Vec::new();
    let mut attributes = Vec::new();
    for annotation in &document.annotations {
        let spans: Vec<Value> =
            annotation.spans().iter().map(|&[begin, end]| json!({ "begin": begin, "end": end })).collect();
        let span = match <[Value; 1]>::try_from(spans) {
            Ok([one]) => one,
            // A bag of spans: one denotation made of several pieces.
            Err(bag) => Value::Array(bag),
        };
        denotations.push(json!({ "id": annotation.id, "span": span, "obj": annotation.kind }));
        let mut written: Vec<&str> = Vec::new();
        for concept in &annotation.concepts {
            // A type that looks like an id is read as the concept already.
            if *concept == annotation.kind && concept.contains(':') {
                continue;
            }
            if !concept.contains(':') {
                losses.note(
                    document,
                    "PubAnnotation tools recognise a concept id by its prefix ('MESH:D001'): an id without one is written as a pubann:denotes attribute but may not be read as a concept",
                    format!("annotation {}: {concept}", annotation.id),
                );
            }
            let id = fresh("A", &mut taken);
            attributes.push(json!({ "id": id, "subj": annotation.id, "pred": DENOTES, "obj": concept }));
            written.push(concept);
        }
        for (key, value) in &annotation.infons {
            // The reader keeps each normalization as a detail too; written once, as a concept.
            let values: Vec<&str> = if key.ends_with("denotes") {
                value.split("; ").filter(|v| !written.contains(v)).collect()
            } else {
                vec![value.as_str()]
            };
            for value in values {
                let id = fresh("A", &mut taken);
                attributes.push(json!({ "id": id, "subj": annotation.id, "pred": key, "obj": value }));
            }
        }
    }
    let mut relations = Vec::new();
    for relation in &document.relations {
        let Some((subj, obj)) = binary(document, relation, losses) else { continue };
        let id = if taken.contains(&relation.id) || relation.id.is_empty() {
            fresh("R", &mut taken)
        } else {
            taken.insert(relation.id.clone());
            relation.id.clone()
        };
        relations.push(json!({ "id": id, "subj": subj, "pred": relation.kind, "obj": obj }));
        for (key, value) in &relation.infons {
            let attribute = fresh("A", &mut taken);
            attributes.push(json!({ "id": attribute, "subj": id, "pred": key, "obj": value }));
        }
    }
    object.insert("denotations".into(), Value::Array(denotations));
    object.insert("relations".into(), Value::Array(relations));
    object.insert("attributes".into(), Value::Array(attributes));

    let whole = |p: &crate::model::Passage| {
        p.kind == "text" && p.start == 0 && p.end == crate::offsets::char_len(&document.text)
    };
    if !(document.passages.is_empty() || document.passages.len() == 1 && document.passages.iter().all(whole)) {
        let blocks: Vec<Value> = document
            .passages
            .iter()
            .enumerate()
            .map(|(i, p)| json!({ "id": format!("B{}", i + 1), "span": { "begin": p.start, "end": p.end }, "obj": p.kind }))
            .collect();
        object.insert("blocks".into(), Value::Array(blocks));
    }
    object
}

/// A relation's subject and object when it is one PubAnnotation can hold: between two
/// denotations.
fn binary<'r>(document: &Document, relation: &'r Relation, losses: &mut Losses) -> Option<(&'r str, &'r str)> {
    let name = || format!("relation {} ({})", relation.id, relation.kind);
    if relation.args.iter().any(|a| a.annotation.is_none()) {
        losses.note(
            document,
            "PubAnnotation's relations link denotations, not concepts: a relation between concepts is left out",
            name(),
        );
        return None;
    }
    let [subject, object] = relation.args.as_slice() else {
        losses.note(
            document,
            "a PubAnnotation relation links exactly two denotations: a relation (or event) with another number of arguments is left out",
            name(),
        );
        return None;
    };
    if relation.kind == "_FRAGMENT" {
        losses.note(document, "'_FRAGMENT' is PubAnnotation's own link between pieces of one mention: a relation of that type is left out", name());
        return None;
    }
    if subject.role != "subject" || object.role != "object" {
        losses.note(
            document,
            "PubAnnotation's relation arguments are a subject and an object: other roles are written as those two, in order",
            format!("{}: roles {}, {}", name(), subject.role, object.role),
        );
    }
    Some((subject.annotation.as_deref()?, object.annotation.as_deref()?))
}
