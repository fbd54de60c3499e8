//! PubAnnotation JSON (pubannotation.org, TextAE): one annotated text per object, or a list of
//! them. `denotations` are spans with an `obj` (their type), `relations` link them (`subj`,
//! `pred`, `obj`), `attributes` and `modifications` qualify them, and `tracks` hold several
//! projects' annotations of the same text. Offsets count code points. The mention text is not
//! written in the file: it is what the span covers.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Map, Value};

use super::bioc::{head, is_pmid};
use super::{Format, Parsed, Source};
use crate::model::{Annotation, Arg, Citation, Diagnostic, Document, Passage, Relation};
use crate::offsets::{char_len, CharIndex};

pub const FORMAT: Format = Format { id: "pubannotation", label: "PubAnnotation", extensions: &["json"], sniff, parse };

fn sniff(text: &str) -> u8 {
    let head = head(text.trim_start_matches('\u{feff}').trim_start(), 8192);
    if !head.starts_with(['{', '[']) || head.contains("\"passages\"") {
        return 0;
    }
    let has_text = head.contains("\"text\"");
    let annotated = head.contains("\"denotations\"") || head.contains("\"tracks\"");
    let sourced = ["\"sourcedb\"", "\"sourceid\"", "\"source_db\"", "\"divid\"", "\"div_id\""];
    match (has_text, annotated) {
        (true, true) => 90,
        // Pretty-printed denotations can push "text" past the part sniffed.
        (false, true) => 80,
        (true, false) if sourced.iter().any(|k| head.contains(k)) => 70,
        // A bare `{"text": ...}` is TextAE's way to show a text with no annotations yet.
        (true, false) if head.starts_with('{') && !head.contains("\"documents\"") => 50,
        _ => 0,
    }
}

struct Reader<'a> {
    file: &'a str,
    diagnostics: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn warn(&mut self, document: Option<&str>, message: String) {
        self.diagnostics.push(Diagnostic::warning(self.file, None, message).in_document(document));
    }
}

fn parse(source: &Source) -> Parsed {
    let mut reader = Reader { file: source.file, diagnostics: Vec::new() };
    let value = match serde_json::from_str::<Value>(source.text.trim_start_matches('\u{feff}')) {
        Ok(value) => value,
        Err(error) => {
            let message = format!("the file is not valid JSON: {error}");
            return Parsed {
                documents: Vec::new(),
                diagnostics: vec![Diagnostic::error(source.file, Some(error.line() as u32), message)],
            };
        }
    };
    let objects: Vec<&Map<String, Value>> = match &value {
        Value::Object(object) => vec![object],
        Value::Array(items) => {
            let objects: Vec<_> = items.iter().filter_map(Value::as_object).collect();
            if objects.len() < items.len() {
                reader
                    .warn(None, format!("{} items of the list are not objects; skipped", items.len() - objects.len()));
            }
            objects
        }
        _ => Vec::new(),
    };
    let documents =
        objects.into_iter().enumerate().filter_map(|(i, object)| document(&mut reader, i, object)).collect();
    Parsed { documents, diagnostics: reader.diagnostics }
}

fn scalar(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn array<'v>(object: &'v Map<String, Value>, key: &str) -> impl Iterator<Item = &'v Map<String, Value>> {
    object.get(key).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_object)
}

/// A span bound; TextAE writes `"begin": "0"` at times, which is repaired with a warning.
fn bound(reader: &mut Reader, doc: Option<&str>, what: &str, value: Option<&Value>) -> Option<usize> {
    match value {
        Some(Value::Number(n)) => match n.as_u64().and_then(|n| usize::try_from(n).ok()) {
            Some(n) => Some(n),
            None => match n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1e15) {
                Some(f) => Some(f as usize),
                None => {
                    reader.warn(doc, format!("{what} is {n}, not a whole number ≥ 0; the denotation is skipped"));
                    None
                }
            },
        },
        Some(Value::String(s)) => match s.trim().parse::<usize>() {
            Ok(n) => {
                reader.warn(doc, format!("{what} is written as the string \"{s}\"; read as the number {n}"));
                Some(n)
            }
            Err(_) => {
                reader.warn(doc, format!("{what} is \"{s}\", not a whole number ≥ 0; the denotation is skipped"));
                None
            }
        },
        _ => {
            reader.warn(doc, format!("{what} is missing; the denotation is skipped"));
            None
        }
    }
}

