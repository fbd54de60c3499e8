//! The page reads a big file with several workers, each holding part of the corpus. What the
//! person sees must not depend on it: the parts, exchanging what their indexes know, recognize
//! the same mentions and count the same concepts as one corpus holding every document; a file
//! read from a record boundary in its middle gives the documents a whole read gives there; and
//! documents sent between workers as JSON come back whole.

mod common;

use litview::annotate::{find_inferred, ConceptIndex, CorpusIndex, IndexedMention, SeenNames};
use litview::model::from_json;
use litview::stream::{parallel_format, record_start, StreamLoader};
use litview::Document;

/// The PubTator corpora of `shared/data` and the seeds' pages, or the seeds alone without them.
fn corpus() -> Vec<Document> {
    let mut documents = Vec::new();
    if let Some(data) = common::shared("data") {
        let files = common::files_under(&data.join("pubtator"));
        documents.extend(common::parse_paths(&files, None).documents);
    }
    let seeds = common::files_under(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www/examples"));
    documents.extend(common::parse_paths(&seeds, None).documents);
    documents
}

/// One worker's share: its concept index and its corpus index.
struct Part<'a> {
    documents: &'a [Document],
    concepts: ConceptIndex,
    index: CorpusIndex,
}

impl<'a> Part<'a> {
    fn new(documents: &'a [Document]) -> Self {
        let (mut concepts, mut index) = (ConceptIndex::new(), CorpusIndex::new());
        for document in documents {
            concepts.add_source(document);
            index.push(document);
        }
        Part { documents, concepts, index }
    }
}

/// What recognition found in a document, told by place and by what the mention means (positions
/// in an index differ between indexes that learned mentions in another order).
fn recognized(index: &ConceptIndex, document: &Document) -> Vec<(usize, usize, Option<IndexedMention>)> {
    find_inferred(index, document)
        .into_iter()
        .map(|found| {
            let mention = index.mentions().get(found.mention).cloned();
            (found.start, found.end, mention)
        })
        .collect()
}

/// Recognizes in each part with what all parts know, as the page does, and counts it.
fn recognize(parts: &mut [Part], whole: &[ConceptIndex]) {
    for (part, index) in parts.iter_mut().zip(whole) {
        let mut seen = SeenNames::default();
        for (position, document) in part.documents.iter().enumerate() {
            let found = find_inferred(index, document);
            part.index.update_inferred(position, &document.text, index, &found, &mut seen);
        }
    }
}

#[test]
fn parts_that_exchange_their_indexes_recognize_and_count_as_one_corpus() {
    let documents = corpus();
    assert!(documents.len() > 5, "{} documents", documents.len());
    let mut one = [Part::new(&documents)];
    // Three parts of unequal size, so that each learns mentions in its own order.
    let (first, rest) = documents.split_at(documents.len() / 3);
    let (second, third) = rest.split_at(rest.len() / 4);
    let mut parts = [Part::new(first), Part::new(second), Part::new(third)];

    let whole: Vec<ConceptIndex> = (0..parts.len())
        .map(|me| {
            let mut index = ConceptIndex::new();
            index.absorb(&parts[me].concepts.part().bytes);
            for (_, part) in parts.iter().enumerate().filter(|(other, _)| *other != me) {
                index.absorb(&part.concepts.part().bytes);
            }
            index
        })
        .collect();
    let alone = std::mem::take(&mut one[0].concepts);
    for (part, index) in parts.iter().zip(&whole) {
        assert_eq!(index.len(), alone.len(), "every part knows every mention");
        for document in part.documents {
            let (got, want) = (recognized(index, document), recognized(&alone, document));
            assert_eq!(got, want, "document {:?}", document.source.id);
        }
    }

    recognize(&mut one, std::slice::from_ref(&alone));
    recognize(&mut parts, &whole);
    let others = |me: usize| {
        let others = parts.iter().enumerate().filter(|(other, _)| *other != me);
        others.flat_map(|(_, part)| part.index.counts().bytes).collect::<Vec<u8>>()
    };
    let expected = one[0].index.overview(&[], usize::MAX);
    assert_eq!(expected.concepts, one[0].index.concepts(), "one part's overview is its own");
    assert_eq!(expected.total_concepts, expected.concepts.len());
    assert!(expected.concepts.iter().any(|c| c.inferred > 0), "recognized mentions are counted");
    // The page shows the most widespread few: the same first rows, and the same total.
    let mut shown = expected.clone();
    shown.concepts.truncate(10);
    for (me, part) in parts.iter().enumerate() {
        assert_eq!(part.index.overview(&others(me), usize::MAX), expected, "the overview from part {me}");
        assert_eq!(part.index.overview(&others(me), 10), shown, "the first ten from part {me}");
    }
}

/// What a part carries is all its index knows: read into an empty index, it gives the same
/// mentions, in the same order, with the same senses, counts and recognitions.
#[test]
fn an_index_made_again_from_its_part_is_the_same_index() {
    let documents = corpus();
    let index = Part::new(&documents).concepts;
    assert!(index.len() > 100, "{} mentions", index.len());
    let mut again = ConceptIndex::new();
    again.absorb(&index.part().bytes);
    assert_eq!(again.mentions(), index.mentions());
    for document in &documents {
        assert_eq!(recognized(&again, document), recognized(&index, document));
    }
}

