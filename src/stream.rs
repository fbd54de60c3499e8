//! Big files, read in chunks: documents appear while the rest of the file is still loading, and
//! the loader keeps only the unfinished tail of the text, never a second copy of the file.
//!
//! Streaming needs a format whose records can be cut apart without reading the whole file; each
//! such format has a row in [`SPLITTERS`] saying where its last complete record ends. Any other
//! file is gathered whole and read by [`crate::load_one`] at the end, as usual.

use crate::detect::detect;
use crate::formats::pubtator::{header, Marker};
use crate::formats::{self, Format, Source};
use crate::input::{self, InputFile};
use crate::load::settle;
use crate::model::{Diagnostic, Document};

/// Where, in a text that holds the start of a file, the last record begins: everything before it
/// is complete records. `None` when no record boundary is seen yet.
type Splitter = fn(&str) -> Option<usize>;

/// The formats that stream, by id, and how each finds its record boundary.
static SPLITTERS: &[(&str, Splitter)] = &[("pubtator", pubtator_boundary), ("medline", blank_line_boundary)];

/// The formats whose big files the page reads with several workers at once, each from its own
/// record boundary ([`record_start`]). Not MEDLINE: its messages name the line a record starts
/// at, which a worker reading from the middle of the file does not know, and its records carry
/// the DOIs by which the references of one document open another.
const PARALLEL: &[&str] = &["pubtator"];

/// How much of a file to look at before deciding its format.
const DETECT_BYTES: usize = 64 * 1024;

/// Documents and diagnostics read so far.
#[derive(Default)]
pub struct Progress {
    pub documents: Vec<Document>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Progress {
    fn add(&mut self, more: Progress) {
        self.documents.extend(more.documents);
        self.diagnostics.extend(more.diagnostics);
    }
}

/// What a [`Cutter`] hands on: whole records of a streaming format, or, for a file that cannot
/// stream, the whole file at its end.
pub enum Block {
    Records {
        format: &'static Format,
        text: String,
        /// Lines of the file before this block, so diagnostics keep the file's line numbers.
        lines_before: u32,
    },
    Whole(Vec<u8>),
}

/// Cuts a file read in chunks into blocks of whole records. The cutting is cheap and sequential;
/// the blocks can be parsed in order ([`StreamLoader`]) or in parallel (`litview stats`).
pub struct Cutter {
    forced: Option<String>,
    name: String,
    /// Bytes not handed on yet: an unfinished record, or the whole file when it cannot stream.
    pending: Vec<u8>,
    state: State,
    lines_before: u32,
    bytes_seen: usize,
    /// A block's buffer given back ([`Cutter::recycle`]) for the next, so that reading a big file
    /// does not ask the system for fresh memory, zeroed page by page, at every block.
    spare: Option<Vec<u8>>,
}

enum State {
    /// Not enough bytes yet to decide the format.
    Undecided,
    Streaming(&'static Format, Splitter),
    /// The whole file is gathered and read at the end.
    Whole,
}

impl Cutter {
    /// `format` is the user's choice, or `None`/`"auto"` to detect.
    pub fn new(name: &str, format: Option<&str>) -> Self {
        Cutter {
            name: name.to_string(),
            forced: format.filter(|f| *f != "auto").map(str::to_string),
            pending: Vec::new(),
            state: State::Undecided,
            lines_before: 0,
            bytes_seen: 0,
            spare: None,
        }
    }

    /// Bytes given so far, including any past [`input::MAX_FILE_BYTES`] that were not taken.
    pub fn bytes_seen(&self) -> usize {
        self.bytes_seen
    }

    /// Takes the next chunk; returns the records it completed, if any.
    pub fn push(&mut self, chunk: &[u8]) -> Option<Block> {
        self.bytes_seen += chunk.len();
        if self.bytes_seen > input::MAX_FILE_BYTES {
            // Keep what was read; the rest of the file is not taken (said once, at the end).
            return None;
        }
        self.pending.extend_from_slice(chunk);
        self.cut()
    }

