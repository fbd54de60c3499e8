//! Saved HTML article pages: a PMC-like page with Highwire tags, a publisher page with only
//! JSON-LD, a Dublin Core page, a page with nothing, and hostile HTML.

mod common;

use common::parse_text;
use litview::model::DateParts;
use litview::{cite, load, InputFile, Output, Severity};

fn parse_html(name: &str, html: &str) -> Output {
    let output = parse_text(name, html);
    for document in &output.documents {
        assert_eq!(document.source.format, "html", "{name}: detected from the content");
    }
    output
}

const PMC_LIKE: &str = r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Use of blinatumomab and CAR T-cell therapy in children - PMC</title>
<meta name="citation_journal_title" content="British Journal of Cancer">
<meta name="citation_journal_abbrev" content="Br J Cancer">
<meta name="citation_title" content="Use of blinatumomab &amp; CAR T-cell therapy in children with relapsed ALL">
<meta name="citation_author" content="Vivien Marx">
<meta name="citation_author_institution" content="Charité – Universitätsmedizin Berlin">
<meta name="citation_author_institution" content="Berlin Institute of Health">
<meta name="citation_author_orcid" content="https://orcid.org/0000-0002-1825-0097">
<meta name="citation_author" content="Ng, Anna K.">
<meta name="citation_author_email" content="anna.ng@example.org">
<meta name="citation_author" content="Children&#39;s Oncology Group">
<meta name="citation_publication_date" content="2023/03/15">
<meta name="citation_volume" content="128">
<meta name="citation_issue" content="7">
<meta name="citation_firstpage" content="1300">
<meta name="citation_lastpage" content="1307">
<meta name="citation_doi" content="10.1038/s41416-023-02151-1">
<meta name="citation_pmid" content="36727001">
<meta name="citation_issn" content="0007-0920">
<meta name="citation_issn" content="1532-1827">
<meta name="citation_publisher" content="Nature Publishing Group UK">
<meta name="citation_keywords" content="CAR T; blinatumomab; leukaemia">
<meta name="citation_reference" content="citation_title=Blinatumomab for relapsed ALL;citation_author=Locatelli F;citation_journal_title=JAMA;citation_volume=325;citation_firstpage=843;citation_lastpage=854;citation_year=2021;citation_doi=10.1001/jama.2021.0987">
<meta name="citation_reference" content="Smith J. Free text reference. Blood. 2020;1:2.">
<meta property="og:title" content="Not the title">
<script type="text/javascript">var x = "<div class='abstract'>not the abstract</div>";</script>
<style>.abstract { color: red }</style>
</head>
<body>
<nav><a class="abstract-link" href="#abstract">Abstract</a></nav>
<section id="abstract1" class="abstract">
  <h2>Abstract</h2>
  <p><b>Background:</b> Relapsed acute lymphoblastic leukaemia (ALL) in children is hard&nbsp;to treat.</p>
  <p><b>Methods:</b> We reviewed 10<sup>3</sup> cases &#x2013; from 2010 to 2020 &lt;inclusive&gt;.</p>
</section>
<p>Body text.</p>
</body>
</html>
"##;

