//! Page ranges: MEDLINE abbreviates them (`6913-7`), Vancouver wants them abbreviated, APA and
//! BibTeX want them whole. Only plain `first-last` ranges are touched; anything else (`e0815`,
//! `S12-S14`, `xi-xv`, a list) is returned as given.

/// `6913-7` → `6913-6917`, `283-98` → `283-298`; whole ranges are returned as they are.
pub fn expand(page: &str) -> String {
    match split_range(page) {
        Some((prefix, first, last)) if last.len() < first.len() => {
            let head = &first[..first.len() - last.len()];
            let whole = format!("{head}{last}");
            // `123-4` can only mean 124; `129-4` means nothing, so it stays as written.
            if whole.parse::<u64>().ok() > first.parse::<u64>().ok() {
                format!("{prefix}{first}-{prefix}{whole}")
            } else {
                page.trim().to_string()
            }
        }
        _ => page.trim().to_string(),
    }
}

/// NLM's rule (Citing Medicine, ch. 1, "Location (Pagination)"): drop the leading digits the
/// last page shares with the first. `1469-1472` → `1469-72`, `335-339` → `335-9`.
pub fn abbreviate(page: &str) -> String {
    let expanded = expand(page);
    let Some((prefix, first, last)) = split_range(&expanded) else { return expanded.replace(['–', '—'], "-") };
    if first.len() != last.len() {
        return format!("{prefix}{first}-{prefix}{last}");
    }
    let shared = first.bytes().zip(last.bytes()).take_while(|(a, b)| a == b).count();
    let kept = &last[shared.min(last.len().saturating_sub(1))..];
    format!("{prefix}{first}-{kept}")
}

/// The range with an en dash, as APA prints it: `1469–1472`.
pub fn en_dash(page: &str) -> String {
    let expanded = expand(page);
    match split_range(&expanded) {
        Some((prefix, first, last)) => format!("{prefix}{first}–{prefix}{last}"),
        None => expanded.replace("--", "–"),
    }
}

/// The first and last page of a range, if it is one.
pub fn first_last(page: &str) -> (String, Option<String>) {
    let expanded = expand(page);
    match split_range(&expanded) {
        Some((prefix, first, last)) => (format!("{prefix}{first}"), Some(format!("{prefix}{last}"))),
        None => match expanded.split_once(['-', '–']) {
            Some((first, last))
                if !first.trim().is_empty() && !last.trim().is_empty() && !last.contains(['-', ',']) =>
            {
                (first.trim().to_string(), Some(last.trim().to_string()))
            }
            _ => (expanded, None),
        },
    }
}

/// `S12-14` → (`S`, `12`, `14`): an optional letter prefix shared by both ends, then digits.
fn split_range(page: &str) -> Option<(&str, &str, &str)> {
    let page = page.trim();
    let (first, last) = page.split_once("--").or_else(|| page.split_once(['-', '–', '—']))?;
    let (first, last) = (first.trim(), last.trim());
    let prefix_len = first.bytes().take_while(u8::is_ascii_alphabetic).count();
    let prefix = &first[..prefix_len];
    let first = &first[prefix_len..];
    let last = last.strip_prefix(prefix).unwrap_or(last);
    let digits = |s: &str| !s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit());
    (digits(first) && digits(last)).then_some((prefix, first, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_medline_ranges() {
        assert_eq!(expand("6913-7"), "6913-6917");
        assert_eq!(expand("283-98"), "283-298");
        assert_eq!(expand("335-339"), "335-339");
        assert_eq!(expand("1469-72"), "1469-1472");
        assert_eq!(expand("e0815"), "e0815");
        assert_eq!(expand("S12-4"), "S12-S14");
        assert_eq!(expand("129-4"), "129-4");
        assert_eq!(expand("99-101"), "99-101");
        assert_eq!(expand("-"), "-");
        assert_eq!(expand(""), "");
    }

    #[test]
    fn abbreviates_for_vancouver() {
        assert_eq!(abbreviate("1469-1472"), "1469-72");
        assert_eq!(abbreviate("335-339"), "335-9");
        assert_eq!(abbreviate("284-287"), "284-7");
        assert_eq!(abbreviate("100-105"), "100-5");
        assert_eq!(abbreviate("99-101"), "99-101");
        assert_eq!(abbreviate("1000-1100"), "1000-100");
        assert_eq!(abbreviate("12-12"), "12-2");
        assert_eq!(abbreviate("e0815"), "e0815");
        assert_eq!(abbreviate("379--423"), "379-423");
    }

    #[test]
    fn en_dashes_for_apa() {
        assert_eq!(en_dash("1469-72"), "1469–1472");
        assert_eq!(en_dash("e0815"), "e0815");
    }
}
