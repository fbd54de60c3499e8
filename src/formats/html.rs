//! A saved HTML article page (File → Save Page As): the work's card from the metadata the page
//! carries for reference managers, read in the order Zotero's Embedded Metadata translator
//! trusts them, and its abstract.
//!
//! 1. **Highwire Press tags** (`<meta name="citation_title">`, Google Scholar's inclusion
//!    guidelines): `citation_author` with the `citation_author_institution`, `_orcid` and
//!    `_email` tags that follow it, journal, volume, issue, pages, date, DOI, PMID, ISSN,
//!    publisher, keywords, abstract, references.
//! 2. **schema.org JSON-LD** (`<script type="application/ld+json">`): a `ScholarlyArticle` or
//!    other `Article`, its `author`s, `datePublished`, the `Periodical` it `isPartOf`, its
//!    `identifier`s and `description`.
//! 3. **Dublin Core** (`DC.title`, `dc.creator`, `DCTERMS.issued`, any case).
//! 4. Last, the `<title>` and Open Graph tags (`og:title`, `og:url`).
//!
//! Each source only fills the fields the sources before it left empty. The abstract is
//! `citation_abstract`, else JSON-LD's `abstract` or `description`, else the text of the first
//! element whose `id` or `class` says `abstract`.
//!
//! The tag scanner is small and forgiving, as browsers are: unclosed tags, stray `<`, unquoted
//! attributes and unknown entities are read as well as they can be, never fatal. Script and
//! style contents never become text, and nothing from the page is ever kept as markup.

use serde_json::Value;

use super::page::{parse_date, parse_reference};
use super::{csl_json, Format, Parsed, Source};
use crate::model::{Affiliation, Citation, DateParts, Diagnostic, Name};
use crate::offsets::LineIndex;
use crate::{ids, names};

pub const FORMAT: Format =
    Format { id: "html", label: "Article page (HTML)", extensions: &["html", "htm", "xhtml"], sniff, parse };

fn sniff(text: &str) -> u8 {
    let head: String = text.trim_start_matches('\u{feff}').trim_start().chars().take(8192).collect();
    if !head.starts_with('<') {
        return 0;
    }
    let lower = head.to_ascii_lowercase();
    let html = lower.starts_with("<!doctype html") || lower.contains("<html") || lower.contains("<head");
    if !html {
        return 0;
    }
    if lower.contains("citation_") || lower.contains("application/ld+json") || lower.contains("name=\"dc.") {
        95
    } else {
        80
    }
}

// ---------------------------------------------------------------------------------------------
// The tag scanner

/// What the scanner finds, in document order.
#[derive(Debug, PartialEq)]
enum Token<'a> {
    /// A start tag: lower-case name, attributes (lower-case names, decoded values), byte offset.
    Start {
        name: String,
        attributes: Vec<(String, String)>,
        at: usize,
    },
    End {
        name: String,
    },
    /// Text between tags, still with its entities.
    Text(&'a str),
    /// The contents of `<script>`, `<style>`, `<title>` or `<textarea>`, which hold no tags.
    Raw {
        element: String,
        content: &'a str,
        at: usize,
    },
}

/// Elements whose content is not markup, up to their end tag (HTML's raw text elements).
const RAW_TEXT: &[&str] = &["script", "style", "title", "textarea", "noscript", "template", "xmp"];

fn tokens(html: &str) -> Vec<Token<'_>> {
    let bytes = html.as_bytes();
    let mut tokens = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let Some(lt) = memchr::memchr(b'<', bytes.get(at..).unwrap_or_default()).map(|i| at + i) else {
            tokens.push(Token::Text(html.get(at..).unwrap_or_default()));
            break;
        };
        if lt > at {
            tokens.push(Token::Text(html.get(at..lt).unwrap_or_default()));
        }
        let rest = html.get(lt..).unwrap_or_default();
        if rest.starts_with("<!--") {
            at = rest.get(4..).and_then(|r| r.find("-->")).map_or(bytes.len(), |end| lt + 4 + end + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            at = memchr::memchr(b'>', rest.as_bytes()).map_or(bytes.len(), |end| lt + end + 1);
            continue;
        }
        if let Some(after_slash) = rest.strip_prefix("</") {
            let name: String = after_slash
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b':')
                .map(|b| b.to_ascii_lowercase() as char)
                .collect();
            if name.is_empty() {
                // `</ ` or `</>`: not a tag; the `<` is text.
                tokens.push(Token::Text("<"));
                at = lt + 1;
                continue;
            }
            tokens.push(Token::End { name });
            at = memchr::memchr(b'>', rest.as_bytes()).map_or(bytes.len(), |end| lt + end + 1);
            continue;
        }
        let starts_name = rest.as_bytes().get(1).is_some_and(u8::is_ascii_alphabetic);
        if !starts_name {
            tokens.push(Token::Text("<"));
            at = lt + 1;
            continue;
        }
        let (name, attributes, end) = start_tag(rest);
        at = lt + end;
        if RAW_TEXT.contains(&name.as_str()) {
            let content_start = at;
            let content = html.get(content_start..).unwrap_or_default();
            let close = find_end_tag(content, &name);
            let content_end = close.map_or(bytes.len(), |c| content_start + c);
            tokens.push(Token::Start { name: name.clone(), attributes, at: lt });
            tokens.push(Token::Raw {
                element: name.clone(),
                content: html.get(content_start..content_end).unwrap_or_default(),
                at: content_start,
            });
            tokens.push(Token::End { name });
            at = match close {
                Some(_) => html
                    .get(content_end..)
                    .and_then(|r| memchr::memchr(b'>', r.as_bytes()))
                    .map_or(bytes.len(), |gt| content_end + gt + 1),
                None => bytes.len(),
            };
            continue;
        }
        tokens.push(Token::Start { name, attributes, at: lt });
    }
    tokens
}