    /// As [`Cutter::push`], reading the chunk, up to `max` bytes, from `reader` straight after
    /// the bytes not handed on yet rather than through a buffer of its own: how many bytes were
    /// read (none at the end), and the records they completed. The command line's count reads
    /// a file so, on the one thread that reads for all the others.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn read_from(&mut self, reader: &mut impl std::io::Read, max: u64) -> std::io::Result<(usize, Option<Block>)> {
        use std::io::Read;
        let before = self.pending.len();
        self.pending.reserve(usize::try_from(max).unwrap_or(usize::MAX));
        let read = reader.take(max).read_to_end(&mut self.pending)?;
        self.bytes_seen += read;
        if self.bytes_seen > input::MAX_FILE_BYTES {
            self.pending.truncate(before);
            return Ok((read, None));
        }
        Ok((read, self.cut()))
    }

    /// The records `pending` completes, once its format is known.
    fn cut(&mut self) -> Option<Block> {
        // A format the user chose needs no detection: the file streams from its first chunk.
        if matches!(self.state, State::Undecided) && (self.pending.len() >= DETECT_BYTES || self.forced.is_some()) {
            self.decide();
        }
        let State::Streaming(format, split) = self.state else { return None };
        let cut = last_boundary(&self.pending, split)?;
        let mut rest = self.spare.take().unwrap_or_default();
        rest.clear();
        rest.extend_from_slice(self.pending.get(cut..).unwrap_or_default());
        self.pending.truncate(cut);
        let complete = std::mem::replace(&mut self.pending, rest);
        Some(self.records(format, complete))
    }

    /// Gives back the text of a block that has been read, to hold the next.
    pub fn recycle(&mut self, text: String) {
        self.spare = Some(text.into_bytes());
    }

    /// The file has ended: what is left, as records or as the whole file.
    pub fn finish(&mut self) -> Block {
        if matches!(self.state, State::Undecided) {
            self.decide();
        }
        let tail = std::mem::take(&mut self.pending);
        match self.state {
            State::Streaming(format, _) => self.records(format, tail),
            State::Whole | State::Undecided => Block::Whole(tail),
        }
    }

    fn records(&mut self, format: &'static Format, bytes: Vec<u8>) -> Block {
        let lines_before = self.lines_before;
        self.lines_before += memchr::memchr_iter(b'\n', &bytes).count() as u32;
        let text = String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Block::Records { format, text, lines_before }
    }

    /// Decides from the first bytes whether the file can stream.
    fn decide(&mut self) {
        self.state = match streams(&self.name, &self.pending, self.forced.as_deref()) {
            Some((format, split)) => {
                if self.pending.starts_with(b"\xEF\xBB\xBF") {
                    self.pending.drain(..3);
                }
                State::Streaming(format, split)
            }
            None => State::Whole,
        };
    }

    /// Lines of the file cut into blocks so far: all of them, once it is finished.
    pub fn lines(&self) -> u32 {
        self.lines_before
    }
}

/// Whether a file that starts with `head` can stream: plain UTF-8 text in a format that has a
/// splitter. Anything else (UTF-16, another encoding, binary, XML, JSON) is read whole.
fn streams(name: &str, head: &[u8], forced: Option<&str>) -> Option<(&'static Format, Splitter)> {
    let head = &head[..head.len().min(DETECT_BYTES)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        // A chunk may end inside a character: accept a cut only at the very end.
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default(),
        Err(_) => "",
    };
    let utf8 = !text.is_empty() && memchr::memchr(0, head).is_none() && !head.starts_with(b"\xFF\xFE");
    let format = match forced {
        Some(id) => formats::by_id(id),
        None if utf8 => Some(detect(name, text).format),
        None => None,
    };
    let format = format.filter(|_| utf8)?;
    SPLITTERS.iter().find(|(id, _)| *id == format.id).map(|&(_, split)| (format, split))
}

/// The format in which a big file of `size` bytes that starts with `head` can be read by several
/// workers at once, each from a record boundary ([`record_start`]): `None` when it must be read
/// in one go (a file over the size litview reads is read in one go, up to that size).
pub fn parallel_format(name: &str, head: &[u8], forced: Option<&str>, size: usize) -> Option<&'static str> {
    if size > input::MAX_FILE_BYTES {
        return None;
    }
    let (format, _) = streams(name, head, forced.filter(|f| *f != "auto"))?;
    PARALLEL.contains(&format.id).then_some(format.id)
}

