//! CSL-JSON: one item or an array of items, as Zotero, pandoc, citation.js, manubot and
//! Crossref's `transform/application/vnd.citationstyles.csl+json` write them. Crossref's own
//! REST `works` JSON (titles as arrays, a JATS abstract) is read as the CSL-JSON it nearly is.
//!
//! Also home of [`document`], which every bibliographic reader uses to turn a citation into a
//! document, so that all of them lay out text and passages the same way.

use serde_json::{Map, Value};

use super::{Format, Parsed, Source};
use crate::cite::types;
use crate::model::{Citation, Diagnostic, Document, Passage};
use crate::offsets::char_len;

pub const FORMAT: Format = Format { id: "csl-json", label: "CSL-JSON", extensions: &["csljson", "csl"], sniff, parse };

/// How far into a file sniffing looks for the keys that make an item.
const SNIFF_BYTES: usize = 64 * 1024;

fn sniff(text: &str) -> u8 {
    let trimmed = text.trim_start();
    if !trimmed.starts_with(['[', '{']) {
        return 0;
    }
    let mut end = trimmed.len().min(SNIFF_BYTES);
    while !trimmed.is_char_boundary(end) {
        end -= 1;
    }
    let head = &trimmed[..end];
    // BioC JSON and PubAnnotation are JSON with titles too; their own keys rule them out.
    if ["\"documents\"", "\"passages\"", "\"denotations\"", "\"sourcedb\"", "\"infons\""]
        .iter()
        .any(|k| head.contains(k))
    {
        return 0;
    }
    let item = head.contains("\"type\"") && ["\"title\"", "\"author\"", "\"issued\""].iter().any(|k| head.contains(k));
    if item {
        70
    } else {
        0
    }
}

fn parse(source: &Source) -> Parsed {
    let file = source.file;
    let mut parsed = Parsed::default();
    let root: Value = match serde_json::from_str(source.text) {
        Ok(value) => value,
        Err(error) => {
            let line = u32::try_from(error.line()).ok().filter(|l| *l > 0);
            parsed.diagnostics.push(Diagnostic::error(
                file,
                line,
                format!("this is not valid JSON ({error}), so no CSL-JSON item could be read"),
            ));
            return parsed;
        }
    };
    let starts = element_lines(source.text);
    let items = match root {
        Value::Array(items) => items,
        Value::Object(mut object) => {
            // Crossref's REST envelope: `{"status": "ok", "message": {...}}` or a list message.
            match object.remove("message") {
                Some(Value::Object(mut message)) if object.contains_key("message-type") => {
                    match message.remove("items") {
                        Some(Value::Array(items)) => items,
                        Some(other) => {
                            message.insert("items".into(), other);
                            vec![Value::Object(message)]
                        }
                        None => vec![Value::Object(message)],
                    }
                }
                Some(other) => {
                    object.insert("message".into(), other);
                    vec![Value::Object(object)]
                }
                None => vec![Value::Object(object)],
            }
        }
        _ => {
            parsed.diagnostics.push(Diagnostic::error(
                file,
                Some(1),
                "CSL-JSON is an item or an array of items; this JSON is neither",
            ));
            return parsed;
        }
    };
    for (index, item) in items.into_iter().enumerate() {
        let line = starts.get(index).copied();
        let Value::Object(object) = item else {
            parsed.diagnostics.push(Diagnostic::warning(
                file,
                line,
                format!("item {} is not a JSON object; skipped", index + 1),
            ));
            continue;
        };
        let id = object.get("id").and_then(scalar_text);
        match citation(object) {
            Ok(citation) => parsed.documents.push(document(citation)),
            Err(error) => parsed.diagnostics.push(
                Diagnostic::warning(file, line, format!("item {}: {error}; skipped", index + 1))
                    .in_document(id.as_deref()),
            ),
        }
    }
    if parsed.documents.is_empty() {
        parsed.diagnostics.push(Diagnostic::error(file, Some(1), "the file holds no CSL-JSON item that could be read"));
    }
    parsed
}

