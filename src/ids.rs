//! Identifiers of scholarly works and people, found in free text and checked: DOI, ORCID, ISSN,
//! PMID, PMCID. Every function takes whatever a file holds (a bare id, a URL, a labelled line, a
//! sentence) and returns the identifier in the one form the model stores, or `None` when there is
//! no valid one. A value that fails its check digit is not an identifier: callers keep the text
//! elsewhere (a `note`) rather than store a wrong id.
//!
//! Hand-written scanners rather than the `regex` crate: the WebAssembly page has a size budget.

/// The first DOI in `text`, bare (no `https://doi.org/`, no `doi:`), as printed.
///
/// Follows Crossref's advice for matching modern DOIs, `10.\d{4,9}/\S+`, then drops what a
/// sentence or a reference list puts after one: a final `.`, `,`, `;`, `:`, quotes, and closing
/// brackets that the DOI did not open (`10.1016/S0140-6736(20)30183-5` keeps its own).
pub fn doi(text: &str) -> Option<String> {
    find_doi(text).map(|(start, end)| text[start..end].to_string())
}

/// Where the first DOI in `text` lies, as a byte range of `text` (see [`doi`]).
pub fn find_doi(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(found) = memchr::memmem::find(&bytes[from..], b"10.") {
        let start = from + found;
        from = start + 3;
        // `110.1234/x` or `v10.1` are not DOIs: the prefix starts a token or follows a separator.
        if start > 0 && bytes.get(start - 1).is_some_and(|b| b.is_ascii_alphanumeric()) {
            continue;
        }
        let registrant = bytes[start + 3..].iter().take_while(|b| b.is_ascii_digit() || **b == b'.').count();
        let digits = bytes[start + 3..start + 3 + registrant].iter().filter(|b| b.is_ascii_digit()).count();
        let slash = start + 3 + registrant;
        if !(4..=9).contains(&digits)
            || !bytes.get(start + 3).is_some_and(u8::is_ascii_digit)
            || bytes.get(slash) != Some(&b'/')
        {
            continue;
        }
        let suffix_start = slash + 1;
        let suffix_len = text[suffix_start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
            .unwrap_or(text.len() - suffix_start);
        let end = trim_doi_suffix(&text[suffix_start..suffix_start + suffix_len]) + suffix_start;
        if end > suffix_start {
            return Some((start, end));
        }
    }
    None
}

/// The length of a DOI suffix once trailing sentence punctuation and unopened brackets are off.
fn trim_doi_suffix(suffix: &str) -> usize {
    let mut end = suffix.len();
    loop {
        let kept = &suffix[..end];
        let Some(last) = kept.chars().next_back() else { return 0 };
        let drop = match last {
            '.' | ',' | ';' | ':' | '\'' | '’' | '”' | '!' | '?' => true,
            ')' => kept.matches('(').count() < kept.matches(')').count(),
            ']' => kept.matches('[').count() < kept.matches(']').count(),
            '}' => kept.matches('{').count() < kept.matches('}').count(),
            _ => false,
        };
        if !drop {
            return end;
        }
        end -= last.len_utf8();
    }
}

/// The first ORCID iD in `text` whose ISO 7064 11,2 check character is right, as the URL
/// Crossref stores: `https://orcid.org/0000-0001-7959-3512`. Accepts the 16 characters with
/// hyphens, spaces or nothing between the groups, bare or inside a URL.
pub fn orcid(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut at = 0;
    while at < chars.len() {
        if chars[at].is_ascii_digit() && (at == 0 || !chars[at - 1].is_ascii_alphanumeric()) {
            if let Some((id, _)) = orcid_at(&chars, at) {
                return Some(format!("https://orcid.org/{id}"));
            }
        }
        at += 1;
    }
    None
}

/// Reads four groups of four from `at` (the last character may be `X`) and checks them.
fn orcid_at(chars: &[char], at: usize) -> Option<(String, usize)> {
    let mut digits = String::with_capacity(16);
    let mut i = at;
    for group in 0..4 {
        if group > 0 && matches!(chars.get(i), Some('-' | ' ' | '\u{2010}' | '\u{2011}')) {
            i += 1;
        }
        for k in 0..4 {
            let c = *chars.get(i)?;
            let last = group == 3 && k == 3;
            if c.is_ascii_digit() || (last && (c == 'X' || c == 'x')) {
                digits.push(c.to_ascii_uppercase());
                i += 1;
            } else {
                return None;
            }
        }
    }
    if chars.get(i).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let (body, check) = digits.split_at(15);
    if iso7064_11_2(body)? != check.chars().next()? {
        return None;
    }
    let id = format!("{}-{}-{}-{}", &digits[0..4], &digits[4..8], &digits[8..12], &digits[12..16]);
    Some((id, i))
}

/// ISO 7064 MOD 11-2, as ORCID computes its check character.
fn iso7064_11_2(digits: &str) -> Option<char> {
    let mut total: u32 = 0;
    for c in digits.chars() {
        total = (total + c.to_digit(10)?) * 2;
    }
    let result = (12 - total % 11) % 11;
    Some(if result == 10 { 'X' } else { char::from_digit(result, 10)? })
}

/// The first ISSN in `text` whose check digit is right, as `NNNN-NNNC`. Accepts `2233-5250`,
/// `22335250` and `ISSN 2233-5250 (Print)`; `X` as check digit in either case.
pub fn issn(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut at = 0;
    while at < chars.len() {
        if chars[at].is_ascii_digit() && (at == 0 || !chars[at - 1].is_ascii_alphanumeric() && chars[at - 1] != '.') {
            if let Some(found) = issn_at(&chars, at) {
                return Some(found);
            }
        }
        at += 1;
    }
    None
}

fn issn_at(chars: &[char], at: usize) -> Option<String> {
    let mut digits = String::with_capacity(8);
    let mut i = at;
    while digits.len() < 8 {
        let c = *chars.get(i)?;
        if digits.len() == 4 && matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2013}') {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() || (digits.len() == 7 && (c == 'X' || c == 'x')) {
            digits.push(c.to_ascii_uppercase());
            i += 1;
        } else {
            return None;
        }
    }
    // A longer run of digits (a phone number, an ISBN) is not an ISSN.
    if chars.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == '-') {
        return None;
    }
    let mut total = 0;
    for (weight, c) in (2..=8).rev().zip(digits.chars()) {
        total += weight * c.to_digit(10)?;
    }
    let check = match (11 - total % 11) % 11 {
        10 => 'X',
        n => char::from_digit(n, 10)?,
    };
    if digits.chars().last()? != check {
        return None;
    }
    Some(format!("{}-{}", &digits[..4], &digits[4..]))
}

