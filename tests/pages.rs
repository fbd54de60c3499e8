//! The `page` format: saved article pages and catalog records into a CSL-JSON card, the title and
//! abstract as text, and the numbered references. The seeds are read from `shared/seeds`; the
//! pages written here are of the same kinds from other sites, to show that the rules are general.

mod common;

use common::{parse_paths, shared};
use litview::model::{Citation, Document, Name};
use litview::{load, InputFile};

fn page(text: &str) -> Document {
    let output = load(&[InputFile { name: "page.txt", bytes: text.as_bytes() }], Some("page"));
    assert_eq!(output.documents.len(), 1, "{:?}", output.diagnostics);
    output.documents.into_iter().next().unwrap()
}

fn seed(prefix: &str) -> Option<Document> {
    let dir = shared("seeds")?;
    let path =
        common::files_under(&dir).into_iter().find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))?;
    let sniff = litview::formats::by_id("page").unwrap().sniff;
    assert!(sniff(&std::fs::read_to_string(&path).unwrap()) >= 50, "{prefix}: the page format should claim it");
    let output = parse_paths(&[path], Some("page"));
    output.documents.into_iter().next()
}

fn names(authors: &[Name]) -> Vec<(&str, &str)> {
    authors.iter().map(|a| (a.family.as_deref().unwrap_or(""), a.given.as_deref().unwrap_or(""))).collect()
}

fn year(c: &Citation) -> Option<i32> {
    c.issued.as_ref().and_then(|d| d.year())
}

fn passage<'a>(doc: &'a Document, kind: &str) -> Option<&'a str> {
    let p = doc.passages.iter().find(|p| p.kind == kind)?;
    let start = doc.text.char_indices().nth(p.start).map_or(doc.text.len(), |(i, _)| i);
    let end = doc.text.char_indices().nth(p.end).map_or(doc.text.len(), |(i, _)| i);
    doc.text.get(start..end)
}

/// Title and abstract are the text, one newline apart, and are the card's.
fn assert_text_is_title_and_abstract(doc: &Document) {
    let title = doc.citation.title.as_deref().unwrap_or("");
    match doc.citation.abstract_text.as_deref() {
        Some(abstract_text) => assert_eq!(doc.text, format!("{title}\n{abstract_text}")),
        None => assert_eq!(doc.text, title),
    }
    assert_eq!(passage(doc, "title"), doc.citation.title.as_deref());
    assert_eq!(passage(doc, "abstract"), doc.citation.abstract_text.as_deref());
}

/// Nothing of the page's chrome is text.
fn assert_no_furniture(doc: &Document) {
    for junk in [
        "Rent or buy",
        "Google Scholar",
        "Download citation",
        "Tags: Add Tag",
        "Skip to main content",
        "cookies",
        "subscription content",
        "Full description",
    ] {
        assert!(!doc.text.contains(junk), "'{junk}' is in the text");
    }
}

// ---------------------------------------------------------------------------------------------
// Seeds

#[test]
fn seed_000_catalog_record() {
    let Some(doc) = seed("000_") else { return };
    let c = &doc.citation;
    assert_eq!(c.title.as_deref(), Some("Blinatumomab as a Curative Therapy Option for Relapsed/Refractory Infant Acute Lymphoblastic Leukemia Post-Hematopoietic Stem Cell Transplantation - Case Report"));
    assert_eq!(
        names(&c.author),
        [
            ("Zhumatayev", "Suleimen"),
            ("Yalcin", "Koray"),
            ("Celen", "Safiye Suna"),
            ("Uygun", "Vedat"),
            ("Karasu", "Gulsun"),
            ("Yesilipek", "Mehmet Akif")
        ]
    );
    assert_eq!(
        c.kind.as_deref(),
        Some("article-journal"),
        "an ISSN and no ISBN: a journal article, whatever the catalog says"
    );
    assert_eq!(c.custom.get("catalogFormat").and_then(|v| v.as_str()), Some("Book"));
    assert_eq!(c.publisher.as_deref(), Some("The Korean Society of Pediatric Hematology-Oncology"));
    assert_eq!(c.issued.as_ref().map(|d| d.date_parts.clone()), Some(vec![vec![2024, 4, 1]]));
    assert_eq!(c.doi.as_deref(), Some("10.15264/cpho.2024.31.1.10"));
    assert_eq!(c.issn.as_deref(), Some("2233-5250"));
    let abstract_text = c.abstract_text.as_deref().unwrap();
    assert!(
        abstract_text.starts_with("Acute lymphoblastic leukemia (ALL) is the most common type of cancer in children")
    );
    assert!(
        abstract_text.ends_with("for patients who cannot receive further HSCT."),
        "the full summary, not the teaser"
    );
    assert!(!abstract_text.contains("..."));
    assert_eq!(abstract_text.matches("Hematopoietic stem cell transplantation (HSCT) is").count(), 1);
    // The catalog gives no journal name, volume, issue, pages or keywords.
    assert_eq!((&c.container_title, &c.volume, &c.issue, &c.page, &c.keyword), (&None, &None, &None, &None, &None));
    assert_text_is_title_and_abstract(&doc);
    assert_no_furniture(&doc);
}

