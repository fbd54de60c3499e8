//! The saved text of an article's web page or of a library catalog record (a journal platform, a
//! publisher, an aggregator, a VuFind catalog): the work's card, its title and abstract, and its
//! numbered references.
//!
//! Pages follow no specification, so the reader works from what all of them share:
//! - **labelled fields**: `Label: value` lines (`Main Authors:`, `Published:`, `DOI:`) and
//!   headings alone on a line with their value below (`Journal` / `FRONTIERS IN IMMUNOLOGY`);
//! - **identifier shapes**: a DOI, ORCID iD or ISSN is recognised by its form and check digit
//!   (see [`crate::ids`]), wherever the page prints it;
//! - **layout**: the title is the first line that reads like one; the abstract is the `Abstract`
//!   (or `Summary`) section, else the first run of prose paragraphs outside the end matter; a
//!   teaser that the full abstract repeats is dropped; references are the numbered items of the
//!   `References` section.
//!
//! Page furniture (cookie and browser banners, paywall offers, link labels such as `Google
//! Scholar`, `Download citation`) is never text. A field the page does not give stays absent.
//!
//! **Type**: `article-journal` unless the page names another. A catalog's `Format:` word counts
//! only when the record's identifiers agree: catalogs that harvest journal articles label them
//! `Book`, so a record with an ISSN and no ISBN stays `article-journal` and the catalog's word is
//! kept in `custom.catalogFormat`.

mod date;
mod reference;

use serde_json::{json, Value};

use super::{Format, Parsed, Source};
use crate::case;
use crate::ids;
use crate::model::{Affiliation, Citation, Diagnostic, Document, Name, Passage};
use crate::names::{parse_name, parse_name_list};
use crate::offsets::char_len;

pub use date::parse_date;
pub use reference::parse_reference;

pub const FORMAT: Format = Format { id: "page", label: "Article page", extensions: &["htm", "html"], sniff, parse };

// ---------------------------------------------------------------------------------------------
// Detection

/// Moderate confidence at most: a page is what is left when no structured format claims the text.
fn sniff(text: &str) -> u8 {
    let head = text.char_indices().nth(20_000).and_then(|(end, _)| text.get(..end)).unwrap_or(text);
    let lines: Vec<&str> = head.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    if lines.is_empty() || structured(&lines) {
        return 0;
    }
    let mut cues = 0u8;
    if ids::find_doi(head).is_some() {
        cues += 1;
    }
    if lines
        .iter()
        .any(|l| matches!(heading(l), Some(Heading::Abstract)) || label(l).is_some_and(|(k, _)| k == Label::Abstract))
    {
        cues += 1;
    }
    if lines
        .iter()
        .any(|l| matches!(heading(l), Some(Heading::Authors)) || label(l).is_some_and(|(k, _)| k == Label::Authors))
    {
        cues += 1;
    }
    if lines.iter().filter(|l| label(l).is_some()).count() >= 3 {
        cues += 1;
    }
    if lines.iter().any(|l| matches!(heading(l), Some(Heading::References)))
        && lines.iter().any(|l| list_number(l).is_some())
    {
        cues += 1;
    }
    if ids::orcid(head).is_some()
        || lines.iter().any(|l| matches!(heading(l), Some(Heading::Keywords | Heading::Journal)))
    {
        cues += 1;
    }
    match cues {
        0 => 0,
        1 => 35,
        2 => 50,
        3 => 55,
        _ => 60,
    }
}

/// Text that belongs to a structured format: PubTator, brat, tables, RIS, MEDLINE, BibTeX, JSON,
/// XML. The page reader never claims it, whatever cues it also holds.
fn structured(lines: &[&str]) -> bool {
    let first = lines.first().copied().unwrap_or("");
    if first.starts_with(['{', '[', '<', '@']) || first.starts_with("TY  -") || first.starts_with("PMID-") {
        return true;
    }
    let sample = &lines[..lines.len().min(60)];
    let tabbed = sample.iter().filter(|l| l.matches('\t').count() >= 2).count();
    let pubtator = sample.iter().filter(|l| {
        let mut parts = l.splitn(3, '|');
        let id = parts.next().unwrap_or("");
        let marker = parts.next().unwrap_or("");
        !id.is_empty() && id.trim().bytes().all(|b| b.is_ascii_digit()) && matches!(marker.trim(), "t" | "a")
    });
    let tagged = sample.iter().filter(|l| {
        let b = l.as_bytes();
        b.len() > 6 && b[0].is_ascii_uppercase() && b.get(4) == Some(&b'-') && b.get(2) == Some(&b' ')
    });
    let brat = sample.iter().filter(|l| {
        let mut chars = l.chars();
        matches!(chars.next(), Some('T' | 'R' | 'E' | 'A' | 'N' | '#'))
            && chars.next().is_some_and(|c| c.is_ascii_digit())
            && l.contains('\t')
    });
    tabbed * 3 >= sample.len().max(1) || pubtator.count() > 0 || tagged.count() >= 3 || brat.count() >= 2
}

// ---------------------------------------------------------------------------------------------
// Layout: lines, headings, labels, furniture

/// Section headings the reader knows, alone on their line (a trailing colon allowed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Heading {
    Abstract,
    Authors,
    References,
    Funding,
    Keywords,
    Journal,
    Publisher,
    CiteThis,
    /// A section whose prose is not the abstract: ethics, notes, reviews, what cites the article.
    EndMatter,
    /// A heading that only structures the page (`Description`, `Categories`).
    Other,
}

