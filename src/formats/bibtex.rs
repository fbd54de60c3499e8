//! BibTeX and BibLaTeX: `@type{key, field = value, ...}`. Values are `{braced}` (nested braces
//! allowed), `"quoted"`, bare numbers or `@string` macros, joined with `#`. LaTeX accents and
//! symbols become Unicode; braces that protect case are dropped. `@comment` and `@preamble`
//! are skipped, as is any text outside an entry (BibTeX's own rule: only `@` starts something).
//!
//! An entry whose braces never balance is read up to the next line that starts a new entry,
//! so that one stray brace costs one entry's last field, not the rest of the file.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::{csl_json, Format, Parsed, Source};
use crate::cite::types;
use crate::model::{Citation, DateParts, Diagnostic, Name};
use crate::{ids, names};

pub const FORMAT: Format = Format { id: "bibtex", label: "BibTeX", extensions: &["bib", "bibtex"], sniff, parse };

fn sniff(text: &str) -> u8 {
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()).take(200) {
        if let Some(rest) = line.strip_prefix('@') {
            let name_len = rest.bytes().take_while(|b| b.is_ascii_alphabetic()).count();
            let after = rest[name_len..].trim_start();
            if name_len > 0 && (after.starts_with('{') || after.starts_with('(')) {
                return if types::from_bibtex(&rest[..name_len]) != "document"
                    || matches!(
                        rest[..name_len].to_ascii_lowercase().as_str(),
                        "misc" | "string" | "comment" | "preamble"
                    ) {
                    90
                } else {
                    60
                };
            }
        }
    }
    0
}

struct Entry {
    kind: String,
    key: String,
    line: u32,
    /// Field names in lower case, values with macros expanded but LaTeX not yet converted.
    fields: Vec<(String, String)>,
}

/// A value that ran to the end of the file, or into the next entry, without closing.
struct Unclosed {
    at: usize,
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line_starts: Vec<usize>,
    macros: HashMap<String, String>,
    file: &'a str,
    diagnostics: Vec<Diagnostic>,
}

fn parse(source: &Source) -> Parsed {
    let text = source.text;
    let mut line_starts = vec![0];
    line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        line_starts,
        macros: HashMap::new(),
        file: source.file,
        diagnostics: Vec::new(),
    };
    let entries = reader.entries();
    let mut parsed = Parsed { diagnostics: reader.diagnostics, ..Parsed::default() };
    for entry in entries {
        let citation = citation(&entry, source.file, &mut parsed.diagnostics);
        parsed.documents.push(csl_json::document(citation));
    }
    if parsed.documents.is_empty() && !parsed.diagnostics.iter().any(|d| d.severity == crate::model::Severity::Error) {
        parsed.diagnostics.push(Diagnostic::error(
            source.file,
            Some(1),
            "no BibTeX entry (`@type{key, ...}`) was found in this file",
        ));
    }
    parsed
}

