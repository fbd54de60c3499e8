//! One printed reference (`Fielding AK, Richards SM, et al. Title. Blood. 2007;109:944–50.`) into
//! a CSL-JSON item. Reads the three layouts biomedical pages print:
//! - Vancouver (ICMJE/NLM): `Authors. Title. Journal. Year;Volume(Issue):Pages. doi`;
//! - Nature's: `Family, G.H., Family, G. et al. Title. Journal Volume, Pages (Year).`;
//! - APA: `Family, G. H., & Family, G. (Year). Title. Journal, Volume(Issue), Pages.`
//!
//! The raw text always goes to `note`; a part that cannot be told apart stays out of the item
//! rather than landing in the wrong field.

use super::date::year_of;
use crate::case;
use crate::ids;
use crate::model::{Citation, DateParts};
use crate::names::{is_initials, is_particle, parse_name_list};

/// Reads one reference; `raw` is its text without the list number.
pub fn parse_reference(raw: &str) -> Citation {
    let raw = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut citation = Citation {
        kind: Some("article-journal".into()),
        note: Some(raw.clone()),
        doi: ids::doi(&raw),
        ..Citation::default()
    };
    if raw.to_ascii_lowercase().contains("pmid") {
        citation.pmid = ids::pmid(&raw[raw.to_ascii_lowercase().find("pmid").unwrap_or(0)..]);
    }
    if raw.contains("PMC") {
        citation.pmcid = ids::pmcid(&raw);
    }

    // 1. Drop links and identifiers: they are read above and would confuse the layout.
    let work = without_identifiers(&raw);

    // 2. The author list ends where the layout says: `(Year).`, `et al.`, or the first full stop.
    let (authors, year, rest) = split_authors(&work);
    citation.author = parse_name_list(authors);

    // 3. The title is the next sentence; what follows is the source.
    let (title, source) = split_sentence(rest);
    let title = title.trim().trim_end_matches(['.', ',']).trim();
    if !title.is_empty() {
        citation.title = Some(title.to_string());
    }
    let mut issued = year;
    read_source(source, &mut citation, &mut issued);
    citation.issued = issued.map(|y| DateParts::ymd(y, None, None));
    citation
}

fn without_identifiers(text: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    let mut skip_next = false;
    for token in text.split_whitespace() {
        let lower = token.to_ascii_lowercase();
        if skip_next {
            skip_next = false;
            continue;
        }
        if matches!(lower.as_str(), "doi:" | "doi" | "pmid:" | "pmid" | "pmcid:" | "pmcid") {
            skip_next = true;
            continue;
        }
        if lower.starts_with("http")
            || lower.starts_with("doi:")
            || lower.starts_with("www.")
            || lower.starts_with("10.")
        {
            continue;
        }
        kept.push(token);
    }
    kept.join(" ").trim_end_matches([' ', '.', ',', ';']).to_string()
}

/// Splits `authors`, the year when the layout puts it right after them (APA), and the rest.
fn split_authors(text: &str) -> (&str, Option<i32>, &str) {
    // APA: `Authors (2020). Title...`
    if let Some((at, year, after)) = apa_year(text) {
        return (&text[..at], Some(year), after);
    }
    let lower = case::lower(text);
    if lower.len() == text.len() {
        for marker in ["et al.", "et al,", "et al "] {
            if let Some(at) = lower.find(marker) {
                let before = text.get(..at).unwrap_or("");
                // `et al.` ends the list only when what precedes it is a list of names.
                if names_only(before) {
                    let after = text.get(at + marker.len()..).unwrap_or("");
                    return (before, None, after.trim_start_matches(['.', ',', ' ']));
                }
            }
        }
    }
    if vancouver(text) {
        // Vancouver names carry no full stops, so the first one ends the list.
        if let Some(at) = text.find(". ") {
            return (&text[..at], None, text.get(at + 2..).unwrap_or(""));
        }
    }
    // Names with dotted initials (`Yoon, S.y., Min, G.J. Title`): walk the words while they are
    // names; the list ends after initials that no comma follows.
    let mut offset = 0;
    let mut expecting_given = false;
    let words: Vec<&str> = text.split(' ').collect();
    for (i, word) in words.iter().enumerate() {
        let start = offset;
        offset += word.len() + 1;
        let bare = word.trim_end_matches([',', ';']);
        let comma = word.ends_with(',');
        if expecting_given && is_initials(bare) {
            expecting_given = false;
            let end = start + word.len();
            // `K. & Lee, H.`: the list goes on after the last-but-one name.
            let more = words.get(i + 1).is_some_and(|next| matches!(*next, "&" | "and"));
            if !comma && !more {
                return (&text[..end], None, text.get(end..).unwrap_or("").trim_start());
            }
            continue;
        }
        let capitalised = bare.chars().next().is_some_and(char::is_uppercase);
        if comma && capitalised && !expecting_given {
            expecting_given = true;
            continue;
        }
        if (matches!(bare, "and" | "&") || is_particle(bare)) && !expecting_given {
            continue;
        }
        break;
    }
    ("", None, text)
}

