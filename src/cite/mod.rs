//! Citations out: APA and Vancouver references as plain text, and BibTeX, RIS and CSL-JSON
//! exports of any set of citations, whatever format they were read from.
//!
//! The styles follow their published rules for the common cases, not every corner: APA 7th
//! edition (Publication Manual, ch. 9–10) and Vancouver as the ICMJE recommends it, with NLM's
//! *Citing Medicine* for the details (initials without periods, abbreviated page ranges, the
//! first six authors then `et al.`). Text is plain: no italics, no markup.

mod export;
pub mod pages;
pub mod types;

pub use export::{keys, to_bibtex, to_csl_json, to_ris};

use crate::case;
use crate::model::{Citation, Name};

/// The styles and exports [`format`] writes: id and the name shown to people.
pub const STYLES: &[(&str, &str)] = &[
    ("apa", "APA 7th edition"),
    ("vancouver", "Vancouver (NLM)"),
    ("bibtex", "BibTeX"),
    ("ris", "RIS"),
    ("csl-json", "CSL-JSON"),
];

/// A bibliography of `citations` in one of [`STYLES`], or `None` for an id that is not one.
/// APA lists the references alphabetically (APA 9.44); Vancouver numbers them in the order
/// given, which is the order they are cited in; one citation alone is not numbered.
pub fn format(style: &str, citations: &[Citation]) -> Option<String> {
    Some(match style {
        "apa" => {
            let mut references: Vec<String> = citations.iter().map(apa).collect();
            references.sort_by_cached_key(|r| case::lower(r));
            references.join("\n")
        }
        "vancouver" if citations.len() == 1 => vancouver(&citations[0]),
        "vancouver" => citations
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{}. {}", i + 1, vancouver(c)))
            .collect::<Vec<_>>()
            .join("\n"),
        "bibtex" => to_bibtex(citations),
        "ris" => to_ris(citations),
        "csl-json" => to_csl_json(citations),
        _ => return None,
    })
}

/// APA 7th: `Family, G. I., & Family, G. (2020). Title. Journal, 55(7), 1469–1472. https://doi.org/…`
pub fn apa(c: &Citation) -> String {
    let mut parts: Vec<String> = Vec::new();
    let year = c.issued.as_ref().and_then(|d| d.year()).map_or("n.d.".to_string(), |y| y.to_string());
    let title = c.title.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let authors = apa_authors(&c.author);
    // 1. Who and when; a work without authors moves its title to the front (APA 9.12).
    match (authors, title) {
        (Some(authors), _) => {
            parts.push(end_with_period(&authors));
            parts.push(format!("({year})."));
            if let Some(title) = title {
                parts.push(end_with_period(title));
            }
        }
        (None, Some(title)) => {
            parts.push(end_with_period(title));
            parts.push(format!("({year})."));
        }
        (None, None) => parts.push(format!("({year}).")),
    }
    // 2. Where: the periodical with volume, issue and pages, or the book's publisher.
    let kind = c.kind.as_deref().unwrap_or("article-journal");
    let pages = c.page.as_deref().map(pages::en_dash);
    // A report or thesis that names only the periodical it appeared in (MEDLINE's "Case Reports",
    // "Technical Report" types) is cited as the article it is.
    let book_like =
        matches!(kind, "book" | "report" | "thesis") && !(c.publisher.is_none() && c.container_title.is_some());
    match kind {
        _ if book_like => {
            if let Some(publisher) = &c.publisher {
                parts.push(end_with_period(publisher));
            }
        }
        "chapter" | "paper-conference" | "entry-encyclopedia" | "entry-dictionary" => {
            if let Some(container) = &c.container_title {
                let mut place = format!("In {container}");
                if let Some(pages) = &pages {
                    let pp = if pages.contains('–') { "pp." } else { "p." };
                    place.push_str(&format!(" ({pp} {pages})"));
                }
                parts.push(end_with_period(&place));
            }
            if let Some(publisher) = &c.publisher {
                parts.push(end_with_period(publisher));
            }
        }
        _ => {
            if let Some(container) = &c.container_title {
                // APA 9.25: periodical names in title case, as CSL's apa.csl writes them.
                let mut source = title_case(container);
                if let Some(volume) = &c.volume {
                    source.push_str(&format!(", {volume}"));
                    if let Some(issue) = &c.issue {
                        source.push_str(&format!("({issue})"));
                    }
                } else if let Some(issue) = &c.issue {
                    source.push_str(&format!(", ({issue})"));
                }
                if let Some(pages) = &pages {
                    source.push_str(&format!(", {pages}"));
                }
                parts.push(format!("{source}."));
            } else if let Some(publisher) = &c.publisher {
                // A preprint, report or dataset with no periodical: its publisher or archive (APA 10.8).
                parts.push(end_with_period(publisher));
            }
        }
    }
    // 3. The link: a DOI as a URL, else the URL.
    if let Some(doi) = &c.doi {
        parts.push(format!("https://doi.org/{doi}"));
    } else if let Some(url) = &c.url {
        parts.push(url.clone());
    }
    parts.join(" ")
}

