//! Personal names as bibliographic sources print them, split into CSL-JSON's parts.
//!
//! The forms read:
//! - `Given Family` (`Ludmila A. Vavilova`, `L. A. Vavilova`, `Yu. Yu. Dyakonova`);
//! - `Family, Given` (`Yoon, S.y.`, `van der Berg, Anna`), and BibTeX's `von Last, Jr, First`;
//! - Vancouver `Family GI` (`Fielding AK`, `Hernandez-Rivas JM`, `Vavilova L.A.`), the initials
//!   written out as `A. K.` so that every style can shorten or join them;
//! - lower-case particles (`van`, `de`, `von der`) go to `non-dropping-particle`, as citeproc-js
//!   parses them; suffixes (`Jr.`, `III`) to `suffix`;
//! - groups (`PETHEMA Study Group`) stay whole in `literal`.
//!
//! Affiliation marks after a name (`Smith J1,2*`, `Jane Doe†`) and roles in brackets
//! (`(Author)`) are not part of it.

use crate::case;
use crate::model::Name;

/// Lower-case words that begin a family name in Dutch, German, French, Spanish, Portuguese,
/// Italian and Arabic names.
const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "das", "dos", "du", "la", "le", "ten", "ter", "zu",
    "vom", "op", "bin", "ibn", "al", "el", "st.", "y", "d'", "l'",
];

