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
mod parts;
mod trie;

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashSet};

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::case;
use crate::model::{Annotation, Document, Origin};
use crate::offsets::{char_len, CharCursor};
pub use corpus::{ConceptRow, CorpusIndex, NameCount, Query, SeenNames, Texts, TypeCount};
use mention::Case;
pub use parts::{Flat, Overview};
use trie::Trie;

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
    exact: FxHashMap<String, usize>,
    folded: FxHashMap<String, usize>,
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

    fn add(&mut self, kind: &str, concepts: &[&str], surface: &str) {
        self.count += 1;
        // Every annotation of a corpus passes here: what is settled is not worked out again.
        if !self.named {
            self.named = !mention::is_common_noun(surface);
        }
        self.add_sense(kind, concepts, 1);
    }

    /// Counts `count` more annotations of the mention with this type and these concepts.
    fn add_sense<S: AsRef<str>>(&mut self, kind: &str, concepts: &[S], count: usize) {
        let same =
            |held: &[String]| held.len() == concepts.len() && held.iter().zip(concepts).all(|(a, b)| a == b.as_ref());
        let at = match self.senses.iter().position(|s| s.kind == kind && same(&s.concepts)) {
            Some(at) => at,
            None => {
                let concepts = concepts.iter().map(|c| c.as_ref().to_string()).collect();
                self.senses.push(Sense { kind: kind.to_string(), concepts, count: 0 });
                self.senses.len() - 1
            }
        };
        if let Some(sense) = self.senses.get_mut(at) {
            sense.count += count;
        }
        self.move_up(at);
    }

    /// Moves the sense at `at` up past those it goes before: senses are kept most frequent
    /// first; ties go to a sense with concepts, then to the smaller, so the choice does not
    /// depend on the order in which files were loaded, or on which worker read them. (Not
    /// `sort_by`: each sort instance costs the page kilobytes.)
    fn move_up(&mut self, mut at: usize) {
        let goes_before = |a: &Sense, b: &Sense| {
            b.count
                .cmp(&a.count)
                .then(a.concepts.is_empty().cmp(&b.concepts.is_empty()))
                .then_with(|| (&a.kind, &a.concepts).cmp(&(&b.kind, &b.concepts)))
                .is_lt()
        };
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
        let mut text = String::new();
        let mut concepts = Vec::new();
        for annotation in &document.annotations {
            if annotation.origin != Origin::Source || annotation.fragments.as_ref().is_some_and(|f| f.len() > 1) {
                continue;
            }
            concepts.clear();
            concepts.extend(annotation.concepts.iter().map(String::as_str));
            self.add_mention(&annotation.text, &annotation.kind, &concepts, &mut text);
        }
    }

    /// Adds one annotation a file carries, of one span: its text, type and concepts.
    /// `normalized` is a buffer, reused from one mention to the next.
    pub fn add_mention(&mut self, surface: &str, kind: &str, concepts: &[&str], normalized: &mut String) {
        let case = mention::normalize_into(surface, normalized);
        if normalized.is_empty() {
            return;
        }
        let at = self.entry(normalized, case);
        if let Some(indexed) = self.mentions.get_mut(at) {
            indexed.add(kind, concepts, surface);
            // The matcher is made again for the next search.
            self.matcher.take();
        }
    }

    /// The position of the entry for a normalized mention text, made if there is none yet.
    fn entry(&mut self, text: &str, case: Case) -> usize {
        let by_text = match case {
            Case::Exact => &mut self.exact,
            Case::Folded => &mut self.folded,
        };
        if let Some(&at) = by_text.get(text) {
            return at;
        }
        let at = self.mentions.len();
        by_text.insert(text.to_string(), at);
        self.mentions.push(IndexedMention {
            text: text.to_string(),
            case_sensitive: case == Case::Exact,
            senses: Vec::new(),
            count: 0,
            named: false,
        });
        at
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

/// One trie over the inferable mentions, with ASCII case folded: words and phrases are added
/// lowercase (plus a capitalized form where the first letter is not ASCII, which ASCII folding
/// does not reach), and a match of an acronym counts only where the text has its exact case.
struct Matcher {
    trie: Trie,
    patterns: Vec<Pattern>,
    /// The trie's state after each pattern's first word ([`first_word`]), by the word's hash,
    /// with the word (ASCII case folded, as the trie folds it) to tell apart words whose hashes
    /// collide. A match must start with a whole word, so a place where a word starts is tried
    /// only if the word is here, and is walked on from the word's end: the trie's states,
    /// unlike this map, do not stay in cache, and walking every word byte by byte was most of
    /// the time inference took.
    first_words: FxHashMap<u64, FirstWord>,
    /// The first words, one after the other.
    first_word_bytes: Vec<u8>,
    /// A first word whose hash another one has already: none in practice, but possible.
    same_hash: Vec<(u64, Box<[u8]>, trie::State)>,
    /// The same hashes, for a first test: most words of a text start no pattern.
    first_word_filter: HashFilter,
}

/// A set of hashes that may answer "yes" for a hash not in it but never "no" for one in it: a bit
/// per hash's top bits, in 32 KB that stay in cache where the map's entries do not. The 11,700
/// first words of the 100 MB benchmark corpus's mentions set one bit in 23.
struct HashFilter(Vec<u64>);

impl HashFilter {
    const BITS: u32 = 18;

    fn new() -> Self {
        HashFilter(vec![0; 1 << (Self::BITS - 6)])
    }

    fn insert(&mut self, hash: u64) {
        let bit = hash >> (64 - Self::BITS);
        if let Some(word) = self.0.get_mut((bit / 64) as usize) {
            *word |= 1 << (bit % 64);
        }
    }

    #[inline(always)]
    fn contains(&self, hash: u64) -> bool {
        let bit = hash >> (64 - Self::BITS);
        self.0.get((bit / 64) as usize).is_some_and(|word| word & (1 << (bit % 64)) != 0)
    }
}

/// A pattern's first word, ASCII case folded (`[start, end)` of the matcher's
/// `first_word_bytes`), and the trie's state after it. All in the map's entry, not in a list of
/// its own: a lookup is one place in memory less.
struct FirstWord {
    start: u32,
    end: u32,
    state: trie::State,
    /// Whether `same_hash` holds another word with this hash.
    more: bool,
}

/// The letters and digits `text` starts with (none when it starts with another character), as
/// the search looks them up: their length in bytes, and a hash of them with ASCII case folded.
/// It runs at every word start of a corpus, in a page built for size, where iterator adapters
/// are calls: so one plain loop finds the word and hashes it, and decodes only non-ASCII.
#[cfg_attr(litview_speed, optimize(speed))]
fn first_word(text: &str) -> (usize, u64) {
    let bytes = text.as_bytes();
    let (mut end, mut hash) = (0, 0u64);
    while let Some(&byte) = bytes.get(end) {
        if byte.is_ascii() {
            if !byte.is_ascii_alphanumeric() {
                break;
            }
            hash = mix(hash, byte.to_ascii_lowercase());
            end += 1;
        } else {
            let Some(c) = text.get(end..).and_then(|rest| rest.chars().next()).filter(|c| c.is_alphanumeric()) else {
                break;
            };
            for &byte in bytes.get(end..end + c.len_utf8()).unwrap_or_default() {
                hash = mix(hash, byte);
            }
            end += c.len_utf8();
        }
    }
    (end, hash)
}

/// One byte into [`first_word`]'s hash (the multiply-rotate step of rustc's Fx hash).
#[inline(always)]
fn mix(hash: u64, byte: u8) -> u64 {
    (hash.rotate_left(5) ^ u64::from(byte)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

/// Whether `word` is `folded` but for the case of its ASCII letters.
fn same_folded(folded: &[u8], word: &[u8]) -> bool {
    if folded.len() != word.len() {
        return false;
    }
    let mut at = 0;
    while let (Some(&a), Some(&b)) = (folded.get(at), word.get(at)) {
        if a != b.to_ascii_lowercase() {
            return false;
        }
        at += 1;
    }
    true
}

struct Pattern {
    mention: usize,
    case: Case,
    text: String,
}

/// Where a match was found, in bytes of the text searched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Found {
    start: usize,
    end: usize,
    mention: usize,
    case: Case,
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
        let mut trie = Trie::new();
        for (id, pattern) in patterns.iter().enumerate() {
            trie.insert(pattern.text.as_bytes(), id as u32);
        }
        trie.finish();
        let mut matcher = Matcher {
            trie,
            patterns: Vec::new(),
            first_words: FxHashMap::default(),
            first_word_bytes: Vec::new(),
            same_hash: Vec::new(),
            first_word_filter: HashFilter::new(),
        };
        for pattern in &patterns {
            let (length, hash) = first_word(&pattern.text);
            let word = pattern.text.as_bytes().get(..length).unwrap_or_default();
            if let Some(state) = matcher.trie.walk(trie::ROOT, word) {
                matcher.add_first_word(hash, word, state);
            }
        }
        matcher.patterns = patterns;
        Some(matcher)
    }

    /// Adds a pattern's first word, `hash` its [`first_word`] hash, and the trie's state after it.
    fn add_first_word(&mut self, hash: u64, word: &[u8], state: trie::State) {
        if self.after_first_word(hash, word).is_some() {
            return;
        }
        match self.first_words.get_mut(&hash) {
            None => {
                let start = self.first_word_bytes.len() as u32;
                self.first_word_bytes.extend(word.iter().map(u8::to_ascii_lowercase));
                let end = self.first_word_bytes.len() as u32;
                self.first_words.insert(hash, FirstWord { start, end, state, more: false });
                self.first_word_filter.insert(hash);
            }
            Some(known) => {
                known.more = true;
                self.same_hash.push((hash, word.to_ascii_lowercase().into_boxed_slice(), state));
            }
        }
    }

    /// Every whole-word occurrence in `text`.
    ///
    /// A whole word cannot start right after an ASCII letter or digit, which is where most bytes
    /// of a text are. So the trie is walked only from the places where a word may start with a
    /// byte some pattern starts with: an unanchored search over every byte found about seven
    /// matches inside words for each one at a word's edge, and was most of the time a corpus
    /// took to index.
    #[cfg_attr(litview_speed, optimize(speed))]
    fn occurrences(&self, text: &str) -> Vec<Found> {
        let mut found = Vec::new();
        let bytes = text.as_bytes();
        let mut start = 0;
        while let Some(&byte) = bytes.get(start) {
            if self.trie.starts_with(byte) && mention::word_starts_at(text, start) {
                // Nothing starts a word inside the first word, nor at the byte after it.
                start += self.matches_at(text, start, &mut found) + 1;
                continue;
            }
            start += 1;
            if byte.is_ascii_alphanumeric() {
                // Nothing starts a word inside this one, nor at the byte after it.
                while let Some(byte) = bytes.get(start) {
                    if !byte.is_ascii_alphanumeric() {
                        break;
                    }
                    start += 1;
                }
                start += 1;
            }
        }
        found
    }

    /// The occurrences that start at `start`, a word's start: the map takes the search past
    /// the first word, the trie on from there. Returns the first word's length in bytes.
    fn matches_at(&self, text: &str, start: usize, found: &mut Vec<Found>) -> usize {
        let bytes = text.as_bytes();
        let (length, hash) = first_word(text.get(start..).unwrap_or_default());
        if !self.first_word_filter.contains(hash) {
            return length;
        }
        let word = bytes.get(start..start + length).unwrap_or_default();
        let Some(mut state) = self.after_first_word(hash, word) else { return length };
        let mut at = start + length;
        loop {
            if at > start && self.trie.is_end(state) {
                self.report(text, start, at, state, found);
            }
            let Some(next) = bytes.get(at).and_then(|&byte| self.trie.step(state, byte)) else { break };
            state = next;
            at += 1;
        }
        length
    }

    /// The trie's state after `word`, whose [`first_word`] hash is `hash`, if a pattern starts
    /// with it.
    #[inline(always)]
    fn after_first_word(&self, hash: u64, word: &[u8]) -> Option<trie::State> {
        let known = self.first_words.get(&hash)?;
        let known_word = self.first_word_bytes.get(known.start as usize..known.end as usize)?;
        if same_folded(known_word, word) {
            return Some(known.state);
        }
        let mut others = self.same_hash.iter().filter(|_| known.more);
        others.find(|(h, w, _)| *h == hash && same_folded(w, word)).map(|&(_, _, state)| state)
    }

    /// The matches of `state`, reached at byte `end` from `start`, that pass the case and
    /// word-end rules.
    fn report(&self, text: &str, start: usize, end: usize, state: trie::State, found: &mut Vec<Found>) {
        for id in self.trie.patterns(state) {
            let Some(pattern) = self.patterns.get(id as usize) else { continue };
            let exact = || text.get(start..end) == Some(pattern.text.as_str());
            if (pattern.case == Case::Folded || exact()) && mention::word_ends_at(text, end) {
                found.push(Found { start, end, mention: pattern.mention, case: pattern.case });
            }
        }
    }
}

/// A mention recognized in a document, and the index's entry for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Inferred {
    /// Code points of the document's text, as in [`Annotation`].
    pub start: usize,
    pub end: usize,
    /// The same place in bytes of the document's text.
    pub bytes: [usize; 2],
    /// The position of the mention in [`ConceptIndex::mentions`].
    pub mention: usize,
}

