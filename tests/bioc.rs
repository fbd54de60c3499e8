//! BioC XML and BioC JSON: every corpus file against counts made independently here, the BioRED
//! dev set read the same from BioC XML, BioC JSON and PubTator, and one small case per rule.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{assert_offsets_cover_text, files_under, parse_paths, parse_text, shared};
use litview::{Output, Severity};
use serde_json::Value;

/// Documents, annotations and relations counted without litview: tags in XML, arrays in JSON.
fn expected_counts(path: &Path) -> (usize, usize, usize) {
    let text = std::fs::read_to_string(path).unwrap();
    if text.trim_start().starts_with('<') {
        let count = |tag: &str| text.matches(&format!("<{tag} ")).count() + text.matches(&format!("<{tag}>")).count();
        return (count("document"), count("annotation"), count("relation"));
    }
    let values: Vec<Value> = match serde_json::from_str(&text) {
        Ok(value) => vec![value],
        Err(_) => text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect(),
    };
    let mut counts = (0, 0, 0);
    for value in &values {
        let documents: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            Value::Object(o) if o.contains_key("documents") => o["documents"].as_array().unwrap().iter().collect(),
            Value::Object(o) if o.contains_key("PubTator3") => o["PubTator3"].as_array().unwrap().iter().collect(),
            other => vec![other],
        };
        for document in documents {
            counts.0 += 1;
            let len = |v: &Value, key: &str| v.get(key).and_then(Value::as_array).map_or(0, Vec::len);
            let mut containers = vec![document];
            for passage in document["passages"].as_array().unwrap() {
                containers.push(passage);
                containers.extend(passage.get("sentences").and_then(Value::as_array).into_iter().flatten());
            }
            counts.1 += containers.iter().map(|c| len(c, "annotations")).sum::<usize>();
            counts.2 += containers.iter().map(|c| len(c, "relations")).sum::<usize>();
        }
    }
    counts
}

fn counts(output: &Output) -> (usize, usize, usize) {
    let documents = &output.documents;
    (
        documents.len(),
        documents.iter().map(|d| d.annotations.len()).sum(),
        documents.iter().map(|d| d.relations.len()).sum(),
    )
}

#[test]
fn every_bioc_file_parses_with_the_counts_of_the_file() {
    let Some(dir) = shared("data/bioc") else { return };
    let files = files_under(&dir);
    assert!(files.len() >= 20);
    for path in files {
        let output = parse_paths(std::slice::from_ref(&path), None);
        let format = &output.documents[0].source.format;
        assert!(format.starts_with("bioc-"), "{}: read as {format}", path.display());
        assert_eq!(counts(&output), expected_counts(&path), "{}", path.display());
        assert!(output.diagnostics.iter().all(|d| d.severity == Severity::Warning), "{:?}", output.diagnostics);
        assert_offsets_cover_text(&output);
    }
}

#[test]
fn annotations_that_do_not_cover_their_text_are_reported() {
    let Some(dir) = shared("data/bioc") else { return };
    // The one BC5CDR annotation whose first location is one character early.
    let output = parse_paths(&[dir.join("BC5CDR/CDR_DevelopmentSet.BioC.xml")], None);
    let mismatches: Vec<_> = output.diagnostics.iter().filter(|d| d.message.contains("but the file says")).collect();
    assert_eq!(mismatches.len(), 1, "{mismatches:?}");
    assert_eq!(mismatches[0].document.as_deref(), Some("6415512"));
    assert!(mismatches[0].line.is_some());
    // Everything else in the real corpora lines up.
    for file in
        ["BioRED/Dev.BioC.XML", "BioRED/Dev.BioC.JSON", "BC5CDR/TestSet.DNorm.BioC.xml", "bioc-lib/everything.xml"]
    {
        let output = parse_paths(&[dir.join(file)], None);
        assert!(output.diagnostics.is_empty(), "{file}: {:?}", output.diagnostics);
    }
}