fn heading(line: &str) -> Option<Heading> {
    let key = strip_bullet(line).trim().trim_end_matches(':').trim();
    // Lower case keeps the number of characters: a line of more than 40 is no heading, and most
    // lines of a page are longer, so they are not lowered.
    if key.chars().nth(40).is_some() {
        return None;
    }
    let key = case::lower(key);
    if key.is_empty() || key.len() > 40 {
        return None;
    }
    Some(match key.as_str() {
        "abstract" | "summary" | "synopsis" | "abstract and figures" => Heading::Abstract,
        "authors" | "about the authors" | "author information" | "authors and affiliations" | "author details" => {
            Heading::Authors
        }
        "references" | "bibliography" | "literature cited" | "works cited" | "reference list" => Heading::References,
        "acknowledgements"
        | "acknowledgments"
        | "acknowledgement"
        | "acknowledgment"
        | "funding"
        | "funding information"
        | "funding statement"
        | "grant support"
        | "financial support" => Heading::Funding,
        "keywords" | "key words" | "keyword" | "subjects" | "mesh terms" => Heading::Keywords,
        "journal" | "source" | "published in" => Heading::Journal,
        "publisher" => Heading::Publisher,
        "cite this article" | "cite this" | "how to cite" | "citation" | "cite as" => Heading::CiteThis,
        "ethics declarations"
        | "conflict of interest"
        | "conflicts of interest"
        | "competing interests"
        | "additional information"
        | "rights and permissions"
        | "about this article"
        | "supplementary files"
        | "supplementary information"
        | "supplementary material"
        | "this article is cited by"
        | "cited by"
        | "reviews"
        | "recommended"
        | "related articles"
        | "similar articles"
        | "author contributions"
        | "corresponding author"
        | "ethics"
        | "data availability"
        | "secondary ratings"
        | "primary rating"
        | "figures"
        | "tables"
        | "notes"
        | "footnotes"
        | "metrics"
        | "comments"
        | "copyright"
        | "license"
        | "creative commons license"
        | "rights"
        | "permissions"
        | "affiliations"
        | "publisher's note"
        | "publisher’s note" => Heading::EndMatter,
        "description"
        | "categories"
        | "bibliographic details"
        | "details"
        | "article"
        | "full text"
        | "introduction"
        | "keywords and phrases" => Heading::Other,
        _ => return None,
    })
}

/// Labels of `Label: value` lines the reader maps to fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Label {
    Title,
    Authors,
    Editors,
    Format,
    Published,
    Date,
    Journal,
    Volume,
    Issue,
    Pages,
    Publisher,
    Doi,
    Issn,
    Isbn,
    Keywords,
    Abstract,
    Description,
    Language,
    License,
    Funding,
    Pmid,
    Pmcid,
    Url,
    Email,
    Orcid,
    Affiliation,
    ArticleType,
    /// Known to be page chrome (`Tags:`, `Online Access:` without a link, `Received:`).
    Ignored,
}

/// `Label: value` or `Label:value`; the label must be one the reader knows, so that a sentence
/// with a colon (`Background: ...` inside an abstract) is not taken for a field.
fn label(line: &str) -> Option<(Label, &str)> {
    let line = strip_bullet(line);
    let colon = line.find(':')?;
    let key = case::lower(line.get(..colon)?.trim());
    let value = line.get(colon + 1..)?.trim();
    // `https:` is not a label.
    if value.starts_with("//") {
        return None;
    }
    let kind = match key.as_str() {
        "title" | "article title" => Label::Title,
        "main authors" | "main author" | "authors" | "author" | "author(s)" | "other authors" | "by" | "creators"
        | "creator" | "contributors" => Label::Authors,
        "editors" | "editor" | "editor(s)" => Label::Editors,
        "format" | "document type" | "type" | "publication type" | "item type" | "genre" => Label::Format,
        "article type" => Label::ArticleType,
        "published" | "publication" | "imprint" | "publication details" => Label::Published,
        "publication date"
        | "date"
        | "date published"
        | "published online"
        | "issue date"
        | "year"
        | "pub date"
        | "first published"
        | "online publication date" => Label::Date,
        "journal" | "journal title" | "source" | "published in" | "source title" | "container" => Label::Journal,
        "volume" | "vol" | "vol." => Label::Volume,
        "issue" | "number" | "no." | "no" => Label::Issue,
        "pages" | "page" | "pp" | "pp." | "article number" | "page range" => Label::Pages,
        "publisher" => Label::Publisher,
        "doi" => Label::Doi,
        "issn" | "eissn" | "e-issn" | "pissn" | "print issn" | "online issn" | "electronic issn" | "issn (print)"
        | "issn (online)" => Label::Issn,
        "isbn" => Label::Isbn,
        "keywords" | "key words" | "keyword" | "subjects" | "subject" | "topics" | "mesh terms" | "author keywords" => {
            Label::Keywords
        }
        "abstract" | "summary" => Label::Abstract,
        "item description" | "description" | "identifiers" | "identifier" | "standard no." | "standard number" => {
            Label::Description
        }
        "language" | "languages" => Label::Language,
        "license" | "licence" | "rights" => Label::License,
        "funding" | "funding information" | "grant" | "grants" | "funded by" | "financial support" => Label::Funding,
        "pmid" | "pubmed id" => Label::Pmid,
        "pmcid" | "pmc id" => Label::Pmcid,
        "url" | "online access" | "link" | "permalink" | "available at" => Label::Url,
        "email" | "e-mail" | "mail" => Label::Email,
        "orcid" | "orcid id" | "orcid id:" | "orcid ід" => Label::Orcid,
        "affiliation" | "affiliations" => Label::Affiliation,
        "tags"
        | "received"
        | "accepted"
        | "revised"
        | "saved in"
        | "physical description"
        | "series"
        | "notes"
        | "citation"
        | "cite" => Label::Ignored,
        _ if key.starts_with("orcid") => Label::Orcid,
        _ if key.contains("issn") => Label::Issn,
        _ => return None,
    };
    Some((kind, value))
}

fn strip_bullet(line: &str) -> &str {
    let trimmed = line.trim();
    for bullet in ["•", "·", "▪", "◦", "* ", "- ", "– "] {
        if let Some(rest) = trimmed.strip_prefix(bullet) {
            return rest.trim();
        }
    }
    trimmed
}