#[test]
fn pmc_like_page_with_highwire_tags() {
    let output = parse_html("PMC10050001.html", PMC_LIKE);
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
    assert_eq!(output.documents.len(), 1);
    let document = &output.documents[0];
    let c = &document.citation;
    assert_eq!(c.title.as_deref(), Some("Use of blinatumomab & CAR T-cell therapy in children with relapsed ALL"));
    assert_eq!(c.author.len(), 3);
    assert_eq!((c.author[0].family.as_deref(), c.author[0].given.as_deref()), (Some("Marx"), Some("Vivien")));
    assert_eq!(c.author[0].affiliation.len(), 2);
    assert_eq!(c.author[0].affiliation[0].name, "Charité – Universitätsmedizin Berlin");
    assert_eq!(c.author[0].orcid.as_deref(), Some("https://orcid.org/0000-0002-1825-0097"));
    assert_eq!((c.author[1].family.as_deref(), c.author[1].given.as_deref()), (Some("Ng"), Some("Anna K.")));
    assert_eq!(c.author[1].email.as_deref(), Some("anna.ng@example.org"));
    assert_eq!(c.author[2].literal.as_deref(), Some("Children's Oncology Group"));
    assert_eq!(c.container_title.as_deref(), Some("British Journal of Cancer"));
    assert_eq!(
        (c.volume.as_deref(), c.issue.as_deref(), c.page.as_deref()),
        (Some("128"), Some("7"), Some("1300-1307"))
    );
    assert_eq!(c.issued, Some(DateParts::ymd(2023, Some(3), Some(15))));
    assert_eq!(c.doi.as_deref(), Some("10.1038/s41416-023-02151-1"));
    assert_eq!(c.pmid.as_deref(), Some("36727001"));
    assert_eq!(c.issn.as_deref(), Some("0007-0920"));
    assert_eq!(c.publisher.as_deref(), Some("Nature Publishing Group UK"));
    assert_eq!(c.keyword.as_deref(), Some("CAR T, blinatumomab, leukaemia"));
    assert_eq!(c.kind.as_deref(), Some("article-journal"));
    // The abstract element: its heading dropped, one line per paragraph, entities decoded, and
    // neither the script's string nor the navigation link.
    assert_eq!(
        c.abstract_text.as_deref(),
        Some("Background: Relapsed acute lymphoblastic leukaemia (ALL) in children is hard to treat.\nMethods: We reviewed 103 cases – from 2010 to 2020 <inclusive>.")
    );
    assert!(!document.text.contains("color: red") && !document.text.contains("not the abstract"));
    assert_eq!(document.references.len(), 2);
    let first = &document.references[0];
    assert_eq!(first.title.as_deref(), Some("Blinatumomab for relapsed ALL"));
    assert_eq!(first.container_title.as_deref(), Some("JAMA"));
    assert_eq!(first.page.as_deref(), Some("843-854"));
    assert_eq!(first.doi.as_deref(), Some("10.1001/jama.2021.0987"));
    assert_eq!(first.issued.as_ref().and_then(|d| d.year()), Some(2021));
    assert_eq!(document.references[1].note.as_deref(), Some("Smith J. Free text reference. Blood. 2020;1:2."));
    assert_eq!(
        cite::vancouver(c),
        "Marx V, Ng AK, Children's Oncology Group. Use of blinatumomab & CAR T-cell therapy in children with relapsed ALL. Br J Cancer. 2023 Mar 15;128(7):1300-7. doi:10.1038/s41416-023-02151-1"
    );
}

const JSON_LD_ONLY: &str = r#"<html><head>
<title>Soil fauna | Publisher</title>
<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "name": "Publisher"},
  {"@type": "ScholarlyArticle",
   "headline": "Soil fauna diversity at different stages of reed restoration",
   "author": [
     {"@type": "Person", "givenName": "Wei", "familyName": "Li", "affiliation": {"@type": "Organization", "name": "Beijing Forestry University"},
      "sameAs": "https://orcid.org/0000-0002-1825-0097"},
     {"@type": "Person", "name": "Zhiguo Dou"},
     {"@type": "Organization", "name": "Reed Restoration Consortium"}],
   "datePublished": "2020-02-11T00:00:00Z",
   "isPartOf": {"@type": "PublicationIssue", "issueNumber": "1",
     "isPartOf": {"@type": "PublicationVolume", "volumeNumber": 6,
       "isPartOf": {"@type": "Periodical", "name": "Ecosystem Health and Sustainability", "issn": ["2096-4129", "2332-8878"]}}},
   "pageStart": "1469", "pageEnd": "1472",
   "identifier": {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.1080/20964129.2020.1722034"},
   "description": "Reed restoration changes soil fauna: we sampled <i>three</i> stages &amp; found more taxa later.",
   "publisher": {"@type": "Organization", "name": "Taylor &amp; Francis"},
   "keywords": ["soil fauna", "wetland"]}
]}
</script>
</head><body><h1>Soil fauna diversity</h1></body></html>"#;

