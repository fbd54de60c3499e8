//! What litview adds to the files it reads: concepts recognized across documents.
//!
//! A mention one loaded document annotates (`blinatumomab`, MESH:C510808) is found in every other
//! loaded document, and in the unannotated rest of its own, and marked there with
//! `origin: "inferred"`. The rules, in [`mention`]:
//!
//! - A match is a whole word: letters or digits on either side reject it; a hyphen or apostrophe
//!   ends a word except where it makes one name (`B-ALL`, `O'Brien`).
//! - Acronyms and symbols (`CD19`, `ALL`, `B-ALL`) match with their case; words and phrases
//!   (`blinatumomab`, `Blinatumomab`) in any case.
//! - Mentions under three characters and mentions without a letter are never inferred, nor
//!   organisms written as common nouns (`patients`, `children`, `mice`), whose annotation was a
//!   judgement in context; organisms written as names (`Escherichia coli`, `HIV`) are.
//! - The file's own annotations win: nothing inferred overlaps one. Among overlapping matches
//!   the leftmost, then the longest, wins (`acute lymphoblastic leukemia` over `leukemia`).
//!
//! [`CorpusIndex`] answers the page's questions about the loaded corpus: its concepts and types,
//! and which documents mention what.

mod corpus;
pub mod mention;

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap, HashSet};

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{Input, MatchKind};
use serde::Serialize;

use crate::case;
use crate::model::{Annotation, Document, Origin};
use crate::offsets::{char_len, CharIndex};
pub use corpus::{ConceptRow, CorpusIndex, NameCount, Query, TypeCount};
use mention::Case;

/// Recognizes, in every document, the mentions any of them annotates. Returns how many
/// annotations were inferred in all.
pub fn infer(documents: &mut [Document]) -> usize {
    let mut index = ConceptIndex::new();
    for document in documents.iter() {
        index.add_source(document);
    }
    documents.iter_mut().map(|document| infer_into(&index, document)).sum()
}

/// Every mention the loaded documents annotate, by normalized text: what it refers to and how
/// often. Fed one document at a time, so the page can add files as they are dropped.
#[derive(Default)]
pub struct ConceptIndex {
    mentions: Vec<IndexedMention>,
    /// Acronyms and words apart: `ALL` and `all` are different mentions.
    exact: HashMap<String, usize>,
    folded: HashMap<String, usize>,
    /// Built on the first search after the index changed, shared by all documents until the next.
    matcher: OnceCell<Option<Matcher>>,
}

/// One normalized mention text and what the documents that annotate it say it is.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IndexedMention {
    pub text: String,
    pub case_sensitive: bool,
    /// Each (type, concepts) it was annotated with, the most frequent first.
    pub senses: Vec<Sense>,
    /// How many times it is annotated in all.
    pub count: usize,
    /// Written at least once as a name rather than a common noun (see [`mention::is_common_noun`]).
    #[serde(skip)]
    named: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Sense {
    #[serde(rename = "type")]
    pub kind: String,
    pub concepts: Vec<String>,
    pub count: usize,
}

impl IndexedMention {
    /// The sense an inferred annotation takes: the most frequent one.
    pub fn sense(&self) -> Option<&Sense> {
        self.senses.first()
    }

    /// Whether this mention is recognized in other text (the rules of [`mention`]).
    pub fn is_inferable(&self) -> bool {
        let Some(sense) = self.sense() else { return false };
        if mention::too_vague(&self.text) {
            return false;
        }
        !mention::is_organism(&sense.kind, &sense.concepts) || self.named
    }

