//! The quick summary of what a file holds, for `litview stats` and benchmarks.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::formats::{pubtator, Source};
use crate::model::{Diagnostic, Document, Severity};
use crate::offsets::CharCursor;

#[derive(Debug, Default, Serialize)]
pub struct FileStats {
    pub file: String,
    pub format: String,
    pub bytes: usize,
    pub seconds: f64,
    pub documents: usize,
    pub passages: usize,
    pub annotations: BTreeMap<String, usize>,
    pub relations: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl FileStats {
    pub fn new(file: &str, bytes: usize, seconds: f64, documents: &[Document], diagnostics: &[Diagnostic]) -> Self {
        let mut stats = FileStats { file: file.to_string(), bytes, seconds, ..FileStats::default() };
        stats.add(documents, diagnostics);
        stats
    }

    /// Counts more of the file's documents and diagnostics.
    pub fn add(&mut self, documents: &[Document], diagnostics: &[Diagnostic]) {
        if self.format.is_empty() || self.format == "-" {
            self.format = documents.first().map(|d| d.source.format.clone()).unwrap_or_else(|| "-".into());
        }
        self.documents += documents.len();
        for document in documents {
            self.passages += document.passages.len();
            self.relations += document.relations.len();
            for annotation in &document.annotations {
                match self.annotations.get_mut(&annotation.kind) {
                    Some(count) => *count += 1,
                    None => {
                        self.annotations.insert(annotation.kind.clone(), 1);
                    }
                }
            }
        }
        for diagnostic in diagnostics {
            match diagnostic.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
            }
        }
    }

    /// Counts a block of whole PubTator records as [`FileStats::add`] counts their documents once
    /// read and validated, without building them: the parser's own reading of the lines
    /// ([`pubtator::read_views`]), then the one check of [`crate::validate`] a PubTator record
    /// can fail (its ids are numbered, its passages made from its text, its relations name
    /// concepts): a mention outside the text is dropped, one whose text differs from what its
    /// offsets cover is kept, each with a warning. This is most of `litview stats`'s speed.
    pub fn add_pubtator(&mut self, name: &str, text: &str) {
        let (views, diagnostics) = pubtator::read_views(&Source { file: name, text });
        if !views.is_empty() && (self.format.is_empty() || self.format == "-") {
            self.format = pubtator::FORMAT.id.to_string();
        }
        self.add(&[], &diagnostics);
        let mut kinds: FxHashMap<&str, usize> = FxHashMap::default();
        let mut record_text = String::new();
        for view in &views {
            self.documents += 1;
            self.passages += 1 + usize::from(view.abstract_text.is_some());
            self.relations += view.relations;
            pubtator::document_text(view.title, view.abstract_text, &mut record_text);
            let mut covered = CharCursor::new(&record_text);
            for mention in &view.mentions {
                match covered.slice(mention.start, mention.end) {
                    None => {
                        self.warnings += 1;
                        continue;
                    }
                    Some(piece) if piece != mention.text => self.warnings += 1,
                    Some(_) => {}
                }
                *kinds.entry(mention.kind).or_default() += 1;
            }
        }
        for (kind, count) in kinds {
            *self.annotations.entry(kind.to_string()).or_default() += count;
        }
    }

    /// Adds another part of the same file, counted apart.
    pub fn merge(&mut self, other: FileStats) {
        if self.format.is_empty() || self.format == "-" {
            self.format = other.format;
        }
        self.documents += other.documents;
        self.passages += other.passages;
        self.relations += other.relations;
        self.errors += other.errors;
        self.warnings += other.warnings;
        for (kind, count) in other.annotations {
            *self.annotations.entry(kind).or_default() += count;
        }
    }

    pub fn annotation_count(&self) -> usize {
        self.annotations.values().sum()
    }
}

/// Counts a file read in chunks, for files too big to hold whole: the chunks are cut into blocks
/// of whole records (a cheap, sequential step), and the blocks are parsed, validated and counted
/// on every core (PubTator's without building documents, [`FileStats::add_pubtator`]), then
/// their buffers go back to the cutter. Memory stays at a few blocks whatever the file's size.
/// The counts are those of reading the file whole.
#[cfg(not(target_arch = "wasm32"))]
pub fn count_streamed(name: &str, mut reader: impl std::io::Read, format: Option<&str>) -> std::io::Result<FileStats> {
    use std::sync::{mpsc, Arc, Mutex};

    use crate::stream::{ending, read_block, Block, Cutter};

    const CHUNK_BYTES: u64 = 1 << 20;
    let started = std::time::Instant::now();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let mut cutter = Cutter::new(name, format);
    let parts = std::thread::scope(|scope| -> std::io::Result<Vec<FileStats>> {
        let (send, receive) = mpsc::sync_channel::<Block>(workers);
        // Read blocks' buffers, back to the cutter for the next blocks.
        let (give_back, given_back) = mpsc::channel::<String>();
        // Shared by the workers alone, so that if every one of them stops, the receiver goes
        // with the last and sending fails instead of waiting for ever.
        let receive = Arc::new(Mutex::new(receive));
        let counters: Vec<_> = (0..workers)
            .map(|_| {
                let receive = Arc::clone(&receive);
                let give_back = give_back.clone();
                scope.spawn(move || {
                    let mut stats = FileStats::default();
                    loop {
                        // The lock is held while waiting for a block, and let go before reading it.
                        let block = receive.lock().ok().and_then(|r| r.recv().ok());
                        match block {
                            Some(Block::Records { format, text, .. }) if format.id == pubtator::FORMAT.id => {
                                stats.add_pubtator(name, &text);
                                let _ = give_back.send(text);
                            }
                            Some(block) => {
                                let progress = read_block(name, format, 0, block);
                                stats.add(&progress.documents, &progress.diagnostics);
                            }
                            None => break,
                        }
                    }
                    stats
                })
            })
            .collect();
        drop(receive);
        drop(give_back);
        let mut read = Ok(());
        loop {
            if let Some(text) = given_back.try_iter().last() {
                cutter.recycle(text);
            }
            let block = match cutter.read_from(&mut reader, CHUNK_BYTES) {
                Ok((0, _)) => break,
                Ok((_, block)) => block,
                Err(error) => {
                    read = Err(error);
                    break;
                }
            };
            // A send fails only when no worker is left; their joins below say why.
            if let Some(block) = block {
                if send.send(block).is_err() {
                    break;
                }
            }
        }
        if read.is_ok() {
            let _ = send.send(cutter.finish());
        }
        drop(send);
        let joined: Vec<_> = counters.into_iter().map(|counter| counter.join()).collect();
        read?;
        joined.into_iter().map(|part| part.map_err(|_| std::io::Error::other("a counting thread failed"))).collect()
    })?;
    let mut stats = FileStats { file: name.to_string(), bytes: cutter.bytes_seen(), ..FileStats::default() };
    for part in parts {
        stats.merge(part);
    }
    stats.add(&[], &ending(&cutter, false, 0));
    if stats.format.is_empty() {
        stats.format = "-".into();
    }
    stats.seconds = started.elapsed().as_secs_f64();
    Ok(stats)
}
