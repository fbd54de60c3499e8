//! Dates as pages print them, into CSL-JSON date parts. Only what is printed is kept: `April 2024`
//! gives year and month, never a day.

use crate::case;
use crate::model::DateParts;

const MONTHS: &[&str] = &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// `2024-04-01T00:00:00Z`, `2024-04-01`, `2024/4/1`, `1 April 2024`, `April 1, 2024`, `Apr 2024`,
/// `2024 Mar 1`, `2024`: the first date in `text`.
pub fn parse_date(text: &str) -> Option<DateParts> {
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | ';'))
        .filter(|t| !t.is_empty())
        .collect();
    for (i, token) in tokens.iter().enumerate() {
        // ISO 8601 and its slashed cousin: `2024-04-01T00:00:00Z`, `2024/04/01`.
        let core = token.split('T').next().unwrap_or(token).trim_end_matches('.');
        let parts: Vec<&str> = core.split(['-', '/']).collect();
        if parts.len() >= 2 {
            if let Some(year) = year_of(parts.first().copied().unwrap_or("")) {
                let month = parts.get(1).and_then(|m| m.parse::<u32>().ok()).filter(|m| (1..=12).contains(m));
                let day = parts.get(2).and_then(|d| d.parse::<u32>().ok()).filter(|d| (1..=31).contains(d));
                if month.is_some() {
                    return Some(DateParts::ymd(year, month, month.and(day)));
                }
            }
        }
        let Some(year) = year_of(token.trim_end_matches('.')) else { continue };
        // Words around the year: `1 April 2024`, `April 1, 2024`, `2024 Mar 1`.
        let before = |k: usize| i.checked_sub(k).and_then(|at| tokens.get(at)).copied();
        let after = |k: usize| tokens.get(i + k).copied();
        if let Some(month) = before(1).and_then(month_of) {
            let day = before(2).and_then(day_of);
            return Some(DateParts::ymd(year, Some(month), day));
        }
        if let (Some(day), Some(month)) = (before(1).and_then(day_of), before(2).and_then(month_of)) {
            return Some(DateParts::ymd(year, Some(month), Some(day)));
        }
        if let Some(month) = after(1).and_then(month_of) {
            return Some(DateParts::ymd(year, Some(month), after(2).and_then(day_of)));
        }
        return Some(DateParts::ymd(year, None, None));
    }
    None
}

/// A four-digit year a publication could have.
pub fn year_of(token: &str) -> Option<i32> {
    let digits = token.trim_end_matches(|c: char| c.is_ascii_lowercase() && token.len() == 5);
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|y| (1600..=2100).contains(y))
}

fn month_of(token: &str) -> Option<u32> {
    let word = case::lower(token.trim_end_matches('.'));
    if word.chars().count() < 3 {
        return None;
    }
    let prefix: String = word.chars().take(3).collect();
    let at = MONTHS.iter().position(|m| *m == prefix)?;
    // `Mar` and `March` are months; `Marrow` is not.
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let ok = word.len() == 3 || full.get(at).is_some_and(|f| f.starts_with(&word)) || word == "sept";
    ok.then_some(at as u32 + 1)
}

fn day_of(token: &str) -> Option<u32> {
    let digits = token.trim_end_matches(['.', ',']).trim_end_matches(|c: char| c.is_ascii_lowercase());
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(text: &str) -> Option<Vec<i32>> {
        parse_date(text).and_then(|d| d.date_parts.first().cloned())
    }

    #[test]
    fn dates() {
        assert_eq!(ymd("The Korean Society, 2024-04-01T00:00:00Z."), Some(vec![2024, 4, 1]));
        assert_eq!(ymd("1 April 2024"), Some(vec![2024, 4, 1]));
        assert_eq!(ymd("April 1, 2024"), Some(vec![2024, 4, 1]));
        assert_eq!(ymd("Published: 12 Mar 2020"), Some(vec![2020, 3, 12]));
        assert_eq!(ymd("2007 Mar 1;109"), Some(vec![2007, 3, 1]));
        assert_eq!(ymd("June 2019"), Some(vec![2019, 6]));
        assert_eq!(ymd("(2020)"), Some(vec![2020]));
        assert_eq!(ymd("Marrow 2020"), Some(vec![2020]));
        assert_eq!(ymd("no date"), None);
        assert_eq!(ymd("12345"), None);
        assert_eq!(ymd(""), None);
    }
}