/// Where `</name` begins in `text`, in any case.
fn find_end_tag(text: &str, name: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(bytes.get(from..)?, b"</").map(|i| from + i) {
        let candidate = bytes.get(i + 2..i + 2 + name.len())?;
        if candidate.eq_ignore_ascii_case(name.as_bytes())
            && !bytes.get(i + 2 + name.len()).is_some_and(|b| b.is_ascii_alphanumeric())
        {
            return Some(i);
        }
        from = i + 2;
    }
    None
}

/// A start tag at the beginning of `text` (which begins `<` and a letter): its lower-case name,
/// its attributes and the byte just after its `>` (or the end of the text when it never closes).
fn start_tag(text: &str) -> (String, Vec<(String, String)>, usize) {
    let bytes = text.as_bytes();
    let mut i = 1;
    while bytes.get(i).is_some_and(|b| !b.is_ascii_whitespace() && *b != b'>' && *b != b'/') {
        i += 1;
    }
    let name = text.get(1..i).unwrap_or_default().to_ascii_lowercase();
    let mut attributes = Vec::new();
    loop {
        while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace() || *b == b'/') {
            i += 1;
        }
        match bytes.get(i) {
            None => return (name, attributes, bytes.len()),
            Some(b'>') => return (name, attributes, i + 1),
            Some(_) => {}
        }
        let name_start = i;
        while bytes.get(i).is_some_and(|b| !b.is_ascii_whitespace() && !matches!(b, b'=' | b'>' | b'/')) {
            i += 1;
        }
        // A lone quote or `=` where a name should be: skip it so the loop always advances.
        if i == name_start {
            i += 1;
            continue;
        }
        let attribute = text.get(name_start..i).unwrap_or_default().to_ascii_lowercase();
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            attributes.push((attribute, String::new()));
            continue;
        }
        i += 1;
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let value = match bytes.get(i) {
            Some(&quote @ (b'"' | b'\'')) => {
                let start = i + 1;
                let end =
                    memchr::memchr(quote, bytes.get(start..).unwrap_or_default()).map_or(bytes.len(), |e| start + e);
                i = end + 1;
                text.get(start..end).unwrap_or_default()
            }
            _ => {
                let start = i;
                while bytes.get(i).is_some_and(|b| !b.is_ascii_whitespace() && *b != b'>') {
                    i += 1;
                }
                text.get(start..i).unwrap_or_default()
            }
        };
        attributes.push((attribute, decode_entities(value)));
    }
}

fn attribute<'t>(attributes: &'t [(String, String)], name: &str) -> Option<&'t str> {
    attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// Named character references a scientific page uses; others are kept as written.
