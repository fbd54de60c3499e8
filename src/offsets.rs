//! Offsets in the model count Unicode code points. Formats count code points, UTF-8 bytes or
//! UTF-16 units, and the DOM counts UTF-16 units: conversions happen here and nowhere else.

/// Code point positions in one text, answered in O(1): ASCII text needs no table.
pub struct CharIndex<'a> {
    text: &'a str,
    /// Byte position of each code point, plus one past the end; empty for ASCII text.
    bytes: Vec<usize>,
}

impl<'a> CharIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let bytes = if text.is_ascii() {
            Vec::new()
        } else {
            // A code point starts at every byte that is not a UTF-8 continuation byte (10xxxxxx).
            let is_start = |b: u8| b & 0xC0 != 0x80;
            let starts = text.bytes().enumerate().filter(|&(_, b)| is_start(b)).map(|(at, _)| at);
            let mut bytes = Vec::with_capacity(text.bytes().filter(|&b| is_start(b)).count() + 1);
            bytes.extend(starts);
            bytes.push(text.len());
            bytes
        };
        CharIndex { text, bytes }
    }

    /// Length of the text in code points.
    pub fn len(&self) -> usize {
        if self.bytes.is_empty() {
            self.text.len()
        } else {
            self.bytes.len() - 1
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The byte position of code point `at`, if it lies within the text (or at its end).
    pub fn byte(&self, at: usize) -> Option<usize> {
        if self.bytes.is_empty() {
            (at <= self.text.len()).then_some(at)
        } else {
            self.bytes.get(at).copied()
        }
    }

    /// The code points `[start, end)`, if both lie within the text and `start <= end`.
    pub fn slice(&self, start: usize, end: usize) -> Option<&'a str> {
        if start > end {
            return None;
        }
        let text: &'a str = self.text;
        Some(&text[self.byte(start)?..self.byte(end)?])
    }
}

/// Code point positions in one text, for positions asked for mostly in increasing order (a
/// document's annotations): each answer walks on from the last, with no table to build.
pub struct CharCursor<'a> {
    text: &'a str,
    ascii: bool,
    /// The last position answered, in code points and in bytes.
    at: (usize, usize),
}

impl<'a> CharCursor<'a> {
    pub fn new(text: &'a str) -> Self {
        CharCursor { text, ascii: text.is_ascii(), at: (0, 0) }
    }

    /// The byte position of code point `at`, if it lies within the text (or at its end).
    pub fn byte(&mut self, at: usize) -> Option<usize> {
        if self.ascii {
            return (at <= self.text.len()).then_some(at);
        }
        let (mut char_at, mut byte_at) = self.at;
        // Nested and overlapping mentions step back a little: walk back from here, not from
        // the start.
        let mut before = self.text.get(..byte_at)?.chars();
        while char_at > at {
            byte_at -= before.next_back()?.len_utf8();
            char_at -= 1;
        }
        let mut rest = self.text.get(byte_at..)?.chars();
        while char_at < at {
            byte_at += rest.next()?.len_utf8();
            char_at += 1;
        }
        self.at = (char_at, byte_at);
        Some(byte_at)
    }

    /// The code points `[start, end)`, if both lie within the text and `start <= end`.
    pub fn slice(&mut self, start: usize, end: usize) -> Option<&'a str> {
        if start > end {
            return None;
        }
        let start = self.byte(start)?;
        let end = self.byte(end)?;
        self.text.get(start..end)
    }
}

/// Line numbers (from 1) of byte positions in one text, for diagnostics; built once per file.
pub struct LineIndex(Vec<usize>);

impl LineIndex {
    pub fn new(text: &str) -> Self {
        LineIndex(memchr::memchr_iter(b'\n', text.as_bytes()).collect())
    }

    /// The line holding byte `at` (XML readers report positions as `u64`).
    pub fn of(&self, at: u64) -> u32 {
        let at = usize::try_from(at).unwrap_or(usize::MAX);
        self.0.partition_point(|&newline| newline < at) as u32 + 1
    }
}

/// Length of a string in code points.
pub fn char_len(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

/// Maps code point offsets of one text to UTF-16 offsets, for the page. Built once per text.
pub struct Utf16Map {
    /// UTF-16 position of each code point, plus one past the end; empty when they are equal
    /// (no astral characters).
    units: Vec<u32>,
}

impl Utf16Map {
    pub fn new(text: &str) -> Self {
        if !text.chars().any(|c| c.len_utf16() == 2) {
            return Utf16Map { units: Vec::new() };
        }
        let mut units = Vec::with_capacity(text.len() + 1);
        let mut at = 0u32;
        for c in text.chars() {
            units.push(at);
            at += c.len_utf16() as u32;
        }
        units.push(at);
        Utf16Map { units }
    }

    pub fn of(&self, code_point: usize) -> usize {
        if self.units.is_empty() {
            code_point
        } else {
            self.units.get(code_point).or(self.units.last()).copied().unwrap_or(0) as usize
        }
    }
}

/// Converts a byte offset of `text` to a code point offset, if it falls on a character boundary.
pub fn char_of_byte(text: &str, byte: usize) -> Option<usize> {
    text.is_char_boundary(byte).then(|| char_len(&text[..byte]))
}

/// Converts a UTF-16 offset of `text` to a code point offset, if it does not split a surrogate pair.
pub fn char_of_utf16(text: &str, unit: usize) -> Option<usize> {
    let mut units = 0;
    for (chars, c) in text.chars().enumerate() {
        if units == unit {
            return Some(chars);
        }
        units += c.len_utf16();
        if units > unit {
            return None;
        }
    }
    (units == unit).then(|| char_len(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_by_code_points() {
        let text = "αβ 𝔸x 😀!";
        let index = CharIndex::new(text);
        assert_eq!(index.len(), 8);
        assert_eq!(index.slice(3, 5), Some("𝔸x"));
        assert_eq!(index.slice(6, 8), Some("😀!"));
        assert_eq!(index.slice(6, 9), None);
        assert_eq!(index.slice(5, 4), None);
        assert_eq!(CharIndex::new("abc").slice(1, 3), Some("bc"));
    }

    #[test]
    fn a_cursor_answers_as_the_index_in_any_order() {
        for text in ["αβ 𝔸x 😀!", "plain ascii", ""] {
            let index = CharIndex::new(text);
            let mut cursor = CharCursor::new(text);
            let length = index.len();
            let positions = (0..=length + 1).chain((0..=length + 1).rev()).chain([3, 1, 4, 1, 5, 9, 2, 6]);
            for (start, end) in positions.clone().zip(positions.skip(1)) {
                assert_eq!(cursor.slice(start, end), index.slice(start, end), "{text}: {start}..{end}");
                assert_eq!(cursor.byte(end), index.byte(end), "{text}: {end}");
            }
        }
    }

    #[test]
    fn converts_between_units() {
        let text = "a😀b é";
        let map = Utf16Map::new(text);
        assert_eq!((map.of(0), map.of(1), map.of(2), map.of(5)), (0, 1, 3, 6));
        assert_eq!(char_of_byte(text, 5), Some(2));
        assert_eq!(char_of_byte(text, 2), None);
        assert_eq!(char_of_utf16(text, 3), Some(2));
        assert_eq!(char_of_utf16(text, 2), None);
        assert_eq!(char_of_utf16(text, 6), Some(5));
    }
}