#[test]
fn seed_001_journal_platform() {
    let Some(doc) = seed("001_") else { return };
    let c = &doc.citation;
    assert_eq!(c.title.as_deref(), Some("The role of blinatumomab in the treatment of B-cell relapses of acute lymphoblastic leukemia in children: own experience"));
    let expected = [
        ("Vavilova", "L. A.", Some("0000-0001-7959-3512")),
        ("Dyakonova", "Yu. Yu.", Some("0000-0002-8725-7532")),
        ("Bydanov", "O. I.", Some("0000-0003-3232-2322")),
        ("Myakova", "N. V.", Some("0000-0002-4779-1896")),
        ("Abugova", "Yu. G.", Some("0000-0001-5201-6475")),
        ("Anderzhanova", "L. Kh.", Some("0000-0002-3247-8688")),
        ("Evstratov", "D. A.", Some("0000-0003-2801-7421")),
        ("Kurnikova", "E. E.", Some("0000-0003-4767-5382")),
        ("Popov", "A. M.", Some("0000-0002-0889-6986")),
        ("Olshanskaya", "Yu. V.", Some("0000-0002-2352-7716")),
        ("Maschan", "M. A.", Some("0000-0003-1735-0093")),
        ("Shelikhova", "L. N.", Some("0000-0003-0520-5630")),
        ("Litvinov", "D. V.", None),
        ("Popa", "A. V.", Some("0000-0001-5318-8033")),
        ("Karachunskiy", "A. I.", None),
    ];
    assert_eq!(c.author.len(), expected.len());
    for (author, (family, given, orcid)) in c.author.iter().zip(expected) {
        assert_eq!((author.family.as_deref(), author.given.as_deref()), (Some(family), Some(given)));
        assert_eq!(author.orcid, orcid.map(|o| format!("https://orcid.org/{o}")), "{family}");
        assert_eq!(author.affiliation.len(), 1, "{family}");
        assert!(author.affiliation[0].name.starts_with("The Dmitry Rogachev National Medical Research Center"));
    }
    assert_eq!(c.author[0].email.as_deref(), Some("ludmila.vavilova@fccho-moscow.ru"));
    assert!(c.author[1..].iter().all(|a| a.email.is_none()));
    assert_eq!(c.license.as_deref(), Some("Creative Commons Attribution 4.0 International License"));
    let abstract_text = c.abstract_text.as_deref().unwrap();
    assert!(abstract_text.starts_with("Acute lymphoblastic leukemia (ALL) is the most common malignancy in children."));
    assert!(abstract_text.ends_with("children with the high-risk group relapsed B-cell ALL."));
    // The page names no journal, volume, date or DOI: none is invented (the copyright year is not
    // the publication date).
    assert_eq!((&c.container_title, &c.volume, &c.issued, &c.doi, &c.issn), (&None, &None, &None, &None, &None));
    assert!(doc.references.is_empty(), "the references section is empty on the page");
    assert_text_is_title_and_abstract(&doc);
    assert_no_furniture(&doc);
    assert!(!doc.text.contains("Cover Page") && !doc.text.contains("JATS XML"));
}

