//! PubTator, rule by rule on small texts written here, then every real file in the corpus with
//! counts from an independent, simple line counter.

mod common;

use common::{assert_offsets_cover_text, files_under, parse_paths, parse_text, shared};
use litview::stats::FileStats;
use litview::{InputFile, Output, Severity};

fn parse(text: &str) -> Output {
    let output = parse_text("test.pubtator", text);
    assert_offsets_cover_text(&output);
    output
}

fn warnings(output: &Output) -> Vec<String> {
    output.diagnostics.iter().filter(|d| d.severity == Severity::Warning).map(|d| d.message.clone()).collect()
}

#[test]
fn title_abstract_and_offsets_across_them() {
    let out = parse("1|t|Aspirin works.\n1|a|It cures headache.\n1\t0\t7\tAspirin\tChemical\tMESH:D001241\n1\t24\t32\theadache\tDisease\tMESH:D006261\n");
    let doc = &out.documents[0];
    assert_eq!(doc.text, "Aspirin works. It cures headache.");
    assert_eq!((doc.passages[0].kind.as_str(), doc.passages[0].end), ("title", 14));
    assert_eq!((doc.passages[1].kind.as_str(), doc.passages[1].start, doc.passages[1].end), ("abstract", 15, 33));
    assert_eq!(doc.annotations[1].text, "headache");
    assert_eq!(doc.citation.pmid.as_deref(), Some("1"));
    assert_eq!(doc.citation.title.as_deref(), Some("Aspirin works."));
    assert!(out.diagnostics.is_empty());
}

#[test]
fn spaced_markers_bom_crlf_and_pipes_in_the_title() {
    let out = parse("\u{feff}\r\n42 |t| A | B title\r\n42 |a| Text.\r\n42\t0\t1\tA\tX\t D1\r\n");
    let doc = &out.documents[0];
    assert_eq!(doc.source.id.as_deref(), Some("42"));
    assert_eq!(doc.text, "A | B title Text.");
    assert_eq!(doc.annotations[0].concepts, ["D1"]);
}

#[test]
fn ids_that_are_not_pmids_and_empty_abstracts() {
    let out = parse("43047311009|t|Figure 1. HeLa cells.\n43047311009|a|\n43047311009\t10\t14\tHeLa\tCellLine\tCVCL_0030\nPMC123|t|Other\n");
    assert_eq!(out.documents.len(), 2);
    assert_eq!(out.documents[0].citation.pmid, None, "eleven digits are not a PMID");
    assert_eq!(out.documents[0].text, "Figure 1. HeLa cells.");
    assert_eq!(out.documents[0].passages.len(), 1);
    assert_eq!(out.documents[1].source.id.as_deref(), Some("PMC123"));
}

#[test]
fn documents_without_blank_lines_and_repeated_ids_are_kept() {
    let out = parse("1|t|One\n1|a|A\n1\t0\t3\tOne\tT\n2|t|Two\n2|a|B\n1|t|One again\n1|a|C\n1\t0\t3\tOne\tT\t-\n");
    assert_eq!(out.documents.len(), 3);
    assert_eq!(out.documents[2].text, "One again C");
    assert_eq!(out.documents[0].annotations.len(), 1);
    assert_eq!(out.documents[2].annotations.len(), 1, "annotations attach to the latest record of their id");
}

#[test]
fn five_six_and_seven_columns() {
    let out = parse(concat!(
        "7|t|Ocular and auditory toxicity of aspirin\n",
        "7\t0\t28\tOcular and auditory toxicity\tDisease\tD014786|D006311\tOcular toxicity|auditory toxicity\n",
        "7\t32\t39\taspirin\tChemical\n",
        "7\t32\t39\taspirin\tPhenotype\tHP:0001654\t0.99996\n",
        "7\t11\t28\tauditory toxicity\tDisease\tD006311\t\n",
    ));
    let a = &out.documents[0].annotations;
    assert_eq!(a.len(), 4);
    assert_eq!(a[0].concepts, ["D014786", "D006311"]);
    assert_eq!(a[0].infons["mentions"], "Ocular toxicity|auditory toxicity");
    assert!(a[1].concepts.is_empty());
    assert_eq!(a[2].infons["score"], "0.99996");
    assert!(a[3].infons.is_empty(), "a trailing tab is no seventh column");
}

#[test]
fn concept_ids_composite_none_and_packed() {
    let field = |concepts: &str| {
        let out = parse(&format!("1|t|abcdef\n1\t0\t3\tabc\tT\t{concepts}\n"));
        out.documents[0].annotations[0].concepts.clone()
    };
    assert_eq!(field("MESH:D001,MESH:D002"), ["MESH:D001", "MESH:D002"]);
    assert_eq!(field("D020279+D035583"), ["D020279", "D035583"]);
    assert_eq!(field("852258;856680"), ["852258", "856680"]);
    assert_eq!(field("HMDB:HMDB01341|CHEBI:16761"), ["HMDB:HMDB01341", "CHEBI:16761"]);
    assert_eq!(field("CVCL_0112;NCBITaxID:9606"), ["CVCL_0112", "NCBITaxID:9606"]);
    assert!(field("-1").is_empty());
    assert!(field("-").is_empty());
    assert!(field("None").is_empty());
    assert_eq!(
        field("p|SUB|R|114|H;Gene:11277;RS#:72556554;Disease:C535607,D008180;VariantGroup:0"),
        ["p|SUB|R|114|H", "Gene:11277", "RS#:72556554", "Disease:C535607,D008180", "VariantGroup:0"]
    );
    assert_eq!(field("p|DEL|439_443|"), ["p|DEL|439_443|"]);
}

