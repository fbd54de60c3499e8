//! The only file that knows wasm-bindgen: the page's worker holds a [`Corpus`] and asks it for
//! summaries and views. Values cross as plain JS objects, in the contract's JSON shape.

use std::cell::RefCell;
use std::collections::HashMap;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::annotate::{find_inferred_in, infer_into, ConceptIndex, CorpusIndex, Query, SeenNames};
use crate::ingest::{Holdings, Taken};
use crate::input::InputFile;
use crate::model::{Diagnostic, Document};
use crate::store::Store;
use crate::stream::{Block, StreamLoader};

use crate::case;
use crate::view::{view, Summary};

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
    static FAIL_ON: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// For the browser tests of the page's recovery: the next file of this name makes the core
/// panic, as a bug would. Nothing calls it unless a test asks.
#[wasm_bindgen]
pub fn fail_on(name: String) {
    FAIL_ON.with(|fail| *fail.borrow_mut() = Some(name));
}

/// A panic aborts the instance (a trap in JS). Its message is kept so the page can say what
/// happened before it throws the instance away and starts a fresh one. The release page is built
/// with panics that abort at once (scripts/env.sh), so there the hook never runs and the worker
/// reports the trap itself.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        LAST_PANIC.with(|last| *last.borrow_mut() = Some(message));
    }));
}

/// The message of the panic that stopped this instance, if one did.
#[wasm_bindgen]
pub fn last_panic() -> Option<String> {
    LAST_PANIC.with(|last| last.borrow().clone())
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    // Through JSON text: one serializer (serde_json, which the exports need anyway) for every
    // type, rather than a second one per type in the bundle; JSON.parse is fast.
    let json = serde_json::to_string(value).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&json).map_err(|_| JsError::new("the core made JSON the browser could not read"))
}

/// One row of the page's document list.
#[derive(Serialize)]
struct Row {
    index: usize,
    #[serde(flatten)]
    summary: Summary,
    inferred: usize,
}

/// What a drop or a chunk added: the documents `first..first + count`, how many of them each
/// file gave, and the diagnostics. The page asks for the rows it shows ([`Corpus::rows`]) rather
/// than holding one per document: for a 100 MB corpus they took 30 MB of the page's memory.
#[derive(Serialize)]
struct Added {
    first: usize,
    count: usize,
    files: Vec<FileCount>,
    diagnostics: Vec<Diagnostic>,
    /// At the end of a big file: its lines, or those of the part of it this worker read.
    #[serde(skip_serializing_if = "Option::is_none")]
    lines: Option<u32>,
}

#[derive(Serialize)]
struct FileCount {
    file: String,
    documents: usize,
}

/// Every document loaded so far, in the order the files were added.
#[wasm_bindgen]
#[derive(Default)]
pub struct Corpus {
    /// Held compactly: as `Document`s, a corpus took three times its file's size.
    documents: Store,
    /// The big file being read in chunks, if any.
    stream: Option<StreamLoader>,
    /// Lower-cased DOI → document, so a reference can open the loaded work it cites.
    by_doi: HashMap<String, usize>,
    /// Every mention the loaded files annotate, to recognise them in the other documents: those
    /// this worker read, and once an `infer` was given them, those the other workers read.
    concepts: ConceptIndex,
    /// This worker's own mentions as its [`Corpus::concept_part`], once asked for since documents
    /// were last added.
    own: Option<Vec<u8>>,
    /// Whether `concepts` holds other workers' mentions too; `own` then holds this worker's. A
    /// part is a third of an index's size: with two workers, each one's own index and a copy of
    /// the whole one beside it were memory the tab could not spare.
    holds_others: bool,
    /// Concepts, types and search over the loaded documents.
    index: CorpusIndex,
    /// How many mentions `concepts` recognized in each document at the last `infer`. The
    /// documents themselves hold only their files' annotations: a recognized mention becomes an
    /// annotation when its document is shown or exported (a corpus can have hundreds of
    /// thousands, and each would be a whole annotation held for nothing).
    inferred: Vec<usize>,
    /// Whether `infer` has run since documents were last added. Until it has, documents are
    /// shown without recognized mentions, as while a drop is read: recognizing them with the
    /// index of the moment would build its automaton again for every document opened.
    indexed: bool,
}

#[wasm_bindgen]
impl Corpus {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Corpus {
        Corpus::default()
    }