/// A PubMed id: `12345678`, `PMID: 12345678`, `pubmed.ncbi.nlm.nih.gov/12345678/`. Only digits are
/// kept; a run longer than nine digits or zero is no PMID.
pub fn pmid(text: &str) -> Option<String> {
    let trimmed = text.trim();
    let lower = trimmed.to_ascii_lowercase();
    let labels = ["pubmed.ncbi.nlm.nih.gov/", "/pubmed/", "pmid", "pubmed"];
    let rest = if let Some((at, label)) = labels.iter().find_map(|label| Some((lower.find(label)?, label))) {
        &trimmed[at + label.len()..]
    } else if trimmed.chars().all(|c| c.is_ascii_digit()) {
        trimmed
    } else {
        return None;
    };
    let start = rest.find(|c: char| c.is_ascii_digit())?;
    // Only separators may stand between the label and the number.
    if !rest[..start].chars().all(|c| c.is_whitespace() || matches!(c, ':' | '/' | '.' | '-' | '=' | '#')) {
        return None;
    }
    let digits: String = rest[start..].chars().take_while(char::is_ascii_digit).collect();
    let value = digits.trim_start_matches('0');
    (!value.is_empty() && value.len() <= 9).then(|| value.to_string())
}

/// A PubMed Central id as `PMC1234567`, from `PMC1234567`, `pmc1234567`, `PMCID: PMC1234567` or a
/// PMC URL.
pub fn pmcid(text: &str) -> Option<String> {
    let upper = text.to_ascii_uppercase();
    let bytes = upper.as_bytes();
    let mut from = 0;
    while let Some(found) = upper[from..].find("PMC") {
        let at = from + found;
        from = at + 3;
        if at > 0 && bytes.get(at - 1).is_some_and(|b| b.is_ascii_alphabetic()) {
            continue;
        }
        let digits: String = upper[at + 3..].chars().take_while(char::is_ascii_digit).collect();
        let after = upper[at + 3 + digits.len()..].chars().next();
        if !digits.is_empty() && digits.len() <= 10 && !after.is_some_and(|c| c.is_ascii_alphanumeric()) {
            return Some(format!("PMC{digits}"));
        }
    }
    // A bare number in a field labelled PMCID.
    let trimmed = text.trim();
    (!trimmed.is_empty() && trimmed.len() <= 10 && trimmed.chars().all(|c| c.is_ascii_digit()))
        .then(|| format!("PMC{trimmed}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doi_is_found_and_cleaned() {
        assert_eq!(doi("DOI: 10.3389/fimmu.2023.1181620").as_deref(), Some("10.3389/fimmu.2023.1181620"));
        assert_eq!(
            doi("https://doi.org/10.1182/blood-2006-05-018192.").as_deref(),
            Some("10.1182/blood-2006-05-018192")
        );
        assert_eq!(doi("(doi:10.1038/s41409-019-0708-9)").as_deref(), Some("10.1038/s41409-019-0708-9"));
        assert_eq!(doi("10.1016/S0140-6736(20)30183-5;").as_deref(), Some("10.1016/S0140-6736(20)30183-5"));
        assert_eq!(doi("see 10.15264/cpho.2024.31.1.10, p. 3").as_deref(), Some("10.15264/cpho.2024.31.1.10"));
        assert_eq!(doi("10.1000.10/abc").as_deref(), Some("10.1000.10/abc"));
    }

    #[test]
    fn corrupted_dois_are_rejected() {
        assert_eq!(doi("10.12/abc"), None, "registrant too short");
        assert_eq!(doi("10.1234 /abc"), None);
        assert_eq!(doi("10.1234/"), None);
        assert_eq!(doi("110.1234/abc"), None);
        assert_eq!(doi("version 10.2 of it"), None);
        assert_eq!(doi(""), None);
        assert_eq!(doi("10."), None);
        assert_eq!(doi("10.1234/."), None);
    }

    #[test]
    fn orcid_needs_its_check_character() {
        assert_eq!(orcid("ORCID iD: 0000-0001-7959-3512").as_deref(), Some("https://orcid.org/0000-0001-7959-3512"));
        assert_eq!(
            orcid("https://orcid.org/0000-0002-1694-233X").as_deref(),
            Some("https://orcid.org/0000-0002-1694-233X")
        );
        assert_eq!(orcid("0000 0002 1694 233x").as_deref(), Some("https://orcid.org/0000-0002-1694-233X"));
        assert_eq!(orcid("0000000218250097").as_deref(), Some("https://orcid.org/0000-0002-1825-0097"));
        assert_eq!(orcid("0000-0001-7959-3513"), None, "wrong check digit");
        assert_eq!(orcid("0000-0001-7959-351"), None, "too short");
        assert_eq!(orcid("0000-0001-7959-35122"), None, "too long");
        assert_eq!(orcid("0000-0002-1694-2330"), None);
        assert_eq!(orcid("ünïcödé 0000-"), None);
    }

    #[test]
    fn issn_needs_its_check_digit() {
        assert_eq!(issn("2233-5250").as_deref(), Some("2233-5250"));
        assert_eq!(issn("ISSN 0028-0836 (Print)").as_deref(), Some("0028-0836"));
        assert_eq!(issn("eISSN: 1476-4687").as_deref(), Some("1476-4687"));
        assert_eq!(issn("2049-369x").as_deref(), Some("2049-369X"));
        assert_eq!(issn("00280836").as_deref(), Some("0028-0836"));
        assert_eq!(issn("2233-5251"), None, "wrong check digit");
        assert_eq!(issn("12233-5250"), None, "part of a longer number");
        assert_eq!(issn("978-3-16-148410-0"), None);
        assert_eq!(issn(""), None);
    }

    #[test]
    fn pubmed_ids() {
        assert_eq!(pmid("36727001").as_deref(), Some("36727001"));
        assert_eq!(pmid("PMID: 36727001").as_deref(), Some("36727001"));
        assert_eq!(pmid("https://pubmed.ncbi.nlm.nih.gov/36727001/").as_deref(), Some("36727001"));
        assert_eq!(pmid("PMID: none"), None);
        assert_eq!(pmid("0"), None);
        assert_eq!(pmid("12ab"), None);
        assert_eq!(pmcid("PMC7654321").as_deref(), Some("PMC7654321"));
        assert_eq!(pmcid("PMCID: pmc7654321.").as_deref(), Some("PMC7654321"));
        assert_eq!(pmcid("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7654321/").as_deref(), Some("PMC7654321"));
        assert_eq!(pmcid("7654321").as_deref(), Some("PMC7654321"));
        assert_eq!(pmcid("PMC"), None);
        assert_eq!(pmcid("PubMed Central"), None);
    }
}