/// The mentions `index` knows in `document`, where the document's file does not annotate them
/// itself: leftmost, then longest (then an acronym before a folded word), in text order.
/// Inferred annotations the document already holds are ignored, so the answer does not depend
/// on an earlier inference.
pub fn find_inferred(index: &ConceptIndex, document: &Document) -> Vec<Inferred> {
    let own = document.annotations.iter().filter(|a| a.origin != Origin::Inferred);
    find_inferred_in(index, &document.text, own.flat_map(Annotation::spans))
}

/// [`find_inferred`] for a text whose file's own annotations cover the `own` spans (code points).
pub fn find_inferred_in(index: &ConceptIndex, text: &str, own: impl Iterator<Item = [usize; 2]>) -> Vec<Inferred> {
    let Some(matcher) = index.matcher() else { return Vec::new() };
    // The search itself is not generic: the page's wasm held it, and its sort, once for the
    // store's spans and once for a document's.
    found_outside(matcher, text, &covered_bytes(text, own))
}

/// The bytes of `text` the `own` spans (code points) cover, one bit each. A cursor, not a table
/// of every code point: most texts have a few annotations and most of a corpus is their text.
#[cfg_attr(litview_speed, optimize(speed))]
fn covered_bytes(text: &str, own: impl Iterator<Item = [usize; 2]>) -> Vec<u64> {
    let mut chars = CharCursor::new(text);
    let mut covered = vec![0u64; text.len() / 64 + 1];
    for [start, end] in own {
        // An annotation running past the end (a document that skipped validation) covers what
        // lies inside.
        let start = chars.byte(start).unwrap_or(text.len());
        let end = chars.byte(end).unwrap_or(text.len());
        for byte in start..end {
            if let Some(word) = covered.get_mut(byte / 64) {
                *word |= 1 << (byte % 64);
            }
        }
    }
    covered
}