    /// Reads the files of one drop together (a brat `.txt` finds its `.ann` there); returns
    /// `{first, count, files: [{file, documents}], diagnostics}`.
    /// `format` is the user's choice, or absent/`"auto"` to detect.
    pub fn add_files(
        &mut self,
        names: Vec<String>,
        contents: Vec<js_sys::Uint8Array>,
        format: Option<String>,
    ) -> Result<JsValue, JsError> {
        if FAIL_ON.with(|fail| fail.borrow().as_ref().is_some_and(|f| names.contains(f))) {
            panic!("a test asked the core to fail on this file");
        }
        let size: usize = contents.iter().map(|c| c.length() as usize).sum();
        reserve_memory(size.saturating_mul(MEMORY_PER_FILE_BYTE));
        let bytes: Vec<Vec<u8>> = contents.iter().map(|c| c.to_vec()).collect();
        let files: Vec<InputFile> = names.iter().zip(&bytes).map(|(name, bytes)| InputFile { name, bytes }).collect();
        let output = crate::load(&files, format.as_deref());
        self.append(output.documents, output.diagnostics, None)
    }

    /// Starts reading a big file of `size` bytes in chunks: documents appear as the chunks arrive.
    pub fn begin_file(&mut self, name: &str, format: Option<String>, size: usize) {
        reserve_memory(size.saturating_mul(MEMORY_PER_FILE_BYTE));
        self.stream = Some(StreamLoader::new(name, format.as_deref()));
    }

    /// The next chunk of the file begun with `begin_file`; returns the documents it completed,
    /// in the shape of `add_files`.
    pub fn push_chunk(&mut self, chunk: &[u8]) -> Result<JsValue, JsError> {
        let mut stream = self.stream.take().ok_or_else(|| JsError::new("no file is being read"))?;
        let block = stream.cut(chunk);
        let added = self.take(&mut stream, block, Vec::new(), None);
        self.stream = Some(stream);
        added
    }

    /// The end of the file begun with `begin_file` (or the user stopped it, `stopped`). When this
    /// is the first part of a file that other workers read the rest of, they read
    /// `read_elsewhere` bytes of it. Returns also `lines`, how many lines the file (or the part
    /// of it given) has.
    pub fn end_file(&mut self, stopped: bool, read_elsewhere: usize) -> Result<JsValue, JsError> {
        let mut stream = self.stream.take().ok_or_else(|| JsError::new("no file is being read"))?;
        let block = stream.cut_rest();
        let ending = stream.ending(stopped, read_elsewhere);
        let lines = stream.lines();
        self.take(&mut stream, Some(block), ending, Some(lines))
    }

    pub fn len(&self) -> usize {
        self.documents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// What the page draws for one document: segments, entities, legend, relations, citation.
    pub fn view(&self, index: usize) -> Result<JsValue, JsError> {
        let document = self.inferred_in(index)?;
        let mut view = view(&document);
        for reference in &mut view.references {
            let doi = reference.card.doi.as_ref().map(|d| case::lower(&d.text));
            reference.document = doi.and_then(|d| self.by_doi.get(&d)).copied().filter(|&i| i != index);
        }
        to_js(&view)
    }

    /// The document list's rows for the given positions: `[{index, title, file, format, id,
    /// entities, relations, inferred}]`, skipping positions with no document.
    pub fn rows(&self, indices: Vec<usize>) -> Result<JsValue, JsError> {
        let rows: Vec<Row> = indices
            .into_iter()
            .filter_map(|index| {
                let summary = self.documents.summary(index)?;
                let inferred = self.inferred.get(index).copied().unwrap_or_default();
                Some(Row { index, summary, inferred })
            })
            .collect();
        to_js(&rows)
    }

    /// The citation of the given documents (all when `indices` is empty) in one style:
    /// `apa`, `vancouver`, `bibtex`, `ris` or `csl-json`.
    pub fn cite(&self, style: &str, indices: Vec<usize>) -> Result<String, JsError> {
        let citations: Vec<crate::Citation> =
            self.chosen(&indices).filter_map(|i| self.documents.citation(i)).collect();
        crate::cite::format(style, &citations).ok_or_else(|| JsError::new(&format!("no citation style '{style}'")))
    }

    /// The given documents (all when `indices` is empty) written in one of the export formats:
    /// `{files: [{name, content}], diagnostics}`.
    pub fn export(&self, writer: &str, indices: Vec<usize>) -> Result<JsValue, JsError> {
        let documents: Vec<Document> = self.chosen(&indices).filter_map(|i| self.inferred_in(i).ok()).collect();
        written(writer, &documents)
    }
}

/// Documents in the contract's JSON ([`Corpus::documents_json`] of each worker that holds some),
/// written in one of the export formats, as [`Corpus::export`] writes them.
#[wasm_bindgen]
pub fn write(writer: &str, documents: &str) -> Result<JsValue, JsError> {
    written(writer, &from_json(documents)?)
}

/// Citations as JSON ([`Corpus::citations_json`] of each worker that holds some) in one style,
/// as [`Corpus::cite`] gives them.
#[wasm_bindgen]
pub fn cite(style: &str, citations: &str) -> Result<String, JsError> {
    // Read through `Value`, as the CSL-JSON reader reads: no second reader of citations in the page.
    let values: Vec<serde_json::Value> = serde_json::from_str(citations).map_err(|e| JsError::new(&e.to_string()))?;
    let citations: Vec<crate::Citation> =
        values.into_iter().filter_map(|value| serde_json::from_value(value).ok()).collect();
    crate::cite::format(style, &citations).ok_or_else(|| JsError::new(&format!("no citation style '{style}'")))
}

fn from_json(documents: &str) -> Result<Vec<Document>, JsError> {
    crate::model::from_json::documents(documents)
        .ok_or_else(|| JsError::new("the documents to write are not in litview's JSON"))
}

/// `{files: [{name, content}], diagnostics}`: the documents written by the export format `writer`.
fn written(writer: &str, documents: &[Document]) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct File {
        name: String,
        content: String,
    }
    #[derive(Serialize)]
    struct Written {
        files: Vec<File>,
        diagnostics: Vec<Diagnostic>,
    }
    let writer = crate::export::by_id(writer).ok_or_else(|| JsError::new(&format!("no export format '{writer}'")))?;
    let exported = (writer.write)(documents);
    let files = exported.files.into_iter().map(|(name, content)| File { name, content }).collect();
    to_js(&Written { files, diagnostics: exported.diagnostics })
}