const ENTITIES: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", "\u{a0}"),
    ("ndash", "–"),
    ("mdash", "—"),
    ("hellip", "…"),
    ("lsquo", "‘"),
    ("rsquo", "’"),
    ("ldquo", "“"),
    ("rdquo", "”"),
    ("laquo", "«"),
    ("raquo", "»"),
    ("copy", "©"),
    ("reg", "®"),
    ("trade", "™"),
    ("deg", "°"),
    ("plusmn", "±"),
    ("times", "×"),
    ("minus", "−"),
    ("le", "≤"),
    ("ge", "≥"),
    ("micro", "µ"),
    ("middot", "·"),
    ("bull", "•"),
    ("shy", ""),
    ("thinsp", "\u{2009}"),
    ("ensp", "\u{2002}"),
    ("emsp", "\u{2003}"),
    ("zwnj", ""),
    ("zwj", ""),
    ("alpha", "α"),
    ("beta", "β"),
    ("gamma", "γ"),
    ("delta", "δ"),
    ("epsilon", "ε"),
    ("kappa", "κ"),
    ("lambda", "λ"),
    ("mu", "μ"),
    ("pi", "π"),
    ("sigma", "σ"),
    ("tau", "τ"),
    ("omega", "ω"),
    ("Delta", "Δ"),
    ("aacute", "á"),
    ("agrave", "à"),
    ("acirc", "â"),
    ("auml", "ä"),
    ("aring", "å"),
    ("ccedil", "ç"),
    ("eacute", "é"),
    ("egrave", "è"),
    ("ecirc", "ê"),
    ("euml", "ë"),
    ("iacute", "í"),
    ("iuml", "ï"),
    ("ntilde", "ñ"),
    ("oacute", "ó"),
    ("ocirc", "ô"),
    ("ouml", "ö"),
    ("oslash", "ø"),
    ("uacute", "ú"),
    ("uuml", "ü"),
    ("szlig", "ß"),
    ("Auml", "Ä"),
    ("Eacute", "É"),
    ("Ouml", "Ö"),
    ("Uuml", "Ü"),
];