/// Reads one item, bending the shapes real files use into CSL-JSON's.
pub fn citation(mut object: Map<String, Value>) -> Result<Citation, serde_json::Error> {
    let mut custom = Map::new();
    if let Some(Value::Object(existing)) = object.remove("custom") {
        custom = existing;
    }
    // Crossref writes one-element arrays for single strings (`"title": ["..."]`).
    for key in [
        "title",
        "container-title",
        "publisher",
        "DOI",
        "ISSN",
        "URL",
        "abstract",
        "language",
        "license",
        "PMCID",
        "note",
    ] {
        let Some(value) = object.remove(key) else { continue };
        match value {
            Value::String(_) | Value::Number(_) => {
                object.insert(key.into(), value);
            }
            Value::Array(ref values) => {
                if let Some(first) = values.iter().find_map(text_of) {
                    object.insert(key.into(), Value::String(first));
                }
                if values.len() > 1 || values.iter().any(|v| !v.is_string()) {
                    custom.insert(key.into(), value);
                }
            }
            Value::Null => {}
            other => {
                if let Some(text) = text_of(&other) {
                    object.insert(key.into(), Value::String(text));
                }
                custom.insert(key.into(), other);
            }
        }
    }
    if let Some(value) = object.remove("keyword") {
        match value {
            Value::Array(words) => {
                let words: Vec<String> = words.iter().filter_map(text_of).collect();
                object.insert("keyword".into(), Value::String(words.join(", ")));
                custom.entry("keywords").or_insert_with(|| words.into_iter().map(Value::String).collect());
            }
            Value::Null => {}
            other => {
                object.insert("keyword".into(), other);
            }
        }
    }
    if let Some(Value::String(abstract_text)) = object.get_mut("abstract") {
        if abstract_text.contains("<jats:") || abstract_text.trim_start().starts_with('<') {
            *abstract_text = strip_markup(abstract_text);
        }
    }
    if let Some(Value::String(kind)) = object.get("type") {
        let csl = types::from_words(kind);
        if csl != kind {
            custom.insert("source-type".into(), Value::String(kind.clone()));
            object.insert("type".into(), Value::String(csl.into()));
        }
    }
    for key in ["issued", "accessed", "submitted", "original-date", "event-date"] {
        if let Some(Value::String(raw)) = object.get(key) {
            let raw = raw.clone();
            object.insert(key.into(), serde_json::json!({ "raw": raw }));
        }
    }
    if let Some(authors) = object.get("author") {
        if !authors.is_array() {
            if let Some(value) = object.remove("author") {
                custom.insert("author".into(), value);
            }
        }
    }
    let mut citation: Citation = serde_json::from_value(Value::Object(object))?;
    citation.custom.extend(custom);
    // The contract's forms: a bare DOI, and ORCIDs as `https://orcid.org/...` (Crossref writes
    // `http://`).
    if let Some(doi) = citation.doi.as_deref().and_then(crate::ids::doi) {
        citation.doi = Some(doi);
    }
    for author in &mut citation.author {
        if let Some(orcid) = author.orcid.as_deref().and_then(crate::ids::orcid) {
            author.orcid = Some(orcid);
        }
    }
    Ok(citation)
}

/// A bibliographic record as a document: the title, a newline, the abstract, each a passage
/// when the record has it. Every bibliographic reader builds its documents here.
pub fn document(mut citation: Citation) -> Document {
    for field in [&mut citation.title, &mut citation.abstract_text] {
        if field.as_deref().is_some_and(|t| t.trim().is_empty()) {
            *field = None;
        }
    }
    let mut text = String::new();
    let mut passages = Vec::new();
    if let Some(title) = &citation.title {
        passages.push(Passage { kind: "title".into(), start: 0, end: char_len(title), ..Passage::default() });
        text.push_str(title);
    }
    if let Some(abstract_text) = &citation.abstract_text {
        if !text.is_empty() {
            text.push('\n');
        }
        let start = char_len(&text);
        passages.push(Passage {
            kind: "abstract".into(),
            start,
            end: start + char_len(abstract_text),
            ..Passage::default()
        });
        text.push_str(abstract_text);
    }
    let id = citation.id.clone().or_else(|| citation.pmid.clone()).or_else(|| citation.doi.clone());
    Document {
        source: crate::model::Source { id, ..Default::default() },
        citation,
        text,
        passages,
        ..Document::default()
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The text a value stands for: itself, or the `URL`/`name`/`value` of an object.
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::Object(object) => ["URL", "name", "value"].iter().find_map(|k| object.get(*k).and_then(scalar_text)),
        other => scalar_text(other),
    }
}