/// Where a record of `format` starts in `window`, bytes taken from anywhere inside a file (the
/// last such place in it): the file's records before that point and from it on can be read
/// apart. `None` when the window holds no record boundary.
pub fn record_start(format: &str, window: &[u8]) -> Option<usize> {
    let (_, split) = SPLITTERS.iter().find(|(id, _)| *id == format)?;
    // The window may start inside a line, or inside a character: look from the next line on.
    boundary_in_lines(window, next_line(window, 0)?, *split)
}

/// Reads a block as `load_one` reads a file: parse, then validate each document. Documents are
/// numbered from `first_index` (how many the file had before this block), and diagnostics carry
/// the file's own line numbers.
pub fn read_block(name: &str, forced: Option<&str>, first_index: usize, block: Block) -> Progress {
    match block {
        Block::Records { format, text, lines_before } => {
            let parsed = (format.parse)(&Source { file: name, text: &text });
            let mut diagnostics = parsed.diagnostics;
            for diagnostic in &mut diagnostics {
                diagnostic.line = diagnostic.line.map(|line| line + lines_before);
            }
            let mut documents = parsed.documents;
            for annotation in documents.iter_mut().flat_map(|d| &mut d.annotations) {
                annotation.line = annotation.line.map(|line| line + lines_before);
            }
            settle(&mut documents, name, format.id, first_index, &mut diagnostics);
            Progress { documents, diagnostics }
        }
        Block::Whole(bytes) => {
            let (mut documents, diagnostics) = crate::load_one(&InputFile { name, bytes: &bytes }, forced);
            for document in &mut documents {
                document.source.index += first_index;
            }
            Progress { documents, diagnostics }
        }
    }
}

/// Reads one file chunk by chunk, in order.
pub struct StreamLoader {
    cutter: Cutter,
    documents_before: usize,
}

impl StreamLoader {
    /// `format` is the user's choice, or `None`/`"auto"` to detect.
    pub fn new(name: &str, format: Option<&str>) -> Self {
        StreamLoader { cutter: Cutter::new(name, format), documents_before: 0 }
    }

    /// Takes the next chunk; returns the documents completed by it.
    pub fn push(&mut self, chunk: &[u8]) -> Progress {
        match self.cutter.push(chunk) {
            Some(block) => self.read(block),
            None => Progress::default(),
        }
    }

    /// Reads all of `bytes`, `chunk` bytes at a time, as the page reads a big file (for the
    /// tests that compare a streamed read with a whole one, and the profiling example).
    pub fn read_all(&mut self, bytes: &[u8], chunk: usize) -> Progress {
        let mut all = Progress::default();
        for piece in bytes.chunks(chunk.max(1)) {
            all.add(self.push(piece));
        }
        all.add(self.finish(false));
        all
    }

    /// The file has ended (or the user stopped it, with `stopped` set): reads what is left.
    pub fn finish(&mut self, stopped: bool) -> Progress {
        let block = self.cut_rest();
        let mut progress = self.read(block);
        progress.diagnostics.extend(self.ending(stopped, 0));
        progress
    }

    /// Lines of the file read so far: all of them, once it is finished.
    pub fn lines(&self) -> u32 {
        self.cutter.lines()
    }

    /// Reads a block this loader cut into documents, numbered after those read before.
    pub fn read(&mut self, block: Block) -> Progress {
        let progress = read_block(&self.cutter.name, self.cutter.forced.as_deref(), self.documents_before, block);
        self.documents_before += progress.documents.len();
        progress
    }

    /// Takes the next chunk; returns the whole records it completed, to be read by
    /// [`StreamLoader::read`] or by a reader of its own ([`crate::ingest`]).
    pub fn cut(&mut self, chunk: &[u8]) -> Option<Block> {
        self.cutter.push(chunk)
    }

    /// The file has ended: what is left of it, as [`StreamLoader::cut`] gives it.
    pub fn cut_rest(&mut self) -> Block {
        self.cutter.finish()
    }

    /// What is said at the end of a file, after its last block ([`StreamLoader::cut_rest`]): a
    /// stop, or that it was too big. For the first part of a file that other workers read the
    /// rest of, `read_elsewhere` bytes of it: a stop is said once, for the whole file.
    pub fn ending(&self, stopped: bool, read_elsewhere: usize) -> Vec<Diagnostic> {
        ending(&self.cutter, stopped, read_elsewhere)
    }

    /// Counts `count` documents that a block was read into by a reader of its own.
    pub fn count_read(&mut self, count: usize) {
        self.documents_before += count;
    }

