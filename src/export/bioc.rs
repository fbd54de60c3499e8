//! BioC XML and BioC JSON (bioc.dtd, and its JSON form by the same names): a collection of
//! documents, each of passages holding their text at a document-level offset, annotations with
//! one location per fragment, and relations whose nodes name annotations or whose infons name
//! concepts (BioRED's `entity1`/`entity2`, BC5CDR's type-named infons).
//!
//! Offsets are written in code points, not the UTF-8 bytes bioc.dtd speaks of, as PubTator's own
//! BioC does; the collection says so in its `key` and its `offset_unit` infon.

use std::collections::HashSet;

use serde_json::{json, Map, Value};

use super::{file_name, join_concepts, Exported, Losses, Writer};
use crate::case;
use crate::formats::pubtator::split_concepts;
use crate::model::{Annotation, Arg, Document, Passage, Relation};
use crate::offsets::CharIndex;

pub const XML_WRITER: Writer = Writer { id: "bioc-xml", label: "BioC XML", extension: "xml", write: write_xml };
pub const JSON_WRITER: Writer = Writer { id: "bioc-json", label: "BioC JSON", extension: "json", write: write_json };

const KEY: &str = "litview: offsets count Unicode code points (not UTF-8 bytes); annotation types in the 'type' infon, concept ids in 'identifier'";
const UNIT_INFON: (&str, &str) = ("offset_unit", "code point");

/// Infon keys the BioC reader takes for concept ids; an annotation detail under one of these
/// names would be read back as a concept.
const CONCEPT_KEYS: &[&str] =
    &["identifier", "Identifier", "normalized_id", "MESH", "MeSH", "NCBI Gene", "NCBI Gene identifier", "NCBITaxon"];

/// The BioC tree of one document, written by either syntax.
struct Bioc {
    id: String,
    infons: Vec<(String, String)>,
    passages: Vec<BiocPassage>,
    /// Annotations no passage contains (they cross a passage boundary).
    annotations: Vec<BiocAnnotation>,
    relations: Vec<BiocRelation>,
}

struct BiocPassage {
    infons: Vec<(String, String)>,
    offset: usize,
    text: String,
    annotations: Vec<BiocAnnotation>,
}

struct BiocAnnotation {
    id: String,
    infons: Vec<(String, String)>,
    locations: Vec<(usize, usize)>,
    text: String,
}

/// A relation's concept arguments go into infons: string infons, or (JSON only) PubTator3's
/// `role1: {identifier, type}` objects, which keep the entity types.
struct BiocRelation {
    id: String,
    infons: Vec<(String, String)>,
    typed_concepts: Vec<(String, Option<String>)>,
    nodes: Vec<(String, String)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Xml,
    Json,
}

fn write_xml(documents: &[Document]) -> Exported {
    let mut losses = Losses::default();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE collection SYSTEM \"BioC.dtd\">\n<collection>\n",
    );
    out.push_str("<source>litview</source>\n<date></date>\n");
    out.push_str(&format!("<key>{}</key>\n", escape(KEY, false)));
    infon_xml(&mut out, UNIT_INFON.0, UNIT_INFON.1);
    let mut ids = HashSet::new();
    for document in documents {
        let bioc = tree(document, &mut ids, Syntax::Xml, &mut losses);
        document_xml(&mut out, &bioc);
    }
    out.push_str("</collection>\n");
    Exported { files: vec![(file_name(documents, XML_WRITER.extension), out)], diagnostics: losses.into_diagnostics() }
}

fn write_json(documents: &[Document]) -> Exported {
    let mut losses = Losses::default();
    let mut ids = HashSet::new();
    let documents_json: Vec<Value> =
        documents.iter().map(|document| document_json(&tree(document, &mut ids, Syntax::Json, &mut losses))).collect();
    let collection = json!({
        "source": "litview",
        "date": "",
        "key": KEY,
        "infons": { UNIT_INFON.0: UNIT_INFON.1 },
        "documents": documents_json,
    });
    let mut out = serde_json::to_string_pretty(&collection).unwrap_or_default();
    out.push('\n');
    Exported { files: vec![(file_name(documents, JSON_WRITER.extension), out)], diagnostics: losses.into_diagnostics() }
}