#[test]
fn seed_002_aggregator() {
    let Some(doc) = seed("002_") else { return };
    let c = &doc.citation;
    assert_eq!(c.title.as_deref(), Some("Case Report: Blinatumomab therapy for the treatment of B-cell acute lymphoblastic leukemia patients with central nervous system infiltration"));
    assert_eq!(c.container_title.as_deref(), Some("FRONTIERS IN IMMUNOLOGY"));
    assert_eq!(c.volume.as_deref(), Some("14"));
    assert_eq!((&c.issue, &c.page), (&None, &None), "`Issue -, Pages -` gives none");
    assert_eq!(c.publisher.as_deref(), Some("FRONTIERS MEDIA SA"));
    assert_eq!(c.doi.as_deref(), Some("10.3389/fimmu.2023.1181620"));
    assert_eq!(
        c.keyword.as_deref(),
        Some("acute lymphoblastic leukemia, chronic myeloid leukemia, blast phase, blinatumomab, central nervous system leukemia, immunotherapy")
    );
    assert!(c.author.is_empty(), "the page lists no author");
    let abstract_text = c.abstract_text.as_deref().unwrap();
    assert!(abstract_text.starts_with("The treatment of B-cell acute lymphoblastic leukemia (B-ALL) with central nervous system (CNS) involvement poses"));
    assert!(abstract_text.ends_with("a potential option for the treatment of CNS leukemia."));
    assert!(
        !abstract_text.contains("is challenging due to weak permeability"),
        "the one-paragraph summary is not kept"
    );
    assert!(!doc.text.contains("4.8"));
    assert_text_is_title_and_abstract(&doc);
}

#[test]
fn seed_004_publisher_page_with_references() {
    let Some(doc) = seed("004_") else { return };
    let c = &doc.citation;
    assert_eq!(c.title.as_deref(), Some("Experience of blinatumomab salvage for patients with acute lymphoblastic leukemia presenting with isolated extramedullary relapse after previous allogeneic hematopoietic cell transplantation"));
    assert_eq!(names(&c.author), [("Yoon", "S.y."), ("Yoon", "JH."), ("Min", "G.J.")]);
    assert_eq!(c.container_title.as_deref(), Some("Bone Marrow Transplant"));
    assert_eq!((c.volume.as_deref(), c.page.as_deref(), year(c)), (Some("55"), Some("1469–1472"), Some(2020)));
    assert_eq!(c.doi.as_deref(), Some("10.1038/s41409-019-0708-9"));
    assert_eq!(c.other.get("genre").and_then(|v| v.as_str()), Some("Correspondence"));
    assert_eq!(c.abstract_text, None, "a paywall notice is not an abstract");
    assert_eq!(doc.text, c.title.clone().unwrap());
    let funding = c.custom.get("funding").and_then(|f| f.as_array()).expect("funding");
    assert_eq!(funding.len(), 2);
    assert_eq!(funding[0]["award"], "NRF-2017R1D1A1B03029283");
    assert!(funding[0]["funder"].as_str().unwrap().contains("National Research Foundation of Korea"));
    assert_eq!(funding[1]["award"], "ZC17SISI0412");
    assert!(funding[1]["funder"].as_str().unwrap().contains("Seoul St. Mary’s Hospital"));

    let expected = [
        ("Fielding", "Blood", "109", "944–50", 2007, "10.1182/blood-2006-05-018192"),
        ("Tavernier", "Leukemia", "21", "1907–14", 2007, "10.1038/sj.leu.2404824"),
        ("Oriol", "Haematologica", "95", "589–96", 2010, "10.3324/haematol.2009.014274"),
        ("Gokbuget", "Blood", "120", "2032–41", 2012, "10.1182/blood-2011-12-399287"),
        ("Kantarjian", "N Engl J Med", "376", "836–47", 2017, "10.1056/NEJMoa1609783"),
        ("Aldoss", "Am J Hematol", "92", "858–65", 2017, "10.1002/ajh.24783"),
        ("Gokbuget", "Blood", "131", "1522–31", 2018, "10.1182/blood-2017-08-798322"),
        ("Cho", "Leukemia", "23", "1763–70", 2009, "10.1038/leu.2009.102"),
        ("Eom", "Am J Hematol", "88", "634–41", 2013, "10.1002/ajh.23465"),
        ("Yoon", "Cancer", "", "", 2018, "10.1002/cncr.31874"),
        ("Bakst", "Blood", "118", "3785–93", 2011, "10.1182/blood-2011-04-347229"),
        ("Ge", "Biol Blood Marrow Transplant", "20", "1040–47", 2014, "10.1016/j.bbmt.2014.03.030"),
        ("Shem-Tov", "Biol Blood Marrow Transplant", "23", "1087–94", 2017, "10.1016/j.bbmt.2017.03.023"),
        ("Domenech", "Eur J Cancer", "44", "2461–9", 2008, "10.1016/j.ejca.2008.08.007"),
        ("Davids", "N Engl J Med", "375", "143–53", 2016, "10.1056/NEJMoa1601202"),
    ];
    assert_eq!(doc.references.len(), 15);
    for (r, (family, journal, volume, pages, y, doi)) in doc.references.iter().zip(expected) {
        assert_eq!(r.author.first().and_then(|a| a.family.as_deref()), Some(family));
        assert_eq!(r.container_title.as_deref(), Some(journal), "{doi}");
        assert_eq!(r.volume.as_deref().unwrap_or(""), volume, "{doi}");
        assert_eq!(r.page.as_deref().unwrap_or(""), pages, "{doi}");
        assert_eq!(year(r), Some(y), "{doi}");
        assert_eq!(r.doi.as_deref(), Some(doi));
        let note = r.note.as_deref().unwrap();
        assert!(note.contains(doi) && !note.contains("Google Scholar"), "{note}");
        assert!(r.title.as_deref().is_some_and(|t| t.len() > 20));
    }
    assert_eq!(names(&doc.references[0].author)[..2], [("Fielding", "A. K."), ("Richards", "S. M.")]);
    assert_eq!(doc.references[0].author.len(), 6, "the six names before `et al.`");
    assert_eq!(doc.references[10].author.len(), 4);
    assert_no_furniture(&doc);
}

