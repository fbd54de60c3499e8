//! Properties that hold for any input, checked on random ones: whatever a file holds, every
//! offset litview hands out lies inside its document's text, each annotation's text is what its
//! offsets cover, the view tiles every passage exactly, and the offset conversions are inverse.
//! Structured cases build PubTator, brat and PubAnnotation files from random Unicode text
//! (astral characters and combining marks included) with random spans, good and bad.

use proptest::prelude::*;

use litview::formats::pubtator;
use litview::offsets::{char_len, char_of_byte, char_of_utf16, CharIndex, Utf16Map};
use litview::stats::FileStats;
use litview::stream::{read_block, Block};
use litview::view::view;
use litview::{load, Document, InputFile, Output};

// ---- Checks ----

/// The offset rule, the view's tiling, and that every diagnostic names a given file.
fn check(output: &Output, names: &[&str]) -> Result<(), TestCaseError> {
    for d in &output.diagnostics {
        prop_assert!(names.contains(&d.file.as_str()), "diagnostic names {:?}", d.file);
    }
    for document in &output.documents {
        check_offsets(document)?;
        check_view(document)?;
        check_store(document)?;
    }
    Ok(())
}

/// The page holds documents in its compact store: each must come back as it went in.
fn check_store(document: &Document) -> Result<(), TestCaseError> {
    let mut store = litview::store::Store::new();
    let mut expected = document.clone();
    store.push(document.clone());
    for annotation in &mut expected.annotations {
        annotation.line = None;
    }
    prop_assert_eq!(store.get(0), Some(expected));
    Ok(())
}

fn check_offsets(document: &Document) -> Result<(), TestCaseError> {
    let chars: Vec<char> = document.text.chars().collect();
    let length = chars.len();
    for p in &document.passages {
        prop_assert!(p.start <= p.end && p.end <= length, "passage {}–{} of {length}", p.start, p.end);
    }
    for a in &document.annotations {
        prop_assert!(a.start <= a.end && a.end <= length, "annotation {}–{} of {length}", a.start, a.end);
        let mut covered = Vec::new();
        for [start, end] in a.spans() {
            prop_assert!(start <= end && end <= length, "fragment {start}–{end} of {length}");
            covered.push(chars[start..end].iter().collect::<String>());
        }
        prop_assert_eq!(covered.join(" "), a.text.clone());
    }
    Ok(())
}

/// Segments of each passage follow one another without gaps from its start to its end, in
/// UTF-16 units, and each one's text is what those units hold.
fn check_view(document: &Document) -> Result<(), TestCaseError> {
    let shown = view(document);
    let units: Vec<u16> = document.text.encode_utf16().collect();
    let map = Utf16Map::new(&document.text);
    let passages: Vec<(usize, usize)> = if document.passages.is_empty() {
        vec![(0, char_len(&document.text))]
    } else {
        document.passages.iter().map(|p| (p.start, p.end)).collect()
    };
    prop_assert_eq!(shown.blocks.len(), passages.len());
    for (block, (start, end)) in shown.blocks.iter().zip(passages) {
        let mut at = map.of(start);
        for segment in &block.segments {
            prop_assert_eq!(segment.start, at, "a gap or an overlap");
            prop_assert!(segment.start < segment.end && segment.end <= units.len());
            let text = String::from_utf16(&units[segment.start..segment.end]);
            prop_assert!(text.is_ok(), "segment {}–{} splits a surrogate pair", segment.start, segment.end);
            prop_assert_eq!(text.unwrap_or_default(), segment.text.clone());
            at = segment.end;
        }
        prop_assert_eq!(at, map.of(end), "the segments stop short of the passage's end");
    }
    Ok(())
}

// ---- Random text ----

/// A character of the kinds real abstracts hold, weighted towards the awkward: accented Latin,
/// Greek, CJK, combining marks, astral letters and emoji (two UTF-16 units, four UTF-8 bytes).
fn letter() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::range('a', 'z'),
        1 => proptest::char::range('0', '9'),
        2 => proptest::sample::select(vec!['é', 'ü', 'ß', 'α', 'β', 'κ', '中', '文', '\u{301}', '\u{200d}', '\u{fe0f}', '−', '±', '·']),
        2 => proptest::sample::select(vec!['😀', '𝔸', '🧬', '𝛼', '🏳', '\u{1F3FB}']),
        1 => proptest::char::any().prop_filter("no line or column breaks", |c| !c.is_whitespace() && !c.is_control() && *c != '|'),
    ]
}

