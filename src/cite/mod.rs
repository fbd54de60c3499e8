//! Citations out: APA and Vancouver references as plain text, and BibTeX, RIS and CSL-JSON
//! exports of any set of citations, whatever format they were read from.

pub mod pages;
pub mod types;
