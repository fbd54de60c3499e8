//! PubMed XML: the public factoid records, a structured abstract with group authors and ORCID
//! iDs, and XML that is cut short or broken.

mod common;

use common::{parse_paths, parse_text, shared};
use litview::model::DateParts;
use litview::{cite, load, InputFile, Severity};

#[test]
fn factoid_records_give_their_citations() {
    let Some(dir) = shared("data/biblio/factoid-pubmed-xml") else { return };
    // (file, PMID, title start, authors, journal, DOI, pages)
    let expected = [
        (
            "pmid_151222.xml",
            "151222",
            "Histochemical and histoenzymic",
            2,
            "Morphologie et embryologie",
            None,
            "229-232",
        ),
        (
            "pmid_29440426.xml",
            "30193098",
            "Non-canonical Activation of the DNA Sensing Adaptor STING",
            10,
            "Molecular cell",
            Some("10.1016/j.molcel.2018.07.034"),
            "745-760.e5",
        ),
        (
            "pmid_9417067.xml",
            "9417067",
            "Identification of novel phosphorylation sites",
            5,
            "The Journal of biological chemistry",
            Some("10.1074/jbc.273.1.215"),
            "215-221",
        ),
    ];
    for (file, pmid, title, authors, journal, doi, page) in expected {
        let output = parse_paths(&[dir.join(file)], None);
        assert!(output.diagnostics.is_empty(), "{file}: {:?}", output.diagnostics);
        assert_eq!(output.documents.len(), 1, "{file}");
        let document = &output.documents[0];
        assert_eq!(document.source.format, "pubmed-xml", "{file}: detected from the content");
        let c = &document.citation;
        assert_eq!(c.pmid.as_deref(), Some(pmid), "{file}");
        assert!(c.title.as_deref().is_some_and(|t| t.starts_with(title)), "{file}: {:?}", c.title);
        assert_eq!(c.author.len(), authors, "{file}");
        assert_eq!(c.container_title.as_deref(), Some(journal), "{file}");
        assert_eq!(c.doi.as_deref(), doi, "{file}");
        assert_eq!(c.page.as_deref(), Some(page), "{file}");
        assert!(c.abstract_text.as_deref().is_some_and(|a| a.len() > 500), "{file}");
        assert!(document.text.starts_with(c.title.as_deref().unwrap_or_default()));
    }

    let output = parse_paths(&[dir.join("pmid_29440426.xml")], None);
    let document = &output.documents[0];
    let c = &document.citation;
    assert_eq!(c.pmcid.as_deref(), Some("PMC6127031"));
    assert_eq!(c.issued, Some(DateParts::ymd(2018, Some(9), Some(6))));
    assert_eq!((c.volume.as_deref(), c.issue.as_deref()), (Some("71"), Some("5")));
    assert_eq!(c.issn.as_deref(), Some("1097-4164"));
    assert_eq!(c.author[1].family.as_deref(), Some("Flannery"));
    assert_eq!(c.author[1].given.as_deref(), Some("Sinéad M"));
    assert!(c.author[0].affiliation[0].name.starts_with("Division of Biomedical and Life Sciences"));
    assert_eq!(c.keyword.as_deref().map(|k| k.split(", ").count()), Some(9));
    assert_eq!(c.custom["mesh"][0], "Ataxia Telangiectasia Mutated Proteins/*genetics");
    // The reference list: 51 references in NLM's short form, with their PMIDs.
    assert_eq!(document.references.len(), 51);
    let first = &document.references[0];
    assert_eq!(first.container_title.as_deref(), Some("Cell Host Microbe"));
    assert_eq!((first.volume.as_deref(), first.issue.as_deref()), (Some("17"), Some("6")));
    assert_eq!(first.page.as_deref(), Some("811-819"));
    assert_eq!(first.pmid.as_deref(), Some("26048136"));

    // A `MedlineDate` range and an abbreviated range.
    let old = &parse_paths(&[dir.join("pmid_151222.xml")], None).documents[0].citation;
    assert_eq!(old.issued.as_ref().and_then(|d| d.date_parts.first().cloned()), Some(vec![1978, 7]));
    assert_eq!(old.issued.as_ref().and_then(|d| d.raw.as_deref()), Some("1978 Jul-Sep"));
    assert_eq!(
        cite::vancouver(old),
        "Alexandru E, Dobrescu G. Histochemical and histoenzymic researches in coronary sudden death. Morphol Embryol (Bucur). 1978 Jul;24(3):229-32."
    );
}