/// Lines that are the page's chrome rather than the work: navigation, banners, paywall offers,
/// link labels. Never text, never a field.
fn furniture(line: &str) -> bool {
    let line = strip_bullet(line);
    let lower = case::lower(line);
    const EXACT: &[&str] = &[
        "skip to main content",
        "skip to content",
        "skip to navigation",
        "cover page",
        "cite item",
        "full text",
        "full description",
        "saved in:",
        "access options",
        "rent or buy this article",
        "buy article pdf",
        "prices vary by article type",
        "download citation",
        "download references",
        "download pdf",
        "download full text",
        "download full-text pdf",
        "view pdf",
        "reprints and permissions",
        "search",
        "quick links",
        "action",
        "rate this paper",
        "not enough ratings",
        "no data available",
        "i am an author on this paper",
        "click your name to claim this paper and add it to your profile.",
        "ask authors/readers for more resources",
        "tags: add tag",
        "no tags, be the first to tag this record!",
        "share",
        "print",
        "metrics",
        "open access",
        "sign in",
        "log in",
        "login",
        "menu",
        "author for correspondence.",
        "show more",
        "show less",
        "read more",
        "view article",
        "article",
        "google scholar",
        "pubmed",
        "crossref",
        "back to top",
        "-",
    ];
    const CONTAINS: &[&str] = &[
        "cookie",
        "browser version",
        "javascript",
        "preview of subscription content",
        "access via your institution",
        "prices may be subject to local taxes",
        "check for updates",
        "verify currency and authenticity",
        "subscribe to this journal",
        "purchase this article",
        "you have full access",
        "we use cookies",
    ];
    if EXACT.contains(&lower.as_str()) || CONTAINS.iter().any(|p| lower.contains(p)) {
        return true;
    }
    // Prices (`from$1.95`) and figure labels (`Fig. 1`).
    if line.chars().count() < 20 && line.contains(['$', '€', '£']) && line.contains(|c: char| c.is_ascii_digit()) {
        return true;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    if let [fig, n] = words.as_slice() {
        if matches!(case::lower(fig).as_str(), "fig." | "figure" | "table")
            && n.trim_end_matches('.').parse::<u32>().is_ok()
        {
            return true;
        }
    }
    link_labels(line)
}

/// `Article CAS PubMed Google Scholar`: the link buttons after a reference.
fn link_labels(line: &str) -> bool {
    const LINKS: &[&str] = &[
        "article",
        "cas",
        "pubmed",
        "central",
        "google",
        "scholar",
        "crossref",
        "mathscinet",
        "ads",
        "scopus",
        "pmc",
        "web",
        "of",
        "science",
        "isi",
        "full",
        "text",
        "pdf",
        "medline",
        "link",
    ];
    let words: Vec<String> = line.split_whitespace().map(case::lower).collect();
    !words.is_empty()
        && words.iter().all(|w| LINKS.contains(&w.as_str()))
        && words.iter().any(|w| matches!(w.as_str(), "google" | "pubmed" | "cas" | "crossref" | "scholar"))
}

/// `1.`, `[1]`, `1)` at the start of a line: the number and the rest.
fn list_number(line: &str) -> Option<(u32, &str)> {
    let line = line.trim_start();
    let (inner, rest) = if let Some(rest) = line.strip_prefix('[') {
        let close = rest.find(']')?;
        (rest.get(..close)?, rest.get(close + 1..)?)
    } else {
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        let rest = line.get(digits..)?;
        let rest = rest.strip_prefix('.').or_else(|| rest.strip_prefix(')'))?;
        (line.get(..digits)?, rest)
    };
    let number: u32 = inner.trim().parse().ok()?;
    if !rest.starts_with(char::is_whitespace) && !rest.is_empty() {
        return None;
    }
    (number > 0 && number < 10_000).then_some((number, rest.trim()))
}

/// A paragraph of running prose: long, with sentences.
fn prose(line: &str) -> bool {
    let words = line.split_whitespace().count();
    words >= 25 && (line.contains(". ") || line.ends_with('.') || line.ends_with("...") || line.ends_with('…'))
}

/// A name line: 2–6 words, each capitalised (or a particle), no digits, no sentence.
fn name_like(line: &str) -> bool {
    let line = line.trim().trim_end_matches(|c: char| c.is_ascii_digit() || matches!(c, '*' | '†' | ',' | '‡'));
    let words: Vec<&str> = line.split_whitespace().collect();
    if !(2..=6).contains(&words.len()) || line.len() > 70 || heading(line).is_some() || label(line).is_some() {
        return false;
    }
    words.iter().all(|w| {
        let first = w.chars().next();
        w.chars().all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’' | '‐'))
            && (first.is_some_and(char::is_uppercase)
                || matches!(*w, "van" | "von" | "de" | "der" | "den" | "da" | "di" | "du" | "del" | "la" | "le"))
    }) && !institution(line)
}

/// Words that make a line an institution's name rather than a person's.
fn institution(line: &str) -> bool {
    const WORDS: &[&str] = &[
        "university",
        "universit",
        "institute",
        "instituto",
        "institut",
        "center",
        "centre",
        "hospital",
        "college",
        "school",
        "department",
        "dept",
        "laboratory",
        "clinic",
        "foundation",
        "academy",
        "ministry",
        "faculty",
        "research",
        "council",
        "federation",
        "republic",
        "society",
        "company",
        "inc",
        "ltd",
        "gmbh",
        "medical",
        "sciences",
        "service",
        "unit",
        "division",
        "program",
    ];
    let lower = case::lower(line);
    lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| WORDS.iter().any(|k| w == *k || (k.len() > 7 && w.starts_with(k))))
}

/// The page cut into sections: each heading line and the lines up to the next heading.
struct Section<'a> {
    heading: Option<Heading>,
    lines: Vec<&'a str>,
}

fn sections(text: &str) -> Vec<Section<'_>> {
    let mut sections = vec![Section { heading: None, lines: Vec::new() }];
    for line in text.lines() {
        let line = line.trim();
        if let Some(kind) = heading(line) {
            sections.push(Section { heading: Some(kind), lines: Vec::new() });
        } else if let Some(section) = sections.last_mut() {
            section.lines.push(line);
        }
    }
    sections
}

