//! What BioC XML and BioC JSON share: both readers fill the small BioC tree below, and this
//! module turns it into documents. BioC offsets are document-level, so each passage's text is
//! placed at its offset and `Document::text` is indexed by them directly.
//!
//! BioC says offsets count UTF-8 bytes; PubTator's BioC counts code points and JavaScript tools
//! count UTF-16 units. The unit of a file is the one under which most annotations cover their
//! own text (code points first, then bytes, then UTF-16 on a tie), and every offset is converted
//! to code points.

use std::collections::{BTreeMap, HashSet};

use crate::case;
use crate::formats::pubtator::split_concepts;
use crate::model::{numbered_id, Annotation, Arg, Citation, DateParts, Diagnostic, Document, Passage, Relation};
use crate::offsets::{char_len, CharIndex};

/// An infon as the file gives it; the order is kept because relation arguments follow it.
pub type Infons = Vec<(String, String)>;

#[derive(Default)]
pub struct BiocDocument {
    pub id: Option<String>,
    pub infons: Infons,
    pub passages: Vec<BiocPassage>,
    pub annotations: Vec<BiocAnnotation>,
    pub relations: Vec<BiocRelation>,
    pub line: Option<u32>,
    /// What a wrapper around the document says about the work (PubTator3's pmid, journal, authors).
    pub citation: Citation,
}

#[derive(Default)]
pub struct BiocPassage {
    pub infons: Infons,
    pub offset: Option<usize>,
    pub text: Option<String>,
    pub sentences: Vec<BiocSentence>,
    pub annotations: Vec<BiocAnnotation>,
    pub relations: Vec<BiocRelation>,
    pub line: Option<u32>,
}

#[derive(Default)]
pub struct BiocSentence {
    pub infons: Infons,
    pub offset: Option<usize>,
    pub text: Option<String>,
    pub annotations: Vec<BiocAnnotation>,
    pub relations: Vec<BiocRelation>,
    pub line: Option<u32>,
}

#[derive(Default)]
pub struct BiocAnnotation {
    pub id: Option<String>,
    pub infons: Infons,
    /// `(offset, length)` in the file's unit.
    pub locations: Vec<(usize, usize)>,
    pub text: String,
    pub line: Option<u32>,
}

#[derive(Default)]
pub struct BiocRelation {
    pub id: Option<String>,
    pub infons: Infons,
    /// `(refid, role)`.
    pub nodes: Vec<(String, String)>,
    /// Concept arguments a reader found outside the infons (PubTator3's `role1`/`role2` objects).
    pub concepts: Vec<Arg>,
    pub line: Option<u32>,
}

/// Infon keys that hold normalized identifiers, in the corpora litview has met.
const CONCEPT_KEYS: &[&str] =
    &["identifier", "Identifier", "normalized_id", "MESH", "MeSH", "NCBI Gene", "NCBI Gene identifier", "NCBITaxon"];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Unit {
    CodePoints,
    Bytes,
    Utf16,
}

impl Unit {
    fn len(self, text: &str) -> usize {
        match self {
            Unit::CodePoints => char_len(text),
            Unit::Bytes => text.len(),
            Unit::Utf16 => text.encode_utf16().count(),
        }
    }
}

/// How a file counts its annotation offsets.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Counting {
    unit: Unit,
    /// From the start of the annotation's passage (or sentence) rather than of the document, as
    /// some taggers' output has it (PhenoTagger).
    relative: bool,
}

/// Turns a file's BioC documents into litview documents, deciding the file's offset unit first.
pub fn documents(file: &str, bioc: Vec<BiocDocument>, diagnostics: &mut Vec<Diagnostic>) -> Vec<Document> {
    let counting = decide_counting(file, &bioc, diagnostics);
    bioc.into_iter().map(|document| build(file, document, counting, diagnostics)).collect()
}

fn pieces(document: &BiocDocument) -> impl Iterator<Item = &str> {
    document.passages.iter().flat_map(|passage| {
        passage.text.iter().map(String::as_str).chain(passage.sentences.iter().filter_map(|s| s.text.as_deref()))
    })
}

