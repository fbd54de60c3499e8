//! Writers: BibTeX, RIS and CSL-JSON for any set of citations. Each writes what the model has
//! and, for the format a citation came from, the fields it kept under `custom` unread, so that
//! reading the output back loses nothing.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::{pages, types};
use crate::case;
use crate::model::{Citation, Name};

/// A citation key per citation, unique within the set: an id the citation has, or
/// `family` + `year` + first title word (`marx2014title`), with `b`, `c`, … on a clash.
pub fn keys(citations: &[Citation]) -> Vec<String> {
    let mut taken = HashSet::new();
    // The last suffix each key was given: a corpus of works that all want the same key (no
    // author, no year, titles alike) otherwise tries every suffix before it, for each work.
    let mut last: HashMap<String, u32> = HashMap::new();
    citations
        .iter()
        .map(|c| {
            let wanted =
                c.id.as_deref()
                    .map(|id| {
                        id.chars()
                            .filter(|ch| {
                                !ch.is_whitespace()
                                    && !matches!(ch, ',' | '{' | '}' | '"' | '#' | '%' | '\'' | '(' | ')' | '=')
                            })
                            .collect::<String>()
                    })
                    .filter(|id| !id.is_empty())
                    .unwrap_or_else(|| generated_key(c));
            let mut n = last.get(&wanted).copied().unwrap_or(1);
            let mut key = if n == 1 { wanted.clone() } else { suffixed(&wanted, n) };
            while !taken.insert(key.clone()) {
                n += 1;
                key = suffixed(&wanted, n);
            }
            last.insert(wanted, n);
            key
        })
        .collect()
}

/// The `n`th key wanted as `wanted`: `wanted`, then `wantedb` to `wantedz`, then `wanted-27`.
fn suffixed(wanted: &str, n: u32) -> String {
    match char::from_u32('a' as u32 + n - 1).filter(|_| n <= 26) {
        Some(letter) => format!("{wanted}{letter}"),
        None => format!("{wanted}-{n}"),
    }
}

fn generated_key(c: &Citation) -> String {
    let ascii = |text: &str| {
        text.chars().map(fold).filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase()
    };
    let who =
        c.author.first().and_then(|a| a.family.as_deref().or(a.literal.as_deref())).map(ascii).unwrap_or_default();
    let who = who.chars().take(20).collect::<String>();
    let year = c.issued.as_ref().and_then(|d| d.year()).map(|y| y.to_string()).unwrap_or_default();
    let word = c
        .title
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .map(ascii)
        .find(|w| w.len() >= 4 && !matches!(w.as_str(), "with" | "from" | "into" | "that" | "this" | "what" | "when"))
        .unwrap_or_default();
    let key = format!("{who}{year}{word}");
    if key.is_empty() {
        "ref".into()
    } else {
        key
    }
}

/// The ASCII letter under a Latin accented one, for keys: `ö` → `o`, `ł` → `l`.
fn fold(c: char) -> char {
    const FROM: &str = "àáâãäåāăąçćčďèéêëēėęěìíîïīįıłñńňòóôõöøōőùúûüūůűųýÿźżžśšşßğ";
    const TO: &str = "aaaaaaaaacccdeeeeeeeeiiiiiiilnnnooooooooouuuuuuuuyyzzzsssbg";
    let lower = case::lower_char(c);
    match FROM.chars().position(|f| f == lower) {
        Some(i) => TO.chars().nth(i).unwrap_or(c),
        None => c,
    }
}