/// A part cut short or read from the wrong byte (a bug in the page, not input a person gives)
/// reads as far as it goes, and no count in it makes the reader loop for longer than its bytes.
#[test]
fn a_part_cut_short_reads_as_far_as_it_goes() {
    let documents = corpus();
    let Part { concepts: index, index: counts, .. } = Part::new(&documents);
    let part = index.part().bytes;
    let counted = counts.counts().bytes;
    for cut in (0..part.len()).step_by(part.len() / 20 + 1).chain([part.len() - 1]) {
        let mut again = ConceptIndex::new();
        again.absorb(&part[..cut]);
        assert!(again.len() <= index.len(), "cut at {cut}");
    }
    for cut in (0..counted.len()).step_by(counted.len() / 10 + 1) {
        let overview = CorpusIndex::new().overview(&counted[..cut], usize::MAX);
        assert!(overview.concepts.len() <= counts.concepts().len(), "cut at {cut}");
    }
    for shift in 1..4 {
        ConceptIndex::new().absorb(&part[shift..]);
        CorpusIndex::new().overview(&counted[shift..], usize::MAX);
    }
}

/// A PubTator text of `records` records, with non-ASCII text and a line the reader warns about.
fn pubtator(records: usize) -> String {
    let mut text = String::new();
    for i in 1..=records {
        let title = format!("Ménière's disease and CD19 in record {i}");
        text.push_str(&format!("{i}|t|{title}\n{i}|a|Patients with Ménière's disease; β-cells.\n"));
        text.push_str(&format!("{i}\t0\t17\tMénière's disease\tDisease\tMESH:D008575\n"));
        if i % 7 == 0 {
            text.push_str(&format!("{i}\tnot an annotation\n"));
        }
        text.push('\n');
    }
    text
}

fn stream(name: &str, bytes: &[u8], format: Option<&str>) -> (Vec<Document>, Vec<litview::Diagnostic>, u32) {
    let mut loader = StreamLoader::new(name, format);
    let read = loader.read_all(bytes, 1000);
    (read.documents, read.diagnostics, loader.lines())
}

#[test]
fn a_file_read_from_a_record_boundary_in_its_middle_gives_the_same_documents() {
    let text = pubtator(200);
    let bytes = text.as_bytes();
    let format = parallel_format("big.pubtator", bytes, None, bytes.len()).expect("PubTator is read in parallel");
    // A planned split lands anywhere, even inside a character; the part starts at a record.
    let planned = text.find("β-cells.\n100\t").unwrap() + 1;
    let window = &bytes[planned..planned + 400];
    let cut = planned + record_start(format, window).expect("a record starts after the split");
    assert!(text[cut..].starts_with(|c: char| c.is_ascii_digit()) && text[..cut].ends_with("\n\n"));

    let (whole, whole_diagnostics, _) = stream("big.pubtator", bytes, None);
    let (mut first, mut diagnostics, lines) = stream("big.pubtator", &bytes[..cut], Some(format));
    let (second, second_diagnostics, _) = stream("big.pubtator", &bytes[cut..], Some(format));
    // What the page's worker does once the first part is read: number the second part's
    // documents and lines after it.
    let before = first.len();
    first.extend(second.into_iter().map(|mut d| {
        d.source.index += before;
        d
    }));
    diagnostics.extend(second_diagnostics.into_iter().map(|mut d| {
        d.line = d.line.map(|line| line + lines);
        d
    }));
    let strip = |documents: Vec<Document>| -> Vec<Document> {
        documents
            .into_iter()
            .map(|mut d| {
                d.annotations.iter_mut().for_each(|a| a.line = None);
                d
            })
            .collect()
    };
    assert_eq!(strip(first), strip(whole));
    assert!(whole_diagnostics.iter().any(|d| d.line > Some(lines)), "a warning comes from the second part");
    assert_eq!(diagnostics, whole_diagnostics);
}

#[test]
fn only_formats_whose_records_can_be_found_anywhere_are_read_in_parallel() {
    let medline = b"PMID- 1\nTI  - A title\n\nPMID- 2\nTI  - Another\n";
    assert_eq!(parallel_format("a.nbib", medline, None, medline.len()), None);
    let pubtator = pubtator(3);
    let bytes = pubtator.as_bytes();
    assert_eq!(parallel_format("a.txt", bytes, None, bytes.len()), Some("pubtator"));
    assert_eq!(parallel_format("a.txt", bytes, Some("auto"), bytes.len()), Some("pubtator"));
    assert_eq!(parallel_format("a.txt", bytes, None, 2 << 30), None, "over the size litview reads");
    assert_eq!(parallel_format("a.xml", b"<collection><document>", None, 22), None);
    // No record starts inside one record's lines.
    let one = "1|t|A title\n1|a|An abstract\n1\t0\t1\tA\tDisease\tD1\n";
    assert_eq!(record_start("pubtator", one.as_bytes()), None);
}

#[test]
fn documents_sent_between_workers_as_json_come_back_whole() {
    let mut documents = corpus();
    // With recognized mentions too, as an export sends them.
    let mut index = ConceptIndex::new();
    for document in &documents {
        index.add_source(document);
    }
    for document in &mut documents {
        litview::annotate::infer_into(&index, document);
        document.annotations.iter_mut().for_each(|a| a.line = None);
    }
    assert!(documents.iter().flat_map(|d| &d.annotations).any(|a| !a.infons.is_empty()));
    let json = serde_json::to_string(&documents).unwrap();
    assert_eq!(from_json::documents(&json), Some(documents));
    assert_eq!(from_json::documents("{\"not\": \"a list\"}"), None);
    assert_eq!(from_json::documents("[{\"source\": 3}]"), None);
}