impl Reader<'_> {
    fn line(&self, at: usize) -> u32 {
        self.line_starts.partition_point(|&start| start <= at) as u32
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn warn(&mut self, at: usize, message: String) {
        let line = self.line(at);
        self.diagnostics.push(Diagnostic::warning(self.file, Some(line), message));
    }

    fn error(&mut self, at: usize, message: String) {
        let line = self.line(at);
        self.diagnostics.push(Diagnostic::error(self.file, Some(line), message));
    }

    fn entries(&mut self) -> Vec<Entry> {
        let mut entries = Vec::new();
        while let Some(found) = memchr::memchr(b'@', self.bytes.get(self.pos..).unwrap_or_default()) {
            let at = self.pos + found;
            self.pos = at + 1;
            let name_len =
                self.bytes[self.pos..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').count();
            let kind = self.text[self.pos..self.pos + name_len].to_ascii_lowercase();
            self.pos += name_len;
            self.skip_space();
            let close = match self.peek() {
                Some(b'{') => b'}',
                Some(b'(') => b')',
                _ => continue,
            };
            if kind.is_empty() {
                continue;
            }
            self.pos += 1;
            match kind.as_str() {
                "comment" | "preamble" => {
                    if self.skip_group(close).is_err() {
                        self.error(at, format!("@{kind} starting here never closes; the rest of the file is skipped"));
                    }
                }
                "string" => {
                    for (name, value) in self.fields(at, close) {
                        self.macros.insert(name, value);
                    }
                }
                _ => {
                    let key_len = self.bytes[self.pos..]
                        .iter()
                        .take_while(|b| !matches!(b, b',' | b'}' | b')' | b'\n' | b'\r') && !(b.is_ascii_whitespace()))
                        .count();
                    let key = self.text[self.pos..self.pos + key_len].to_string();
                    self.pos += key_len;
                    self.skip_space();
                    if self.peek() == Some(b',') {
                        self.pos += 1;
                    }
                    let line = self.line(at);
                    let fields = self.fields(at, close);
                    entries.push(Entry { kind, key, line, fields });
                }
            }
        }
        entries
    }

    /// Skips to the delimiter that closes a group opened just before `pos`.
    fn skip_group(&mut self, close: u8) -> Result<(), Unclosed> {
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'{' => depth += 1,
                b'}' if depth > 0 => depth -= 1,
                _ if b == close && depth == 0 => return Ok(()),
                _ => {}
            }
        }
        Err(Unclosed { at: self.pos })
    }

    /// `name = value, ...` up to the entry's closing delimiter.
    fn fields(&mut self, start: usize, close: u8) -> Vec<(String, String)> {
        let mut fields = Vec::new();
        loop {
            while self.peek().is_some_and(|b| b.is_ascii_whitespace() || b == b',') {
                self.pos += 1;
            }
            match self.peek() {
                None => {
                    self.error(start, "this entry never closes: a closing brace is missing".to_string());
                    return fields;
                }
                Some(b) if b == close => {
                    self.pos += 1;
                    return fields;
                }
                Some(b'@') if self.bytes.get(self.pos.wrapping_sub(1)).is_none_or(u8::is_ascii_whitespace) => {
                    self.error(
                        start,
                        "this entry never closes: a new entry starts before its closing brace".to_string(),
                    );
                    return fields;
                }
                _ => {}
            }
            let name_start = self.pos;
            let name_len = self.bytes[self.pos..]
                .iter()
                .take_while(|b| !matches!(b, b'=' | b',' | b'{' | b'}' | b'"' | b'\n'))
                .count();
            let name = self.text[self.pos..self.pos + name_len].trim().to_ascii_lowercase();
            self.pos += name_len;
            if self.peek() != Some(b'=') {
                self.warn(name_start, format!("'{}' is not a field (`name = value`); skipped", name.trim()));
                self.pos += 1;
                continue;
            }
            self.pos += 1;
            match self.value(close) {
                Ok(value) => fields.push((name, value)),
                Err(Unclosed { at }) => {
                    let line = self.line(name_start);
                    self.error(
                        start,
                        format!("unbalanced braces: field '{name}' (line {line}) never closes, so this entry ends there; its other fields are kept"),
                    );
                    self.pos = at;
                    return fields;
                }
            }
        }
    }

    /// A value: parts joined by `#`, each braced, quoted, a number or a macro name.
    fn value(&mut self, close: u8) -> Result<String, Unclosed> {
        let mut value = String::new();
        loop {
            self.skip_space();
            match self.peek() {
                Some(b'{') => {
                    self.pos += 1;
                    value.push_str(self.delimited(b'}')?);
                }
                Some(b'"') => {
                    self.pos += 1;
                    value.push_str(self.delimited(b'"')?);
                }
                Some(b) if b.is_ascii_alphanumeric() => {
                    let len = self.bytes[self.pos..]
                        .iter()
                        .take_while(|b| {
                            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':' | b'+' | b'/')
                        })
                        .count();
                    let word = &self.text[self.pos..self.pos + len];
                    let at = self.pos;
                    self.pos += len;
                    if word.bytes().all(|b| b.is_ascii_digit()) {
                        value.push_str(word);
                    } else if let Some(expanded) = self.macros.get(&word.to_ascii_lowercase()) {
                        value.push_str(&expanded.clone());
                    } else if let Some(month) = month_macro(word) {
                        value.push_str(month);
                    } else {
                        self.warn(at, format!("@string '{word}' is not defined; its name is kept as the value"));
                        value.push_str(word);
                    }
                }
                _ => {}
            }
            self.skip_space();
            if self.peek() == Some(b'#') {
                self.pos += 1;
                continue;
            }
            if self.peek().is_some_and(|b| b != b',' && b != close && b != b'@') {
                let at = self.pos;
                self.warn(at, "unexpected text after a field value; skipped up to the next field".to_string());
                while self.peek().is_some_and(|b| b != b',' && b != close && b != b'\n') {
                    self.pos += 1;
                }
            }
            return Ok(value);
        }
    }

    /// The text up to `end` at brace depth 0; stops, unclosed, at a line that starts an entry.
    fn delimited(&mut self, end: u8) -> Result<&str, Unclosed> {
        let start = self.pos;
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            if b == end && depth == 0 {
                let inner = &self.text[start..self.pos];
                self.pos += 1;
                return Ok(inner);
            }
            match b {
                b'{' => depth += 1,
                b'}' => depth = depth.saturating_sub(1),
                b'\\' => self.pos += 1,
                b'\n' => {
                    let rest = self.text.get(self.pos + 1..).unwrap_or("").trim_start_matches([' ', '\t']);
                    if rest.starts_with('@') && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
                        return Err(Unclosed { at: self.pos + 1 });
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
        Err(Unclosed { at: self.bytes.len() })
    }
}

/// BibTeX's predefined month macros, as full names: `month = jan`.
fn month_macro(word: &str) -> Option<&'static str> {
    let lower = word.to_ascii_lowercase();
    (lower.len() == 3)
        .then(|| types::MONTHS.iter().find(|m| m.to_ascii_lowercase().starts_with(&lower)).copied())
        .flatten()
}

