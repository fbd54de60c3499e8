//! Detection on any text under any of the names users give files: no panic, and the answer is a
//! format litview has.

#![no_main]

mod common;

/// The first byte picks the name, so the name-based tie-break is exercised too.
const NAMES: &[&str] =
    &["doc.txt", "doc.ann", "doc.xml", "doc.json", "doc.pubtator", "r.bib", "r.ris", "r.nbib", "p.html", "noext", ".x"];

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let name = NAMES[pick as usize % NAMES.len()];
    let detection = litview::detect::detect(name, &common::text(rest));
    assert!(litview::formats::by_id(detection.format.id).is_some());
});
