//! The loaded corpus at a glance: which concepts and types its documents mention, and which
//! documents mention what. Each document is summarized once, as it is added (a few numbers per
//! concept it mentions, no copy of its text); a search for words reads the documents themselves.

use std::borrow::Borrow;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::trie::{self, Trie};
use super::{ConceptIndex, Inferred};
use crate::case;
use crate::model::{Document, Origin};

/// Documents are numbered by their position in the corpus, the order they were added in.
#[derive(Default)]
pub struct CorpusIndex {
    documents: Vec<Summary>,
    concept_ids: Interner,
    names: Interner,
    kinds: Interner,
}

/// One row of the concept table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConceptRow {
    pub id: String,
    /// The type it is most often annotated with.
    #[serde(rename = "type")]
    pub kind: String,
    /// The texts that mention it, the most frequent first.
    pub names: Vec<NameCount>,
    pub documents: usize,
    /// Mentions in all, inferred ones included.
    pub mentions: usize,
    /// Of those, how many litview inferred.
    pub inferred: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NameCount {
    pub name: String,
    pub count: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TypeCount {
    #[serde(rename = "type")]
    pub kind: String,
    pub documents: usize,
    pub mentions: usize,
    pub inferred: usize,
}

/// What a search for words reads of the documents: each one's title and text, by position.
pub trait Texts {
    fn title_and_text(&self, position: usize) -> Option<(&str, &str)>;
}

impl<D: Borrow<Document>> Texts for [D] {
    fn title_and_text(&self, position: usize) -> Option<(&str, &str)> {
        let document = self.get(position)?.borrow();
        Some((document.citation.title.as_deref().unwrap_or_default(), &document.text))
    }
}

impl<D: Borrow<Document>> Texts for Vec<D> {
    fn title_and_text(&self, position: usize) -> Option<(&str, &str)> {
        self.as_slice().title_and_text(position)
    }
}

/// What to look for; every part given must hold. Deserializes from the page's
/// `{"text": "...", "concepts": ["MESH:D054198"], "type": "Chemical"}`, each part optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Query {
    /// Words that must all occur in the title or the text, in any case.
    #[serde(default)]
    pub text: String,
    /// Concept ids the document must all mention.
    #[serde(default)]
    pub concepts: Vec<String>,
    /// A type the document must have a mention of.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// One document's mentions, counted by (concept, name, type, origin) in that order, and by type
/// alone (a mention without a concept counts there only). Ids are the index's interned ones.
#[derive(Default)]
struct Summary {
    counts: Vec<Count>,
    kinds: Vec<KindCount>,
}

/// What recognition counted in a document: its counts of recognized mentions (by concept,
/// name and type) and its types' (which also hold mentions with no concept).
struct Recognized {
    counts: Vec<Count>,
    kinds: Vec<(usize, usize)>,
}

impl Recognized {
    fn of(summary: &Summary) -> Self {
        Recognized {
            counts: summary.counts.iter().filter(|c| c.inferred).copied().collect(),
            kinds: summary.kinds.iter().filter(|k| k.inferred > 0).map(|k| (k.kind, k.inferred)).collect(),
        }
    }
}

impl PartialEq for Recognized {
    /// Counts come in the order their mentions were found, which the same mentions repeat;
    /// a type's row may move (it stays where the file's own annotations put it).
    fn eq(&self, other: &Self) -> bool {
        self.counts == other.counts
            && self.kinds.len() == other.kinds.len()
            && self.kinds.iter().all(|kind| other.kinds.contains(kind))
    }
}

#[derive(Clone, Copy, PartialEq)]
struct Count {
    concept: usize,
    name: usize,
    kind: usize,
    inferred: bool,
    mentions: usize,
}

#[derive(Clone, Copy)]
struct KindCount {
    kind: usize,
    mentions: usize,
    inferred: usize,
}

impl Summary {
    fn mentions(&self, concept: usize) -> bool {
        self.counts.iter().any(|c| c.concept == concept)
    }

    fn has_kind(&self, kind: usize) -> bool {
        self.kinds.iter().any(|k| k.kind == kind)
    }
}

/// What a summary counts of an annotation, held or recognized.
struct Mention<'a> {
    text: &'a str,
    kind: &'a str,
    concepts: &'a [&'a str],
    inferred: bool,
}

