//! The invariants every fuzz target checks, whatever the format: a parser may reject anything, but
//! what it keeps must be a document the page can draw without a second guess.

#![allow(dead_code)]

use litview::formats::{Format, Source, FORMATS};
use litview::model::{Diagnostic, Document};
use litview::offsets::Utf16Map;
use litview::validate::validate;
use litview::view::view;

/// Bytes as a parser sees them after decoding. Lossy, so that every input reaches the parser.
pub fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

pub fn format(id: &str) -> &'static Format {
    FORMATS.iter().find(|f| f.id == id).unwrap_or_else(|| panic!("no format {id}"))
}

/// Runs one parser the way `load_one` does after decoding: parse, then validate each document,
/// then check what the page would be given.
pub fn parse_and_check(format: &Format, file: &str, text: &str) {
    let parsed = (format.parse)(&Source { file, text });
    let mut diagnostics = parsed.diagnostics;
    let mut documents = parsed.documents;
    for document in &mut documents {
        validate(document, file, &mut diagnostics);
    }
    check_diagnostics(&diagnostics, &[file]);
    for document in &documents {
        check_document(document);
        check_view(document);
        check_store(document);
    }
}

/// The page holds its documents in the compact store: each comes back exactly as it went in
/// (but for the line each annotation came from, which only parsing's diagnostics read).
pub fn check_store(document: &Document) {
    let mut store = litview::store::Store::new();
    store.push(document.clone());
    let mut expected = document.clone();
    for annotation in &mut expected.annotations {
        annotation.line = None;
    }
    assert!(store.get(0) == Some(expected), "the store changed a document");
}

/// Every diagnostic names one of the files it was given, and says something.
pub fn check_diagnostics(diagnostics: &[Diagnostic], files: &[&str]) {
    for d in diagnostics {
        assert!(files.contains(&d.file.as_str()), "diagnostic names {:?}, not one of {files:?}", d.file);
        assert!(!d.message.is_empty(), "empty diagnostic message");
    }
}

/// The contract's offset rule, after validation: spans inside the text, in code points, and the
/// annotation's text is exactly what they cover (fragments joined by one space).
pub fn check_document(document: &Document) {
    let chars: Vec<char> = document.text.chars().collect();
    let length = chars.len();
    for p in &document.passages {
        assert!(p.start <= p.end && p.end <= length, "passage {}–{} of {length}", p.start, p.end);
    }
    for a in &document.annotations {
        assert!(a.start <= a.end && a.end <= length, "annotation {} at {}–{} of {length}", a.id, a.start, a.end);
        let mut covered = String::new();
        for (i, [start, end]) in a.spans().into_iter().enumerate() {
            assert!(start <= end && end <= length, "fragment {start}–{end} of {length}");
            assert!(a.start <= start && end <= a.end, "fragment {start}–{end} outside {}–{}", a.start, a.end);
            if i > 0 {
                covered.push(' ');
            }
            covered.extend(&chars[start..end]);
        }
        assert_eq!(covered, a.text, "annotation {} text", a.id);
    }
}

/// The view tiles each passage with segments whose UTF-16 offsets rise without gaps, and each
/// segment's text is what its offsets cover.
pub fn check_view(document: &Document) {
    let shown = view(document);
    let utf16 = Utf16Map::new(&document.text);
    let units: Vec<u16> = document.text.encode_utf16().collect();
    let passages: Vec<(usize, usize)> = if document.passages.is_empty() {
        vec![(0, document.text.chars().count())]
    } else {
        document.passages.iter().map(|p| (p.start, p.end)).collect()
    };
    assert_eq!(shown.blocks.len(), passages.len(), "one block per passage");
    for (block, &(start, end)) in shown.blocks.iter().zip(&passages) {
        let mut at = utf16.of(start);
        for segment in &block.segments {
            assert_eq!(segment.start, at, "segments leave a gap or overlap");
            assert!(segment.start < segment.end, "empty or reversed segment {}–{}", segment.start, segment.end);
            let piece =
                String::from_utf16(&units[segment.start..segment.end]).expect("segment splits a surrogate pair");
            assert_eq!(piece, segment.text, "segment text");
            for &e in &segment.entities {
                assert!(e < shown.entities.len(), "segment names entity {e}");
            }
            at = segment.end;
        }
        assert_eq!(at, utf16.of(end), "segments do not reach the passage's end");
    }
    for entity in &shown.entities {
        for &[s, e] in &entity.spans {
            assert!(s <= e && e <= units.len(), "entity span {s}–{e} of {}", units.len());
        }
    }
    for relation in &shown.relations {
        for arg in &relation.args {
            assert!(arg.entity.map_or(true, |e| e < shown.entities.len()));
        }
    }
}
