//! A big PubTator file's records go into the page's store and indexes straight from their lines
//! (`litview::ingest`), without owned annotations in between. What the page then shows, counts,
//! recognizes and says must be exactly what reading the records into documents and adding those
//! gives: the same stored documents, list rows, concept index, corpus counts and diagnostics.

mod common;

use litview::annotate::{ConceptIndex, CorpusIndex};
use litview::formats::pubtator;
use litview::ingest::{Holdings, Taken};
use litview::store::Store;
use litview::stream::{read_block, Block, StreamLoader};
use litview::Diagnostic;
use proptest::prelude::*;

/// What the page's core holds of its documents.
#[derive(Default)]
struct Held {
    store: Store,
    concepts: ConceptIndex,
    index: CorpusIndex,
}

impl Held {
    fn holdings(&mut self) -> Holdings<'_> {
        Holdings { store: &mut self.store, concepts: &mut self.concepts, index: &mut self.index }
    }
}

/// Every way the page reads what it holds, compared.
fn assert_same_holdings(straight: &Held, by_documents: &Held, what: &str) {
    assert_eq!(straight.store.len(), by_documents.store.len(), "{what}: documents");
    for i in 0..by_documents.store.len() {
        assert_eq!(straight.store.get(i), by_documents.store.get(i), "{what}, document {i}");
        assert_eq!(straight.store.citation(i), by_documents.store.citation(i), "{what}, document {i}: citation");
        let row = |held: &Held| held.store.summary(i).map(|s| serde_json::to_value(s).unwrap());
        assert_eq!(row(straight), row(by_documents), "{what}, document {i}: the list's row");
        let spans = |held: &Held| held.store.own_spans(i).collect::<Vec<_>>();
        assert_eq!(spans(straight), spans(by_documents), "{what}, document {i}: spans recognition avoids");
    }
    assert_eq!(straight.concepts.mentions(), by_documents.concepts.mentions(), "{what}: concept index");
    assert_eq!(straight.index.counts(), by_documents.index.counts(), "{what}: each document's counts");
    assert_eq!(straight.index.concepts(), by_documents.index.concepts(), "{what}: concept table");
    assert_eq!(straight.index.types(), by_documents.index.types(), "{what}: types");
}

/// Reads `text`, whole records of `file` after `lines_before` of its lines and `first_index` of
/// its documents, both ways; asserts they agree, and returns the diagnostics.
fn assert_same(file: &str, text: &str, lines_before: u32, first_index: usize) -> Vec<Diagnostic> {
    let block = Block::Records { format: &pubtator::FORMAT, text: text.to_string(), lines_before };
    let read = read_block(file, None, first_index, block);
    let mut by_documents = Held::default();
    for document in read.documents {
        by_documents.holdings().push(document);
    }
    let mut straight = Held::default();
    let (count, diagnostics) = straight.holdings().push_pubtator(file, text, lines_before, first_index);
    assert_eq!(count, by_documents.store.len(), "{file}: documents");
    assert_eq!(diagnostics, read.diagnostics, "{file}: diagnostics");
    assert_same_holdings(&straight, &by_documents, file);
    diagnostics
}

/// A file's text as the streaming reader hands it on: UTF-8 (lossily), without a byte-order mark.
fn text_of(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    text.strip_prefix('\u{feff}').unwrap_or(&text).to_string()
}

#[test]
fn every_pubtator_corpus_is_stored_as_its_documents_would_be() {
    let Some(data) = common::shared("data/pubtator") else { return };
    let mut files = 0;
    for path in common::files_under(&data) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = text_of(&std::fs::read(&path).unwrap());
        if pubtator::read_lines(&litview::formats::Source { file: &name, text: &text }).0.is_empty() {
            continue;
        }
        assert_same(&name, &text, 0, 0);
        files += 1;
    }
    assert!(files >= 10, "only {files} PubTator files were read");
}

#[test]
fn the_pubtator_seed_is_stored_as_its_documents_would_be() {
    let Some(seeds) = common::shared("seeds") else { return };
    let mut read = 0;
    for path in common::files_under(&seeds) {
        let text = text_of(&std::fs::read(&path).unwrap());
        if litview::detect::detect("seed.txt", &text).format.id == pubtator::FORMAT.id {
            assert_same("seed.txt", &text, 0, 0);
            read += 1;
        }
    }
    assert_eq!(read, 1, "the seeds hold one PubTator file");
}