/// The matches of `matcher` in `text` that touch no `covered` byte ([`covered_bytes`]), leftmost
/// then longest, as [`find_inferred`] gives them.
#[cfg_attr(litview_speed, optimize(speed))]
fn found_outside(matcher: &Matcher, text: &str, covered: &[u64]) -> Vec<Inferred> {
    let is_free = |start: usize, end: usize| {
        (start..end).all(|byte| covered.get(byte / 64).is_none_or(|word| word & (1 << (byte % 64)) == 0))
    };

    let mut found = matcher.occurrences(text);
    found.retain(|f| is_free(f.start, f.end));
    found.sort_unstable_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)).then(a.case.cmp(&b.case)));

    // Offsets in code points, counted forward from the previous match.
    let mut inferred = Vec::new();
    let (mut reached, mut last_byte, mut last_char) = (0, 0, 0);
    for f in found {
        if f.start < reached {
            continue;
        }
        let (Some(before), Some(covered)) = (text.get(last_byte..f.start), text.get(f.start..f.end)) else { continue };
        let start = last_char + char_len(before);
        let end = start + char_len(covered);
        (reached, last_byte, last_char) = (f.end, f.start, start);
        inferred.push(Inferred { start, end, bytes: [f.start, f.end], mention: f.mention });
    }
    inferred
}

