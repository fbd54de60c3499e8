//! PubAnnotation JSON: every corpus file against counts made independently here, and one small
//! case per rule (bagged spans, `_FRAGMENT`, tracks, repaired numbers, attributes).

mod common;

use std::path::Path;

use common::{assert_offsets_cover_text, files_under, parse_paths, parse_text, shared};
use litview::Output;
use serde_json::Value;

/// Documents, denotations (a `_FRAGMENT` relation joins two into one) and other relations,
/// counted from the JSON without litview.
fn expected_counts(path: &Path) -> (usize, usize, usize) {
    let value: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let documents: Vec<&Value> = match &value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut counts = (documents.len(), 0, 0);
    for document in documents {
        let mut layers = vec![document];
        layers.extend(document.get("tracks").and_then(Value::as_array).into_iter().flatten());
        for layer in layers {
            let list = |key: &str| layer.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
            let fragments = list("relations").iter().filter(|r| r["pred"] == "_FRAGMENT").count();
            counts.1 += list("denotations").len() - fragments;
            counts.2 += list("relations").len() - fragments;
        }
    }
    counts
}

/// Denotations litview had to leave out, each with its diagnostic.
fn left_out(output: &Output) -> usize {
    output
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("the denotation is skipped") || d.message.ends_with("dropped"))
        .count()
}

#[test]
fn every_pubannotation_file_parses_with_the_counts_of_the_file() {
    let Some(dir) = shared("data/pubannotation") else { return };
    let files = files_under(&dir);
    assert!(files.len() >= 18);
    for path in files {
        let output = parse_paths(std::slice::from_ref(&path), None);
        let name = path.display();
        assert!(output.documents.iter().all(|d| d.source.format == "pubannotation"), "{name}");
        let (documents, denotations, relations) = expected_counts(&path);
        assert_eq!(output.documents.len(), documents, "{name}");
        let annotations: usize = output.documents.iter().map(|d| d.annotations.len()).sum();
        assert_eq!(annotations + left_out(&output), denotations, "{name}: {:?}", output.diagnostics);
        assert_eq!(output.documents.iter().map(|d| d.relations.len()).sum::<usize>(), relations, "{name}");
        assert_offsets_cover_text(&output);
        let invalid = name.to_string().contains("invalid") || name.to_string().contains("warning_not_integer");
        let has_relations_to_missing = name.to_string().contains("1_annotations");
        if !invalid && !has_relations_to_missing {
            assert!(output.diagnostics.is_empty(), "{name}: {:?}", output.diagnostics);
        }
    }
}

#[test]
fn the_largest_sample_keeps_its_normalizations() {
    let Some(dir) = shared("data/pubannotation") else { return };
    let output = parse_paths(&[dir.join("pubannotation-app/PMC-7646410.json")], None);
    assert_eq!(output.documents.len(), 238);
    let first = &output.documents[0];
    assert_eq!(first.source.id.as_deref(), Some("PMC:7646410"));
    assert_eq!(first.citation.pmcid.as_deref(), Some("PMC7646410"));
    assert_eq!(first.annotations[0].text, "COVID-19");
    assert_eq!(first.annotations[0].concepts, ["MESH:C000657245"]);
}

#[test]
fn a_bagged_span_is_one_discontinuous_mention() {
    let json = r#"{"text":"left and right lung","sourcedb":"PubMed","sourceid":"123",
        "denotations":[{"id":"T1","span":[{"begin":0,"end":4},{"begin":15,"end":19}],"obj":"Organ"}]}"#;
    let output = parse_text("bag.json", json);
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
    let document = &output.documents[0];
    assert_eq!(document.source.id.as_deref(), Some("PubMed:123"));
    assert_eq!(document.citation.pmid.as_deref(), Some("123"));
    let annotation = &document.annotations[0];
    assert_eq!(annotation.fragments, Some(vec![[0, 4], [15, 19]]));
    assert_eq!((annotation.start, annotation.end, annotation.text.as_str()), (0, 19, "left lung"));
}