/// XML 1.0 cannot hold most control characters, not even escaped: each becomes U+FFFD, one code
/// point for one, so offsets stay right.
fn xml_safe(text: &str) -> (String, bool) {
    let bad =
        |c: char| matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}');
    if !text.contains(bad) {
        return (text.to_string(), false);
    }
    (text.chars().map(|c| if bad(c) { '\u{FFFD}' } else { c }).collect(), true)
}

/// 1. The document's id: its own, else its PMID, else its file's stem, made unique.
/// 2. Passages cut the text without gaps a reader would fill differently (see [`segments`]).
/// 3. Each annotation goes into the passage that contains it, or to the document.
/// 4. Relations: nodes for annotation arguments, infons for concept arguments.
fn tree(document: &Document, ids: &mut HashSet<String>, syntax: Syntax, losses: &mut Losses) -> Bioc {
    let wanted = document
        .source
        .id
        .clone()
        .or_else(|| document.citation.pmid.clone())
        .unwrap_or_else(|| format!("{}-{}", super::stem(&document.source.file), document.source.index + 1));
    let mut id = wanted.clone();
    let mut n = 1;
    while !ids.insert(id.clone()) {
        n += 1;
        id = format!("{wanted}-{n}");
    }

    let (text, changed) = if syntax == Syntax::Xml { xml_safe(&document.text) } else { (document.text.clone(), false) };
    if changed {
        losses.note(
            document,
            "XML cannot hold control characters: each is written as U+FFFD (offsets are unchanged)",
            "its text",
        );
    }
    let chars = CharIndex::new(&text);
    let mut passages: Vec<BiocPassage> = segments(document, chars.len(), losses)
        .into_iter()
        .map(|(start, end, infons)| BiocPassage {
            infons,
            offset: start,
            text: chars.slice(start, end).unwrap_or_default().to_string(),
            annotations: Vec::new(),
        })
        .collect();

    let mut loose = Vec::new();
    for annotation in &document.annotations {
        let bioc = bioc_annotation(document, annotation, &chars, losses);
        let home = passages.iter_mut().find(|p| {
            let end = p.offset + crate::offsets::char_len(&p.text);
            p.offset <= annotation.start && annotation.end <= end
        });
        match home {
            Some(passage) => passage.annotations.push(bioc),
            None => loose.push(bioc),
        }
    }

    let types: HashSet<&str> = document.annotations.iter().map(|a| a.kind.as_str()).collect();
    let relations = document.relations.iter().map(|r| bioc_relation(document, r, &types, syntax, losses)).collect();

    let mut infons = Vec::new();
    let citation = &document.citation;
    for (key, value) in
        [("article-id_pmid", &citation.pmid), ("article-id_pmc", &citation.pmcid), ("article-id_doi", &citation.doi)]
    {
        if let Some(value) = value {
            infons.push((key.to_string(), value.clone()));
        }
    }
    Bioc { id, infons, passages, annotations: loose, relations }
}

/// A passage to write: `(start, end, infons)`.
type Segment = (usize, usize, Vec<(String, String)>);