/// Code points, then bytes, then UTF-16 (each only when the text makes them differ), then the
/// same counted from the passage: the first that makes most annotations cover their text wins.
fn decide_counting(file: &str, bioc: &[BiocDocument], diagnostics: &mut Vec<Diagnostic>) -> Counting {
    let plain = Counting { unit: Unit::CodePoints, relative: false };
    let total: usize = bioc.iter().map(|d| all_annotations(d).count()).sum();
    if total == 0 {
        return plain;
    }
    let non_ascii = bioc.iter().any(|d| pieces(d).any(|text| !text.is_ascii()));
    let astral = bioc.iter().any(|d| pieces(d).any(|text| text.chars().any(|c| c.len_utf16() == 2)));
    let mut units = vec![Unit::CodePoints];
    if non_ascii {
        units.push(Unit::Bytes);
    }
    if astral {
        units.push(Unit::Utf16);
    }
    let mut best = (plain, 0usize);
    for relative in [false, true] {
        if relative && best.1 == total {
            break;
        }
        for &unit in &units {
            let counting = Counting { unit, relative };
            let matches = bioc.iter().map(|document| matches(document, counting)).sum();
            if matches > best.1 {
                best = (counting, matches);
            }
        }
    }
    let (counting, matches) = best;
    let unit = match counting.unit {
        Unit::CodePoints => "characters (code points)",
        Unit::Bytes => "UTF-8 bytes, as the BioC specification says,",
        Unit::Utf16 => "UTF-16 units, as JavaScript tools write them,",
    };
    let message = match (counting.unit, counting.relative) {
        (Unit::CodePoints, false) => return counting,
        (Unit::CodePoints, true) => format!("annotation offsets in this file count from the start of their passage, not of the document: litview converted them ({matches} of {total} annotations cover their text this way)"),
        (_, false) => format!("offsets in this file count {unit} not characters: litview converted them ({matches} of {total} annotations cover their text this way)"),
        (_, true) => format!("annotation offsets in this file count {unit} from the start of their passage: litview converted them ({matches} of {total} annotations cover their text this way)"),
    };
    diagnostics.push(Diagnostic::warning(file, None, message));
    counting
}

fn matches(document: &BiocDocument, counting: Counting) -> usize {
    let assembled = assemble(document, counting.unit, &kinds(document));
    let index = CharIndex::new(&assembled.text);
    all_annotations(document)
        .filter(|&(annotation, base)| {
            let base = if counting.relative { base } else { 0 };
            let covered = spans(annotation, &assembled.map, base).ok().and_then(|spans| covered_text(&index, &spans));
            covered.as_deref() == Some(annotation.text.as_str())
        })
        .count()
}

/// Every annotation of a document with the offset of the passage or sentence it sits in.
fn all_annotations(document: &BiocDocument) -> impl Iterator<Item = (&BiocAnnotation, usize)> {
    document
        .passages
        .iter()
        .flat_map(|p| {
            let base = p.offset.unwrap_or(0);
            p.annotations.iter().map(move |a| (a, base)).chain(
                p.sentences.iter().flat_map(move |s| s.annotations.iter().map(move |a| (a, s.offset.unwrap_or(base)))),
            )
        })
        .chain(document.annotations.iter().map(|a| (a, 0)))
}

/// The kind of each passage: `section_type` (lowercased) or `type`. A document none of whose
/// passages is typed but that has PubTator's shape (a short one-line passage, then one more) is
/// read as title and abstract, as PubTator's own BioC JSON means it.
fn kinds(document: &BiocDocument) -> Vec<String> {
    let typed: Vec<Option<String>> = document
        .passages
        .iter()
        .map(|passage| {
            infon(&passage.infons, "section_type")
                .map(case::lower)
                .or_else(|| infon(&passage.infons, "type").map(str::to_string))
        })
        .collect();
    let untyped = typed.iter().all(Option::is_none);
    let pubtator_shape = untyped
        && document.passages.len() == 2
        && document
            .passages
            .first()
            .and_then(|p| p.text.as_deref())
            .is_some_and(|t| t.len() < 2000 && !t.contains('\n'));
    typed
        .into_iter()
        .enumerate()
        .map(|(i, kind)| match kind {
            Some(kind) => kind,
            None if pubtator_shape => if i == 0 { "title" } else { "abstract" }.to_string(),
            None => "passage".to_string(),
        })
        .collect()
}

fn infon<'a>(infons: &'a Infons, key: &str) -> Option<&'a str> {
    infons.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).filter(|v| !v.trim().is_empty())
}

