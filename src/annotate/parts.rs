//! A corpus read by several workers at once, each holding some of its documents: what each one's
//! indexes hand the others, so that all of them recognize mentions and count concepts as one
//! corpus would.
//!
//! A part travels as [`Flat`]: its strings and its numbers, each in one list, in the order the
//! reader takes them back. The page's core has no JSON reader for these types: each costs it
//! kilobytes, and the lists cross into JavaScript as they are.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::corpus::{concept_rows, sort_types, ConceptTotals};
use super::{ConceptIndex, ConceptRow, CorpusIndex, TypeCount};
use crate::annotate::mention::Case;

/// Strings and numbers, written and read in the same order. Parts written one after the other
/// read as one part.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Flat {
    pub strings: Vec<String>,
    pub numbers: Vec<u32>,
}

/// Reads a [`Flat`] back. A list that ends early reads as empty strings and zeros: a part is
/// made by the core itself, so this guards only against a bug, not against bad input.
struct Reader<'a> {
    strings: std::slice::Iter<'a, String>,
    numbers: std::slice::Iter<'a, u32>,
}

impl<'a> Reader<'a> {
    fn new(flat: &'a Flat) -> Self {
        Reader { strings: flat.strings.iter(), numbers: flat.numbers.iter() }
    }

    fn string(&mut self) -> String {
        self.strings.next().cloned().unwrap_or_default()
    }

    fn number(&mut self) -> usize {
        self.numbers.next().map_or(0, |&n| n as usize)
    }

    fn more(&self) -> bool {
        self.numbers.len() > 0
    }

    /// `(string, number)` pairs, as [`Flat::pairs`] wrote them.
    fn pairs(&mut self) -> Vec<(String, usize)> {
        (0..self.number()).map(|_| (self.string(), self.number())).collect()
    }
}

impl Flat {
    fn number(&mut self, number: usize) {
        self.numbers.push(u32::try_from(number).unwrap_or(u32::MAX));
    }

    fn pairs(&mut self, pairs: &[(String, usize)]) {
        self.number(pairs.len());
        for (string, number) in pairs {
            self.strings.push(string.clone());
            self.number(*number);
        }
    }
}

impl ConceptIndex {
    /// What this index knows, for the indexes of the corpus's other parts ([`ConceptIndex::absorb`]).
    pub fn part(&self) -> Flat {
        let mut flat = Flat::default();
        for mention in &self.mentions {
            flat.strings.push(mention.text.clone());
            flat.number(usize::from(mention.case_sensitive) | usize::from(mention.named) << 1);
            flat.number(mention.senses.len());
            for sense in &mention.senses {
                flat.strings.push(sense.kind.clone());
                flat.number(sense.count);
                flat.number(sense.concepts.len());
                flat.strings.extend(sense.concepts.iter().cloned());
            }
        }
        flat
    }

    /// Adds what other indexes know (their [`ConceptIndex::part`]s), as if their documents had
    /// been added here. Which sense a mention takes does not depend on the order its annotations
    /// were counted in, so every part of a corpus, having absorbed all the others, recognizes
    /// the same mentions.
    pub fn absorb(&mut self, part: &Flat) {
        let mut reader = Reader::new(part);
        while reader.more() {
            let text = reader.string();
            let flags = reader.number();
            let case = if flags & 1 == 1 { Case::Exact } else { Case::Folded };
            let at = self.entry(&text, case);
            for _ in 0..reader.number() {
                let kind = reader.string();
                let count = reader.number();
                let concepts: Vec<String> = (0..reader.number()).map(|_| reader.string()).collect();
                if let Some(indexed) = self.mentions.get_mut(at) {
                    indexed.count += count;
                    indexed.add_sense(&kind, &concepts, count);
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
            flat.strings.push(row.kind);
            for number in [row.documents, row.mentions, row.inferred] {
                flat.number(number);
            }
        }
        let concepts = self.totals();
        flat.number(concepts.len());
        for totals in concepts {
            flat.strings.push(totals.id);
            for number in [totals.documents, totals.mentions, totals.inferred] {
                flat.number(number);
            }
            flat.pairs(&totals.names);
            flat.pairs(&totals.kinds);
        }
        flat
    }
}

/// The corpus at a glance: its types and its concepts, the most frequent first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Overview {
    pub types: Vec<TypeCount>,
    pub concepts: Vec<ConceptRow>,
}

impl CorpusIndex {
    /// The overview of a corpus of which this index holds a part, and `others` counted the
    /// rest ([`CorpusIndex::counts`] of each, one after the other; empty when this is all).
    /// The parts hold different documents, so their counts of documents add up too.
    pub fn overview(&self, others: &Flat) -> Overview {
        let mut concepts = self.totals();
        let mut types = self.types();
        let mut by_id: FxHashMap<String, usize> = FxHashMap::default();
        if !others.numbers.is_empty() {
            by_id.extend(concepts.iter().enumerate().map(|(at, totals)| (totals.id.clone(), at)));
        }
        let mut reader = Reader::new(others);
        while reader.more() {
            for _ in 0..reader.number() {
                let kind = reader.string();
                let [documents, mentions, inferred] = [(); 3].map(|_| reader.number());
                match types.iter_mut().find(|t| t.kind == kind) {
                    Some(sum) => {
                        sum.documents += documents;
                        sum.mentions += mentions;
                        sum.inferred += inferred;
                    }
                    None => types.push(TypeCount { kind, documents, mentions, inferred }),
                }
            }
            for _ in 0..reader.number() {
                let totals = ConceptTotals {
                    id: reader.string(),
                    documents: reader.number(),
                    mentions: reader.number(),
                    inferred: reader.number(),
                    names: reader.pairs(),
                    kinds: reader.pairs(),
                };
                let Some(&at) = by_id.get(&totals.id) else {
                    by_id.insert(totals.id.clone(), concepts.len());
                    concepts.push(totals);
                    continue;
                };
                let Some(sum) = concepts.get_mut(at) else { continue };
                sum.documents += totals.documents;
                sum.mentions += totals.mentions;
                sum.inferred += totals.inferred;
                add_counts(&mut sum.names, totals.names);
                add_counts(&mut sum.kinds, totals.kinds);
            }
        }
        sort_types(&mut types);
        Overview { types, concepts: concept_rows(concepts) }
    }
}

fn add_counts(into: &mut Vec<(String, usize)>, counts: Vec<(String, usize)>) {
    for (key, count) in counts {
        match into.iter_mut().find(|(k, _)| *k == key) {
            Some((_, total)) => *total += count,
            None => into.push((key, count)),
        }
    }
}