/// APA 9.8: up to 20 authors, `&` before the last; 21 or more: the first 19, an ellipsis, the last.
fn apa_authors(authors: &[Name]) -> Option<String> {
    let names: Vec<String> = authors.iter().filter_map(apa_name).collect();
    match names.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        [first, second] => Some(format!("{first}, & {second}")),
        [init @ .., last] if names.len() <= 20 => Some(format!("{}, & {last}", init.join(", "))),
        [init @ .., last] => Some(format!("{}, . . . {last}", init[..19.min(init.len())].join(", "))),
    }
}

fn apa_name(name: &Name) -> Option<String> {
    if let Some(literal) = name.literal.as_deref().filter(|l| !l.trim().is_empty()) {
        return Some(literal.trim().to_string());
    }
    let family = full_family(name)?;
    let initials = name.given.as_deref().map(|g| initials(g, true)).filter(|i| !i.is_empty());
    let mut out = match initials {
        Some(initials) => format!("{family}, {initials}"),
        None => family,
    };
    if let Some(suffix) = &name.suffix {
        out.push_str(&format!(", {suffix}"));
    }
    Some(out)
}

/// The family name with its particle: `van der Berg`.
fn full_family(name: &Name) -> Option<String> {
    let family = name.family.as_deref().map(str::trim).filter(|f| !f.is_empty())?;
    Some(match name.non_dropping_particle.as_deref().filter(|p| !p.is_empty()) {
        Some(particle) => format!("{particle} {family}"),
        None => family.to_string(),
    })
}

/// `Daniel S` → `D. S.` (APA) or `DS` (NLM); `Jean-Paul` → `J.-P.` or `JP`; `PS` (already
/// initials, as Web of Science writes them) → `P. S.` or `PS`.
fn initials(given: &str, dotted: bool) -> String {
    let mut letters: Vec<String> = Vec::new();
    for word in given.split(|c: char| c.is_whitespace() || c == '.').filter(|w| !w.is_empty()) {
        let chars: Vec<char> = word.chars().collect();
        let all_capitals = chars.len() <= 3 && chars.iter().all(|c| c.is_uppercase());
        if word.contains('-') {
            let pieces: Vec<String> = word
                .split('-')
                .filter_map(|p| p.chars().next())
                .map(|c| if dotted { format!("{}.", case::upper_char(c)) } else { case::upper_char(c).to_string() })
                .collect();
            letters.push(pieces.join(if dotted { "-" } else { "" }));
        } else if all_capitals {
            letters.extend(chars.iter().map(|c| if dotted { format!("{c}.") } else { c.to_string() }));
        } else if let Some(first) = chars.first() {
            letters.push(if dotted {
                format!("{}.", case::upper_char(*first))
            } else {
                case::upper_char(*first).to_string()
            });
        }
    }
    letters.join(if dotted { " " } else { "" })
}

/// CSL's `text-case="title"` (CSL 1.0.2, "Title case conversion"): lower-case words are
/// capitalised, words in mixed or upper case stay as written (`eLife`, `JVIR`), English stop
/// words are lower-cased unless they begin or end the title or follow a colon. Capitals stay:
/// journal acronyms (`TCT`, `JAMA`) are no shouting.
pub fn title_case(title: &str) -> String {
    const STOP_WORDS: &[&str] = &[
        "a", "an", "and", "as", "at", "but", "by", "down", "for", "from", "in", "into", "nor", "of", "on", "onto",
        "or", "over", "so", "the", "till", "to", "up", "via", "with", "yet",
    ];
    let words: Vec<&str> = title.split(' ').collect();
    let last = words.len().saturating_sub(1);
    let mut after_colon = true;
    let mut out = Vec::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        let word = word.to_string();
        let lower = !word.chars().any(char::is_uppercase);
        let stop = STOP_WORDS.contains(&case::lower(&word).as_str());
        let cased = if stop && !after_colon && i != last {
            case::lower(&word)
        } else if lower {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| std::iter::once(case::upper_char(first)).chain(chars).collect())
                .unwrap_or_default()
        } else {
            word
        };
        after_colon = cased.ends_with(':');
        out.push(cased);
    }
    out.join(" ")
}

fn end_with_period(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '?', '!']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

