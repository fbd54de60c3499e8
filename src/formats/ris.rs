//! RIS (`TY  - JOUR` … `ER  - `), as reference managers, PubMed, Scopus, Ovid, EBSCO and
//! Dimensions export it, and the Web of Science tagged format (`PT J` … `ER`), which shares
//! its two-letter tags and is often saved as `.ris` or `.txt`.
//!
//! RIS rules followed (RIS specification, Research Information Systems 2011): a tag line is two
//! characters, two spaces, a hyphen and a space; `TY` opens a record and `ER` closes it; a line
//! without a tag continues the field before it. Exports bend these rules, so: text before the
//! first record or between records (Ovid's `1.`, EBSCO's headers, Ovid's links) is skipped, a
//! tag with nothing after the hyphen is no field, and a record left open at the end of the file
//! is kept with a warning.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{csl_json, Format, Parsed, Source};
use crate::cite::types;
use crate::model::{Affiliation, Citation, DateParts, Diagnostic, Name};
use crate::{ids, names};

pub const FORMAT: Format = Format { id: "ris", label: "RIS", extensions: &["ris", "ciw"], sniff, parse };

fn sniff(text: &str) -> u8 {
    let mut lines = text.lines().map(|l| l.trim_end_matches('\r')).filter(|l| !l.trim().is_empty()).take(60);
    let mut wos = false;
    for line in lines.by_ref() {
        if let Some((tag, _)) = ris_tag(line) {
            if tag == "TY" {
                return 95;
            }
        }
        if line.starts_with("FN ") || line == "PT J" || line.starts_with("PT ") && line.len() == 4 {
            wos = true;
            break;
        }
    }
    if wos && text.contains("\nER") {
        90
    } else {
        0
    }
}

