//! litview's APA and Vancouver references against a CSL processor: hayagriva (Typst's) with the
//! APA 7th and NLM citation-sequence styles that Zotero ships, rendering the very same CSL-JSON.
//! Every record of every bibliographic corpus file is rendered both ways.
//!
//! What may legitimately differ is normalised away before comparing: white space, dashes, a
//! trailing period, the `doi:` / `https://doi.org/` form, and what CSL adds that litview leaves
//! out on purpose (italics are plain text in both). The parts that matter are then compared one by
//! one: authors, year, title, container, volume(issue), pages, DOI.

mod common;

use std::path::PathBuf;

use common::{files_under, parse_paths, shared};
use hayagriva::archive::{locales, ArchivedStyle};
use hayagriva::citationberg::json::Item;
use hayagriva::citationberg::{IndependentStyle, Locale, Style};
use hayagriva::{BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem, CitationRequest};
use litview::{cite, Citation};

/// hayagriva's reference for one item, as plain text.
fn csl_reference(style: &IndependentStyle, locales: &[Locale], item: &Item) -> Option<String> {
    let mut driver = BibliographyDriver::new();
    driver.citation(CitationRequest::from_items(vec![CitationItem::with_entry(item)], style, locales));
    let rendered = driver.finish(BibliographyRequest { style, locale: None, locale_files: locales });
    let entry = rendered.bibliography?.items.into_iter().next()?;
    let mut text = String::new();
    entry.content.write_buf(&mut text, BufWriteFormat::Plain).ok()?;
    Some(text)
}

fn independent(style: ArchivedStyle) -> IndependentStyle {
    match style.get() {
        Style::Independent(style) => style,
        Style::Dependent(_) => panic!("{style:?} is a dependent style"),
    }
}

/// The same citation as hayagriva reads it: the fields a reference prints, from litview's own
/// CSL-JSON writer. (citationberg refuses some of what Crossref adds, `"original-title": []`,
/// timestamps, which no style prints anyway.)
fn item(c: &Citation) -> Result<Item, String> {
    let json = cite::to_csl_json(std::slice::from_ref(c));
    let items: Vec<serde_json::Value> = serde_json::from_str(&json).map_err(|e| e.to_string())?;
    let full = items.into_iter().next().ok_or("no item")?;
    let mut kept = serde_json::Map::new();
    for key in [
        "id",
        "type",
        "title",
        "author",
        "editor",
        "container-title",
        "container-title-short",
        "volume",
        "issue",
        "page",
        "issued",
        "DOI",
        "URL",
        "publisher",
        "publisher-place",
    ] {
        if let Some(value) = full.get(key) {
            let value = match key {
                // Names with only the parts CSL knows.
                "author" | "editor" => serde_json::Value::Array(
                    value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|name| {
                            let mut kept = serde_json::Map::new();
                            for part in
                                ["family", "given", "literal", "non-dropping-particle", "dropping-particle", "suffix"]
                            {
                                if let Some(v) = name.get(part) {
                                    kept.insert(part.into(), v.clone());
                                }
                            }
                            serde_json::Value::Object(kept)
                        })
                        .collect(),
                ),
                "issued" => match value.get("date-parts") {
                    Some(parts @ serde_json::Value::Array(_)) => serde_json::json!({ "date-parts": parts }),
                    _ => continue,
                },
                _ => value.clone(),
            };
            if !value.is_null() {
                kept.insert(key.into(), value);
            }
        }
    }
    serde_json::from_value(serde_json::Value::Object(kept.clone())).map_err(|e| format!("{e}: {kept:?}"))
}

fn normalise(text: &str) -> String {
    let text = text
        .replace(['–', '—', '‐', '‑'], "-")
        .replace("https://doi.org/", "doi:")
        .replace(['“', '”'], "\"")
        .replace(['‘', '’'], "'")
        .replace('\u{a0}', " ")
        // APA's manual prints the ellipsis before the last author as `. . .`, apa.csl as `…`.
        .replace(". . .", "…");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    text.trim_end_matches(['.', ' ']).to_string()
}

/// The parts of a reference, cut where both styles put their punctuation. APA:
/// `Authors (Year). Title. Container, Volume(Issue), Pages. DOI`; Vancouver:
/// `Authors. Title. Container. Date;Volume(Issue):Pages. doi:DOI`.
#[derive(Debug, PartialEq)]
struct Parts {
    authors: String,
    year: String,
    rest: String,
    doi: String,
}

fn apa_parts(text: &str) -> Parts {
    let (before, doi) = split_doi(text);
    let (authors, after) = match before.find(" (") {
        Some(i) => (before.get(..i).unwrap_or_default(), before.get(i + 2..).unwrap_or_default()),
        None => ("", before.as_str()),
    };
    let (year, rest) = after.split_once(")").unwrap_or(("", after));
    Parts {
        authors: authors.trim_end_matches('.').to_string(),
        year: year.to_string(),
        rest: rest.trim_start_matches('.').trim().trim_end_matches('.').to_string(),
        doi,
    }
}