const MONTH_ABBREVIATIONS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Vancouver (ICMJE, NLM *Citing Medicine*): `Family GI, Family G. Title. Journal. 2020;55(7):1469-72. doi:…`
pub fn vancouver(c: &Citation) -> String {
    let mut parts: Vec<String> = Vec::new();
    // 1. Authors: the first six, then `et al.` (ICMJE).
    let names: Vec<String> = c.author.iter().filter_map(vancouver_name).collect();
    if !names.is_empty() {
        let mut authors = names.iter().take(6).cloned().collect::<Vec<_>>().join(", ");
        if names.len() > 6 {
            authors.push_str(", et al");
        }
        parts.push(end_with_period(&authors));
    }
    if let Some(title) = c.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        parts.push(end_with_period(title));
    }
    // 2. The date as NLM writes it: `2002 Jul 25`.
    let date = c.issued.as_ref().and_then(|d| {
        let parts = d.date_parts.first()?;
        let year = parts.first()?;
        let mut text = year.to_string();
        if let Some(month) =
            parts.get(1).and_then(|m| usize::try_from(*m).ok()).and_then(|m| MONTH_ABBREVIATIONS.get(m.wrapping_sub(1)))
        {
            text.push_str(&format!(" {month}"));
            if let Some(day) = parts.get(2) {
                text.push_str(&format!(" {day}"));
            }
        }
        Some(text)
    });
    let kind = c.kind.as_deref().unwrap_or("article-journal");
    let page = c.page.as_deref().map(pages::abbreviate);
    match kind {
        "book" | "report" | "thesis" => {
            let place = c.other.get("publisher-place").and_then(|v| v.as_str());
            let mut publication = match (place, &c.publisher) {
                (Some(place), Some(publisher)) => format!("{place}: {publisher}"),
                (None, Some(publisher)) => publisher.clone(),
                (Some(place), None) => place.to_string(),
                (None, None) => String::new(),
            };
            if let Some(date) = &date {
                if !publication.is_empty() {
                    publication.push_str("; ");
                }
                publication.push_str(date);
            }
            if !publication.is_empty() {
                parts.push(end_with_period(&publication));
            }
        }
        _ => {
            let journal = c
                .other
                .get("container-title-short")
                .and_then(|v| v.as_str())
                .map(|short| short.replace('.', ""))
                .or_else(|| c.container_title.clone());
            if let Some(journal) = journal {
                let prefix = if matches!(kind, "chapter" | "paper-conference") { "In: " } else { "" };
                parts.push(end_with_period(&format!("{prefix}{journal}")));
            }
            // Citing Medicine, ch. 1: a journal article without a date says so.
            let mut location = date.unwrap_or_else(|| "[date unknown]".into());
            if let Some(volume) = &c.volume {
                location.push_str(&format!(";{volume}"));
            }
            if let Some(issue) = &c.issue {
                location.push_str(&format!("({issue})"));
            }
            if let Some(page) = &page {
                location.push_str(&format!(":{page}"));
            }
            if !location.is_empty() {
                parts.push(format!("{location}."));
            }
        }
    }
    if let Some(doi) = &c.doi {
        parts.push(format!("doi:{doi}"));
    } else if let Some(url) = &c.url {
        parts.push(format!("Available from: {url}"));
    }
    parts.join(" ")
}

fn vancouver_name(name: &Name) -> Option<String> {
    if let Some(literal) = name.literal.as_deref().filter(|l| !l.trim().is_empty()) {
        return Some(literal.trim().to_string());
    }
    let family = full_family(name)?;
    let initials = name.given.as_deref().map(|g| initials(g, false)).unwrap_or_default();
    let mut out = if initials.is_empty() { family } else { format!("{family} {initials}") };
    if let Some(suffix) = &name.suffix {
        out.push_str(&format!(" {}", suffix.trim_end_matches('.')));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_writes_every_style_and_numbers_vancouver() {
        let cite = |family: &str, title: &str| Citation {
            title: Some(title.into()),
            author: vec![Name { family: Some(family.into()), given: Some("Anna".into()), ..Name::default() }],
            ..Citation::default()
        };
        let set = [cite("Zeta", "Last"), cite("Alpha", "First")];
        assert_eq!(format("apa", &set).as_deref(), Some("Alpha, A. (n.d.). First.\nZeta, A. (n.d.). Last."));
        assert_eq!(
            format("vancouver", &set).as_deref(),
            Some("1. Zeta A. Last. [date unknown].\n2. Alpha A. First. [date unknown].")
        );
        for (id, _) in STYLES {
            assert!(format(id, &set).is_some_and(|text| !text.is_empty()), "{id}");
        }
        assert_eq!(format("chicago", &set), None);
    }

    #[test]
    fn title_case_as_csl_has_it() {
        assert_eq!(title_case("Journal of neurointerventional surgery"), "Journal of Neurointerventional Surgery");
        assert_eq!(title_case("Journal of The Royal Society Interface"), "Journal of the Royal Society Interface");
        assert_eq!(title_case("eLife"), "eLife");
        assert_eq!(
            title_case("Journal of vascular and interventional radiology : JVIR"),
            "Journal of Vascular and Interventional Radiology : JVIR"
        );
        assert_eq!(title_case("TCT"), "TCT");
        assert_eq!(title_case("Stroke: the journal of"), "Stroke: The Journal Of");
    }

    #[test]
    fn initials_both_ways() {
        assert_eq!(initials("Daniel S", true), "D. S.");
        assert_eq!(initials("Daniel S", false), "DS");
        assert_eq!(initials("Jean-Paul", true), "J.-P.");
        assert_eq!(initials("Jean-Paul", false), "JP");
        assert_eq!(initials("A. K.", false), "AK");
        assert_eq!(initials("PS", true), "P. S.");
        assert_eq!(initials("Yu.", true), "Y.");
    }
}