/// The passages to write. A reader places each passage at its offset
/// and fills the gap before it with one space after a title (or at the start) or one newline
/// elsewhere, then spaces; other whitespace between passages ends the passage before it, and
/// other text becomes a passage of its own, so that the text reads back exactly.
fn segments(document: &Document, length: usize, losses: &mut Losses) -> Vec<Segment> {
    // By start, then end, then place: a sort of number triples, as the view's, where a sort of
    // passages by a key of its own cost the page 1.6 KB.
    let mut order: Vec<[usize; 3]> = document.passages.iter().enumerate().map(|(i, p)| [p.start, p.end, i]).collect();
    order.sort_unstable();
    let mut passages: Vec<&Passage> = order.iter().filter_map(|&[_, _, i]| document.passages.get(i)).collect();
    let overlapping = passages.windows(2).any(|pair| pair[1].start < pair[0].end);
    if overlapping {
        losses.note(
            document,
            "BioC passages follow one another: overlapping passages are written as one passage holding the whole text",
            format!("{} passages", passages.len()),
        );
        passages.clear();
    }
    let chars = CharIndex::new(&document.text);
    let mut out: Vec<Segment> = Vec::new();
    let mut at = 0;
    let mut previous_title = true;
    for passage in passages {
        if passage.start > at {
            let gap = chars.slice(at, passage.start).unwrap_or_default();
            let first = if previous_title { ' ' } else { '\n' };
            let filled = gap.chars().enumerate().all(|(i, c)| c == if i == 0 { first } else { ' ' });
            // Whitespace the reader would fill otherwise (a newline after a title) ends the
            // passage before it; other text between passages is a passage of its own.
            let last = out.last_mut().filter(|_| gap.chars().all(char::is_whitespace));
            match last {
                _ if filled => {}
                Some(last) => last.1 = passage.start,
                None => out.push((at, passage.start, Vec::new())),
            }
        }
        let mut infons: Vec<(String, String)> = passage.infons.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let section_type = passage.infons.get("section_type").map(|s| case::lower(s));
        if section_type.as_deref() != Some(passage.kind.as_str()) {
            infons.retain(|(k, _)| k != "type");
            infons.insert(0, ("type".to_string(), passage.kind.clone()));
        }
        out.push((passage.start, passage.end, infons));
        at = passage.end;
        previous_title = passage.kind == "title";
    }
    if at < length {
        if out.is_empty() {
            out.push((0, length, vec![("type".to_string(), "text".to_string())]));
        } else {
            out.push((at, length, Vec::new()));
        }
    }
    if out.is_empty() {
        out.push((0, 0, vec![("type".to_string(), "text".to_string())]));
    }
    out
}

fn bioc_annotation(
    document: &Document,
    annotation: &Annotation,
    chars: &CharIndex,
    losses: &mut Losses,
) -> BiocAnnotation {
    let mut infons = Vec::new();
    if !annotation.kind.is_empty() {
        infons.push(("type".to_string(), annotation.kind.clone()));
    }
    if !annotation.concepts.is_empty() {
        let joined = join_concepts(&annotation.concepts, &[",", "|", ";"]).unwrap_or_else(|| {
            losses.note(
                document,
                "these concept ids hold the separators BioC readers split composite ids on, so they do not read back as written",
                format!("annotation {}: {}", annotation.id, annotation.concepts.join(" ")),
            );
            annotation.concepts.join(";")
        });
        infons.push(("identifier".to_string(), joined));
    }
    for (key, value) in &annotation.infons {
        if key == "type" || CONCEPT_KEYS.contains(&key.as_str()) {
            losses.note(
                document,
                "an annotation detail named like BioC's type or identifier infon would be read back as one: it is left out",
                format!("annotation {}: {key}", annotation.id),
            );
        } else {
            infons.push((key.clone(), value.clone()));
        }
    }
    let locations = annotation.spans().iter().map(|&[start, end]| (start, end.saturating_sub(start))).collect();
    let text: Vec<&str> = annotation.spans().iter().map(|&[s, e]| chars.slice(s, e).unwrap_or_default()).collect();
    BiocAnnotation { id: annotation.id.clone(), infons, locations, text: text.join(" ") }
}

/// The argument roles a BioC reader gives concept arguments, by position.
fn positional_role(i: usize) -> String {
    match i {
        0 => "subject".to_string(),
        1 => "object".to_string(),
        _ => format!("argument {}", i + 1),
    }
}