/// Maps offsets of the file's unit to code points of the assembled text.
enum UnitMap {
    Identity,
    /// Code point of each unit position, `u32::MAX` inside a character; one past the end included.
    Table(Vec<u32>),
}

impl UnitMap {
    fn new(text: &str, unit: Unit) -> Self {
        let mut table = Vec::new();
        match unit {
            Unit::CodePoints => return UnitMap::Identity,
            _ if text.is_ascii() => return UnitMap::Identity,
            Unit::Bytes => {
                table.resize(text.len(), u32::MAX);
                for (chars, (at, _)) in text.char_indices().enumerate() {
                    if let Some(slot) = table.get_mut(at) {
                        *slot = chars as u32;
                    }
                }
            }
            Unit::Utf16 => {
                for (chars, c) in text.chars().enumerate() {
                    table.push(chars as u32);
                    if c.len_utf16() == 2 {
                        table.push(u32::MAX);
                    }
                }
            }
        }
        table.push(char_len(text) as u32);
        UnitMap::Table(table)
    }

    /// The code point at a unit offset; past the end, offsets keep counting so that the
    /// validator can report them as outside the text.
    fn char_at(&self, offset: usize) -> Option<usize> {
        match self {
            UnitMap::Identity => Some(offset),
            UnitMap::Table(table) => match table.get(offset) {
                Some(&u32::MAX) => None,
                Some(&chars) => Some(chars as usize),
                None => {
                    let end = table.len().checked_sub(1)?;
                    let chars = *table.last()? as usize;
                    Some(chars + (offset - end))
                }
            },
        }
    }
}

struct Assembled {
    text: String,
    passages: Vec<Passage>,
    map: UnitMap,
    /// Passages placed after text they should have overlapped: `(line, message)`.
    warnings: Vec<(Option<u32>, String)>,
}

/// Gaps larger than this are not filled: a wild offset must not make litview allocate gigabytes.
const MAX_GAP: usize = 1 << 20;

/// 1. Places each passage's text (or, without it, its sentences' text) at its offset, filling
///    the gap before it: a space after a title, as PubTator counts it, a newline elsewhere.
/// 2. Records each passage's span in code points.
/// 3. Builds the map from the file's unit to code points.
fn assemble(document: &BiocDocument, unit: Unit, kinds: &[String]) -> Assembled {
    let mut text = String::new();
    let mut units = 0usize;
    let mut passages = Vec::new();
    let mut warnings = Vec::new();
    let mut previous_kind: Option<&str> = None;
    for (i, passage) in document.passages.iter().enumerate() {
        let kind = kinds.get(i).map(String::as_str).unwrap_or("passage");
        let mut parts: Vec<(Option<usize>, &str, Option<u32>)> = Vec::new();
        match passage.text.as_deref() {
            Some(t) if !t.is_empty() => parts.push((passage.offset, t, passage.line)),
            _ => {
                for sentence in &passage.sentences {
                    if let Some(t) = sentence.text.as_deref().filter(|t| !t.is_empty()) {
                        parts.push((sentence.offset.or(passage.offset), t, sentence.line));
                    }
                }
            }
        }
        if parts.is_empty() {
            parts.push((passage.offset, "", passage.line));
        }
        let mut start = None;
        for (j, (offset, piece, line)) in parts.into_iter().enumerate() {
            let wanted = offset.unwrap_or(units);
            if wanted > units {
                let mut gap = wanted - units;
                if gap > MAX_GAP {
                    warnings.push((line, format!("a passage starts at offset {wanted}, far beyond the text before it ({units}); placed right after that text")));
                    gap = 1;
                }
                let first = if j > 0 || previous_kind.is_none_or(|k| k == "title") { ' ' } else { '\n' };
                text.push(first);
                text.extend(std::iter::repeat_n(' ', gap - 1));
                units += gap;
            } else if wanted < units && !piece.is_empty() {
                warnings.push((
                    line,
                    format!("a passage starts at offset {wanted}, inside the text before it (which ends at {units}); placed after it, so its annotations may not line up"),
                ));
            }
            if start.is_none() {
                start = Some(char_len(&text));
            }
            text.push_str(piece);
            units += unit.len(piece);
        }
        let start = start.unwrap_or_else(|| char_len(&text));
        let end = char_len(&text);
        let mut infons = BTreeMap::new();
        infons.extend(passage.infons.iter().cloned());
        infons.retain(|_, v: &mut String| !v.is_empty());
        passages.push(Passage { kind: kind.to_string(), start, end, infons });
        previous_kind = Some(kind);
    }
    let map = UnitMap::new(&text, unit);
    Assembled { text, passages, map, warnings }
}