const SUFFIXES: &[&str] = &["jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "2nd", "3rd"];

/// Words that make a name a group's rather than a person's.
const GROUP_WORDS: &[&str] = &[
    "group",
    "consortium",
    "committee",
    "collaboration",
    "collaborative",
    "collaborators",
    "investigators",
    "society",
    "association",
    "organization",
    "organisation",
    "network",
    "council",
    "institute",
    "team",
    "working",
    "study",
    "trial",
    "project",
    "centre",
    "center",
    "department",
    "university",
    "foundation",
];

/// One name in any of the forms above. An empty or unreadable name comes back as `literal`.
pub fn parse_name(text: &str) -> Name {
    let cleaned = clean(text);
    let name = cleaned.as_str();
    if name.is_empty() {
        return Name::default();
    }
    if is_group(name) {
        return Name { literal: Some(name.to_string()), ..Name::default() };
    }
    if name.contains(',') {
        return family_first(name);
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.as_slice() {
        [] => Name::default(),
        [single] => Name { family: Some(single.to_string()), ..Name::default() },
        [.., last] if is_suffix(last) && words.len() >= 3 => {
            let mut parsed = parse_name(&words[..words.len() - 1].join(" "));
            parsed.suffix = Some(last.to_string());
            parsed
        }
        [first, .., last] if is_initials(last) && !is_initials(first) => {
            // Vancouver: `Fielding AK`, `Hernandez-Rivas JM`, `Vavilova L.A.`.
            let family_words = &words[..words.len() - 1];
            with_particle(family_words.join(" "), Some(spell_initials(last)))
        }
        _ => {
            // `Given [particles] Family`: the family name is the last word and the lower-case
            // particles right before it.
            let mut split = words.len() - 1;
            while split > 1 && is_particle(words[split - 1]) {
                split -= 1;
            }
            let given = words[..split].join(" ");
            let family_words = &words[split..];
            let family = family_words[family_words.len() - 1].to_string();
            let particle = family_words[..family_words.len() - 1].join(" ");
            Name {
                family: Some(family),
                given: Some(given),
                non_dropping_particle: (!particle.is_empty()).then_some(particle),
                ..Name::default()
            }
        }
    }
}

/// `Family, Given`, `Family, Given, Jr.` and BibTeX's `von Last, Jr, First`.
fn family_first(name: &str) -> Name {
    let parts: Vec<&str> = name.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
    let (family, given, suffix) = match parts.as_slice() {
        [] => return Name::default(),
        [family] => (*family, None, None),
        [family, given] => (*family, Some(*given), None),
        [family, middle, last, ..] if is_suffix(middle) => (*family, Some(*last), Some(*middle)),
        [family, given, rest @ ..] => (*family, Some(*given), rest.first().copied().filter(|s| is_suffix(s))),
    };
    let mut parsed = with_particle(family.to_string(), given.map(str::to_string));
    parsed.suffix = suffix.map(str::to_string);
    parsed
}

/// Splits leading lower-case particles off a family name: `van der Berg` → `van der` + `Berg`.
fn with_particle(family: String, given: Option<String>) -> Name {
    let words: Vec<&str> = family.split_whitespace().collect();
    let particles = words.iter().take_while(|w| is_particle(w)).count();
    let (particle, family) = if particles > 0 && particles < words.len() {
        (Some(words[..particles].join(" ")), words[particles..].join(" "))
    } else {
        (None, family)
    };
    Name {
        family: Some(family),
        given: given.filter(|g| !g.is_empty()),
        non_dropping_particle: particle,
        ..Name::default()
    }
}

/// A list of names as a byline or a reference prints it: separated by `;`, `and`, `&` or commas,
/// `Family, Given` pairs recognised, and `et al.` (or `and others`) ending the list.
pub fn parse_name_list(text: &str) -> Vec<Name> {
    let (names, _) = parse_name_list_et_al(text);
    names
}

/// As [`parse_name_list`], and whether the list ended with `et al.`: the names are not all there.
pub fn parse_name_list_et_al(text: &str) -> (Vec<Name>, bool) {
    let (text, et_al) = strip_et_al(text);
    let mut names = Vec::new();
    let chunks: Vec<String> = if text.contains(';') {
        text.split(';').map(str::to_string).collect()
    } else {
        split_words(&text, &["and", "&"])
    };
    for chunk in chunks {
        let chunk = chunk.trim().trim_start_matches("and ").trim_start_matches("& ").trim();
        if chunk.is_empty() {
            continue;
        }
        if text.contains(';') || !chunk.contains(',') {
            names.push(parse_name(chunk));
            continue;
        }
        let segments: Vec<&str> = chunk.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
        let mut i = 0;
        while i < segments.len() {
            let segment = segments[i];
            let next = segments.get(i + 1);
            // A one-word segment followed by another is `Family, Given`: `Yoon, S.y., Min, G.J.`.
            if family_like(segment) && !is_initials(segment) && !is_suffix(segment) {
                if let Some(given) = next {
                    let suffix = segments.get(i + 2).filter(|s| is_suffix(s));
                    let mut name = parse_name(&format!("{segment}, {given}"));
                    if let Some(suffix) = suffix {
                        name.suffix = Some(suffix.to_string());
                        i += 1;
                    }
                    names.push(name);
                    i += 2;
                    continue;
                }
            }
            if is_suffix(segment) {
                if let Some(last) = names.last_mut() {
                    last.suffix = Some(segment.to_string());
                }
            } else {
                names.push(parse_name(segment));
            }
            i += 1;
        }
    }
    names.retain(|name| *name != Name::default());
    (names, et_al)
}

/// Splits on the separator words (`and`, `&`) standing alone between spaces.
fn split_words(text: &str, separators: &[&str]) -> Vec<String> {
    let mut chunks = vec![String::new()];
    for word in text.split_whitespace() {
        if separators.contains(&word) {
            chunks.push(String::new());
        } else if let Some(current) = chunks.last_mut() {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
    }
    chunks
}

fn strip_et_al(text: &str) -> (String, bool) {
    let lower = case::lower(text);
    // Lower-casing can change byte lengths; positions are only reused when it did not.
    if lower.len() == text.len() {
        for marker in ["et al", "and others", "et. al"] {
            for (at, _) in lower.match_indices(marker) {
                let starts_word = lower[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
                if starts_word && text.is_char_boundary(at) {
                    return (text[..at].trim_end().trim_end_matches([',', ';']).to_string(), true);
                }
            }
        }
    }
    (text.to_string(), false)
}

/// Drops what is printed with a name but is not part of it: roles in brackets, affiliation
/// numbers and marks, stray punctuation at the ends.
fn clean(text: &str) -> String {
    let mut name = text.trim().to_string();
    loop {
        let trimmed = name.trim_end();
        if let Some(open) = trimmed.rfind('(').filter(|_| trimmed.ends_with(')')) {
            name = trimmed[..open].to_string();
            continue;
        }
        let stripped = trimmed.trim_end_matches(|c: char| {
            c.is_ascii_digit()
                || matches!(c, '*' | '†' | '‡' | '§' | '¶' | '#' | ',' | ';' | '¹' | '²' | '³')
                || ('⁰'..='⁹').contains(&c)
        });
        if stripped.len() == name.len() {
            break;
        }
        name = stripped.to_string();
    }
    name.split_whitespace().collect::<Vec<_>>().join(" ").trim_start_matches([',', ';', ':']).trim().to_string()
}

/// One word, or particles and one word (`van der Berg`): a family name standing alone.
fn family_like(segment: &str) -> bool {
    let words: Vec<&str> = segment.split_whitespace().collect();
    match words.split_last() {
        Some((_, particles)) => particles.iter().all(|w| is_particle(w)),
        None => false,
    }
}

fn is_group(name: &str) -> bool {
    let words: Vec<String> =
        name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(case::lower).collect();
    words.len() >= 2 && words.iter().any(|w| GROUP_WORDS.contains(&w.as_str()))
}

/// `van`, `de`, `von der`'s words: lower-case particles that begin a family name.
pub fn is_particle(word: &str) -> bool {
    PARTICLES.contains(&word) || word.starts_with("d'") || word.starts_with("d’")
}

fn is_suffix(word: &str) -> bool {
    SUFFIXES.contains(&case::lower(word).as_str())
}

/// `AK`, `A.K.`, `A. K.`, `Yu.`, `Kh.`, `JH.`, `S.y.`, `J.-H.`: initials, not a name.
pub fn is_initials(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.is_empty() || !word.chars().all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '‐')) {
        return false;
    }
    let first_upper = letters.first().is_some_and(|c| c.is_uppercase());
    if word.contains('.') {
        // Every dotted piece is one or two letters (`Yu.`, `Kh.`), starting with a capital.
        return first_upper
            && word.split(['.', '-']).filter(|p| !p.is_empty()).all(|p| {
                let n = p.chars().count();
                n <= 2 && p.chars().next().is_some_and(|c| c.is_uppercase() || n == 1)
            });
    }
    // Undotted: Vancouver writes up to three capitals (`A`, `AK`, `JMH`).
    letters.len() <= 3 && letters.iter().all(|c| c.is_uppercase())
}

/// `AK` → `A. K.`; dotted initials (`L.A.`, `Yu.`) are kept as printed.
fn spell_initials(initials: &str) -> String {
    if initials.contains('.') {
        return initials.to_string();
    }
    let mut out = String::new();
    for c in initials.chars() {
        if c == '-' || c == '‐' {
            if out.ends_with(' ') {
                out.pop();
            }
            out.push('-');
            continue;
        }
        if !out.is_empty() && !out.ends_with('-') {
            out.push(' ');
        }
        out.push(c);
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(name: &str) -> (Option<String>, Option<String>) {
        let name = parse_name(name);
        (name.family, name.given)
    }

    fn fg(family: &str, given: &str) -> (Option<String>, Option<String>) {
        (Some(family.to_string()), Some(given.to_string()))
    }

    #[test]
    fn given_family() {
        assert_eq!(parts("Suleimen Zhumatayev"), fg("Zhumatayev", "Suleimen"));
        assert_eq!(parts("Safiye Suna Celen (Author)"), fg("Celen", "Safiye Suna"));
        assert_eq!(parts("L. A. Vavilova"), fg("Vavilova", "L. A."));
        assert_eq!(parts("Yu. Yu. Dyakonova"), fg("Dyakonova", "Yu. Yu."));
        assert_eq!(parts("L. Kh. Anderzhanova"), fg("Anderzhanova", "L. Kh."));
        assert_eq!(parts("Jane Doe1,2*"), fg("Doe", "Jane"));
    }

    #[test]
    fn family_given_and_vancouver() {
        assert_eq!(parts("Yoon, S.y."), fg("Yoon", "S.y."));
        assert_eq!(parts("Fielding AK"), fg("Fielding", "A. K."));
        assert_eq!(parts("Hernandez-Rivas JM"), fg("Hernandez-Rivas", "J. M."));
        assert_eq!(parts("O’Donnell M"), fg("O’Donnell", "M."));
        assert_eq!(parts("Vavilova L.A."), fg("Vavilova", "L.A."));
        assert_eq!(parts("Shem-Tov N"), fg("Shem-Tov", "N."));
    }

    #[test]
    fn particles_and_suffixes() {
        let name = parse_name("Ludwig van Beethoven");
        assert_eq!(name.family.as_deref(), Some("Beethoven"));
        assert_eq!(name.non_dropping_particle.as_deref(), Some("van"));
        assert_eq!(name.given.as_deref(), Some("Ludwig"));
        let name = parse_name("van der Berg, Anna");
        assert_eq!((name.family.as_deref(), name.non_dropping_particle.as_deref()), (Some("Berg"), Some("van der")));
        let name = parse_name("de Vries J");
        assert_eq!((name.family.as_deref(), name.given.as_deref()), (Some("Vries"), Some("J.")));
        assert_eq!(name.non_dropping_particle.as_deref(), Some("de"));
        let name = parse_name("Martin Luther King Jr.");
        assert_eq!((name.family.as_deref(), name.suffix.as_deref()), (Some("King"), Some("Jr.")));
        let name = parse_name("King, Jr, Martin Luther");
        assert_eq!((name.given.as_deref(), name.suffix.as_deref()), (Some("Martin Luther"), Some("Jr")));
    }

    #[test]
    fn groups_and_odd_input() {
        assert_eq!(parse_name("PETHEMA Study Group").literal.as_deref(), Some("PETHEMA Study Group"));
        assert_eq!(parse_name(""), Name::default());
        assert_eq!(parse_name("  ,,; ").family, None);
        assert_eq!(parse_name("Aristotle").family.as_deref(), Some("Aristotle"));
        for odd in ["(", ")", "()", ",", "a,", ", b", "Jr.", "1 2 3", "ü ö", "-", ".", "X Y Z Jr"] {
            let _ = parse_name(odd);
            let _ = parse_name_list(odd);
        }
    }

    #[test]
    fn lists() {
        let names = parse_name_list("Fielding AK, Richards SM, Chopra R, et al.");
        let families: Vec<_> = names.iter().filter_map(|n| n.family.as_deref()).collect();
        assert_eq!(families, ["Fielding", "Richards", "Chopra"]);
        let (names, et_al) = parse_name_list_et_al("Yoon, S.y., Yoon, JH., Min, G.J. et al.");
        assert!(et_al);
        let pairs: Vec<_> = names.iter().map(|n| (n.family.as_deref(), n.given.as_deref())).collect();
        assert_eq!(pairs, [(Some("Yoon"), Some("S.y.")), (Some("Yoon"), Some("JH.")), (Some("Min"), Some("G.J."))]);
        let names = parse_name_list("Doe, Jane and Roe, Richard");
        assert_eq!(names.len(), 2);
        assert_eq!(names[1].given.as_deref(), Some("Richard"));
        let names = parse_name_list("Jane Doe, John Smith and Ann Lee");
        assert_eq!(names.iter().filter_map(|n| n.family.as_deref()).collect::<Vec<_>>(), ["Doe", "Smith", "Lee"]);
        let names = parse_name_list("van der Berg, Anna, Jansen, Pieter");
        assert_eq!(names.iter().filter_map(|n| n.family.as_deref()).collect::<Vec<_>>(), ["Berg", "Jansen"]);
        assert_eq!(names[0].non_dropping_particle.as_deref(), Some("van der"));
        let names = parse_name_list("Smith, J.; Doe, K.");
        assert_eq!(names.len(), 2);
    }
}