    /// Documents read so far: the next one's position in the file.
    pub fn documents_read(&self) -> usize {
        self.documents_before
    }

    pub fn name(&self) -> &str {
        &self.cutter.name
    }

    /// Gives back the text of a block that has been read, to hold the next.
    pub fn recycle(&mut self, text: String) {
        self.cutter.recycle(text);
    }
}

/// What a person should know when a streamed file ends: that it was too big to read whole, or
/// that they stopped it (after `read_elsewhere` more bytes than this cutter saw were read).
pub fn ending(cutter: &Cutter, stopped: bool, read_elsewhere: usize) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let bytes = cutter.bytes_seen;
    if bytes > input::MAX_FILE_BYTES {
        diagnostics.push(Diagnostic::error(
            &cutter.name,
            None,
            format!(
                "the file is {} MB; litview reads files up to {} MB, so only its first part was read",
                bytes >> 20,
                input::MAX_FILE_BYTES >> 20
            ),
        ));
    }
    if stopped {
        let bytes = bytes + read_elsewhere;
        diagnostics.push(Diagnostic::warning(
            &cutter.name,
            None,
            // Whole megabytes and tenths by integer arithmetic: float formatting would add
            // kilobytes of code to the page for one message.
            format!(
                "reading stopped at your request after {}.{} MB; the documents read until then are kept",
                bytes / 1_000_000,
                bytes % 1_000_000 / 100_000
            ),
        ));
    }
    diagnostics
}

/// Where the last record of `bytes` starts, past their start. The boundary is sought in the
/// lines of the last [`TAIL_BYTES`] first, then in all of them: every byte of a block is checked
/// as UTF-8 once the block is whole ([`Cutter::records`]), and checking all of them here too, on
/// the one thread that reads a file for all the others, was a pass over the file for nothing.
fn last_boundary(bytes: &[u8], split: Splitter) -> Option<usize> {
    // The tail starts after a line's end, so that the splitter sees whole lines only.
    let tail = bytes.len().checked_sub(TAIL_BYTES).and_then(|from| next_line(bytes, from));
    tail.and_then(|from| boundary_in_lines(bytes, from, split)).or_else(|| boundary_in_lines(bytes, 0, split))
}

/// The last record boundary `split` finds in `bytes` from `from` on, as a place in `bytes` past
/// their start.
fn boundary_in_lines(bytes: &[u8], from: usize, split: Splitter) -> Option<usize> {
    let cut = split(whole_characters(bytes.get(from..)?))?;
    Some(from + cut).filter(|&cut| cut > 0)
}

/// Where the first line that starts at or after `from` starts.
fn next_line(bytes: &[u8], from: usize) -> Option<usize> {
    Some(from + memchr::memchr(b'\n', bytes.get(from..)?)? + 1)
}

/// The longest start of `bytes` that is UTF-8: a chunk may end inside a character.
fn whole_characters(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes)
        .unwrap_or_else(|e| std::str::from_utf8(bytes.get(..e.valid_up_to()).unwrap_or_default()).unwrap_or_default())
}

/// How far back from a chunk's end a record boundary is sought first: records are shorter.
const TAIL_BYTES: usize = 64 << 10;

/// PubTator: a record starts at an `ID|t|` line whose id differs from the line before it, so
/// a record's own lines are never cut apart.
fn pubtator_boundary(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    // Look back from the end for a title line (the last line may be unfinished: skip it).
    while let Some(newline) = memchr::memrchr(b'\n', &bytes[..end]) {
        let start = newline + 1;
        let line_end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |n| start + n);
        let line = &text[start..line_end];
        let title_id = header(line).filter(|&(_, marker, _)| marker == Marker::Title).map(|(id, _, _)| id);
        if let Some(id) = title_id.filter(|_| line_end < bytes.len()) {
            let previous = text[..newline].trim_end().rsplit('\n').next().unwrap_or_default();
            let previous_id = previous.split(['|', '\t']).next().unwrap_or_default().trim();
            if previous_id != id {
                return Some(start);
            }
        }
        end = newline;
    }
    None
}