/// One layer of annotation: the document itself or one of its tracks.
struct Layer<'v> {
    object: &'v Map<String, Value>,
    /// Prepended to this layer's ids when they would collide with an earlier layer's.
    prefix: String,
    /// The project a track comes from, kept on its annotations.
    project: Option<String>,
}

fn document(reader: &mut Reader, index: usize, object: &Map<String, Value>) -> Option<Document> {
    let sourcedb = scalar(object.get("sourcedb")).or_else(|| scalar(object.get("source_db")));
    let sourceid = scalar(object.get("sourceid")).or_else(|| scalar(object.get("source_id")));
    let id = match (&sourcedb, &sourceid) {
        (Some(db), Some(id)) => Some(format!("{db}:{id}")),
        (None, Some(id)) => Some(id.clone()),
        _ => None,
    };
    let doc = id.as_deref();
    let Some(text) = object.get("text").and_then(Value::as_str) else {
        reader.warn(doc, format!("item {} has no \"text\"; skipped", index + 1));
        return None;
    };
    let index_of = CharIndex::new(text);

    // 1. Layers: the document's own annotations, then each track's; a track whose ids collide
    //    with those seen before gets all its ids prefixed with its number.
    let mut layers = vec![Layer { object, prefix: String::new(), project: None }];
    let mut seen: HashSet<String> = ids_of(object).collect();
    for (i, track) in array(object, "tracks").enumerate() {
        let ids: Vec<String> = ids_of(track).collect();
        let prefix = if ids.iter().any(|id| seen.contains(id)) { format!("track{}:", i + 1) } else { String::new() };
        seen.extend(ids.iter().map(|id| format!("{prefix}{id}")));
        layers.push(Layer { object: track, prefix, project: scalar(track.get("project")) });
    }

    let mut annotations: Vec<Annotation> = Vec::new();
    let mut relations: Vec<Relation> = Vec::new();
    let mut attributes: Vec<(String, String, String)> = Vec::new();
    let mut fragment_links: Vec<(String, String)> = Vec::new();
    let mut taken: HashSet<String> = seen.clone();
    for layer in &layers {
        let prefixed = |id: String| format!("{}{id}", layer.prefix);
        // 2. Denotations: a span, or a bag of spans (one discontinuous mention).
        for denotation in array(layer.object, "denotations") {
            let id = match scalar(denotation.get("id")) {
                Some(id) => prefixed(id),
                None => {
                    let id = (1..).map(|n| format!("d{n}")).find(|c| !taken.contains(c)).unwrap_or_default();
                    taken.insert(id.clone());
                    id
                }
            };
            let kind = scalar(denotation.get("obj")).unwrap_or_default();
            let spans: Vec<&Map<String, Value>> = match denotation.get("span") {
                Some(Value::Object(span)) => vec![span],
                Some(Value::Array(bag)) => bag.iter().filter_map(Value::as_object).collect(),
                _ => Vec::new(),
            };
            if spans.is_empty() {
                reader.warn(doc, format!("denotation {id} has no span; skipped"));
                continue;
            }
            let mut fragments = Vec::new();
            for span in spans {
                let begin = bound(reader, doc, &format!("the begin of denotation {id}"), span.get("begin"));
                // One warning per skipped denotation: the end is read only when the begin was.
                let end =
                    begin.and_then(|_| bound(reader, doc, &format!("the end of denotation {id}"), span.get("end")));
                match begin.zip(end) {
                    Some((begin, end)) => fragments.push([begin, end]),
                    None => {
                        fragments.clear();
                        break;
                    }
                }
            }
            if fragments.is_empty() {
                continue;
            }
            let mut annotation = mention(id, kind, fragments, &index_of);
            if let Some(project) = &layer.project {
                annotation.infons.insert("project".into(), project.clone());
            }
            annotations.push(annotation);
        }
        // 3. Relations; `_FRAGMENT` ones join two denotations into one mention.
        for relation in array(layer.object, "relations") {
            let pred = scalar(relation.get("pred")).unwrap_or_default();
            let subj = scalar(relation.get("subj")).map(prefixed);
            let obj = scalar(relation.get("obj")).map(prefixed);
            if pred == "_FRAGMENT" {
                if let (Some(subj), Some(obj)) = (subj, obj) {
                    fragment_links.push((subj, obj));
                }
                continue;
            }
            let id = scalar(relation.get("id")).map(prefixed).unwrap_or_else(|| format!("r{}", relations.len() + 1));
            let args = [("subject", subj), ("object", obj)]
                .into_iter()
                .filter_map(|(role, target)| {
                    Some(Arg { role: role.into(), annotation: Some(target?), ..Arg::default() })
                })
                .collect();
            relations.push(Relation { id, kind: pred, args, infons: BTreeMap::new() });
        }
        // 4. Attributes (`subj` `pred` `obj`) and modifications (`obj` `pred`, a flag).
        for attribute in array(layer.object, "attributes") {
            let (Some(subj), Some(pred)) = (scalar(attribute.get("subj")), scalar(attribute.get("pred"))) else {
                reader.warn(doc, "an attribute without subj or pred; skipped".into());
                continue;
            };
            let value = match attribute.get("obj") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => "true".into(),
                Some(other) => other.to_string(),
            };
            attributes.push((prefixed(subj), pred, value));
        }
        for modification in array(layer.object, "modifications") {
            if let (Some(obj), Some(pred)) = (scalar(modification.get("obj")), scalar(modification.get("pred"))) {
                attributes.push((prefixed(obj), pred, "true".into()));
            }
        }
    }

    join_fragments(&mut annotations, &mut relations, &mut attributes, fragment_links, &index_of);
    apply_attributes(reader, doc, &mut annotations, &mut relations, attributes);

    let passages = blocks(object, &index_of);
    let pmid = sourceid
        .clone()
        .filter(|id| sourcedb.as_deref().is_some_and(|db| db.eq_ignore_ascii_case("pubmed")) && is_pmid(id));
    let pmcid = sourceid.filter(|_| sourcedb.as_deref().is_some_and(|db| db.eq_ignore_ascii_case("pmc"))).map(|id| {
        if id.starts_with("PMC") {
            id
        } else {
            format!("PMC{id}")
        }
    });
    Some(Document {
        source: crate::model::Source { id, ..Default::default() },
        citation: Citation { pmid, pmcid, ..Citation::default() },
        text: text.to_string(),
        passages,
        annotations,
        relations,
        references: Vec::new(),
    })
}

