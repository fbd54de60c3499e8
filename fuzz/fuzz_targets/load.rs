//! `litview::load` end to end on raw bytes (decoding, detection, parsing, validation), then the
//! view of every document, and recognition across the files as the page does once a drop is
//! read, and the parts workers hand each other (made from that index, and the raw bytes read as
//! one). The first byte picks the file name; a `\n\0\n` marker splits the rest into several
//! files, so that one bad file among good ones and brat pairs are exercised.

#![no_main]

mod common;

use litview::annotate::{find_inferred, infer_into, ConceptIndex, CorpusIndex, SeenNames};
use litview::InputFile;

const NAMES: &[&str] =
    &["a.txt", "a.ann", "b.xml", "b.json", "c.pubtator", "c.bib", "d.ris", "d.nbib", "e.html", "e.conf", "noext"];

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let mut parts = Vec::new();
    let mut remaining = rest;
    while let Some(at) = remaining.windows(3).position(|w| w == b"\n\0\n") {
        parts.push(&remaining[..at]);
        remaining = &remaining[at + 3..];
    }
    parts.push(remaining);
    let names: Vec<&str> = (0..parts.len()).map(|i| NAMES[(pick as usize + i) % NAMES.len()]).collect();
    let files: Vec<InputFile> = parts.iter().zip(&names).map(|(bytes, name)| InputFile { name, bytes }).collect();
    let output = litview::load(&files, None);
    common::check_diagnostics(&output.diagnostics, &names);
    for document in &output.documents {
        common::check_document(document);
        common::check_view(document);
        common::check_store(document);
    }

    let mut concepts = ConceptIndex::new();
    for document in &output.documents {
        concepts.add_source(document);
    }
    let (mut counted, mut seen) = (CorpusIndex::new(), SeenNames::default());
    for document in &output.documents {
        let at = counted.push(document);
        let found = find_inferred(&concepts, document);
        counted.update_inferred(at, &document.text, &concepts, &found, &mut seen);
        let mut recognized = document.clone();
        infer_into(&concepts, &mut recognized);
        common::check_document(&recognized);
        common::check_view(&recognized);
    }

    let mut again = ConceptIndex::new();
    again.absorb(&concepts.part().bytes);
    assert_eq!(again.mentions(), concepts.mentions(), "an index made again from its part");
    again.absorb(data);
    counted.overview(&counted.counts().bytes, 300);
    counted.overview(data, 300);
});
