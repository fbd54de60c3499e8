//! The streaming loader the page uses for big files, fed the input in small chunks: records cut
//! at chunk edges, characters split between chunks, a format chosen or detected. The first byte
//! picks the chunk size, the second the format; the documents must pass the same checks as
//! `load`'s, and every diagnostic must name the file.

#![no_main]

mod common;

use litview::stream::StreamLoader;

const FORMATS: &[Option<&str>] = &[None, Some("pubtator"), Some("medline"), Some("bioc-xml")];

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let [size, pick, rest @ ..] = data else { return };
    let chunk = 1 + *size as usize % 64;
    let format = FORMATS[*pick as usize % FORMATS.len()];
    let mut loader = StreamLoader::new("big.pubtator", format);
    let mut documents = Vec::new();
    let mut diagnostics = Vec::new();
    for piece in rest.chunks(chunk) {
        let progress = loader.push(piece);
        documents.extend(progress.documents);
        diagnostics.extend(progress.diagnostics);
    }
    let progress = loader.finish(*pick >= 128);
    documents.extend(progress.documents);
    diagnostics.extend(progress.diagnostics);
    common::check_diagnostics(&diagnostics, &["big.pubtator"]);
    for (index, document) in documents.iter().enumerate() {
        assert_eq!(document.source.index, index, "documents are numbered in file order");
        common::check_document(document);
        common::check_view(document);
        common::check_store(document);
    }
});
