//! The page's documents, held compactly, and given back whole as they were parsed.
//!
//! A 100 MB PubTator corpus parses into 70,000 documents and 620,000 annotations. As the model's
//! [`Document`]s, each annotation a struct of some 90 bytes with four or five strings of its own,
//! they took three times the file's size in the page's memory, and the tab more than that. Here
//! an annotation is 24 bytes: its offsets, its type and its concepts as numbers into one table of
//! the corpus's names, and its text as the span of the document's text it covers. A citation's
//! title that repeats a passage is that passage, not a second copy of the text. What does not fit
//! (an id its position does not give, fragments, infons, a text other than its span) is kept
//! beside it, so [`Store::get`] gives back exactly the document that was pushed.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::annotate::Texts;
use crate::model::{numbered_id, pieces, Annotation, Arg, Citation, Document, Origin, Passage, Relation, Source};
use crate::offsets::{CharCursor, CharIndex};
use crate::view::Summary;

/// Every document pushed, in order.
#[derive(Default)]
pub struct Store {
    documents: Vec<Stored>,
    names: Names,
}

/// A short string the corpus repeats (a type, a concept id, a file name), as its number.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Name(u32);

/// The corpus's short strings, each once.
#[derive(Default)]
struct Names {
    numbers: FxHashMap<Box<str>, Name>,
    names: Vec<Box<str>>,
    /// The concept lists of annotations with more than one concept: a length, then the names.
    lists: Vec<Name>,
}

struct Stored {
    file: Name,
    format: Name,
    index: usize,
    id: Option<Box<str>>,
    /// The citation, without its title and abstract, which are kept apart, and without its PMID
    /// when that is the document's id (as in PubTator and BioC); `None` when nothing is left.
    citation: Option<Box<Citation>>,
    pmid_is_id: bool,
    title: Held,
    abstract_text: Held,
    text: Box<str>,
    passages: Box<[StoredPassage]>,
    annotations: Box<[StoredAnnotation]>,
    relations: Box<[StoredRelation]>,
    references: Box<[Citation]>,
}

/// A citation's title or abstract: most repeat a passage of the text, which is then their only
/// copy.
enum Held {
    None,
    /// Bytes of the document's text.
    Span(usize, usize),
    Own(Box<str>),
}

impl Held {
    fn of(field: Option<String>, text: &str, passages: &[Passage], chars: &mut CharCursor) -> Held {
        let Some(field) = field else { return Held::None };
        let span = passages.iter().find_map(|p| {
            let (start, end) = (chars.byte(p.start)?, chars.byte(p.end)?);
            (text.get(start..end) == Some(field.as_str())).then_some(Held::Span(start, end))
        });
        span.unwrap_or_else(|| Held::Own(field.into_boxed_str()))
    }

    fn get<'a>(&'a self, text: &'a str) -> Option<&'a str> {
        match self {
            Held::None => None,
            Held::Span(start, end) => text.get(*start..*end),
            Held::Own(own) => Some(own),
        }
    }
}

struct StoredPassage {
    kind: Name,
    start: usize,
    end: usize,
    infons: BTreeMap<String, String>,
}

struct StoredAnnotation {
    start: usize,
    end: usize,
    kind: Name,
    concepts: Concepts,
    origin: Origin,
    /// What does not fit above. Without an id here, the id is `a` and the annotation's number
    /// from 1, as most readers name them.
    extra: Option<Box<AnnotationExtra>>,
}

/// An annotation of the file's own, one span whose text is what it covers, as a reader holds it
/// ([`Store::push_parts`]).
pub struct AnnotationRef<'a> {
    pub start: usize,
    pub end: usize,
    pub kind: &'a str,
    pub concepts: &'a [&'a str],
    /// `None` when the id is `a` and the annotation's number among those given, from 1, as
    /// most readers name them; else the id, which the store keeps.
    pub id: Option<String>,
    pub infons: BTreeMap<String, String>,
}

/// An annotation's concepts in 4 bytes: none, one name, or where its list starts in
/// [`Names::lists`]. Almost every annotation has one concept or none.
#[derive(Clone, Copy)]
struct Concepts(u32);

const NO_CONCEPT: u32 = u32::MAX;
const LIST: u32 = 1 << 31;