#[test]
fn relations_cid_pubtator3_and_biored() {
    let out = parse(concat!(
        "9|t|x\n",
        "9\tCID\tD008874\tD006333\n",
        "9\tAssociation\tChemical|MESH:D001\tDisease|MESH:D002\n",
        "9\tPositive_Correlation\tp|SUB|R|114|H\t11277\tNovel\n",
    ));
    let r = &out.documents[0].relations;
    assert_eq!(r.len(), 3);
    assert_eq!(
        (r[0].kind.as_str(), r[0].args[0].concept.as_deref(), r[0].args[1].role.as_str()),
        ("CID", Some("D008874"), "object")
    );
    assert_eq!((r[1].args[0].kind.as_deref(), r[1].args[0].concept.as_deref()), (Some("Chemical"), Some("MESH:D001")));
    assert_eq!((r[2].args[0].kind.as_deref(), r[2].args[0].concept.as_deref()), (None, Some("p|SUB|R|114|H")));
    assert_eq!(r[2].infons["novel"], "Novel");
}

#[test]
fn overlapping_nested_and_unordered_spans_are_all_kept() {
    let out = parse("5|t|acute lymphoblastic leukemia\n5\t20\t28\tleukemia\tDisease\tD1\n5\t0\t28\tacute lymphoblastic leukemia\tDisease\tD2\n5\t6\t28\tlymphoblastic leukemia\tDisease\tD3\n");
    assert_eq!(out.documents[0].annotations.len(), 3);
    assert!(out.diagnostics.is_empty());
}

#[test]
fn mismatched_mentions_are_reported_with_document_and_line() {
    let out = parse("36727001|t|the leukemia here\n36727001\t4\t12\tleukaemia\tDisease\tD1\n");
    let d = &out.diagnostics[0];
    assert_eq!((d.line, d.document.as_deref()), (Some(2), Some("36727001")));
    assert!(d.message.contains("covers 'leukemia' but the file says 'leukaemia'"), "{}", d.message);
    assert_eq!(out.documents[0].annotations[0].text, "leukemia");
}

#[test]
fn non_ascii_offsets_count_code_points() {
    let out = parse("3|t|IL-1β and 𝔸 µg\n3|a|Δ9-THC 😀 dose\n3\t4\t5\tβ\tGene\t3553\n3\t12\t14\tµg\tX\n3\t15\t21\tΔ9-THC\tChemical\n3\t24\t28\tdose\tY\n");
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert_eq!(out.documents[0].annotations[2].text, "Δ9-THC");
}

#[test]
fn a_malformed_line_skips_only_itself() {
    let out = parse(concat!(
        "1|t|Aspirin and more words\n",
        "1\t0\t7\tAspirin\tChemical\tD1\n",
        "1\tTranslation 7488T/C\tHis-to-Arg\n",
        "1\t0\tx\tAspirin\tChemical\n",
        "1\t0\t7\tAspirin\n",
        "1\t0\t7\tAspirin\tp|SUB|P|29|S\tRSID:2075789\n",
        "1\t90\t97\tAspirin\tChemical\n",
        "2\t0\t7\tAspirin\tChemical\n",
        "1\t12\t16\tmore\tOther\n",
    ));
    assert_eq!(out.documents[0].annotations.len(), 2);
    let w = warnings(&out);
    assert_eq!(w.len(), 6, "{w:#?}");
    assert!(out.diagnostics.iter().all(|d| d.line.is_some()));
}

#[test]
fn not_pubtator_at_all_gives_one_document_of_plain_text() {
    let out = parse_text("notes.txt", "Some notes about leukemia.\nNothing more.\n");
    assert_eq!(out.documents.len(), 1);
    assert_eq!(out.documents[0].source.format, "text");
    assert_eq!(out.diagnostics.len(), 1);
}

// ---- The corpus ------------------------------------------------------------------------------

/// Counts documents, annotations and relations of a PubTator file line by line, simply: a title
/// line is `ID|t|` (spaces allowed), an annotation line has integer columns 2 and 3, a type
/// without `|`, and at least 5 columns; a relation line has at least 4 columns and a non-numeric
/// column 2.
fn independent_count(text: &str) -> (usize, usize, usize) {
    let (mut docs, mut annotations, mut relations) = (0, 0, 0);
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        let cols: Vec<&str> = line.split('\t').collect();
        let numeric = |s: &str| !s.is_empty() && s.trim().chars().all(|c| c.is_ascii_digit());
        if cols.len() == 1 && (line.contains("|t|") || line.contains(" |t| ")) {
            docs += 1;
        } else if cols.len() >= 5
            && numeric(cols[1])
            && numeric(cols[2])
            && !cols[4].contains('|')
            && !cols[4].trim().is_empty()
        {
            annotations += 1;
        } else if cols.len() >= 4 && !numeric(cols[1]) {
            relations += 1;
        }
    }
    (docs, annotations, relations)
}