impl Corpus {
    /// Adds what a block of a big file holds (none when a chunk completed no record), then
    /// `ending`'s diagnostics.
    fn take(
        &mut self,
        stream: &mut StreamLoader,
        block: Option<Block>,
        ending: Vec<Diagnostic>,
        lines: Option<u32>,
    ) -> Result<JsValue, JsError> {
        let first = self.documents.len();
        let (count, mut diagnostics) = match block.map(|block| self.holdings().take_block(stream, block)) {
            Some(Taken::Read(progress)) => {
                let mut diagnostics = progress.diagnostics;
                diagnostics.extend(ending);
                return self.append(progress.documents, diagnostics, lines);
            }
            Some(Taken::Stored { count, diagnostics }) => (count, diagnostics),
            None => (0, Vec::new()),
        };
        diagnostics.extend(ending);
        let files = (count > 0).then(|| FileCount { file: stream.name().to_string(), documents: count });
        self.added(first, files.into_iter().collect(), diagnostics, lines)
    }

    fn append(
        &mut self,
        documents: Vec<Document>,
        diagnostics: Vec<Diagnostic>,
        lines: Option<u32>,
    ) -> Result<JsValue, JsError> {
        let first = self.documents.len();
        let mut files: Vec<FileCount> = Vec::new();
        for document in documents {
            let index = self.documents.len();
            match files.iter_mut().find(|f| f.file == document.source.file) {
                Some(count) => count.documents += 1,
                None => files.push(FileCount { file: document.source.file.clone(), documents: 1 }),
            }
            if let Some(doi) = &document.citation.doi {
                self.by_doi.entry(case::lower(doi)).or_insert(index);
            }
            self.holdings().push(document);
        }
        self.added(first, files, diagnostics, lines)
    }