/// Every `Label: value` in the page outside references, with the value's continuation lines
/// (lines below that are neither blank, labels nor headings: `Item Description:` lists its
/// identifiers one per line).
fn labelled<'a>(sections: &[Section<'a>]) -> Vec<(Label, String)> {
    let mut fields = Vec::new();
    for section in sections.iter().filter(|s| s.heading != Some(Heading::References)) {
        let in_authors = section.heading == Some(Heading::Authors);
        // A person's own labels belong to the author blocks, not to the work.
        let work_label = |l: &&'a str| {
            label(l).filter(|(k, _)| !(in_authors && matches!(k, Label::Email | Label::Orcid | Label::Affiliation)))
        };
        let mut i = 0;
        while i < section.lines.len() {
            let Some((kind, value)) = section.lines.get(i).and_then(work_label) else {
                i += 1;
                continue;
            };
            let mut value = value.to_string();
            i += 1;
            // Only list-like values go on below their label; a journal name or a date is one line.
            let continues = matches!(
                kind,
                Label::Description | Label::Keywords | Label::Authors | Label::Abstract | Label::Funding
            );
            while let Some(next) = section.lines.get(i).filter(|_| continues) {
                if next.is_empty() || label(next).is_some() || furniture(next) {
                    break;
                }
                // A long value stands alone: the catalog's `Summary:` is followed by other prose.
                if value.split_whitespace().count() > 12 {
                    break;
                }
                value.push('\n');
                value.push_str(next);
                i += 1;
            }
            fields.push((kind, value));
        }
    }
    fields
}

// ---------------------------------------------------------------------------------------------
// Reading the page

fn parse(source: &Source) -> Parsed {
    let mut diagnostics = Vec::new();
    let page = read_page(source.text);
    if page.citation.is_empty() && page.abstract_text.is_none() {
        diagnostics.push(Diagnostic::warning(
            source.file,
            None,
            "this page gives no title, abstract or bibliographic field litview could read; the card is empty",
        ));
    }
    if page.truncated {
        diagnostics.push(Diagnostic::warning(
            source.file,
            None,
            "the page shows only the beginning of the abstract (it ends with '...'); the abstract is incomplete",
        ));
    }
    Parsed { documents: vec![page.into_document()], diagnostics }
}

/// What the page says, before it becomes a document.
#[derive(Default)]
struct Page {
    citation: Citation,
    abstract_text: Option<String>,
    truncated: bool,
    references: Vec<Citation>,
}

impl Page {
    /// `text` is title + "\n" + abstract; each present part is a passage.
    fn into_document(self) -> Document {
        let mut text = String::new();
        let mut passages = Vec::new();
        for (kind, part) in [("title", self.citation.title.as_deref()), ("abstract", self.abstract_text.as_deref())] {
            let Some(part) = part.filter(|p| !p.is_empty()) else { continue };
            if !text.is_empty() {
                text.push('\n');
            }
            let start = char_len(&text);
            text.push_str(part);
            passages.push(Passage { kind: kind.into(), start, end: char_len(&text), ..Passage::default() });
        }
        let mut citation = self.citation;
        citation.abstract_text = self.abstract_text;
        Document { citation, text, passages, references: self.references, ..Document::default() }
    }
}