#[derive(Default)]
struct AnnotationExtra {
    id: Option<Box<str>>,
    /// The text the file gives, where it is not the span's (fragments joined, a mismatch kept).
    text: Option<Box<str>>,
    fragments: Option<Vec<[usize; 2]>>,
    infons: BTreeMap<String, String>,
}

struct StoredRelation {
    id: Box<str>,
    kind: Name,
    args: Box<[StoredArg]>,
    infons: BTreeMap<String, String>,
}

struct StoredArg {
    role: Name,
    concept: Option<Name>,
    annotation: Option<Box<str>>,
    kind: Option<Name>,
}

impl Store {
    pub fn new() -> Self {
        Store::default()
    }

    pub fn len(&self) -> usize {
        self.documents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// Adds a document at the end and returns its position.
    pub fn push(&mut self, document: Document) -> usize {
        let stored = self.compact(document);
        self.documents.push(stored);
        self.documents.len() - 1
    }

    /// Adds a document given in two parts, and returns its position: everything but its
    /// annotations, and the annotations as a reader holds them, borrowed from its file. What is
    /// stored is what [`Store::push`] stores of the whole document; no owned annotation is made.
    pub fn push_parts<'a>(
        &mut self,
        rest: Document,
        annotations: impl ExactSizeIterator<Item = AnnotationRef<'a>>,
    ) -> usize {
        let mut stored = self.compact(rest);
        let mut list = Vec::with_capacity(annotations.len());
        for annotation in annotations {
            let id = annotation.id;
            let has_extra = id.is_some() || !annotation.infons.is_empty();
            list.push(StoredAnnotation {
                start: annotation.start,
                end: annotation.end,
                kind: self.names.name(annotation.kind),
                concepts: self.names.concepts(annotation.concepts),
                origin: Origin::Source,
                extra: has_extra.then(|| {
                    let id = id.map(String::into_boxed_str);
                    Box::new(AnnotationExtra { id, infons: annotation.infons, ..AnnotationExtra::default() })
                }),
            });
        }
        stored.annotations = list.into_boxed_slice();
        self.documents.push(stored);
        self.documents.len() - 1
    }

    /// The document at `position`, whole, as it was pushed (an annotation's `line`, which only
    /// diagnostics read, is not kept).
    pub fn get(&self, position: usize) -> Option<Document> {
        let stored = self.documents.get(position)?;
        Some(self.expand(stored))
    }

    /// Adds `by` to the position in their file of `count` documents from `first` on: they were
    /// read from the middle of a file, by a worker that did not know how many came before.
    pub fn shift_indices(&mut self, first: usize, count: usize, by: usize) {
        for stored in self.documents.iter_mut().skip(first).take(count) {
            stored.index += by;
        }
    }

    /// The readable text of the document at `position`.
    pub fn text(&self, position: usize) -> Option<&str> {
        self.documents.get(position).map(|d| &*d.text)
    }