    /// The store and the indexes, to add documents to: the concept index holds only this
    /// worker's own mentions again.
    fn holdings(&mut self) -> Holdings<'_> {
        self.own_concepts();
        Holdings { store: &mut self.documents, concepts: &mut self.concepts, index: &mut self.index }
    }

    /// After documents from `first` on were added, from `files`: none is recognized in yet, and
    /// this worker's part of the concept index is to be made again. Returns what the page is told.
    fn added(
        &mut self,
        first: usize,
        files: Vec<FileCount>,
        diagnostics: Vec<Diagnostic>,
        lines: Option<u32>,
    ) -> Result<JsValue, JsError> {
        let count = self.documents.len().saturating_sub(first);
        if count > 0 {
            self.own = None;
        }
        self.inferred.resize(self.documents.len(), 0);
        self.indexed = false;
        to_js(&Added { first, count, files, diagnostics, lines })
    }

    /// The document at `index` with the mentions the loaded corpus recognizes in it, once the
    /// corpus is indexed.
    fn inferred_in(&self, index: usize) -> Result<Document, JsError> {
        let mut document = self.documents.get(index).ok_or_else(|| JsError::new(&format!("no document {index}")))?;
        if self.indexed {
            infer_into(&self.concepts, &mut document);
        }
        Ok(document)
    }

    /// The index of this worker's own mentions, made again from its part if it held others'.
    fn own_concepts(&mut self) -> &mut ConceptIndex {
        if std::mem::take(&mut self.holds_others) {
            self.concepts = ConceptIndex::new();
            self.concepts.absorb(self.own.as_deref().unwrap_or_default());
        }
        &mut self.concepts
    }

    /// Made once for both the other workers and this one's own `infer`.
    fn own_part(&mut self) -> &[u8] {
        let concepts = &self.concepts;
        self.own.get_or_insert_with(|| concepts.part().bytes)
    }

    /// The positions of the given documents, or of all when `indices` is empty.
    fn chosen<'a>(&self, indices: &'a [usize]) -> Box<dyn Iterator<Item = usize> + 'a> {
        if indices.is_empty() {
            Box::new(0..self.documents.len())
        } else {
            Box::new(indices.iter().copied())
        }
    }
}

#[wasm_bindgen]
impl Corpus {
    /// Recognises the concepts any loaded file annotates in every loaded document (after a drop
    /// has been read, not per chunk). `others` are the [`Corpus::concept_part`]s of the workers
    /// that hold the corpus's other documents, one after the other (empty when this worker holds
    /// them all). Returns the positions of the documents whose recognized mentions changed, in
    /// number or in the type and concepts they take.
    pub fn infer(&mut self, others: &[u8]) -> Result<JsValue, JsError> {
        self.own_concepts();
        if !others.is_empty() {
            self.own_part();
            self.concepts.absorb(others);
            self.holds_others = true;
        }
        let concepts = &self.concepts;
        let mut changed = Vec::new();
        let mut seen = SeenNames::default();
        for (index, count) in self.inferred.iter_mut().enumerate() {
            let Some(text) = self.documents.text(index) else { continue };
            let found = find_inferred_in(concepts, text, self.documents.own_spans(index));
            // Unchanged in number may still be changed in sense, once more files were read: then
            // the document is changed too, so that the page draws it again.
            let counts_changed = (!found.is_empty() || *count != 0)
                && self.index.update_inferred(index, text, concepts, &found, &mut seen);
            if found.len() != *count || counts_changed {
                *count = found.len();
                changed.push(index);
            }
        }
        self.indexed = true;
        to_js(&changed)
    }

    /// What this worker's documents annotate, for the workers that hold the corpus's other
    /// documents to [`Corpus::infer`] with.
    pub fn concept_part(&mut self) -> Vec<u8> {
        self.own_part().to_vec()
    }

    /// What this worker's documents count, for the [`Corpus::overview`] of a corpus that other
    /// workers hold parts of.
    pub fn counts_part(&self) -> Vec<u8> {
        self.index.counts().bytes
    }

    /// The corpus at a glance: `{types: [{type, documents, mentions, inferred}], concepts:
    /// [{id, type, names, documents, mentions, inferred}], total_concepts}` (the `limit` most
    /// widespread concepts, of `total_concepts`), counting also the [`Corpus::counts_part`]s of
    /// the corpus's other workers, one after the other in `others`.
    pub fn overview(&self, limit: usize, others: &[u8]) -> Result<JsValue, JsError> {
        to_js(&self.index.overview(others, limit))
    }

    /// Adds `by` to the position in their file of `count` documents from `first` on: a worker
    /// that read a file from its middle learns afterwards how many documents came before.
    pub fn shift(&mut self, first: usize, count: usize, by: usize) {
        self.documents.shift_indices(first, count, by);
    }

    /// The citations of the given documents (all when `indices` is empty), as JSON: for the
    /// citation of documents that several workers hold ([`cite`]).
    pub fn citations_json(&self, indices: Vec<usize>) -> Result<String, JsError> {
        let citations: Vec<crate::Citation> =
            self.chosen(&indices).filter_map(|i| self.documents.citation(i)).collect();
        serde_json::to_string(&citations).map_err(|e| JsError::new(&e.to_string()))
    }