/// An annotation's `[start, end)` pieces in code points.
fn spans(annotation: &BiocAnnotation, map: &UnitMap, base: usize) -> Result<Vec<[usize; 2]>, String> {
    let mut spans = Vec::new();
    for &(offset, length) in &annotation.locations {
        let offset = offset.checked_add(base).ok_or_else(|| format!("location {offset} is too large"))?;
        let end = offset.checked_add(length).ok_or_else(|| format!("location {offset}+{length} is too large"))?;
        match (map.char_at(offset), map.char_at(end)) {
            (Some(s), Some(e)) => spans.push([s, e]),
            _ => return Err(format!("location {offset}–{end} falls inside a character")),
        }
    }
    spans.sort_unstable();
    Ok(spans)
}

fn covered_text(index: &CharIndex, spans: &[[usize; 2]]) -> Option<String> {
    let pieces: Option<Vec<&str>> = spans.iter().map(|&[s, e]| index.slice(s, e)).collect();
    pieces.map(|p| p.join(" "))
}

fn build(file: &str, bioc: BiocDocument, counting: Counting, diagnostics: &mut Vec<Diagnostic>) -> Document {
    let doc_id = bioc.id.clone();
    let mut warn = |line: Option<u32>, message: String| {
        diagnostics.push(Diagnostic::warning(file, line, message).in_document(doc_id.as_deref()));
    };
    let kinds = kinds(&bioc);
    let Assembled { text, passages, map, warnings } = assemble(&bioc, counting.unit, &kinds);
    for (line, message) in warnings {
        warn(line, message);
    }

    // Annotations: those of passages and sentences, then the document's own.
    let mut annotations = Vec::new();
    for (count, (bioc_annotation, base)) in all_annotations(&bioc).enumerate() {
        let base = if counting.relative { base } else { 0 };
        let id = bioc_annotation.id.clone().filter(|id| !id.is_empty()).unwrap_or_else(|| numbered_id('a', count + 1));
        if bioc_annotation.locations.is_empty() {
            warn(
                bioc_annotation.line,
                format!("annotation {id} ('{}') has no location; skipped", bioc_annotation.text),
            );
            continue;
        }
        let spans = match spans(bioc_annotation, &map, base) {
            Ok(spans) => spans,
            Err(why) => {
                warn(bioc_annotation.line, format!("annotation {id} ('{}'): {why}; skipped", bioc_annotation.text));
                continue;
            }
        };
        annotations.push(annotation(id, bioc_annotation, spans));
    }
    let types: HashSet<&str> = annotations.iter().map(|a| a.kind.as_str()).collect();
    let ids: HashSet<&str> = annotations.iter().map(|a| a.id.as_str()).collect();

    let passage_relations = bioc
        .passages
        .iter()
        .flat_map(|p| p.relations.iter().chain(p.sentences.iter().flat_map(|s| s.relations.iter())));
    let relations = passage_relations
        .chain(bioc.relations.iter())
        .enumerate()
        .map(|(count, relation)| self::relation(count, relation, &types, &ids))
        .collect();

    let citation = citation(&bioc, &passages, &text);
    let id = bioc.id.filter(|id| !id.is_empty());
    Document {
        source: crate::model::Source { id, ..Default::default() },
        citation,
        text,
        passages,
        annotations,
        relations,
        references: Vec::new(),
    }
}

fn annotation(id: String, bioc: &BiocAnnotation, spans: Vec<[usize; 2]>) -> Annotation {
    let mut concepts: Vec<String> = Vec::new();
    let mut infons = BTreeMap::new();
    let mut kind = String::new();
    for (key, value) in &bioc.infons {
        if key == "type" && kind.is_empty() {
            kind = value.trim().to_string();
        } else if CONCEPT_KEYS.contains(&key.as_str()) {
            for concept in split_concepts(value) {
                if !concepts.contains(&concept) {
                    concepts.push(concept);
                }
            }
        } else {
            infons.insert(key.clone(), value.clone());
        }
    }
    let (start, end) = (spans.first().map_or(0, |s| s[0]), spans.iter().map(|s| s[1]).max().unwrap_or(0));
    let fragments = (spans.len() > 1).then_some(spans);
    Annotation {
        id,
        start,
        end,
        text: bioc.text.clone(),
        kind,
        concepts,
        fragments,
        infons,
        line: bioc.line,
        ..Annotation::default()
    }
}

