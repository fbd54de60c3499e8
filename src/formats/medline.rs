//! MEDLINE, the tagged text PubMed exports (`.nbib`, "PubMed format"): `PMID- 28754806`, then a
//! tag padded to four characters, a hyphen, a space and the value; continuation lines start with
//! six spaces; a blank line ends a record. Tags follow the MEDLINE/PubMed Data Element (Field)
//! Descriptions: `FAU`/`AU` name an author, the `AD` and `AUID` lines after an author are that
//! author's, `AID ... [doi]` is the article's DOI, `PG` abbreviates its range (`6913-7`).

use std::collections::BTreeMap;

use serde_json::Value;

use super::{csl_json, Format, Parsed, Source};
use crate::cite::{pages, types};
use crate::model::{Affiliation, Citation, DateParts, Diagnostic, Name};
use crate::{ids, names};

pub const FORMAT: Format = Format { id: "medline", label: "MEDLINE", extensions: &["nbib", "medline"], sniff, parse };

fn sniff(text: &str) -> u8 {
    let mut tagged = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()).take(20) {
        match tag_line(line.trim_end_matches('\r')) {
            Some(("PMID", _)) => return 95,
            Some(_) => tagged += 1,
            None => {}
        }
    }
    if tagged >= 5 {
        40
    } else {
        0
    }
}

/// `PMID- 123` → (`PMID`, `123`); `AB  - ` → (`AB`, ``). The tag is one to four capital letters
/// padded with spaces to four characters, then a hyphen.
fn tag_line(line: &str) -> Option<(&str, &str)> {
    // Byte 4 must be the ASCII hyphen, so byte 4 is a character boundary even in non-ASCII text.
    if line.as_bytes().get(4) != Some(&b'-') {
        return None;
    }
    let tag = line.get(..4)?;
    let name = tag.trim_end();
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_uppercase()) || tag[name.len()..].bytes().any(|b| b != b' ')
    {
        return None;
    }
    Some((name, line.get(5..).unwrap_or("").trim()))
}

struct Record {
    line: u32,
    /// Tags and values in file order: authors and their affiliations depend on it.
    fields: Vec<(String, String)>,
}

fn parse(source: &Source) -> Parsed {
    let file = source.file;
    let mut parsed = Parsed::default();
    let mut records: Vec<Record> = Vec::new();
    let mut open: Option<Record> = None;
    let mut stray: Option<u32> = None;

    for (number, line) in source.text.split('\n').enumerate() {
        let number = number as u32 + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            records.extend(open.take());
            continue;
        }
        if let Some((tag, value)) = tag_line(line) {
            // A second PMID without a blank line before it begins the next record.
            if tag == "PMID" && open.as_ref().is_some_and(|r| r.fields.iter().any(|(t, _)| t == "PMID")) {
                records.extend(open.take());
            }
            let record = open.get_or_insert_with(|| Record { line: number, fields: Vec::new() });
            record.fields.push((tag.to_string(), value.to_string()));
        } else if line.starts_with(' ') || line.starts_with('\t') {
            match open.as_mut().and_then(|r| r.fields.last_mut()) {
                Some((_, value)) => {
                    if !value.is_empty() {
                        value.push(' ');
                    }
                    value.push_str(line.trim());
                }
                None => {
                    stray.get_or_insert(number);
                }
            }
        } else {
            stray.get_or_insert(number);
        }
    }
    records.extend(open.take());
    if let Some(line) = stray {
        parsed.diagnostics.push(Diagnostic::warning(
            file,
            Some(line),
            "a line that is neither a MEDLINE field (`TAG - value`) nor its continuation was skipped (the first such line is here)",
        ));
    }

    for record in records {
        let pmid = record.fields.iter().find(|(t, _)| t == "PMID").map(|(_, v)| v.clone());
        if pmid.is_none() {
            parsed.diagnostics.push(Diagnostic::warning(
                file,
                Some(record.line),
                format!("the record starting at line {} has no PMID line; read anyway", record.line),
            ));
        }
        let citation = citation(&record);
        if citation.title.is_none() && citation.abstract_text.is_none() {
            parsed.diagnostics.push(
                Diagnostic::warning(
                    file,
                    Some(record.line),
                    format!("the record starting at line {} has no title (TI) and no abstract (AB)", record.line),
                )
                .in_document(pmid.as_deref()),
            );
        }
        parsed.documents.push(csl_json::document(citation));
    }
    if parsed.documents.is_empty() {
        parsed.diagnostics.push(Diagnostic::error(
            file,
            Some(1),
            "no MEDLINE record (a `PMID- ` line) was found in this file",
        ));
    }
    parsed
}