/// Whether every word of `text` can belong to a list of names: no lower-case word but the
/// particles and `and`.
fn names_only(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 80
        && words.iter().all(|word| {
            let bare = word.trim_matches([',', ';', '.']);
            bare.is_empty()
                || is_initials(bare)
                || bare.chars().next().is_some_and(char::is_uppercase)
                || matches!(
                    bare,
                    "and" | "&" | "van" | "von" | "de" | "der" | "den" | "da" | "di" | "du" | "del" | "la" | "le"
                )
                || bare.contains('.') && bare.chars().count() <= 4
        })
}

/// Whether `text` begins like a Vancouver author list: `Family AB,` or `Family AB.`.
fn vancouver(text: &str) -> bool {
    let first = text.split([',', '.']).next().unwrap_or("");
    let words: Vec<&str> = first.split_whitespace().collect();
    match words.as_slice() {
        [.., family, initials] => {
            is_initials(initials)
                && !initials.contains('.')
                && family.chars().next().is_some_and(char::is_uppercase)
                && !is_initials(family)
        }
        _ => false,
    }
}

/// `(2020).` or `(2020a).` after the authors, APA's place for the year.
fn apa_year(text: &str) -> Option<(usize, i32, &str)> {
    let mut from = 0;
    while let Some(found) = text.get(from..)?.find('(') {
        let at = from + found;
        from = at + 1;
        let inner_end = text.get(at..)?.find(')')? + at;
        let inner = text.get(at + 1..inner_end)?;
        if let Some(year) = year_of(inner.trim()) {
            let after = text.get(inner_end + 1..)?.trim_start();
            // A year in brackets at the end (Nature's layout) belongs to the source, not here.
            if after.starts_with('.') && after.len() > 2 && at > 0 {
                return Some((at, year, after.trim_start_matches(['.', ' '])));
            }
        }
    }
    None
}

/// The first sentence of `text` and the rest. A sentence ends at `. `, `? ` or `! ` followed by
/// something that is not lower case.
fn split_sentence(text: &str) -> (&str, &str) {
    let bytes = text.as_bytes();
    for (at, b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b'?' | b'!') && bytes.get(at + 1) == Some(&b' ') {
            let next = text.get(at + 2..).and_then(|s| s.chars().next());
            if next.is_some_and(|c| !c.is_lowercase()) {
                let keep = if *b == b'.' { at } else { at + 1 };
                return (&text[..keep], text.get(at + 2..).unwrap_or(""));
            }
        }
    }
    (text, "")
}