#[test]
fn passage_relative_offsets_are_recognised() {
    let Some(dir) = shared("data/bioc") else { return };
    let output = parse_paths(&[dir.join("PhenoTagger/example/output/ex.BioC.XML")], None);
    assert!(output.diagnostics.iter().any(|d| d.message.contains("from the start of their passage")));
    assert!(!output.diagnostics.iter().any(|d| d.message.contains("but the file says")));
    assert_eq!(output.documents[0].annotations[0].text, "schizophrenia");
}

/// What must be equal whatever format BioRED comes in.
type Mention = (usize, usize, String, String, Vec<String>);
type Link = (String, BTreeSet<String>);

fn essentials(output: &Output) -> Vec<(String, Vec<Mention>, BTreeSet<Link>)> {
    output
        .documents
        .iter()
        .map(|d| {
            let mut mentions: Vec<Mention> = d
                .annotations
                .iter()
                .map(|a| (a.start, a.end, a.text.clone(), a.kind.clone(), a.concepts.clone()))
                .collect();
            mentions.sort();
            let links = d
                .relations
                .iter()
                .map(|r| (r.kind.clone(), r.args.iter().filter_map(|a| a.concept.clone()).collect()))
                .collect();
            (d.text.clone(), mentions, links)
        })
        .collect()
}

#[test]
fn biored_reads_the_same_from_bioc_xml_bioc_json_and_pubtator() {
    let (Some(bioc), Some(pubtator)) = (shared("data/bioc/BioRED"), shared("data/pubtator/BioRED")) else { return };
    let xml = parse_paths(&[bioc.join("Dev.BioC.XML")], None);
    let json = parse_paths(&[bioc.join("Dev.BioC.JSON")], None);
    let tsv = parse_paths(&[pubtator.join("Dev.PubTator")], None);
    for output in [&xml, &json, &tsv] {
        assert_eq!(counts(output), (100, 3533, 1162));
        assert_offsets_cover_text(output);
    }
    assert_eq!(tsv.documents[0].source.format, "pubtator");
    let expected = essentials(&tsv);
    for (name, output) in [("xml", &xml), ("json", &json)] {
        let got = essentials(output);
        for (i, (a, b)) in got.iter().zip(&expected).enumerate() {
            assert_eq!(a.0, b.0, "{name} document {i}: text");
            assert_eq!(a.1, b.1, "{name} document {i}: annotations");
            assert_eq!(a.2, b.2, "{name} document {i}: relations");
        }
        let titles = |o: &Output| o.documents.iter().map(|d| d.citation.title.clone()).collect::<Vec<_>>();
        assert_eq!(titles(output), titles(&tsv), "{name}: titles");
    }
}

fn only_warnings(output: &Output) -> Vec<&str> {
    output.diagnostics.iter().map(|d| d.message.as_str()).collect()
}

#[test]
fn byte_offsets_with_non_ascii_text_are_converted() {
    // "Les cafés" then "Naïve T cells": BioC's own unit, UTF-8 bytes (é and ï take two).
    let xml = r#"<?xml version="1.0"?><collection><source>x</source><document><id>1</id>
<passage><infon key="type">title</infon><offset>0</offset><text>Les cafés</text></passage>
<passage><infon key="type">abstract</infon><offset>11</offset><text>Naïve T cells and cafés.</text>
<annotation id="A"><infon key="type">CellType</infon><location offset="11" length="14"/><text>Naïve T cells</text></annotation>
<annotation id="B"><infon key="type">Food</infon><location offset="30" length="6"/><text>cafés</text></annotation>
</passage></document></collection>"#;
    let output = parse_text("bytes.xml", xml);
    assert_eq!(output.diagnostics.len(), 1, "{:?}", only_warnings(&output));
    assert!(output.diagnostics[0].message.contains("UTF-8 bytes"));
    let document = &output.documents[0];
    assert_eq!(document.text, "Les cafés Naïve T cells and cafés.");
    assert_eq!((document.annotations[0].start, document.annotations[0].end), (10, 23));
    assert_eq!((document.annotations[1].start, document.annotations[1].end), (28, 33));
    assert_offsets_cover_text(&output);
}

