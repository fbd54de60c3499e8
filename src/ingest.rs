//! The page's way in: what a drop or a chunk of a big file adds to its store and to the two
//! indexes over it. A document is added whole. A streamed PubTator block is added straight from
//! its lines: a 100 MB corpus has 620,000 annotation lines, and making each into an owned
//! [`Annotation`] (an id, a text, a type and concepts, each a string of its own) only for the
//! store to take it apart again and free it was a third of the page's reading time. What is
//! stored and counted is the same either way (`tests/ingest.rs` holds the two to each other).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

use crate::annotate::{ConceptIndex, CorpusIndex};
use crate::formats::pubtator::{self, AnnotationView};
use crate::formats::Source;
use crate::model::{numbered_id, Diagnostic, Document};
use crate::offsets::{char_len, CharCursor};
use crate::store::{AnnotationRef, Store};
use crate::stream::{Block, Progress, StreamLoader};
use crate::validate::{covers_other, outside_text, DocumentName};

/// The page's documents and what it knows of them.
pub struct Holdings<'a> {
    pub store: &'a mut Store,
    /// What the documents' own annotations say each mention is, to recognize it in the others.
    pub concepts: &'a mut ConceptIndex,
    pub index: &'a mut CorpusIndex,
}

/// What a block of a big file became.
pub enum Taken {
    /// Its documents, read, for the caller to add ([`Holdings::push`]) with what else it keeps of
    /// them.
    Read(Progress),
    /// Its records, added already: `count` documents after those before.
    Stored { count: usize, diagnostics: Vec<Diagnostic> },
}

impl Holdings<'_> {
    /// Adds one document; returns its position.
    pub fn push(&mut self, document: Document) -> usize {
        self.concepts.add_source(&document);
        self.index.push(&document);
        self.store.push(document)
    }

    /// A block of the big file `stream` reads: PubTator records are added here, straight from
    /// their lines; any other block is read into documents.
    pub fn take_block(&mut self, stream: &mut StreamLoader, block: Block) -> Taken {
        match block {
            Block::Records { format, text, lines_before } if format.id == pubtator::FORMAT.id => {
                let (count, diagnostics) =
                    self.push_pubtator(stream.name(), &text, lines_before, stream.documents_read());
                stream.count_read(count);
                stream.recycle(text);
                Taken::Stored { count, diagnostics }
            }
            block => Taken::Read(stream.read(block)),
        }
    }

    /// Reads all of `bytes`, `chunk` bytes at a time, with `loader` (new), as the page reads a
    /// big file (`Corpus::push_chunk` and `end_file` in src/wasm.rs), and adds what they hold;
    /// returns the diagnostics. [`StreamLoader::read_all`] reads the same into documents, for
    /// the tests and the profiling example that compare the two.
    pub fn read_all(
        &mut self,
        loader: &mut StreamLoader,
        bytes: &[u8],
        chunk: usize,
        stopped: bool,
    ) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        for piece in bytes.chunks(chunk.max(1)) {
            if let Some(block) = loader.cut(piece) {
                diagnostics.extend(self.add_block(loader, block));
            }
        }
        let rest = loader.cut_rest();
        diagnostics.extend(self.add_block(loader, rest));
        diagnostics.extend(loader.ending(stopped, 0));
        diagnostics
    }

    /// A block added whole, its documents too when it was read into documents; its diagnostics.
    fn add_block(&mut self, loader: &mut StreamLoader, block: Block) -> Vec<Diagnostic> {
        match self.take_block(loader, block) {
            Taken::Stored { diagnostics, .. } => diagnostics,
            Taken::Read(progress) => {
                for document in progress.documents {
                    self.push(document);
                }
                progress.diagnostics
            }
        }
    }

    /// Adds the PubTator records of `text`, part of `file` after `lines_before` of its lines and
    /// `first_index` of its documents: the documents [`crate::stream::read_block`] reads, each
    /// added by [`Holdings::push`], and its diagnostics. Returns how many documents it added.
    pub fn push_pubtator(
        &mut self,
        file: &str,
        text: &str,
        lines_before: u32,
        first_index: usize,
    ) -> (usize, Vec<Diagnostic>) {
        let (records, mut diagnostics) = pubtator::read_lines(&Source { file, text });
        for diagnostic in &mut diagnostics {
            diagnostic.line = diagnostic.line.map(|line| line + lines_before);
        }
        let count = records.len();
        // Reused from one record to the next: each kept mention's concepts are a run of these.
        let mut concept_ids: Vec<&str> = Vec::new();
        let mut normalized = String::new();
        for (i, record) in records.into_iter().enumerate() {
            let mut rest = pubtator::shell(record.id, record.title, record.abstract_text);
            rest.source.file = file.to_string();
            rest.source.format = pubtator::FORMAT.id.to_string();
            rest.source.index = first_index + i;
            rest.relations = record.relations;
            let name = DocumentName { id: Some(record.id), index: rest.source.index };
            let mut warn = |line: u32, message: String| {
                let warning = Diagnostic::warning(file, Some(line + lines_before), message);
                diagnostics.push(warning.in_document(Some(record.id)));
            };
            concept_ids.clear();
            let kept = checked(&rest.text, record.annotations, &name, &mut warn, &mut concept_ids);
            for mention in &kept {
                let concepts = run(&concept_ids, &mention.concepts);
                self.concepts.add_mention(&mention.text, mention.kind, concepts, &mut normalized);
            }
            let mentions = kept.iter().map(|m| (&*m.text, m.kind, run(&concept_ids, &m.concepts)));
            self.index.push_mentions(mentions);
            let annotations = kept.into_iter().map(|mention| AnnotationRef {
                start: mention.start,
                end: mention.end,
                kind: mention.kind,
                concepts: run(&concept_ids, &mention.concepts),
                id: mention.id,
                infons: mention.infons,
            });
            self.store.push_parts(rest, annotations);
        }
        (count, diagnostics)
    }
}

