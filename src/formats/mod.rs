//! The registry of input formats: one row per format, one file per format. Each parser only turns
//! text into documents and diagnostics; decoding, detection and validation happen around it.

use crate::model::{Diagnostic, Document};

pub mod bibtex;
pub mod bioc;
pub mod bioc_json;
pub mod bioc_xml;
pub mod brat;
pub mod csl_json;
pub mod html;
pub mod jats;
pub mod medline;
pub mod page;
pub mod plain;
pub mod pubannotation;
pub mod pubmed_xml;
pub mod pubtator;
pub mod ris;
mod xml;

/// One input format: how to recognise it and how to read it.
pub struct Format {
    /// The name used by `--format` and in `source.format`.
    pub id: &'static str,
    /// The name shown to people.
    pub label: &'static str,
    /// File name endings, lower case, without the dot; used only when the content is ambiguous.
    pub extensions: &'static [&'static str],
    /// How sure the format is that the text is its own, 0 (not at all) to 100.
    pub sniff: fn(&str) -> u8,
    pub parse: fn(&Source) -> Parsed,
}

/// A decoded file handed to a parser.
pub struct Source<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

/// What a parser returns. Documents need not have `source` set: the loader does that.
#[derive(Default)]
pub struct Parsed {
    pub documents: Vec<Document>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Every format litview reads, in the order detection prefers them on a tie.
pub static FORMATS: &[Format] = &[
    pubtator::FORMAT,
    bioc_xml::FORMAT,
    pubmed_xml::FORMAT,
    jats::FORMAT,
    bioc_json::FORMAT,
    pubannotation::FORMAT,
    brat::FORMAT,
    csl_json::FORMAT,
    ris::FORMAT,
    medline::FORMAT,
    bibtex::FORMAT,
    html::FORMAT,
    page::FORMAT,
];

pub fn by_id(id: &str) -> Option<&'static Format> {
    FORMATS.iter().chain(std::iter::once(&plain::FORMAT)).find(|format| format.id == id)
}

/// The ids `--format` accepts, besides `auto`.
pub fn ids() -> impl Iterator<Item = &'static str> {
    FORMATS.iter().map(|format| format.id).chain(std::iter::once(plain::FORMAT.id))
}