#[test]
fn seed_003_is_not_a_page() {
    let Some(dir) = shared("seeds") else { return };
    let Some(path) =
        common::files_under(&dir).into_iter().find(|p| p.file_name().unwrap().to_string_lossy().starts_with("003_"))
    else {
        return;
    };
    let sniff = litview::formats::by_id("page").unwrap().sniff;
    assert_eq!(sniff(&std::fs::read_to_string(path).unwrap()), 0);
}

// ---------------------------------------------------------------------------------------------
// Pages of the same kinds from other sites

const CATALOG_BOOK: &str = "Pediatric leukemia: a handbook for clinicians

Full description

Saved in:
Bibliographic Details
Main Authors: Jansen, Pieter (Author), van der Berg, Anna (Author)
Other Authors: Müller, Hans (Editor)
Format: Book
Language: English
Published: Berlin : Springer, 2019.
Subjects: Leukemia; Pediatrics; Hematology
ISBN: 978-3-030-12345-6
Physical Description: xii, 340 pages
Tags: Add Tag
No Tags, Be the first to tag this record!
";

#[test]
fn another_catalog_record_a_real_book() {
    let doc = page(CATALOG_BOOK);
    let c = &doc.citation;
    assert_eq!(c.kind.as_deref(), Some("book"), "Format: Book with an ISBN is a book");
    assert_eq!(c.title.as_deref(), Some("Pediatric leukemia: a handbook for clinicians"));
    assert_eq!(names(&c.author), [("Jansen", "Pieter"), ("Berg", "Anna")]);
    assert_eq!(c.author[1].non_dropping_particle.as_deref(), Some("van der"));
    let editors = c.other.get("editor").and_then(|e| e.as_array()).expect("editor");
    assert_eq!(editors[0]["family"], "Müller");
    assert_eq!(c.publisher.as_deref(), Some("Springer"));
    assert_eq!(c.other.get("publisher-place").and_then(|v| v.as_str()), Some("Berlin"));
    assert_eq!(year(c), Some(2019));
    assert_eq!(c.language.as_deref(), Some("English"));
    assert_eq!(c.keyword.as_deref(), Some("Leukemia, Pediatrics, Hematology"));
    assert_eq!(c.other.get("ISBN").and_then(|v| v.as_str()), Some("978-3-030-12345-6"));
    assert_eq!((&c.doi, &c.issn, &c.abstract_text, &c.container_title), (&None, &None, &None, &None));
    assert_eq!(doc.text, "Pediatric leukemia: a handbook for clinicians");
}