/// The concepts of one kept mention, a run of the record's.
fn run<'a>(concept_ids: &'a [&'a str], concepts: &Range<usize>) -> &'a [&'a str] {
    concept_ids.get(concepts.clone()).unwrap_or_default()
}

/// An annotation line that passed the one check of [`crate::validate`] a PubTator line can fail.
struct Kept<'a> {
    start: usize,
    end: usize,
    /// What its offsets cover: the file's text for the mention, unless that differs.
    text: Cow<'a, str>,
    kind: &'a str,
    /// Its concepts, in the record's list.
    concepts: Range<usize>,
    infons: BTreeMap<String, String>,
    /// Its id, when it is not `a` and its place among the kept (a line before it was dropped).
    id: Option<String>,
}

/// The annotation lines of a record whose text is `text`, checked as [`crate::validate`] checks
/// the annotations [`pubtator`] makes of them, with its warnings: a line outside the text is
/// dropped, and one that covers another text than it says is kept with the text it covers. Each
/// kept line's concepts are appended to `concept_ids`. Validation's other checks cannot fail on
/// a PubTator record: its passages are made from its text, its annotations are numbered `a1`,
/// `a2`, ... and its relations name concepts, never annotations. (Were that to change, the
/// comparisons of `tests/ingest.rs` would fail.)
fn checked<'a>(
    text: &str,
    views: Vec<AnnotationView<'a>>,
    name: &DocumentName,
    warn: &mut impl FnMut(u32, String),
    concept_ids: &mut Vec<&'a str>,
) -> Vec<Kept<'a>> {
    let mut cursor = CharCursor::new(text);
    let mut kept = Vec::with_capacity(views.len());
    for view in views {
        // A warning names the annotation the file's reader makes of the line: made only then.
        let covered = match cursor.slice(view.start, view.end) {
            None => {
                let (line, span) = (view.line, [view.start, view.end]);
                warn(line, outside_text(name, &view.into_annotation(), span, char_len(text)));
                continue;
            }
            Some(covered) if covered == view.text => Cow::Borrowed(view.text),
            Some(covered) => {
                warn(view.line, covers_other(name, &view.clone().into_annotation(), covered));
                Cow::Owned(covered.to_string())
            }
        };
        let from = concept_ids.len();
        concept_ids.extend(pubtator::concept_ids(view.concepts));
        let renumbered = view.number != kept.len() + 1;
        kept.push(Kept {
            start: view.start,
            end: view.end,
            text: covered,
            kind: view.kind,
            concepts: from..concept_ids.len(),
            infons: pubtator::infons(view.infon),
            id: renumbered.then(|| numbered_id('a', view.number)),
        });
    }
    kept
}
