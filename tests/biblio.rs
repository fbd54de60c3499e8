//! Bibliographic formats: RIS (and Web of Science), MEDLINE, BibTeX and CSL-JSON readers on the
//! public corpora, round trips through the writers, citation styles, and hostile input.

mod common;

use std::path::{Path, PathBuf};

use common::{files_under, parse_paths, shared};
use litview::model::{Citation, DateParts, Name};
use litview::{cite, load, InputFile, Output, Severity};

/// The reader each corpus file is for, by where it lies; `None` for files of other formats.
fn format_of(path: &Path) -> Option<&'static str> {
    let name = path.to_string_lossy();
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if name.contains("pubmed-xml") {
        Some("pubmed-xml")
    } else if name.contains("/nbib/") || name.ends_with("PubMed_example.txt") {
        Some("medline")
    } else if ext == "bib" {
        Some("bibtex")
    } else if ext == "json" {
        Some("csl-json")
    } else if matches!(ext, "ris" | "ciw" | "txt") {
        Some("ris")
    } else {
        None
    }
}

/// How many records the file holds, counted as simply as possible, without the readers.
fn expected_records(path: &Path, format: &str) -> usize {
    let bytes = std::fs::read(path).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let lines = || text.lines().map(|l| l.trim_end_matches('\r').trim_start_matches('\u{feff}'));
    match format {
        "ris" if lines().next().is_some_and(|l| l.starts_with("FN ")) => lines().filter(|l| *l == "ER").count(),
        "ris" => lines().filter(|l| l.starts_with("ER  -")).count(),
        "medline" => lines().filter(|l| l.starts_with("PMID-")).count(),
        "bibtex" => lines()
            .filter(|l| l.trim_start().starts_with('@'))
            .filter(|l| {
                let l = l.trim_start().to_ascii_lowercase();
                !(l.starts_with("@string") || l.starts_with("@comment") || l.starts_with("@preamble"))
            })
            .count(),
        "pubmed-xml" => text.matches("<PubmedArticle>").count(),
        "csl-json" => match serde_json::from_str::<serde_json::Value>(&text).unwrap() {
            serde_json::Value::Array(items) => items.len(),
            _ => 1,
        },
        _ => unreachable!(),
    }
}

fn corpus() -> Vec<(PathBuf, &'static str)> {
    let Some(dir) = shared("data/biblio") else { return Vec::new() };
    files_under(&dir)
        .into_iter()
        .filter_map(|path| match format_of(&path) {
            Some(format) => Some((path, format)),
            None => {
                println!("skipped: {} is not in a format these readers cover", path.display());
                None
            }
        })
        .collect()
}

#[test]
fn every_corpus_file_parses_with_the_expected_record_count() {
    let files = corpus();
    for (path, format) in &files {
        // Detection must find the format on its own.
        let output = parse_paths(std::slice::from_ref(path), None);
        let detected: Vec<&str> = output.documents.iter().map(|d| d.source.format.as_str()).collect();
        assert!(detected.iter().all(|f| f == format), "{}: detected {detected:?}, expected {format}", path.display());
        assert_eq!(
            output.documents.len(),
            expected_records(path, format),
            "{}: {:#?}",
            path.display(),
            output.diagnostics
        );
        assert!(
            output.diagnostics.iter().all(|d| d.severity != Severity::Error),
            "{}: {:#?}",
            path.display(),
            output.diagnostics
        );
        for document in &output.documents {
            assert!(document.annotations.is_empty());
            if let Some(title) = &document.citation.title {
                assert!(document.text.starts_with(title.as_str()), "{}", path.display());
            }
        }
    }
    if !files.is_empty() {
        assert!(files.len() >= 35, "only {} corpus files", files.len());
    }
}

