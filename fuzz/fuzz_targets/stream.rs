//! The streaming loader the page uses for big files, fed the input in small chunks: records cut
//! at chunk edges, characters split between chunks, a format chosen or detected. The first byte
//! picks the chunk size, the second the format; the documents must pass the same checks as
//! `load`'s, and every diagnostic must name the file. The same chunks are then read as the page
//! reads them (`litview::ingest`: PubTator records stored straight from their lines), which must
//! store and say exactly what adding the documents does.

#![no_main]

mod common;

use litview::annotate::{ConceptIndex, CorpusIndex};
use litview::ingest::Holdings;
use litview::store::Store;
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

    let (mut store, mut concepts, mut index) = (Store::new(), ConceptIndex::new(), CorpusIndex::new());
    let mut holdings = Holdings { store: &mut store, concepts: &mut concepts, index: &mut index };
    let said = holdings.read_all(&mut StreamLoader::new("big.pubtator", format), rest, chunk, *pick >= 128);
    assert_eq!(said, diagnostics, "the page's read says what reading documents says");
    assert_eq!(store.len(), documents.len(), "the page's read keeps every document");
    let (mut expected, mut expected_concepts) = (CorpusIndex::new(), ConceptIndex::new());
    for (position, document) in documents.into_iter().enumerate() {
        expected_concepts.add_source(&document);
        expected.push(&document);
        let mut document = document;
        document.annotations.iter_mut().for_each(|annotation| annotation.line = None);
        assert_eq!(store.get(position), Some(document), "the page's read stores the document");
    }
    assert_eq!(concepts.mentions(), expected_concepts.mentions(), "the page's concept index");
    assert_eq!(index.counts(), expected.counts(), "the page's corpus counts");
});
