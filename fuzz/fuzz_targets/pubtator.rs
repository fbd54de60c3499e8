//! The pubtator parser on any text: no panic, what it keeps passes the offset and view checks,
//! and `litview stats`'s count without documents agrees with the documents.

#![no_main]

mod common;

use litview::formats::{pubtator, Source};
use litview::stats::FileStats;
use litview::validate::validate;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = common::text(data);
    let file = "doc.pubtator";
    common::parse_and_check(common::format("pubtator"), file, &text);

    let parsed = (pubtator::FORMAT.parse)(&Source { file, text: &text });
    let mut diagnostics = parsed.diagnostics;
    let mut documents = parsed.documents;
    for document in &mut documents {
        document.source.format = pubtator::FORMAT.id.to_string();
        validate(document, file, &mut diagnostics);
    }
    let expected = FileStats::new(file, 0, 0.0, &documents, &diagnostics);
    let mut counted = FileStats { file: file.to_string(), ..FileStats::default() };
    counted.add_pubtator(file, &text);
    let fields = |s: &FileStats| {
        (s.format.clone(), s.documents, s.passages, s.annotations.clone(), s.relations, s.errors, s.warnings)
    };
    assert_eq!(fields(&counted), fields(&expected), "the count without documents differs");
});