#[test]
fn medline_fields_and_page_ranges() {
    let Some(dir) = shared("data/biblio/nbib") else { return };
    let output = parse_paths(&[dir.join("pmc_medlars.txt"), dir.join("single.nbib")], None);
    let methods = &output.documents[0].citation;
    assert_eq!(methods.pmid.as_deref(), Some("30042925"));
    assert_eq!(methods.pmcid.as_deref(), Some("PMC6055010"));
    // `PG  - 283-98` in the file.
    assert_eq!(methods.page.as_deref(), Some("283-298"));
    assert_eq!(methods.doi.as_deref(), Some("10.1016/j.mex.2018.03.007"));
    assert!(methods.abstract_text.is_none(), "the empty `AB  - ` is no abstract");
    let single = &output.documents.last().unwrap().citation;
    assert_eq!(single.author.len(), 3);
    assert_eq!(single.author[0].affiliation.len(), 3);
    assert_eq!(
        single.author[0].affiliation[2].name,
        "Department of Neuroradiology, Toronto Western Hospital, University of Toronto, Toronto, Ontario, Canada."
    );
    assert_eq!(single.author[1].affiliation.len(), 1);
    assert_eq!(single.issued, Some(DateParts::ymd(2018, Some(4), None)));
    assert_eq!(single.issn.as_deref(), Some("1759-8486"));
    assert_eq!(single.keyword.as_deref(), Some("mechanical thrombectomy, stroke"));
    assert_eq!(single.custom["mesh"][1], "Brain Ischemia/diagnostic imaging/*surgery");
    let text = parse_text_as("abbreviated.nbib", "PMID- 1\nTI  - T\nPG  - 6913-7\n", "medline");
    assert_eq!(text.documents[0].citation.page.as_deref(), Some("6913-6917"));
}