/// A mention's name, type and concepts, as their numbers in a [`CorpusIndex`].
#[derive(Default)]
struct Numbered {
    name: usize,
    kind: usize,
    concepts: Vec<usize>,
}

/// The names [`CorpusIndex::update_inferred`] numbered for the mentions of one
/// [`ConceptIndex`], by their position in it. Only good for that index as it is, and for the
/// corpus index that numbered them.
#[derive(Default)]
pub struct SeenNames(FxHashMap<usize, Numbered>);

/// A list's concepts, each once, in order.
fn distinct<'a>(concepts: &'a [&'a str]) -> impl Iterator<Item = &'a str> {
    concepts
        .iter()
        .enumerate()
        .filter(|&(i, concept)| !concepts.get(..i).is_some_and(|before| before.contains(concept)))
        .map(|(_, &concept)| concept)
}

/// Counts one mention into a document's summary.
fn count(summary: &mut Summary, mention: &Numbered, inferred: bool) {
    let Summary { counts, kinds } = summary;
    let &Numbered { name, kind, .. } = mention;
    match kinds.iter_mut().find(|k| k.kind == kind) {
        Some(row) => {
            row.mentions += 1;
            row.inferred += usize::from(inferred);
        }
        None => kinds.push(KindCount { kind, mentions: 1, inferred: usize::from(inferred) }),
    }
    for &concept in &mention.concepts {
        // A document has a few dozen distinct (concept, name, type, origin): a short list is
        // searched faster than a map is built.
        let key = (concept, name, kind, inferred);
        match counts.iter_mut().find(|c| (c.concept, c.name, c.kind, c.inferred) == key) {
            Some(count) => count.mentions += 1,
            None => counts.push(Count { concept, name, kind, inferred, mentions: 1 }),
        }
    }
}

/// Exact sizes: a corpus has one summary per document, each built by pushing.
fn shrink(summary: &mut Summary) {
    summary.counts.shrink_to_fit();
    summary.kinds.shrink_to_fit();
}

/// A concept's counts over some documents: what [`ConceptRow`] is made from, and what the
/// workers that each read part of a corpus add up ([`super::Overview`]). Its strings are the
/// index's own, or a part's: a corpus has tens of thousands of concepts, and the overview
/// shows a few hundred.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConceptTotals<'a> {
    pub id: &'a str,
    pub documents: usize,
    pub mentions: usize,
    pub inferred: usize,
    /// The texts that mention it, and the types it is annotated with, each with its count.
    pub names: Vec<(&'a str, usize)>,
    pub kinds: Vec<(&'a str, usize)>,
}

/// The concept table's first `limit` rows: the most widespread concepts first (documents, then
/// mentions).
pub(super) fn concept_rows(mut totals: Vec<ConceptTotals>, limit: usize) -> Vec<ConceptRow> {
    totals.sort_unstable_by(|a, b| {
        b.documents.cmp(&a.documents).then(b.mentions.cmp(&a.mentions)).then_with(|| a.id.cmp(b.id))
    });
    totals.truncate(limit);
    totals
        .into_iter()
        .map(|totals| {
            let mut names: Vec<NameCount> =
                totals.names.iter().map(|&(name, count)| NameCount { name: name.to_string(), count }).collect();
            insertion_sort(&mut names, |a, b| a.count > b.count || (a.count == b.count && a.name < b.name));
            // The most frequent type; between equals, the first in the alphabet.
            let mut kind: Option<(usize, &str)> = None;
            for &(name, count) in &totals.kinds {
                if kind.is_none_or(|(best, best_name)| count > best || (count == best && name < best_name)) {
                    kind = Some((count, name));
                }
            }
            ConceptRow {
                id: totals.id.to_string(),
                kind: kind.map(|(_, name)| name.to_string()).unwrap_or_default(),
                names,
                documents: totals.documents,
                mentions: totals.mentions,
                inferred: totals.inferred,
            }
        })
        .collect()
}

/// Sorts the corpus's types: the most frequent first.
pub(super) fn sort_types(rows: &mut [TypeCount]) {
    insertion_sort(rows, |a, b| a.mentions > b.mentions || (a.mentions == b.mentions && a.kind < b.kind));
}

/// For the short lists (a concept's names, the corpus's types): each instance of the standard
/// library's sorts costs the page kilobytes, this one a few hundred bytes.
fn insertion_sort<T>(list: &mut [T], goes_before: impl Fn(&T, &T) -> bool) {
    for i in 1..list.len() {
        let mut at = i;
        while at > 0 && list.get(at).zip(list.get(at - 1)).is_some_and(|(a, b)| goes_before(a, b)) {
            list.swap(at, at - 1);
            at -= 1;
        }
    }
}

/// Adds `count` to the entry for `key` in a short list (a concept has a handful of names).
pub(super) fn tally<K: PartialEq>(list: &mut Vec<(K, usize)>, key: K, count: usize) {
    match list.iter_mut().find(|(k, _)| *k == key) {
        Some((_, total)) => *total += count,
        None => list.push((key, count)),
    }
}

#[derive(Default)]
struct Interner {
    ids: FxHashMap<String, usize>,
    names: Vec<String>,
}

impl Interner {
    fn intern(&mut self, name: &str) -> usize {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len();
        self.ids.insert(name.to_string(), id);
        self.names.push(name.to_string());
        id
    }

    fn get(&self, name: &str) -> Option<usize> {
        self.ids.get(name).copied()
    }

    fn name(&self, id: usize) -> &str {
        self.names.get(id).map_or("", String::as_str)
    }
}

impl CorpusIndex {
    pub fn new() -> Self {
        CorpusIndex::default()
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// Adds a document at the end of the corpus and returns its position.
    pub fn push(&mut self, document: &Document) -> usize {
        let summary = self.summarize(document);
        self.documents.push(summary);
        self.documents.len() - 1
    }

    /// Summarizes the document at `position` again with the mentions `concepts` recognizes in
    /// its `text` ([`super::find_inferred`]), in place of those recognized before. The document
    /// need not hold them: the page keeps them out of its documents, where each would be a whole
    /// annotation, and makes them when one is shown. Returns whether the counts changed: the
    /// same number of mentions may now count as another type or concept, once other files
    /// annotate the mention otherwise (false too when there is no such position).
    ///
    /// `seen` keeps the numbers of the names counted, for the next document updated from the
    /// same `concepts`: a corpus recognizes its few thousand mentions hundreds of thousands of
    /// times, and numbering their names anew each time was over half of the time it took.
    pub fn update_inferred(
        &mut self,
        position: usize,
        text: &str,
        concepts: &ConceptIndex,
        inferred: &[Inferred],
        seen: &mut SeenNames,
    ) -> bool {
        let Some(mut summary) = self.documents.get_mut(position).map(std::mem::take) else { return false };
        let before = Recognized::of(&summary);
        summary.counts.retain(|c| !c.inferred);
        for kind in &mut summary.kinds {
            kind.mentions -= kind.inferred;
            kind.inferred = 0;
        }
        summary.kinds.retain(|k| k.mentions > 0);
        for found in inferred {
            let [from, to] = found.bytes;
            let (Some(sense), Some(text)) =
                (concepts.mentions().get(found.mention).and_then(|m| m.sense()), text.get(from..to))
            else {
                continue;
            };
            if let Some(numbered) = seen.0.get(&found.mention).filter(|n| self.names.name(n.name) == text) {
                count(&mut summary, numbered, true);
                continue;
            }
            let mut numbered = Numbered::default();
            let concepts: Vec<&str> = sense.concepts.iter().map(String::as_str).collect();
            let mention = Mention { text, kind: &sense.kind, concepts: &concepts, inferred: true };
            self.number_into(&mention, &mut numbered);
            count(&mut summary, &numbered, true);
            seen.0.insert(found.mention, numbered);
        }
        shrink(&mut summary);
        let changed = Recognized::of(&summary) != before;
        if let Some(slot) = self.documents.get_mut(position) {
            *slot = summary;
        }
        changed
    }

    /// Removes the document at `position`; those after it move up by one.
    pub fn remove(&mut self, position: usize) -> bool {
        if position < self.documents.len() {
            self.documents.remove(position);
            true
        } else {
            false
        }
    }

    fn summarize(&mut self, document: &Document) -> Summary {
        // Every annotation's concepts, one run after the other, as the counting reads them.
        let concepts: Vec<&str> =
            document.annotations.iter().flat_map(|a| a.concepts.iter().map(String::as_str)).collect();
        let mut from = 0;
        let mentions = document.annotations.iter().map(|annotation| {
            let to = from + annotation.concepts.len();
            let mention = Mention {
                text: &annotation.text,
                kind: &annotation.kind,
                concepts: concepts.get(from..to).unwrap_or_default(),
                inferred: annotation.origin == Origin::Inferred,
            };
            from = to;
            mention
        });
        let mut summary = Summary::default();
        self.count_into(&mut summary, mentions);
        summary
    }

    /// Adds a document at the end of the corpus from its file's own annotations as a reader holds
    /// them, each its text, type and concepts: the same summary as [`CorpusIndex::push`] of the
    /// document they are the annotations of. Returns its position.
    pub fn push_mentions<'a>(&mut self, mentions: impl Iterator<Item = (&'a str, &'a str, &'a [&'a str])>) -> usize {
        let mut summary = Summary::default();
        let mentions = mentions.map(|(text, kind, concepts)| Mention { text, kind, concepts, inferred: false });
        self.count_into(&mut summary, mentions);
        self.documents.push(summary);
        self.documents.len() - 1
    }

    /// Adds the mentions to the summary's counts.
    fn count_into<'a>(&mut self, summary: &mut Summary, mentions: impl Iterator<Item = Mention<'a>>) {
        let mut numbered = Numbered::default();
        for mention in mentions {
            self.number_into(&mention, &mut numbered);
            count(summary, &numbered, mention.inferred);
        }
        shrink(summary);
    }

    /// Numbers the mention's name, type and concepts into `numbered`, whose list of concepts is
    /// reused: the summaries of a corpus number every one of its annotations.
    fn number_into(&mut self, mention: &Mention, numbered: &mut Numbered) {
        numbered.name = self.names.intern(mention.text);
        numbered.kind = self.kinds.intern(mention.kind);
        numbered.concepts.clear();
        numbered.concepts.extend(distinct(mention.concepts).map(|c| self.concept_ids.intern(c)));
    }

    /// Every concept the corpus mentions: the most widespread first (documents, then mentions).
    pub fn concepts(&self) -> Vec<ConceptRow> {
        concept_rows(self.totals(), usize::MAX)
    }

    /// Each concept's counts over the corpus, by name, in no order.
    pub(super) fn totals(&self) -> Vec<ConceptTotals<'_>> {
        #[derive(Clone, Default)]
        struct Totals {
            documents: usize,
            /// The last document counted in `documents`, plus one.
            last: usize,
            mentions: usize,
            inferred: usize,
            names: Vec<(usize, usize)>,
            kinds: Vec<(usize, usize)>,
        }
        let mut totals: Vec<Totals> = vec![Totals::default(); self.concept_ids.names.len()];
        for (position, summary) in self.documents.iter().enumerate() {
            for count in &summary.counts {
                let Some(row) = totals.get_mut(count.concept) else { continue };
                if row.last != position + 1 {
                    row.documents += 1;
                    row.last = position + 1;
                }
                row.mentions += count.mentions;
                if count.inferred {
                    row.inferred += count.mentions;
                }
                tally(&mut row.names, count.name, count.mentions);
                tally(&mut row.kinds, count.kind, count.mentions);
            }
        }
        fn named(interner: &Interner, list: Vec<(usize, usize)>) -> Vec<(&str, usize)> {
            list.into_iter().map(|(id, count)| (interner.name(id), count)).collect()
        }
        totals
            .into_iter()
            .enumerate()
            .filter(|(_, totals)| totals.mentions > 0)
            .map(|(concept, totals)| ConceptTotals {
                id: self.concept_ids.name(concept),
                documents: totals.documents,
                mentions: totals.mentions,
                inferred: totals.inferred,
                names: named(&self.names, totals.names),
                kinds: named(&self.kinds, totals.kinds),
            })
            .collect()
    }

    /// Mentions by type across the corpus, the most frequent first.
    pub fn types(&self) -> Vec<TypeCount> {
        let mut rows: Vec<TypeCount> = self
            .kinds
            .names
            .iter()
            .map(|kind| TypeCount { kind: kind.clone(), documents: 0, mentions: 0, inferred: 0 })
            .collect();
        for kind in self.documents.iter().flat_map(|summary| &summary.kinds) {
            let Some(row) = rows.get_mut(kind.kind) else { continue };
            row.documents += 1;
            row.mentions += kind.mentions;
            row.inferred += kind.inferred;
        }
        rows.retain(|row| row.documents > 0);
        sort_types(&mut rows);
        rows
    }

    /// Positions of the documents that match every part of `query`, in corpus order.
    /// `documents` is the corpus in the same order; the words of `query.text` are looked for in
    /// each document's title and text.
    pub fn search(&self, documents: &(impl Texts + ?Sized), query: &Query) -> Vec<usize> {
        let concepts: Option<Vec<usize>> = query.concepts.iter().map(|id| self.concept_ids.get(id.trim())).collect();
        let Some(concepts) = concepts else { return Vec::new() };
        let kind = match query.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            Some(kind) => match self.kinds.get(kind) {
                Some(kind) => Some(kind),
                None => return Vec::new(),
            },
            None => None,
        };
        let words = Words::new(&query.text);
        self.documents
            .iter()
            .enumerate()
            .filter(|(_, summary)| concepts.iter().all(|&c| summary.mentions(c)))
            .filter(|(_, summary)| kind.is_none_or(|k| summary.has_kind(k)))
            .filter(|(position, _)| {
                words.as_ref().is_none_or(|words| {
                    documents.title_and_text(*position).is_some_and(|(title, text)| words.all_in(title, text))
                })
            })
            .map(|(position, _)| position)
            .collect()
    }
}