#[test]
fn publisher_page_with_only_json_ld() {
    let output = parse_html("article.html", JSON_LD_ONLY);
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
    let c = &output.documents[0].citation;
    assert_eq!(c.title.as_deref(), Some("Soil fauna diversity at different stages of reed restoration"));
    assert_eq!(c.author.len(), 3);
    assert_eq!((c.author[0].family.as_deref(), c.author[0].given.as_deref()), (Some("Li"), Some("Wei")));
    assert_eq!(c.author[0].affiliation[0].name, "Beijing Forestry University");
    assert_eq!(c.author[0].orcid.as_deref(), Some("https://orcid.org/0000-0002-1825-0097"));
    assert_eq!((c.author[1].family.as_deref(), c.author[1].given.as_deref()), (Some("Dou"), Some("Zhiguo")));
    assert_eq!(c.author[2].literal.as_deref(), Some("Reed Restoration Consortium"));
    assert_eq!(c.issued, Some(DateParts::ymd(2020, Some(2), Some(11))));
    assert_eq!(c.container_title.as_deref(), Some("Ecosystem Health and Sustainability"));
    assert_eq!(c.issn.as_deref(), Some("2096-4129"));
    assert_eq!((c.volume.as_deref(), c.issue.as_deref(), c.page.as_deref()), (Some("6"), Some("1"), Some("1469-1472")));
    assert_eq!(c.doi.as_deref(), Some("10.1080/20964129.2020.1722034"));
    assert_eq!(c.publisher.as_deref(), Some("Taylor & Francis"));
    assert_eq!(c.keyword.as_deref(), Some("soil fauna, wetland"));
    assert_eq!(
        c.abstract_text.as_deref(),
        Some("Reed restoration changes soil fauna: we sampled three stages & found more taxa later.")
    );
    assert_eq!(c.kind.as_deref(), Some("article-journal"));
}

const DUBLIN_CORE: &str = r#"<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<title>Repository record</title>
<META NAME="DC.Title" CONTENT="Hormone-sensitive lipase phosphorylation sites">
<meta name="DC.creator" content="Anthonsen, M. W.">
<meta name="dc.creator" content="Holm, Cecilia">
<meta name="DCTERMS.issued" content="1998-01-02">
<meta name="DC.identifier" content="doi:10.1074/jbc.273.1.215">
<meta name="DC.identifier" content="https://repository.example.org/record/42">
<meta name="DC.publisher" content="ASBMB">
<meta name="DC.source" content="Journal of Biological Chemistry">
<meta name="DC.description" content="Hormone-sensitive lipase (HSL) is the rate-limiting enzyme in lipolysis.">
<meta name="DC.subject" content="lipolysis">
<meta name="DC.language" content="en">
</head><body></body></html>"#;

#[test]
fn dublin_core_page_in_any_case() {
    let output = parse_html("record.htm", DUBLIN_CORE);
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
    let c = &output.documents[0].citation;
    assert_eq!(c.title.as_deref(), Some("Hormone-sensitive lipase phosphorylation sites"));
    assert_eq!(c.author.len(), 2);
    assert_eq!((c.author[0].family.as_deref(), c.author[0].given.as_deref()), (Some("Anthonsen"), Some("M. W.")));
    assert_eq!(c.author[1].family.as_deref(), Some("Holm"));
    assert_eq!(c.issued, Some(DateParts::ymd(1998, Some(1), Some(2))));
    assert_eq!(c.doi.as_deref(), Some("10.1074/jbc.273.1.215"));
    assert_eq!(c.url.as_deref(), Some("https://repository.example.org/record/42"));
    assert_eq!(c.publisher.as_deref(), Some("ASBMB"));
    assert_eq!(c.container_title.as_deref(), Some("Journal of Biological Chemistry"));
    assert_eq!(
        c.abstract_text.as_deref(),
        Some("Hormone-sensitive lipase (HSL) is the rate-limiting enzyme in lipolysis.")
    );
    assert_eq!(c.keyword.as_deref(), Some("lipolysis"));
    assert_eq!(c.language.as_deref(), Some("en"));
}