/// `&amp;`, `&#233;`, `&#xE9;` and the names above; anything else stays as written.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or_default());
        let after = rest.get(amp + 1..).unwrap_or_default();
        // A reference is at most 32 characters up to its `;`.
        let semicolon = after.char_indices().take(33).find(|(_, c)| *c == ';').map(|(i, _)| i);
        let decoded = semicolon.and_then(|end| {
            let name = after.get(..end)?;
            let c = if let Some(number) = name.strip_prefix('#') {
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => number.parse::<u32>().ok()?,
                };
                // A NUL or an unpaired surrogate is no character; the replacement character is
                // what browsers show.
                char::from_u32(code).filter(|c| *c != '\0').unwrap_or('\u{fffd}').to_string()
            } else {
                ENTITIES.iter().find(|(n, _)| *n == name)?.1.to_string()
            };
            Some((c, end + 1))
        });
        match decoded {
            Some((c, used)) => {
                out.push_str(&c);
                rest = after.get(used..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text as a reader sees it: entities decoded, runs of white space one space.
fn clean(text: &str) -> String {
    decode_entities(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Markup inside a value (`citation_abstract` often carries `<p>`s): its text only.
fn strip_tags(html: &str) -> String {
    let mut paragraphs = vec![String::new()];
    for token in tokens(html) {
        match token {
            Token::Text(text) => {
                if let Some(last) = paragraphs.last_mut() {
                    last.push_str(text);
                    last.push(' ');
                }
            }
            Token::Start { name, .. } | Token::End { name } if block(&name) => paragraphs.push(String::new()),
            _ => {}
        }
    }
    paragraphs.iter().map(|p| clean(p)).filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n")
}

/// Elements that begin a new line of text.
fn block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "section"
            | "article"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "table"
            | "tr"
            | "blockquote"
            | "dd"
            | "dt"
            | "header"
            | "footer"
    )
}

// ---------------------------------------------------------------------------------------------
// What the page says

/// Everything read from one page before the sources are merged.
#[derive(Default)]
struct Page {
    /// `<meta>` tags in order: lower-case `name` (or `property`), content, byte offset.
    metas: Vec<(String, String, usize)>,
    title: Option<String>,
    json_ld: Vec<(String, usize)>,
    /// The texts of elements marked as an abstract, outermost first.
    abstracts: Vec<String>,
}

fn read(html: &str) -> Page {
    let mut page = Page::default();
    // The abstract element being read: its tag, how many of the same tag are open inside it,
    // and its text so far.
    let mut capture: Option<(String, usize, String)> = None;
    for token in tokens(html) {
        match token {
            Token::Start { name, attributes, at } => {
                if name == "meta" {
                    let key = attribute(&attributes, "name")
                        .or_else(|| attribute(&attributes, "property"))
                        .or_else(|| attribute(&attributes, "itemprop"));
                    if let (Some(key), Some(content)) = (key, attribute(&attributes, "content")) {
                        page.metas.push((key.trim().to_ascii_lowercase(), content.to_string(), at));
                    }
                    continue;
                }
                if let Some((tag, depth, text)) = capture.as_mut() {
                    if *tag == name {
                        *depth += 1;
                    }
                    if block(&name) {
                        text.push('\n');
                    }
                    continue;
                }
                let marked = ["id", "class"]
                    .iter()
                    .any(|a| attribute(&attributes, a).is_some_and(|v| v.to_ascii_lowercase().contains("abstract")));
                if marked && !is_void(&name) && !matches!(name.as_str(), "a" | "button" | "meta" | "link" | "input") {
                    capture = Some((name, 0, String::new()));
                }
            }
            Token::End { name } => {
                if let Some((tag, depth, text)) = capture.as_mut() {
                    if *tag == name {
                        if *depth == 0 {
                            let text = std::mem::take(text);
                            capture = None;
                            page.abstracts.push(text);
                            continue;
                        }
                        *depth -= 1;
                    }
                    if block(&name) {
                        text.push('\n');
                    }
                }
            }
            Token::Text(text) => {
                if let Some((_, _, captured)) = capture.as_mut() {
                    captured.push_str(text);
                }
            }
            Token::Raw { element, content, at } => match element.as_str() {
                "title" if page.title.is_none() => page.title = Some(clean(content)).filter(|t| !t.is_empty()),
                "script" => page.json_ld.push((content.to_string(), at)),
                _ => {}
            },
        }
    }
    // An abstract element the page never closes ends with the page.
    if let Some((_, _, text)) = capture {
        page.abstracts.push(text);
    }
    page
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "br" | "hr" | "img" | "input" | "meta" | "link" | "area" | "base" | "col" | "embed" | "source" | "wbr"
    )
}

/// The abstract element's text, one line per paragraph, without the `Abstract` heading.
fn abstract_text(raw: &str) -> Option<String> {
    let mut lines: Vec<String> = raw.split('\n').map(clean).filter(|l| !l.is_empty()).collect();
    if lines.first().is_some_and(|l| {
        let l = l.trim_end_matches([':', '.']).to_ascii_lowercase();
        matches!(l.as_str(), "abstract" | "summary")
    }) {
        lines.remove(0);
    }
    let text = lines.join("\n");
    (text.chars().count() >= 40).then_some(text)
}

// ---------------------------------------------------------------------------------------------
// Parsing

fn parse(source: &Source) -> Parsed {
    let file = source.file;
    let html = source.text;
    let lines = LineIndex::new(html);
    let line_of = |at: usize| lines.of(at as u64);
    let mut diagnostics = Vec::new();
    let page = read(html);

    let mut c = Citation::default();
    let mut references = Vec::new();
    let highwire = highwire(&page, &mut c, &mut references, &mut |at, message| {
        diagnostics.push(Diagnostic::warning(file, Some(line_of(at)), message));
    });
    let mut json_ld = false;
    for (script, at) in &page.json_ld {
        let text = script.trim();
        if !text.starts_with(['{', '[']) {
            continue;
        }
        match serde_json::from_str::<Value>(text) {
            Ok(value) => {
                if let Some(work) = scholarly_node(&value) {
                    json_ld = true;
                    fill(&mut c, from_json_ld(work));
                }
            }
            Err(error) => {
                // Only JSON-LD scripts are read as JSON; other scripts are skipped unread.
                if html.get(..*at).is_some_and(|before| {
                    before.rfind("<script").is_some_and(|s| {
                        before.get(s..).is_some_and(|tag| tag.to_ascii_lowercase().contains("ld+json"))
                    })
                }) {
                    diagnostics.push(Diagnostic::warning(
                        file,
                        Some(line_of(*at)),
                        format!("the JSON-LD block here is not valid JSON ({error}); it is skipped"),
                    ));
                }
            }
        }
    }
    let dublin_core = dublin_core(&page, &mut c);
    let open_graph = open_graph(&page, &mut c);
    if c.abstract_text.is_none() {
        c.abstract_text = page.abstracts.iter().find_map(|a| abstract_text(a));
    }
    if c.title.is_none() {
        c.title = page.title.clone();
    }
    if c.kind.is_none() {
        let scholarly = highwire || c.container_title.is_some() || c.issn.is_some() || c.doi.is_some();
        c.kind = Some(if scholarly { "article-journal" } else { "webpage" }.into());
    }
    if c.title.is_none() && c.abstract_text.is_none() {
        diagnostics.push(Diagnostic::error(
            file,
            Some(1),
            "this page gives no title and no abstract: it has no citation tags (Highwire `citation_*`, schema.org JSON-LD, Dublin Core), no <title> and no abstract element",
        ));
        return Parsed { documents: Vec::new(), diagnostics };
    }
    if !highwire && !json_ld && !dublin_core {
        diagnostics.push(Diagnostic::warning(
            file,
            Some(1),
            if open_graph {
                "this page has no citation tags (Highwire `citation_*`, schema.org JSON-LD or Dublin Core); the card comes from its Open Graph tags and <title> only"
            } else {
                "this page has no citation tags (Highwire `citation_*`, schema.org JSON-LD or Dublin Core); the card comes from its <title> only"
            },
        ));
    }
    let mut document = csl_json::document(c);
    document.references = references;
    Parsed { documents: vec![document], diagnostics }
}

/// Highwire Press `citation_*` tags. Whether the page had any.
fn highwire(
    page: &Page,
    c: &mut Citation,
    references: &mut Vec<Citation>,
    warn: &mut dyn FnMut(usize, String),
) -> bool {
    let mut any = false;
    let mut first_page = None;
    let mut last_page = None;
    let mut keywords: Vec<String> = Vec::new();
    let mut issns = Vec::new();
    let mut date = None;
    let mut online_date = None;
    for (name, content, at) in &page.metas {
        let Some(field) = name.strip_prefix("citation_") else { continue };
        any = true;
        let value = clean(content);
        if value.is_empty() {
            continue;
        }
        let text = || Some(value.clone());
        match field {
            // Publishers put markup in titles (`&lt;i&gt;E. coli&lt;/i&gt;`): its text is the title.
            "title" => c.title = c.title.take().or_else(|| Some(strip_tags(content)).filter(|t| !t.is_empty())),
            "author" => c.author.push(names::parse_name(&value)),
            "authors" => c.author.extend(value.split(';').map(names::parse_name).filter(|n| *n != Name::default())),
            "author_institution" | "author_affiliation" => match c.author.last_mut() {
                Some(author) => author.affiliation.push(Affiliation { name: value }),
                None => {
                    warn(*at, format!("`{name}` comes before any `citation_author`, so it belongs to no one; skipped"))
                }
            },
            "author_orcid" => match (c.author.last_mut(), ids::orcid(&value)) {
                (Some(author), Some(orcid)) => author.orcid = Some(orcid),
                (_, None) => warn(*at, format!("`{name}` is '{value}', which is not an ORCID iD; skipped")),
                (None, Some(_)) => warn(*at, format!("`{name}` comes before any `citation_author`; skipped")),
            },
            "author_email" => {
                if let Some(author) = c.author.last_mut() {
                    author.email = Some(value.trim_start_matches("mailto:").to_string());
                }
            }
            "journal_title" => c.container_title = c.container_title.take().or_else(text),
            "journal_abbrev" => {
                c.other.entry("container-title-short".to_string()).or_insert(Value::String(value));
            }
            "conference_title" | "conference" => {
                c.container_title = c.container_title.take().or_else(text);
                c.kind = Some("paper-conference".into());
            }
            "book_title" | "inbook_title" => {
                c.container_title = c.container_title.take().or_else(text);
                c.kind = Some("chapter".into());
            }
            "dissertation_institution" | "dissertation_name" => {
                c.publisher = c.publisher.take().or_else(text);
                c.kind = Some("thesis".into());
            }
            "technical_report_institution" => {
                c.publisher = c.publisher.take().or_else(text);
                c.kind = Some("report".into());
            }
            "technical_report_number" => c.other.insert("number".into(), Value::String(value)).map_or((), drop),
            "volume" => c.volume = c.volume.take().or_else(text),
            "issue" => c.issue = c.issue.take().or_else(text),
            "firstpage" => first_page = first_page.or_else(text),
            "lastpage" => last_page = last_page.or_else(text),
            "publication_date" | "date" | "cover_date" | "year" if date.is_none() => {
                date = parse_date(&value);
                if date.is_none() {
                    warn(*at, format!("`{name}` is '{value}', which is not a date litview can read; skipped"));
                }
            }
            "online_date" => online_date = online_date.or_else(|| parse_date(&value)),
            "doi" => match ids::doi(&value) {
                Some(doi) => c.doi = c.doi.take().or(Some(doi)),
                None => warn(*at, format!("`citation_doi` is '{value}', which is not a DOI; skipped")),
            },
            "pmid" => c.pmid = c.pmid.take().or_else(|| ids::pmid(&value)),
            "pmcid" => c.pmcid = c.pmcid.take().or_else(|| ids::pmcid(&value)),
            "issn" | "eissn" => issns.push(value),
            "isbn" => {
                c.other.entry("ISBN".to_string()).or_insert(Value::String(value));
            }
            "publisher" => c.publisher = c.publisher.take().or_else(text),
            "keywords" | "keyword" => {
                keywords.extend(value.split([';', ',']).map(str::trim).filter(|k| !k.is_empty()).map(str::to_string))
            }
            "abstract" => {
                let text = strip_tags(&decode_entities(content));
                c.abstract_text =
                    c.abstract_text.take().or(abstract_text(&text).or(Some(text).filter(|t| !t.is_empty())));
            }
            "language" => c.language = c.language.take().or_else(text),
            "abstract_html_url" | "fulltext_html_url" | "public_url" => c.url = c.url.take().or_else(text),
            "reference" => references.push(highwire_reference(&value)),
            _ => {}
        }
    }
    c.page = match (first_page, last_page) {
        (Some(first), Some(last)) if first != last => Some(format!("{first}-{last}")),
        (Some(first), _) => Some(first),
        (None, _) => None,
    };
    c.issued = date.or(online_date);
    let mut valid = issns.iter().filter_map(|i| ids::issn(i));
    c.issn = valid.next();
    if !keywords.is_empty() {
        c.keyword = Some(keywords.join(", "));
        c.custom.insert("keywords".into(), Value::from(keywords));
    }
    any
}

/// A `citation_reference` value: `citation_title=…; citation_author=…; citation_journal_title=…`
/// as HighWire writes it, or a reference's free text.
fn highwire_reference(value: &str) -> Citation {
    if !value.contains("citation_") {
        return parse_reference(value);
    }
    let mut c = Citation { kind: Some("article-journal".into()), note: Some(value.to_string()), ..Citation::default() };
    let mut first_page = None;
    let mut last_page = None;
    for part in value.split(';') {
        let Some((key, text)) = part.split_once('=') else { continue };
        let text = text.trim().to_string();
        if text.is_empty() {
            continue;
        }
        match key.trim().trim_start_matches("citation_") {
            "title" | "article_title" => c.title = Some(text),
            "author" => c.author.push(names::parse_name(&text)),
            "journal_title" => c.container_title = Some(text),
            "volume" => c.volume = Some(text),
            "issue" => c.issue = Some(text),
            "firstpage" => first_page = Some(text),
            "lastpage" => last_page = Some(text),
            "publication_date" | "date" | "year" => c.issued = parse_date(&text),
            "doi" => c.doi = ids::doi(&text),
            "pmid" => c.pmid = ids::pmid(&text),
            _ => {}
        }
    }
    c.page = match (first_page, last_page) {
        (Some(first), Some(last)) => Some(format!("{first}-{last}")),
        (first, _) => first,
    };
    c
}

// ---------------------------------------------------------------------------------------------
// schema.org JSON-LD

/// The schema.org types that describe a citable work, most specific first in spirit.
const WORK_TYPES: &[(&str, &str)] = &[
    ("ScholarlyArticle", "article-journal"),
    ("MedicalScholarlyArticle", "article-journal"),
    ("Article", "article-journal"),
    ("TechArticle", "article-journal"),
    ("NewsArticle", "article-newspaper"),
    ("Report", "report"),
    ("Chapter", "chapter"),
    ("Book", "book"),
    ("Thesis", "thesis"),
    ("Dataset", "dataset"),
    ("BlogPosting", "post-weblog"),
];

fn types_of(node: &Value) -> Vec<&str> {
    match node.get("@type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The node describing the work: in a single object, an array, or an `@graph`.
fn scholarly_node(value: &Value) -> Option<&Value> {
    let mut nodes: Vec<&Value> = Vec::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items.iter().rev()),
            Value::Object(map) => {
                nodes.push(v);
                if let Some(graph) = map.get("@graph") {
                    stack.push(graph);
                }
                if let Some(main) = map.get("mainEntity") {
                    stack.push(main);
                }
            }
            _ => {}
        }
    }
    WORK_TYPES.iter().find_map(|(wanted, _)| nodes.iter().copied().find(|n| types_of(n).contains(wanted)))
}

fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(strip_tags(s)).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => items.iter().find_map(|i| text_of(Some(i))),
        Value::Object(map) => text_of(map.get("name").or_else(|| map.get("@value"))),
        _ => None,
    }
}