/// The words of a free-text query, found in any case: ASCII case by the automaton, other
/// letters by lowercasing the text first, only when a word has such letters.
struct Words {
    count: usize,
    trie: Trie,
    unicode: bool,
}

impl Words {
    fn new(query: &str) -> Option<Words> {
        let mut words: Vec<String> = Vec::new();
        for word in query.split_whitespace().map(case::lower) {
            if !words.contains(&word) {
                words.push(word);
            }
        }
        if words.is_empty() {
            return None;
        }
        let unicode = words.iter().any(|w| !w.is_ascii());
        let mut trie = Trie::new();
        for (id, word) in words.iter().enumerate() {
            trie.insert(word.as_bytes(), id as u32);
        }
        trie.finish();
        Some(Words { count: words.len(), trie, unicode })
    }

    /// Whether every word occurs in the title or the text, anywhere, in any case.
    fn all_in(&self, title: &str, text: &str) -> bool {
        let mut found = vec![false; self.count];
        for text in [title, text] {
            let lowered;
            let text = if self.unicode {
                lowered = case::lower(text);
                lowered.as_str()
            } else {
                text
            };
            let bytes = text.as_bytes();
            for (start, &byte) in bytes.iter().enumerate() {
                if !self.trie.starts_with(byte) {
                    continue;
                }
                let mut state = trie::ROOT;
                for &byte in bytes.get(start..).unwrap_or_default() {
                    let Some(next) = self.trie.step(state, byte) else { break };
                    state = next;
                    for word in self.trie.patterns(state) {
                        if let Some(slot) = found.get_mut(word as usize) {
                            *slot = true;
                        }
                    }
                }
            }
        }
        found.iter().all(|&f| f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Annotation;

    fn document(title: &str, text: &str, mentions: &[(&str, &str, &[&str], Origin)]) -> Document {
        let mut document = Document { text: text.into(), ..Document::default() };
        document.citation.title = Some(title.into());
        for (i, (mention, kind, concepts, origin)) in mentions.iter().enumerate() {
            document.annotations.push(Annotation {
                id: format!("a{i}"),
                text: mention.to_string(),
                kind: kind.to_string(),
                concepts: concepts.iter().map(|c| c.to_string()).collect(),
                origin: *origin,
                ..Annotation::default()
            });
        }
        document
    }

    #[test]
    fn counts_concepts_types_and_finds_documents() {
        let source = Origin::Source;
        let documents = vec![
            document(
                "Blinatumomab in ALL",
                "blinatumomab for leukemia",
                &[
                    ("blinatumomab", "Chemical", &["C1"], source),
                    ("leukemia", "Disease", &["D1"], source),
                    ("Blinatumomab", "Chemical", &["C1"], source),
                ],
            ),
            document("Ménière's disease", "Vertigo in ÉTÉ", &[("vertigo", "Disease", &["D2"], source)]),
            document("CAR T cells", "leukemia again", &[("leukemia", "Disease", &["D1"], Origin::Inferred)]),
        ];
        let mut index = CorpusIndex::new();
        for d in &documents {
            index.push(d);
        }
        let concepts = index.concepts();
        assert_eq!(concepts[0].id, "D1");
        assert_eq!((concepts[0].documents, concepts[0].mentions, concepts[0].inferred), (2, 2, 1));
        let c1 = concepts.iter().find(|c| c.id == "C1").unwrap();
        assert_eq!(c1.kind, "Chemical");
        assert_eq!(c1.names.len(), 2);
        let types = index.types();
        assert_eq!(types[0], TypeCount { kind: "Disease".into(), documents: 3, mentions: 3, inferred: 1 });

        let search = |query: Query| index.search(&documents, &query);
        assert_eq!(search(Query { concepts: vec!["D1".into()], ..Query::default() }), [0, 2]);
        assert_eq!(search(Query { concepts: vec!["D1".into(), "C1".into()], ..Query::default() }), [0]);
        assert_eq!(search(Query { concepts: vec!["nope".into()], ..Query::default() }), Vec::<usize>::new());
        assert_eq!(search(Query { kind: Some("Chemical".into()), ..Query::default() }), [0]);
        assert_eq!(search(Query { text: "LEUKEMIA".into(), ..Query::default() }), [0, 2]);
        assert_eq!(search(Query { text: "ménière été".into(), ..Query::default() }), [1]);
        assert_eq!(search(Query { text: "car leukemia".into(), ..Query::default() }), [2]);
        assert_eq!(search(Query::default()), [0, 1, 2]);

        index.remove(0);
        assert_eq!(index.search(&documents[1..], &Query { concepts: vec!["D1".into()], ..Query::default() }), [1]);
    }
}