const JOURNAL_PAGE: &str = "Skip to main content
Menu
Research Article
Open Access

CD19-directed bispecific antibodies in pediatric relapsed leukemia: a single-center cohort

Maria Rossi1, Jan de Vries2, Wei Zhang1*

Journal: Pediatric Blood & Cancer
Vol. 70, No. 4, pp. e30211
Published: 14 March 2023
ISSN 1545-5009
https://doi.org/10.1002/pbc.30211

Abstract

Background: Bispecific T-cell engagers have changed salvage therapy for relapsed B-cell precursor leukemia, but pediatric data outside trials remain scarce.
Methods: We reviewed all children treated with blinatumomab at our center between 2016 and 2021 and recorded response, toxicity and survival.
Results: Of 41 children, 29 reached complete remission with negative minimal residual disease; cytokine release syndrome was mild in all but two.

Keywords: blinatumomab, pediatric leukemia, immunotherapy, minimal residual disease

Authors

Maria Rossi
Department of Pediatric Hematology, University of Padua, Padua, Italy
ORCID: https://orcid.org/0000-0002-1825-0097
Email: m.rossi@example.org

Jan de Vries
Princess Maxima Center for Pediatric Oncology, Utrecht, the Netherlands
ORCID iD: 0000-0002-1825-0098

Wei Zhang
Department of Hematology, Peking University People's Hospital, Beijing, China

Funding: This work was supported by the National Natural Science Foundation of China (grant no. 81970156).

License: CC BY 4.0 https://creativecommons.org/licenses/by/4.0/

Cited by

Another article on the same topic. https://doi.org/10.9999/other.2024.1
";

#[test]
fn another_journal_page() {
    let doc = page(JOURNAL_PAGE);
    let c = &doc.citation;
    assert_eq!(c.kind.as_deref(), Some("article-journal"));
    assert_eq!(c.other.get("genre").and_then(|v| v.as_str()), Some("Research Article"));
    assert_eq!(
        c.title.as_deref(),
        Some("CD19-directed bispecific antibodies in pediatric relapsed leukemia: a single-center cohort")
    );
    assert_eq!(names(&c.author), [("Rossi", "Maria"), ("Vries", "Jan"), ("Zhang", "Wei")]);
    assert_eq!(c.author[1].non_dropping_particle.as_deref(), Some("de"));
    assert_eq!(c.author[0].orcid.as_deref(), Some("https://orcid.org/0000-0002-1825-0097"));
    assert_eq!(c.author[1].orcid, None, "a wrong check digit is no ORCID");
    assert_eq!(c.author[0].email.as_deref(), Some("m.rossi@example.org"));
    assert_eq!(
        c.author[0].affiliation[0].name,
        "Department of Pediatric Hematology, University of Padua, Padua, Italy"
    );
    assert_eq!(
        c.author[2].affiliation[0].name,
        "Department of Hematology, Peking University People's Hospital, Beijing, China"
    );
    assert_eq!(c.container_title.as_deref(), Some("Pediatric Blood & Cancer"));
    assert_eq!((c.volume.as_deref(), c.issue.as_deref(), c.page.as_deref()), (Some("70"), Some("4"), Some("e30211")));
    assert_eq!(c.issued.as_ref().map(|d| d.date_parts.clone()), Some(vec![vec![2023, 3, 14]]));
    assert_eq!(c.issn.as_deref(), Some("1545-5009"));
    assert_eq!(c.doi.as_deref(), Some("10.1002/pbc.30211"), "not the DOI of what cites it");
    assert_eq!(c.keyword.as_deref(), Some("blinatumomab, pediatric leukemia, immunotherapy, minimal residual disease"));
    assert_eq!(c.license.as_deref(), Some("https://creativecommons.org/licenses/by/4.0/"));
    let funding = c.custom.get("funding").and_then(|f| f.as_array()).expect("funding");
    assert_eq!(funding[0]["award"], "81970156");
    assert_eq!(funding[0]["funder"], "National Natural Science Foundation of China");
    let abstract_text = c.abstract_text.as_deref().unwrap();
    assert!(abstract_text.starts_with("Background: Bispecific"));
    assert!(abstract_text.ends_with("mild in all but two."));
    assert_eq!(abstract_text.lines().count(), 3, "a structured abstract keeps its paragraphs");
    assert!(!abstract_text.contains("Keywords"));
    assert_text_is_title_and_abstract(&doc);
    assert!(!doc.text.contains("Open Access"));
}