/// `TY  - JOUR` → (`TY`, `JOUR`). The value may be missing (`ER  -`); one space before the
/// hyphen is tolerated, as some exporters write it.
fn ris_tag(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    let tag_ok = bytes.first().is_some_and(u8::is_ascii_uppercase)
        && bytes.get(1).is_some_and(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !tag_ok {
        return None;
    }
    let rest = &line[2..];
    let rest = rest.strip_prefix("  -").or_else(|| rest.strip_prefix(" -"))?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some((&line[..2], rest.trim()))
}

/// `AU Parkes-Loach, PS` → (`AU`, `Parkes-Loach, PS`); `ER` alone → (`ER`, ``).
fn wos_tag(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    let tag_ok = bytes.first().is_some_and(u8::is_ascii_uppercase)
        && bytes.get(1).is_some_and(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !tag_ok || !(bytes.len() == 2 || bytes.get(2) == Some(&b' ')) {
        return None;
    }
    Some((&line[..2], line.get(3..).unwrap_or("").trim()))
}

/// Web of Science fields whose continuation lines are further values, not wrapped text.
const WOS_LISTS: &[&str] = &["AU", "AF", "BA", "BF", "CA", "GP", "ED", "CR", "C1", "C3", "EM", "RI", "OI", "FU"];

/// One field of a record: its tag, its values in order, and the line it started on.
struct Field {
    tag: String,
    values: Vec<String>,
}

struct Record {
    line: u32,
    fields: Vec<Field>,
}

#[derive(Clone, Copy, PartialEq)]
enum Flavour {
    Ris,
    WebOfScience,
}

fn parse(source: &Source) -> Parsed {
    let file = source.file;
    let mut parsed = Parsed::default();
    let flavour = if sniff(source.text) == 90 { Flavour::WebOfScience } else { Flavour::Ris };
    let mut records: Vec<Record> = Vec::new();
    let mut open: Option<Record> = None;
    let mut skipped_before: Option<u32> = None;

    for (number, line) in source.text.split('\n').enumerate() {
        let number = number as u32 + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        let tagged = match flavour {
            Flavour::Ris => ris_tag(line),
            Flavour::WebOfScience => wos_tag(line),
        };
        match tagged {
            Some(("ER", _)) => match open.take() {
                Some(record) => records.push(record),
                None => parsed.diagnostics.push(Diagnostic::warning(
                    file,
                    Some(number),
                    "an end-of-record line (ER) with no record open; ignored",
                )),
            },
            Some(("EF" | "FN" | "VR", _)) if flavour == Flavour::WebOfScience && open.is_none() => {}
            Some((tag, value)) => {
                let opens = match flavour {
                    Flavour::Ris => tag == "TY",
                    Flavour::WebOfScience => tag == "PT",
                };
                if opens {
                    if let Some(record) = open.take() {
                        parsed.diagnostics.push(Diagnostic::warning(
                            file,
                            Some(record.line),
                            format!("the record starting at line {} has no end line (ER) before the next record at line {number}; kept", record.line),
                        ));
                        records.push(record);
                    }
                }
                let record = open.get_or_insert_with(|| {
                    if !opens {
                        parsed.diagnostics.push(Diagnostic::warning(
                            file,
                            Some(number),
                            format!("a record starts with {tag} instead of the record type (TY); read anyway"),
                        ));
                    }
                    Record { line: number, fields: Vec::new() }
                });
                match record.fields.last_mut().filter(|field| field.tag == tag) {
                    Some(field) => field.values.push(value.to_string()),
                    None => record.fields.push(Field { tag: tag.to_string(), values: vec![value.to_string()] }),
                }
            }
            None => {
                let Some(record) = open.as_mut() else {
                    if !line.trim().is_empty() && skipped_before.is_none() {
                        skipped_before = Some(number);
                    }
                    continue;
                };
                let text = line.trim();
                if text.is_empty() {
                    continue;
                }
                let Some(field) = record.fields.last_mut() else { continue };
                let Some(last) = field.values.last_mut() else { continue };
                let tag = field.tag.as_str();
                let new_value = match flavour {
                    Flavour::WebOfScience => WOS_LISTS.contains(&tag),
                    Flavour::Ris => matches!(tag, "UR" | "L1" | "L2" | "L3" | "L4" | "LK" | "KW") && !last.is_empty(),
                };
                if new_value {
                    field.values.push(text.to_string());
                } else if last.is_empty() {
                    last.push_str(text);
                } else {
                    let keeps_lines = flavour == Flavour::Ris && matches!(tag, "AB" | "N2" | "N1" | "NO");
                    last.push(if keeps_lines { '\n' } else { ' ' });
                    last.push_str(text);
                }
            }
        }
    }
    if let Some(record) = open.take() {
        parsed.diagnostics.push(Diagnostic::warning(
            file,
            Some(record.line),
            format!(
                "the record starting at line {} has no end line (ER) before the end of the file; kept",
                record.line
            ),
        ));
        records.push(record);
    }
    if let Some(line) = skipped_before {
        parsed.diagnostics.push(Diagnostic::warning(
            file,
            Some(line),
            "text outside any record (before TY or after ER), from this line on, was skipped",
        ));
    }

    for record in records {
        let citation = match flavour {
            Flavour::Ris => ris_citation(&record),
            Flavour::WebOfScience => wos_citation(&record),
        };
        if citation.is_empty() {
            parsed.diagnostics.push(Diagnostic::warning(file, Some(record.line), "the record has no fields; skipped"));
            continue;
        }
        parsed.documents.push(csl_json::document(citation));
    }
    if parsed.documents.is_empty() {
        let what = match flavour {
            Flavour::Ris => "no RIS record (a `TY  - ` line opening it) was found in this file",
            Flavour::WebOfScience => "no Web of Science record (a `PT ` line opening it) was found in this file",
        };
        parsed.diagnostics.push(Diagnostic::error(file, Some(1), what));
    }
    parsed
}

/// Values of a record, taken tag by tag; what is left at the end is kept under `custom`.
struct Values(BTreeMap<String, Vec<String>>);

impl Values {
    fn new(record: &Record) -> Self {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for field in &record.fields {
            let values = field.values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()).map(str::to_string);
            map.entry(field.tag.clone()).or_default().extend(values);
        }
        map.retain(|_, values| !values.is_empty());
        Values(map)
    }

    fn all(&mut self, tags: &[&str]) -> Vec<String> {
        tags.iter().flat_map(|tag| self.0.remove(*tag).unwrap_or_default()).collect()
    }

    /// The first value of the first tag present; the other values stay for `custom`.
    fn first(&mut self, tags: &[&str]) -> Option<String> {
        for tag in tags {
            if let Some(values) = self.0.get_mut(*tag) {
                if values.is_empty() {
                    continue;
                }
                let value = values.remove(0);
                if values.is_empty() {
                    self.0.remove(*tag);
                }
                return Some(value);
            }
        }
        None
    }

    /// Several lines of one field (two `AB` lines in EBSCO exports) read as one text.
    fn joined(&mut self, tags: &[&str], separator: &str) -> Option<String> {
        let tag = tags.iter().find(|tag| self.0.contains_key(**tag))?;
        let values = self.0.remove(*tag)?;
        Some(values.join(separator))
    }

    fn into_custom(self, key: &str, citation: &mut Citation) {
        if self.0.is_empty() {
            return;
        }
        let mut map = serde_json::Map::new();
        map.extend(self.0.into_iter().map(|(tag, values)| (tag, Value::from(values))));
        citation.custom.insert(key.into(), Value::Object(map));
    }
}

fn ris_citation(record: &Record) -> Citation {
    let mut values = Values::new(record);
    let mut c = Citation::default();
    if let Some(ty) = values.first(&["TY"]) {
        let kind = types::from_ris(&ty);
        if types::to_ris(Some(kind)) != ty {
            c.custom.insert("ris-type".into(), Value::String(ty));
        }
        c.kind = Some(kind.into());
    }
    c.id = values.first(&["ID"]);
    c.title = values.joined(&["TI", "T1", "CT"], " ").or_else(|| values.first(&["BT"]));
    c.author =
        values.all(&["AU", "A1"]).iter().map(|a| names::parse_name(a)).filter(|n| *n != Name::default()).collect();
    for (tags, role) in [(&["A2", "ED"][..], "editor"), (&["A3"][..], "collection-editor"), (&["A4"][..], "translator")]
    {
        let people: Vec<Name> = values.all(tags).iter().map(|a| names::parse_name(a)).collect();
        if !people.is_empty() {
            c.other.insert(role.into(), serde_json::to_value(people).unwrap_or_default());
        }
    }
    c.container_title = values.first(&["T2", "JF", "JO", "JA", "J2", "BT"]);
    if let Some(short) = values.first(&["J2", "JA", "JO"]).filter(|s| Some(s) != c.container_title.as_ref()) {
        c.other.insert("container-title-short".into(), Value::String(short));
    }
    if let Some(series) = values.first(&["T3"]) {
        c.other.insert("collection-title".into(), Value::String(series));
    }
    c.volume = values.first(&["VL", "VO"]);
    c.issue = values.first(&["IS", "CP"]);
    c.page = pages(values.first(&["SP"]), values.first(&["EP"]));
    c.issued = values.first(&["PY", "Y1", "DA"]).and_then(|d| ris_date(&d));
    if let Some(accessed) = values.first(&["Y2"]).and_then(|d| ris_date(&d)) {
        c.other.insert("accessed".into(), serde_json::to_value(accessed).unwrap_or_default());
    }
    c.abstract_text = values.joined(&["AB", "N2"], "\n");
    // Dimensions exports Crossref's JATS abstracts as they are.
    if let Some(abstract_text) = c.abstract_text.as_mut().filter(|a| a.contains("<jats:")) {
        *abstract_text = csl_json::strip_markup(abstract_text);
    }
    c.publisher = values.first(&["PB"]);
    if let Some(place) = values.first(&["CY", "PP"]) {
        c.other.insert("publisher-place".into(), Value::String(place));
    }
    c.language = values.first(&["LA"]);
    identifiers(&mut c, &mut values, &["DO"], &["SN"], &["UR", "L2", "LK", "L1"]);
    keywords(&mut c, values.all(&["KW"]));
    let affiliations = values.all(&["AD"]);
    if !affiliations.is_empty() {
        c.custom.insert("affiliations".into(), Value::from(affiliations));
    }
    if let Some(number) = values.first(&["C7"]) {
        c.other.insert("number".into(), Value::String(number));
    }
    values.into_custom("ris", &mut c);
    c
}

fn wos_citation(record: &Record) -> Citation {
    let mut values = Values::new(record);
    let mut c = Citation::default();
    let document_type = values.first(&["DT"]);
    let pt = values.first(&["PT"]);
    c.kind = Some(
        match (pt.as_deref(), document_type.as_deref()) {
            (_, Some(dt)) if dt.contains("Proceedings") => "paper-conference",
            (Some("B"), _) => "book",
            (Some("P"), _) => "patent",
            (Some("J"), _) => "article-journal",
            (_, Some(dt)) => types::from_words(dt),
            _ => "article-journal",
        }
        .into(),
    );
    if let Some(dt) = document_type {
        c.custom.insert("document-type".into(), Value::String(dt));
    }
    c.title = values.first(&["TI"]);
    // `AF` has the full names; `AU` the short ones, in the same order.
    let full = values.all(&["AF"]);
    let short = values.all(&["AU"]);
    let authors = if full.is_empty() { short } else { full };
    c.author = authors.iter().map(|a| names::parse_name(a)).filter(|n| *n != Name::default()).collect();
    if let Some(group) = values.first(&["CA"]) {
        c.author.push(Name { literal: Some(group), ..Name::default() });
    }
    c.container_title = values.first(&["SO"]);
    if let Some(short) = values.first(&["JI", "J9"]) {
        c.other.insert("container-title-short".into(), Value::String(short));
    }
    c.volume = values.first(&["VL"]);
    c.issue = values.first(&["IS"]);
    c.page = pages(values.first(&["BP"]), values.first(&["EP"]));
    if c.page.is_none() {
        c.page = values.first(&["AR"]);
    }
    let month = values.first(&["PD"]);
    c.issued = values.first(&["PY"]).and_then(|year| {
        let year: i32 = year.trim().parse().ok()?;
        let month = month.as_deref().and_then(|m| m.split_whitespace().find_map(types::month));
        Some(DateParts::ymd(year, month, None))
    });
    c.abstract_text = values.first(&["AB"]);
    c.publisher = values.first(&["PU"]);
    c.language = values.first(&["LA"]);
    identifiers(&mut c, &mut values, &["DI"], &["SN", "EI"], &[]);
    if let Some(pmid) = values.first(&["PM"]) {
        c.pmid = ids::pmid(&pmid);
    }
    keywords(&mut c, values.all(&["DE"]).iter().flat_map(|k| k.split(';')).map(|k| k.trim().to_string()).collect());
    let addresses = values.all(&["C1"]);
    if !addresses.is_empty() {
        c.custom.insert("affiliations".into(), Value::from(addresses));
    }
    if let Some(orcids) = values.first(&["OI"]) {
        attach_orcids(&mut c.author, &orcids);
        c.custom.insert("orcids".into(), Value::String(orcids));
    }
    if let Some(accession) = values.first(&["UT"]) {
        c.custom.insert("accession".into(), Value::String(accession));
    }
    values.into_custom("wos", &mut c);
    c
}

/// WoS `OI` is `Family, Given/0000-0002-...; ...`; an ORCID goes to the author of that name.
fn attach_orcids(authors: &mut [Name], field: &str) {
    for entry in field.split(';') {
        let Some((who, id)) = entry.rsplit_once('/') else { continue };
        let Some(orcid) = ids::orcid(id) else { continue };
        let family = who.split(',').next().unwrap_or("").trim();
        if let Some(author) =
            authors.iter_mut().find(|a| a.family.as_deref().is_some_and(|f| f.eq_ignore_ascii_case(family)))
        {
            author.orcid.get_or_insert(orcid);
        }
    }
}

fn pages(start: Option<String>, end: Option<String>) -> Option<String> {
    match (start, end) {
        (Some(start), Some(end)) if start != end && !start.contains('-') => Some(format!("{start}-{end}")),
        (Some(start), _) => Some(start),
        (None, end) => end,
    }
}

/// DOI, ISSN (or ISBN) and URLs, each checked; text that is no valid identifier is kept.
fn identifiers(c: &mut Citation, values: &mut Values, doi_tags: &[&str], issn_tags: &[&str], url_tags: &[&str]) {
    for raw in values.all(doi_tags) {
        match ids::doi(&raw) {
            Some(doi) if c.doi.is_none() => c.doi = Some(doi),
            Some(_) => {}
            None => keep(c, "unreadable-doi", raw),
        }
    }
    for raw in values.all(issn_tags) {
        match ids::issn(&raw) {
            Some(issn) if c.issn.is_none() => c.issn = Some(issn),
            Some(issn) => keep(c, "issn", issn),
            None => {
                let isbn: String = raw.chars().filter(|ch| ch.is_ascii_digit() || *ch == 'X').collect();
                if matches!(isbn.len(), 10 | 13) {
                    c.other.entry("ISBN".into()).or_insert(Value::String(raw));
                } else {
                    keep(c, "SN", raw);
                }
            }
        }
    }
    let urls: Vec<String> = values
        .all(url_tags)
        .iter()
        .flat_map(|u| u.split(';'))
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string)
        .collect();
    let mut urls = urls.into_iter();
    c.url = urls.next();
    for url in urls {
        keep(c, "urls", url);
    }
}