fn ids_of<'v>(object: &'v Map<String, Value>) -> impl Iterator<Item = String> + 'v {
    ["denotations", "relations", "attributes", "modifications"]
        .into_iter()
        .flat_map(move |key| array(object, key))
        .filter_map(|item| scalar(item.get("id")))
}

/// A denotation's obj is its type; one that looks like an identifier (`MESH:D001`, a URL) is
/// also its concept.
fn mention(id: String, kind: String, mut fragments: Vec<[usize; 2]>, index: &CharIndex) -> Annotation {
    fragments.sort_unstable();
    let concepts = if kind.contains(':') { vec![kind.clone()] } else { Vec::new() };
    let text = covered(&fragments, index);
    let start = fragments.first().map_or(0, |f| f[0]);
    let end = fragments.iter().map(|f| f[1]).max().unwrap_or(0);
    let fragments = (fragments.len() > 1).then_some(fragments);
    Annotation { id, start, end, text, kind, concepts, fragments, ..Annotation::default() }
}

/// The text the fragments cover, joined by a space; empty when a fragment lies outside the text
/// (the validator then reports and drops the annotation).
fn covered(fragments: &[[usize; 2]], index: &CharIndex) -> String {
    let pieces: Option<Vec<&str>> = fragments.iter().map(|&[s, e]| index.slice(s, e)).collect();
    pieces.map(|p| p.join(" ")).unwrap_or_default()
}