#[test]
fn bibtex_accents_and_names() {
    let text = r#"@string{nejm = "N Engl J Med"}
@article{k,
  author = {Gonz{\'a}lez, Jos{\'e} and M{\"u}ller, J{\"o}rg and {\AA}str{\"o}m, Karl and Fran\c{c}ois Pe\~na and {European Leukemia Net}},
  title = {Stra{\ss}e {\o}re na\"{\i}ve},
  journal = nejm # {, Suppl},
  year = {2019}, month = dec
}"#;
    let output = parse_text_as("a.bib", text, "bibtex");
    let c = &output.documents[0].citation;
    let families: Vec<_> =
        c.author.iter().map(|a| a.family.clone().or(a.literal.clone()).unwrap_or_default()).collect();
    assert_eq!(families, ["González", "Müller", "Åström", "Peña", "European Leukemia Net"]);
    assert_eq!(c.author[0].given.as_deref(), Some("José"));
    assert_eq!(c.author[3].given.as_deref(), Some("François"));
    assert_eq!(c.title.as_deref(), Some("Straße øre naïve"));
    assert_eq!(c.container_title.as_deref(), Some("N Engl J Med, Suppl"));
    assert_eq!(c.issued, Some(DateParts::ymd(2019, Some(12), None)));
}

#[test]
fn ris_to_csl_json_to_ris_keeps_every_field() {
    let mut checked = 0;
    for (path, format) in corpus().into_iter().filter(|(_, f)| *f == "ris") {
        let original = parse_paths(std::slice::from_ref(&path), Some(format));
        let citations: Vec<Citation> = original.documents.iter().map(|d| d.citation.clone()).collect();
        let json = cite::to_csl_json(&citations);
        let from_json = parse_text_as("back.json", &json, "csl-json");
        assert_eq!(from_json.documents.len(), citations.len(), "{}: {:?}", path.display(), from_json.diagnostics);
        let again: Vec<Citation> = from_json.documents.iter().map(|d| d.citation.clone()).collect();
        let ris = cite::to_ris(&again);
        let back = parse_text_as("back.ris", &ris, "ris");
        assert_eq!(back.documents.len(), citations.len(), "{}:\n{ris}", path.display());
        for (before, after) in citations.iter().zip(back.documents.iter().map(|d| &d.citation)) {
            assert_same_record(before, after, &path);
            checked += 1;
        }
    }
    println!("{checked} RIS records went through CSL-JSON and back");
}

fn assert_same_record(before: &Citation, after: &Citation, path: &Path) {
    let what = format!("{}: {:?}", path.display(), before.title);
    assert_eq!(before.title, after.title, "{what}");
    assert_eq!(names(&before.author), names(&after.author), "{what}");
    assert_eq!(before.container_title, after.container_title, "{what}");
    assert_eq!(before.volume, after.volume, "{what}");
    assert_eq!(before.issue, after.issue, "{what}");
    assert_eq!(before.page, after.page, "{what}");
    assert_eq!(before.issued.as_ref().and_then(|d| d.year()), after.issued.as_ref().and_then(|d| d.year()), "{what}");
    assert_eq!(before.doi, after.doi, "{what}");
    assert_eq!(before.keyword, after.keyword, "{what}");
    assert_eq!(before.abstract_text, after.abstract_text, "{what}");
    assert_eq!(before.url, after.url, "{what}");
    assert_eq!(before.issn, after.issn, "{what}");
    assert_eq!(before.kind, after.kind, "{what}");
}

fn names(authors: &[Name]) -> Vec<(Option<String>, Option<String>, Option<String>)> {
    authors.iter().map(|a| (a.family.clone(), a.given.clone(), a.literal.clone())).collect()
}

#[test]
fn bibtex_and_medline_survive_the_writers() {
    let mut checked = 0;
    for (path, _) in corpus().into_iter().filter(|(_, f)| matches!(*f, "bibtex" | "medline")) {
        let original = parse_paths(std::slice::from_ref(&path), None);
        let citations: Vec<Citation> = original.documents.iter().map(|d| d.citation.clone()).collect();
        let bib = cite::to_bibtex(&citations);
        let back = parse_text_as("back.bib", &bib, "bibtex");
        assert_eq!(back.documents.len(), citations.len(), "{}:\n{bib}", path.display());
        for (before, after) in citations.iter().zip(back.documents.iter().map(|d| &d.citation)) {
            assert_eq!(before.title, after.title);
            assert_eq!(names(&before.author), names(&after.author), "{}", path.display());
            assert_eq!(before.page, after.page);
            assert_eq!(before.doi, after.doi);
            assert_eq!(before.issued.as_ref().and_then(|d| d.year()), after.issued.as_ref().and_then(|d| d.year()));
            checked += 1;
        }
        let ris = cite::to_ris(&citations);
        assert_eq!(parse_text_as("back.ris", &ris, "ris").documents.len(), citations.len());
    }
    println!("{checked} BibTeX and MEDLINE records went through BibTeX and back");
}

#[test]
fn citation_styles_match_hand_checked_references() {
    let medline = "PMID- 28754806\nVI  - 10\nIP  - 4\nDP  - 2018 Apr\nTI  - Impact of balloon guide catheter on technical and clinical outcomes: a systematic \n      review and meta-analysis.\nPG  - 335-339\nFAU - Brinjikji, Waleed\nAU  - Brinjikji W\nFAU - Pereira, Vitor M\nAU  - Pereira VM\nFAU - Kallmes, David F\nAU  - Kallmes DF\nTA  - J Neurointerv Surg\nJT  - Journal of neurointerventional surgery\nAID - 10.1136/neurintsurg-2017-013179 [doi]\n";
    let c = &parse_text_as("s.nbib", medline, "medline").documents[0].citation;
    assert_eq!(
        cite::apa(c),
        "Brinjikji, W., Pereira, V. M., & Kallmes, D. F. (2018). Impact of balloon guide catheter on technical and clinical outcomes: a systematic review and meta-analysis. Journal of Neurointerventional Surgery, 10(4), 335–339. https://doi.org/10.1136/neurintsurg-2017-013179"
    );
    assert_eq!(
        cite::vancouver(c),
        "Brinjikji W, Pereira VM, Kallmes DF. Impact of balloon guide catheter on technical and clinical outcomes: a systematic review and meta-analysis. J Neurointerv Surg. 2018 Apr;10(4):335-9. doi:10.1136/neurintsurg-2017-013179"
    );

    // Ten authors: Vancouver lists six, then et al.; APA lists all up to twenty.
    let ris = "TY  - JOUR\nTI  - Soil fauna diversity at different stages of reed restoration\nT2  - Ecosystem Health and Sustainability\nJ2  - Ecosyst. Health Sustain.\nVL  - 6\nIS  - 1\nPY  - 2020\nSP  - 1469\nEP  - 1472\nDO  - 10.1080/20964129.2020.1722034\nAU  - Li, W.\nAU  - Dou, Z.\nAU  - Cui, L.\nAU  - Zhao, X.\nAU  - Zhang, M.\nAU  - Zhang, Y.\nAU  - Gao, C.\nAU  - Yang, Z.\nAU  - Lei, Y.\nAU  - Pan, X.\nER  - \n";
    let c = &parse_text_as("s.ris", ris, "ris").documents[0].citation;
    assert_eq!(
        cite::vancouver(c),
        "Li W, Dou Z, Cui L, Zhao X, Zhang M, Zhang Y, et al. Soil fauna diversity at different stages of reed restoration. Ecosyst Health Sustain. 2020;6(1):1469-72. doi:10.1080/20964129.2020.1722034"
    );
    assert_eq!(
        cite::apa(c),
        "Li, W., Dou, Z., Cui, L., Zhao, X., Zhang, M., Zhang, Y., Gao, C., Yang, Z., Lei, Y., & Pan, X. (2020). Soil fauna diversity at different stages of reed restoration. Ecosystem Health and Sustainability, 6(1), 1469–1472. https://doi.org/10.1080/20964129.2020.1722034"
    );

    // A book, a hyphenated given name, a particle, no DOI.
    let bib = "@book{s, author = {Sartre, Jean-Paul and van der Berg, Anna}, title = {Being and nothingness}, publisher = {Philosophical Library}, address = {New York}, year = 1956}";
    let c = &parse_text_as("s.bib", bib, "bibtex").documents[0].citation;
    assert_eq!(cite::apa(c), "Sartre, J.-P., & van der Berg, A. (1956). Being and nothingness. Philosophical Library.");
    assert_eq!(
        cite::vancouver(c),
        "Sartre JP, van der Berg A. Being and nothingness. New York: Philosophical Library; 1956."
    );

    // A group author, one page, no date; a title that ends in a question mark.
    let json = r#"[{"type": "article-journal", "title": "Who pays?", "author": [{"literal": "WHO Study Group"}], "container-title": "Lancet", "volume": "1", "page": "e12"}]"#;
    let c = &parse_text_as("s.json", json, "csl-json").documents[0].citation;
    assert_eq!(cite::apa(c), "WHO Study Group. (n.d.). Who pays? Lancet, 1, e12.");
    assert_eq!(cite::vancouver(c), "WHO Study Group. Who pays? Lancet. [date unknown];1:e12.");
}

#[test]
fn hostile_inputs_end_in_diagnostics_with_file_and_line() {
    for format in ["ris", "medline", "bibtex", "csl-json"] {
        let output = parse_text_as("empty.x", "", format);
        assert!(output.documents.is_empty());
        let error = output.diagnostics.iter().find(|d| d.severity == Severity::Error).expect(format);
        assert_eq!((error.file.as_str(), error.line), ("empty.x", Some(1)), "{format}: {error:?}");
    }

    let output = parse_text_as("open.ris", "TY  - JOUR\nTI  - First\nER  - \n\nTY  - JOUR\nTI  - Never ends\n", "ris");
    assert_eq!(output.documents.len(), 2);
    let warning = &output.diagnostics[0];
    assert_eq!((warning.file.as_str(), warning.line), ("open.ris", Some(5)));
    assert!(warning.message.contains("no end line"), "{}", warning.message);

    let output = parse_text_as("broken.bib", "@article{a,\n  title = {Fine}\n}\n\n@article{b,\n  title = {Open {brace},\n  year = 2020\n}\n\n@article{c,\n  title = {After}\n}\n", "bibtex");
    let titles: Vec<_> = output.documents.iter().map(|d| d.citation.title.clone().unwrap_or_default()).collect();
    assert_eq!(titles.first().map(String::as_str), Some("Fine"));
    assert_eq!(titles.last().map(String::as_str), Some("After"));
    let error = output.diagnostics.iter().find(|d| d.severity == Severity::Error).expect("an error");
    assert_eq!((error.file.as_str(), error.line), ("broken.bib", Some(5)));
}

#[test]
fn truncated_records_never_panic() {
    for (path, format) in corpus() {
        let bytes = std::fs::read(&path).unwrap();
        let step = (bytes.len() / 60).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            let name = path.file_name().unwrap().to_string_lossy();
            let files = [InputFile { name: &name, bytes: &bytes[..cut] }];
            let _ = load(&files, Some(format));
            let _ = load(&files, None);
        }
    }
    // Inputs made to trip each reader's edge cases.
    for text in [
        "@",
        "@article",
        "@article{",
        "@article{k,",
        "@article{k, title = ",
        "@article{k, title = {\\",
        "@string{x = x # x}",
        "@article{k, author = { and and }}",
        "TY  -",
        "ER  -",
        "PMID-",
        "PMID- \n      x",
        "AD  - x",
        "[",
        "[null, 1, {}]",
        "{\"message\": 3}",
    ] {
        for format in ["ris", "medline", "bibtex", "csl-json"] {
            let output = parse_text_as("edge", text, format);
            for document in &output.documents {
                let _ = (cite::apa(&document.citation), cite::vancouver(&document.citation));
            }
        }
    }
}

fn parse_text_as(name: &str, text: &str, format: &str) -> Output {
    load(&[InputFile { name, bytes: text.as_bytes() }], Some(format))
}
