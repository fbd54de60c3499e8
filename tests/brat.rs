//! brat standoff: every `.txt`/`.ann` pair of the corpora against counts of its lines, and one
//! small case per rule (discontinuous spans, events, attributes, normalizations, lone files).

mod common;

use std::path::{Path, PathBuf};

use common::{assert_offsets_cover_text, files_under, parse_paths, shared};
use litview::{load, InputFile, Output, Severity};

/// Text-bound annotations and relations (R, E and `*` lines) counted from the `.ann` directly.
fn expected_counts(ann: &Path) -> (usize, usize) {
    let text = std::fs::read_to_string(ann).unwrap();
    let starts = |c: char| text.lines().filter(|l| l.starts_with(c) && l.contains('\t')).count();
    (starts('T'), starts('R') + starts('E') + starts('*'))
}

fn pairs(dir: &Path) -> Vec<(PathBuf, PathBuf)> {
    files_under(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "ann"))
        .map(|ann| (ann.with_extension("txt"), ann))
        .collect()
}

#[test]
fn every_brat_pair_parses_with_the_counts_of_its_lines() {
    let Some(dir) = shared("data/brat") else { return };
    let pairs = pairs(&dir);
    assert!(pairs.len() >= 130, "{}", pairs.len());
    let mut total = (0, 0);
    for (txt, ann) in pairs {
        let output = parse_paths(&[txt.clone(), ann.clone()], None);
        let name = ann.display();
        assert_eq!(output.documents.len(), 1, "{name}: {:?}", output.diagnostics);
        let document = &output.documents[0];
        assert_eq!(document.source.format, "brat");
        assert_eq!(document.text, std::fs::read_to_string(&txt).unwrap());
        let counts = (document.annotations.len(), document.relations.len());
        assert_eq!(counts, expected_counts(&ann), "{name}");
        total.0 += counts.0;
        total.1 += counts.1;
        assert_offsets_cover_text(&output);
        // SOURCES.md: every span matches its text except bioc-lib's discontinuous `protein1`.
        let expected_warnings = usize::from(name.to_string().contains("example1"));
        assert_eq!(output.diagnostics.len(), expected_warnings, "{name}: {:?}", output.diagnostics);
    }
    // SOURCES.md's totals: GE 520 + EPI 367 + ID 1,133 + REL 452 + NCBI 226 + tutorial 107
    // + Verspoor 1,387 + bioc-lib 3 text-bound annotations.
    assert_eq!(total.0, 520 + 367 + 1133 + 452 + 226 + 107 + 1387 + 3);
}

#[test]
fn every_brat_configuration_file_is_named_as_such() {
    let Some(dir) = shared("data/brat") else { return };
    let confs: Vec<PathBuf> =
        files_under(&dir).into_iter().filter(|p| p.extension().is_some_and(|e| e == "conf")).collect();
    assert!(confs.len() >= 10);
    for conf in confs {
        let output = parse_paths(std::slice::from_ref(&conf), None);
        assert!(output.documents.is_empty());
        assert!(
            output.diagnostics[0].message.contains("configuration"),
            "{}: {:?}",
            conf.display(),
            output.diagnostics
        );
    }
}

fn load_texts(files: &[(&str, &str)]) -> Output {
    let inputs: Vec<InputFile> = files.iter().map(|(name, text)| InputFile { name, bytes: text.as_bytes() }).collect();
    load(&inputs, None)
}

#[test]
fn every_line_kind_of_the_small_fixture() {
    let Some(dir) = shared("data/brat/bioc-lib") else { return };
    let output = parse_paths(&[dir.join("example1.ann"), dir.join("example1.txt")], None);
    let document = &output.documents[0];
    let t1 = &document.annotations[0];
    assert_eq!(t1.fragments, Some(vec![[33, 40], [41, 42]]));
    // brat joins fragments with a space; this file wrote `protein1`, and the warning says so.
    assert_eq!(t1.text, "protein 1");
    assert!(output.diagnostics[0].message.contains("but the file says 'protein1'"));
    assert_eq!(output.diagnostics[0].line, Some(1));
    assert_eq!(t1.infons.get("note").map(String::as_str), Some("this annotation is suspect"));
    let event = document.relations.iter().find(|r| r.id == "E1").unwrap();
    assert_eq!(event.args[0].role, "trigger");
    assert_eq!(event.args[0].annotation.as_deref(), Some("T3"));
    assert_eq!(event.infons.get("Negation").map(String::as_str), Some("true"));
    let equiv = document.relations.iter().find(|r| r.kind == "Equiv").unwrap();
    assert_eq!(equiv.args.len(), 2);
}