/// PubAnnotation's `_FRAGMENT` relations chain denotations into one discontinuous mention: the
/// group keeps the id of its first fragment, and references to the others are redirected to it.
fn join_fragments(
    annotations: &mut Vec<Annotation>,
    relations: &mut [Relation],
    attributes: &mut [(String, String, String)],
    links: Vec<(String, String)>,
    index: &CharIndex,
) {
    if links.is_empty() {
        return;
    }
    let mut group: HashMap<String, String> = HashMap::new();
    fn root(group: &HashMap<String, String>, id: &str) -> String {
        let mut current = id.to_string();
        for _ in 0..group.len() + 1 {
            match group.get(&current) {
                Some(next) if *next != current => current = next.clone(),
                _ => break,
            }
        }
        current
    }
    for (a, b) in links {
        let (ra, rb) = (root(&group, &a), root(&group, &b));
        if ra != rb {
            group.insert(rb, ra);
        }
    }
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, annotation) in annotations.iter().enumerate() {
        groups.entry(root(&group, &annotation.id)).or_default().push(i);
    }
    let mut redirect: HashMap<String, String> = HashMap::new();
    let mut removed = HashSet::new();
    for parts in groups.into_values().filter(|parts| parts.len() > 1) {
        // The group is named after its earliest member in the file.
        let Some(&first) = parts.first() else { continue };
        let mut fragments: Vec<[usize; 2]> =
            parts.iter().filter_map(|&i| annotations.get(i)).flat_map(|a| a.spans()).collect();
        fragments.sort_unstable();
        let Some(first_id) = annotations.get(first).map(|a| a.id.clone()) else { continue };
        for &i in &parts {
            if i != first {
                if let Some(a) = annotations.get(i) {
                    redirect.insert(a.id.clone(), first_id.clone());
                }
                removed.insert(i);
            }
        }
        if let Some(a) = annotations.get_mut(first) {
            let kind = std::mem::take(&mut a.kind);
            *a = mention(first_id, kind, fragments, index);
        }
    }
    let mut i = 0;
    annotations.retain(|_| {
        i += 1;
        !removed.contains(&(i - 1))
    });
    for relation in relations {
        for arg in &mut relation.args {
            if let Some(target) = arg.annotation.as_mut() {
                if let Some(head) = redirect.get(target) {
                    *target = head.clone();
                }
            }
        }
    }
    for (subj, _, _) in attributes {
        if let Some(head) = redirect.get(subj) {
            *subj = head.clone();
        }
    }
}

fn apply_attributes(
    reader: &mut Reader,
    doc: Option<&str>,
    annotations: &mut [Annotation],
    relations: &mut [Relation],
    attributes: Vec<(String, String, String)>,
) {
    for (subj, pred, value) in attributes {
        if let Some(annotation) = annotations.iter_mut().find(|a| a.id == subj) {
            // PubAnnotation's normalizations: `pubann:denotes MESH:C000657245`.
            if pred.ends_with("denotes") && value.contains(':') && !annotation.concepts.contains(&value) {
                annotation.concepts.push(value.clone());
            }
            annotation.infons.entry(pred).and_modify(|v| *v = format!("{v}; {value}")).or_insert(value);
        } else if let Some(relation) = relations.iter_mut().find(|r| r.id == subj) {
            relation.infons.entry(pred).and_modify(|v| *v = format!("{v}; {value}")).or_insert(value);
        } else {
            reader.warn(
                doc,
                format!(
                    "attribute {pred} = {value} names {subj}, which is neither a denotation nor a relation; skipped"
                ),
            );
        }
    }
}

/// TextAE's `blocks` are the text's sections; without them the text is one passage.
fn blocks(object: &Map<String, Value>, index: &CharIndex) -> Vec<Passage> {
    let length = index.len();
    let mut passages: Vec<Passage> = array(object, "blocks")
        .filter_map(|block| {
            let span = block.get("span")?.as_object()?;
            let start = usize::try_from(span.get("begin")?.as_u64()?).ok()?;
            let end = usize::try_from(span.get("end")?.as_u64()?).ok()?;
            let kind = scalar(block.get("obj")).unwrap_or_else(|| "block".into());
            (start <= end && end <= length).then(|| Passage { kind, start, end, ..Passage::default() })
        })
        .collect();
    if passages.is_empty() && length > 0 {
        passages.push(Passage {
            kind: "text".into(),
            start: 0,
            end: char_len(index.slice(0, length).unwrap_or("")),
            ..Passage::default()
        });
    }
    passages
}