/// BibTeX, one entry per citation; UTF-8 text as biber and bibtex8 read it.
pub fn to_bibtex(citations: &[Citation]) -> String {
    let mut out = String::new();
    for (c, key) in citations.iter().zip(keys(citations)) {
        let entry_type = match c.custom.get("bibtex-type").and_then(Value::as_str) {
            Some(original) => original.to_string(),
            None => types::to_bibtex(c.kind.as_deref()).to_string(),
        };
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut field = |name: &str, value: Option<String>| {
            if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
                fields.push((name.to_string(), value));
            }
        };
        if !c.author.is_empty() {
            field("author", Some(bibtex_names(&c.author)));
        }
        if let Some(editors) = names_in(c.other.get("editor")) {
            field("editor", Some(bibtex_names(&editors)));
        }
        field("title", c.title.as_deref().map(escape));
        let container_field = match entry_type.as_str() {
            "article" => "journal",
            _ => "booktitle",
        };
        field(container_field, c.container_title.as_deref().map(escape));
        if let Some(short) = c.other.get("container-title-short").and_then(Value::as_str) {
            field("shortjournal", Some(escape(short)));
        }
        let date = c.issued.as_ref().and_then(|d| d.date_parts.first());
        field("year", date.and_then(|d| d.first()).map(|y| y.to_string()));
        field("month", date.and_then(|d| d.get(1)).filter(|m| (1..=12).contains(*m)).map(|m| m.to_string()));
        field("volume", c.volume.as_deref().map(escape));
        field(
            "number",
            c.issue
                .clone()
                .or_else(|| c.other.get("number").and_then(Value::as_str).map(str::to_string))
                .as_deref()
                .map(escape),
        );
        field("pages", c.page.as_deref().map(|p| escape(&pages::expand(p).replacen('-', "--", 1))));
        field("publisher", c.publisher.as_deref().map(escape));
        field("address", c.other.get("publisher-place").and_then(Value::as_str).map(escape));
        field("doi", c.doi.clone());
        field("issn", c.issn.clone());
        field("isbn", c.other.get("ISBN").and_then(Value::as_str).map(str::to_string));
        field("url", c.url.clone());
        field("pmid", c.pmid.clone());
        field("pmcid", c.pmcid.clone());
        field("keywords", keyword_list(c).map(|k| escape(&k.join(", "))));
        field("abstract", c.abstract_text.as_deref().map(escape));
        field("language", c.language.clone().map(|l| escape(&l)));
        if let Some(Value::Object(kept)) = c.custom.get("bibtex") {
            for (name, value) in kept {
                let name: String =
                    name.chars().map(|ch| if ch.is_ascii_alphanumeric() || ch == '-' { ch } else { '_' }).collect();
                if !fields.iter().any(|(n, _)| *n == name) {
                    if let Some(text) = value.as_str() {
                        fields.push((name, escape(text)));
                    }
                }
            }
        }
        out.push_str(&format!("@{entry_type}{{{key},\n"));
        for (name, value) in fields {
            out.push_str(&format!("  {name} = {{{value}}},\n"));
        }
        out.push_str("}\n\n");
    }
    out
}

fn bibtex_names(names: &[Name]) -> String {
    names
        .iter()
        .map(|n| match (&n.literal, &n.family) {
            (Some(literal), _) => format!("{{{}}}", escape(literal)),
            (None, Some(family)) => {
                let family = match &n.non_dropping_particle {
                    Some(particle) => format!("{particle} {family}"),
                    None => family.clone(),
                };
                match (&n.given, &n.suffix) {
                    (Some(given), Some(suffix)) => escape(&format!("{family}, {suffix}, {given}")),
                    (Some(given), None) => escape(&format!("{family}, {given}")),
                    (None, _) => escape(&family),
                }
            }
            (None, None) => escape(n.given.as_deref().unwrap_or("")),
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// The characters BibTeX gives a meaning; braces are escaped so that a value always balances.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' | '%' | '$' | '#' | '{' | '}' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '\\' => out.push_str("\\textbackslash{}"),
            _ => out.push(c),
        }
    }
    out
}

fn names_in(value: Option<&Value>) -> Option<Vec<Name>> {
    let names: Vec<Name> = serde_json::from_value(value?.clone()).ok()?;
    (!names.is_empty()).then_some(names)
}

/// The keywords one by one: the split list litview keeps, else CSL's comma-separated string.
fn keyword_list(c: &Citation) -> Option<Vec<String>> {
    if let Some(Value::Array(words)) = c.custom.get("keywords") {
        let words: Vec<String> = words.iter().filter_map(Value::as_str).map(str::to_string).collect();
        if !words.is_empty() {
            return Some(words);
        }
    }
    let words: Vec<String> =
        c.keyword.as_deref()?.split(',').map(str::trim).filter(|w| !w.is_empty()).map(str::to_string).collect();
    (!words.is_empty()).then_some(words)
}

