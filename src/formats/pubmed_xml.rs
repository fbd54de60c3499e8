//! PubMed XML, what E-utilities' `efetch` and PubMed's "Save as XML" give
//! (`PubmedArticleSet`, NLM's pubmed_*.dtd): each `PubmedArticle` (or `PubmedBookArticle`) is one
//! citation card. One pull loop over quick-xml's events keeps the path of open elements and
//! captures the text of the elements it reads; what an element means depends on where it is
//! (a `PMID` under `MedlineCitation` is the article's, one under `CommentsCorrections` is not;
//! an `ArticleIdList` under `PubmedData` is the article's, one under `Reference` a reference's).
//!
//! Fields follow the MEDLINE/PubMed XML Element Descriptions: structured abstracts become
//! `LABEL: text` paragraphs, `MedlinePgn` ranges are expanded (`229-32` → `229-232`), MeSH
//! headings are kept under `custom.mesh` as the MEDLINE format writes them
//! (`Brain Ischemia/diagnostic imaging/*surgery`), references under `references`.

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use serde_json::Value;

use super::page::parse_reference;
use super::xml::Entities;
use super::{csl_json, Format, Parsed, Source};
use crate::cite::{pages, types};
use crate::model::{Affiliation, Citation, DateParts, Diagnostic, Name};
use crate::offsets::LineIndex;
use crate::{ids, names};

pub const FORMAT: Format =
    Format { id: "pubmed-xml", label: "PubMed XML", extensions: &["xml", "pubmed"], sniff, parse };

fn sniff(text: &str) -> u8 {
    let head: String = text.trim_start_matches('\u{feff}').trim_start().chars().take(4096).collect();
    if !head.starts_with('<') {
        return 0;
    }
    if ["<!DOCTYPE PubmedArticleSet", "<PubmedArticleSet", "<PubmedArticle", "<PubmedBookArticle"]
        .iter()
        .any(|marker| head.contains(marker))
    {
        95
    } else if head.contains("<MedlineCitation") {
        90
    } else {
        0
    }
}

/// Elements whose text the reader keeps; anything inside them (`<i>`, `<sup>`) is part of it.
const CAPTURED: &[&str] = &[
    "PMID",
    "ArticleTitle",
    "VernacularTitle",
    "BookTitle",
    "AbstractText",
    "CopyrightInformation",
    "LastName",
    "ForeName",
    "Initials",
    "Suffix",
    "CollectiveName",
    "Affiliation",
    "Identifier",
    "Title",
    "ISOAbbreviation",
    "ISSN",
    "ISSNLinking",
    "Volume",
    "Issue",
    "Year",
    "Month",
    "Day",
    "Season",
    "MedlineDate",
    "MedlinePgn",
    "StartPage",
    "EndPage",
    "ELocationID",
    "ArticleId",
    "Keyword",
    "DescriptorName",
    "QualifierName",
    "PublicationType",
    "Language",
    "Citation",
    "PublisherName",
    "PublisherLocation",
];

/// One open element: its name and the one attribute that decides what its text means
/// (`Label`, `EIdType`, `IdType`, `IssnType`, `Source`, `MajorTopicYN`, `Type`).
struct Element {
    name: String,
    attribute: Option<String>,
}

/// The article being read.
#[derive(Default)]
struct Article {
    line: u32,
    citation: Citation,
    paragraphs: Vec<String>,
    authors: Vec<Name>,
    editors: Vec<Name>,
    author: Option<Name>,
    book_title: Option<String>,
    date: PubDate,
    medline_pgn: Option<String>,
    start_page: Option<String>,
    end_page: Option<String>,
    issns: Vec<String>,
    issn_linking: Option<String>,
    keywords: Vec<String>,
    mesh: Vec<String>,
    heading: Option<String>,
    publication_types: Vec<String>,
    references: Vec<Citation>,
    reference: Option<Citation>,
}

#[derive(Default)]
struct PubDate {
    year: Option<String>,
    month: Option<String>,
    day: Option<String>,
    season: Option<String>,
    medline: Option<String>,
}

