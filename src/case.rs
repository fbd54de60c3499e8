//! Upper and lower case that keep every character's UTF-8 length, so that a position found in
//! lowered text is the same position in the original. The standard library's full mapping does
//! not: 'İ' lowers to two characters, the Kelvin sign to one byte, and code that searches
//! `line.to_lowercase()` and then slices `line` would cut in the wrong place.
//!
//! It covers the scripts of author names and biomedical text (Latin with its extensions, Greek,
//! Cyrillic, fullwidth Latin) and agrees with the standard library wherever both map a character
//! to one character of the same length; any other character is left as it is. It also keeps the
//! standard library's case tables (about 10 KB gzipped) out of the page.

/// How the characters of one range map between cases.
#[derive(Clone, Copy)]
enum Rule {
    /// The upper-case letters `first..=last` lower by adding this offset.
    Shift(u32),
    /// Upper and lower alternate: `first` upper, `first + 1` lower, and so on.
    Pairs,
}

/// (first, last, rule), where `first..=last` are the upper-case letters for `Shift`, and the
/// whole alternating range for `Pairs`. Sorted, not overlapping.
const RANGES: &[(u32, u32, Rule)] = &[
    (0x41, 0x5A, Rule::Shift(0x20)),
    (0xC0, 0xD6, Rule::Shift(0x20)),
    (0xD8, 0xDE, Rule::Shift(0x20)),
    (0x100, 0x12F, Rule::Pairs),
    (0x132, 0x137, Rule::Pairs),
    (0x139, 0x148, Rule::Pairs),
    (0x14A, 0x177, Rule::Pairs),
    (0x179, 0x17E, Rule::Pairs),
    (0x1CD, 0x1DC, Rule::Pairs),
    (0x1DE, 0x1EF, Rule::Pairs),
    (0x1F8, 0x21F, Rule::Pairs),
    (0x222, 0x233, Rule::Pairs),
    (0x370, 0x373, Rule::Pairs),
    (0x376, 0x377, Rule::Pairs),
    (0x386, 0x386, Rule::Shift(0x26)),
    (0x388, 0x38A, Rule::Shift(0x25)),
    (0x38C, 0x38C, Rule::Shift(0x40)),
    (0x38E, 0x38F, Rule::Shift(0x3F)),
    (0x391, 0x3A1, Rule::Shift(0x20)),
    (0x3A3, 0x3AB, Rule::Shift(0x20)),
    (0x3D8, 0x3EF, Rule::Pairs),
    (0x3F7, 0x3F8, Rule::Pairs),
    (0x3FA, 0x3FB, Rule::Pairs),
    (0x400, 0x40F, Rule::Shift(0x50)),
    (0x410, 0x42F, Rule::Shift(0x20)),
    (0x460, 0x481, Rule::Pairs),
    (0x48A, 0x4BF, Rule::Pairs),
    (0x4C1, 0x4CE, Rule::Pairs),
    (0x4D0, 0x52F, Rule::Pairs),
    (0x1E00, 0x1E95, Rule::Pairs),
    (0x1EA0, 0x1EFF, Rule::Pairs),
    (0xFF21, 0xFF3A, Rule::Shift(0x20)),
];

/// Pairs the Latin-1, Greek and Cyrillic rules above leave out: (upper, lower). Σ lowers by its
/// range above to σ, so its pair here only raises the final ς.
const ODD_PAIRS: &[(u32, u32)] = &[
    (0x178, 0xFF),
    (0x37F, 0x3F3),
    (0x3A3, 0x3C2),
    (0x3CF, 0x3D7),
    (0x3F9, 0x3F2),
    (0x3FD, 0x37B),
    (0x3FE, 0x37C),
    (0x3FF, 0x37D),
    (0x4C0, 0x4CF),
];

/// The lower-case form of `c`, or `c`.
pub fn lower_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let code = c as u32;
    for &(first, last, rule) in RANGES {
        match rule {
            Rule::Shift(offset) if (first..=last).contains(&code) => return shifted(code + offset, c),
            Rule::Pairs if (first..=last).contains(&code) => {
                return if (code - first) % 2 == 0 { shifted(code + 1, c) } else { c };
            }
            _ => {}
        }
    }
    match ODD_PAIRS.iter().find(|&&(upper, _)| upper == code) {
        Some(&(_, lower)) => shifted(lower, c),
        None => c,
    }
}

/// The upper-case form of `c`, or `c`.
pub fn upper_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    let code = c as u32;
    for &(first, last, rule) in RANGES {
        match rule {
            Rule::Shift(offset) if (first + offset..=last + offset).contains(&code) => {
                return shifted(code - offset, c)
            }
            Rule::Pairs if (first..=last).contains(&code) => {
                return if (code - first) % 2 == 1 { shifted(code - 1, c) } else { c };
            }
            _ => {}
        }
    }
    match ODD_PAIRS.iter().find(|&&(_, lower)| lower == code) {
        Some(&(upper, _)) => shifted(upper, c),
        None => c,
    }
}

fn shifted(code: u32, fallback: char) -> char {
    char::from_u32(code).unwrap_or(fallback)
}

/// `text` in lower case, the same length in bytes.
pub fn lower(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.chars().map(lower_char).collect()
}

/// `text` in upper case, the same length in bytes.
pub fn upper(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_uppercase();
    }
    text.chars().map(upper_char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn single(mut mapped: impl Iterator<Item = char>) -> Option<char> {
        let first = mapped.next()?;
        mapped.next().is_none().then_some(first)
    }

    #[test]
    fn never_disagrees_with_the_standard_library_and_never_changes_a_length() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for (ours, theirs) in [(lower_char(c), single(c.to_lowercase())), (upper_char(c), single(c.to_uppercase()))]
            {
                if ours != c {
                    assert_eq!(Some(ours), theirs, "U+{:04X}", c as u32);
                    assert_eq!(ours.len_utf8(), c.len_utf8(), "U+{:04X}", c as u32);
                }
            }
        }
    }

    #[test]
    fn covers_latin_greek_and_cyrillic_wherever_the_standard_library_keeps_lengths() {
        let scripts = [0x00..=0x17F, 0x370..=0x3FF, 0x400..=0x52F, 0x1E00..=0x1EFF, 0xFF00..=0xFF5F];
        for c in scripts.into_iter().flatten().filter_map(char::from_u32) {
            // Letters whose std mapping is a different letter of the same length, and that map
            // back: the case pairs a curator types and reads.
            if let Some(theirs) = single(c.to_lowercase()).filter(|&l| l != c && l.len_utf8() == c.len_utf8()) {
                if single(theirs.to_uppercase()) == Some(c) {
                    assert_eq!(lower_char(c), theirs, "lower U+{:04X}", c as u32);
                    assert_eq!(upper_char(theirs), c, "upper U+{:04X}", theirs as u32);
                }
            }
        }
    }

    #[test]
    fn names_and_greek_letters() {
        assert_eq!(lower("MÜLLER Ærø ŁÓDŹ Ştefan ΑΒΓ-Σ Ёлка"), "müller ærø łódź ştefan αβγ-σ ёлка");
        assert_eq!(upper("garcía ÿ ς ǆ"), "GARCÍA Ÿ Σ ǆ");
        // Characters whose full mapping changes length stay as they are.
        assert_eq!(lower("İ \u{212A}"), "İ \u{212A}");
        assert_eq!(upper("ß ŉ"), "ß ŉ");
    }
}