#[test]
fn astral_characters_in_code_points_and_in_utf16() {
    let text = "😀 and 𝔸 then IL-2";
    // Code points: IL-2 starts at 13.
    let code_points = format!(
        r#"{{"documents":[{{"id":"7","passages":[{{"offset":0,"text":"{text}","annotations":[{{"id":"1","infons":{{"type":"Gene"}},"text":"IL-2","locations":[{{"offset":13,"length":4}}]}},{{"id":"2","infons":{{"type":"Symbol"}},"text":"𝔸","locations":[{{"offset":6,"length":1}}]}}]}}]}}]}}"#
    );
    let output = parse_text("cp.json", &code_points);
    assert!(output.diagnostics.is_empty(), "{:?}", only_warnings(&output));
    assert_eq!((output.documents[0].annotations[0].start, output.documents[0].annotations[1].start), (13, 6));
    // UTF-16, as JavaScript counts: two units each for 😀 and 𝔸.
    let utf16 = code_points
        .replace(r#""offset":13"#, r#""offset":15"#)
        .replace(r#""offset":6,"length":1"#, r#""offset":7,"length":2"#);
    let output = parse_text("utf16.json", &utf16);
    assert_eq!(output.diagnostics.len(), 1, "{:?}", only_warnings(&output));
    assert!(output.diagnostics[0].message.contains("UTF-16"));
    assert_eq!((output.documents[0].annotations[0].start, output.documents[0].annotations[1].start), (13, 6));
    assert_offsets_cover_text(&output);
}

#[test]
fn a_collection_without_infons_and_a_bare_document_list() {
    let collection = r#"{"source":"PubTator","date":"2021","key":"k","documents":[{"id":"123","passages":[{"offset":0,"text":"A title.","annotations":[]},{"offset":9,"text":"An abstract about TP53.","annotations":[{"id":"0","infons":{"identifier":"7157","type":"Gene"},"text":"TP53","locations":[{"offset":27,"length":4}]}]}],"relations":[{"id":"R0","infons":{"entity1":"7157","entity2":"D009369","type":"Association","novel":"No"}}]}]}"#;
    let output = parse_text("biored.json", collection);
    assert!(output.diagnostics.is_empty(), "{:?}", only_warnings(&output));
    let document = &output.documents[0];
    assert_eq!(document.text, "A title. An abstract about TP53.");
    assert_eq!(document.citation.title.as_deref(), Some("A title."));
    assert_eq!(document.citation.pmid.as_deref(), Some("123"));
    assert_eq!(document.annotations[0].concepts, ["7157"]);
    let relation = &document.relations[0];
    assert_eq!(relation.kind, "Association");
    assert_eq!(relation.args[1].concept.as_deref(), Some("D009369"));
    assert_eq!(relation.infons.get("novel").map(String::as_str), Some("No"));

    let list = format!("[{}]", &collection[collection.find("{\"id\"").unwrap()..collection.len() - 2]);
    let output = parse_text("list.json", &list);
    assert_eq!(essentials(&output), essentials(&parse_text("biored.json", collection)));
}

#[test]
fn pubtator3_wrapper_fills_the_citation() {
    let json = r#"{"PubTator3":[{"_id":"38309274|None","id":"38309274","infons":{},"passages":[{"infons":{"type":"title"},"offset":0,"text":"IkappaBzeta is a coactivator.","annotations":[{"id":"2","infons":{"identifier":"64332","type":"Gene","valid":true,"normalized":[64332],"normalized_id":64332,"database":"ncbi_gene","name":"NFKBIZ"},"text":"IkappaBzeta","locations":[{"offset":0,"length":11}]}],"relations":[]}],"relations":[],"pmid":38309274,"pmcid":"PMC11111","journal":"Mol Cell","authors":["Alpsoy A","Wu XS"],"date":"2024-01-24T00:00:00Z"}]}"#;
    let output = parse_text("pt3.json", json);
    assert!(output.diagnostics.is_empty(), "{:?}", only_warnings(&output));
    let document = &output.documents[0];
    assert_eq!(document.source.format, "bioc-json");
    let citation = &document.citation;
    assert_eq!(citation.pmid.as_deref(), Some("38309274"));
    assert_eq!(citation.pmcid.as_deref(), Some("PMC11111"));
    assert_eq!(citation.container_title.as_deref(), Some("Mol Cell"));
    assert_eq!(citation.author[1].family.as_deref(), Some("Wu"));
    assert_eq!(citation.issued.as_ref().unwrap().date_parts, [[2024, 1, 24]]);
    assert_eq!(citation.title.as_deref(), Some("IkappaBzeta is a coactivator."));
    let annotation = &document.annotations[0];
    assert_eq!(annotation.concepts, ["64332"]);
    assert_eq!(annotation.infons.get("database").map(String::as_str), Some("ncbi_gene"));
    assert_eq!(annotation.infons.get("valid").map(String::as_str), Some("true"));
}

#[test]
fn json_lines_sentences_and_several_locations() {
    let jsonl = concat!(
        r#"{"id":"1","passages":[{"offset":0,"infons":{"section_type":"TITLE"},"text":"left and right lung","annotations":[{"id":"a","infons":{"type":"Organ","MESH":"D008168|D000001"},"text":"left lung","locations":[{"offset":0,"length":4},{"offset":15,"length":4}]}]}]}"#,
        "\r\n",
        r#"{"id":"2","passages":[{"offset":0,"text":"","sentences":[{"offset":0,"text":"One."},{"offset":5,"text":"Two.","annotations":[{"id":"b","infons":{"type":"Number"},"text":"Two","locations":[{"offset":5,"length":3}]}]}]}]}"#,
        "\n"
    );
    let output = parse_text("two.jsonl", jsonl);
    assert!(output.diagnostics.is_empty(), "{:?}", only_warnings(&output));
    let first = &output.documents[0];
    assert_eq!(first.passages[0].kind, "title");
    assert_eq!(first.annotations[0].fragments, Some(vec![[0, 4], [15, 19]]));
    assert_eq!(first.annotations[0].concepts, ["D008168", "D000001"]);
    assert_eq!(output.documents[1].text, "One. Two.");
    assert_offsets_cover_text(&output);
}

#[test]
fn broken_xml_keeps_what_was_read_and_names_the_line() {
    let xml = "<collection><document><id>1</id><passage><offset>0</offset><text>Fine text</text>\n<annotation id=\"1\"><location offset=\"x\" length=\"4\"/><location offset=\"0\" length=\"4\"/><text>Fine</text></annotation>\n</passage></document>\n<document><id>2</id><passage><offset>0</offset><text>cut</passage></document></collection>";
    let output = parse_text("broken.xml", xml);
    assert_eq!(output.documents.len(), 2);
    assert_eq!(output.documents[0].annotations.len(), 1);
    let bad_location = output.diagnostics.iter().find(|d| d.message.contains("location")).unwrap();
    assert_eq!(bad_location.line, Some(2));
    let broken = output.diagnostics.iter().find(|d| d.severity == Severity::Error).unwrap();
    assert_eq!(broken.line, Some(4));
}

#[test]
fn hostile_bioc_does_not_panic() {
    for text in [
        "<collection><document><passage><offset>99999999999999999999</offset><text>a</text></passage></document></collection>",
        "<collection><document><passage><offset>4000000000</offset><text>a</text><annotation><location offset=\"18446744073709551615\" length=\"5\"/></annotation></passage></document></collection>",
        "<collection><document><passage><text>é</text><annotation><location offset=\"1\" length=\"1\"/><text>x</text></annotation></passage></document></collection>",
        "<collection><document><annotation><location offset='0' length='0'/></annotation><relation><node/></relation></document>",
        r#"{"documents":[{"passages":[{"offset":-1,"text":7,"annotations":[{"locations":[{"offset":"a","length":null}]}]}]}]}"#,
        r#"{"documents":{"passages":1}}"#,
        r#"[1, {"passages":[{"sentences":[{"offset":1e40}]}]}]"#,
    ] {
        let _ = parse_text("hostile.xml", text);
        let _ = parse_text("hostile.json", text);
    }
}