fn citation(entry: &Entry, file: &str, diagnostics: &mut Vec<Diagnostic>) -> Citation {
    let mut c = Citation { id: (!entry.key.is_empty()).then(|| entry.key.clone()), ..Citation::default() };
    let kind = types::from_bibtex(&entry.kind);
    c.kind = Some(kind.into());
    if kind == "document" && entry.kind != "misc" {
        c.custom.insert("bibtex-type".into(), Value::String(entry.kind.clone()));
    }
    let mut fields: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in &entry.fields {
        if fields.contains_key(name) {
            // Scopus repeats `funding_details`; keep every value.
            if let Some(existing) = fields.get_mut(name) {
                existing.push_str("; ");
                existing.push_str(value);
            }
        } else {
            fields.insert(name.clone(), value.clone());
        }
    }
    let mut take = |names: &[&str]| names.iter().find_map(|n| fields.remove(*n));
    let warn = |diagnostics: &mut Vec<Diagnostic>, message: String| {
        diagnostics.push(Diagnostic::warning(file, Some(entry.line), message).in_document(Some(&entry.key)));
    };

    c.title = take(&["title"]).map(|t| latex(&t));
    if let Some(authors) = take(&["author"]) {
        c.author = name_list(&authors, |m| warn(diagnostics, format!("entry {}: {m}", entry.key)));
    }
    if let Some(editors) = take(&["editor"]) {
        let editors = name_list(&editors, |_| {});
        c.other.insert("editor".into(), serde_json::to_value(editors).unwrap_or_default());
    }
    let journal = take(&["journal", "journaltitle"]).map(|t| latex(&t));
    let book = take(&["booktitle"]).map(|t| latex(&t));
    c.container_title = journal.or_else(|| book.clone());
    if let Some(short) = take(&["shortjournal", "journal-abbrev", "abbrev_source_title", "journalabbrev"]) {
        c.other.insert("container-title-short".into(), Value::String(latex(&short)));
    }
    c.volume = take(&["volume"]).map(|v| latex(&v));
    let number = take(&["number", "issue"]).map(|v| latex(&v));
    if kind == "article-journal" {
        c.issue = number;
    } else if let Some(number) = number {
        c.other.insert("number".into(), Value::String(number));
    }
    c.page = take(&["pages"]).map(|p| latex(&p.replace("--", "-")).replace(['–', '—'], "-"));
    if let Some(article_number) = take(&["art_number", "eid", "articleno"]) {
        if c.page.is_none() {
            c.page = Some(latex(&article_number));
        } else {
            c.other.insert("number".into(), Value::String(latex(&article_number)));
        }
    }
    let year = take(&["year"]);
    let month = take(&["month"]);
    let date = take(&["date"]);
    c.issued = issued(year.as_deref(), month.as_deref(), date.as_deref());
    if c.issued.is_none() && (year.is_some() || date.is_some()) {
        warn(
            diagnostics,
            format!("entry {}: the year '{}' is not a number", entry.key, year.or(date).unwrap_or_default()),
        );
    }
    if let Some(raw) = take(&["doi"]) {
        match ids::doi(&raw) {
            Some(doi) => c.doi = Some(doi),
            None => {
                c.custom.insert("unreadable-doi".into(), Value::String(raw));
            }
        }
    }
    if let Some(raw) = take(&["issn"]) {
        c.issn = ids::issn(&raw);
        if c.issn.is_none() {
            c.custom.insert("issn".into(), Value::String(raw));
        }
    }
    if let Some(isbn) = take(&["isbn"]) {
        c.other.insert("ISBN".into(), Value::String(isbn));
    }
    c.url = take(&["url"]);
    c.pmid = take(&["pmid"]).and_then(|p| ids::pmid(&p));
    c.pmcid = take(&["pmcid"]).and_then(|p| ids::pmcid(&p));
    let words = take(&["author_keywords", "keywords", "keyword"]).map(|k| latex(&k));
    if let Some(words) = words {
        let separator = if words.contains(';') { ';' } else { ',' };
        let words: Vec<String> =
            words.split(separator).map(str::trim).filter(|w| !w.is_empty()).map(str::to_string).collect();
        c.keyword = Some(words.join(", "));
        c.custom.insert("keywords".into(), Value::from(words));
    }
    c.abstract_text = take(&["abstract"]).map(|a| latex(&a));
    c.publisher = take(&["publisher", "school", "institution", "organization"]).map(|p| latex(&p));
    if let Some(place) = take(&["address", "location"]) {
        c.other.insert("publisher-place".into(), Value::String(latex(&place)));
    }
    if let Some(series) = take(&["series"]) {
        c.other.insert("collection-title".into(), Value::String(latex(&series)));
    }
    if let Some(edition) = take(&["edition"]) {
        c.other.insert("edition".into(), Value::String(latex(&edition)));
    }
    c.language = take(&["language", "langid"]).map(|l| latex(&l));
    if let Some(affiliation) = take(&["affiliation", "affiliations"]) {
        let list: Vec<String> =
            latex(&affiliation).split(';').map(str::trim).filter(|a| !a.is_empty()).map(str::to_string).collect();
        c.custom.insert("affiliations".into(), Value::from(list));
    }
    if book.is_some() && c.container_title != book {
        fields.insert("booktitle".into(), book.unwrap_or_default());
    }
    if !fields.is_empty() {
        let mut map = serde_json::Map::new();
        map.extend(fields.into_iter().map(|(name, value)| (name, Value::String(latex(&value)))));
        c.custom.insert("bibtex".into(), Value::Object(map));
    }
    c
}

