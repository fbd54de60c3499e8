//! The patterns recognition looks for, as a trie of their bytes with ASCII case folded.
//!
//! Recognition walks it only from places where a whole word starts, anchored there, so it needs
//! no failure links: a walk ends where the trie has no next byte. An Aho-Corasick automaton
//! computes those links and copies each pattern's matches into the states of longer ones, which
//! was a quarter of the time recognition took, for nothing this search uses.

use rustc_hash::FxHashMap;

/// A state: the bytes walked from the root.
pub(super) type State = u32;

pub(super) const ROOT: State = 0;

/// Built by [`Trie::insert`], then searched by [`Trie::step`] once [`Trie::finish`]ed: a lookup
/// in a hash map at every byte took the page's core twice as long as a scan of a state's few
/// next bytes, held side by side.
pub(super) struct Trie {
    /// While patterns are inserted: the next state after a state and a byte (ASCII lowercase),
    /// keyed `state << 8 | byte`.
    building: FxHashMap<u64, State>,
    /// Once finished: the next bytes of state `s` are `bytes[edges[s]..edges[s + 1]]`, and the
    /// states they lead to are at the same positions in `targets`.
    edges: Vec<u32>,
    bytes: Vec<u8>,
    targets: Vec<State>,
    /// For each state, the first pattern that ends there, as a position in `ends` plus one.
    first_end: Vec<u32>,
    /// `(pattern, the next pattern that ends at the same state, plus one)`.
    ends: Vec<(u32, u32)>,
    /// Once finished: the bytes a pattern starts with, in both ASCII cases.
    first_bytes: [bool; 256],
}

impl Trie {
    pub(super) fn new() -> Self {
        Trie {
            building: FxHashMap::default(),
            edges: Vec::new(),
            bytes: Vec::new(),
            targets: Vec::new(),
            first_end: vec![0],
            ends: Vec::new(),
            first_bytes: [false; 256],
        }
    }

    /// Adds pattern number `pattern`, spelled `bytes`.
    pub(super) fn insert(&mut self, bytes: &[u8], pattern: u32) {
        let mut state = ROOT;
        for &byte in bytes {
            let states = self.first_end.len() as State;
            let next = *self.building.entry(key(state, byte)).or_insert(states);
            if next == states {
                self.first_end.push(0);
            }
            state = next;
        }
        let Some(first) = self.first_end.get_mut(state as usize) else { return };
        self.ends.push((pattern, *first));
        *first = self.ends.len() as u32;
    }

    /// Lays the next bytes of each state side by side, for the search.
    pub(super) fn finish(&mut self) {
        let states = self.first_end.len();
        let mut edges = vec![0u32; states + 1];
        for key in self.building.keys() {
            if let Some(count) = edges.get_mut((key >> 8) as usize + 1) {
                *count += 1;
            }
        }
        for s in 1..edges.len() {
            edges[s] += edges[s - 1];
        }
        let mut filled = edges.clone();
        let total = self.building.len();
        let (mut bytes, mut targets) = (vec![0u8; total], vec![ROOT; total]);
        for (key, target) in self.building.drain() {
            if key >> 8 == u64::from(ROOT) {
                let byte = key as u8;
                self.first_bytes[usize::from(byte)] = true;
                self.first_bytes[usize::from(byte.to_ascii_uppercase())] = true;
            }
            let Some(slot) = filled.get_mut((key >> 8) as usize) else { continue };
            let at = *slot as usize;
            *slot += 1;
            if let (Some(byte), Some(to)) = (bytes.get_mut(at), targets.get_mut(at)) {
                (*byte, *to) = (key as u8, target);
            }
        }
        self.building = FxHashMap::default();
        (self.edges, self.bytes, self.targets) = (edges, bytes, targets);
    }

    /// Whether some pattern starts with `byte` (either ASCII case).
    pub(super) fn starts_with(&self, byte: u8) -> bool {
        self.first_bytes[usize::from(byte)]
    }

    /// The state after `byte` (either ASCII case) from `state`, if any pattern goes on that way.
    pub(super) fn step(&self, state: State, byte: u8) -> Option<State> {
        let byte = byte.to_ascii_lowercase();
        let from = *self.edges.get(state as usize)? as usize;
        let to = *self.edges.get(state as usize + 1)? as usize;
        let at = self.bytes.get(from..to)?.iter().position(|&b| b == byte)?;
        self.targets.get(from + at).copied()
    }

    /// The state after `bytes` from `state`, if any pattern goes on that way.
    pub(super) fn walk(&self, mut state: State, bytes: &[u8]) -> Option<State> {
        for &byte in bytes {
            state = self.step(state, byte)?;
        }
        Some(state)
    }

    /// Whether some pattern ends at `state`.
    pub(super) fn is_end(&self, state: State) -> bool {
        self.first_end.get(state as usize).is_some_and(|&first| first != 0)
    }

    /// The patterns that end at `state`.
    pub(super) fn patterns(&self, state: State) -> impl Iterator<Item = u32> + '_ {
        let mut link = self.first_end.get(state as usize).copied().unwrap_or(0);
        std::iter::from_fn(move || {
            let &(pattern, next) = self.ends.get(link.checked_sub(1)? as usize)?;
            link = next;
            Some(pattern)
        })
    }
}

fn key(state: State, byte: u8) -> u64 {
    u64::from(state) << 8 | u64::from(byte.to_ascii_lowercase())
}