    /// The spans of the annotations the document's file carries (fragments one by one), in
    /// code points of its text.
    pub fn own_spans(&self, position: usize) -> impl Iterator<Item = [usize; 2]> + '_ {
        let annotations = self.documents.get(position).map_or(&[][..], |d| &d.annotations[..]);
        annotations
            .iter()
            .filter(|a| a.origin != Origin::Inferred)
            .flat_map(|a| pieces(a.start, a.end, a.extra.as_ref().and_then(|e| e.fragments.as_deref())))
    }

    /// The document list's row for the document at `position`, read from the store as it is:
    /// the list asks for rows at every scroll.
    pub fn summary(&self, position: usize) -> Option<Summary> {
        let stored = self.documents.get(position)?;
        let source = [self.names.text(stored.file), self.names.text(stored.format)];
        let counts = (stored.annotations.len(), stored.relations.len());
        Some(Summary::new(stored.title.get(&stored.text), &stored.text, source, stored.id.as_deref(), counts))
    }

    /// The citation of the document at `position`.
    pub fn citation(&self, position: usize) -> Option<Citation> {
        let stored = self.documents.get(position)?;
        Some(citation_of(stored))
    }

    fn compact(&mut self, document: Document) -> Stored {
        let Document { source, mut citation, text, passages, annotations, relations, references } = document;
        let mut chars = CharCursor::new(&text);
        let title = Held::of(citation.title.take(), &text, &passages, &mut chars);
        let abstract_text = Held::of(citation.abstract_text.take(), &text, &passages, &mut chars);
        let pmid_is_id = citation.pmid.is_some() && citation.pmid == source.id;
        if pmid_is_id {
            citation.pmid = None;
        }
        let citation = (!citation.is_empty()).then(|| Box::new(citation));

        let mut position = 0..;
        let annotations =
            compacted(annotations, |a| self.compact_annotation(position.next().unwrap_or_default(), a, &mut chars));
        let passages = compacted(passages, |p| StoredPassage {
            kind: self.names.name(&p.kind),
            start: p.start,
            end: p.end,
            infons: p.infons,
        });
        let relations = compacted(relations, |r| self.compact_relation(r));
        Stored {
            file: self.names.name(&source.file),
            format: self.names.name(&source.format),
            index: source.index,
            id: source.id.map(String::into_boxed_str),
            citation,
            pmid_is_id,
            title,
            abstract_text,
            passages,
            annotations,
            relations,
            references: references.into_boxed_slice(),
            text: text.into_boxed_str(),
        }
    }

    fn compact_annotation(
        &mut self,
        position: usize,
        annotation: Annotation,
        chars: &mut CharCursor,
    ) -> StoredAnnotation {
        let Annotation { id, start, end, text, kind, concepts, origin, fragments, infons, line: _ } = annotation;
        let mut extra = AnnotationExtra::default();
        if !is_numbered(&id, position) {
            extra.id = Some(id.into_boxed_str());
        }
        if fragments.is_some() || chars.slice(start, end) != Some(text.as_str()) {
            extra.text = Some(text.into_boxed_str());
        }
        extra.fragments = fragments;
        extra.infons = infons;
        let has_extra =
            extra.id.is_some() || extra.text.is_some() || extra.fragments.is_some() || !extra.infons.is_empty();
        StoredAnnotation {
            start,
            end,
            kind: self.names.name(&kind),
            concepts: self.names.concepts(&concepts),
            origin,
            extra: has_extra.then(|| Box::new(extra)),
        }
    }

    fn compact_relation(&mut self, relation: Relation) -> StoredRelation {
        let args = relation
            .args
            .into_iter()
            .map(|a| StoredArg {
                role: self.names.name(&a.role),
                concept: a.concept.map(|c| self.names.name(&c)),
                annotation: a.annotation.map(String::into_boxed_str),
                kind: a.kind.map(|k| self.names.name(&k)),
            })
            .collect::<Vec<_>>();
        StoredRelation {
            id: relation.id.into_boxed_str(),
            kind: self.names.name(&relation.kind),
            args: args.into_boxed_slice(),
            infons: relation.infons,
        }
    }

    fn expand(&self, stored: &Stored) -> Document {
        let names = &self.names;
        let chars = CharIndex::new(&stored.text);
        let annotations = stored.annotations.iter().enumerate().map(|(i, a)| {
            let extra = a.extra.as_deref();
            let id = match extra.and_then(|e| e.id.as_deref()) {
                Some(id) => id.to_string(),
                None => numbered_id('a', i + 1),
            };
            let text = match extra.and_then(|e| e.text.as_deref()) {
                Some(text) => text,
                None => chars.slice(a.start, a.end).unwrap_or_default(),
            };
            Annotation {
                id,
                start: a.start,
                end: a.end,
                text: text.to_string(),
                kind: names.text(a.kind).to_string(),
                concepts: names.concept_list(a.concepts),
                origin: a.origin,
                fragments: extra.and_then(|e| e.fragments.clone()),
                infons: extra.map(|e| e.infons.clone()).unwrap_or_default(),
                line: None,
            }
        });
        let relations = stored.relations.iter().map(|r| Relation {
            id: r.id.to_string(),
            kind: names.text(r.kind).to_string(),
            args: r
                .args
                .iter()
                .map(|a| Arg {
                    role: names.text(a.role).to_string(),
                    concept: a.concept.map(|c| names.text(c).to_string()),
                    annotation: a.annotation.as_deref().map(str::to_string),
                    kind: a.kind.map(|k| names.text(k).to_string()),
                })
                .collect(),
            infons: r.infons.clone(),
        });
        Document {
            source: Source {
                file: names.text(stored.file).to_string(),
                format: names.text(stored.format).to_string(),
                index: stored.index,
                id: stored.id.as_deref().map(str::to_string),
            },
            citation: citation_of(stored),
            text: stored.text.to_string(),
            passages: stored
                .passages
                .iter()
                .map(|p| Passage {
                    kind: names.text(p.kind).to_string(),
                    start: p.start,
                    end: p.end,
                    infons: p.infons.clone(),
                })
                .collect(),
            annotations: annotations.collect(),
            relations: relations.collect(),
            references: stored.references.to_vec(),
        }
    }
}