/// Reads `Journal. 2007;109(3):944–50`, `Journal 55, 1469–1472 (2020)`, `Journal, 12(3), 45–67`.
fn read_source(source: &str, citation: &mut Citation, issued: &mut Option<i32>) {
    let source = source.trim().trim_end_matches(['.', ' ']);
    if source.is_empty() {
        return;
    }
    // The journal name runs up to the first word that begins with a digit or a bracket.
    let mut split = source.len();
    let mut offset = 0;
    for word in source.split(' ') {
        if offset > 0 && word.starts_with(|c: char| c.is_ascii_digit() || c == '(') {
            split = offset;
            break;
        }
        offset += word.len() + 1;
    }
    let container = source.get(..split).unwrap_or("").trim().trim_end_matches(['.', ',', ';', ':']).trim();
    if !container.is_empty() && container.chars().any(char::is_alphabetic) {
        citation.container_title = Some(container.to_string());
    }
    let mut locator = source.get(split..).unwrap_or("").trim().to_string();

    // The year: `(2020)` first, else a leading `2007;` or `2007.`, else any four-digit year.
    if let Some(open) = locator.find('(') {
        if let Some(close) = locator[open..].find(')').map(|c| c + open) {
            if let Some(year) = year_of(locator[open + 1..close].trim()) {
                issued.get_or_insert(year);
                locator.replace_range(open..=close, "");
                locator = locator.trim().to_string();
            }
        }
    }
    let words: Vec<String> = locator.split_whitespace().map(str::to_string).collect();
    if let Some(first) = words.first() {
        let head: String = first.chars().take_while(char::is_ascii_digit).collect();
        if let Some(year) = year_of(&head) {
            issued.get_or_insert(year);
            // Vancouver: `2007 Mar 1;109:944–50`: the volume follows the semicolon.
            locator = match locator.find(';') {
                Some(semi) => locator.get(semi + 1..).unwrap_or("").to_string(),
                None => locator.get(head.len()..).unwrap_or("").to_string(),
            };
        }
    }
    let locator = locator.trim().trim_matches([',', '.', ';', ' ']);
    if locator.is_empty() {
        return;
    }
    // `109(3):944–50`, `55, 1469–1472`, `12(3), 45–67`, `e0123`.
    let volume_end = locator.find(['(', ':', ',', ' ']).unwrap_or(locator.len());
    let volume = locator[..volume_end].trim();
    let mut rest = &locator[volume_end..];
    if !volume.is_empty() && volume.chars().any(|c| c.is_ascii_digit()) && volume.chars().count() <= 12 {
        citation.volume = Some(volume.to_string());
    } else {
        return;
    }
    if let Some(inner) = rest.strip_prefix('(') {
        if let Some(close) = inner.find(')') {
            let issue = inner[..close].trim();
            if !issue.is_empty() {
                citation.issue = Some(issue.to_string());
            }
            rest = &inner[close + 1..];
        }
    }
    let page =
        rest.trim_start_matches([':', ',', ' ']).split([',', ' ', ';']).next().unwrap_or("").trim_end_matches('.');
    if page.chars().any(|c| c.is_ascii_digit()) {
        citation.page = Some(page.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn families(citation: &Citation) -> Vec<&str> {
        citation.author.iter().filter_map(|a| a.family.as_deref()).collect()
    }

    #[test]
    fn vancouver_reference() {
        let c = parse_reference("Fielding AK, Richards SM, Chopra R, Lazarus HM, Litzow MR, Buck G, et al. Outcome of 609 adults after relapse of acute lymphoblastic leukemia (ALL); an MRC UKALL12/ECOG 2993 study. Blood. 2007;109:944–50. https://doi.org/10.1182/blood-2006-05-018192.");
        assert_eq!(families(&c), ["Fielding", "Richards", "Chopra", "Lazarus", "Litzow", "Buck"]);
        assert_eq!(c.author[0].given.as_deref(), Some("A. K."));
        assert_eq!(c.title.as_deref(), Some("Outcome of 609 adults after relapse of acute lymphoblastic leukemia (ALL); an MRC UKALL12/ECOG 2993 study"));
        assert_eq!(c.container_title.as_deref(), Some("Blood"));
        assert_eq!((c.volume.as_deref(), c.page.as_deref()), (Some("109"), Some("944–50")));
        assert_eq!(c.issued.as_ref().and_then(DateParts::year), Some(2007));
        assert_eq!(c.doi.as_deref(), Some("10.1182/blood-2006-05-018192"));
    }

    #[test]
    fn vancouver_without_et_al_and_with_issue() {
        let c = parse_reference("Bakst RL, Tallman MS, Douer D, Yahalom J. How I treat extramedullary acute myeloid leukemia. Blood. 2011 Oct 6;118(14):3785–93. doi: 10.1182/blood-2011-04-347229");
        assert_eq!(families(&c), ["Bakst", "Tallman", "Douer", "Yahalom"]);
        assert_eq!(c.title.as_deref(), Some("How I treat extramedullary acute myeloid leukemia"));
        assert_eq!(
            (c.volume.as_deref(), c.issue.as_deref(), c.page.as_deref()),
            (Some("118"), Some("14"), Some("3785–93"))
        );
        let c = parse_reference("Yoon JH, Min GJ, Cho BS et al. Minimal residual disease. Cancer. 2018. https://doi.org/10.1002/cncr.31874.");
        assert_eq!(c.container_title.as_deref(), Some("Cancer"));
        assert_eq!(c.volume, None);
        assert_eq!(c.issued.as_ref().and_then(DateParts::year), Some(2018));
    }

    #[test]
    fn nature_and_apa_references() {
        let c = parse_reference("Yoon, S.y., Yoon, JH., Min, G.J. et al. Experience of blinatumomab salvage. Bone Marrow Transplant 55, 1469–1472 (2020). https://doi.org/10.1038/s41409-019-0708-9");
        assert_eq!(families(&c), ["Yoon", "Yoon", "Min"]);
        assert_eq!(c.container_title.as_deref(), Some("Bone Marrow Transplant"));
        assert_eq!((c.volume.as_deref(), c.page.as_deref()), (Some("55"), Some("1469–1472")));
        assert_eq!(c.issued.as_ref().and_then(DateParts::year), Some(2020));
        let c = parse_reference("Smith, J. A., & Doe, K. (2019). Blinatumomab in children. Journal of Pediatric Oncology, 12(3), 45–67. https://doi.org/10.1000/xyz123");
        assert_eq!(families(&c), ["Smith", "Doe"]);
        assert_eq!(c.title.as_deref(), Some("Blinatumomab in children"));
        assert_eq!(c.container_title.as_deref(), Some("Journal of Pediatric Oncology"));
        assert_eq!(
            (c.volume.as_deref(), c.issue.as_deref(), c.page.as_deref()),
            (Some("12"), Some("3"), Some("45–67"))
        );
        assert_eq!(c.issued.as_ref().and_then(DateParts::year), Some(2019));
        let c = parse_reference("Min, G.J. Short title. J Test 3, 1 (2001).");
        assert_eq!(families(&c), ["Min"]);
        assert_eq!(c.title.as_deref(), Some("Short title"));
    }

    #[test]
    fn odd_references_do_not_panic() {
        for odd in [
            "",
            ".",
            "(",
            "(2020",
            "et al.",
            "A. B. C.",
            "2020;",
            "X (2020). ",
            "Smith J. ",
            "ü ö. 2020;1(",
            "Title. J 1(2",
        ] {
            let c = parse_reference(odd);
            assert_eq!(c.note.as_deref(), Some(odd.split_whitespace().collect::<Vec<_>>().join(" ").as_str()));
        }
    }
}