#[test]
fn pages_with_little_or_nothing() {
    // Only a <title> and Open Graph: a card, and a warning saying where it came from.
    let html = "<html><head><title>A blog &amp; its post</title><meta property=\"og:url\" content=\"https://blog.example.org/p\"></head><body>Hi</body></html>";
    let output = parse_html("post.html", html);
    let c = &output.documents[0].citation;
    assert_eq!(c.title.as_deref(), Some("A blog & its post"));
    assert_eq!(c.url.as_deref(), Some("https://blog.example.org/p"));
    assert_eq!(c.kind.as_deref(), Some("webpage"));
    let warning = &output.diagnostics[0];
    assert_eq!((warning.severity, warning.line), (Severity::Warning, Some(1)));
    assert!(warning.message.contains("no citation tags"), "{}", warning.message);

    // Nothing at all: no document, an error that says what was looked for.
    let output = load(&[InputFile { name: "empty.html", bytes: b"<html><body><p>Hello</p></body></html>" }], None);
    assert!(output.documents.is_empty());
    let error = &output.diagnostics[0];
    assert_eq!((error.file.as_str(), error.severity, error.line), ("empty.html", Severity::Error, Some(1)));
    assert!(error.message.contains("citation tags"), "{}", error.message);
}

#[test]
fn hostile_html_never_panics_and_never_leaks_markup() {
    let huge = "x".repeat(2_000_000);
    let cases = [
        String::new(),
        "<".into(),
        "<html><head><meta name=\"citation_title\" content=\"Unclosed".into(),
        "<html><head><meta name='citation_title' content='T'><p class=abstract>open abstract never closed <b>bold"
            .into(),
        "<html><head><title>T</title><meta name=\"citation_title\" content=\"<script>alert(1)</script> Title\"></head>"
            .into(),
        "<html><head><title>Never closed".into(),
        "<html><head><script>never closed <meta name=citation_title content=No>".into(),
        "<html><!-- <meta name=citation_title content=Commented> --><title>Real</title></html>".into(),
        "<html><head><meta name=\"citation_title\" content=\"Big\" data-x=\"".to_string() + &huge + "\"></head></html>",
        "<html><head><meta name=citation_doi content=not-a-doi><meta name=citation_title content=T>".into(),
        "<html><script type=\"application/ld+json\">{broken json</script><title>T</title></html>".into(),
        "<html><head><title>&#xD800;&#0;&#1114112;&;&#;&#x;&amp</title></head></html>".into(),
        "<html</>< / ><a =\"x\" '''><p class=\"abstract\"></p></html>".into(),
        "<html>".to_string() + &"<div class=\"abstract\">".repeat(10_000),
    ];
    for html in &cases {
        let output = load(&[InputFile { name: "hostile.html", bytes: html.as_bytes() }], Some("html"));
        for document in &output.documents {
            let c = &document.citation;
            for text in [&c.title, &c.abstract_text].into_iter().flatten() {
                assert!(!text.contains("<script"), "{text}");
            }
            let _ = (cite::apa(c), cite::vancouver(c));
        }
        assert!(output.diagnostics.iter().all(|d| d.file == "hostile.html"));
    }
    // What the hostile cases still give.
    let title = |html: &str| {
        let output = load(&[InputFile { name: "h.html", bytes: html.as_bytes() }], Some("html"));
        output.documents.first().and_then(|d| d.citation.title.clone())
    };
    assert_eq!(title(&cases[2]).as_deref(), Some("Unclosed"));
    // Markup in a value is dropped with its script, not kept as text.
    assert_eq!(title(&cases[4]).as_deref(), Some("Title"));
    assert_eq!(title(&cases[7]).as_deref(), Some("Real"));
    assert_eq!(title(&cases[8]).as_deref(), Some("Big"));
    let output = load(&[InputFile { name: "h.html", bytes: cases[9].as_bytes() }], Some("html"));
    let warning = output.diagnostics.iter().find(|d| d.message.contains("not a DOI")).expect("a warning");
    assert_eq!(warning.line, Some(1));
    let output = load(&[InputFile { name: "h.html", bytes: cases[10].as_bytes() }], Some("html"));
    assert!(output.diagnostics.iter().any(|d| d.message.contains("JSON-LD")), "{:?}", output.diagnostics);
}