    fn add(&mut self, kind: &str, concepts: &[String], surface: &str) {
        self.count += 1;
        self.named |= !mention::is_common_noun(surface);
        match self.senses.iter_mut().find(|s| s.kind == kind && s.concepts == concepts) {
            Some(sense) => sense.count += 1,
            None => self.senses.push(Sense { kind: kind.to_string(), concepts: concepts.to_vec(), count: 1 }),
        }
        // Kept most frequent first by moving the counted sense up; ties go to a sense with
        // concepts, then to the smaller, so the choice does not depend on the order in which
        // files were loaded. (Not `sort_by`: each sort instance costs the page kilobytes.)
        let goes_before = |a: &Sense, b: &Sense| {
            b.count
                .cmp(&a.count)
                .then(a.concepts.is_empty().cmp(&b.concepts.is_empty()))
                .then_with(|| (&a.kind, &a.concepts).cmp(&(&b.kind, &b.concepts)))
                .is_lt()
        };
        let mut at = self.senses.iter().position(|s| s.kind == kind && s.concepts == concepts).unwrap_or(0);
        while let (Some(sense), Some(before)) =
            (self.senses.get(at), at.checked_sub(1).and_then(|b| self.senses.get(b)))
        {
            if !goes_before(sense, before) {
                break;
            }
            self.senses.swap(at, at - 1);
            at -= 1;
        }
    }
}

impl ConceptIndex {
    pub fn new() -> Self {
        ConceptIndex::default()
    }

    /// Adds the annotations the document's file carries; inferred ones are not evidence, and a
    /// discontinuous mention has no one text to look for.
    pub fn add_source(&mut self, document: &Document) {
        let mut changed = false;
        for annotation in &document.annotations {
            if annotation.origin != Origin::Source || annotation.fragments.as_ref().is_some_and(|f| f.len() > 1) {
                continue;
            }
            let (text, case) = mention::normalize(&annotation.text);
            if text.is_empty() {
                continue;
            }
            let next = self.mentions.len();
            let by_text = match case {
                Case::Exact => &mut self.exact,
                Case::Folded => &mut self.folded,
            };
            let at = *by_text.entry(text.clone()).or_insert(next);
            if at == next {
                self.mentions.push(IndexedMention {
                    text,
                    case_sensitive: case == Case::Exact,
                    senses: Vec::new(),
                    count: 0,
                    named: false,
                });
            }
            if let Some(indexed) = self.mentions.get_mut(at) {
                indexed.add(&annotation.kind, &annotation.concepts, &annotation.text);
                changed = true;
            }
        }
        if changed {
            self.matcher = OnceCell::new();
        }
    }

    /// The entry for a mention as any document might write it.
    pub fn get(&self, mention: &str) -> Option<&IndexedMention> {
        let (text, case) = mention::normalize(mention);
        let by_text = match case {
            Case::Exact => &self.exact,
            Case::Folded => &self.folded,
        };
        by_text.get(&text).and_then(|&at| self.mentions.get(at))
    }

    /// Every indexed mention, in the order first seen.
    pub fn mentions(&self) -> &[IndexedMention] {
        &self.mentions
    }

    pub fn len(&self) -> usize {
        self.mentions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.mentions.is_empty()
    }

    fn matcher(&self) -> Option<&Matcher> {
        self.matcher.get_or_init(|| Matcher::new(&self.mentions)).as_ref()
    }
}

/// One automaton over the inferable mentions, with ASCII case folded: words and phrases are
/// added lowercase (plus a capitalized form where the first letter is not ASCII, which ASCII
/// folding does not reach), and a match of an acronym counts only where the text has its exact
/// case. The concrete contiguous NFA, not the `AhoCorasick` wrapper: the wrapper links every
/// automaton kind into the page, and dispatches each byte of the search through a vtable.
struct Matcher {
    automaton: NFA,
    patterns: Vec<Pattern>,
}

struct Pattern {
    mention: usize,
    case: Case,
    text: String,
}

