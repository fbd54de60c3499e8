//! The wasm API, in headless Chromium (wasm-bindgen-test): what the page's worker calls.
#![cfg(target_arch = "wasm32")]

use js_sys::Uint8Array;
use litview::wasm::{formats, parse, Corpus};
use serde_json::Value;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SEED: &str = include_str!("../www/examples/003_d1ca3af4f330edf7.txt");

fn json(value: JsValue) -> Value {
    let text: String = js_sys::JSON::stringify(&value).expect("the API returns plain JSON-shaped objects").into();
    serde_json::from_str(&text).expect("valid JSON")
}

fn bytes(text: &str) -> Uint8Array {
    Uint8Array::from(text.as_bytes())
}

#[wasm_bindgen_test]
fn parse_returns_the_contract_shape() {
    let output = json(parse(vec!["003.txt".into()], vec![bytes(SEED)], None).unwrap());
    let document = &output["documents"][0];
    assert_eq!(document["source"]["format"], "pubtator");
    assert_eq!(document["annotations"].as_array().unwrap().len(), 26);
    let first = &document["annotations"][0];
    assert_eq!((first["start"].as_u64(), first["end"].as_u64()), (Some(7), Some(19)));
    assert_eq!(first["text"], "blinatumomab");
    assert_eq!(first["concepts"][0], "MESH:C510808");
    assert_eq!(document["relations"].as_array().unwrap().len(), 3);
    assert_eq!(output["diagnostics"].as_array().unwrap().len(), 0);
}

#[wasm_bindgen_test]
fn views_count_utf16_units_for_the_dom() {
    let text = "1|t|😀 aspirin\n1\t2\t9\taspirin\tChemical\tMESH:D001241\n";
    let mut corpus = Corpus::new();
    let added = json(corpus.add_files(vec!["emoji.pubtator".into()], vec![bytes(text)], None).unwrap());
    assert_eq!((added["first"].as_u64(), added["count"].as_u64()), (Some(0), Some(1)));
    let rows = json(corpus.rows(vec![0, 7]).unwrap());
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!((rows[0]["title"].as_str(), rows[0]["entities"].as_u64()), (Some("😀 aspirin"), Some(1)));
    let view = json(corpus.view(0).unwrap());
    let entity = &view["entities"][0];
    // The emoji is one code point but two UTF-16 units: the DOM offset is 3, not 2.
    assert_eq!(entity["spans"][0], serde_json::json!([3, 10]));
    assert_eq!(entity["concepts"][0]["url"], "https://meshb.nlm.nih.gov/record/ui?ui=D001241");
    let segment = &view["blocks"][0]["segments"][1];
    assert_eq!(segment["text"], "aspirin");
}

#[wasm_bindgen_test]
fn a_bad_file_gives_a_diagnostic_and_the_others_load() {
    let mut corpus = Corpus::new();
    let png = Uint8Array::from(&b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..]);
    let added =
        json(corpus.add_files(vec!["figure.png".into(), "003.txt".into()], vec![png, bytes(SEED)], None).unwrap());
    assert_eq!(added["count"], 1);
    assert_eq!(added["files"], serde_json::json!([{"file": "003.txt", "documents": 1}]));
    assert_eq!(added["diagnostics"][0]["file"], "figure.png");
    assert_eq!(added["diagnostics"][0]["severity"], "error");
    assert_eq!(corpus.len(), 1);
    assert!(corpus.view(5).is_err());
}

#[wasm_bindgen_test]
fn formats_lists_pubtator() {
    let list = json(formats().unwrap());
    assert!(list.as_array().unwrap().iter().any(|f| f["id"] == "pubtator"));
}

/// Two workers each read a drop and recognize with the other's mentions; then one reads a
/// second drop. What it hands on next is what it read itself, not the other's mentions again:
/// a worker that never exchanged anything, having read the same two drops, hands on the same.
#[wasm_bindgen_test]
fn a_worker_hands_on_only_its_own_mentions_after_recognizing_with_others() {
    let record = |id: u32, name: &str, concept: &str| {
        format!("{id}|t|{name} and aspirin and imatinib\n{id}\t0\t{}\t{name}\tChemical\t{concept}\n\n", name.len())
    };
    let drop = |corpus: &mut Corpus, file: &str, text: &str| {
        corpus.add_files(vec![file.into()], vec![bytes(text)], None).unwrap();
    };
    let (mut first, mut second, mut alone) = (Corpus::new(), Corpus::new(), Corpus::new());
    drop(&mut first, "a.pubtator", &record(1, "aspirin", "MESH:D001241"));
    drop(&mut second, "b.pubtator", &record(2, "imatinib", "MESH:D000068877"));
    drop(&mut alone, "b.pubtator", &record(2, "imatinib", "MESH:D000068877"));
    let (from_first, from_second) = (first.concept_part(), second.concept_part());
    let changed = json(second.infer(&from_first).unwrap());
    assert_eq!(changed, serde_json::json!([0]), "aspirin is recognized with the first worker's mentions");
    first.infer(&from_second).unwrap();

    drop(&mut second, "c.pubtator", &record(3, "heparin", "MESH:D006493"));
    drop(&mut alone, "c.pubtator", &record(3, "heparin", "MESH:D006493"));
    assert_eq!(second.concept_part(), alone.concept_part());
    // And it still recognizes with the other's mentions once given them again.
    json(second.infer(&first.concept_part()).unwrap());
    let recognized = json(second.document(1).unwrap());
    let inferred: Vec<&str> = recognized["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["origin"] == "inferred")
        .filter_map(|a| a["text"].as_str())
        .collect();
    assert_eq!(inferred, ["aspirin", "imatinib"]);
}
