//! JATS XML: a small article written for these tests in the shape PMC and Frontiers publish
//! (front matter, structured abstract, nested sections, a figure, a reference list).

mod common;

use common::parse_text;
use litview::model::DateParts;

const ARTICLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.2 20190208//EN" "JATS-journalpublishing1.dtd">
<article xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:ali="http://www.niso.org/schemas/ali/1.0/" article-type="research-article">
<front>
<journal-meta>
  <journal-id journal-id-type="nlm-ta">Front Oncol</journal-id>
  <journal-title-group><journal-title>Frontiers in Oncology</journal-title></journal-title-group>
  <issn pub-type="epub">2234-943X</issn>
  <publisher><publisher-name>Frontiers Media S.A.</publisher-name></publisher>
</journal-meta>
<article-meta>
  <article-id pub-id-type="pmid">36727001</article-id>
  <article-id pub-id-type="pmc">9885000</article-id>
  <article-id pub-id-type="doi">10.3389/fonc.2023.1077001</article-id>
  <title-group><article-title>Blinatumomab in <italic>children</italic> with leukaemia</article-title></title-group>
  <contrib-group>
    <contrib contrib-type="author">
      <contrib-id contrib-id-type="orcid" authenticated="true">https://orcid.org/0000-0001-7959-3512</contrib-id>
      <name><surname>García</surname><given-names>Ana</given-names></name>
      <xref ref-type="aff" rid="aff1"><sup>1</sup></xref><xref ref-type="aff" rid="aff2"><sup>2</sup></xref>
    </contrib>
    <contrib contrib-type="author"><name><surname>Lee</surname><given-names>B. K.</given-names></name>
      <xref ref-type="aff" rid="aff2"><sup>2</sup></xref><email>bk.lee@example.org</email></contrib>
    <contrib contrib-type="editor"><name><surname>Editor</surname><given-names>Ed</given-names></name></contrib>
  </contrib-group>
  <aff id="aff1"><sup>1</sup><institution>Hospital Infantil</institution>, <addr-line>Madrid</addr-line>, <country>Spain</country></aff>
  <aff id="aff2"><label>2</label><institution>Children&apos;s Cancer Institute</institution>, Sydney, Australia</aff>
  <pub-date pub-type="ppub"><year>2022</year></pub-date>
  <pub-date pub-type="epub"><day>17</day><month>01</month><year>2023</year></pub-date>
  <volume>13</volume>
  <elocation-id>1077001</elocation-id>
  <permissions><license xlink:href="https://creativecommons.org/licenses/by/4.0/"><license-p>Open access.</license-p></license></permissions>
  <abstract>
    <sec><title>Background</title><p>Relapse is common&#x2014;and hard.</p></sec>
    <sec><title>Results</title><p>Remission in 𝔸 of 10 children.</p></sec>
  </abstract>
  <kwd-group><kwd>blinatumomab</kwd><kwd>CAR T-cell</kwd></kwd-group>
</article-meta>
</front>
<body>
<sec id="s1"><title>Introduction</title>
  <p>Acute lymphoblastic leukaemia <xref ref-type="bibr" rid="B1">(1)</xref> is the most common cancer.</p>
  <sec id="s1.1"><title>Immunotherapy</title><p>CD19 is a target <inline-formula><mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:mi>x</mml:mi></mml:math></inline-formula>.</p>
    <fig id="f1"><label>Figure 1</label><caption><p>Survival by arm.</p></caption><graphic xlink:href="f1.jpg"/></fig>
  </sec>
</sec>
<sec id="s2"><title>Methods</title><p>We reviewed charts.</p></sec>
</body>
<back>
<ref-list><title>References</title>
  <ref id="B1"><label>1</label><element-citation publication-type="journal">
    <person-group person-group-type="author"><name><surname>Hunger</surname><given-names>SP</given-names></name><name><surname>Mullighan</surname><given-names>CG</given-names></name></person-group>
    <article-title>Acute lymphoblastic leukemia in children</article-title>
    <source>N Engl J Med</source><year>2015</year><volume>373</volume><issue>16</issue><fpage>1541</fpage><lpage>1552</lpage>
    <pub-id pub-id-type="doi">10.1056/NEJMra1400972</pub-id><pub-id pub-id-type="pmid">26465987</pub-id>
  </element-citation></ref>
  <ref id="B2"><label>2</label><mixed-citation publication-type="other">Children's Oncology Group. Protocol AALL1731, personal communication (2021).</mixed-citation></ref>
</ref-list>
</back>
</article>
"#;