/// Reads a whole page. The steps run from the most explicit evidence to the least: labelled
/// fields, then sections, then layout, then the page's own citation of itself to fill gaps.
fn read_page(text: &str) -> Page {
    let sections = sections(text);
    let fields = labelled(&sections);
    let mut page = Page::default();
    let c = &mut page.citation;
    let field = |kind: Label| fields.iter().filter(move |(k, _)| *k == kind).map(|(_, v)| v.as_str());

    // 1. Labelled fields.
    c.title = field(Label::Title).next().map(one_line);
    for value in field(Label::Authors) {
        c.author.extend(authors_from_byline(value));
    }
    let editors: Vec<Name> = field(Label::Authors)
        .flat_map(editors_from_byline)
        .chain(field(Label::Editors).flat_map(people_from_byline).map(|(name, _)| name))
        .collect();
    if !editors.is_empty() {
        c.other.insert("editor".into(), serde_json::to_value(&editors).unwrap_or(Value::Null));
    }
    c.container_title = field(Label::Journal).map(one_line).find(|v| !v.is_empty() && !dash(v));
    c.publisher = field(Label::Publisher).map(one_line).find(|v| !v.is_empty() && !dash(v));
    for value in field(Label::Published) {
        read_published(value, c);
    }
    if c.issued.is_none() {
        c.issued = field(Label::Date).find_map(parse_date);
    }
    c.volume = field(Label::Volume).map(one_line).find(|v| !v.is_empty() && !dash(v));
    c.issue = field(Label::Issue).map(one_line).find(|v| !v.is_empty() && !dash(v));
    c.page = field(Label::Pages).map(one_line).find(|v| !v.is_empty() && !dash(v));
    c.doi = field(Label::Doi).find_map(ids::doi);
    c.issn = field(Label::Issn).find_map(ids::issn);
    let isbn = field(Label::Isbn).map(one_line).find(|v| v.chars().filter(char::is_ascii_digit).count() >= 10);
    for value in field(Label::Description) {
        if c.doi.is_none() {
            c.doi = ids::doi(value);
        }
        if c.issn.is_none() {
            // Catalogs list identifiers one per line without a label: an ISSN is known by its
            // check digit.
            c.issn = value.lines().find_map(|l| if l.trim().len() <= 9 { ids::issn(l) } else { None });
        }
    }
    c.keyword = field(Label::Keywords).find_map(keywords);
    c.language = field(Label::Language).map(one_line).find(|v| !v.is_empty());
    // A link names the licence exactly; the words around it (`CC BY 4.0`) only abbreviate it.
    c.license = field(Label::License).map(|v| license(v).unwrap_or_else(|| one_line(v))).find(|v| !v.is_empty());
    c.pmid = field(Label::Pmid).find_map(ids::pmid);
    c.pmcid = field(Label::Pmcid).find_map(ids::pmcid);
    c.url = field(Label::Url).find_map(url);
    let mut abstracts: Vec<String> =
        field(Label::Abstract).map(str::to_string).filter(|v| prose(v) || v.len() > 80).collect();
    let mut funding: Vec<Value> = field(Label::Funding).flat_map(funding_of).collect();

    // 2. Sections under headings.
    let mut cited_self: Option<Citation> = None;
    for section in &sections {
        let content = || section.lines.iter().copied().filter(|l| !l.is_empty() && !furniture(l));
        match section.heading {
            Some(Heading::Abstract) => {
                let paragraphs: Vec<String> = content().filter(|l| label(l).is_none()).map(str::to_string).collect();
                if !paragraphs.is_empty() {
                    abstracts.push(paragraphs.join("\n"));
                }
            }
            Some(Heading::Authors) if c.author.is_empty() => c.author = author_blocks(&section.lines),
            Some(Heading::References) if page.references.is_empty() => page.references = references(&section.lines),
            Some(Heading::Funding) => funding.extend(content().flat_map(funding_of)),
            Some(Heading::Keywords) if c.keyword.is_none() => {
                c.keyword = keywords(&content().filter(|l| label(l).is_none()).take(20).collect::<Vec<_>>().join("\n"))
            }
            Some(Heading::Journal) => {
                let mut lines = content().filter(|l| label(l).is_none());
                if c.container_title.is_none() {
                    c.container_title = lines.next().map(one_line).filter(|v| !dash(v));
                }
                for line in lines.take(3) {
                    read_locator(line, c);
                }
            }
            Some(Heading::Publisher) if c.publisher.is_none() => {
                c.publisher = content().find(|l| label(l).is_none()).map(one_line).filter(|v| !dash(v));
            }
            Some(Heading::CiteThis) if cited_self.is_none() => {
                cited_self = content()
                    .find(|l| l.len() > 40 && ids::find_doi(l).is_some() || l.split_whitespace().count() > 8)
                    .map(parse_reference);
            }
            _ => {}
        }
    }

    // 3. Layout: the title, a byline, volume lines, prose when no section is called abstract.
    let (title_at, genre) = title_line(&sections);
    if c.title.is_none() {
        c.title = title_at.and_then(|(s, l)| sections.get(s)?.lines.get(l).map(|line| one_line(line)));
    }
    if let Some(genre) = genre {
        c.other.insert("genre".into(), Value::String(genre));
    }
    if c.author.is_empty() {
        if let Some((s, l)) = title_at {
            let lines = sections.get(s).map(|section| section.lines.as_slice()).unwrap_or(&[]);
            let next = lines.iter().skip(l + 1).find(|x| !x.is_empty() && !furniture(x));
            if let Some(byline) = next.filter(|x| x.split(',').all(|n| name_like(n.trim().trim_start_matches("and "))))
            {
                c.author = authors_from_byline(byline);
            }
        }
    }
    for section in sections.iter().filter(|s| !matches!(s.heading, Some(Heading::References | Heading::CiteThis))) {
        for line in &section.lines {
            let lower = case::lower(line);
            if lower.starts_with("volume ") || lower.starts_with("vol. ") {
                read_locator(line, c);
            }
        }
    }
    if abstracts.is_empty() {
        if let Some(found) = unlabelled_abstract(&sections, title_at) {
            abstracts.push(found);
        }
    }
    let (abstract_text, truncated) = best_abstract(abstracts);
    page.abstract_text = abstract_text;
    page.truncated = truncated;

    // 4. Identifiers printed anywhere but in the reference list and what cites the article.
    let body = || sections.iter().filter(|s| !matches!(s.heading, Some(Heading::References | Heading::EndMatter)));
    if c.doi.is_none() {
        c.doi = cited_self.as_ref().and_then(|r| r.doi.clone());
    }
    if c.doi.is_none() {
        c.doi = body().flat_map(|s| s.lines.iter()).find_map(|l| ids::doi(l));
    }
    if c.issn.is_none() {
        c.issn = body().flat_map(|s| s.lines.iter()).filter(|l| l.contains("ISSN")).find_map(|l| ids::issn(l));
    }
    if c.license.is_none() {
        c.license = sections.iter().flat_map(|s| s.lines.iter()).find_map(|l| license(l));
    }
    if let Some(copyright) = sections.iter().flat_map(|s| s.lines.iter()).find(|l| {
        let lower = case::lower(l);
        (lower.starts_with("copyright") || lower.starts_with('©')) && l.len() < 2000
    }) {
        c.custom.insert("copyright".into(), Value::String(copyright.to_string()));
    }

    // 5. The page's citation of itself fills what the page did not label; only when it is the
    // same work (its title is the page's, or the page has none).
    if let Some(cited) = cited_self {
        let same = match (&c.title, &cited.title) {
            (Some(a), Some(b)) => normalise(a) == normalise(b),
            _ => true,
        };
        if same {
            fill(c, cited);
        }
    }

    // 6. Type: the page's word when it names one, else a journal article.
    let format = field(Label::Format).map(one_line).find(|v| !v.is_empty());
    c.kind = Some(csl_type(format.as_deref(), c.issn.is_some(), isbn.is_some()).to_string());
    if let Some(format) = format {
        c.custom.insert("catalogFormat".into(), Value::String(format));
    }
    if let Some(isbn) = isbn {
        c.other.insert("ISBN".into(), Value::String(isbn));
    }
    if !funding.is_empty() {
        funding.dedup();
        c.custom.insert("funding".into(), Value::Array(funding));
    }
    page
}

fn one_line(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `-`, `–`, `n/a`: the page's way of saying the field is empty.
fn dash(value: &str) -> bool {
    matches!(value.trim(), "-" | "–" | "—" | "n/a" | "N/A" | "")
}

fn normalise(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).map(case::lower_char).collect()
}

/// `Published: The Korean Society of Pediatric Hematology-Oncology, 2024-04-01T00:00:00Z.` and
/// `Published: Berlin : Springer, 2019`: publisher (and place) before the last comma, date after.
fn read_published(value: &str, c: &mut Citation) {
    let value = one_line(value);
    let value = value.trim_end_matches('.');
    let (before, after) = match value.rsplit_once(',') {
        Some((before, after)) if parse_date(after).is_some() => (before.trim(), after.trim()),
        _ if parse_date(value).is_some() && !value.chars().any(|ch| ch.is_alphabetic()) => ("", value),
        _ => (value, ""),
    };
    if c.issued.is_none() {
        c.issued = parse_date(after).or_else(|| if before.is_empty() { None } else { parse_date(value) });
    }
    if !before.is_empty() && c.publisher.is_none() && parse_date(before).is_none_or(|_| before.len() >= 25) {
        match before.split_once(" : ") {
            Some((place, publisher)) => {
                c.publisher = Some(publisher.trim().to_string());
                c.other.insert("publisher-place".into(), Value::String(place.trim().to_string()));
            }
            None => c.publisher = Some(before.to_string()),
        }
    }
}