fn issued(year: Option<&str>, month: Option<&str>, date: Option<&str>) -> Option<DateParts> {
    if let Some(date) = date {
        // BibLaTeX `date = {2020-03-01}` (ISO 8601, possibly a range `2020/2021`).
        let first = date.split('/').next().unwrap_or(date);
        let mut parts = first.trim().split('-').map(|p| p.trim().parse::<i32>().ok());
        if let Some(Some(year)) = parts.next() {
            let month = parts.next().flatten().and_then(|m| u32::try_from(m).ok()).filter(|m| (1..=12).contains(m));
            let day = parts.next().flatten().and_then(|d| u32::try_from(d).ok()).filter(|d| (1..=31).contains(d));
            return Some(DateParts::ymd(year, month, day));
        }
    }
    let year = latex(year?);
    let digits: String = year.chars().filter(char::is_ascii_digit).collect();
    let year: i32 = digits.get(..4)?.parse().ok()?;
    let month = month.and_then(|m| types::month(&latex(m)));
    Some(DateParts::ymd(year, month, None))
}

/// `A and B and {Group Name}`: split on `and` outside braces; a wholly braced name is a group.
fn name_list(field: &str, mut warn: impl FnMut(String)) -> Vec<Name> {
    let raw = split_and(field);
    if raw.len() == 1 && field.matches(',').count() >= 2 {
        // `James Yu, Yuan Du, Chung-Che Chang`: a list with commas instead of `and`, as some
        // site generators write it; BibTeX would read one person with a very long given name.
        let parts: Vec<&str> = field.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
        if parts.iter().all(|p| p.split_whitespace().count() >= 2) {
            warn(format!("the authors are separated by commas, not 'and'; read as {} people", parts.len()));
            return parts.iter().map(|p| names::parse_name(&latex(p))).collect();
        }
    }
    raw.iter()
        .filter(|name| !name.trim().is_empty())
        .map(|name| {
            let name = name.trim();
            if name == "others" {
                return Name { literal: Some("et al.".into()), ..Name::default() };
            }
            if is_wholly_braced(name) {
                return Name { literal: Some(latex(name)), ..Name::default() };
            }
            names::parse_name(&latex(name))
        })
        .collect()
}