    /// The given documents (all when `indices` is empty) in the contract's JSON, with the
    /// mentions the corpus recognizes in them: for an export of documents that several workers
    /// hold ([`write`]).
    pub fn documents_json(&self, indices: Vec<usize>) -> Result<String, JsError> {
        let documents: Vec<Document> = self.chosen(&indices).filter_map(|i| self.inferred_in(i).ok()).collect();
        serde_json::to_string(&documents).map_err(|e| JsError::new(&e.to_string()))
    }

    /// The documents matching `{text, concepts, type}` (all parts must hold), as indices.
    pub fn search(&self, query: &str) -> Result<JsValue, JsError> {
        let query: Query = serde_json::from_str(query).map_err(|e| JsError::new(&e.to_string()))?;
        to_js(&self.index.search(&self.documents, &query))
    }

    /// One document in the contract's JSON shape, with the mentions the corpus recognizes in it.
    pub fn document(&self, index: usize) -> Result<JsValue, JsError> {
        to_js(&self.inferred_in(index)?)
    }
}

/// About what the core holds per byte of a file read: a 100 MB PubTator corpus takes 1.6 bytes
/// per byte once read, 1.85 once its concepts are recognized (BENCHMARKS.md, fourth round).
const MEMORY_PER_FILE_BYTE: usize = 2;

/// Grows the instance's memory at once by about what reading a big file will need, rather than
/// a little at a time as the allocator asks: each growth costs the engine a fraction of a
/// millisecond, and reading a 100 MB corpus grew it some five thousand times, a fifth of the
/// reading time. The block is freed at once, and the allocator hands it out again piece by
/// piece; memory not yet written takes no room in the tab. If the browser refuses, nothing
/// happens.
fn reserve_memory(bytes: usize) {
    let mut block: Vec<u8> = Vec::new();
    if block.try_reserve_exact(bytes).is_ok() {
        // Kept in sight of the optimizer, which may otherwise drop an allocation nothing reads.
        std::hint::black_box(&block);
    }
}

/// The format in which a big file that starts with `head` can be read by several workers at
/// once, each from a record boundary ([`record_start`]); absent when it is read in one go.
/// `format` is the user's choice, or absent/`"auto"` to detect; `size` is the file's.
#[wasm_bindgen]
pub fn parallel_format(name: &str, head: &[u8], format: Option<String>, size: usize) -> Option<String> {
    crate::stream::parallel_format(name, head, format.as_deref(), size).map(str::to_string)
}

/// Where a record of `format` starts in `window`, bytes from anywhere inside a file (absent
/// when none does): the file's records before it and from it on can be read apart.
#[wasm_bindgen]
pub fn record_start(format: &str, window: &[u8]) -> Option<usize> {
    crate::stream::record_start(format, window)
}

/// Parses files as `litview parse` does and returns the same `{documents, diagnostics}` object.
#[wasm_bindgen]
pub fn parse(
    names: Vec<String>,
    contents: Vec<js_sys::Uint8Array>,
    format: Option<String>,
) -> Result<JsValue, JsError> {
    let bytes: Vec<Vec<u8>> = contents.iter().map(|c| c.to_vec()).collect();
    let files: Vec<InputFile> = names.iter().zip(&bytes).map(|(name, bytes)| InputFile { name, bytes }).collect();
    to_js(&crate::load(&files, format.as_deref()))
}

/// The export formats and citation styles the page offers: `{writers: [{id, label, extension}],
/// styles: [{id, label}]}`.
#[wasm_bindgen]
pub fn outputs() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Writer {
        id: &'static str,
        label: &'static str,
        extension: &'static str,
    }
    #[derive(Serialize)]
    struct Style {
        id: &'static str,
        label: &'static str,
    }
    #[derive(Serialize)]
    struct Outputs {
        writers: Vec<Writer>,
        styles: Vec<Style>,
    }
    let writers = crate::export::WRITERS.iter().map(|w| Writer { id: w.id, label: w.label, extension: w.extension });
    let styles = crate::cite::STYLES.iter().map(|&(id, label)| Style { id, label });
    to_js(&Outputs { writers: writers.collect(), styles: styles.collect() })
}

/// The formats the page offers in its format menu: `[{id, label}]`.
#[wasm_bindgen]
pub fn formats() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Entry {
        id: &'static str,
        label: &'static str,
    }
    let entries: Vec<Entry> = crate::formats::FORMATS
        .iter()
        .chain(std::iter::once(&crate::formats::plain::FORMAT))
        .map(|f| Entry { id: f.id, label: f.label })
        .collect();
    to_js(&entries)
}