fn from_json_ld(work: &Value) -> Citation {
    let mut c = Citation::default();
    let kind = types_of(work).iter().find_map(|t| WORK_TYPES.iter().find(|(w, _)| w == t)).map(|(_, k)| *k);
    c.kind = kind.map(str::to_string);
    c.title = text_of(work.get("headline")).or_else(|| text_of(work.get("name")));
    let authors = match work.get("author").or_else(|| work.get("creator")) {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    c.author = authors.into_iter().filter_map(json_ld_person).collect();
    c.issued =
        text_of(work.get("datePublished")).or_else(|| text_of(work.get("dateCreated"))).as_deref().and_then(parse_date);
    c.abstract_text = text_of(work.get("abstract")).or_else(|| text_of(work.get("description")));
    c.publisher = text_of(work.get("publisher"));
    c.url = text_of(work.get("url"));
    c.language = text_of(work.get("inLanguage"));
    c.page = match (text_of(work.get("pageStart")), text_of(work.get("pageEnd"))) {
        (Some(first), Some(last)) => Some(format!("{first}-{last}")),
        (Some(first), None) => Some(first),
        _ => text_of(work.get("pagination")),
    };
    c.keyword = match work.get("keywords") {
        Some(Value::Array(words)) => {
            Some(words.iter().filter_map(|w| text_of(Some(w))).collect::<Vec<_>>().join(", ")).filter(|k| !k.is_empty())
        }
        other => text_of(other),
    };
    // `isPartOf` climbs issue → volume → periodical.
    let mut part = work.get("isPartOf");
    let mut guard = 0;
    while let Some(node) = part.filter(|_| guard < 8) {
        guard += 1;
        let node = match node {
            Value::Array(items) => match items.first() {
                Some(first) => first,
                None => break,
            },
            other => other,
        };
        let types = types_of(node);
        if types.contains(&"PublicationIssue") {
            c.issue = c.issue.take().or_else(|| text_of(node.get("issueNumber")));
        } else if types.contains(&"PublicationVolume") {
            c.volume = c.volume.take().or_else(|| text_of(node.get("volumeNumber")));
        } else {
            c.container_title = c.container_title.take().or_else(|| text_of(node.get("name")));
            c.issn = c.issn.take().or_else(|| text_of(node.get("issn")).as_deref().and_then(ids::issn));
        }
        part = node.get("isPartOf");
    }
    // Identifiers: a DOI in `identifier` (text, URL or PropertyValue), `sameAs` or `@id`.
    let mut candidates: Vec<String> = Vec::new();
    for key in ["identifier", "doi", "sameAs", "@id", "url"] {
        match work.get(key) {
            Some(Value::Array(items)) => candidates.extend(items.iter().filter_map(identifier_text)),
            Some(one) => candidates.extend(identifier_text(one)),
            None => {}
        }
    }
    c.doi = candidates.iter().find_map(|id| ids::doi(id));
    c
}

fn identifier_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Object(map) => {
            let property = map.get("propertyID").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase();
            let value = map.get("value").and_then(Value::as_str)?;
            (property.is_empty() || property == "doi").then(|| value.to_string())
        }
        _ => None,
    }
}