#[test]
fn front_matter_becomes_the_citation() {
    let output = parse_text("fonc-13-1077001.xml", ARTICLE);
    assert_eq!(output.documents.len(), 1, "{:?}", output.diagnostics);
    let document = &output.documents[0];
    assert_eq!(document.source.format, "jats");
    let c = &document.citation;
    assert_eq!(c.title.as_deref(), Some("Blinatumomab in children with leukaemia"));
    assert_eq!(c.container_title.as_deref(), Some("Frontiers in Oncology"));
    assert_eq!(c.issn.as_deref(), Some("2234-943X"));
    assert_eq!(c.publisher.as_deref(), Some("Frontiers Media S.A."));
    assert_eq!((c.pmid.as_deref(), c.pmcid.as_deref()), (Some("36727001"), Some("PMC9885000")));
    assert_eq!(c.doi.as_deref(), Some("10.3389/fonc.2023.1077001"));
    assert_eq!(c.issued, Some(DateParts::ymd(2023, Some(1), Some(17))), "the electronic date is preferred");
    assert_eq!((c.volume.as_deref(), c.page.as_deref()), (Some("13"), Some("1077001")));
    assert_eq!(c.license.as_deref(), Some("https://creativecommons.org/licenses/by/4.0/"));
    assert_eq!(c.keyword.as_deref(), Some("blinatumomab, CAR T-cell"));
    assert_eq!(c.author.len(), 2, "editors are not authors");
    let garcia = &c.author[0];
    assert_eq!((garcia.family.as_deref(), garcia.given.as_deref()), (Some("García"), Some("Ana")));
    assert_eq!(garcia.orcid.as_deref(), Some("https://orcid.org/0000-0001-7959-3512"));
    let affiliations: Vec<&str> = garcia.affiliation.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(affiliations, ["Hospital Infantil, Madrid, Spain", "Children's Cancer Institute, Sydney, Australia"]);
    assert_eq!(c.author[1].email.as_deref(), Some("bk.lee@example.org"));
    assert!(c.abstract_text.as_deref().is_some_and(|a| a.contains("Relapse is common—and hard.")));
}

#[test]
fn abstract_and_body_become_passages() {
    let output = parse_text("article.nxml", ARTICLE);
    let document = &output.documents[0];
    let chars: Vec<char> = document.text.chars().collect();
    let passages: Vec<(String, String, String)> = document
        .passages
        .iter()
        .map(|p| {
            let text: String = chars[p.start..p.end].iter().collect();
            (p.kind.clone(), text, p.infons.get("section").cloned().unwrap_or_default())
        })
        .collect();
    let expected = [
        ("title", "Blinatumomab in children with leukaemia", ""),
        ("section_title", "Background", ""),
        ("abstract", "Relapse is common—and hard.", "Background"),
        ("section_title", "Results", ""),
        ("abstract", "Remission in 𝔸 of 10 children.", "Results"),
        ("section_title", "Introduction", ""),
        ("paragraph", "Acute lymphoblastic leukaemia (1) is the most common cancer.", "Introduction"),
        ("section_title", "Immunotherapy", "Introduction"),
        ("paragraph", "CD19 is a target .", "Introduction › Immunotherapy"),
        ("caption", "Figure 1 Survival by arm.", "Introduction › Immunotherapy"),
        ("section_title", "Methods", ""),
        ("paragraph", "We reviewed charts.", "Methods"),
    ];
    let got: Vec<(&str, &str, &str)> = passages.iter().map(|(k, t, s)| (k.as_str(), t.as_str(), s.as_str())).collect();
    assert_eq!(got, expected);
    // Passages follow one another, a newline between two, as the contract says.
    assert!(document.text.starts_with("Blinatumomab in children with leukaemia\nBackground\nRelapse"));
}

#[test]
fn the_reference_list_becomes_csl_items() {
    let output = parse_text("article.xml", ARTICLE);
    let references = &output.documents[0].references;
    assert_eq!(references.len(), 2);
    let first = &references[0];
    assert_eq!(first.title.as_deref(), Some("Acute lymphoblastic leukemia in children"));
    assert_eq!(first.container_title.as_deref(), Some("N Engl J Med"));
    assert_eq!(first.author.len(), 2);
    assert_eq!(first.author[0].family.as_deref(), Some("Hunger"));
    assert_eq!(first.issued.as_ref().and_then(DateParts::year), Some(2015));
    assert_eq!(
        (first.volume.as_deref(), first.issue.as_deref(), first.page.as_deref()),
        (Some("373"), Some("16"), Some("1541-1552"))
    );
    assert_eq!((first.doi.as_deref(), first.pmid.as_deref()), (Some("10.1056/NEJMra1400972"), Some("26465987")));
    assert!(first.note.is_none());
    // A reference with no structure keeps its words in note.
    let second = &references[1];
    assert_eq!(
        second.note.as_deref(),
        Some("Children's Oncology Group. Protocol AALL1731, personal communication (2021).")
    );
}

#[test]
fn bioc_is_not_taken_for_jats_and_broken_jats_keeps_what_was_read() {
    let bioc = "<?xml version=\"1.0\"?><collection><source>PMC</source><date/><key/><document><id>1</id><passage><infon key=\"type\">front</infon><offset>0</offset><text>article-meta</text></passage></document></collection>";
    assert_eq!(parse_text("pmc.xml", bioc).documents[0].source.format, "bioc-xml");
    let cut = &ARTICLE[..ARTICLE.find("<sec id=\"s2\">").unwrap()];
    let output = parse_text("cut.xml", &format!("{cut}<p>unclosed <b></p>"));
    assert_eq!(output.documents.len(), 1);
    assert_eq!(output.documents[0].citation.pmid.as_deref(), Some("36727001"));
    assert!(output.diagnostics.iter().any(|d| d.message.contains("broken")), "{:?}", output.diagnostics);
}

#[test]
fn a_jats_article_converts_to_bioc_with_its_passages() {
    let output = parse_text("article.xml", ARTICLE);
    let exported = (litview::export::by_id("bioc-xml").unwrap().write)(&output.documents);
    let back =
        litview::load(&[litview::InputFile { name: "article.bioc.xml", bytes: exported.files[0].1.as_bytes() }], None);
    assert_eq!(back.documents[0].text, output.documents[0].text);
    let kinds: Vec<&str> = back.documents[0].passages.iter().map(|p| p.kind.as_str()).collect();
    let before: Vec<&str> = output.documents[0].passages.iter().map(|p| p.kind.as_str()).collect();
    assert_eq!(kinds, before);
}
