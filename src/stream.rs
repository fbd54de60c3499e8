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
use crate::model::{Diagnostic, Document};
use crate::validate::validate;

/// Where, in a text that holds the start of a file, the last record begins: everything before it
/// is complete records. `None` when no record boundary is seen yet.
type Splitter = fn(&str) -> Option<usize>;

/// The formats that stream, by id, and how each finds its record boundary.
static SPLITTERS: &[(&str, Splitter)] = &[("pubtator", pubtator_boundary), ("medline", blank_line_boundary)];

/// How much of a file to look at before deciding its format.
const DETECT_BYTES: usize = 64 * 1024;

/// Documents and diagnostics read so far.
#[derive(Default)]
pub struct Progress {
    pub documents: Vec<Document>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads one file chunk by chunk.
pub struct StreamLoader {
    name: String,
    forced: Option<String>,
    /// Bytes not parsed yet: an unfinished record, or the whole file when it cannot stream.
    pending: Vec<u8>,
    state: State,
    /// Lines before `pending`, so diagnostics keep the file's line numbers.
    lines_before: u32,
    documents_before: usize,
    bytes_seen: usize,
}

enum State {
    /// Not enough bytes yet to decide the format.
    Undecided,
    Streaming(&'static Format, Splitter),
    /// The whole file is gathered and read at the end.
    Whole,
}

impl StreamLoader {
    /// `format` is the user's choice, or `None`/`"auto"` to detect.
    pub fn new(name: &str, format: Option<&str>) -> Self {
        StreamLoader {
            name: name.to_string(),
            forced: format.filter(|f| *f != "auto").map(str::to_string),
            pending: Vec::new(),
            state: State::Undecided,
            lines_before: 0,
            documents_before: 0,
            bytes_seen: 0,
        }
    }

    /// Takes the next chunk; returns the documents completed by it.
    pub fn push(&mut self, chunk: &[u8]) -> Progress {
        self.bytes_seen += chunk.len();
        if self.bytes_seen > input::MAX_FILE_BYTES {
            // Keep what was read; the rest of the file is not taken (said once, at the end).
            return Progress::default();
        }
        self.pending.extend_from_slice(chunk);
        // A format the user chose needs no detection: the file streams from its first chunk.
        if matches!(self.state, State::Undecided) && (self.pending.len() >= DETECT_BYTES || self.forced.is_some()) {
            self.decide();
        }
        match self.state {
            State::Streaming(format, split) => self.parse_complete(format, split),
            _ => Progress::default(),
        }
    }

    /// The file has ended (or the user stopped it, with `stopped` set): reads what is left.
    pub fn finish(mut self, stopped: bool) -> Progress {
        if matches!(self.state, State::Undecided) {
            self.decide();
        }
        let mut progress = match self.state {
            State::Streaming(format, _) => {
                let tail = std::mem::take(&mut self.pending);
                self.parse_text(format, &String::from_utf8_lossy(&tail))
            }
            State::Whole | State::Undecided => {
                let (documents, diagnostics) =
                    crate::load_one(&InputFile { name: &self.name, bytes: &self.pending }, self.forced.as_deref());
                Progress { documents, diagnostics }
            }
        };
        if self.bytes_seen > input::MAX_FILE_BYTES {
            progress.diagnostics.push(Diagnostic::error(
                &self.name,
                None,
                format!(
                    "the file is {} MB; litview reads files up to {} MB, so only its first part was read",
                    self.bytes_seen >> 20,
                    input::MAX_FILE_BYTES >> 20
                ),
            ));
        }
        if stopped {
            progress.diagnostics.push(Diagnostic::warning(
                &self.name,
                None,
                // Whole megabytes and tenths by integer arithmetic: float formatting would add
                // kilobytes of code to the page for one message.
                format!(
                    "reading stopped at your request after {}.{} MB; the documents read until then are kept",
                    self.bytes_seen / 1_000_000,
                    self.bytes_seen % 1_000_000 / 100_000
                ),
            ));
        }
        progress
    }