/// MEDLINE (and other blank-line-separated records): a record starts after a blank line.
fn blank_line_boundary(text: &str) -> Option<usize> {
    let mut at = text.len();
    while let Some(found) = text[..at].rfind("\n\n") {
        if found + 2 < text.len() {
            return Some(found + 2);
        }
        at = found;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(text: &str, chunk: usize) -> (Vec<Document>, Vec<Diagnostic>) {
        let read = StreamLoader::new("big.pubtator", None).read_all(text.as_bytes(), chunk);
        (read.documents, read.diagnostics)
    }

    fn corpus() -> String {
        let mut text = String::new();
        for i in 0..3000 {
            text.push_str(&format!("{i}|t|Titel {i} über 😀 aspirin\n{i}|a|Abstract of {i}.\n"));
            text.push_str(&format!("{i}\t{}\t{}\taspirin\tChemical\tMESH:D001241\n", 14 + digits(i), 21 + digits(i)));
            if i % 500 == 7 {
                text.push_str(&format!("{i}\t0\t5\tTitle\tX\n"));
            }
            text.push('\n');
        }
        text
    }

    fn digits(i: usize) -> usize {
        i.to_string().len()
    }

    #[test]
    fn streams_the_same_documents_as_a_whole_read() {
        let text = corpus();
        assert!(text.len() > DETECT_BYTES);
        let whole = crate::load(&[InputFile { name: "big.pubtator", bytes: text.as_bytes() }], None);
        for chunk in [1000, 4096, 65_537, 1 << 20] {
            let (documents, diagnostics) = stream(&text, chunk);
            assert_eq!(documents.len(), whole.documents.len(), "chunk {chunk}");
            let differ = documents.iter().zip(&whole.documents).position(|(a, b)| a != b);
            assert_eq!(differ, None, "chunk {chunk}: first document that differs");
            assert_eq!(diagnostics, whole.diagnostics, "chunk {chunk}");
        }
        assert_eq!(whole.documents.len(), 3000);
        assert_eq!(whole.diagnostics.len(), 6, "the mismatched 'Title' lines, with their own line numbers");
        assert!(whole.diagnostics.iter().all(|d| d.message.contains("covers 'Titel'")));
    }

    #[test]
    fn stopping_keeps_what_was_read_and_says_so() {
        let text = corpus();
        let mut loader = StreamLoader::new("big.pubtator", None);
        let first = loader.push(&text.as_bytes()[..200_000]);
        assert!(!first.documents.is_empty());
        let last = loader.finish(true);
        let said: Vec<&str> = last.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(said, ["reading stopped at your request after 0.2 MB; the documents read until then are kept"]);
    }

    /// A file read in parts by several workers is stopped once, by the first part, for all of
    /// them: its message counts the bytes the others read.
    #[test]
    fn a_stop_counts_what_every_part_read() {
        let text = corpus();
        let mut loader = StreamLoader::new("big.pubtator", None);
        loader.push(&text.as_bytes()[..200_000]);
        loader.cut_rest();
        let last = loader.ending(true, 2_500_000);
        let said: Vec<&str> = last.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(said, ["reading stopped at your request after 2.7 MB; the documents read until then are kept"]);
    }

    /// Seeking the last record boundary in a chunk's tail first finds the one a search of the
    /// whole chunk finds, wherever the chunk ends (inside a line, inside a character).
    #[test]
    fn the_last_boundary_is_found_from_the_tail_as_from_the_whole() {
        let pubtator = corpus().into_bytes();
        let medline = "PMID- 1\nTI  - Ménière's disease\n\n".repeat(4000).into_bytes();
        for (bytes, split) in [(&pubtator, pubtator_boundary as Splitter), (&medline, blank_line_boundary)] {
            for end in (1..bytes.len()).step_by(3001).chain([TAIL_BYTES, TAIL_BYTES + 1, bytes.len()]) {
                let chunk = &bytes[..end];
                let whole = split(whole_characters(chunk)).filter(|&cut| cut > 0);
                assert_eq!(last_boundary(chunk, split), whole, "ending at {end}");
            }
        }
    }

    #[test]
    fn other_files_are_read_whole() {
        let json = format!("[{}]", vec!["{\"type\":\"book\",\"title\":\"T\"}"; 4000].join(","));
        let mut loader = StreamLoader::new("refs.json", None);
        assert!(json.as_bytes().chunks(10_000).all(|c| loader.push(c).documents.is_empty()));
        assert_eq!(loader.finish(false).documents.len(), 4000);
    }
}