/// Marks in `document` the mentions `index` knows, where the document does not annotate them
/// itself ([`find_inferred`]). The document's earlier inferred annotations are replaced, so
/// calling it again after the index grew brings the document up to date, and calling it twice
/// changes nothing. Returns how many inferred annotations the document now has.
pub fn infer_into(index: &ConceptIndex, document: &mut Document) -> usize {
    let found = find_inferred(index, document);
    document.annotations.retain(|a| a.origin != Origin::Inferred);
    let taken_ids: HashSet<String> = document.annotations.iter().map(|a| a.id.clone()).collect();
    let mut ids = (1..).map(|n| format!("i{n}")).filter(|id| !taken_ids.contains(id));
    let mut added = 0;
    for Inferred { start, end, bytes: [from, to], mention } in found {
        let Some(indexed) = index.mentions.get(mention) else { continue };
        let (Some(sense), Some(covered)) = (indexed.sense(), document.text.get(from..to)) else { continue };
        let annotation = Annotation {
            id: ids.next().unwrap_or_default(),
            start,
            end,
            text: covered.to_string(),
            kind: sense.kind.clone(),
            concepts: sense.concepts.clone(),
            origin: Origin::Inferred,
            fragments: None,
            infons: infons(indexed),
            line: None,
        };
        document.annotations.push(annotation);
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

    /// The search the word-start one replaced: every occurrence of every pattern anywhere in
    /// the text (an unanchored overlapping search), then the case and word-edge rules.
    fn occurrences_everywhere(matcher: &Matcher, text: &str) -> Vec<Found> {
        let mut found = Vec::new();
        // A test's own patterns, a few short words: the reference automaton always builds.
        let automaton = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(matcher.patterns.iter().map(|p| &p.text))
            .unwrap();
        for m in automaton.find_overlapping_iter(text) {
            let pattern = &matcher.patterns[m.pattern().as_usize()];
            let exact = text.get(m.start()..m.end()) == Some(pattern.text.as_str());
            if (pattern.case == Case::Folded || exact) && mention::is_whole_word(text, m.start(), m.end()) {
                found.push(Found { start: m.start(), end: m.end(), mention: pattern.mention, case: pattern.case });
            }
        }
        found
    }

    const MENTIONS: &[&str] = &[
        "CD19",
        "ALL",
        "B-ALL",
        "blinatumomab",
        "acute lymphoblastic leukemia",
        "lymphoblastic leukemia",
        "leukemia",
        "Ménière's disease",
        "ménière",
        "IL-2",
        "(+)-catechin",
        "α-synuclein",
        "5-FU",
        "Hodgkin",
        "O'Brien",
        "ÉTÉ syndrome",
        "cell",
        "T-cell lymphoma",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Starting only at word starts, and skipping the first word through a map, finds what
        /// the search over every byte found: same places, same mentions, same case rule.
        #[test]
        fn word_start_search_finds_what_a_full_search_finds(
            pieces in proptest::collection::vec((0..MENTIONS.len() + 14, 0..3u8), 0..40)
        ) {
            let separators = [" ", "-", "'", "\u{2019}", "x", "é", "(", ")", ". ", "s", "İ", "\n", "2", "\u{2010}"];
            let mut text = String::new();
            for (piece, case) in pieces {
                let piece = MENTIONS.get(piece).copied().unwrap_or_else(|| separators[piece - MENTIONS.len()]);
                match case {
                    0 => text.push_str(piece),
                    1 => text.push_str(&piece.to_ascii_uppercase()),
                    _ => text.push_str(&piece.to_ascii_lowercase()),
                }
            }
            let source: Vec<(&str, &str, &str)> = MENTIONS.iter().map(|m| (*m, "Disease", "D1")).collect();
            let documents: Vec<Document> =
                MENTIONS.iter().zip(&source).map(|(m, s)| annotated(m, std::slice::from_ref(s))).collect();
            let mut index = ConceptIndex::new();
            for document in &documents {
                index.add_source(document);
            }
            // Every mention listed is inferable (three letters or more, not an organism), so
            // there are patterns and a matcher.
            let matcher = index.matcher().unwrap();
            let mut fast = matcher.occurrences(&text);
            let mut full = occurrences_everywhere(matcher, &text);
            fast.sort();
            full.sort();
            proptest::prop_assert_eq!(fast, full, "in {:?}", text);
        }
    }

    /// Two first words with one hash (a 64-bit collision no real corpus has shown) are told
    /// apart by their letters: each leads to its own state, and a third word to none.
    #[test]
    fn first_words_that_share_a_hash_are_told_apart() {
        let documents =
            [annotated("cold", &[("cold", "Disease", "D1")]), annotated("fever", &[("fever", "Disease", "D2")])];
        let mut index = ConceptIndex::new();
        for document in &documents {
            index.add_source(document);
        }
        // Tests: a value absent here is the test's failure.
        let mut matcher = Matcher::new(index.mentions()).unwrap();
        let (cold, fever) = (first_word("cold").1, first_word("fever").1);
        let fever_state = matcher.after_first_word(fever, b"fever").unwrap();
        let cold_state = matcher.after_first_word(cold, b"COLD").unwrap();
        assert_ne!(cold_state, fever_state);
        // As if "fever" hashed as "cold" does: added as the matcher adds every first word.
        matcher.first_words.remove(&fever);
        matcher.add_first_word(cold, b"Fever", fever_state);
        assert_eq!(matcher.after_first_word(cold, b"Fever"), Some(fever_state));
        assert_eq!(matcher.after_first_word(cold, b"cold"), Some(cold_state));
        assert_eq!(matcher.after_first_word(cold, b"colt"), None);
        assert_eq!(matcher.after_first_word(fever, b"fever"), None);
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