#[test]
fn every_corpus_file_parses_with_independent_counts() {
    let Some(dir) = shared("data/pubtator") else { return };
    let mut files = files_under(&dir);
    if let Some(seeds) = shared("seeds") {
        files.push(seeds.join("003_d1ca3af4f330edf7.txt"));
    }
    assert!(files.len() >= 26);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let output = parse_paths(std::slice::from_ref(&path), None);
        let docs = &output.documents;
        assert!(docs.iter().all(|d| d.source.format == "pubtator"), "{} not detected as PubTator", path.display());
        let counted = (
            docs.len(),
            docs.iter().map(|d| d.annotations.len()).sum::<usize>(),
            docs.iter().map(|d| d.relations.len()).sum::<usize>(),
        );
        assert_eq!(counted, independent_count(&text), "{}", path.display());
        assert_offsets_cover_text(&output);
        assert!(output.diagnostics.iter().all(|d| d.severity == Severity::Warning), "{}", path.display());
    }
}

#[test]
fn corpus_oddities_are_read_as_their_sources_describe() {
    let Some(dir) = shared("data/pubtator") else { return };
    let parse = |p: &str| parse_paths(&[dir.join(p)], None);
    // PMID 8528200 appears twice: both kept.
    let ncbi = parse("NCBI-disease/NCBItrainset_corpus.txt");
    assert_eq!(ncbi.documents.iter().filter(|d| d.source.id.as_deref() == Some("8528200")).count(), 2);
    // The mention whose quotes became spaces is reported, with its line.
    assert!(ncbi.diagnostics.iter().any(|d| d.message.contains("seizures") && d.line.is_some()));
    // tmVar's two malformed lines (120 and 691) get warnings naming them.
    let tmvar = parse("bioc-lib/tmVar.Normalization.txt");
    let lines: Vec<u32> = tmvar.diagnostics.iter().filter_map(|d| d.line).collect();
    assert_eq!(lines, [120, 691]);
    // BioRED: novelty flags and comma lists.
    let biored = parse("BioRED/Dev.PubTator");
    assert_eq!(biored.documents.iter().map(|d| d.relations.len()).sum::<usize>(), 1162);
    assert!(biored.documents.iter().flat_map(|d| &d.relations).all(|r| r.infons.contains_key("novel")));
    // CHR: empty abstracts and non-ASCII text.
    let chr = parse("CHR/dev.pubtator");
    assert_eq!(chr.documents.iter().filter(|d| d.passages.len() == 1).count(), 23);
}

#[test]
fn counting_a_big_file_in_parallel_blocks_gives_the_counts_of_a_whole_read() {
    let Some(dir) = shared("data/pubtator") else { return };
    // Every PubTator file of the corpus, one after another: about 20 MB, many blocks.
    let mut corpus = Vec::new();
    for path in files_under(&dir) {
        corpus.extend(std::fs::read(&path).unwrap());
        corpus.extend_from_slice(b"\n\n");
    }
    let whole = litview::load(&[InputFile { name: "all.pubtator", bytes: &corpus }], None);
    let expected = FileStats::new("all.pubtator", corpus.len(), 0.0, &whole.documents, &whole.diagnostics);
    let counted = litview::stats::count_streamed("all.pubtator", corpus.as_slice(), None).unwrap();
    assert!(expected.documents > 10_000, "{}", expected.documents);
    let fields = |s: &FileStats| {
        (s.format.clone(), s.bytes, s.documents, s.passages, s.annotations.clone(), s.relations, s.errors, s.warnings)
    };
    assert_eq!(fields(&counted), fields(&expected));
}

#[test]
fn counting_a_file_that_cannot_stream_reads_it_whole() {
    let json =
        r#"[{"id": "a", "type": "article-journal", "title": "One"}, {"id": "b", "type": "book", "title": "Two"}]"#;
    let counted = litview::stats::count_streamed("refs.json", json.as_bytes(), None).unwrap();
    assert_eq!((counted.format.as_str(), counted.documents, counted.errors), ("csl-json", 2, 0));
}

#[test]
fn a_read_error_midway_is_reported_not_hung_on() {
    // A disk or network error after some blocks were handed to the counting threads.
    struct Failing(Vec<u8>);
    impl std::io::Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0.is_empty() {
                return Err(std::io::Error::other("the disk went away"));
            }
            let n = buf.len().min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0.drain(..n);
            Ok(n)
        }
    }
    let record = "1|t|Aspirin works\n1|a|It does.\n1\t0\t7\tAspirin\tChemical\tD001241\n\n";
    let text = record.repeat(3 << 20 >> 6);
    let error = litview::stats::count_streamed("gone.pubtator", Failing(text.into_bytes()), None).unwrap_err();
    assert!(error.to_string().contains("the disk went away"), "{error}");
}
