//! JATS XML (the Journal Article Tag Suite, NISO Z39.96; PMC's and most publishers' article XML):
//! `<front>` describes the work, `<body>` holds its sections, `<back>` its reference list.
//! `<front>` cross-references itself (an author's `<xref ref-type="aff" rid="aff1">` points at an
//! `<aff id="aff1">`), so each `<article>` is read into a small element tree by one pull loop
//! over quick-xml's events, then walked:
//!
//! - front matter → the citation (journal, ISSN, publisher, ids, title, authors with affiliations
//!   and ORCID, date, volume, issue, pages or elocation-id, license, keywords, abstract);
//! - title, abstract paragraphs, section titles, paragraphs and figure and table captions →
//!   passages, one after another, separated by a newline;
//! - `<ref-list>` → references, CSL-JSON items, with the reference's whole text in `note` when a
//!   part of it could not be placed in a field.

use std::collections::{BTreeMap, HashMap};

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::bioc::head;
use super::xml::Entities;
use super::{Format, Parsed, Source};
use crate::model::{Affiliation, Citation, DateParts, Diagnostic, Document, Name, Passage};
use crate::offsets::{char_len, LineIndex};

pub const FORMAT: Format = Format { id: "jats", label: "JATS XML", extensions: &["nxml", "jats"], sniff, parse };

fn sniff(text: &str) -> u8 {
    let head = head(text.trim_start_matches('\u{feff}').trim_start(), 4096);
    if !head.starts_with('<') || head.contains("<collection") {
        return 0;
    }
    let doctype =
        ["JATS", "NLM//DTD Journal", "NLM//DTD JATS", "journalpublishing", "archivearticle", "jats.nlm.nih.gov"];
    let article = head.contains("<article") || head.contains("<pmc-articleset");
    if article && doctype.iter().any(|marker| head.contains(marker)) {
        95
    } else if article && (head.contains("<front") || head.contains("<article-meta") || head.contains("<journal-meta")) {
        90
    } else if head.contains("<article-meta") {
        70
    } else {
        0
    }
}

/// An element of the tree: its local name, its attributes (by local name), its children.
#[derive(Default)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Node>,
    line: u32,
}

enum Node {
    Element(Element),
    Text(String),
}

/// Deeper nesting than this is flattened into its ancestor: real articles nest a few dozen
/// levels, and a hostile file must not exhaust the stack of the walks below.
const MAX_DEPTH: usize = 200;

impl Element {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn elements(&self) -> impl DoubleEndedIterator<Item = &Element> {
        self.children.iter().filter_map(|node| match node {
            Node::Element(element) => Some(element),
            Node::Text(_) => None,
        })
    }

    fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.elements().filter(move |e| e.name == name)
    }

    /// The first descendant of that name, depth first.
    fn find(&self, name: &str) -> Option<&Element> {
        let mut stack: Vec<&Element> = self.elements().collect();
        stack.reverse();
        while let Some(element) = stack.pop() {
            if element.name == name {
                return Some(element);
            }
            stack.extend(element.elements().collect::<Vec<_>>().into_iter().rev());
        }
        None
    }

    /// Every descendant of that name, in document order, not looking inside a match.
    fn find_all<'a>(&'a self, name: &str) -> Vec<&'a Element> {
        let mut found = Vec::new();
        let mut stack: Vec<&Element> = self.elements().collect();
        stack.reverse();
        while let Some(element) = stack.pop() {
            if element.name == name {
                found.push(element);
            } else {
                stack.extend(element.elements().collect::<Vec<_>>().into_iter().rev());
            }
        }
        found
    }

    /// The text inside, whitespace collapsed as a reader sees it, leaving out `skip` elements.
    fn text_without(&self, skip: &[&str]) -> String {
        let mut raw = String::new();
        let mut stack: Vec<&Node> = self.children.iter().rev().collect();
        while let Some(node) = stack.pop() {
            match node {
                Node::Text(text) => raw.push_str(text),
                Node::Element(e) if skip.contains(&e.name.as_str()) => {}
                Node::Element(e) => {
                    // Block-like children are separated by a space, as a reader sees them.
                    if BLOCKS.contains(&e.name.as_str()) {
                        raw.push(' ');
                    }
                    stack.extend(e.children.iter().rev());
                }
            }
        }
        collapse(&raw)
    }

    fn text(&self) -> String {
        self.text_without(NOT_TEXT)
    }
}

/// Elements whose content is not running text: formulas as MathML or TeX, images, and floats
/// placed inside a paragraph (their captions become passages of their own).
const NOT_TEXT: &[&str] =
    &["math", "tex-math", "graphic", "inline-graphic", "fig", "table-wrap", "object-id", "alt-text"];