/// `Volume 14, Issue 3, Pages 1-10`, `Vol. 14, No. 3, pp. 1–10`: only the values that are given
/// (`Issue -` is no issue).
fn read_locator(line: &str, c: &mut Citation) {
    for part in line.split([',', ';', '|']) {
        let part = part.trim();
        let Some((word, value)) = part.split_once([' ', '.']) else { continue };
        let value = value.trim().trim_start_matches(['.', ':']).trim();
        if dash(value) || !value.chars().any(|ch| ch.is_ascii_alphanumeric()) {
            continue;
        }
        let slot = match case::lower(word).trim_end_matches('.') {
            "volume" | "vol" => &mut c.volume,
            "issue" | "no" | "number" => &mut c.issue,
            "pages" | "page" | "pp" | "p" | "article" => &mut c.page,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(value.to_string());
        }
    }
}

/// A byline or an `Authors:` value, each name with its role in brackets as catalogs print them
/// (`Jane Doe (Author)`, `Müller, Hans (Editor)`); a name without a role is an author.
fn people_from_byline(value: &str) -> Vec<(Name, Role)> {
    let value = one_line(value);
    let mut people = Vec::new();
    let mut rest = value.as_str();
    loop {
        let (names, role, after) = match rest.find('(') {
            Some(open) => {
                let close = rest.get(open..).and_then(|r| r.find(')')).map(|c| c + open).unwrap_or(rest.len());
                let role = case::lower(rest.get(open + 1..close).unwrap_or("").trim());
                (rest.get(..open).unwrap_or(""), role, rest.get(close + 1..).unwrap_or(""))
            }
            None => (rest, String::new(), ""),
        };
        let role = if role.starts_with("ed") { Role::Editor } else { Role::Author };
        let names = names.trim().trim_matches([',', ';']).trim();
        if !names.is_empty() {
            people.extend(parse_name_list(names).into_iter().map(|name| (name, role)));
        }
        if after.is_empty() {
            break;
        }
        rest = after;
    }
    people
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Author,
    Editor,
}

fn authors_from_byline(value: &str) -> Vec<Name> {
    people_from_byline(value).into_iter().filter(|(_, role)| *role == Role::Author).map(|(name, _)| name).collect()
}

fn editors_from_byline(value: &str) -> Vec<Name> {
    people_from_byline(value).into_iter().filter(|(_, role)| *role == Role::Editor).map(|(name, _)| name).collect()
}

/// `About the authors` / `Authors` blocks: a name line, then its affiliation, `Email:` and
/// `ORCID iD:` lines, until the next name line.
fn author_blocks(lines: &[&str]) -> Vec<Name> {
    let content: Vec<&str> = lines.iter().copied().filter(|l| !l.is_empty() && !furniture(l)).collect();
    let mut authors: Vec<Name> = Vec::new();
    let mut has_affiliation = false;
    for (i, line) in content.iter().enumerate() {
        let next = content.get(i + 1).copied().unwrap_or("");
        // A name is followed by what describes a person: an institution, an email, an ORCID.
        let starts_person = name_like(line)
            && (institution(next)
                || label(next).is_some_and(|(k, _)| matches!(k, Label::Email | Label::Orcid | Label::Affiliation))
                || line.split_whitespace().any(|w| w.ends_with('.') && w.chars().count() <= 3));
        if starts_person {
            authors.push(parse_name(line));
            has_affiliation = false;
            continue;
        }
        let Some(author) = authors.last_mut() else { continue };
        match label(line) {
            Some((Label::Email, value)) => {
                if author.email.is_none() {
                    author.email = email(value);
                }
            }
            Some((Label::Orcid, value)) => {
                if author.orcid.is_none() {
                    author.orcid = ids::orcid(value);
                }
            }
            Some((Label::Affiliation, value)) if !value.is_empty() => {
                author.affiliation.push(Affiliation { name: one_line(value) });
                has_affiliation = true;
            }
            Some(_) => {}
            None => {
                if author.orcid.is_none() && line.contains("orcid.org") {
                    author.orcid = ids::orcid(line);
                } else if !has_affiliation && institution(line) && line.split_whitespace().count() >= 2 {
                    author.affiliation.push(Affiliation { name: one_line(line) });
                    has_affiliation = true;
                }
            }
        }
    }
    authors
}

fn email(value: &str) -> Option<String> {
    let value = value.trim().trim_end_matches(['.', ',', ';']);
    let (user, domain) = value.split_once('@')?;
    let ok = !user.is_empty()
        && domain.contains('.')
        && !value.contains(char::is_whitespace)
        && domain.split('.').all(|p| !p.is_empty());
    ok.then(|| value.to_string())
}

fn url(value: &str) -> Option<String> {
    let start = value.find("http")?;
    let url = value.get(start..)?.split_whitespace().next()?;
    Some(url.trim_end_matches(['.', ',', ';', ')']).to_string())
}

/// Keywords split on `;` (or `,`, or one per line), joined as CSL-JSON's one comma-separated string.
fn keywords(value: &str) -> Option<String> {
    let separators: &[char] = if value.contains(';') {
        &[';', '\n']
    } else if value.contains('•') || value.contains('·') {
        &['•', '·', '\n']
    } else {
        &[',', '\n']
    };
    let words: Vec<String> = value
        .split(separators)
        .map(one_line)
        .map(|w| w.trim_end_matches('.').to_string())
        .filter(|w| !w.is_empty() && !dash(w) && w.split_whitespace().count() <= 12)
        .collect();
    (!words.is_empty()).then(|| words.join(", "))
}

/// A Creative Commons statement or link.
fn license(line: &str) -> Option<String> {
    if let Some(at) = line.find("creativecommons.org/") {
        let start = line.get(..at)?.rfind("http").unwrap_or(at);
        return url(line.get(start..)?).or_else(|| Some(line.get(at..)?.split_whitespace().next()?.to_string()));
    }
    let at = line.find("Creative Commons")?;
    let phrase = line.get(at..)?;
    if !case::lower(line).contains("licen")
        || phrase.trim_end_matches('.').eq_ignore_ascii_case("Creative Commons License")
    {
        return None;
    }
    let end = phrase.find(". ").unwrap_or(phrase.len());
    Some(phrase.get(..end)?.trim_end_matches('.').to_string())
}