fn bioc_relation(
    document: &Document,
    relation: &Relation,
    types: &HashSet<&str>,
    syntax: Syntax,
    losses: &mut Losses,
) -> BiocRelation {
    let name = || format!("relation {} ({})", relation.id, relation.kind);
    let mut infons = Vec::new();
    if !relation.kind.is_empty() {
        infons.push(("type".to_string(), relation.kind.clone()));
    }
    let concepts: Vec<&Arg> = relation.args.iter().filter(|a| a.concept.is_some()).collect();
    let mut typed_concepts = Vec::new();
    let first_node = relation.args.iter().position(|a| a.concept.is_none());
    let last_concept = relation.args.iter().rposition(|a| a.concept.is_some());
    if let (Some(node), Some(concept)) = (first_node, last_concept) {
        if node < concept {
            losses.note(
                document,
                "BioC lists a relation's concept arguments before its annotation arguments: the order changes",
                name(),
            );
        }
    }
    if concepts.iter().enumerate().any(|(i, a)| a.role != positional_role(i)) {
        let roles: Vec<&str> = concepts.iter().map(|a| a.role.as_str()).collect();
        losses.note(
            document,
            "BioC's concept arguments have no roles: they read back as subject and object, in order",
            format!("{}: roles {}", name(), roles.join(", ")),
        );
    }
    let concept = |a: &Arg| a.concept.clone().unwrap_or_default();
    let typed = concepts.iter().any(|a| a.kind.is_some());
    // A BioC reader splits a string infon holding `D001|D002` into two concepts.
    let composite = concepts.iter().any(|a| split_concepts(&concept(a)) != [concept(a)]);
    let all_known_types = concepts.iter().all(|a| a.kind.as_deref().is_some_and(|k| types.contains(k)));
    let distinct_sorted = concepts.windows(2).all(|w| w[0].kind < w[1].kind);
    if typed && all_known_types && (syntax == Syntax::Xml || distinct_sorted) {
        // BC5CDR's way: the infon is named after the entity type.
        for arg in &concepts {
            infons.push((arg.kind.clone().unwrap_or_default(), concept(arg)));
        }
    } else if syntax == Syntax::Json && (typed || composite || concepts.len() > 2) {
        typed_concepts = concepts.iter().map(|a| (concept(a), a.kind.clone())).collect();
    } else {
        // A third concept and more go into entity2 as a composite id, which reads back as
        // separate arguments in the same order.
        let rest: Vec<String> = concepts.iter().skip(1).map(|a| concept(a)).collect();
        let second = if rest.len() > 1 { join_concepts(&rest, &[",", "|", ";"]) } else { rest.first().cloned() };
        if rest.len() > 1 && second.is_none() {
            losses.note(
                document,
                "BioC XML names at most two concepts of a relation (entity1, entity2): the others are left out",
                name(),
            );
        }
        if let Some(first) = concepts.first() {
            infons.push(("entity1".to_string(), concept(first)));
        }
        if let Some(second) = second.or_else(|| rest.first().cloned()) {
            infons.push(("entity2".to_string(), second));
        }
    }
    for (key, value) in &relation.infons {
        let taken = matches!(key.as_str(), "type" | "entity1" | "entity2" | "relation") || types.contains(key.as_str());
        if taken {
            losses.note(
                document,
                "a relation detail named like BioC's type or concept infons would be read back as one: it is left out",
                format!("{}: {key}", name()),
            );
        } else {
            infons.push((key.clone(), value.clone()));
        }
    }
    let nodes = relation.args.iter().filter_map(|a| Some((a.annotation.clone()?, a.role.clone()))).collect();
    BiocRelation { id: relation.id.clone(), infons, typed_concepts, nodes }
}

/// XML escaping: `&`, `<`, `>` always; in attributes also quotes, and tabs and line breaks as
/// character references, which attribute-value normalization would otherwise turn into spaces.
/// A carriage return is a reference everywhere, as XML readers turn `\r\n` into `\n`.
fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

fn infon_xml(out: &mut String, key: &str, value: &str) {
    out.push_str(&format!(
        "<infon key=\"{}\">{}</infon>",
        escape(&xml_safe(key).0, true),
        escape(&xml_safe(value).0, false)
    ));
    out.push('\n');
}