fn keep(c: &mut Citation, key: &str, value: String) {
    match c.custom.entry(key.to_string()).or_insert_with(|| Value::Array(Vec::new())) {
        Value::Array(values) => values.push(Value::String(value)),
        other => *other = Value::from(vec![other.clone(), Value::String(value)]),
    }
}

/// Keywords go to CSL's one comma-separated string and, split, to `custom.keywords`.
fn keywords(c: &mut Citation, words: Vec<String>) {
    let words: Vec<String> = words.into_iter().map(|w| w.trim().to_string()).filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return;
    }
    c.keyword = Some(words.join(", "));
    c.custom.insert("keywords".into(), Value::from(words));
}

/// RIS dates: `2014//`, `1948/07//`, `2016/09/12/Spring`, `2009`, `2020-03-01`.
fn ris_date(text: &str) -> Option<DateParts> {
    let text = text.trim();
    let mut parts = text.split(['/', '-']).map(str::trim);
    let year_part = parts.next()?;
    let year: i32 = year_part.get(..4).filter(|y| y.bytes().all(|b| b.is_ascii_digit()))?.parse().ok()?;
    let month = parts.next().and_then(|m| m.parse::<u32>().ok()).filter(|m| (1..=12).contains(m));
    let day = parts.next().and_then(|d| d.parse::<u32>().ok()).filter(|d| (1..=31).contains(d));
    let mut date = DateParts::ymd(year, month, day);
    if text.len() > 4 && !text.trim_end_matches('/').bytes().all(|b| b.is_ascii_digit() || b == b'/' || b == b'-') {
        date.raw = Some(text.to_string());
    }
    Some(date)
}

