//! The page's compact store gives every document back exactly as it was parsed: the view, the
//! exports and "document as JSON" read documents from it.

mod common;

use std::path::PathBuf;

use litview::annotate::{find_inferred, find_inferred_in, ConceptIndex, CorpusIndex, Query};
use litview::store::Store;
use litview::view::Summary;
use litview::{Document, Output};

/// What the store does not keep: the line an annotation came from, which only the diagnostics
/// of parsing read.
fn without_lines(mut document: Document) -> Document {
    for annotation in &mut document.annotations {
        annotation.line = None;
    }
    document
}

fn assert_round_trip(output: Output, what: &str) -> usize {
    let mut store = Store::new();
    for document in &output.documents {
        store.push(document.clone());
    }
    assert_eq!(store.len(), output.documents.len());
    for (i, document) in output.documents.into_iter().enumerate() {
        let citation = store.citation(i);
        let back = store.get(i);
        let document = without_lines(document);
        assert_eq!(citation.as_ref(), Some(&document.citation), "{what}, document {i}: citation");
        // The list's row, read from the store without making the document whole.
        let row = store.summary(i).map(|s| serde_json::to_value(s).unwrap());
        assert_eq!(row, Some(serde_json::to_value(Summary::of(&document)).unwrap()), "{what}, document {i}: row");
        assert_eq!(back.as_ref(), Some(&document), "{what}, document {i}");
    }
    store.len()
}

#[test]
fn every_corpus_document_comes_back_as_parsed() {
    let Some(data) = common::shared("data") else { return };
    let mut documents = 0;
    for dir in ["pubtator", "bioc", "pubannotation", "biblio"] {
        for file in common::files_under(&data.join(dir)) {
            if file.extension().is_some_and(|e| e == "md") {
                continue;
            }
            documents +=
                assert_round_trip(common::parse_paths(std::slice::from_ref(&file), None), &file.display().to_string());
        }
    }
    // brat documents are a .txt with its .ann: a whole folder at once pairs them.
    let brat: Vec<PathBuf> = common::files_under(&data.join("brat"));
    documents += assert_round_trip(common::parse_paths(&brat, None), "brat");
    assert!(documents > 1000, "only {documents} documents were read");
}

#[test]
fn the_seeds_come_back_as_parsed() {
    let Some(seeds) = common::shared("seeds") else { return };
    let files = common::files_under(&seeds);
    assert_eq!(assert_round_trip(common::parse_paths(&files, None), "seeds"), 5);
}

/// Everything the store holds apart from the usual: ids not numbered from a1, a text that is not
/// its span, fragments, infons, several concepts, a title that is not a passage, non-ASCII text.
#[test]
fn unusual_annotations_come_back_as_parsed() {
    let pubtator = "1|t|Ärztliche Übersicht: TNF-α und IL-6\n1|a|Beide Zytokine, TNF-α und IL-6, steigen.\n\
                    1\t22\t27\tTNF-α\tGene\t7124|3569\n1\t32\t36\tIL-6\tGene\t3569\n\
                    1\tCID\t7124\t3569\n";
    assert_round_trip(common::parse_text("umlaut.pubtator", pubtator), "PubTator");

    let ann = "T1\tProtein 0 5;10 15\tTNF-α IL-6x\nT7\tProtein 10 14\tIL-6\n#1\tAnnotatorNotes T1\tjoined\n\
               R1\tBinds Arg1:T1 Arg2:T7\n";
    let text = "TNF-α and IL-6x bind.";
    let files = [
        litview::InputFile { name: "x.txt", bytes: text.as_bytes() },
        litview::InputFile { name: "x.ann", bytes: ann.as_bytes() },
    ];
    let brat = litview::load(&files, None);
    assert!(brat.documents[0].annotations.iter().any(|a| a.fragments.is_some()));
    assert_round_trip(brat, "brat");

    let ris = "TY  - JOUR\nTI  - Ein Titel, der kein Absatz ist\nAU  - Müller, Jörg\nPY  - 2020\nER  - \n";
    assert_round_trip(common::parse_text("x.ris", ris), "RIS");

    let mut document = Document { text: "Ägypten und BRCA1".into(), ..Document::default() };
    document.annotations.push(litview::Annotation {
        id: "weird id".into(),
        start: 12,
        end: 17,
        text: "brca1".into(),
        kind: "Gene".into(),
        concepts: vec!["672".into(), "NCBI:672".into(), "672".into()],
        ..litview::Annotation::default()
    });
    document.annotations[0].infons.insert("score".into(), "0.9".into());
    assert_round_trip(Output { documents: vec![document], diagnostics: Vec::new() }, "made by hand");
}

/// The page searches, recognizes and counts over the store; the answers are those over the
/// documents themselves.
#[test]
fn searching_and_recognizing_over_the_store_agree_with_the_documents() {
    let Some(data) = common::shared("data/pubtator/BC5CDR") else { return };
    let output = common::parse_paths(&common::files_under(&data), Some("pubtator"));
    let documents = &output.documents[..600.min(output.documents.len())];
    let mut store = Store::new();
    let mut concepts = ConceptIndex::new();
    for document in documents {
        concepts.add_source(document);
        store.push(document.clone());
    }
    let mut index = CorpusIndex::new();
    for document in documents {
        index.push(document);
    }
    for (i, document) in documents.iter().enumerate() {
        let text = store.text(i).unwrap();
        assert_eq!(find_inferred_in(&concepts, text, store.own_spans(i)), find_inferred(&concepts, document));
    }
    for words in ["cocaine", "induced hypotension", "ΑΒΓ", "naloxone clonidine"] {
        let query = Query { text: words.into(), ..Query::default() };
        assert_eq!(index.search(&store, &query), index.search(documents, &query), "{words}");
    }
}