fn document_xml(out: &mut String, bioc: &Bioc) {
    out.push_str(&format!("<document>\n<id>{}</id>\n", escape(&xml_safe(&bioc.id).0, false)));
    for (key, value) in &bioc.infons {
        infon_xml(out, key, value);
    }
    for passage in &bioc.passages {
        out.push_str("<passage>\n");
        for (key, value) in &passage.infons {
            infon_xml(out, key, value);
        }
        out.push_str(&format!("<offset>{}</offset>\n<text>{}</text>\n", passage.offset, escape(&passage.text, false)));
        for annotation in &passage.annotations {
            annotation_xml(out, annotation);
        }
        out.push_str("</passage>\n");
    }
    for annotation in &bioc.annotations {
        annotation_xml(out, annotation);
    }
    for relation in &bioc.relations {
        out.push_str(&format!("<relation id=\"{}\">\n", escape(&xml_safe(&relation.id).0, true)));
        for (key, value) in &relation.infons {
            infon_xml(out, key, value);
        }
        for (refid, role) in &relation.nodes {
            out.push_str(&format!(
                "<node refid=\"{}\" role=\"{}\"/>\n",
                escape(&xml_safe(refid).0, true),
                escape(&xml_safe(role).0, true)
            ));
        }
        out.push_str("</relation>\n");
    }
    out.push_str("</document>\n");
}

fn annotation_xml(out: &mut String, annotation: &BiocAnnotation) {
    out.push_str(&format!("<annotation id=\"{}\">\n", escape(&xml_safe(&annotation.id).0, true)));
    for (key, value) in &annotation.infons {
        infon_xml(out, key, value);
    }
    for (offset, length) in &annotation.locations {
        out.push_str(&format!("<location offset=\"{offset}\" length=\"{length}\"/>\n"));
    }
    out.push_str(&format!("<text>{}</text>\n</annotation>\n", escape(&annotation.text, false)));
}

fn infons_json(infons: &[(String, String)]) -> Map<String, Value> {
    let mut map = Map::new();
    map.extend(infons.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))));
    map
}

fn annotation_json(annotation: &BiocAnnotation) -> Value {
    let locations: Vec<Value> =
        annotation.locations.iter().map(|(offset, length)| json!({ "offset": offset, "length": length })).collect();
    json!({
        "id": annotation.id,
        "infons": infons_json(&annotation.infons),
        "text": annotation.text,
        "locations": locations,
    })
}

fn document_json(bioc: &Bioc) -> Value {
    let passages: Vec<Value> = bioc
        .passages
        .iter()
        .map(|p| {
            json!({
                "offset": p.offset,
                "infons": infons_json(&p.infons),
                "text": p.text,
                "sentences": [],
                "annotations": p.annotations.iter().map(annotation_json).collect::<Vec<_>>(),
                "relations": [],
            })
        })
        .collect();
    let relations: Vec<Value> = bioc
        .relations
        .iter()
        .map(|r| {
            let mut infons = infons_json(&r.infons);
            for (i, (concept, kind)) in r.typed_concepts.iter().enumerate() {
                let mut role = Map::new();
                role.insert("identifier".into(), Value::String(concept.clone()));
                if let Some(kind) = kind {
                    role.insert("type".into(), Value::String(kind.clone()));
                }
                infons.insert(format!("role{}", i + 1), Value::Object(role));
            }
            let nodes: Vec<Value> =
                r.nodes.iter().map(|(refid, role)| json!({ "refid": refid, "role": role })).collect();
            json!({ "id": r.id, "infons": infons, "nodes": nodes })
        })
        .collect();
    json!({
        "id": bioc.id,
        "infons": infons_json(&bioc.infons),
        "passages": passages,
        "annotations": bioc.annotations.iter().map(annotation_json).collect::<Vec<_>>(),
        "relations": relations,
    })
}