/// Affiliations given per record, not per author, are kept as a list in `custom.affiliations`;
/// this is how a writer gets them back.
pub fn affiliations(c: &Citation) -> Vec<Affiliation> {
    match c.custom.get("affiliations") {
        Some(Value::Array(values)) => {
            values.iter().filter_map(|v| v.as_str()).map(|name| Affiliation { name: name.to_string() }).collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Parsed {
        parse(&Source { file: "t.ris", text })
    }

    #[test]
    fn reads_a_record() {
        let parsed = read("TY  - JOUR\r\nTI  - A title\r\nAU  - Marx, Karl\r\nAU  - Lindgren, Astrid\r\nPY  - 1948/07//\r\nSP  - 379\r\nEP  - 423\r\nDO  - http://dx.doi.org/10.1177/2325967120950040\r\nKW  - a\r\nKW  - b\r\nAB  - Line one\r\n      line two\r\nZZ  - kept\r\nER  - \r\n");
        assert_eq!(parsed.documents.len(), 1, "{:?}", parsed.diagnostics);
        let c = &parsed.documents[0].citation;
        assert_eq!(c.kind.as_deref(), Some("article-journal"));
        assert_eq!(c.author[1].family.as_deref(), Some("Lindgren"));
        assert_eq!(c.page.as_deref(), Some("379-423"));
        assert_eq!(c.issued, Some(DateParts::ymd(1948, Some(7), None)));
        assert_eq!(c.doi.as_deref(), Some("10.1177/2325967120950040"));
        assert_eq!(c.keyword.as_deref(), Some("a, b"));
        assert_eq!(c.abstract_text.as_deref(), Some("Line one\nline two"));
        assert_eq!(c.custom["ris"]["ZZ"][0], "kept");
        assert_eq!(parsed.documents[0].text, "A title\nLine one\nline two");
        assert!(parsed.diagnostics.is_empty());
    }

    #[test]
    fn keeps_a_record_without_end() {
        let parsed = read("TY  - JOUR\nTI  - One\nTY  - BOOK\nTI  - Two\n");
        assert_eq!(parsed.documents.len(), 2);
        assert_eq!(parsed.diagnostics.len(), 2);
        assert_eq!(parsed.diagnostics[0].line, Some(1));
        assert_eq!(parsed.diagnostics[1].line, Some(3));
    }

    #[test]
    fn reads_web_of_science() {
        let text = "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Li, W\n   Dou, Z\nTI A long\n   title\nSO JOURNAL\nPY 2020\nPD DEC 16 2020\nBP 9\nEP 20\nER\n\nEF\n";
        assert_eq!(sniff(text), 90);
        let parsed = read(text);
        let c = &parsed.documents[0].citation;
        assert_eq!(c.author.len(), 2);
        assert_eq!(c.title.as_deref(), Some("A long title"));
        assert_eq!(c.issued, Some(DateParts::ymd(2020, Some(12), None)));
        assert_eq!(c.page.as_deref(), Some("9-20"));
    }

    #[test]
    fn sniffs() {
        assert_eq!(sniff("\n\nTY  - JOUR\n"), 95);
        assert_eq!(sniff("PMID- 123\n"), 0);
        assert_eq!(sniff("@article{x,\n}"), 0);
    }
}