/// RIS (2011 specification tags), one record per citation, each closed by `ER  - `.
pub fn to_ris(citations: &[Citation]) -> String {
    let mut out = String::new();
    for (c, key) in citations.iter().zip(keys(citations)) {
        let kept = match c.custom.get("ris") {
            Some(Value::Object(kept)) => Some(kept),
            _ => None,
        };
        let ty = c
            .custom
            .get("ris-type")
            .and_then(Value::as_str)
            .map_or_else(|| types::to_ris(c.kind.as_deref()).to_string(), str::to_string);
        let mut tag = |tag: &str, value: &str| {
            let mut lines = value.trim().split('\n');
            let first = lines.next().unwrap_or("").trim_end();
            if value.trim().is_empty() {
                return;
            }
            out.push_str(&format!("{tag}  - {first}\n"));
            // Continuation lines are indented, so that none is mistaken for a tag.
            for line in lines.map(str::trim).filter(|l| !l.is_empty()) {
                out.push_str(&format!("      {line}\n"));
            }
        };
        tag("TY", &ty);
        tag("ID", &key);
        if let Some(title) = &c.title {
            tag("TI", title);
        }
        for name in &c.author {
            tag("AU", &ris_name(name));
        }
        if let Some(editors) = names_in(c.other.get("editor")) {
            for name in &editors {
                tag("A2", &ris_name(name));
            }
        }
        if let Some(container) = &c.container_title {
            tag("T2", container);
        }
        if let Some(short) = c.other.get("container-title-short").and_then(Value::as_str) {
            tag("J2", short);
        }
        if let Some(parts) = c.issued.as_ref().and_then(|d| d.date_parts.first()) {
            if let Some(year) = parts.first() {
                tag("PY", &year.to_string());
            }
            if parts.len() > 1 {
                let mut date: Vec<String> = parts.iter().map(|p| format!("{p:02}")).collect();
                date.resize(3, String::new());
                tag("DA", &format!("{}/", date.join("/")));
            }
        }
        if let Some(volume) = &c.volume {
            tag("VL", volume);
        }
        if let Some(issue) = &c.issue {
            tag("IS", issue);
        }
        if let Some(page) = &c.page {
            let (first, last) = pages::first_last(page);
            tag("SP", &first);
            if let Some(last) = last {
                tag("EP", &last);
            }
        }
        if let Some(doi) = &c.doi {
            tag("DO", doi);
        }
        if let Some(issn) = &c.issn {
            tag("SN", issn);
        } else if let Some(isbn) = c.other.get("ISBN").and_then(Value::as_str) {
            tag("SN", isbn);
        }
        if let Some(url) = &c.url {
            tag("UR", url);
        }
        if let Some(pmid) = &c.pmid {
            if !kept.is_some_and(|k| k.contains_key("AN")) {
                tag("AN", pmid);
            }
        }
        for word in keyword_list(c).unwrap_or_default() {
            tag("KW", &word);
        }
        if let Some(abstract_text) = &c.abstract_text {
            tag("AB", abstract_text);
        }
        if let Some(publisher) = &c.publisher {
            tag("PB", publisher);
        }
        if let Some(place) = c.other.get("publisher-place").and_then(Value::as_str) {
            tag("CY", place);
        }
        if let Some(language) = &c.language {
            tag("LA", language);
        }
        if let Some(Value::Array(affiliations)) = c.custom.get("affiliations") {
            for affiliation in affiliations.iter().filter_map(Value::as_str) {
                tag("AD", affiliation);
            }
        }
        for (name, values) in kept.into_iter().flatten() {
            let valid = name.len() == 2 && name.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            if !valid || matches!(name.as_str(), "TY" | "ER" | "ID") {
                continue;
            }
            for value in values.as_array().into_iter().flatten().filter_map(Value::as_str) {
                tag(name, value);
            }
        }
        out.push_str("ER  - \n\n");
    }
    out
}

fn ris_name(name: &Name) -> String {
    if let Some(literal) = &name.literal {
        return literal.clone();
    }
    let family = match (&name.non_dropping_particle, &name.family) {
        (Some(particle), Some(family)) => format!("{particle} {family}"),
        (None, Some(family)) => family.clone(),
        (_, None) => String::new(),
    };
    match (&name.given, &name.suffix) {
        (Some(given), Some(suffix)) => format!("{family}, {given}, {suffix}"),
        (Some(given), None) => format!("{family}, {given}"),
        (None, _) => family,
    }
}

/// CSL-JSON: an array of items, each with a unique `id`.
pub fn to_csl_json(citations: &[Citation]) -> String {
    let items: Vec<Citation> =
        citations.iter().zip(keys(citations)).map(|(c, key)| Citation { id: Some(key), ..c.clone() }).collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DateParts;

    fn citation(family: &str, year: i32, title: &str) -> Citation {
        Citation {
            title: Some(title.into()),
            author: vec![Name { family: Some(family.into()), given: Some("A".into()), ..Name::default() }],
            issued: Some(DateParts::ymd(year, None, None)),
            ..Citation::default()
        }
    }

    #[test]
    fn keys_are_sensible_and_unique() {
        let set = [
            citation("Müller", 2020, "The DNA of cells"),
            citation("Müller", 2020, "The DNA of cells"),
            Citation { id: Some("given id".into()), ..Citation::default() },
            Citation::default(),
        ];
        assert_eq!(keys(&set), ["muller2020cells", "muller2020cellsb", "givenid", "ref"]);
    }

    /// A corpus of 60,000 works with no author, no year and alike titles froze the page: each
    /// work tried every key before its own.
    #[test]
    fn many_works_that_want_one_key_each_get_their_own_at_once() {
        let set = vec![Citation::default(); 50_000];
        let keys = keys(&set);
        assert_eq!(keys[..3], ["ref", "refb", "refc"]);
        assert_eq!(keys.last().map(String::as_str), Some("ref-50000"));
        assert_eq!(keys.iter().collect::<HashSet<_>>().len(), set.len());
    }

    #[test]
    fn bibtex_escapes_and_balances() {
        let mut c = citation("Smith", 2020, "R&D {unbalanced");
        c.page = Some("1469-72".into());
        let bib = to_bibtex(&[c]);
        assert!(bib.contains("title = {R\\&D \\{unbalanced}"), "{bib}");
        assert!(bib.contains("pages = {1469--1472}"), "{bib}");
        assert!(bib.starts_with("@misc{smith2020unbalanced,"), "{bib}");
    }
}