const PUBLISHER_PAGE: &str = "We use cookies to improve your experience. Accept all cookies
Skip to main content

  • Review Article
  • Published: 02 June 2021

Long-term outcomes of CAR T-cell therapy in adults with B-cell malignancies

This is a preview of subscription content, access via your institution

Access options

Buy article PDF

References

  [1] Maude SL, Laetsch TW, Buechner J, Rives S, Boyer M, Bittencourt H, et al. Tisagenlecleucel in children and young adults with B-cell lymphoblastic leukemia. N Engl J Med. 2018 Feb 1;378(5):439-48. doi: 10.1056/NEJMoa1709866. PMID: 29385370.

    PubMed  Google Scholar

  [2] Horby P, Lim WS, Emberson JR. Dexamethasone in hospitalized patients with Covid-19. Lancet. 2020;396(10249):e1-2. https://doi.org/10.1016/S0140-6736(20)30183-5.

  [3] RECOVERY Collaborative Group. Effect of a therapy. Lancet Haematol. 2021;8:e10.

Download references

Cite this article

Smith, J.A., van den Bosch, K. & Lee, H. Long-term outcomes of CAR T-cell therapy in adults with B-cell malignancies. Nat Rev Clin Oncol 18, 555–570 (2021). https://doi.org/10.1038/s41571-021-00512-1

Download citation
";

#[test]
fn another_publisher_page_with_references() {
    let doc = page(PUBLISHER_PAGE);
    let c = &doc.citation;
    assert_eq!(c.title.as_deref(), Some("Long-term outcomes of CAR T-cell therapy in adults with B-cell malignancies"));
    assert_eq!(c.other.get("genre").and_then(|v| v.as_str()), Some("Review Article"));
    assert_eq!(c.issued.as_ref().map(|d| d.date_parts.clone()), Some(vec![vec![2021, 6, 2]]));
    assert_eq!(names(&c.author), [("Smith", "J.A."), ("Bosch", "K."), ("Lee", "H.")]);
    assert_eq!(c.author[1].non_dropping_particle.as_deref(), Some("van den"));
    assert_eq!(c.container_title.as_deref(), Some("Nat Rev Clin Oncol"));
    assert_eq!((c.volume.as_deref(), c.page.as_deref()), (Some("18"), Some("555–570")));
    assert_eq!(c.doi.as_deref(), Some("10.1038/s41571-021-00512-1"), "the article's DOI, not its first reference's");
    assert_eq!(c.abstract_text, None);
    assert_eq!(doc.references.len(), 3);
    let r = &doc.references[0];
    assert_eq!(r.author.len(), 6);
    assert_eq!((r.volume.as_deref(), r.issue.as_deref(), r.page.as_deref()), (Some("378"), Some("5"), Some("439-48")));
    assert_eq!((r.doi.as_deref(), r.pmid.as_deref()), (Some("10.1056/NEJMoa1709866"), Some("29385370")));
    let r = &doc.references[1];
    assert_eq!(r.doi.as_deref(), Some("10.1016/S0140-6736(20)30183-5"));
    assert_eq!(
        (r.volume.as_deref(), r.issue.as_deref(), r.page.as_deref()),
        (Some("396"), Some("10249"), Some("e1-2"))
    );
    assert_eq!(r.title.as_deref(), Some("Dexamethasone in hospitalized patients with Covid-19"));
    let r = &doc.references[2];
    assert_eq!(r.doi, None);
    assert_eq!(year(r), Some(2021));
    assert!(r.note.as_deref().unwrap().starts_with("RECOVERY Collaborative Group."));
    assert_no_furniture(&doc);
    assert!(!doc.text.contains("Buy article"));
}