fn citation(record: &Record) -> Citation {
    let mut c = Citation::default();
    let mut rest: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut publication_types = Vec::new();
    let mut mesh = Vec::new();
    let mut keywords = Vec::new();
    let mut issns = Vec::new();
    let mut loose_affiliations = Vec::new();
    // Whether the last author came from a `FAU` line still waiting for its short `AU` line.
    let mut full_name_open = false;
    let mut book_title = None;
    let mut date = None;

    for (tag, value) in &record.fields {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let mut kept = false;
        match tag.as_str() {
            "PMID" => c.pmid = ids::pmid(value).or_else(|| Some(value.to_string())),
            "PMC" => c.pmcid = ids::pmcid(value),
            "TI" => c.title = Some(value.to_string()),
            "BTI" => book_title = Some(value.to_string()),
            "AB" => c.abstract_text = Some(value.to_string()),
            "FAU" => {
                c.author.push(names::parse_name(value));
                full_name_open = true;
            }
            "AU" if full_name_open => full_name_open = false,
            "AU" => c.author.push(names::parse_name(value)),
            "CN" => {
                c.author.push(Name { literal: Some(value.to_string()), ..Name::default() });
                full_name_open = false;
            }
            "AD" => match c.author.last_mut() {
                Some(author) => author.affiliation.push(Affiliation { name: value.to_string() }),
                None => loose_affiliations.push(value.to_string()),
            },
            "AUID" => match (c.author.last_mut(), ids::orcid(value)) {
                (Some(author), Some(orcid)) => author.orcid = Some(orcid),
                _ => kept = true,
            },
            "JT" => c.container_title = Some(value.to_string()),
            "TA" => {
                c.other.insert("container-title-short".into(), Value::String(value.to_string()));
            }
            "VI" => c.volume = Some(value.to_string()),
            "IP" => c.issue = Some(value.to_string()),
            "PG" => c.page = Some(pages::expand(value)),
            "DP" => date = Some(value.to_string()),
            "LID" | "AID" => match value.strip_suffix("[doi]").and_then(ids::doi) {
                Some(doi) => {
                    c.doi.get_or_insert(doi);
                }
                None => kept = true,
            },
            "IS" => issns.push(value.to_string()),
            "LA" => c.language = Some(value.to_string()),
            "PT" => publication_types.push(value.to_string()),
            "MH" => mesh.push(value.to_string()),
            "OT" => keywords.push(value.to_string()),
            "CI" => c.license = Some(value.to_string()),
            "PB" => c.publisher = Some(value.to_string()),
            "PL" => {
                c.other.insert("publisher-place".into(), Value::String(value.to_string()));
            }
            _ => kept = true,
        }
        if kept {
            rest.entry(tag.clone()).or_default().push(value.to_string());
        }
    }

    // PubMed books: `BTI` is the book; with a `TI` too, the record is a chapter of it.
    c.kind = Some(
        match (&c.title, &book_title) {
            (Some(_), Some(_)) => "chapter",
            (None, Some(_)) => "book",
            _ => publication_types
                .iter()
                .map(|pt| types::from_words(pt))
                .find(|t| *t != "document")
                .unwrap_or("article-journal"),
        }
        .into(),
    );
    match (&c.title, book_title) {
        (Some(_), Some(book)) => c.container_title = Some(book),
        (None, Some(book)) => c.title = Some(book),
        _ => {}
    }
    if c.container_title.is_none() {
        c.container_title = c.other.remove("container-title-short").and_then(|v| v.as_str().map(str::to_string));
    }
    c.issued = date.as_deref().and_then(medline_date);
    let mut valid_issns = issns.iter().filter_map(|i| ids::issn(i));
    c.issn = valid_issns.next();
    if issns.len() > 1 || c.issn.is_none() && !issns.is_empty() {
        c.custom.insert("issn".into(), Value::from(issns));
    }
    if !keywords.is_empty() {
        c.keyword = Some(keywords.join(", "));
        c.custom.insert("keywords".into(), Value::from(keywords));
    }
    if !mesh.is_empty() {
        c.custom.insert("mesh".into(), Value::from(mesh));
    }
    if !publication_types.is_empty() {
        c.custom.insert("publication-types".into(), Value::from(publication_types));
    }
    if !loose_affiliations.is_empty() {
        c.custom.insert("affiliations".into(), Value::from(loose_affiliations));
    }
    if !rest.is_empty() {
        let mut map = serde_json::Map::new();
        map.extend(rest.into_iter().map(|(tag, values)| (tag, Value::from(values))));
        c.custom.insert("medline".into(), Value::Object(map));
    }
    c
}