fn json_ld_person(value: &Value) -> Option<Name> {
    let mut name = match value {
        Value::String(s) => names::parse_name(s),
        Value::Object(map) => {
            let family = map.get("familyName").and_then(Value::as_str).map(str::trim).filter(|f| !f.is_empty());
            let given = map.get("givenName").and_then(Value::as_str).map(str::trim).filter(|g| !g.is_empty());
            let mut name = match (family, text_of(map.get("name"))) {
                (Some(family), _) => {
                    Name { family: Some(family.into()), given: given.map(str::to_string), ..Name::default() }
                }
                (None, Some(full)) if types_of(value).contains(&"Organization") => {
                    Name { literal: Some(full), ..Name::default() }
                }
                (None, Some(full)) => names::parse_name(&full),
                (None, None) => return None,
            };
            let affiliations = match map.get("affiliation") {
                Some(Value::Array(items)) => items.iter().filter_map(|a| text_of(Some(a))).collect(),
                other => text_of(other).into_iter().collect::<Vec<_>>(),
            };
            name.affiliation = affiliations.into_iter().map(|name| Affiliation { name }).collect();
            let orcid_in = |key: &str| match map.get(key) {
                Some(Value::Array(items)) => items.iter().filter_map(identifier_text).find_map(|i| ids::orcid(&i)),
                Some(one) => identifier_text(one).and_then(|i| ids::orcid(&i)),
                None => None,
            };
            name.orcid = orcid_in("identifier").or_else(|| orcid_in("sameAs")).or_else(|| orcid_in("@id"));
            name.email = map.get("email").and_then(Value::as_str).map(|e| e.trim_start_matches("mailto:").to_string());
            name
        }
        _ => return None,
    };
    if name == Name::default() {
        return None;
    }
    name.other.clear();
    Some(name)
}

