//! The patterns recognition looks for, as a trie of their bytes with ASCII case folded.
//!
//! Recognition walks it only from places where a whole word starts, anchored there, so it needs
//! no failure links: a walk ends where the trie has no next byte. An Aho-Corasick automaton
//! computes those links and copies each pattern's matches into the states of longer ones, which
//! was a quarter of the time recognition took, for nothing this search uses.

/// A state: the bytes walked from the root. Once the trie is finished, a state the search is
/// given carries [`END`] when some pattern ends there, so that the search need not look it up.
pub(super) type State = u32;

pub(super) const ROOT: State = 0;

const END: State = 1 << 31;

/// The position of `state` in the trie's tables.
#[inline(always)]
fn at(state: State) -> usize {
    (state & !END) as usize
}

/// Built by [`Trie::insert`], then searched by [`Trie::step`] once [`Trie::finish`]ed: a lookup
/// in a hash map at every byte took the page's core twice as long as a scan of a state's few
/// next bytes, held side by side.
pub(super) struct Trie {
    /// While patterns are inserted: their bytes (ASCII lowercase), one after the other.
    spellings: Vec<u8>,
    /// While patterns are inserted: each one's number, and where its bytes start and end in
    /// `spellings`.
    inserted: Vec<(u32, u32, u32)>,
    /// Once finished: the next bytes of state `s`, each with the state it leads to, are
    /// `next[edges[s]..edges[s + 1]]`. A byte beside its state, rather than the bytes in one
    /// table and the states in another, is one place in memory less for each byte walked: the
    /// search waits on memory more than it computes.
    edges: Vec<u32>,
    next: Vec<(u8, State)>,
    /// For each state, the first pattern that ends there, as a position in `ends` plus one.
    first_end: Vec<u32>,
    /// `(pattern, the next pattern that ends at the same state, plus one)`.
    ends: Vec<(u32, u32)>,
    /// Once finished: the state after each first byte (ASCII lowercase), `ROOT` for none. The
    /// root has a next byte for most letters, digits and signs, too many to scan.
    first: [State; 256],
    /// Once finished: the bytes a pattern starts with, in both ASCII cases.
    first_bytes: [bool; 256],
}

impl Trie {
    pub(super) fn new() -> Self {
        Trie {
            spellings: Vec::new(),
            inserted: Vec::new(),
            edges: Vec::new(),
            next: Vec::new(),
            first_end: vec![0],
            ends: Vec::new(),
            first: [ROOT; 256],
            first_bytes: [false; 256],
        }
    }

    /// Adds pattern number `pattern`, spelled `bytes`.
    pub(super) fn insert(&mut self, bytes: &[u8], pattern: u32) {
        let start = self.spellings.len() as u32;
        self.spellings.extend(bytes.iter().map(u8::to_ascii_lowercase));
        self.inserted.push((pattern, start, self.spellings.len() as u32));
    }

    /// Makes the states of the patterns inserted, and lays the next bytes of each state side by
    /// side, for the search.
    pub(super) fn finish(&mut self) {
        // In the order of their bytes, each pattern shares the states of the one before it up
        // to where the two part, and needs new ones only from there: a map from a state and a
        // byte to the next state, filled at every byte of every pattern, took twice as long.
        let spellings = std::mem::take(&mut self.spellings);
        let mut inserted = std::mem::take(&mut self.inserted);
        let spelled =
            |&(_, start, end): &(u32, u32, u32)| spellings.get(start as usize..end as usize).unwrap_or_default();
        // Patterns spelled alike end at one state, listed the last inserted first.
        inserted.sort_unstable_by(|a, b| spelled(a).cmp(spelled(b)).then(a.0.cmp(&b.0)));
        // Each state made, from its parent and the byte that leads to it; and the states along
        // the previous pattern's bytes.
        let mut links: Vec<(State, u8)> = Vec::new();
        let mut path = vec![ROOT];
        let mut previous: &[u8] = &[];
        for item in &inserted {
            let bytes = spelled(item);
            let shared = bytes.iter().zip(previous).take_while(|(a, b)| a == b).count();
            path.truncate(shared + 1);
            for &byte in bytes.get(shared..).unwrap_or_default() {
                links.push((path.last().copied().unwrap_or(ROOT), byte));
                path.push(links.len() as State);
            }
            previous = bytes;
            let state = path.last().copied().unwrap_or(ROOT) as usize;
            self.first_end.resize(links.len() + 1, 0);
            let Some(first) = self.first_end.get_mut(state) else { continue };
            self.ends.push((item.0, *first));
            *first = self.ends.len() as u32;
        }

        let mut edges = vec![0u32; links.len() + 2];
        for &(parent, _) in &links {
            if let Some(count) = edges.get_mut(parent as usize + 1) {
                *count += 1;
            }
        }
        for s in 1..edges.len() {
            edges[s] += edges[s - 1];
        }
        let mut filled = edges.clone();
        let mut next = vec![(0u8, ROOT); links.len()];
        for (child, &(parent, byte)) in links.iter().enumerate() {
            let target = child as State + 1;
            let ends = self.first_end.get(target as usize).is_some_and(|&first| first != 0);
            let target = if ends { target | END } else { target };
            if parent == ROOT {
                self.first[usize::from(byte)] = target;
                self.first_bytes[usize::from(byte)] = true;
                self.first_bytes[usize::from(byte.to_ascii_uppercase())] = true;
            }
            let Some(slot) = filled.get_mut(parent as usize) else { continue };
            if let Some(edge) = next.get_mut(*slot as usize) {
                *edge = (byte, target);
            }
            *slot += 1;
        }
        (self.edges, self.next) = (edges, next);
    }

    /// Whether some pattern starts with `byte` (either ASCII case).
    // The search asks this at every word start of a corpus, in a page built for size, which
    // would otherwise call these few instructions rather than inline them; so too `step` and
    // `is_end`, at every byte walked.
    #[inline(always)]
    pub(super) fn starts_with(&self, byte: u8) -> bool {
        self.first_bytes[usize::from(byte)]
    }

    /// The state after `byte` (either ASCII case) from `state`, if any pattern goes on that way.
    #[inline(always)]
    pub(super) fn step(&self, state: State, byte: u8) -> Option<State> {
        let byte = byte.to_ascii_lowercase();
        if state == ROOT {
            return Some(self.first[usize::from(byte)]).filter(|&next| next != ROOT);
        }
        let from = *self.edges.get(at(state))? as usize;
        let to = *self.edges.get(at(state) + 1)? as usize;
        let mut edges = self.next.get(from..to)?.iter();
        edges.find(|&&(b, _)| b == byte).map(|&(_, next)| next)
    }

    /// The state after `bytes` from `state`, if any pattern goes on that way.
    pub(super) fn walk(&self, mut state: State, bytes: &[u8]) -> Option<State> {
        for &byte in bytes {
            state = self.step(state, byte)?;
        }
        Some(state)
    }

    /// Whether some pattern ends at `state` (one that [`Trie::step`] or [`Trie::walk`] gave).
    #[inline(always)]
    pub(super) fn is_end(&self, state: State) -> bool {
        state & END != 0
    }

    /// The patterns that end at `state`.
    pub(super) fn patterns(&self, state: State) -> impl Iterator<Item = u32> + '_ {
        let mut link = self.first_end.get(at(state)).copied().unwrap_or(0);
        std::iter::from_fn(move || {
            let &(pattern, next) = self.ends.get(link.checked_sub(1)? as usize)?;
            link = next;
            Some(pattern)
        })
    }
}
