//! The one document model every parser produces and every front end reads. Its JSON form is
//! fixed by the contract (`shared/contract.md`): field names here follow it exactly.

mod citation;
mod diagnostic;
mod document;
pub mod from_json;

pub use citation::{Affiliation, Citation, DateParts, Name};
pub use diagnostic::{Diagnostic, Severity};
pub use document::{numbered_id, pieces, Annotation, Arg, Document, Origin, Output, Passage, Relation, Source};