#[test]
fn sparse_pages_invent_nothing() {
    // A title and a paragraph: no author, journal, date or identifier comes out of nowhere.
    let doc = page("A study of something important in children\n\nWe studied something important in a large group of children over many years, and we found that the important thing mattered more than expected. The results suggest further work. Nothing else is said here at all.\n");
    let c = &doc.citation;
    assert_eq!(c.title.as_deref(), Some("A study of something important in children"));
    assert!(c.abstract_text.as_deref().unwrap().starts_with("We studied something"));
    assert!(c.author.is_empty());
    assert_eq!((&c.container_title, &c.volume, &c.issue, &c.page, &c.issued), (&None, &None, &None, &None, &None));
    assert_eq!((&c.doi, &c.issn, &c.keyword, &c.license, &c.publisher), (&None, &None, &None, &None, &None));
    assert!(c.custom.is_empty());
    assert_eq!(c.kind.as_deref(), Some("article-journal"));

    // A DOI alone.
    let doc = page("DOI: 10.1000/xyz123.\n");
    assert_eq!(doc.citation.doi.as_deref(), Some("10.1000/xyz123"));
    assert_eq!((&doc.citation.title, &doc.citation.abstract_text), (&None, &None));
    assert_eq!(doc.text, "");

    // Corrupted identifiers are dropped, not stored.
    let doc = page("Some title of an article\nISSN: 2233-5251\nORCID: 0000-0001-7959-3513\nDOI: 10.12/abc\n");
    assert_eq!((&doc.citation.issn, &doc.citation.doi), (&None, &None));
    assert!(doc.citation.author.is_empty());

    // A truncated teaser alone is kept, and said to be incomplete.
    let text = "Title of a record in a catalog\n\nThis is the start of a summary that the catalog cuts short after a number of words because it is only a teaser for the full record, which...\n";
    let output = load(&[InputFile { name: "t.txt", bytes: text.as_bytes() }], Some("page"));
    assert!(output.diagnostics.iter().any(|d| d.message.contains("incomplete")));
}

#[test]
fn detection_claims_pages_and_nothing_structured() {
    let sniff = litview::formats::by_id("page").unwrap().sniff;
    for text in [CATALOG_BOOK, JOURNAL_PAGE, PUBLISHER_PAGE] {
        assert!((50..=60).contains(&sniff(text)), "{}", &text[..40]);
    }
    assert_eq!(sniff("36727001|t|Title\n36727001|a|Abstract. DOI: 10.1000/xyz\n"), 0);
    assert_eq!(sniff("T1\tDisease 0 8\tleukemia\nT2\tChemical 10 22\tblinatumomab\n"), 0);
    assert_eq!(sniff("Just a sentence.\n"), 0);
    assert_eq!(litview::detect::detect("page.txt", JOURNAL_PAGE).format.id, "page");
}

#[test]
fn no_input_makes_it_panic() {
    let mut inputs: Vec<String> = [
        "",
        "\n",
        "Abstract",
        "Abstract\n",
        "References\n1.",
        "References\n[",
        "References\n[1",
        "1.",
        "DOI:",
        "DOI: 10.",
        "•",
        "• ",
        "Main Authors: (",
        "Main Authors: ()",
        "Main Authors: ) (",
        "Published: ,",
        "Volume",
        "Volume -",
        "Vol.",
        "Journal\n",
        "Cite this article\n(2020). ",
        "Funding: (",
        "Funding: supported by (grant",
        "Keywords\n;;;",
        "ORCID iD: 0000-",
        "Summary:...",
        "Title: \u{200b}",
        "ü\u{301}ö Abstract ß\n1. ü. ö. 2020;1(2):3.",
        "Item Description:\n\n",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    inputs.push(format!("{}\n", "x ".repeat(50_000)));
    inputs.extend([CATALOG_BOOK, JOURNAL_PAGE, PUBLISHER_PAGE].iter().flat_map(|page| {
        // Every cut of the pages: parsers meet half a line at the end of every truncated file.
        let cuts: Vec<usize> = page.char_indices().map(|(i, _)| i).step_by(7).collect();
        cuts.into_iter().map(move |at| page[..at].to_string())
    }));
    for input in inputs {
        let _ = load(&[InputFile { name: "x.txt", bytes: input.as_bytes() }], Some("page"));
    }
}