const STRUCTURED: &str = r#"<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2024//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_240101.dtd">
<PubmedArticleSet>
<PubmedArticle>
  <MedlineCitation Status="MEDLINE" Owner="NLM">
    <PMID Version="1">36727001</PMID>
    <Article PubModel="Print-Electronic">
      <Journal>
        <ISSN IssnType="Electronic">1532-1827</ISSN>
        <JournalIssue CitedMedium="Internet"><Volume>128</Volume><Issue>7</Issue>
          <PubDate><Year>2023</Year><Month>Mar</Month></PubDate></JournalIssue>
        <Title>British journal of cancer</Title>
        <ISOAbbreviation>Br J Cancer</ISOAbbreviation>
      </Journal>
      <ArticleTitle>Use of <i>blinatumomab</i> &amp; CAR T-cell therapy in children.</ArticleTitle>
      <Pagination><StartPage>1300</StartPage><EndPage>1307</EndPage><MedlinePgn>1300-1307</MedlinePgn></Pagination>
      <ELocationID EIdType="doi" ValidYN="Y">10.1038/s41416-023-02151-1</ELocationID>
      <Abstract>
        <AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">Relapsed ALL is
          hard to treat.</AbstractText>
        <AbstractText Label="METHODS" NlmCategory="METHODS">We reviewed 10<sup>3</sup> cases.</AbstractText>
        <AbstractText Label="CONCLUSIONS">Immunotherapy works &#x2013; mostly.</AbstractText>
      </Abstract>
      <AuthorList CompleteYN="Y">
        <Author ValidYN="Y"><LastName>Marx</LastName><ForeName>Vivien</ForeName><Initials>V</Initials>
          <Identifier Source="ORCID">0000-0002-1825-0097</Identifier>
          <AffiliationInfo><Affiliation>Charité, Berlin, Germany.</Affiliation></AffiliationInfo>
          <AffiliationInfo><Affiliation>BIH, Berlin, Germany.</Affiliation></AffiliationInfo>
        </Author>
        <Author ValidYN="Y"><LastName>Ng</LastName><Initials>AK</Initials></Author>
        <Author ValidYN="Y"><CollectiveName>Children's Oncology Group</CollectiveName></Author>
      </AuthorList>
      <Language>eng</Language>
      <PublicationTypeList><PublicationType UI="D016454">Review</PublicationType></PublicationTypeList>
    </Article>
    <CommentsCorrectionsList>
      <CommentsCorrections RefType="CommentIn"><RefSource>Nature. 2023</RefSource><PMID Version="1">99999999</PMID></CommentsCorrections>
    </CommentsCorrectionsList>
    <KeywordList Owner="NOTNLM"><Keyword MajorTopicYN="N">CAR T</Keyword><Keyword MajorTopicYN="N">ALL</Keyword></KeywordList>
  </MedlineCitation>
  <PubmedData>
    <ArticleIdList>
      <ArticleId IdType="pubmed">36727001</ArticleId>
      <ArticleId IdType="pmc">PMC10050001</ArticleId>
    </ArticleIdList>
    <ReferenceList>
      <Reference><Citation>Smith J. Free text reference. Blood 2020.</Citation>
        <ArticleIdList><ArticleId IdType="doi">10.1182/blood.2020</ArticleId></ArticleIdList></Reference>
    </ReferenceList>
  </PubmedData>
</PubmedArticle>
<PubmedArticle>
  <MedlineCitation><PMID>2</PMID><Article><ArticleTitle>Second</ArticleTitle></Article></MedlineCitation>
</PubmedArticle>
</PubmedArticleSet>
"#;