// ---------------------------------------------------------------------------------------------
// Dublin Core and the last resorts

/// `DC.*` and `DCTERMS.*` tags, any case. Whether the page had any.
fn dublin_core(page: &Page, c: &mut Citation) -> bool {
    let mut found = Citation::default();
    let mut any = false;
    for (name, content, _) in &page.metas {
        let Some(field) = name.strip_prefix("dc.").or_else(|| name.strip_prefix("dcterms.")) else { continue };
        any = true;
        let value = clean(content);
        if value.is_empty() {
            continue;
        }
        match field {
            "title" => found.title = found.title.take().or(Some(strip_tags(content)).filter(|t| !t.is_empty())),
            "creator" | "creator.personalname" | "contributor.author" => found.author.push(names::parse_name(&value)),
            "date" | "issued" | "date.issued" | "created" | "available" => {
                found.issued = found.issued.take().or_else(|| parse_date(&value))
            }
            "identifier" | "identifier.doi" | "relation.ispartof" => {
                if let Some(doi) = ids::doi(&value) {
                    found.doi = found.doi.take().or(Some(doi));
                } else if let Some(issn) = ids::issn(&value).filter(|_| value.to_ascii_lowercase().contains("issn")) {
                    found.issn = found.issn.take().or(Some(issn));
                } else if value.starts_with("http") {
                    found.url = found.url.take().or(Some(value));
                }
            }
            "publisher" => found.publisher = found.publisher.take().or(Some(value)),
            "description" | "abstract" => found.abstract_text = found.abstract_text.take().or(Some(value)),
            "subject" => {
                found.keyword = Some(match found.keyword.take() {
                    Some(words) => format!("{words}, {value}"),
                    None => value,
                })
            }
            "language" => found.language = found.language.take().or(Some(value)),
            "source" | "citation.journaltitle" => found.container_title = found.container_title.take().or(Some(value)),
            "citation.volume" => found.volume = Some(value),
            "citation.issue" => found.issue = Some(value),
            "type" if value.eq_ignore_ascii_case("text") || value.to_ascii_lowercase().contains("article") => {
                found.kind.get_or_insert_with(|| "article-journal".into());
            }
            _ => {}
        }
    }
    fill(c, found);
    any
}