const BLOCKS: &[&str] = &["p", "title", "label", "caption", "list-item", "institution", "addr-line", "country"];

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn start(element: &BytesStart, line: u32) -> Element {
    let name = String::from_utf8_lossy(element.local_name().as_ref()).into_owned();
    let attributes = element
        .attributes()
        .flatten()
        .map(|attribute| {
            let key = String::from_utf8_lossy(attribute.key.local_name().as_ref()).into_owned();
            let value = match attribute.normalized_value(XmlVersion::Implicit1_0) {
                Ok(value) => value.into_owned(),
                Err(_) => String::from_utf8_lossy(&attribute.value).into_owned(),
            };
            (key, value)
        })
        .collect();
    Element { name, attributes, children: Vec::new(), line }
}

/// Reads the file into one tree; broken XML keeps what came before it, with an error.
fn tree(file: &str, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Element {
    let lines = LineIndex::new(text);
    let line_of = |byte: u64| lines.of(byte);
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut flattened = 0usize;
    let mut entities = Entities::default();
    let push_text = |stack: &mut Vec<Element>, text: &str| {
        if let Some(top) = stack.last_mut() {
            match top.children.last_mut() {
                Some(Node::Text(last)) => last.push_str(text),
                _ => top.children.push(Node::Text(text.to_string())),
            }
        }
    };
    loop {
        let at = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => {
                diagnostics.push(Diagnostic::error(
                    file,
                    Some(line_of(reader.error_position())),
                    format!("the XML is broken here ({error}); the rest of the file is skipped"),
                ));
                break;
            }
        };
        match event {
            Event::Start(element) => {
                if stack.len() > MAX_DEPTH {
                    flattened += 1;
                } else {
                    stack.push(start(&element, line_of(at)));
                }
            }
            Event::Empty(element) => {
                let element = start(&element, line_of(at));
                if let Some(top) = stack.last_mut() {
                    top.children.push(Node::Element(element));
                }
            }
            Event::End(_) => {
                if flattened > 0 {
                    flattened -= 1;
                } else if stack.len() > 1 {
                    if let Some(done) = stack.pop() {
                        if let Some(top) = stack.last_mut() {
                            top.children.push(Node::Element(done));
                        }
                    }
                }
            }
            Event::Text(content) => match content.xml10_content() {
                Ok(content) => push_text(&mut stack, &content),
                Err(_) => push_text(&mut stack, &String::from_utf8_lossy(&content)),
            },
            Event::CData(data) => push_text(&mut stack, &String::from_utf8_lossy(&data)),
            Event::GeneralRef(reference) => {
                let text = entities.resolve(&reference, file, line_of(at), diagnostics);
                push_text(&mut stack, &text);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Elements left open by a broken or cut file close here, keeping what they hold.
    while stack.len() > 1 {
        if let Some(done) = stack.pop() {
            if let Some(top) = stack.last_mut() {
                top.children.push(Node::Element(done));
            }
        }
    }
    stack.pop().unwrap_or_default()
}

fn parse(source: &Source) -> Parsed {
    let mut diagnostics = Vec::new();
    let root = tree(source.file, source.text, &mut diagnostics);
    let articles: Vec<&Element> = if root.elements().any(|e| e.name == "article") {
        root.children_named("article").collect()
    } else {
        // Wrappers: PMC's `<pmc-articleset>`, OAI-PMH's `<record><metadata>`.
        root.find_all("article")
    };
    if articles.is_empty() {
        diagnostics.push(Diagnostic::error(source.file, None, "no <article> element found in this JATS file"));
    }
    let documents = articles.into_iter().map(|article| document(source.file, article, &mut diagnostics)).collect();
    Parsed { documents, diagnostics }
}

/// Passages are built one after another into the text, a newline between two.
#[derive(Default)]
struct Text {
    text: String,
    length: usize,
    passages: Vec<Passage>,
}

impl Text {
    fn add(&mut self, kind: &str, content: &str, infons: BTreeMap<String, String>) {
        if content.is_empty() {
            return;
        }
        if !self.text.is_empty() {
            self.text.push('\n');
            self.length += 1;
        }
        let start = self.length;
        self.text.push_str(content);
        self.length += char_len(content);
        self.passages.push(Passage { kind: kind.to_string(), start, end: self.length, infons });
    }
}

fn infons(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    // Inserted one by one: collecting into a map sorts, with a copy of the sort per call site.
    let mut infons = BTreeMap::new();
    infons.extend(pairs.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (k.to_string(), v.to_string())));
    infons
}

fn document(file: &str, article: &Element, diagnostics: &mut Vec<Diagnostic>) -> Document {
    let front = article.child("front");
    let meta = front.and_then(|f| f.child("article-meta"));
    let mut citation = front.map(front_matter).unwrap_or_default();
    if meta.is_none() {
        diagnostics.push(Diagnostic::warning(
            file,
            Some(article.line),
            "this article has no <front><article-meta>: its title, authors and ids are unknown",
        ));
    }
    let mut text = Text::default();
    if let Some(title) = &citation.title {
        text.add("title", title, BTreeMap::new());
    }
    let mut abstract_parts = Vec::new();
    for abstract_element in meta.map(|m| m.children_named("abstract").collect::<Vec<_>>()).unwrap_or_default() {
        let kind = abstract_element.attribute("abstract-type").unwrap_or_default().to_string();
        let before = text.passages.len();
        walk_section(abstract_element, &mut Vec::new(), &mut text, "abstract", &kind);
        abstract_parts.extend(
            text.passages[before..].iter().filter(|p| p.kind == "abstract").map(|p| {
                crate::offsets::CharIndex::new(&text.text).slice(p.start, p.end).unwrap_or_default().to_string()
            }),
        );
    }
    if citation.abstract_text.is_none() && !abstract_parts.is_empty() {
        citation.abstract_text = Some(abstract_parts.join("\n"));
    }
    if let Some(body) = article.child("body") {
        walk_section(body, &mut Vec::new(), &mut text, "paragraph", "");
    }
    let references =
        article.child("back").map(|back| back.find_all("ref").into_iter().map(reference).collect()).unwrap_or_default();
    let id = citation.pmid.clone().or_else(|| citation.pmcid.clone()).or_else(|| citation.doi.clone());
    Document {
        source: crate::model::Source { id, ..Default::default() },
        citation,
        text: text.text,
        passages: text.passages,
        annotations: Vec::new(),
        relations: Vec::new(),
        references,
    }
}

/// 1. A section's title is a `section_title` passage; the path of titles down to a paragraph is
///    its `section` infon (`Methods › Patients`).
/// 2. Paragraphs (and list items, quotes) are passages of `kind`.
/// 3. Figures and tables are `caption` passages: label and caption.
/// 4. Subsections recurse (the tree is at most [`MAX_DEPTH`] deep); anything else is no passage.
fn walk_section(element: &Element, path: &mut Vec<String>, text: &mut Text, kind: &str, abstract_type: &str) {
    let depth = path.len();
    for child in element.elements() {
        match child.name.as_str() {
            "title" => {
                let title = child.text();
                let section = path.join(" › ");
                text.add("section_title", &title, infons(&[("section", &section), ("abstract_type", abstract_type)]));
                // The title names the rest of its section.
                path.push(title);
            }
            "p" => {
                let section = path.join(" › ");
                text.add(kind, &child.text(), infons(&[("section", &section), ("abstract_type", abstract_type)]));
                for float in child.find_all("fig").into_iter().chain(child.find_all("table-wrap")) {
                    caption(float, path, text);
                }
            }
            "fig" | "table-wrap" => caption(child, path, text),
            "sec" | "list" | "list-item" | "boxed-text" | "disp-quote" | "fig-group" | "def-list" | "def-item"
            | "def" => {
                walk_section(child, path, text, kind, abstract_type);
            }
            // Alternative forms of floats, formulas and anything out of the flow are no passages.
            _ => {}
        }
    }
    path.truncate(depth);
}

fn caption(float: &Element, path: &[String], text: &mut Text) {
    let label = float.child("label").map(Element::text).unwrap_or_default();
    let caption = float.child("caption").map(Element::text).unwrap_or_default();
    let content = collapse(&format!("{label} {caption}"));
    let section = path.join(" › ");
    text.add("caption", &content, infons(&[("section", &section), ("float", &float.name)]));
}

/// The citation from `<front>`: `<journal-meta>` and `<article-meta>`.
fn front_matter(front: &Element) -> Citation {
    let mut citation = Citation { kind: Some("article-journal".into()), ..Citation::default() };
    if let Some(journal) = front.child("journal-meta") {
        citation.container_title = journal.find("journal-title").map(Element::text).filter(|t| !t.is_empty());
        let issns: Vec<&Element> = journal.children_named("issn").collect();
        let electronic = issns.iter().find(|i| {
            matches!(i.attribute("pub-type").or(i.attribute("publication-format")), Some("epub" | "electronic"))
        });
        citation.issn = electronic.or(issns.first()).and_then(|i| crate::ids::issn(&i.text()));
        citation.publisher = journal.find("publisher-name").map(Element::text).filter(|t| !t.is_empty());
    }
    let Some(meta) = front.child("article-meta") else { return citation };
    for id in meta.children_named("article-id") {
        let value = id.text();
        match id.attribute("pub-id-type").unwrap_or_default() {
            "pmid" => citation.pmid = crate::ids::pmid(&value).or(citation.pmid.take()),
            "pmc" | "pmcid" => {
                citation.pmcid = crate::ids::pmcid(&value)
                    .or_else(|| value.bytes().all(|b| b.is_ascii_digit()).then(|| format!("PMC{value}")))
                    .or(citation.pmcid.take())
            }
            "doi" => citation.doi = crate::ids::doi(&value).or(citation.doi.take()),
            _ => {}
        }
    }
    citation.title =
        meta.find("title-group").and_then(|g| g.child("article-title")).map(Element::text).filter(|t| !t.is_empty());

    // Affiliations anywhere in article-meta, by id; an author without xref gets those of its group.
    let affiliations: HashMap<&str, String> = meta
        .find_all("aff")
        .into_iter()
        .filter_map(|aff| Some((aff.attribute("id")?, aff.text_without(&["label", "sup"]))))
        .collect();
    for group in meta.find_all("contrib-group") {
        let group_affs: Vec<String> = group.children_named("aff").map(|a| a.text_without(&["label", "sup"])).collect();
        for contrib in group.children_named("contrib") {
            if !matches!(contrib.attribute("contrib-type"), None | Some("author")) {
                continue;
            }
            let mut name = match (contrib.find("name"), contrib.find("collab")) {
                (Some(name), _) => person(name),
                (None, Some(collab)) => Name { literal: Some(collab.text()), ..Name::default() },
                (None, None) => match contrib.find("string-name") {
                    Some(s) => crate::names::parse_name(&s.text()),
                    None => continue,
                },
            };
            let orcid = contrib
                .children_named("contrib-id")
                .find(|id| id.attribute("contrib-id-type") == Some("orcid"))
                .and_then(|id| crate::ids::orcid(&id.text()));
            name.orcid = orcid;
            name.email = contrib.find("email").map(Element::text).filter(|e| !e.is_empty());
            let mut affs: Vec<String> = contrib
                .find_all("xref")
                .into_iter()
                .filter(|x| x.attribute("ref-type") == Some("aff"))
                .flat_map(|x| x.attribute("rid").unwrap_or_default().split_whitespace())
                .filter_map(|rid| affiliations.get(rid).cloned())
                .collect();
            affs.extend(contrib.children_named("aff").map(|a| a.text_without(&["label", "sup"])));
            if affs.is_empty() && group_affs.len() == 1 {
                affs = group_affs.clone();
            }
            name.affiliation = affs.into_iter().filter(|a| !a.is_empty()).map(|name| Affiliation { name }).collect();
            citation.author.push(name);
        }
    }

    let dates: Vec<&Element> = meta.children_named("pub-date").collect();
    let preferred = dates
        .iter()
        .find(|d| matches!(d.attribute("pub-type").or(d.attribute("date-type")), Some("epub" | "pub")))
        .or(dates.first());
    citation.issued = preferred.and_then(|d| date(d));
    let field = |name: &str| meta.child(name).map(Element::text).filter(|t| !t.is_empty());
    citation.volume = field("volume");
    citation.issue = field("issue");
    citation.page = pages(&field);
    if let Some(permissions) = meta.child("permissions") {
        let license = permissions.find("license");
        citation.license = license
            .and_then(|l| l.attribute("href").map(str::to_string))
            .or_else(|| permissions.find("license_ref").map(Element::text))
            .or_else(|| license.map(Element::text))
            .filter(|l| !l.is_empty());
    }
    let keywords: Vec<String> = meta.find_all("kwd").into_iter().map(Element::text).filter(|k| !k.is_empty()).collect();
    if !keywords.is_empty() {
        citation.keyword = Some(keywords.join(", "));
    }
    citation
}

fn person(name: &Element) -> Name {
    let part = |n: &str| name.child(n).map(Element::text).filter(|t| !t.is_empty());
    Name { family: part("surname"), given: part("given-names"), suffix: part("suffix"), ..Name::default() }
}

fn date(element: &Element) -> Option<DateParts> {
    let number = |n: &str| element.child(n).and_then(|e| e.text().trim().parse::<u32>().ok());
    let year = i32::try_from(number("year")?).ok()?;
    let month = number("month").filter(|m| (1..=12).contains(m));
    let day = month.and(number("day")).filter(|d| (1..=31).contains(d));
    Some(DateParts::ymd(year, month, day))
}

/// JATS publication types to CSL types; anything else is kept as a generic document.
fn reference_type(kind: Option<&str>) -> &'static str {
    match kind.unwrap_or("journal") {
        "journal" => "article-journal",
        "book" => "book",
        "chapter" | "book-chapter" => "chapter",
        "confproc" | "conference" => "paper-conference",
        "thesis" => "thesis",
        "patent" => "patent",
        "report" => "report",
        "web" | "webpage" => "webpage",
        "data" | "dataset" => "dataset",
        "preprint" => "article",
        _ => "document",
    }
}

/// One `<ref>`: the structured fields of its `element-citation` or `mixed-citation`, and the
/// whole text in `note` when the reference has no title or source to show.
fn reference(element: &Element) -> Citation {
    let cited = ["element-citation", "mixed-citation", "citation", "nlm-citation"]
        .iter()
        .find_map(|name| element.find(name))
        .unwrap_or(element);
    let field = |name: &str| cited.find(name).map(Element::text).filter(|t| !t.is_empty());
    let kind = reference_type(cited.attribute("publication-type").or(cited.attribute("citation-type")));
    let mut citation =
        Citation { id: element.attribute("id").map(str::to_string), kind: Some(kind.into()), ..Citation::default() };
    let groups = cited.find_all("person-group");
    let authors = groups
        .iter()
        .find(|g| matches!(g.attribute("person-group-type"), None | Some("author")))
        .copied()
        .unwrap_or(cited);
    for child in authors.elements() {
        match child.name.as_str() {
            "name" => citation.author.push(person(child)),
            "string-name" => citation.author.push(crate::names::parse_name(&child.text())),
            "collab" => citation.author.push(Name { literal: Some(child.text()), ..Name::default() }),
            _ => {}
        }
    }
    let source = field("source");
    match (field("article-title").or_else(|| field("chapter-title")), source) {
        (Some(title), source) => {
            citation.title = Some(title);
            citation.container_title = source;
        }
        (None, source) => citation.title = source,
    }
    citation.issued = field("year")
        .and_then(|y| y.get(..4).and_then(|y| y.parse().ok()))
        .map(|year| DateParts::ymd(year, None, None));
    citation.volume = field("volume");
    citation.issue = field("issue");
    citation.page = pages(&field);
    citation.publisher = field("publisher-name");
    for id in cited.find_all("pub-id") {
        let value = id.text();
        match id.attribute("pub-id-type").unwrap_or_default() {
            "doi" => citation.doi = crate::ids::doi(&value),
            "pmid" => citation.pmid = crate::ids::pmid(&value),
            "pmcid" | "pmc" => citation.pmcid = crate::ids::pmcid(&value),
            _ => {}
        }
    }
    if citation.doi.is_none() {
        citation.doi = cited
            .find_all("ext-link")
            .iter()
            .find_map(|link| crate::ids::doi(link.attribute("href").unwrap_or_default()));
    }
    let partial =
        citation.title.is_none() || citation.author.is_empty() && citation.doi.is_none() && citation.pmid.is_none();
    if partial {
        let raw = cited.text();
        if !raw.is_empty() {
            citation.note = Some(raw);
        }
    }
    citation
}

/// JATS pages: `fpage`–`lpage`, one page, or an article number (`elocation-id`).
fn pages(field: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    match (field("fpage"), field("lpage")) {
        (Some(first), Some(last)) if first != last => Some(format!("{first}-{last}")),
        (Some(first), _) => Some(first),
        (None, _) => field("elocation-id"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_jats_and_leaves_bioc_and_pubmed_alone() {
        assert_eq!(sniff("<!DOCTYPE article PUBLIC \"-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.2 20190208//EN\" \"JATS-archivearticle1.dtd\">\n<article>"), 95);
        assert_eq!(sniff("<article article-type=\"research-article\"><front><article-meta>"), 90);
        assert_eq!(sniff("<?xml version=\"1.0\"?><collection><source>PMC</source><document><passage>"), 0);
        assert_eq!(sniff("<PubmedArticleSet><PubmedArticle><MedlineCitation><Article>"), 0);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let deep = format!(
            "<article><body><sec>{}<p>x</p>{}</sec></body></article>",
            "<b>".repeat(100_000),
            "</b>".repeat(100_000)
        );
        let parsed = parse(&Source { file: "deep.xml", text: &deep });
        assert_eq!(parsed.documents.len(), 1);
    }
}