/// Every rule of the reader and of validation that can touch an annotation line, in one file,
/// read as a later block of a bigger file.
#[test]
fn every_odd_line_is_stored_and_told_as_its_document_would_be() {
    let text = "\
1|t|Ärztliche Übersicht: TNF-α und IL-6\r
1|a|Beide Zytokine, TNF-α und IL-6, steigen.\r
1\t500\t504\tfar\tGene\t7124\r
1\t21\t26\tTNF-α\tGene\t7124|3569\r
1\t31\t35\tIL-4\tGene\t3569\t0.97\r
1\t31\t35\tIL-6\tGene\t3569,7124\tIL-6|IL6\r
1\t5\t3\tbackwards\tGene\t-\r
1\t0\t9\tÄrztliche\tChemical\tNone\tfree text\there\r
1\t10\t19\tÜbersicht\tDisease\t-1\r
1\tCID\tMESH:D1\tMESH:D2\r
1\tAssociation\tChemical|MESH:D1\tGene|3569\tNovel\r
2|a|An abstract with no title: p.V600E in BRAF.\r
2\t28\t35\tp.V600E\tVariant\tp|SUB|V|600|E;RS#:113488022\r
2\t39\t43\tBRAF\tGene\t673\r
1\t0\t9\tÄrztliche\tChemical\tMESH:D3\r
3|t|\r
3\t0\t1\tx\tGene\t1\r
";
    let diagnostics = assert_same("odd.pubtator", text, 41, 7);
    // The reader's own warnings and validation's, each on the file's line.
    assert!(
        diagnostics.iter().any(|d| d.line == Some(44) && d.message.contains("outside the text")),
        "{diagnostics:#?}"
    );
    assert!(diagnostics
        .iter()
        .any(|d| d.line == Some(46) && d.message.contains("covers 'IL-6' but the file says 'IL-4'")));
    assert!(diagnostics.iter().any(|d| d.line == Some(48) && d.message.contains("end before start")));
    assert_eq!(diagnostics.len(), 5, "{diagnostics:#?}");
}

/// The page's read of a big file, chunk by chunk: blocks taken straight give the documents,
/// positions in the file, rows and counts of blocks read into documents, chunk boundaries and
/// all.
#[test]
fn a_file_streamed_in_chunks_is_stored_as_its_documents_would_be() {
    let Some(data) = common::shared("data/pubtator") else { return };
    let mut bytes = Vec::new();
    for path in common::files_under(&data) {
        bytes.extend(std::fs::read(&path).unwrap());
        bytes.extend(b"\n\n");
    }
    let read = StreamLoader::new("all.pubtator", None).read_all(&bytes, 1 << 20);
    let mut by_documents = Held::default();
    for document in read.documents {
        by_documents.holdings().push(document);
    }

    let mut straight = Held::default();
    let mut stream = StreamLoader::new("all.pubtator", None);
    let mut diagnostics = Vec::new();
    let mut blocks = 0;
    let mut take =
        |held: &mut Held, stream: &mut StreamLoader, block: Block| match held.holdings().take_block(stream, block) {
            Taken::Stored { diagnostics: said, .. } => {
                blocks += 1;
                diagnostics.extend(said);
            }
            Taken::Read(progress) => {
                for document in progress.documents {
                    held.holdings().push(document);
                }
                diagnostics.extend(progress.diagnostics);
            }
        };
    for chunk in bytes.chunks(1 << 20) {
        if let Some(block) = stream.cut(chunk) {
            take(&mut straight, &mut stream, block);
        }
    }
    let rest = stream.cut_rest();
    take(&mut straight, &mut stream, rest);
    diagnostics.extend(stream.ending(false, 0));
    assert!(blocks > 10, "only {blocks} blocks were stored straight");
    assert_eq!(diagnostics, read.diagnostics);
    assert_same_holdings(&straight, &by_documents, "the shared PubTator corpora, streamed");
}

proptest! {
    /// Format-shaped noise, then a record whose mentions may or may not be what their offsets
    /// cover, over non-ASCII text.
    #[test]
    fn noise_and_bad_spans_are_stored_as_their_documents_would_be(
        noise in proptest::collection::vec(proptest::sample::select(vec![
            "1|t|", "1|a|", "2|t|", "\t", "\n", "\r\n", " ", "0", "5", "12", "-3", "-", "|", ";", "Gene", "MESH:D1",
            "99999999999999999999", "é", "😀", "\u{301}", "x",
        ]), 0..80),
        spans in proptest::collection::vec((0usize..40, 0usize..40, proptest::sample::select(vec!["Chemical", "Gene", "Disease"]), proptest::sample::select(vec!["", "\tD1", "\tD1|D2", "\t-", "\tD1\t0.5", "\tA|B\tx|y"])), 0..10),
        lines_before in 0u32..100,
        first_index in 0usize..5,
    ) {
        let mut text: String = noise.concat();
        text.push_str("\n9|t|Acétylsalicylique 😀 acid\n9|a|It works.\n");
        let record = "Acétylsalicylique 😀 acid It works.";
        for (start, end, kind, rest) in spans {
            let mention: String = record.chars().skip(start).take(end.saturating_sub(start)).collect();
            let mention = if start % 3 == 0 { format!("{mention}s") } else { mention };
            text.push_str(&format!("9\t{start}\t{end}\t{mention}\t{kind}{rest}\n"));
        }
        assert_same("noise.pubtator", &text, lines_before, first_index);
    }
}