impl Matcher {
    fn new(mentions: &[IndexedMention]) -> Option<Matcher> {
        let mut patterns = Vec::new();
        for (mention, indexed) in mentions.iter().enumerate() {
            if !indexed.is_inferable() {
                continue;
            }
            let case = if indexed.case_sensitive { Case::Exact } else { Case::Folded };
            patterns.push(Pattern { mention, case, text: indexed.text.clone() });
            let mut chars = indexed.text.chars();
            if let Some(first) = chars.next().filter(|c| case == Case::Folded && !c.is_ascii()) {
                let capitalized: String = std::iter::once(case::upper_char(first)).chain(chars).collect();
                if capitalized != indexed.text {
                    patterns.push(Pattern { mention, case, text: capitalized });
                }
            }
        }
        if patterns.is_empty() {
            return None;
        }
        // Standard semantics, so that every occurrence of every pattern is reported: the longest
        // match at a place may fail the word-edge or case rules where a shorter one passes.
        // No prefilter: it serves searches for a few patterns, and weighs on the page.
        let automaton = NFA::builder()
            .prefilter(false)
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(patterns.iter().map(|p| &p.text))
            .ok()?;
        Some(Matcher { automaton, patterns })
    }

    /// Every whole-word occurrence in `text`, as (start byte, end byte, indexed mention, case).
    fn occurrences(&self, text: &str) -> Vec<(usize, usize, usize, Case)> {
        let mut found = Vec::new();
        let Ok(matches) = self.automaton.try_find_overlapping_iter(Input::new(text)) else { return found };
        for m in matches {
            let Some(pattern) = self.patterns.get(m.pattern().as_usize()) else { continue };
            let exact = || text.get(m.start()..m.end()) == Some(pattern.text.as_str());
            if (pattern.case == Case::Folded || exact()) && mention::is_whole_word(text, m.start(), m.end()) {
                found.push((m.start(), m.end(), pattern.mention, pattern.case));
            }
        }
        found
    }
}

/// Marks in `document` the mentions `index` knows, where the document does not annotate them
/// itself. The document's earlier inferred annotations are replaced, so calling it again after
/// the index grew brings the document up to date, and calling it twice changes nothing.
/// Returns how many inferred annotations the document now has.
pub fn infer_into(index: &ConceptIndex, document: &mut Document) -> usize {
    // 1. Forget what an earlier index inferred.
    document.annotations.retain(|a| a.origin != Origin::Inferred);
    let Some(matcher) = index.matcher() else { return 0 };
    let text = document.text.as_str();

    // 2. The bytes the file's own annotations cover, one bit each.
    let chars = CharIndex::new(text);
    let mut covered = vec![0u64; text.len() / 64 + 1];
    for [start, end] in document.annotations.iter().flat_map(Annotation::spans) {
        // An annotation running past the end (a document that skipped validation) covers what
        // lies inside.
        let length = chars.len();
        let (Some(start), Some(end)) = (chars.byte(start.min(length)), chars.byte(end.min(length))) else { continue };
        for byte in start..end {
            if let Some(word) = covered.get_mut(byte / 64) {
                *word |= 1 << (byte % 64);
            }
        }
    }
    let is_free = |start: usize, end: usize| {
        (start..end).all(|byte| covered.get(byte / 64).is_none_or(|word| word & (1 << (byte % 64)) == 0))
    };

    // 3. Leftmost, then longest (then an acronym before a folded word), of the free matches.
    let mut found = matcher.occurrences(text);
    found.retain(|&(start, end, _, _)| is_free(start, end));
    found.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.3.cmp(&b.3)));
    let mut chosen = Vec::new();
    let mut reached = 0;
    for (start, end, mention, _) in found {
        if start >= reached {
            chosen.push((start, end, mention));
            reached = end;
        }
    }

    // 4. Annotations in code points, counted forward from the previous match.
    let taken_ids: HashSet<String> = document.annotations.iter().map(|a| a.id.clone()).collect();
    let mut ids = (1..).map(|n| format!("i{n}")).filter(|id| !taken_ids.contains(id));
    let (mut last_byte, mut last_char) = (0, 0);
    let mut added = 0;
    for (start, end, mention) in chosen {
        let (Some(indexed), Some(before), Some(covered)) =
            (index.mentions.get(mention), text.get(last_byte..start), text.get(start..end))
        else {
            continue;
        };
        let Some(sense) = indexed.sense() else { continue };
        let start_char = last_char + char_len(before);
        let end_char = start_char + char_len(covered);
        (last_byte, last_char) = (start, start_char);
        document.annotations.push(Annotation {
            id: ids.next().unwrap_or_default(),
            start: start_char,
            end: end_char,
            text: covered.to_string(),
            kind: sense.kind.clone(),
            concepts: sense.concepts.clone(),
            origin: Origin::Inferred,
            fragments: None,
            infons: infons(indexed),
            line: None,
        });
        added += 1;
    }
    added
}