/// The title line: the first line, before the abstract, that reads like a title; and the article
/// type when a short line before it names one (`• Correspondence`).
fn title_line(sections: &[Section<'_>]) -> (Option<(usize, usize)>, Option<String>) {
    const TYPES: &[&str] = &[
        "article",
        "research article",
        "original article",
        "original research",
        "review",
        "review article",
        "case report",
        "correspondence",
        "letter",
        "letter to the editor",
        "editorial",
        "commentary",
        "brief report",
        "short communication",
        "perspective",
        "opinion",
        "mini review",
        "systematic review",
        "clinical trial",
        "research letter",
        "brief communication",
    ];
    let mut genre = None;
    for (s, section) in sections.iter().enumerate() {
        if matches!(
            section.heading,
            Some(
                Heading::Abstract
                    | Heading::References
                    | Heading::Authors
                    | Heading::EndMatter
                    | Heading::CiteThis
                    | Heading::Funding
            )
        ) {
            break;
        }
        if matches!(section.heading, Some(Heading::Journal | Heading::Publisher | Heading::Keywords)) {
            continue;
        }
        for (l, line) in section.lines.iter().enumerate() {
            let bare = strip_bullet(line);
            if bare.is_empty() || furniture(line) || label(line).is_some() || bare.ends_with(':') {
                continue;
            }
            if TYPES.contains(&case::lower(bare).as_str()) {
                genre.get_or_insert_with(|| bare.to_string());
                continue;
            }
            let words = bare.split_whitespace().count();
            let letters = bare.chars().filter(|c| c.is_alphabetic()).count();
            let sentence_like = words > 40 || (bare.ends_with('.') && words > 25);
            if words >= 3 && letters >= 12 && bare.len() <= 600 && !sentence_like && !bare.ends_with("...") {
                return (Some((s, l)), genre);
            }
        }
    }
    (None, genre)
}

/// When no section is called abstract: the first run of prose paragraphs after the title, outside
/// the end matter and the author blocks.
fn unlabelled_abstract(sections: &[Section<'_>], title_at: Option<(usize, usize)>) -> Option<String> {
    let mut run: Vec<&str> = Vec::new();
    for (s, section) in sections.iter().enumerate() {
        if matches!(
            section.heading,
            Some(Heading::References | Heading::Authors | Heading::EndMatter | Heading::Funding | Heading::CiteThis)
        ) {
            if !run.is_empty() {
                break;
            }
            continue;
        }
        for (l, line) in section.lines.iter().enumerate() {
            if title_at == Some((s, l)) || line.is_empty() {
                continue;
            }
            if prose(line) && !furniture(line) && label(line).is_none() {
                run.push(line);
            } else if !run.is_empty() {
                break;
            }
        }
        if !run.is_empty() {
            break;
        }
    }
    (!run.is_empty()).then(|| run.join("\n"))
}

/// Picks the complete abstract among the candidates: a teaser that ends in `...` or that another
/// candidate begins with the same words is not it. Within one candidate, paragraphs that a later
/// paragraph repeats are dropped the same way.
fn best_abstract(candidates: Vec<String>) -> (Option<String>, bool) {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut best: Option<String> = None;
    for candidate in candidates {
        let kept =
            without_teasers(candidate.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect());
        let joined = kept.join("\n");
        if best.as_ref().is_none_or(|b| teaser(b, &joined)) {
            best = Some(joined);
        }
        paragraphs.extend(kept);
    }
    let best = best.filter(|b| !b.is_empty());
    let truncated = best.as_deref().is_some_and(|b| b.ends_with("...") || b.ends_with('…'));
    (best, truncated)
}

fn without_teasers(paragraphs: Vec<String>) -> Vec<String> {
    paragraphs
        .iter()
        .enumerate()
        .filter(|(i, p)| !paragraphs.iter().enumerate().any(|(j, q)| j != *i && teaser(p, q)))
        .map(|(_, p)| p.clone())
        .collect()
}

/// Whether `short` is a shortened version of `long`: it is cut off with `...` where `long` goes
/// on, or it is shorter and both open with the same dozen words.
fn teaser(short: &str, long: &str) -> bool {
    if short.len() >= long.len() {
        return false;
    }
    let cut = short.trim_end_matches('…').trim_end_matches("...").trim_end();
    if cut.len() < short.len() && long.starts_with(cut) {
        return true;
    }
    let opening = |t: &str| t.split_whitespace().take(12).map(str::to_string).collect::<Vec<_>>();
    let (a, b) = (opening(short), opening(long));
    let same = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    same >= 10 || (same >= 8 && a.len() >= 8)
}

/// Numbered references: `1. text` items, their continuation lines joined, link labels dropped.
/// A list without numbers gives one reference per line that has a year.
fn references(lines: &[&str]) -> Vec<Citation> {
    let mut items: Vec<String> = Vec::new();
    let mut numbered = false;
    let mut expected = 1;
    for line in lines.iter().copied().filter(|l| !l.is_empty() && !furniture(l)) {
        if let Some((number, rest)) = list_number(line) {
            if number == expected || (!numbered && number <= 1) {
                numbered = true;
                expected = number + 1;
                items.push(rest.to_string());
                continue;
            }
        }
        match items.last_mut() {
            Some(item) if numbered => {
                item.push(' ');
                item.push_str(line);
            }
            _ if !numbered
                && line
                    .split_whitespace()
                    .any(|w| date::year_of(w.trim_matches(|c: char| !c.is_ascii_digit())).is_some()) =>
            {
                items.push(line.to_string())
            }
            _ => {}
        }
    }
    items.iter().map(|item| parse_reference(item)).collect()
}

/// Grants in an acknowledgement or funding statement: each award number (a bracketed or labelled
/// code with digits) with the funder named before it. A statement without award numbers is kept
/// whole.
fn funding_of(text: &str) -> Vec<Value> {
    let text = one_line(text);
    let lower = case::lower(&text);
    let money = ["support", "fund", "grant", "financ", "sponsor", "award"];
    if !money.iter().any(|w| lower.contains(w)) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut from = 0;
    let mut rest_start = 0;
    while let Some(open) = text.get(from..).and_then(|t| t.find('(')).map(|o| o + from) {
        let Some(close) = text.get(open..).and_then(|t| t.find(')')).map(|c| c + open) else { break };
        from = close + 1;
        let inner = text.get(open + 1..close).unwrap_or("");
        let Some(award) = award(inner) else { continue };
        let funder = funder_before(text.get(rest_start..open).unwrap_or(""));
        rest_start = close + 1;
        let mut entry = serde_json::Map::new();
        if let Some(funder) = funder {
            entry.insert("funder".into(), Value::String(funder));
        }
        entry.insert("award".into(), Value::String(award));
        out.push(Value::Object(entry));
    }
    if out.is_empty() && text.split_whitespace().count() >= 3 {
        out.push(Value::String(text.to_string()));
    }
    out
}

/// `NRF-2017R1D1A1B03029283`, `grant no. 81970156`, `R01 CA123456`: a code with digits, not a
/// year or an acronym.
fn award(inner: &str) -> Option<String> {
    let mut value = inner.trim();
    for prefix in [
        "grant numbers",
        "grant number",
        "grant nos.",
        "grant no.",
        "grant no",
        "grant",
        "award number",
        "award",
        "no.",
        "number",
        "nos.",
    ] {
        if case::lower(value).starts_with(prefix) {
            value = value.get(prefix.len()..).unwrap_or("").trim_start_matches([':', ' ', '#']);
            break;
        }
    }
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let ok = digits >= 3 && value.len() <= 60 && date::year_of(value).is_none() && !value.contains("http");
    ok.then(|| value.to_string())
}

/// The funder's name before an award: after `supported by`, `funded by`, `from`, `and`, `,`.
fn funder_before(text: &str) -> Option<String> {
    let mut text = text.trim().trim_start_matches([',', ';', '.']).trim();
    let lower = case::lower(text);
    for marker in
        ["supported by ", "funded by ", "funding from ", "grant from ", "grants from ", "support from ", "financed by "]
    {
        if let Some(at) = lower.rfind(marker) {
            text = text.get(at + marker.len()..).unwrap_or("");
            break;
        }
    }
    let text = text.trim_start_matches("and ").trim_start_matches("by ").trim_start_matches("the ").trim();
    let text = text.trim_end_matches([',', ' ']).trim_end_matches(" under").trim_end_matches(" grant").trim();
    (!text.is_empty() && text.chars().any(char::is_alphabetic)).then(|| text.to_string())
}

/// CSL type from the page's own word (`Format: Book`); see the module docs for catalogs.
fn csl_type(format: Option<&str>, has_issn: bool, has_isbn: bool) -> &'static str {
    let Some(format) = format else { return "article-journal" };
    let word = case::lower(format);
    let kind = if word.contains("chapter") {
        "chapter"
    } else if word.contains("book") {
        "book"
    } else if word.contains("thesis") || word.contains("dissertation") {
        "thesis"
    } else if word.contains("conference") || word.contains("proceeding") {
        "paper-conference"
    } else if word.contains("report") && !word.contains("case") {
        "report"
    } else if word.contains("dataset") || word.contains("data set") {
        "dataset"
    } else if word.contains("preprint") {
        "article"
    } else if word.contains("web") {
        "webpage"
    } else {
        "article-journal"
    };
    // Catalogs that harvest journal articles call them `Book`: an ISSN without an ISBN says the
    // record is part of a serial.
    if kind == "book" && has_issn && !has_isbn {
        return "article-journal";
    }
    kind
}

/// Fills the fields the page did not give from its own `Cite this article` reference.
fn fill(c: &mut Citation, cited: Citation) {
    if c.title.is_none() {
        c.title = cited.title;
    }
    if c.author.is_empty() {
        c.author = cited.author;
    }
    c.container_title = c.container_title.take().or(cited.container_title);
    c.volume = c.volume.take().or(cited.volume);
    c.issue = c.issue.take().or(cited.issue);
    c.page = c.page.take().or(cited.page);
    c.issued = c.issued.take().or(cited.issued);
    c.doi = c.doi.take().or(cited.doi);
    c.pmid = c.pmid.take().or(cited.pmid);
    if let Some(note) = cited.note {
        c.custom.insert("citedAs".into(), json!(note));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_refuses_structured_formats() {
        assert_eq!(sniff("123|t|A title\n123|a|An abstract with a DOI 10.1000/xyz\n"), 0);
        assert_eq!(sniff("T1\tDisease 0 5\tfever\nT2\tChemical 6 9\tabc\nAbstract\n"), 0);
        assert_eq!(sniff("TY  - JOUR\nDO  - 10.1000/xyz\nER  - \n"), 0);
        assert_eq!(sniff("Just some words.\n"), 0);
        assert!(sniff("A title here\n\nAbstract\n\nText. DOI: 10.1000/xyz\n") >= 50);
    }

    #[test]
    fn funding_statements() {
        let f = funding_of("This study was supported by the National Research Foundation of Korea (NRF) funded by the Ministry of Education (NRF-2017R1D1A1B03029283) and Research Fund of Seoul St. Mary’s Hospital (ZC17SISI0412).");
        assert_eq!(f.len(), 2);
        assert_eq!(f[0]["award"], "NRF-2017R1D1A1B03029283");
        assert_eq!(f[0]["funder"], "National Research Foundation of Korea (NRF) funded by the Ministry of Education");
        assert_eq!(f[1]["funder"], "Research Fund of Seoul St. Mary’s Hospital");
        let f = funding_of("Funded by the Wellcome Trust (grant no. 2045/Z/16/Z).");
        assert_eq!(f[0]["award"], "2045/Z/16/Z");
        assert_eq!(f[0]["funder"], "Wellcome Trust");
        assert_eq!(funding_of("We thank the patients."), Vec::<Value>::new());
    }

    #[test]
    fn teasers_and_types() {
        assert!(teaser("The cat sat on the mat and...", "The cat sat on the mat and then it slept."));
        assert!(!teaser("Another text entirely.", "The cat sat on the mat and then it slept."));
        assert_eq!(csl_type(Some("Book"), true, false), "article-journal");
        assert_eq!(csl_type(Some("Book"), false, true), "book");
        assert_eq!(csl_type(Some("Thesis"), false, false), "thesis");
        assert_eq!(csl_type(None, false, false), "article-journal");
    }
}