#[test]
fn discontinuous_spans_events_normalizations_and_astral_text() {
    let text = "😀 left and right 𝔸 lung; IL-2 binds IL-2R.";
    let ann = "T1\tOrgan 2 6;17 23\tleft 𝔸 lung\n\
               T2\tProtein 25 29\tIL-2\n\
               T3\tBinding 30 35\tbinds\n\
               T4\tProtein 36 41\tIL-2R\n\
               E1\tBinding:T3 Theme:T2 Theme2:T4\n\
               T5\tRegulation 0 1\t😀\n\
               E2\tRegulation:T5 Theme:E1\n\
               R1\tPart-of Arg1:T2 Arg2:E1\n\
               N1\tReference T1 Wikipedia:534366\tLung\n\
               A1\tConfidence T1 High\n\
               M1\tNegation E2\n\
               #1\tAnnotatorNotes R1\tcheck this\n\
               X1\tnonsense\n";
    let output = load_texts(&[("case.txt", text), ("case.ann", ann)]);
    let document = &output.documents[0];
    assert_eq!(document.source.file, "case.ann");
    assert_offsets_cover_text(&output);
    let organ = &document.annotations[0];
    assert_eq!(organ.fragments, Some(vec![[2, 6], [17, 23]]));
    assert_eq!(organ.concepts, ["Wikipedia:534366"]);
    assert_eq!(organ.infons.get("Confidence").map(String::as_str), Some("High"));
    let e2 = document.relations.iter().find(|r| r.id == "E2").unwrap();
    // E1 as an argument points at its trigger, the mention a reader can see.
    assert_eq!(e2.args[1].annotation.as_deref(), Some("T3"));
    assert_eq!(e2.infons.get("Negation").map(String::as_str), Some("true"));
    let r1 = document.relations.iter().find(|r| r.id == "R1").unwrap();
    assert_eq!(r1.infons.get("note").map(String::as_str), Some("check this"));
    let warnings: Vec<_> = output.diagnostics.iter().map(|d| (d.line, d.message.as_str())).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].0, Some(13));
}

#[test]
fn ids_with_suffixes_are_kept() {
    let output = load_texts(&[
        ("v.ann", "T2_cancer\tdisease 0 6\tcancer\nR1\trel Arg1:T2_cancer Arg2:T2_cancer\n"),
        ("v.txt", "cancer"),
    ]);
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
    assert_eq!(output.documents[0].annotations[0].id, "T2_cancer");
}

#[test]
fn a_lone_ann_asks_for_its_text() {
    let output = load_texts(&[("x.ann", "T1\tProtein 0 4\tIL-2\n")]);
    assert!(output.documents.is_empty());
    assert_eq!(output.diagnostics.len(), 1);
    assert_eq!(output.diagnostics[0].severity, Severity::Error);
    assert_eq!(output.diagnostics[0].message, "brat annotations need their text: drop x.txt together with x.ann");
}

#[test]
fn a_lone_txt_is_detected_as_usual_and_a_conf_is_named() {
    let output =
        load_texts(&[("y.txt", "Just some words.\n"), ("annotation.conf", "[entities]\nProtein\n[relations]\n")]);
    assert_eq!(output.documents.len(), 1);
    assert_eq!(output.documents[0].source.format, "text");
    let conf = output.diagnostics.iter().find(|d| d.file == "annotation.conf").unwrap();
    assert!(conf.message.contains("brat configuration file, not a document"), "{}", conf.message);
}

#[test]
fn pairs_are_matched_by_name_whatever_the_order() {
    let output =
        load_texts(&[("b.ann", "T1\tX 0 1\tb\n"), ("a.txt", "a"), ("b.txt", "b"), ("a.ann", "T1\tX 0 1\ta\n")]);
    let texts: Vec<&str> = output.documents.iter().map(|d| d.text.as_str()).collect();
    assert_eq!(texts, ["b", "a"]);
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
}

#[test]
fn hostile_brat_does_not_panic() {
    for ann in [
        "T1\tX 5 2\tx\n",
        "T1\tX 0 99999999999999999999\tx\n",
        "T1\tX\n",
        "T1\tX 0 1;\tx\n",
        "E1\t:\nR1\t\nA1\t\n*\tEquiv\nN1\tReference\n#1\n",
        "T1\tX 1 2\t\u{1F600}\nE1\tX:E1 A:E1\n",
    ] {
        let _ = load_texts(&[("h.ann", ann), ("h.txt", "é😀")]);
    }
}

#[test]
fn a_byte_order_mark_counts_when_the_offsets_count_it_and_not_otherwise() {
    // brat's server counts a .txt's byte-order mark as character 0; tools that strip it do not.
    // Either way every span must land on its words.
    let text = "\u{FEFF}Aspirin helps.";
    for (ann, start) in [("T1\tDrug 1 8\tAspirin\n", 1), ("T1\tDrug 0 7\tAspirin\n", 0)] {
        let output = load_texts(&[("b.txt", text), ("b.ann", ann)]);
        assert!(output.diagnostics.is_empty(), "{ann:?}: {:?}", output.diagnostics);
        let annotation = &output.documents[0].annotations[0];
        assert_eq!((annotation.start, annotation.text.as_str()), (start, "Aspirin"), "{ann:?}");
    }
}