/// `DP` values: `2018 Apr`, `2018 Mar 30`, `2017 Nov-Dec`, `2018 Spring`, `1998 Dec 7-14`. The
/// first month or day of a range is the date; anything beyond year, month, day stays in `raw`.
fn medline_date(text: &str) -> Option<DateParts> {
    let mut words = text.split_whitespace();
    let year: i32 = words.next()?.get(..4)?.parse().ok()?;
    let month_word = words.next();
    let month = month_word.and_then(|m| types::month(m.split('-').next().unwrap_or(m)));
    let day_word = words.next();
    let day =
        month.and(day_word).and_then(|d| d.split('-').next()?.parse::<u32>().ok()).filter(|d| (1..=31).contains(d));
    let mut date = DateParts::ymd(year, month, day);
    let exact = month_word.is_none_or(|m| month.is_some() && !m.contains('-'))
        && day_word.is_none_or(|d| day.is_some() && !d.contains('-'))
        && words.next().is_none();
    if !exact {
        date.raw = Some(text.to_string());
    }
    Some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORD: &str = "PMID- 28754806\nIS  - 1759-8486 (Electronic)\nVI  - 10\nIP  - 4\nDP  - 2018 Apr\nTI  - Impact of balloon guide catheter: a systematic \n      review.\nPG  - 6913-7\nAB  - Flow arrest \n      matters.\nFAU - Brinjikji, Waleed\nAU  - Brinjikji W\nAD  - Mayo Clinic, Rochester, \n      Minnesota, USA.\nAD  - Toronto.\nAU  - Pereira VM\nAUID- ORCID: 0000-0001-7959-3512\nPT  - Journal Article\nTA  - J Neurointerv Surg\nJT  - Journal of neurointerventional surgery\nMH  - Aged\nOT  - stroke\nAID - neurintsurg-2017-013179 [pii]\nAID - 10.1136/neurintsurg-2017-013179 [doi]\n\n";

    #[test]
    fn reads_a_record() {
        let parsed = parse(&Source { file: "t.nbib", text: RECORD });
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let c = &parsed.documents[0].citation;
        assert_eq!(c.pmid.as_deref(), Some("28754806"));
        assert_eq!(c.title.as_deref(), Some("Impact of balloon guide catheter: a systematic review."));
        assert_eq!(c.page.as_deref(), Some("6913-6917"));
        assert_eq!(c.author.len(), 2);
        assert_eq!(c.author[0].given.as_deref(), Some("Waleed"));
        assert_eq!(c.author[0].affiliation[0].name, "Mayo Clinic, Rochester, Minnesota, USA.");
        assert_eq!(c.author[0].affiliation.len(), 2);
        assert_eq!(c.author[1].family.as_deref(), Some("Pereira"));
        assert_eq!(c.author[1].orcid.as_deref(), Some("https://orcid.org/0000-0001-7959-3512"));
        assert_eq!(c.doi.as_deref(), Some("10.1136/neurintsurg-2017-013179"));
        assert_eq!(c.issn.as_deref(), Some("1759-8486"));
        assert_eq!(c.issued, Some(DateParts::ymd(2018, Some(4), None)));
        assert_eq!(c.container_title.as_deref(), Some("Journal of neurointerventional surgery"));
        assert_eq!(c.kind.as_deref(), Some("article-journal"));
        assert_eq!(c.custom["medline"]["AID"][0], "neurintsurg-2017-013179 [pii]");
        assert_eq!(
            parsed.documents[0].text,
            "Impact of balloon guide catheter: a systematic review.\nFlow arrest matters."
        );
    }

    #[test]
    fn reads_dates() {
        assert_eq!(medline_date("2018 Mar 30"), Some(DateParts::ymd(2018, Some(3), Some(30))));
        let season = medline_date("2018 Spring").unwrap_or_default();
        assert_eq!(season.year(), Some(2018));
        assert_eq!(season.raw.as_deref(), Some("2018 Spring"));
        assert_eq!(medline_date("2017 Nov-Dec").and_then(|d| d.date_parts.first().cloned()), Some(vec![2017, 11]));
        assert_eq!(medline_date("Spring"), None);
    }

    #[test]
    fn splits_records_without_blank_lines() {
        let parsed = parse(&Source { file: "t.nbib", text: "PMID- 1\nTI  - One\nPMID- 2\nTI  - Two\n" });
        assert_eq!(parsed.documents.len(), 2);
        assert_eq!(sniff("PMC - PMC1\nPMID- 1\n"), 95);
        assert_eq!(sniff("TY  - JOUR\n"), 0);
    }
}