#[test]
fn fragment_relations_chain_denotations() {
    let json = r#"{"text":"left and right lung","denotations":[
        {"id":"T1","span":{"begin":0,"end":4},"obj":"Organ"},
        {"id":"T2","span":{"begin":15,"end":19},"obj":"Organ"},
        {"id":"T3","span":{"begin":9,"end":14},"obj":"Side"}],
        "relations":[{"id":"R1","subj":"T2","pred":"_FRAGMENT","obj":"T1"},{"id":"R2","subj":"T3","pred":"partOf","obj":"T2"}],
        "attributes":[{"id":"A1","subj":"T2","pred":"certainty","obj":"high"}]}"#;
    let output = parse_text("fragments.json", json);
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
    let document = &output.documents[0];
    assert_eq!(document.annotations.len(), 2);
    let lung = &document.annotations[0];
    assert_eq!((lung.id.as_str(), lung.text.as_str()), ("T1", "left lung"));
    assert_eq!(lung.fragments, Some(vec![[0, 4], [15, 19]]));
    assert_eq!(lung.infons.get("certainty").map(String::as_str), Some("high"));
    let relation = &document.relations[0];
    assert_eq!(relation.kind, "partOf");
    assert_eq!(relation.args[1].annotation.as_deref(), Some("T1"));
}

#[test]
fn tracks_merge_and_colliding_ids_are_prefixed() {
    let json = r#"{"text":"IL-2 binds IL-2R","tracks":[
        {"project":"a","denotations":[{"id":"T1","span":{"begin":0,"end":4},"obj":"Protein"}]},
        {"project":"b","denotations":[{"id":"T1","span":{"begin":11,"end":16},"obj":"http://purl.obolibrary.org/obo/PR_1"}],
         "relations":[{"id":"R1","subj":"T1","pred":"self","obj":"T1"}]},
        {}]}"#;
    let output = parse_text("tracks.json", json);
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
    let document = &output.documents[0];
    let ids: Vec<&str> = document.annotations.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["T1", "track2:T1"]);
    assert_eq!(document.annotations[1].concepts, ["http://purl.obolibrary.org/obo/PR_1"]);
    assert_eq!(document.annotations[1].infons.get("project").map(String::as_str), Some("b"));
    assert_eq!(document.relations[0].args[0].annotation.as_deref(), Some("track2:T1"));
}

#[test]
fn numbers_written_as_strings_are_repaired_with_a_warning() {
    let json = r#"[{"text":"Ribonucleic acid (RNA) and 𝔸 😀 DNA","denotations":[
        {"id":"E1","span":{"begin":"0","end":"16"},"obj":"MESH:D012313"},
        {"id":"E2","span":{"begin":1.5,"end":3},"obj":"x"},
        {"id":"E3","span":{"begin":31,"end":34},"obj":"DNA"}]}]"#;
    let output = parse_text("strings.json", json);
    let messages: Vec<&str> = output.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages[0].contains("written as the string \"0\""));
    assert!(messages[2].contains("1.5"));
    let document = &output.documents[0];
    assert_eq!(document.annotations.len(), 2);
    assert_eq!(document.annotations[0].text, "Ribonucleic acid");
    assert_eq!(document.annotations[0].concepts, ["MESH:D012313"]);
    // Code points: 𝔸 and 😀 count one each.
    assert_eq!(document.annotations[1].text, "DNA");
    assert_offsets_cover_text(&output);
}

#[test]
fn hostile_pubannotation_does_not_panic() {
    for text in [
        r#"{"text":"abc","denotations":[{"span":{"begin":2,"end":1}},{"span":[]},{"span":[{"begin":0,"end":99999999999}]}]}"#,
        r#"{"text":"abc","denotations":[{"id":"a","span":{"begin":0,"end":1}}],"relations":[{"pred":"_FRAGMENT","subj":"a","obj":"a"},{"pred":"_FRAGMENT","subj":"b","obj":"a"}]}"#,
        r#"{"text":"abc","tracks":[1,{"denotations":"x"}],"attributes":[{"subj":null}]}"#,
        r#"[{"text":5},{"denotations":[]},"x"]"#,
    ] {
        let _ = parse_text("hostile.json", text);
    }
}
