//! The registry of output formats, the mirror of [`crate::formats`]: one row per format, one file
//! per format. Each writer reads only the document model and writes what its format can hold;
//! what it cannot hold is named in a warning, never dropped silently.
//!
//! Offsets in the model count code points; every writer here writes code points too, which is
//! what PubTator, PubAnnotation and brat count. BioC's specification counts UTF-8 bytes, but
//! PubTator's own BioC counts code points and litview's reader detects the unit per file, so the
//! BioC writers write code points and say so in the collection's `key` and infons.

use std::collections::HashMap;

use crate::model::{Diagnostic, Document};

pub mod bioc;
pub mod brat;
pub mod pubannotation;
pub mod pubtator;
pub mod tsv;

/// One output format.
pub struct Writer {
    /// The name used by `litview convert --to` and by the page's export buttons.
    pub id: &'static str,
    /// The name shown to people.
    pub label: &'static str,
    /// The file name ending of what it writes, without the dot.
    pub extension: &'static str,
    pub write: fn(&[Document]) -> Exported,
}

/// What a writer returns: one file for most formats, a `.txt`/`.ann` pair per document for brat.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Exported {
    /// `(file name, content)`, in the order the documents came.
    pub files: Vec<(String, String)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Every format litview writes.
pub static WRITERS: &[Writer] =
    &[pubtator::WRITER, bioc::XML_WRITER, bioc::JSON_WRITER, pubannotation::WRITER, brat::WRITER, tsv::WRITER];

pub fn by_id(id: &str) -> Option<&'static Writer> {
    WRITERS.iter().find(|writer| writer.id == id)
}

/// The ids `--to` accepts.
pub fn ids() -> impl Iterator<Item = &'static str> {
    WRITERS.iter().map(|writer| writer.id)
}

/// A document as messages name it: its id, or its position in its file.
pub(crate) fn document_name(document: &Document) -> String {
    match &document.source.id {
        Some(id) => format!("document {id}"),
        None => format!("document {} of {}", document.source.index + 1, document.source.file),
    }
}

/// The name of the one file a writer makes: the source file's stem when every document comes
/// from one file, else `documents`.
pub(crate) fn file_name(documents: &[Document], extension: &str) -> String {
    let first = documents.first().map(|d| d.source.file.as_str()).unwrap_or_default();
    let same = !first.is_empty() && documents.iter().all(|d| d.source.file == first);
    let stem = if same { stem(first) } else { "documents".to_string() };
    format!("{stem}.{extension}")
}

/// A file name without its folder and last extension, safe to use as a file name.
pub(crate) fn stem(file: &str) -> String {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    };
    safe_name(stem)
}

/// Keeps letters, digits and `-_.` so the name is valid on every file system.
pub(crate) fn safe_name(name: &str) -> String {
    let safe: String =
        name.chars().map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect();
    let safe = safe.trim_start_matches('.').to_string();
    if safe.is_empty() {
        "document".to_string()
    } else {
        safe
    }
}

/// Joins concepts with the first separator that a reader splitting composite ids
/// ([`crate::formats::pubtator::split_concepts`]) takes apart into the same list again.
pub(crate) fn join_concepts(concepts: &[String], preferred: &[&str]) -> Option<String> {
    preferred
        .iter()
        .map(|separator| concepts.join(separator))
        .find(|joined| crate::formats::pubtator::split_concepts(joined) == concepts)
}

/// What a target cannot hold, gathered per source file and kind of loss, so that converting a
/// corpus of a thousand documents gives one warning per kind, with a count and a first example,
/// rather than a thousand.
#[derive(Default)]
pub(crate) struct Losses {
    entries: Vec<Loss>,
    index: HashMap<(String, String), usize>,
}

struct Loss {
    file: String,
    message: String,
    count: usize,
    document: Option<String>,
    example: String,
}

impl Losses {
    /// Records one loss: `message` says what the format cannot hold and what was written
    /// instead; `example` names the instance (an annotation, a relation).
    pub fn note(&mut self, document: &Document, message: &str, example: impl Into<String>) {
        let key = (document.source.file.clone(), message.to_string());
        match self.index.get(&key) {
            Some(&at) => {
                if let Some(entry) = self.entries.get_mut(at) {
                    entry.count += 1;
                }
            }
            None => {
                self.index.insert(key, self.entries.len());
                self.entries.push(Loss {
                    file: document.source.file.clone(),
                    message: message.to_string(),
                    count: 1,
                    document: document.source.id.clone(),
                    example: format!("{}, {}", document_name(document), example.into()),
                });
            }
        }
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.entries
            .into_iter()
            .map(|loss| {
                let message = if loss.count == 1 {
                    format!("{} ({})", loss.message, loss.example)
                } else {
                    format!("{} ({} times; the first: {})", loss.message, loss.count, loss.example)
                };
                Diagnostic::warning(&loss.file, None, message).in_document(loss.document.as_deref())
            })
            .collect()
    }
}

/// `text` with every character of `from` replaced by a space: one code point for one, so that
/// offsets stay right. Returns whether anything changed.
pub(crate) fn spaces_for(text: &str, from: &[char]) -> (String, bool) {
    if !text.contains(from) {
        return (text.to_string(), false);
    }
    (text.chars().map(|c| if from.contains(&c) { ' ' } else { c }).collect(), true)
}
