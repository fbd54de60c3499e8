//! A brat `.txt` and `.ann` pair: the input is the text, a NUL byte, then the annotations.

#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (text, ann) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (&data[..0], data),
    };
    let (text, ann) = (common::text(text), common::text(ann));
    let parsed = litview::formats::brat::parse_pair("doc.ann", &ann, &text);
    let mut diagnostics = parsed.diagnostics;
    let mut documents = parsed.documents;
    for document in &mut documents {
        litview::validate::validate(document, "doc.ann", &mut diagnostics);
    }
    common::check_diagnostics(&diagnostics, &["doc.ann"]);
    for document in &documents {
        common::check_document(document);
        common::check_view(document);
        common::check_store(document);
    }
    // The same pair through the loader, as the page and the command line read it.
    let files = [
        litview::InputFile { name: "doc.txt", bytes: text.as_bytes() },
        litview::InputFile { name: "doc.ann", bytes: ann.as_bytes() },
    ];
    let output = litview::load(&files, None);
    common::check_diagnostics(&output.diagnostics, &["doc.txt", "doc.ann"]);
    for document in &output.documents {
        common::check_document(document);
        common::check_view(document);
        common::check_store(document);
    }
});