#[test]
fn structured_abstracts_group_authors_and_identifiers() {
    let output = parse_text("efetch.xml", STRUCTURED);
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
    assert_eq!(output.documents.len(), 2);
    let c = &output.documents[0].citation;
    assert_eq!(c.pmid.as_deref(), Some("36727001"), "not the PMID of the comment");
    assert_eq!(c.title.as_deref(), Some("Use of blinatumomab & CAR T-cell therapy in children."));
    assert_eq!(
        c.abstract_text.as_deref(),
        Some("BACKGROUND: Relapsed ALL is hard to treat.\nMETHODS: We reviewed 103 cases.\nCONCLUSIONS: Immunotherapy works – mostly.")
    );
    assert_eq!(c.author.len(), 3);
    assert_eq!(c.author[0].orcid.as_deref(), Some("https://orcid.org/0000-0002-1825-0097"));
    assert_eq!(c.author[0].affiliation.len(), 2);
    assert_eq!((c.author[1].family.as_deref(), c.author[1].given.as_deref()), (Some("Ng"), Some("AK")));
    assert_eq!(c.author[2].literal.as_deref(), Some("Children's Oncology Group"));
    assert_eq!(c.pmcid.as_deref(), Some("PMC10050001"));
    assert_eq!(c.doi.as_deref(), Some("10.1038/s41416-023-02151-1"));
    assert_eq!(c.page.as_deref(), Some("1300-1307"));
    assert_eq!(c.issued, Some(DateParts::ymd(2023, Some(3), None)));
    assert_eq!(c.keyword.as_deref(), Some("CAR T, ALL"));
    assert_eq!(c.language.as_deref(), Some("eng"));
    let reference = &output.documents[0].references[0];
    assert_eq!(reference.doi.as_deref(), Some("10.1182/blood.2020"));
    assert_eq!(reference.note.as_deref(), Some("Smith J. Free text reference. Blood 2020."));
    assert_eq!(
        cite::apa(c),
        "Marx, V., Ng, A. K., & Children's Oncology Group. (2023). Use of blinatumomab & CAR T-cell therapy in children. British Journal of Cancer, 128(7), 1300–1307. https://doi.org/10.1038/s41416-023-02151-1"
    );
    assert_eq!(output.documents[1].citation.title.as_deref(), Some("Second"));
}

#[test]
fn broken_and_cut_xml_end_in_diagnostics() {
    // Cut inside the second article: the first is whole, the second keeps its PMID.
    let cut = STRUCTURED.find("<ArticleTitle>Second").unwrap_or(0);
    let output = parse_text("cut.xml", &STRUCTURED[..cut]);
    assert_eq!(output.documents.len(), 2);
    assert_eq!(output.documents[0].citation.author.len(), 3);
    let warning = output.diagnostics.iter().find(|d| d.message.contains("ends inside an article")).expect("a warning");
    assert_eq!(warning.file, "cut.xml");
    assert!(warning.line.is_some());

    let broken = "<PubmedArticleSet>\n<PubmedArticle><MedlineCitation><PMID>1</PMID>\n<Article><ArticleTitle>T</Wrong></Article>";
    let output = load(&[InputFile { name: "broken.xml", bytes: broken.as_bytes() }], Some("pubmed-xml"));
    let error = output.diagnostics.iter().find(|d| d.severity == Severity::Error).expect("an error");
    assert_eq!((error.file.as_str(), error.line), ("broken.xml", Some(3)), "{error:?}");

    let output = load(&[InputFile { name: "empty.xml", bytes: b"<PubmedArticleSet/>" }], Some("pubmed-xml"));
    assert!(output.documents.is_empty());
    assert_eq!(output.diagnostics[0].line, Some(1));

    // Every prefix of the file: no panic.
    for cut in (0..STRUCTURED.len()).step_by(7) {
        if let Some(prefix) = STRUCTURED.get(..cut) {
            let _ = load(&[InputFile { name: "p.xml", bytes: prefix.as_bytes() }], Some("pubmed-xml"));
        }
    }
}