/// Arguments come from nodes (mention-level) and from infons that name concepts
/// (document-level: BioRED's `entity1`/`entity2`, BC5CDR's `Chemical`/`Disease`).
fn relation(count: usize, bioc: &BiocRelation, types: &HashSet<&str>, ids: &HashSet<&str>) -> Relation {
    let mut kind = String::new();
    let mut infons = BTreeMap::new();
    let mut concepts = bioc.concepts.clone();
    for (key, value) in &bioc.infons {
        let is_entity = matches!(key.as_str(), "entity1" | "entity2");
        if key == "type" && kind.is_empty() {
            kind = value.trim().to_string();
        } else if is_entity || types.contains(key.as_str()) {
            let entity_type = (!is_entity).then(|| key.clone());
            for concept in split_concepts(value) {
                concepts.push(Arg { concept: Some(concept), kind: entity_type.clone(), ..Arg::default() });
            }
        } else {
            infons.insert(key.clone(), value.clone());
        }
    }
    if kind.is_empty() {
        // BC5CDR names the relation in a `relation` infon (`CID`).
        if let Some(name) = infons.remove("relation") {
            kind = name;
        }
    }
    for (i, arg) in concepts.iter_mut().enumerate() {
        if arg.role.is_empty() {
            arg.role = match i {
                0 => "subject".to_string(),
                1 => "object".to_string(),
                _ => format!("argument {}", i + 1),
            };
        }
    }
    let mut args = concepts;
    let mut loose = Vec::new();
    for (refid, role) in &bioc.nodes {
        if args.iter().any(|a| a.concept.is_some()) && !ids.contains(refid.as_str()) {
            // PubTator3 adds nodes that name no annotation to its concept-level relations.
            loose.push(format!("{refid}:{role}"));
        } else {
            args.push(Arg { role: role.clone(), annotation: Some(refid.clone()), ..Arg::default() });
        }
    }
    if !loose.is_empty() {
        infons.insert("nodes".to_string(), loose.join(" "));
    }
    let id = bioc.id.clone().filter(|id| !id.is_empty()).unwrap_or_else(|| format!("r{}", count + 1));
    Relation { id, kind, args, infons }
}

fn citation(bioc: &BiocDocument, passages: &[Passage], text: &str) -> Citation {
    let mut citation = bioc.citation.clone();
    if citation.title.is_none() {
        let index = CharIndex::new(text);
        citation.title = passages
            .iter()
            .find(|p| p.kind == "title")
            .and_then(|p| index.slice(p.start, p.end))
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
    }
    if citation.pmid.is_none() {
        citation.pmid = bioc.id.clone().filter(|id| is_pmid(id));
    }
    // PMC's BioC puts the article's ids in the document's or the front passage's infons.
    let front = bioc.passages.iter().find(|p| infon(&p.infons, "type") == Some("front"));
    let lookup =
        |key: &str| infon(&bioc.infons, key).or_else(|| front.and_then(|p| infon(&p.infons, key))).map(str::to_string);
    citation.pmid = citation.pmid.or_else(|| lookup("article-id_pmid").filter(|id| is_pmid(id)));
    citation.doi = citation.doi.or_else(|| lookup("article-id_doi")).or_else(|| lookup("doi"));
    citation.pmcid = citation
        .pmcid
        .or_else(|| lookup("article-id_pmc").map(|id| if id.starts_with("PMC") { id } else { format!("PMC{id}") }));
    if citation.issued.is_none() {
        if let Some(year) = front.and_then(|p| infon(&p.infons, "year")).and_then(|y| y.trim().parse().ok()) {
            citation.issued = Some(DateParts::ymd(year, None, None));
        }
    }
    citation
}

/// PMIDs are at most 9 digits; longer numeric ids (figure-caption corpora) are not PMIDs.
pub fn is_pmid(id: &str) -> bool {
    !id.is_empty() && id.len() <= 9 && id.bytes().all(|b| b.is_ascii_digit())
}

/// The first `n` bytes of a text, cut back to a character boundary; sniffers look only there.
pub fn head(text: &str, n: usize) -> &str {
    let mut end = n.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