/// Open Graph and `article:*` tags. Whether they gave anything.
fn open_graph(page: &Page, c: &mut Citation) -> bool {
    let get =
        |key: &str| page.metas.iter().find(|(n, _, _)| n == key).map(|(_, v, _)| clean(v)).filter(|v| !v.is_empty());
    let found = Citation {
        title: get("og:title").or_else(|| get("twitter:title")),
        url: get("og:url"),
        issued: get("article:published_time").as_deref().and_then(parse_date),
        ..Citation::default()
    };
    let any = !found.is_empty();
    fill(c, found);
    any
}

/// Fields of `found` that `c` lacks.
fn fill(c: &mut Citation, found: Citation) {
    fn keep<T>(mine: &mut Option<T>, theirs: Option<T>) {
        if mine.is_none() {
            *mine = theirs;
        }
    }
    keep(&mut c.kind, found.kind);
    keep(&mut c.title, found.title);
    if c.author.is_empty() {
        c.author = found.author;
    }
    keep(&mut c.container_title, found.container_title);
    keep(&mut c.volume, found.volume);
    keep(&mut c.issue, found.issue);
    keep(&mut c.page, found.page);
    keep(&mut c.publisher, found.publisher);
    keep::<DateParts>(&mut c.issued, found.issued);
    keep(&mut c.doi, found.doi);
    keep(&mut c.pmid, found.pmid);
    keep(&mut c.issn, found.issn);
    keep(&mut c.url, found.url);
    keep(&mut c.keyword, found.keyword);
    keep(&mut c.abstract_text, found.abstract_text);
    keep(&mut c.language, found.language);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a &amp; b &lt;c&gt; &#233;&#xE9; &nbsp;x &unknown; &"),
            "a & b <c> éé \u{a0}x &unknown; &"
        );
        assert_eq!(decode_entities("&#0; &#xD800; &#99999999999;"), "\u{fffd} \u{fffd} &#99999999999;");
    }

    #[test]
    fn scanner_reads_attributes_every_way() {
        let tokens = tokens("<meta name=citation_title content='A &amp; B'><p class=\"x\" hidden>t</p><br/>");
        assert_eq!(
            tokens.first(),
            Some(&Token::Start {
                name: "meta".into(),
                attributes: vec![("name".into(), "citation_title".into()), ("content".into(), "A & B".into())],
                at: 0
            })
        );
        assert!(tokens.contains(&Token::Text("t")));
        assert!(tokens.contains(&Token::Start { name: "br".into(), attributes: vec![], at: 71 }));
    }

    #[test]
    fn raw_text_elements_hold_no_tags() {
        let tokens = tokens("<script>if (a < b) { x = '</p>'; }</SCRIPT >after");
        assert_eq!(
            tokens.get(1),
            Some(&Token::Raw { element: "script".into(), content: "if (a < b) { x = '</p>'; }", at: 8 })
        );
        assert_eq!(tokens.last(), Some(&Token::Text("after")));
    }
}
