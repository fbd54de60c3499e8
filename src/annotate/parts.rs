//! A corpus read by several workers at once, each holding some of its documents: what each one's
//! indexes hand the others, so that all of them recognize mentions and count concepts as one
//! corpus would.
//!
//! A part travels as [`Flat`], one run of bytes: its strings and numbers in the order the reader
//! takes them back. Bytes cross between workers as one copy; the part as lists of strings was a
//! JavaScript string per name in each worker that handled it, and a Rust string per name again
//! in the core that read it, for a corpus's hundred thousand names.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::corpus::{concept_rows, sort_types, tally, ConceptTotals};
use super::{ConceptIndex, ConceptRow, CorpusIndex, TypeCount};
use crate::annotate::mention::Case;

/// Numbers (4 bytes, little-endian) and strings (their length so, then their bytes), written
/// and read in the same order. Parts written one after the other read as one part.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Flat {
    pub bytes: Vec<u8>,
}

/// Reads a [`Flat`] back. A part that ends early reads as empty strings and zeros: a part is
/// made by the core itself, so this guards only against a bug, not against bad input.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes }
    }

    fn take(&mut self, length: usize) -> &'a [u8] {
        let (taken, rest) = self.bytes.split_at(length.min(self.bytes.len()));
        self.bytes = rest;
        taken
    }

    fn string(&mut self) -> &'a str {
        let length = self.number();
        std::str::from_utf8(self.take(length)).unwrap_or_default()
    }

    fn number(&mut self) -> usize {
        let mut word = [0; 4];
        word.copy_from_slice(self.take(4).get(..4).unwrap_or(&[0; 4]));
        u32::from_le_bytes(word) as usize
    }

    /// A number of items to read, each of which takes bytes: never more than the bytes left,
    /// so a damaged part ends rather than counting to four billion.
    fn count(&mut self) -> usize {
        self.number().min(self.bytes.len())
    }

    fn more(&self) -> bool {
        !self.bytes.is_empty()
    }

    /// `(string, number)` pairs, as [`Flat::pairs`] wrote them.
    fn pairs(&mut self) -> Vec<(&'a str, usize)> {
        (0..self.count()).map(|_| (self.string(), self.number())).collect()
    }
}

impl Flat {
    fn number(&mut self, number: usize) {
        self.bytes.extend_from_slice(&u32::try_from(number).unwrap_or(u32::MAX).to_le_bytes());
    }

    fn string(&mut self, string: &str) {
        self.number(string.len());
        self.bytes.extend_from_slice(string.as_bytes());
    }

    fn pairs(&mut self, pairs: &[(&str, usize)]) {
        self.number(pairs.len());
        for &(string, number) in pairs {
            self.string(string);
            self.number(number);
        }
    }
}

impl ConceptIndex {
    /// What this index knows, for the indexes of the corpus's other parts ([`ConceptIndex::absorb`]).
    pub fn part(&self) -> Flat {
        let mut flat = Flat::default();
        for mention in &self.mentions {
            flat.string(&mention.text);
            flat.number(usize::from(mention.case_sensitive) | usize::from(mention.named) << 1);
            flat.number(mention.senses.len());
            for sense in &mention.senses {
                flat.string(&sense.kind);
                flat.number(sense.count);
                flat.number(sense.concepts.len());
                for concept in &sense.concepts {
                    flat.string(concept);
                }
            }
        }
        flat
    }

    /// Adds what other indexes know (their [`ConceptIndex::part`]s), as if their documents had
    /// been added here. Which sense a mention takes does not depend on the order its annotations
    /// were counted in, so every part of a corpus, having absorbed all the others, recognizes
    /// the same mentions.
    pub fn absorb(&mut self, part: &[u8]) {
        let mut reader = Reader::new(part);
        let mut concepts = Vec::new();
        while reader.more() {
            let text = reader.string();
            let flags = reader.number();
            let case = if flags & 1 == 1 { Case::Exact } else { Case::Folded };
            let at = self.entry(text, case);
            for _ in 0..reader.count() {
                let kind = reader.string();
                let count = reader.number();
                concepts.clear();
                concepts.extend((0..reader.count()).map(|_| reader.string()));
                if let Some(indexed) = self.mentions.get_mut(at) {
                    indexed.count += count;
                    indexed.add_sense(kind, &concepts, count);
                }
            }
            if let Some(indexed) = self.mentions.get_mut(at) {
                indexed.named |= flags & 2 == 2;
            }
        }
        self.matcher = Default::default();
    }
}

impl CorpusIndex {
    /// What this index counts, for the [`Overview`] of a corpus in several parts.
    pub fn counts(&self) -> Flat {
        let mut flat = Flat::default();
        let types = self.types();
        flat.number(types.len());
        for row in types {
            flat.string(&row.kind);
            for number in [row.documents, row.mentions, row.inferred] {
                flat.number(number);
            }
        }
        let concepts = self.totals();
        flat.number(concepts.len());
        for totals in concepts {
            flat.string(totals.id);
            for number in [totals.documents, totals.mentions, totals.inferred] {
                flat.number(number);
            }
            flat.pairs(&totals.names);
            flat.pairs(&totals.kinds);
        }
        flat
    }
}

/// The corpus at a glance: its types and its most widespread concepts, the most frequent first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Overview {
    pub types: Vec<TypeCount>,
    pub concepts: Vec<ConceptRow>,
    /// How many concepts the corpus mentions, shown or not.
    pub total_concepts: usize,
}

impl CorpusIndex {
    /// The overview of a corpus of which this index holds a part, and `others` counted the
    /// rest ([`CorpusIndex::counts`] of each, one after the other; empty when this is all).
    /// The parts hold different documents, so their counts of documents add up too. Of the
    /// concepts, the `limit` most widespread are shown.
    pub fn overview(&self, others: &[u8], limit: usize) -> Overview {
        let mut concepts = self.totals();
        let mut types = self.types();
        let mut by_id: FxHashMap<&str, usize> = FxHashMap::default();
        if !others.is_empty() {
            by_id.extend(concepts.iter().enumerate().map(|(at, totals)| (totals.id, at)));
        }
        let mut reader = Reader::new(others);
        while reader.more() {
            for _ in 0..reader.count() {
                let kind = reader.string();
                let [documents, mentions, inferred] = [(); 3].map(|_| reader.number());
                match types.iter_mut().find(|t| t.kind == kind) {
                    Some(sum) => {
                        sum.documents += documents;
                        sum.mentions += mentions;
                        sum.inferred += inferred;
                    }
                    None => types.push(TypeCount { kind: kind.to_string(), documents, mentions, inferred }),
                }
            }
            for _ in 0..reader.count() {
                let totals = ConceptTotals {
                    id: reader.string(),
                    documents: reader.number(),
                    mentions: reader.number(),
                    inferred: reader.number(),
                    names: reader.pairs(),
                    kinds: reader.pairs(),
                };
                let Some(&at) = by_id.get(totals.id) else {
                    by_id.insert(totals.id, concepts.len());
                    concepts.push(totals);
                    continue;
                };
                let Some(sum) = concepts.get_mut(at) else { continue };
                sum.documents += totals.documents;
                sum.mentions += totals.mentions;
                sum.inferred += totals.inferred;
                for (name, count) in totals.names {
                    tally(&mut sum.names, name, count);
                }
                for (kind, count) in totals.kinds {
                    tally(&mut sum.kinds, kind, count);
                }
            }
        }
        sort_types(&mut types);
        let total_concepts = concepts.len();
        Overview { types, concepts: concept_rows(concepts, limit), total_concepts }
    }
}
