//! What the page shows, computed in the core so the page does no format or offset logic:
//! highlight segments from one sweep over span boundaries, lanes for nested spans, a legend.
//! This is the one place where code point offsets become UTF-16 offsets, the DOM's unit.

use std::collections::BTreeMap;

use serde::Serialize;

mod card;

pub use card::{card, display_name, Author, Card, Identifier, Reference};

use crate::links::concept_link;
use crate::model::{Citation, Document, Origin, Source};
use crate::offsets::{CharIndex, Utf16Map};

/// One line of the document list.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub title: String,
    pub file: String,
    pub format: String,
    pub id: Option<String>,
    pub entities: usize,
    pub relations: usize,
}

impl Summary {
    pub fn of(document: &Document) -> Self {
        let Source { file, format, id, .. } = &document.source;
        let counts = (document.annotations.len(), document.relations.len());
        Summary::new(document.citation.title.as_deref(), &document.text, [file, format], id.as_deref(), counts)
    }

    /// The row of a document with this title (or, without one, its text's first line), source
    /// file and format, id, and numbers of annotations and relations.
    pub fn new(
        title: Option<&str>,
        text: &str,
        [file, format]: [&str; 2],
        id: Option<&str>,
        (entities, relations): (usize, usize),
    ) -> Self {
        let title = match title {
            Some(title) => title.to_string(),
            None => text.lines().next().map(|line| line.chars().take(200).collect()).unwrap_or_default(),
        };
        Summary {
            title,
            file: file.to_string(),
            format: format.to_string(),
            id: id.map(str::to_string),
            entities,
            relations,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct DocumentView {
    pub summary: Summary,
    pub citation: Citation,
    pub card: Card,
    pub references: Vec<Reference>,
    pub blocks: Vec<Block>,
    pub entities: Vec<Entity>,
    pub legend: Vec<LegendEntry>,
    pub relations: Vec<RelationView>,
}

/// A passage as the page draws it: a run of segments, each with the entities that cover it.
#[derive(Debug, Serialize)]
pub struct Block {
    pub kind: String,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Serialize)]
pub struct Segment {
    pub text: String,
    /// UTF-16 offsets in the document text.
    pub start: usize,
    pub end: usize,
    /// Indices into `DocumentView::entities`, outermost lane first.
    pub entities: Vec<usize>,
    /// How many lanes of underlines the segment needs.
    pub depth: usize,
}

#[derive(Debug, Serialize)]
pub struct Entity {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub text: String,
    pub concepts: Vec<Concept>,
    pub inferred: bool,
    /// The underline lane: nested and overlapping entities take different lanes.
    pub lane: usize,
    pub colour: usize,
    /// The underline's pattern: 0 solid; types that share a colour in this document get 1, 2, …
    pub pattern: usize,
    /// UTF-16 offsets of each fragment.
    pub spans: Vec<[usize; 2]>,
    pub infons: BTreeMap<String, String>,
}

/// A concept id and, when it is a valid id of a known registry, its https link.
#[derive(Debug, Serialize)]
pub struct Concept {
    pub id: String,
    pub registry: Option<&'static str>,
    pub url: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct LegendEntry {
    #[serde(rename = "type")]
    pub kind: String,
    pub count: usize,
    pub colour: usize,
    pub pattern: usize,
}

#[derive(Debug, Serialize)]
pub struct RelationView {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub args: Vec<ArgView>,
    pub infons: BTreeMap<String, String>,
}

#[derive(Debug, Serialize)]
pub struct ArgView {
    pub role: String,
    /// The concept id or annotation id the file names.
    pub target: String,
    /// A mention of it in the text, when the document has one.
    pub name: Option<String>,
    pub entity: Option<usize>,
}

/// How many colours the page's palette has.
pub const PALETTE: usize = 12;

/// A type's colour slot: well-known types keep fixed colours across corpora (PubTator's and
/// BioRED's names for the same kind share one), any other type a stable slot from its name.
pub fn colour_of(kind: &str) -> usize {
    match kind.to_ascii_lowercase().as_str() {
        "chemical" | "chemicalentity" | "chemmet" | "drug" => 0,
        "disease" | "diseaseorphenotypicfeature" | "specificdisease" => 1,
        "gene" | "geneorgeneproduct" | "protein" => 2,
        "species" | "organismtaxon" | "organism" => 3,
        "mutation" | "sequencevariant" | "variant" | "proteinmutation" | "dnamutation" | "snp" => 4,
        "cellline" | "cell_line" => 5,
        other => 6 + other.bytes().fold(5381u32, |h, b| h.wrapping_mul(33) ^ b as u32) as usize % (PALETTE - 6),
    }
}

pub fn view(document: &Document) -> DocumentView {
    let index = CharIndex::new(&document.text);
    let utf16 = Utf16Map::new(&document.text);

    // 1. Lanes: entities sorted by start (longest first) take the lowest lane free at their start.
    let order = in_order(document.annotations.iter().enumerate().map(|(i, a)| [a.start, usize::MAX - a.end, i]));
    let mut lane_ends: Vec<usize> = Vec::new();
    let mut lanes = vec![0; document.annotations.len()];
    for &i in &order {
        let a = &document.annotations[i];
        let lane = match lane_ends.iter().position(|&end| end <= a.start) {
            Some(lane) => lane,
            None => {
                lane_ends.push(0);
                lane_ends.len() - 1
            }
        };
        lane_ends[lane] = a.end.max(a.start + 1);
        lanes[i] = lane;
    }

    let entities: Vec<Entity> = document
        .annotations
        .iter()
        .zip(&lanes)
        .map(|(a, &lane)| Entity {
            id: a.id.clone(),
            kind: a.kind.clone(),
            text: a.text.clone(),
            concepts: a
                .concepts
                .iter()
                .flat_map(|id| concept_parts(id))
                .map(|id| {
                    let link = concept_link(&id, &a.kind);
                    Concept { registry: link.as_ref().map(|l| l.registry), url: link.map(|l| l.url), id }
                })
                .collect(),
            inferred: a.origin == Origin::Inferred,
            lane,
            colour: colour_of(&a.kind),
            pattern: 0,
            spans: a.spans().iter().map(|&[s, e]| [utf16.of(s), utf16.of(e)]).collect(),
            infons: a.infons.clone(),
        })
        .collect();

    // 2. One sweep over span boundaries per passage: each segment knows which entities cover it.
    let mut events: Vec<[usize; 3]> = Vec::new(); // [position, opens (1) or closes (0), entity]
    for (i, a) in document.annotations.iter().enumerate() {
        for [start, end] in a.spans() {
            if start < end {
                events.push([start, 1, i]);
                events.push([end, 0, i]);
            }
        }
    }
    events.sort_unstable();
    let passages: Vec<(String, usize, usize)> = if document.passages.is_empty() {
        vec![("text".into(), 0, index.len())]
    } else {
        document.passages.iter().map(|p| (p.kind.clone(), p.start, p.end)).collect()
    };
    let mut active: Vec<usize> = Vec::new();
    let mut next_event = 0;
    let mut blocks = Vec::new();
    for (kind, start, end) in passages {
        let mut segments = Vec::new();
        let mut at = start;
        while at < end {
            // Entities open and close at boundaries; those before a passage (in the separator
            // or in a passage the file did not give) are applied when the sweep reaches it.
            while next_event < events.len() && events[next_event][0] <= at {
                apply(&mut active, events[next_event]);
                next_event += 1;
            }
            let until = events.get(next_event).map_or(end, |e| e[0].min(end));
            let covering = in_order(active.iter().map(|&i| [lanes[i], i, i]));
            let depth = covering.iter().map(|&i| lanes[i] + 1).max().unwrap_or(0);
            segments.push(Segment {
                text: index.slice(at, until).unwrap_or_default().to_string(),
                start: utf16.of(at),
                end: utf16.of(until),
                entities: covering,
                depth,
            });
            at = until;
        }
        blocks.push(Block { kind, segments });
    }

    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for a in &document.annotations {
        *counts.entry(a.kind.as_str()).or_default() += 1;
    }
    let legend: Vec<LegendEntry> = counts
        .into_iter()
        .map(|(kind, count)| LegendEntry { kind: kind.to_string(), count, colour: colour_of(kind), pattern: 0 })
        .collect();
    // Colour is never the only cue: types that share a colour get different underline patterns.
    let mut legend = legend;
    let mut per_colour = [0usize; PALETTE];
    for entry in &mut legend {
        if let Some(used) = per_colour.get_mut(entry.colour) {
            entry.pattern = *used;
            *used += 1;
        }
    }
    let mut entities = entities;
    for entity in &mut entities {
        entity.pattern = legend.iter().find(|e| e.kind == entity.kind).map_or(0, |e| e.pattern);
    }

    let relations = document
        .relations
        .iter()
        .map(|r| RelationView {
            id: r.id.clone(),
            kind: r.kind.clone(),
            args: r
                .args
                .iter()
                .map(|arg| {
                    let entity = match (&arg.annotation, &arg.concept) {
                        (Some(id), _) => document.annotations.iter().position(|a| &a.id == id),
                        (None, Some(concept)) => {
                            document.annotations.iter().position(|a| a.concepts.iter().any(|c| c == concept))
                        }
                        _ => None,
                    };
                    ArgView {
                        role: arg.role.clone(),
                        target: arg.annotation.clone().or_else(|| arg.concept.clone()).unwrap_or_default(),
                        name: entity.map(|i| document.annotations[i].text.clone()),
                        entity,
                    }
                })
                .collect(),
            infons: r.infons.clone(),
        })
        .collect();

    let citation = &document.citation;
    DocumentView {
        summary: Summary::of(document),
        citation: citation.clone(),
        card: card(citation),
        references: card::references(&document.references),
        blocks,
        entities,
        legend,
        relations,
    }
}

/// A packed id is shown as its parts, each with its own link: tmVar's `Disease:C535607,D008180`
/// is `Disease:C535607` and `Disease:D008180`; GNormPlus's `12556(Tax:10090)` is the gene
/// `12556` and the taxon `Tax:10090`. Anything else is one part.
fn concept_parts(id: &str) -> Vec<String> {
    if let Some((gene, taxon)) = id.strip_suffix(')').and_then(|rest| rest.split_once("(Tax:")) {
        return vec![gene.to_string(), format!("Tax:{taxon}")];
    }
    match id.split_once(':') {
        Some((key, values)) if values.contains(',') => {
            values.split(',').map(str::trim).filter(|v| !v.is_empty()).map(|v| format!("{key}:{v}")).collect()
        }
        _ => vec![id.to_string()],
    }
}

/// The items, each the last of its `[key, key, item]`, in the order of their keys: one sort for
/// the view's three orders (each by a key of its own cost the page kilobytes).
fn in_order(keyed: impl Iterator<Item = [usize; 3]>) -> Vec<usize> {
    let mut keyed: Vec<[usize; 3]> = keyed.collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|[_, _, item]| item).collect()
}

fn apply(active: &mut Vec<usize>, [_, opens, entity]: [usize; 3]) {
    if opens == 1 {
        active.push(entity);
    } else if let Some(at) = active.iter().position(|&e| e == entity) {
        active.swap_remove(at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Annotation, Passage};

    fn doc(text: &str, spans: &[(usize, usize)]) -> Document {
        let end = text.chars().count();
        Document {
            text: text.into(),
            passages: vec![Passage { kind: "abstract".into(), start: 0, end, ..Passage::default() }],
            annotations: spans
                .iter()
                .enumerate()
                .map(|(i, &(start, end))| Annotation {
                    id: format!("a{i}"),
                    start,
                    end,
                    kind: "T".into(),
                    ..Annotation::default()
                })
                .collect(),
            ..Document::default()
        }
    }

    fn pieces(view: &DocumentView) -> Vec<(String, Vec<usize>)> {
        view.blocks[0].segments.iter().map(|s| (s.text.clone(), s.entities.clone())).collect()
    }

    #[test]
    fn nested_spans_split_into_segments_with_lanes() {
        // "acute lymphoblastic leukemia" with "leukemia" nested inside.
        let v = view(&doc("acute lymphoblastic leukemia x", &[(0, 28), (20, 28)]));
        assert_eq!(
            pieces(&v),
            vec![("acute lymphoblastic ".into(), vec![0]), ("leukemia".into(), vec![0, 1]), (" x".into(), vec![])]
        );
        assert_eq!((v.entities[0].lane, v.entities[1].lane), (0, 1));
        assert_eq!(v.blocks[0].segments[1].depth, 2);
    }

    #[test]
    fn overlapping_adjacent_and_empty_spans() {
        let v = view(&doc("abcdefgh", &[(0, 4), (2, 6), (6, 8), (3, 3)]));
        assert_eq!(
            pieces(&v),
            vec![("ab".into(), vec![0]), ("cd".into(), vec![0, 1]), ("ef".into(), vec![1]), ("gh".into(), vec![2])]
        );
        assert_eq!(v.entities[2].lane, 0, "an adjacent span reuses the free lane");
    }

    #[test]
    fn discontinuous_fragments_highlight_together() {
        let mut d = doc("left and right lung", &[]);
        d.annotations.push(Annotation {
            id: "T1".into(),
            start: 0,
            end: 19,
            fragments: Some(vec![[0, 4], [15, 19]]),
            kind: "Organ".into(),
            ..Annotation::default()
        });
        let v = view(&d);
        assert_eq!(
            pieces(&v),
            vec![("left".into(), vec![0]), (" and right ".into(), vec![]), ("lung".into(), vec![0])]
        );
    }

    #[test]
    fn packed_concept_ids_show_as_linked_parts() {
        let mut d = doc("P29S x", &[(0, 4)]);
        d.annotations[0].kind = "ProteinMutation".into();
        d.annotations[0].concepts =
            vec!["p|SUB|P|29|S".into(), "Gene:11277".into(), "RS#:72556554".into(), "Disease:C535607,D008180".into()];
        let v = view(&d);
        let parts: Vec<(&str, Option<&str>)> =
            v.entities[0].concepts.iter().map(|c| (c.id.as_str(), c.registry)).collect();
        assert_eq!(
            parts,
            [
                ("p|SUB|P|29|S", None),
                ("Gene:11277", Some("NCBI Gene")),
                ("RS#:72556554", Some("dbSNP")),
                ("Disease:C535607", Some("MeSH")),
                ("Disease:D008180", Some("MeSH")),
            ]
        );
        assert_eq!(concept_parts("12556(Tax:10090)"), ["12556", "Tax:10090"]);
    }

    #[test]
    fn types_sharing_a_colour_get_different_patterns() {
        let mut d = doc("aaaa bbbb cccc", &[(0, 4), (5, 9), (10, 14)]);
        let kinds = ["Chemical", "ChemicalEntity", "Disease"];
        for (a, kind) in d.annotations.iter_mut().zip(kinds) {
            a.kind = kind.into();
        }
        let v = view(&d);
        let cue = |kind: &str| v.legend.iter().find(|e| e.kind == kind).map(|e| (e.colour, e.pattern)).unwrap();
        assert_eq!(cue("Chemical").0, cue("ChemicalEntity").0, "the same family shares a colour");
        assert_ne!(cue("Chemical"), cue("ChemicalEntity"), "but not its pattern");
        assert_eq!(v.entities[1].pattern, cue("ChemicalEntity").1);
    }

    #[test]
    fn offsets_become_utf16_for_astral_text() {
        let v = view(&doc("😀 ab 𝔸", &[(2, 4), (5, 6)]));
        let segments = &v.blocks[0].segments;
        assert_eq!(segments[1].text, "ab");
        assert_eq!((segments[1].start, segments[1].end), (3, 5));
        assert_eq!(v.entities[1].spans, vec![[6, 8]]);
    }
}