/// JATS in Crossref abstracts (`<jats:p>...</jats:p>`) to plain text: block tags become
/// spaces, inline ones (`<jats:italic>`) nothing, runs of white space one space, and the five
/// XML entities their characters.
pub(crate) fn strip_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut tag: Option<String> = None;
    for c in text.chars() {
        match (&mut tag, c) {
            (None, '<') => tag = Some(String::new()),
            (Some(name), '>') => {
                let name = name.trim_start_matches('/').split_whitespace().next().unwrap_or("");
                let name = name.rsplit(':').next().unwrap_or(name).trim_end_matches('/');
                if matches!(name, "p" | "sec" | "title" | "br" | "list" | "list-item" | "abstract" | "label" | "def") {
                    out.push(' ');
                }
                tag = None;
            }
            (Some(name), c) => name.push(c),
            (None, c) => out.push(c),
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The line on which each element of the top-level array starts (or the one object's line), so
/// that a problem with item 7 can say where item 7 is.
fn element_lines(text: &str) -> Vec<u32> {
    let mut lines = Vec::new();
    let mut line = 1u32;
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut expecting = false;
    for byte in text.bytes() {
        if byte == b'\n' {
            line += 1;
        }
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if expecting && !byte.is_ascii_whitespace() && byte != b']' {
            lines.push(line);
            expecting = false;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                if depth == 0 {
                    if byte == b'{' {
                        lines.push(line);
                    } else {
                        expecting = true;
                    }
                }
                depth += 1;
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expecting = true,
            _ => {}
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Parsed {
        parse(&Source { file: "t.json", text })
    }

    #[test]
    fn reads_one_item_or_many() {
        let one = r#"{"id": "a", "type": "article-journal", "title": "T", "volume": 12, "issued": {"date-parts": [["2019", "3"]]}}"#;
        let parsed = read(one);
        assert_eq!(parsed.documents.len(), 1);
        let c = &parsed.documents[0].citation;
        assert_eq!(c.volume.as_deref(), Some("12"));
        assert_eq!(c.issued.as_ref().and_then(|d| d.year()), Some(2019));
        assert_eq!(read(&format!("[{one},\n{one}]")).documents.len(), 2);
    }

    #[test]
    fn bends_crossref_shapes() {
        let item = r#"{"type": "journal-article", "title": ["A title"], "container-title": ["J"], "ISSN": ["1234-5678", "2345-6789"],
            "abstract": "<jats:p>Hello &amp; bye</jats:p>", "license": [{"URL": "http://x"}], "issued": "2019"}"#;
        let parsed = read(item);
        let c = &parsed.documents[0].citation;
        assert_eq!(c.kind.as_deref(), Some("article-journal"));
        assert_eq!(c.title.as_deref(), Some("A title"));
        assert_eq!(c.issn.as_deref(), Some("1234-5678"));
        assert_eq!(c.abstract_text.as_deref(), Some("Hello & bye"));
        assert_eq!(c.license.as_deref(), Some("http://x"));
        assert_eq!(parsed.documents[0].text, "A title\nHello & bye");
    }

    #[test]
    fn names_the_line_of_a_bad_item() {
        let parsed =
            read("[\n{\"title\": \"a\", \"type\": \"book\"},\n{\"title\": \"b\", \"author\": [{\"family\": 3}]}\n]");
        assert_eq!(parsed.documents.len(), 1);
        assert_eq!(parsed.diagnostics[0].line, Some(3));
        let broken = read("[{\"title\": ");
        assert_eq!(broken.diagnostics[0].line, Some(1));
    }

    #[test]
    fn sniffs_items_not_bioc() {
        assert_eq!(sniff(r#"[{"type": "book", "title": "x"}]"#), 70);
        assert_eq!(sniff(r#"{"source": "PubMed", "documents": [{"passages": [], "type": "x", "title": "y"}]}"#), 0);
        assert_eq!(sniff("TY  - JOUR"), 0);
    }
}