fn split_and(field: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let words: Vec<&str> = field.split_whitespace().collect();
    for word in words {
        if depth == 0 && word.eq_ignore_ascii_case("and") && !current.is_empty() {
            names.push(std::mem::take(&mut current));
            continue;
        }
        for b in word.bytes() {
            match b {
                b'{' => depth += 1,
                b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        names.push(current);
    }
    names
}

fn is_wholly_braced(name: &str) -> bool {
    if !name.starts_with('{') || !name.ends_with('}') {
        return false;
    }
    let mut depth = 0usize;
    for (i, b) in name.bytes().enumerate() {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && i + 1 < name.len() {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

/// Accented letters by accent: pairs of base letter and precomposed letter.
const ACCENTS: &[(char, &str, char)] = &[
    ('\'', "aáeéiíoóuúyýcćnńsśzźlĺrŕgǵwẃAÁEÉIÍOÓUÚYÝCĆNŃSŚZŹLĹRŔGǴWẂ", '\u{301}'),
    ('`', "aàeèiìoòuùnǹwẁyỳAÀEÈIÌOÒUÙNǸWẀYỲ", '\u{300}'),
    ('^', "aâeêiîoôuûcĉgĝhĥjĵsŝwŵyŷAÂEÊIÎOÔUÛCĈGĜHĤJĴSŜWŴYŶ", '\u{302}'),
    ('"', "aäeëiïoöuüyÿAÄEËIÏOÖUÜYŸ", '\u{308}'),
    ('~', "aãnñoõiĩuũAÃNÑOÕIĨUŨ", '\u{303}'),
    ('=', "aāeēiīoōuūAĀEĒIĪOŌUŪ", '\u{304}'),
    ('.', "cċeėgġzżICĊEĖGĠZŻİ", '\u{307}'),
    ('u', "aăeĕgğiĭoŏuŭAĂEĔGĞIĬOŎUŬ", '\u{306}'),
    ('v', "cčdďeěnňrřsštťzžCČDĎEĚNŇRŘSŠTŤZŽ", '\u{30C}'),
    ('H', "oőuűOŐUŰ", '\u{30B}'),
    ('c', "cçsştţgģkķlļnņrŗCÇSŞTŢGĢKĶLĻNŅRŖ", '\u{327}'),
    ('k', "aąeęiįuųAĄEĘIĮUŲ", '\u{328}'),
    ('r', "aåuůAÅUŮ", '\u{30A}'),
];

/// Letters and symbols written as commands without arguments.
const SYMBOLS: &[(&str, &str)] = &[
    ("ss", "ß"),
    ("o", "ø"),
    ("O", "Ø"),
    ("aa", "å"),
    ("AA", "Å"),
    ("ae", "æ"),
    ("AE", "Æ"),
    ("oe", "œ"),
    ("OE", "Œ"),
    ("l", "ł"),
    ("L", "Ł"),
    ("i", "ı"),
    ("j", "ȷ"),
    ("dh", "ð"),
    ("DH", "Ð"),
    ("th", "þ"),
    ("TH", "Þ"),
    ("textendash", "–"),
    ("textemdash", "—"),
    ("ldots", "…"),
    ("dots", "…"),
    ("textregistered", "®"),
    ("copyright", "©"),
    ("textdegree", "°"),
    ("alpha", "α"),
    ("beta", "β"),
    ("gamma", "γ"),
    ("delta", "δ"),
    ("kappa", "κ"),
    ("mu", "μ"),
    ("textmu", "µ"),
    ("pm", "±"),
];

/// LaTeX as BibTeX values carry it, to plain Unicode text.
pub fn latex(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        match c {
            '{' | '}' | '$' => {}
            '~' => out.push(' '),
            '-' if chars.get(i) == Some(&'-') => {
                if chars.get(i + 1) == Some(&'-') {
                    out.push('—');
                    i += 2;
                } else {
                    out.push('–');
                    i += 1;
                }
            }
            '\\' => {
                let Some(&next) = chars.get(i) else { break };
                if next.is_ascii_alphabetic() {
                    let name: String = chars[i..].iter().take_while(|c| c.is_ascii_alphabetic()).collect();
                    i += name.len();
                    if let Some((_, table, mark)) =
                        ACCENTS.iter().find(|(a, _, _)| name.len() == 1 && name.starts_with(*a))
                    {
                        while chars.get(i) == Some(&' ') {
                            i += 1;
                        }
                        let (base, used) = accent_argument(&chars[i..]);
                        i += used;
                        push_accented(&mut out, base, table, *mark);
                    } else if let Some((_, symbol)) = SYMBOLS.iter().find(|(n, _)| *n == name) {
                        out.push_str(symbol);
                        // `\ss{}` and `{\ss}` both end the command; a space after it is its end.
                        if chars.get(i) == Some(&' ') {
                            i += 1;
                        }
                    }
                    // Any other command (`\textit`, `\emph`) goes; its argument's text stays.
                } else {
                    i += 1;
                    if let Some((_, table, mark)) = ACCENTS.iter().find(|(a, _, _)| *a == next) {
                        let (base, used) = accent_argument(&chars[i..]);
                        i += used;
                        push_accented(&mut out, base, table, *mark);
                    } else {
                        match next {
                            '\\' => out.push(' '),
                            other => out.push(other),
                        }
                    }
                }
            }
            c if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

/// The letter an accent command applies to: `o`, `{o}`, `{\i}`, `\i`. Returns it and how many
/// characters it took.
fn accent_argument(rest: &[char]) -> (Option<char>, usize) {
    match rest {
        ['{', '\\', 'i' | 'j', '}', ..] => (rest.get(2).map(|c| if *c == 'i' { 'i' } else { 'j' }), 4),
        ['{', '}', ..] => (None, 2),
        ['{', c, '}', ..] => (Some(*c), 3),
        ['\\', 'i' | 'j', ' ', ..] => (rest.get(1).copied(), 3),
        ['\\', 'i' | 'j', ..] => (rest.get(1).copied(), 2),
        [c, ..] if *c != '{' && *c != '}' && !c.is_whitespace() => (Some(*c), 1),
        _ => (None, 0),
    }
}

fn push_accented(out: &mut String, base: Option<char>, table: &str, mark: char) {
    let Some(base) = base else {
        out.push(mark);
        return;
    };
    let pairs: Vec<char> = table.chars().collect();
    match pairs.chunks(2).find(|pair| pair.first() == Some(&base)).and_then(|pair| pair.get(1)) {
        Some(composed) => out.push(*composed),
        None => {
            out.push(base);
            out.push(mark);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Parsed {
        parse(&Source { file: "t.bib", text })
    }

    #[test]
    fn converts_latex_accents() {
        assert_eq!(latex(r#"Schr{\"o}dinger"#), "Schrödinger");
        assert_eq!(latex(r"Caf\'e \c{c}a \~n {\aa} \ss{} Stra\ss e"), "Café ça ñ å ß Straße");
        assert_eq!(
            latex(r#"\'{E}cole \v{C}apek \H{o} \k{a} \u{g} G{\"{u}}nther na\"\i ve"#),
            "École Čapek ő ą ğ Günther naïve"
        );
        assert_eq!(
            latex(r"{DNA} methylation in {\emph{E. coli}} 10--20 --- x"),
            "DNA methylation in E. coli 10–20 — x"
        );
        assert_eq!(latex(r"R\&D 50\% \o{} \L{}\'od\'z"), "R&D 50% ø Łódź");
    }

    #[test]
    fn reads_entries_macros_and_names() {
        let text = r#"
@string{ jbc = "J. Biol. Chem." }
@comment{ ignore {me} }
@preamble{ "\newcommand{\x}{y}" }
@ARTICLE{key1,
  author = {M{\"u}ller, Hans and Jean-Paul Sartre and {World Health Organization} and van der Berg, Anna},
  title = {The {DNA} of {\"o}sterreich},
  journal = jbc # " Suppl.",
  year = 2020, month = mar,
  volume = "55", number = {7}, pages = {1469--1472},
  doi = {10.1000/xyz123},
  keywords = {a; b},
  custom = {kept}
}
"#;
        let parsed = read(text);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        assert_eq!(parsed.documents.len(), 1);
        let c = &parsed.documents[0].citation;
        assert_eq!(c.id.as_deref(), Some("key1"));
        assert_eq!(c.kind.as_deref(), Some("article-journal"));
        assert_eq!(c.title.as_deref(), Some("The DNA of österreich"));
        assert_eq!(c.container_title.as_deref(), Some("J. Biol. Chem. Suppl."));
        assert_eq!(c.author.len(), 4);
        assert_eq!(c.author[0].family.as_deref(), Some("Müller"));
        assert_eq!(c.author[1].family.as_deref(), Some("Sartre"));
        assert_eq!(c.author[2].literal.as_deref(), Some("World Health Organization"));
        assert_eq!(c.author[3].family.as_deref(), Some("Berg"));
        assert_eq!(c.issued, Some(DateParts::ymd(2020, Some(3), None)));
        assert_eq!(c.page.as_deref(), Some("1469-1472"));
        assert_eq!(c.issue.as_deref(), Some("7"));
        assert_eq!(c.keyword.as_deref(), Some("a, b"));
        assert_eq!(c.custom["bibtex"]["custom"], "kept");
    }

    #[test]
    fn survives_unbalanced_braces() {
        let text = "@article{a,\n  title = {Open {brace},\n  year = 2020\n}\n@article{b,\n  title = {Fine}\n}\n";
        let parsed = read(text);
        assert_eq!(parsed.documents.len(), 2, "{:?}", parsed.diagnostics);
        assert_eq!(parsed.documents[1].citation.title.as_deref(), Some("Fine"));
        assert_eq!(parsed.diagnostics.len(), 1);
        assert_eq!(parsed.diagnostics[0].line, Some(1));
        assert!(parsed.diagnostics[0].message.contains("never closes"));
        let truncated = read("@article{a,\n  title = {Cut");
        assert_eq!(truncated.diagnostics[0].line, Some(1));
    }

    #[test]
    fn reads_comma_separated_authors() {
        let parsed = read(
            "@article{example,\n  author={James Yu,Jingxin Sun,Yuan Du,Chung-Che Chang},\n  year    = 2020\n\n}\n",
        );
        let c = &parsed.documents[0].citation;
        assert_eq!(c.author.len(), 4);
        assert_eq!(c.author[3].family.as_deref(), Some("Chang"));
        assert_eq!(parsed.diagnostics.len(), 1);
    }

    #[test]
    fn sniffs() {
        assert_eq!(sniff("\n@ARTICLE{Li2020,\n"), 90);
        assert_eq!(sniff("TY  - JOUR"), 0);
        assert_eq!(sniff("email me @ home"), 0);
    }
}
