//! Documents read back from the contract's JSON, for an export of documents that several of the
//! page's workers hold: each worker writes its documents' JSON, one worker reads them all back
//! and writes the file.
//!
//! Read by hand from `serde_json::Value`: the derived reader of every model type cost the page
//! ten kilobytes, a citation's reader is already there (CSL-JSON), and this reads only what
//! [`Document`]'s `Serialize` writes. `tests/store.rs` holds the two to each other over every
//! document of `shared/data` and the seeds.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{Annotation, Arg, Citation, Document, Origin, Passage, Relation, Source};

/// The documents of a JSON array in the contract's shape; `None` if it is not one.
pub fn documents(json: &str) -> Option<Vec<Document>> {
    let Value::Array(values) = serde_json::from_str(json).ok()? else { return None };
    values.into_iter().map(document).collect()
}

fn document(value: Value) -> Option<Document> {
    let Value::Object(mut object) = value else { return None };
    let source = object.get("source")?;
    Some(Document {
        source: Source {
            file: string(source, "file")?,
            format: string(source, "format")?,
            index: number(source, "index")?,
            id: string(source, "id"),
        },
        citation: serde_json::from_value(object.remove("citation")?).ok()?,
        text: object.get("text")?.as_str()?.to_string(),
        passages: list(&object, "passages", |p| {
            Some(Passage {
                kind: string(p, "type")?,
                start: number(p, "start")?,
                end: number(p, "end")?,
                infons: infons(p),
            })
        })?,
        annotations: list(&object, "annotations", annotation)?,
        relations: list(&object, "relations", |r| {
            let args = r.get("args")?.as_array()?.iter().map(|a| {
                Some(Arg {
                    role: string(a, "role")?,
                    concept: string(a, "concept"),
                    annotation: string(a, "annotation"),
                    kind: string(a, "type"),
                })
            });
            Some(Relation {
                id: string(r, "id")?,
                kind: string(r, "type")?,
                args: args.collect::<Option<_>>()?,
                infons: infons(r),
            })
        })?,
        references: match object.remove("references") {
            Some(Value::Array(references)) => {
                references.into_iter().map(|r| serde_json::from_value::<Citation>(r).ok()).collect::<Option<_>>()?
            }
            _ => Vec::new(),
        },
    })
}

fn annotation(a: &Value) -> Option<Annotation> {
    let fragments = match a.get("fragments") {
        Some(Value::Array(fragments)) => Some(
            fragments
                .iter()
                .map(|f| Some([f.get(0)?.as_u64()? as usize, f.get(1)?.as_u64()? as usize]))
                .collect::<Option<Vec<_>>>()?,
        ),
        _ => None,
    };
    Some(Annotation {
        id: string(a, "id")?,
        start: number(a, "start")?,
        end: number(a, "end")?,
        text: string(a, "text")?,
        kind: string(a, "type")?,
        concepts: a
            .get("concepts")?
            .as_array()?
            .iter()
            .map(|c| c.as_str().map(str::to_string))
            .collect::<Option<_>>()?,
        origin: if a.get("origin")?.as_str()? == "inferred" { Origin::Inferred } else { Origin::Source },
        fragments,
        infons: infons(a),
        line: None,
    })
}

fn list<T>(object: &Map<String, Value>, key: &str, item: impl Fn(&Value) -> Option<T>) -> Option<Vec<T>> {
    match object.get(key) {
        Some(Value::Array(items)) => items.iter().map(item).collect(),
        None => Some(Vec::new()),
        Some(_) => None,
    }
}

fn string(value: &Value, key: &str) -> Option<String> {
    value.get(key)?.as_str().map(str::to_string)
}

fn number(value: &Value, key: &str) -> Option<usize> {
    value.get(key)?.as_u64().map(|n| n as usize)
}

fn infons(value: &Value) -> BTreeMap<String, String> {
    let Some(Value::Object(infons)) = value.get("infons") else { return BTreeMap::new() };
    infons.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect()
}
