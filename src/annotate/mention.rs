//! The rules that decide when a mention annotated in one document may be recognized in another:
//! how its text is normalized, whether its case matters, whether it is specific enough to infer,
//! and where in a text a match may start and end.

use crate::case;

/// Whether a mention is compared with its case or without.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Case {
    /// An acronym or a symbol (`CD19`, `ALL`, `B-ALL`, `mRNA`): its case carries meaning, and
    /// `all` or `cd19` in running text is something else.
    Exact,
    /// A word or phrase (`blinatumomab`, `Blinatumomab`, `Acute Lymphoblastic Leukemia`): a capital
    /// only starts a sentence or a title word, so any case matches.
    Folded,
}

impl Case {
    /// A mention is [`Case::Exact`] when one of its words has a capital after its first letter.
    pub fn of(mention: &str) -> Case {
        let exact = if mention.is_ascii() {
            ascii_capital_inside_word(mention.as_bytes())
        } else {
            mention.split(|c: char| !c.is_alphanumeric()).any(|word| word.chars().skip(1).any(char::is_uppercase))
        };
        if exact {
            Case::Exact
        } else {
            Case::Folded
        }
    }
}

/// [`Case::of`]'s test for ASCII text, in a plain loop: the page's core is built for size, where
/// the general one's iterator adapters are calls, and it runs for every annotation loaded.
fn ascii_capital_inside_word(bytes: &[u8]) -> bool {
    let mut in_word = false;
    for &byte in bytes {
        if byte.is_ascii_uppercase() && in_word {
            return true;
        }
        in_word = byte.is_ascii_alphanumeric();
    }
    false
}

/// The form under which a mention is indexed: whitespace runs become one space, and a
/// [`Case::Folded`] mention is lowercased.
pub fn normalize(mention: &str) -> (String, Case) {
    let mut normal = String::with_capacity(mention.len());
    let case = normalize_into(mention, &mut normal);
    (normal, case)
}

/// [`normalize`] into a buffer the caller reuses: a corpus indexes hundreds of thousands of
/// mentions, nearly all of them already known.
pub fn normalize_into(mention: &str, normal: &mut String) -> Case {
    let case = Case::of(mention);
    normal.clear();
    if mention.is_ascii() {
        // The same as below, in a plain loop (see `ascii_capital_inside_word`).
        let mut space = false;
        for &byte in mention.as_bytes() {
            // char::is_whitespace on ASCII, which includes the vertical tab.
            if matches!(byte, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r') {
                space = !normal.is_empty();
                continue;
            }
            if space {
                normal.push(' ');
                space = false;
            }
            normal.push(char::from(if case == Case::Folded { byte.to_ascii_lowercase() } else { byte }));
        }
        return case;
    }
    for word in mention.split_whitespace() {
        if !normal.is_empty() {
            normal.push(' ');
        }
        match case {
            Case::Exact => normal.push_str(word),
            Case::Folded => normal.extend(word.chars().map(case::lower_char)),
        }
    }
    case
}

/// Too short (under three characters) or without a letter (`12`, `2.5`, `1-3`): such a mention
/// matches everywhere and means something different each time, so it is never inferred.
pub fn too_vague(normal: &str) -> bool {
    normal.chars().nth(2).is_none() || !normal.chars().any(char::is_alphabetic)
}

/// A common noun as written: no capital at all, or one word capitalized only at its start
/// (`patients`, `Patients`, `mice`), as opposed to `Escherichia coli`, `E. coli`, `HIV`.
pub fn is_common_noun(surface: &str) -> bool {
    let mut chars = surface.trim().chars();
    let first = chars.next();
    let rest_has_capital = chars.clone().any(char::is_uppercase);
    let one_word = !chars.any(char::is_whitespace);
    match first {
        None => true,
        Some(_) if rest_has_capital => false,
        Some(c) if c.is_uppercase() => one_word,
        Some(_) => true,
    }
}

/// Organism types: a species annotation on a common noun (`patients`, `children`, `mice`) is an
/// annotator's judgement in context, and inferred everywhere it would paint every second word.
pub fn is_organism(kind: &str, concepts: &[String]) -> bool {
    let kind = kind.to_ascii_lowercase();
    matches!(kind.as_str(), "species" | "organismtaxon" | "organism" | "taxon" | "organism_taxon")
        || concepts.iter().any(|c| {
            let c = c.to_ascii_lowercase();
            c.starts_with("ncbitaxon:") || c.starts_with("taxonomy:") || c.starts_with("tax:")
        })
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

/// A piece of one or two letters or digits (`B` of `B-ALL`, `IL` of `IL-2`, `19` of `COVID-19`):
/// joined by a hyphen it makes a different name, so the hyphen does not end a word there.
fn is_short_piece(mut chars: impl Iterator<Item = char>) -> bool {
    let length = chars.by_ref().take_while(|c| c.is_alphanumeric()).take(3).count();
    (1..=2).contains(&length)
}

/// Whether the bytes `[start, end)` of `text` can be a whole mention: not inside a word.
///
/// Letters and digits on either side reject a match. A hyphen ends a word (`anti-CD19`,
/// `CD19-positive`, `blinatumomab-induced`) unless it joins a piece of one or two letters or
/// digits (`B-ALL`, `T-cell`, `HLA-A`, `COVID-19`). An apostrophe ends a word as a quote or a
/// possessive `'s` (`Hodgkin's`), not inside a name (`O'Brien`) or a contraction.
pub fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    word_starts_at(text, start) && word_ends_at(text, end)
}