#[derive(Default)]
struct State {
    stack: Vec<Element>,
    article: Option<Article>,
    articles: Vec<Article>,
    /// The text of the captured element, and how deep it sits in `stack`.
    capture: Option<(usize, String)>,
}

fn parse(source: &Source) -> Parsed {
    let file = source.file;
    let lines = LineIndex::new(source.text);
    let mut diagnostics = Vec::new();
    let mut reader = Reader::from_str(source.text);
    reader.config_mut().trim_text(false);
    let mut state = State::default();
    let mut entities = Entities::default();

    loop {
        let at = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => {
                diagnostics.push(Diagnostic::error(
                    file,
                    Some(lines.of(reader.error_position())),
                    format!("the XML is broken here ({error}); the rest of the file is skipped"),
                ));
                break;
            }
        };
        let line = lines.of(at);
        match event {
            Event::Start(element) => open(&mut state, &element, line),
            Event::Empty(element) => {
                open(&mut state, &element, line);
                close(&mut state);
            }
            Event::End(_) => close(&mut state),
            Event::Text(text) => {
                if let Some((_, capture)) = state.capture.as_mut() {
                    match text.xml10_content() {
                        Ok(content) => capture.push_str(&content),
                        Err(_) => capture.push_str(&String::from_utf8_lossy(&text)),
                    }
                }
            }
            Event::CData(data) => {
                if let Some((_, capture)) = state.capture.as_mut() {
                    capture.push_str(&String::from_utf8_lossy(&data));
                }
            }
            Event::GeneralRef(reference) => {
                if let Some((_, capture)) = state.capture.as_mut() {
                    capture.push_str(&entities.resolve(&reference, file, line, &mut diagnostics));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if state.article.is_some() {
        diagnostics.push(Diagnostic::warning(
            file,
            Some(lines.of(reader.buffer_position())),
            "the file ends inside an article; what was read of it is kept",
        ));
        // Close what is open so that the article cut short keeps its authors and references.
        while !state.stack.is_empty() {
            close(&mut state);
        }
        state.articles.extend(state.article.take());
    }

    let mut parsed = Parsed { diagnostics, ..Parsed::default() };
    for article in std::mem::take(&mut state.articles) {
        let line = article.line;
        let (citation, references) = finish(article);
        if citation.pmid.is_none() {
            parsed.diagnostics.push(Diagnostic::warning(
                file,
                Some(line),
                format!("the article starting at line {line} has no PMID; read anyway"),
            ));
        }
        if citation.title.is_none() && citation.abstract_text.is_none() {
            parsed.diagnostics.push(
                Diagnostic::warning(
                    file,
                    Some(line),
                    format!("the article starting at line {line} has no title (ArticleTitle) and no abstract"),
                )
                .in_document(citation.pmid.as_deref()),
            );
        }
        let mut document = csl_json::document(citation);
        document.references = references;
        parsed.documents.push(document);
    }
    if parsed.documents.is_empty() && !parsed.diagnostics.iter().any(|d| d.line.is_some_and(|l| l > 1)) {
        parsed.diagnostics.push(Diagnostic::error(
            file,
            Some(1),
            "no PubMed article (a <PubmedArticle> element) was found in this file",
        ));
    }
    parsed
}

fn attribute(element: &BytesStart, name: &str) -> Option<String> {
    let attribute = element.try_get_attribute(name).ok().flatten()?;
    Some(match attribute.normalized_value(XmlVersion::Implicit1_0) {
        Ok(value) => value.into_owned(),
        Err(_) => String::from_utf8_lossy(&attribute.value).into_owned(),
    })
}

fn open(state: &mut State, element: &BytesStart, line: u32) {
    let name = String::from_utf8_lossy(element.local_name().as_ref()).into_owned();
    let key = match name.as_str() {
        "AbstractText" => "Label",
        "ELocationID" => "EIdType",
        "ArticleId" => "IdType",
        "ISSN" => "IssnType",
        "Identifier" => "Source",
        "DescriptorName" | "QualifierName" => "MajorTopicYN",
        "AuthorList" => "Type",
        _ => "",
    };
    let attribute = (!key.is_empty()).then(|| attribute(element, key)).flatten();
    match name.as_str() {
        "PubmedArticle" | "PubmedBookArticle" => {
            state.articles.extend(state.article.take());
            state.article = Some(Article { line, ..Article::default() });
        }
        // A bare `MedlineCitationSet`, as the MEDLINE baseline files have it.
        "MedlineCitation" if state.article.is_none() => {
            state.article = Some(Article { line, ..Article::default() });
        }
        "Author" if parent_is(state, "AuthorList") => {
            if let Some(article) = state.article.as_mut() {
                article.author = Some(Name::default());
            }
        }
        "MeshHeading" => {
            if let Some(article) = state.article.as_mut() {
                article.heading = Some(String::new());
            }
        }
        "Reference" => {
            if let Some(article) = state.article.as_mut() {
                article.reference = Some(Citation::default());
            }
        }
        _ => {}
    }
    if state.capture.is_none() && state.article.is_some() && CAPTURED.contains(&name.as_str()) {
        state.capture = Some((state.stack.len(), String::new()));
    }
    state.stack.push(Element { name, attribute });
}

fn parent_is(state: &State, name: &str) -> bool {
    state.stack.last().is_some_and(|e| e.name == name)
}

fn close(state: &mut State) {
    let depth = state.stack.len().saturating_sub(1);
    if state.capture.as_ref().is_some_and(|(at, _)| *at == depth) {
        if let Some((_, text)) = state.capture.take() {
            leaf(state, &one_line(&text));
        }
    }
    let Some(element) = state.stack.pop() else { return };
    let parent = state.stack.last().map(|e| e.name.as_str());
    let editors = state.stack.last().is_some_and(|e| e.attribute.as_deref() == Some("editors"));
    let Some(article) = state.article.as_mut() else { return };
    match (element.name.as_str(), parent) {
        ("PubmedArticle" | "PubmedBookArticle", _) | ("MedlineCitation", None | Some("MedlineCitationSet")) => {
            state.articles.extend(state.article.take());
        }
        ("Author", Some("AuthorList")) => {
            if let Some(name) = article.author.take().filter(|n| *n != Name::default()) {
                if editors {
                    article.editors.push(name);
                } else {
                    article.authors.push(name);
                }
            }
        }
        ("MeshHeading", _) => {
            if let Some(heading) = article.heading.take().filter(|h| !h.is_empty()) {
                article.mesh.push(heading);
            }
        }
        ("Reference", _) => {
            if let Some(reference) = article.reference.take().filter(|r| !r.is_empty()) {
                article.references.push(reference);
            }
        }
        _ => {}
    }
}

/// What the text of a captured element means, by its name and where it is.
fn leaf(state: &mut State, text: &str) {
    let Some(element) = state.stack.last() else { return };
    let parent = state.stack.len().checked_sub(2).and_then(|i| state.stack.get(i)).map(|e| e.name.as_str());
    let within = |name: &str| state.stack.iter().any(|e| e.name == name);
    let in_reference = within("ReferenceList");
    let attribute = element.attribute.as_deref();
    let Some(article) = state.article.as_mut() else { return };
    if text.is_empty() {
        return;
    }
    let c = &mut article.citation;
    let value = || Some(text.to_string());
    match (element.name.as_str(), parent) {
        ("Citation", Some("Reference")) => {
            if let Some(reference) = article.reference.as_mut() {
                let parsed = nlm_reference(text).unwrap_or_else(|| parse_reference(text));
                let ids = (reference.pmid.take(), reference.doi.take(), reference.pmcid.take());
                *reference = parsed;
                reference.pmid = ids.0.or(reference.pmid.take());
                reference.doi = ids.1.or(reference.doi.take());
                reference.pmcid = ids.2.or(reference.pmcid.take());
            }
        }
        ("ArticleId", Some("ArticleIdList")) if in_reference => {
            if let Some(reference) = article.reference.as_mut() {
                match attribute {
                    Some("pubmed") => reference.pmid = ids::pmid(text),
                    Some("doi") => reference.doi = ids::doi(text),
                    Some("pmc") => reference.pmcid = ids::pmcid(text),
                    _ => {}
                }
            }
        }
        _ if in_reference => {}
        ("PMID", Some("MedlineCitation" | "BookDocument")) => {
            c.pmid = ids::pmid(text).or_else(value);
        }
        ("ArticleTitle", Some("Article" | "BookDocument")) => c.title = value(),
        ("VernacularTitle", Some("Article")) => {
            c.other.insert("original-title".into(), Value::String(text.to_string()));
        }
        ("BookTitle", Some("Book")) => article.book_title = value(),
        ("AbstractText", Some("Abstract")) => {
            article.paragraphs.push(match attribute.map(str::trim).filter(|l| !l.is_empty()) {
                Some(label) => format!("{label}: {text}"),
                None => text.to_string(),
            });
        }
        ("CopyrightInformation", Some("Abstract")) => c.license = value(),
        ("LastName", Some("Author")) => set_name(article, |n| n.family = Some(text.to_string())),
        ("ForeName", Some("Author")) => set_name(article, |n| n.given = Some(text.to_string())),
        ("Initials", Some("Author")) => set_name(article, |n| {
            // Initials only stand in for a missing fore name: `ForeName` is the fuller spelling.
            if n.given.is_none() {
                n.given = Some(text.to_string());
            }
        }),
        ("Suffix", Some("Author")) => set_name(article, |n| n.suffix = Some(text.to_string())),
        ("CollectiveName", Some("Author")) => set_name(article, |n| n.literal = Some(text.to_string())),
        ("Affiliation", Some("AffiliationInfo")) if within("Author") => {
            set_name(article, |n| n.affiliation.push(Affiliation { name: text.to_string() }));
        }
        ("Identifier", Some("Author")) if attribute.is_some_and(|s| s.eq_ignore_ascii_case("orcid")) => {
            if let Some(orcid) = ids::orcid(text) {
                set_name(article, |n| n.orcid = Some(orcid));
            }
        }
        ("Title", Some("Journal")) => c.container_title = value(),
        ("ISOAbbreviation", Some("Journal")) => {
            c.other.insert("container-title-short".into(), Value::String(text.to_string()));
        }
        ("ISSN", Some("Journal")) => article.issns.push(text.to_string()),
        ("ISSNLinking", _) => article.issn_linking = value(),
        ("Volume", Some("JournalIssue" | "Book")) => c.volume = value(),
        ("Issue", Some("JournalIssue")) => c.issue = value(),
        ("Year", Some("PubDate")) => article.date.year = value(),
        ("Month", Some("PubDate")) => article.date.month = value(),
        ("Day", Some("PubDate")) => article.date.day = value(),
        ("Season", Some("PubDate")) => article.date.season = value(),
        ("MedlineDate", Some("PubDate")) => article.date.medline = value(),
        ("MedlinePgn", Some("Pagination")) => article.medline_pgn = value(),
        ("StartPage", Some("Pagination")) => article.start_page = value(),
        ("EndPage", Some("Pagination")) => article.end_page = value(),
        ("ELocationID", _) if attribute == Some("doi") && c.doi.is_none() => c.doi = ids::doi(text),
        ("ArticleId", Some("ArticleIdList")) => match attribute {
            Some("doi") if c.doi.is_none() => c.doi = ids::doi(text),
            Some("pmc") => c.pmcid = ids::pmcid(text),
            Some("pubmed") if c.pmid.is_none() => c.pmid = ids::pmid(text),
            _ => {}
        },
        ("Keyword", Some("KeywordList")) => article.keywords.push(text.to_string()),
        ("DescriptorName" | "QualifierName", Some("MeshHeading")) => {
            if let Some(heading) = article.heading.as_mut() {
                if !heading.is_empty() {
                    heading.push('/');
                }
                if attribute == Some("Y") {
                    heading.push('*');
                }
                heading.push_str(text);
            }
        }
        ("PublicationType", Some("PublicationTypeList")) => article.publication_types.push(text.to_string()),
        ("Language", Some("Article" | "BookDocument")) if c.language.is_none() => c.language = value(),
        ("PublisherName", Some("Publisher")) => c.publisher = value(),
        ("PublisherLocation", Some("Publisher")) => {
            c.other.insert("publisher-place".into(), Value::String(text.to_string()));
        }
        _ => {}
    }
}

fn set_name(article: &mut Article, set: impl FnOnce(&mut Name)) {
    if let Some(name) = article.author.as_mut() {
        set(name);
    }
}

/// Pretty-printed XML breaks lines inside text; a field is one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The citation and references of a finished article.
fn finish(article: Article) -> (Citation, Vec<Citation>) {
    let mut c = article.citation;
    if !article.paragraphs.is_empty() {
        c.abstract_text = Some(article.paragraphs.join("\n"));
    }
    // A name PubMed gives as one string (`Initials` alone, a group) still reads as a name.
    c.author = article.authors.into_iter().map(tidy_name).collect();
    if !article.editors.is_empty() {
        let editors: Vec<Name> = article.editors.into_iter().map(tidy_name).collect();
        if let Ok(value) = serde_json::to_value(editors) {
            c.other.insert("editor".into(), value);
        }
    }
    c.page = match (article.medline_pgn, article.start_page, article.end_page) {
        (Some(pgn), _, _) => Some(pages::expand(&pgn)),
        (None, Some(start), Some(end)) => Some(format!("{start}-{end}")),
        (None, Some(start), None) => Some(start),
        (None, None, _) => None,
    };
    c.issued = pub_date(&article.date);
    c.issn =
        article.issns.iter().find_map(|i| ids::issn(i)).or_else(|| article.issn_linking.as_deref().and_then(ids::issn));
    c.kind = Some(
        match (&c.title, &article.book_title) {
            (Some(_), Some(_)) => "chapter",
            (None, Some(_)) => "book",
            _ => article
                .publication_types
                .iter()
                .map(|pt| types::from_words(pt))
                .find(|t| *t != "document")
                .unwrap_or("article-journal"),
        }
        .into(),
    );
    match (&c.title, article.book_title) {
        (Some(_), Some(book)) => c.container_title = Some(book),
        (None, Some(book)) => c.title = Some(book),
        _ => {}
    }
    if !article.keywords.is_empty() {
        c.keyword = Some(article.keywords.join(", "));
        c.custom.insert("keywords".into(), Value::from(article.keywords));
    }
    if !article.mesh.is_empty() {
        c.custom.insert("mesh".into(), Value::from(article.mesh));
    }
    if !article.publication_types.is_empty() {
        c.custom.insert("publication-types".into(), Value::from(article.publication_types));
    }
    (c, article.references)
}

/// PubMed writes most references as NLM's short form, `Cell Host Microbe. 2015 Jun
/// 10;17(6):811-819`: the journal's abbreviation, then the date, volume, issue and pages.
fn nlm_reference(raw: &str) -> Option<Citation> {
    let (journal, rest) = raw.split_once(". ")?;
    let (date, location) = rest.split_once(';').unwrap_or((rest, ""));
    let mut words = date.split_whitespace();
    let year: i32 = words.next().filter(|y| y.len() == 4)?.parse().ok()?;
    let month = words.next().and_then(|m| types::month(m.split('-').next().unwrap_or(m)));
    let day = month.and(words.next()).and_then(|d| d.parse::<u32>().ok()).filter(|d| (1..=31).contains(d));
    let location = location.trim().trim_end_matches('.');
    let (volume_issue, page) = location.split_once(':').unwrap_or((location, ""));
    let (volume, issue) = match volume_issue.split_once('(') {
        Some((volume, issue)) => (volume, issue.strip_suffix(')')?),
        None => (volume_issue, ""),
    };
    let some = |text: &str| Some(text.trim().to_string()).filter(|t| !t.is_empty());
    Some(Citation {
        kind: Some("article-journal".into()),
        container_title: some(journal),
        issued: Some(DateParts::ymd(year, month, day)),
        volume: some(volume),
        issue: some(issue),
        page: some(page).map(|p| pages::expand(&p)),
        note: Some(raw.to_string()),
        ..Citation::default()
    })
}

fn tidy_name(name: Name) -> Name {
    match (&name.family, &name.literal) {
        (None, None) => match &name.given {
            Some(given) => Name { given: None, ..names::parse_name(given) },
            None => name,
        },
        _ => name,
    }
}

/// `PubDate`: `Year`, `Month` (`Sep` or `09`), `Day`; or `Season`; or a free `MedlineDate`
/// (`1998 Dec-1999 Jan`), whose first year and month are the date and whose text stays in `raw`.
fn pub_date(date: &PubDate) -> Option<DateParts> {
    if let Some(year) = date.year.as_deref().and_then(|y| y.trim().parse::<i32>().ok()) {
        let month = date.month.as_deref().and_then(types::month);
        let day =
            month.and(date.day.as_deref()).and_then(|d| d.trim().parse::<u32>().ok()).filter(|d| (1..=31).contains(d));
        let mut parts = DateParts::ymd(year, month, day);
        if let Some(season) = &date.season {
            parts.raw = Some(format!("{year} {season}"));
        }
        return Some(parts);
    }
    let text = date.medline.as_deref()?;
    let mut words = text.split_whitespace();
    let year: i32 = words.next()?.get(..4)?.parse().ok()?;
    let month = words.next().and_then(|m| types::month(m.split('-').next().unwrap_or(m)));
    let mut parts = DateParts::ymd(year, month, None);
    parts.raw = Some(text.to_string());
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_pubmed_and_not_bioc() {
        assert_eq!(sniff("<?xml version=\"1.0\"?>\n<PubmedArticleSet><PubmedArticle>"), 95);
        assert_eq!(sniff("<collection><document>"), 0);
        assert_eq!(sniff("PMID- 1"), 0);
    }

    #[test]
    fn references_in_nlm_short_form() {
        let c = nlm_reference("Cell Host Microbe. 2015 Jun 10;17(6):811-9").unwrap_or_default();
        assert_eq!(c.container_title.as_deref(), Some("Cell Host Microbe"));
        assert_eq!(c.issued, Some(DateParts::ymd(2015, Some(6), Some(10))));
        assert_eq!(
            (c.volume.as_deref(), c.issue.as_deref(), c.page.as_deref()),
            (Some("17"), Some("6"), Some("811-819"))
        );
        let c = nlm_reference("J Gen Virol. 2012 Oct;93(Pt 10):2076-97").unwrap_or_default();
        assert_eq!((c.volume.as_deref(), c.issue.as_deref()), (Some("93"), Some("Pt 10")));
        let c = nlm_reference("Nat Commun. 2017 Feb 10;8:14391").unwrap_or_default();
        assert_eq!((c.volume.as_deref(), c.issue, c.page.as_deref()), (Some("8"), None, Some("14391")));
        assert_eq!(nlm_reference("Smith J. A title. Journal. 2015;1:2"), None);
    }

    #[test]
    fn dates_in_every_shape() {
        let date = |year: &str, month: Option<&str>, medline: Option<&str>| PubDate {
            year: Some(year.into()).filter(|y: &String| !y.is_empty()),
            month: month.map(str::to_string),
            medline: medline.map(str::to_string),
            ..PubDate::default()
        };
        assert_eq!(pub_date(&date("2018", Some("Sep"), None)), Some(DateParts::ymd(2018, Some(9), None)));
        assert_eq!(pub_date(&date("2018", Some("09"), None)), Some(DateParts::ymd(2018, Some(9), None)));
        let range = pub_date(&date("", None, Some("1998 Dec-1999 Jan"))).unwrap_or_default();
        assert_eq!(range.date_parts, vec![vec![1998, 12]]);
        assert_eq!(range.raw.as_deref(), Some("1998 Dec-1999 Jan"));
        assert_eq!(pub_date(&date("", None, Some("Spring"))), None);
    }
}