/// What the card can say about an inferred annotation: how often the corpus annotates the mention,
/// and what else it was annotated as.
fn infons(indexed: &IndexedMention) -> BTreeMap<String, String> {
    let mut infons = BTreeMap::new();
    infons.insert("annotated".to_string(), indexed.count.to_string());
    let others: Vec<String> = indexed
        .senses
        .iter()
        .skip(1)
        .map(|s| {
            let concepts = if s.concepts.is_empty() { "no concept".to_string() } else { s.concepts.join("|") };
            format!("{} {concepts} ({})", s.kind, s.count)
        })
        .collect();
    if !others.is_empty() {
        infons.insert("alternatives".to_string(), others.join("; "));
    }
    infons
}

#[cfg(test)]
mod tests {
    use super::*;

    fn annotated(text: &str, mentions: &[(&str, &str, &str)]) -> Document {
        let annotations = mentions
            .iter()
            .enumerate()
            .map(|(i, (mention, kind, concept))| {
                let start = text.find(mention).unwrap();
                Annotation {
                    id: format!("a{}", i + 1),
                    start: char_len(&text[..start]),
                    end: char_len(&text[..start]) + char_len(mention),
                    text: mention.to_string(),
                    kind: kind.to_string(),
                    concepts: vec![concept.to_string()],
                    ..Annotation::default()
                }
            })
            .collect();
        Document { text: text.into(), annotations, ..Document::default() }
    }

    #[test]
    fn most_frequent_sense_wins_and_others_are_kept() {
        let mut documents = vec![
            annotated("cold here", &[("cold", "Disease", "D1")]),
            annotated("cold there", &[("cold", "Disease", "D1")]),
            annotated("cold again", &[("cold", "Chemical", "C9")]),
            Document { text: "a cold day".into(), ..Document::default() },
        ];
        infer(&mut documents);
        let inferred = &documents[3].annotations;
        assert_eq!(inferred.len(), 1);
        assert_eq!(
            (inferred[0].kind.as_str(), inferred[0].concepts.as_slice()),
            ("Disease", ["D1".to_string()].as_slice())
        );
        assert_eq!(inferred[0].infons.get("alternatives").map(String::as_str), Some("Chemical C9 (1)"));
    }

    #[test]
    fn leftmost_longest() {
        let mut documents = vec![
            annotated(
                "acute lymphoblastic leukemia and leukemia",
                &[("acute lymphoblastic leukemia", "Disease", "D054198")],
            ),
            annotated("leukemia", &[("leukemia", "Disease", "D007938")]),
            Document { text: "Acute lymphoblastic leukemia, a leukemia.".into(), ..Document::default() },
        ];
        infer(&mut documents);
        let found: Vec<(&str, &str)> =
            documents[2].annotations.iter().map(|a| (a.text.as_str(), a.concepts[0].as_str())).collect();
        assert_eq!(found, [("Acute lymphoblastic leukemia", "D054198"), ("leukemia", "D007938")]);
        // The first document's unannotated "leukemia" is inferred too.
        assert_eq!(documents[0].annotations.len(), 2);
    }
}