/// Whether a whole mention may start at byte `start` of `text` (the left half of
/// [`is_whole_word`]).
#[inline(always)]
pub fn word_starts_at(text: &str, start: usize) -> bool {
    // Recognition asks this at every word start of a corpus: after an ASCII character other
    // than a hyphen or an apostrophe the answer needs no decoding (and, in a page built for
    // size, no call).
    match start.checked_sub(1).map(|before| text.as_bytes().get(before)) {
        Some(Some(&byte)) if byte.is_ascii() && text.is_char_boundary(start) => match byte {
            b'-' | b'\'' => starts_a_word(text.get(..start).unwrap_or_default()),
            _ => !byte.is_ascii_alphanumeric(),
        },
        _ => text.get(..start).is_some_and(starts_a_word),
    }
}

/// Whether a whole mention may end at byte `end` of `text` (the right half of [`is_whole_word`]).
pub fn word_ends_at(text: &str, end: usize) -> bool {
    text.get(end..).is_some_and(ends_a_word)
}

fn starts_a_word(before: &str) -> bool {
    let mut back = before.chars().rev();
    match back.next() {
        None => true,
        Some(c) if c.is_alphanumeric() => false,
        Some(c) if is_hyphen(c) => !is_short_piece(back),
        Some(c) if is_apostrophe(c) => !back.next().is_some_and(char::is_alphanumeric),
        Some(_) => true,
    }
}

fn ends_a_word(after: &str) -> bool {
    let mut next = after.chars();
    match next.next() {
        None => true,
        Some(c) if c.is_alphanumeric() => false,
        Some(c) if is_hyphen(c) => !is_short_piece(next),
        Some(c) if is_apostrophe(c) => match next.next() {
            Some('s') => !next.next().is_some_and(char::is_alphanumeric),
            Some(c) => !c.is_alphanumeric(),
            None => true,
        },
        Some(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_follows_the_words() {
        for exact in ["CD19", "ALL", "B-ALL", "mRNA", "CAR T-cell", "SARS-CoV-2"] {
            assert_eq!(Case::of(exact), Case::Exact, "{exact}");
        }
        for folded in ["blinatumomab", "Blinatumomab", "Acute Lymphoblastic Leukemia", "p53", "B-cell", "Ménière"] {
            assert_eq!(Case::of(folded), Case::Folded, "{folded}");
        }
        assert_eq!(
            normalize(" Acute\n lymphoblastic  Leukemia"),
            ("acute lymphoblastic leukemia".into(), Case::Folded)
        );
        assert_eq!(normalize("B-ALL"), ("B-ALL".into(), Case::Exact));
    }

    proptest::proptest! {
        /// The plain loops for ASCII mentions give what the general code gives.
        #[test]
        fn ascii_shortcuts_agree_with_the_general_rules(mention in "[ -~\t\n\x0B\x0C\r]{0,24}") {
            let general_case = if mention.split(|c: char| !c.is_alphanumeric()).any(|w| w.chars().skip(1).any(char::is_uppercase)) {
                Case::Exact
            } else {
                Case::Folded
            };
            proptest::prop_assert_eq!(Case::of(&mention), general_case);
            let words: Vec<String> = mention
                .split_whitespace()
                .map(|w| if general_case == Case::Folded { w.chars().map(case::lower_char).collect() } else { w.to_string() })
                .collect();
            proptest::prop_assert_eq!(normalize(&mention), (words.join(" "), general_case));
        }
    }

    #[test]
    fn vague_mentions() {
        assert!(too_vague("IL"));
        assert!(too_vague("12.5"));
        assert!(too_vague("1-3"));
        assert!(!too_vague("ALL"));
        assert!(!too_vague("5-FU"));
    }

    #[test]
    fn common_nouns() {
        assert!(is_common_noun("patients"));
        assert!(is_common_noun("Patients"));
        assert!(is_common_noun("human immunodeficiency virus"));
        assert!(!is_common_noun("Escherichia coli"));
        assert!(!is_common_noun("HIV"));
        assert!(!is_common_noun("E. coli"));
    }

    #[test]
    fn word_edges() {
        let whole = |text: &str, word: &str| {
            let start = text.find(word).unwrap();
            is_whole_word(text, start, start + word.len())
        };
        assert!(whole("use of blinatumomab.", "blinatumomab"));
        assert!(!whole("blinatumomabs", "blinatumomab"));
        assert!(!whole("xCD19", "CD19"));
        assert!(!whole("CD190", "CD19"));
        assert!(whole("anti-CD19 therapy", "CD19"));
        assert!(whole("CD19-positive cells", "CD19"));
        assert!(!whole("refractory B-ALL", "ALL"));
        assert!(!whole("HLA-A typing", "HLA"));
        assert!(whole("Hodgkin's disease", "Hodgkin"));
        assert!(whole("'blinatumomab'", "blinatumomab"));
        assert!(!whole("O'Brien", "Brien"));
        assert!(!whole("αCD19", "CD19"));
        assert!(whole("(CD19)", "CD19"));
    }
}