/// Words of random letters joined by single spaces: no tabs, line breaks or edge spaces, so the
/// text a format carries comes back unchanged.
fn sentence(max_words: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::collection::vec(letter(), 1..8), 1..max_words)
        .prop_map(|words| words.into_iter().map(|w| w.into_iter().collect::<String>()).collect::<Vec<_>>().join(" "))
}

/// Spans over a text of `length` code points: mostly good ones, some reversed or past the end.
fn spans(length: usize) -> impl Strategy<Value = Vec<(usize, usize)>> {
    let good = (0..length, 1..=length).prop_map(|(a, b)| (a.min(b), a.max(b).max(a.min(b) + 1)));
    let any = (0..length + 20, 0..length + 20);
    proptest::collection::vec(prop_oneof![4 => good, 1 => any], 0..8)
}

fn is_good(length: usize, (start, end): (usize, usize)) -> bool {
    start <= end && end <= length
}

fn slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end.saturating_sub(start)).collect()
}

/// Files made of the pieces formats are made of: parsers see their own syntax, broken.
fn fragments() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        proptest::sample::select(vec![
            "1|t|",
            "1|a|",
            "\t",
            "\n",
            "\r\n",
            " ",
            "0",
            "5",
            "12",
            "-3",
            "99999999999999999999",
            "Chemical",
            "T1",
            "R1",
            "\tDrug 0 4;6 9\t",
            "Arg1:T1",
            "<collection>",
            "<document>",
            "<passage>",
            "<offset>",
            "</offset>",
            "<text>",
            "</text>",
            "<annotation id=\"a\">",
            "<location offset=\"",
            "\" length=\"",
            "\"/>",
            "</passage>",
            "</document>",
            "</collection>",
            "<infon key=\"type\">",
            "</infon>",
            "&amp;",
            "&x;",
            "<![CDATA[",
            "]]>",
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"text\"",
            "\"denotations\"",
            "\"span\"",
            "\"begin\"",
            "\"end\"",
            "\"passages\"",
            "\"documents\"",
            "\"annotations\"",
            "\"locations\"",
            "\"offset\"",
            "\"length\"",
            "TY  - ",
            "ER  - ",
            "AU  - ",
            "PMID- ",
            "TI  - ",
            "FAU - ",
            "@article{",
            "title = {",
            "}",
            "doi.org/10.1/x",
            "Abstract",
            "References",
            "1. ",
            "😀",
            "é",
            "\u{301}",
            "\u{feff}",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 0..6),
        sentence(4).prop_map(String::into_bytes),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

const NAMES: &[&str] =
    &["x.txt", "x.pubtator", "x.xml", "x.json", "x.ann", "x.bib", "x.ris", "x.nbib", "x.html", "x.conf", "noext"];

proptest! {
    // 256 cases each by default; PROPTEST_CASES=10000 for a longer run.
    // ---- Any input ----

    #[test]
    fn random_bytes_load_into_valid_documents(bytes in proptest::collection::vec(any::<u8>(), 0..3000), name in proptest::sample::select(NAMES)) {
        let output = load(&[InputFile { name, bytes: &bytes }], None);
        check(&output, &[name])?;
    }

    #[test]
    fn format_shaped_noise_loads_into_valid_documents(bytes in fragments(), name in proptest::sample::select(NAMES), format in proptest::sample::select(vec![None, Some("pubtator"), Some("bioc-xml"), Some("bioc-json"), Some("pubannotation"), Some("page"), Some("ris"), Some("medline"), Some("bibtex"), Some("csl-json")])) {
        let output = load(&[InputFile { name, bytes: &bytes }], format);
        check(&output, &[name])?;
    }

    #[test]
    fn brat_pairs_of_noise_load_into_valid_documents(text in fragments(), ann in fragments()) {
        let files = [InputFile { name: "n.txt", bytes: &text }, InputFile { name: "n.ann", bytes: &ann }];
        let output = load(&files, None);
        check(&output, &["n.txt", "n.ann"])?;
    }

    #[test]
    fn counting_pubtator_without_documents_agrees_with_reading_them(bytes in fragments(), spans in proptest::collection::vec((0usize..40, 0usize..40, proptest::sample::select(vec!["Chemical", "Gene", "Disease"])), 0..8)) {
        // Noise, then lines whose mentions may or may not be what their offsets cover.
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        text.push_str("\n9|t|Acétylsalicylique 😀 acid\n9|a|It works.\n");
        for (start, end, kind) in spans {
            let mention: String = text.chars().skip(start).take(end.saturating_sub(start)).collect();
            text.push_str(&format!("9\t{start}\t{end}\t{mention}\t{kind}\n"));
        }
        let read = read_block("c.pubtator", None, 0, Block::Records { format: &pubtator::FORMAT, text: text.clone(), lines_before: 0 });
        let expected = FileStats::new("c.pubtator", 0, 0.0, &read.documents, &read.diagnostics);
        let mut counted = FileStats { file: "c.pubtator".into(), ..FileStats::default() };
        counted.add_pubtator("c.pubtator", &text);
        let fields = |s: &FileStats| (s.format.clone(), s.documents, s.passages, s.annotations.clone(), s.relations, s.errors, s.warnings);
        prop_assert_eq!(fields(&counted), fields(&expected));
    }

    // ---- Structured files with random text and spans ----

    #[test]
    fn pubtator_keeps_every_good_span_and_only_those((title, abstract_text, spans) in (sentence(8), sentence(20)).prop_flat_map(|(t, a)| {
        let length = char_len(&t) + 1 + char_len(&a);
        (Just(t), Just(a), spans(length))
    })) {
        let text = format!("{title} {abstract_text}");
        let length = char_len(&text);
        let mut file = format!("7|t|{title}\n7|a|{abstract_text}\n");
        for &(start, end) in &spans {
            let mention = slice(&text, start, end);
            file.push_str(&format!("7\t{start}\t{end}\t{mention}\tChemical\tD1\n"));
        }
        let output = load(&[InputFile { name: "r.pubtator", bytes: file.as_bytes() }], None);
        check(&output, &["r.pubtator"])?;
        prop_assert_eq!(output.documents.len(), 1);
        let document = &output.documents[0];
        prop_assert_eq!(&document.text, &text);
        let kept: Vec<(usize, usize)> = document.annotations.iter().map(|a| (a.start, a.end)).collect();
        let good: Vec<(usize, usize)> = spans.iter().copied().filter(|&s| is_good(length, s)).collect();
        prop_assert_eq!(kept, good);
    }

    #[test]
    fn brat_keeps_every_good_span_and_only_those((text, spans) in sentence(24).prop_flat_map(|t| {
        let length = char_len(&t);
        (Just(t), spans(length))
    })) {
        let length = char_len(&text);
        let ann: String = spans
            .iter()
            .enumerate()
            .map(|(i, &(start, end))| format!("T{i}\tDrug {start} {end}\t{}\n", slice(&text, start, end)))
            .collect();
        let files = [InputFile { name: "r.txt", bytes: text.as_bytes() }, InputFile { name: "r.ann", bytes: ann.as_bytes() }];
        let output = load(&files, None);
        check(&output, &["r.txt", "r.ann"])?;
        prop_assert_eq!(output.documents.len(), 1);
        let kept: Vec<(usize, usize)> = output.documents[0].annotations.iter().map(|a| (a.start, a.end)).collect();
        let good: Vec<(usize, usize)> = spans.iter().copied().filter(|&s| is_good(length, s)).collect();
        prop_assert_eq!(kept, good);
    }

    #[test]
    fn pubannotation_keeps_every_good_span_and_only_those((text, spans) in sentence(24).prop_flat_map(|t| {
        let length = char_len(&t);
        (Just(t), spans(length))
    })) {
        let length = char_len(&text);
        let denotations: Vec<serde_json::Value> = spans
            .iter()
            .enumerate()
            .map(|(i, &(start, end))| serde_json::json!({"id": format!("T{i}"), "span": {"begin": start, "end": end}, "obj": "Drug"}))
            .collect();
        let file = serde_json::json!({"text": text, "denotations": denotations}).to_string();
        let output = load(&[InputFile { name: "r.json", bytes: file.as_bytes() }], None);
        check(&output, &["r.json"])?;
        prop_assert_eq!(output.documents.len(), 1);
        let kept: Vec<(usize, usize)> = output.documents[0].annotations.iter().map(|a| (a.start, a.end)).collect();
        let good: Vec<(usize, usize)> = spans.iter().copied().filter(|&s| is_good(length, s)).collect();
        prop_assert_eq!(kept, good);
    }

    // ---- Offset conversions ----

    /// Concepts recognized across documents land inside the text, on whole characters, and
    /// cover what they say, in a corpus whose own annotations are random (some out of range, as
    /// a document that skipped validation would hold) and whose other texts reuse its words in
    /// any case.
    #[test]
    fn inferred_mentions_keep_every_offset_valid((text, spans, order, upper) in sentence(16).prop_flat_map(|t| {
        let length = char_len(&t);
        let words = t.split(' ').count();
        let some_words = proptest::collection::vec(0..words, 1..5);
        (Just(t), (spans(length), some_words), Just((0..words).collect::<Vec<_>>()).prop_shuffle(), proptest::collection::vec(any::<bool>(), words))
    })) {
        let (mut spans, some_words) = spans;
        // Whole words too: the only spans inference can find elsewhere.
        let mut at = 0;
        let bounds: Vec<(usize, usize)> = text.split(' ').map(|w| { let span = (at, at + char_len(w)); at = span.1 + 1; span }).collect();
        spans.extend(some_words.iter().filter_map(|&i| bounds.get(i).copied()));
        let mut file = format!("1|t|{text}\n1|a|\n");
        for &(start, end) in &spans {
            file.push_str(&format!("1\t{start}\t{end}\t{}\tDisease\tD1\n", slice(&text, start, end)));
        }
        let mut documents = load(&[InputFile { name: "i.pubtator", bytes: file.as_bytes() }], None).documents;
        let words: Vec<&str> = text.split(' ').collect();
        let reused: Vec<String> = order.iter().zip(&upper).map(|(&i, &up)| {
            let word = words.get(i).copied().unwrap_or_default();
            if up { word.to_uppercase() } else { word.to_string() }
        }).collect();
        documents.push(Document { text: reused.join("-"), ..Document::default() });
        let mut unchecked = Document { text: text.clone(), ..Document::default() };
        for &(start, end) in &spans {
            unchecked.annotations.push(litview::Annotation { start, end, text: slice(&text, start, end), kind: "Chemical".into(), ..Default::default() });
        }
        documents.push(unchecked);
        litview::annotate::infer(&mut documents);
        for document in documents.iter().take(2) {
            check_offsets(document)?;
            check_view(document)?;
        }
        for a in documents.iter().flat_map(|d| &d.annotations).filter(|a| a.origin == litview::model::Origin::Inferred) {
            prop_assert!(a.start < a.end, "an empty inferred mention");
        }
    }

    #[test]
    fn code_points_bytes_and_utf16_units_convert_both_ways(text in prop_oneof![any::<String>(), sentence(12)]) {
        let index = CharIndex::new(&text);
        let map = Utf16Map::new(&text);
        let length = text.chars().count();
        prop_assert_eq!(index.len(), length);
        prop_assert_eq!(char_len(&text), length);
        prop_assert_eq!(index.byte(length + 1), None);

        let (mut byte, mut unit) = (0, 0);
        for (i, c) in text.chars().chain(std::iter::once('\0')).enumerate() {
            // Code point → byte → code point, and code point → UTF-16 unit → code point.
            prop_assert_eq!(index.byte(i), Some(byte));
            prop_assert_eq!(char_of_byte(&text, byte), Some(i));
            prop_assert_eq!(map.of(i), unit);
            prop_assert_eq!(char_of_utf16(&text, unit), Some(i));
            if i == length {
                break;
            }
            // Positions inside a character belong to no code point.
            for inside in 1..c.len_utf8() {
                prop_assert_eq!(char_of_byte(&text, byte + inside), None);
            }
            if c.len_utf16() == 2 {
                prop_assert_eq!(char_of_utf16(&text, unit + 1), None);
            }
            prop_assert_eq!(index.slice(i, i + 1), Some(&text[byte..byte + c.len_utf8()]));
            byte += c.len_utf8();
            unit += c.len_utf16();
        }
        prop_assert_eq!(char_of_byte(&text, text.len() + 1), None);
        prop_assert_eq!(char_of_utf16(&text, unit + 1), None);
    }
}