    /// Decides from the first bytes whether the file can stream: plain UTF-8 text in a format
    /// that has a splitter. Anything else (UTF-16, another encoding, binary, XML, JSON) is read whole.
    fn decide(&mut self) {
        let head = &self.pending[..self.pending.len().min(DETECT_BYTES)];
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let text = match std::str::from_utf8(head) {
            Ok(text) => text,
            // A chunk may end inside a character: accept a cut only at the very end.
            Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default(),
            Err(_) => "",
        };
        let utf8 = !text.is_empty() && memchr::memchr(0, head).is_none() && !head.starts_with(b"\xFF\xFE");
        let format = match &self.forced {
            Some(id) => formats::by_id(id),
            None if utf8 => Some(detect(&self.name, text).format),
            None => None,
        };
        let splitter = format.and_then(|f| SPLITTERS.iter().find(|(id, _)| *id == f.id).map(|&(_, s)| (f, s)));
        self.state = match splitter {
            Some((format, split)) if utf8 => {
                if self.pending.starts_with(b"\xEF\xBB\xBF") {
                    self.pending.drain(..3);
                }
                State::Streaming(format, split)
            }
            _ => State::Whole,
        };
    }

    /// Parses the complete records at the front of `pending` and keeps the rest.
    fn parse_complete(&mut self, format: &'static Format, split: Splitter) -> Progress {
        // Only whole characters: a chunk may end inside one.
        let valid = match std::str::from_utf8(&self.pending) {
            Ok(_) => self.pending.len(),
            Err(e) => e.valid_up_to(),
        };
        let Ok(text) = std::str::from_utf8(&self.pending[..valid]) else { return Progress::default() };
        let Some(cut) = split(text).filter(|&cut| cut > 0) else { return Progress::default() };
        let complete: Vec<u8> = self.pending.drain(..cut).collect();
        let text = String::from_utf8_lossy(&complete);
        let progress = self.parse_text(format, &text);
        self.lines_before += memchr::memchr_iter(b'\n', &complete).count() as u32;
        progress
    }

    fn parse_text(&mut self, format: &'static Format, text: &str) -> Progress {
        let parsed = (format.parse)(&Source { file: &self.name, text });
        let mut diagnostics = parsed.diagnostics;
        for diagnostic in &mut diagnostics {
            diagnostic.line = diagnostic.line.map(|line| line + self.lines_before);
        }
        let mut documents = parsed.documents;
        for (index, document) in documents.iter_mut().enumerate() {
            document.source.file = self.name.clone();
            document.source.format = format.id.to_string();
            document.source.index = self.documents_before + index;
            for annotation in &mut document.annotations {
                annotation.line = annotation.line.map(|line| line + self.lines_before);
            }
            validate(document, &self.name, &mut diagnostics);
        }
        self.documents_before += documents.len();
        Progress { documents, diagnostics }
    }
}

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
        let mut loader = StreamLoader::new("big.pubtator", None);
        let mut documents = Vec::new();
        let mut diagnostics = Vec::new();
        for piece in text.as_bytes().chunks(chunk) {
            let progress = loader.push(piece);
            documents.extend(progress.documents);
            diagnostics.extend(progress.diagnostics);
        }
        let progress = loader.finish(false);
        documents.extend(progress.documents);
        diagnostics.extend(progress.diagnostics);
        (documents, diagnostics)
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
        assert!(last.diagnostics.iter().any(|d| d.message.contains("stopped at your request")));
    }

    #[test]
    fn other_files_are_read_whole() {
        let json = format!("[{}]", vec!["{\"type\":\"book\",\"title\":\"T\"}"; 4000].join(","));
        let mut loader = StreamLoader::new("refs.json", None);
        assert!(json.as_bytes().chunks(10_000).all(|c| loader.push(c).documents.is_empty()));
        assert_eq!(loader.finish(false).documents.len(), 4000);
    }
}