fn citation_of(stored: &Stored) -> Citation {
    let mut citation = stored.citation.as_deref().cloned().unwrap_or_default();
    if stored.pmid_is_id {
        citation.pmid = stored.id.as_deref().map(str::to_string);
    }
    citation.title = stored.title.get(&stored.text).map(str::to_string);
    citation.abstract_text = stored.abstract_text.get(&stored.text).map(str::to_string);
    citation
}

/// The items made compact, in a slice of the exact size. Collecting would reuse the parsed
/// items' larger allocation, and boxing the slice would then copy it into one that fits.
fn compacted<T, U>(items: Vec<T>, compact: impl FnMut(T) -> U) -> Box<[U]> {
    let mut list = Vec::with_capacity(items.len());
    list.extend(items.into_iter().map(compact));
    list.into_boxed_slice()
}

/// Whether `id` is the one most readers give the annotation at `position` (`a1`, `a2`, ...:
/// [`numbered_id`]), told without making it: this runs for every annotation read.
fn is_numbered(id: &str, position: usize) -> bool {
    let Some(digits) = id.strip_prefix('a') else { return false };
    !digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit())
        && digits.parse::<usize>().ok().is_some_and(|n| Some(n) == position.checked_add(1))
}

impl Names {
    fn name(&mut self, text: &str) -> Name {
        if let Some(&name) = self.numbers.get(text) {
            return name;
        }
        // Two billion distinct names cannot fit in the page's 4 GB of memory. Past that many
        // (a native store only), later names would all read back as the last one that fits.
        let name = Name(u32::try_from(self.names.len()).unwrap_or(u32::MAX - 1).min(LIST - 1));
        self.numbers.insert(text.into(), name);
        self.names.push(text.into());
        name
    }

    fn text(&self, name: Name) -> &str {
        self.names.get(name.0 as usize).map_or("", |n| n)
    }

    fn concepts(&mut self, concepts: &[impl AsRef<str>]) -> Concepts {
        match concepts {
            [] => Concepts(NO_CONCEPT),
            [one] => Concepts(self.name(one.as_ref()).0),
            many => {
                let at = self.lists.len();
                let length = Name(u32::try_from(many.len()).unwrap_or(u32::MAX));
                self.lists.push(length);
                for concept in many {
                    let name = self.name(concept.as_ref());
                    self.lists.push(name);
                }
                Concepts(u32::try_from(at).map_or(NO_CONCEPT, |at| at | LIST))
            }
        }
    }

    fn concept_list(&self, concepts: Concepts) -> Vec<String> {
        match concepts.0 {
            NO_CONCEPT => Vec::new(),
            list if list & LIST != 0 => {
                let at = (list & !LIST) as usize;
                let length = self.lists.get(at).map_or(0, |n| n.0 as usize);
                let names = self.lists.get(at + 1..at + 1 + length).unwrap_or_default();
                names.iter().map(|&n| self.text(n).to_string()).collect()
            }
            one => vec![self.text(Name(one)).to_string()],
        }
    }
}

impl Texts for Store {
    fn title_and_text(&self, position: usize) -> Option<(&str, &str)> {
        let stored = self.documents.get(position)?;
        Some((stored.title.get(&stored.text).unwrap_or_default(), &stored.text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_numbered_id_is_left_to_be_made_again() {
        assert!(is_numbered("a1", 0));
        assert!(is_numbered("a120", 119));
        for (id, position) in [("a01", 0), ("a+1", 0), ("a", 0), ("b1", 0), ("a2", 0), ("a1 ", 0), ("A1", 0)] {
            assert!(!is_numbered(id, position), "{id} at {position}");
        }
        assert!(!is_numbered("a18446744073709551616", usize::MAX));
    }
}