fn vancouver_parts(text: &str) -> Parts {
    let (before, doi) = split_doi(text);
    let year = before
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 4 && (w.starts_with("19") || w.starts_with("20")))
        .unwrap_or_default()
        .to_string();
    Parts { authors: String::new(), year, rest: before.trim_end_matches('.').to_string(), doi }
}

fn split_doi(text: &str) -> (String, String) {
    let text = normalise(text);
    match text.find("doi:") {
        Some(i) => (
            text.get(..i).unwrap_or_default().trim().to_string(),
            text.get(i + 4..).unwrap_or_default().trim().trim_end_matches('.').to_string(),
        ),
        None => (text, String::new()),
    }
}

/// Every record litview reads from the bibliographic corpus.
fn corpus() -> Vec<(PathBuf, Citation)> {
    let Some(dir) = shared("data/biblio") else { return Vec::new() };
    let mut records = Vec::new();
    for path in files_under(&dir) {
        let output = parse_paths(std::slice::from_ref(&path), None);
        for document in output.documents.into_iter().filter(|d| d.source.format != "text") {
            records.push((path.clone(), document.citation));
        }
    }
    records
}

#[derive(Default)]
struct Tally {
    records: usize,
    whole: usize,
    /// Identical but for letter case: hayagriva title-cases `eLife` as `Elife`, where the CSL
    /// specification keeps mixed-case words as written.
    whole_ignoring_case: usize,
    authors: usize,
    year: usize,
    rest: usize,
    doi: usize,
    differences: Vec<String>,
}

impl Tally {
    fn report(&self, style: &str) {
        let percent = |n: usize| 100.0 * n as f64 / self.records.max(1) as f64;
        println!(
            "{style}: {} records; whole reference identical after normalising: {} ({:.1}%), ignoring letter case {:.1}%; authors {:.1}%, year {:.1}%, title-to-pages {:.1}%, DOI {:.1}%",
            self.records,
            self.whole,
            percent(self.whole),
            percent(self.whole_ignoring_case),
            percent(self.authors),
            percent(self.year),
            percent(self.rest),
            percent(self.doi),
        );
        for difference in self.differences.iter().take(40) {
            println!("{difference}");
        }
    }
}

#[test]
fn apa_and_vancouver_agree_with_a_csl_processor() {
    let records = corpus();
    if records.is_empty() {
        return;
    }
    // Decoding a style from the archive is slow: once each.
    let locales = locales();
    let apa_style = independent(ArchivedStyle::AmericanPsychologicalAssociation);
    let nlm_style = independent(ArchivedStyle::NlmCitationSequence);
    let mut apa = Tally::default();
    let mut vancouver = Tally::default();
    for (path, c) in &records {
        let item = item(c).unwrap_or_else(|e| panic!("{}: litview's CSL-JSON does not read back: {e}", path.display()));
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        for (tally, style, ours, parts) in [
            (&mut apa, &apa_style, cite::apa(c), apa_parts as fn(&str) -> Parts),
            (&mut vancouver, &nlm_style, cite::vancouver(c), vancouver_parts),
        ] {
            let Some(theirs) = csl_reference(style, &locales, &item) else { continue };
            let theirs = theirs.trim_start_matches(|ch: char| ch.is_ascii_digit() || ch == '.').trim().to_string();
            tally.records += 1;
            let (mine, other) = (parts(&ours), parts(&theirs));
            tally.authors += usize::from(mine.authors == other.authors);
            tally.year += usize::from(mine.year == other.year);
            tally.rest += usize::from(mine.rest == other.rest);
            tally.doi += usize::from(mine.doi == other.doi);
            tally.whole_ignoring_case +=
                usize::from(normalise(&ours).to_lowercase() == normalise(&theirs).to_lowercase());
            if normalise(&ours) == normalise(&theirs) {
                tally.whole += 1;
            } else {
                tally.differences.push(format!("  {name}\n    litview: {ours}\n    CSL:     {theirs}"));
            }
        }
    }
    apa.report("APA 7 (hayagriva, apa.csl)");
    vancouver.report("Vancouver (hayagriva, nlm-citation-sequence.csl)");
    // Floors at today's measured agreement, so that a regression in litview's styles shows.
    let rate = |n: usize, tally: &Tally| n * 100 / tally.records.max(1);
    assert!(apa.records >= 150, "only {} records", apa.records);
    assert!(rate(apa.authors, &apa) >= 95, "APA authors");
    assert!(rate(apa.year, &apa) >= 99, "APA year");
    assert!(rate(apa.doi, &apa) >= 99, "APA DOI");
    assert!(rate(apa.whole, &apa) >= 80, "APA whole references");
    assert!(rate(apa.whole_ignoring_case, &apa) >= 90, "APA whole references but for letter case");
    // hayagriva's NLM style prints no authors at all (the style's `initialize-with=""` names
    // come out empty), so for Vancouver only the year and DOI are comparable.
    assert!(rate(vancouver.year, &vancouver) >= 99, "Vancouver year");
    assert!(rate(vancouver.doi, &vancouver) >= 98, "Vancouver DOI");
}
