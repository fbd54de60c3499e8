//! litview's core: biomedical literature files in, one document model out.
//!
//! Data flows one way: bytes → text ([`input`]) → format ([`detect`], [`formats`]) → documents
//! ([`model`]) → checks ([`validate`]) → view ([`view`]) → page ([`wasm`]) or command line.
//!
//! | format    | reads                                                          |
//! |-----------|----------------------------------------------------------------|
//! | PubTator  | `ID\|t\|`, `ID\|a\|`, annotation and relation lines            |
//! | BioC XML  | `<collection>` of documents, passages, annotations, relations; any offset unit    |
//! | JATS XML  | PMC's and publishers' `<article>`: front matter to the citation, sections to passages, `<ref-list>` to references |
//! | BioC JSON | collection, document list, JSON lines, PubTator3's `{"PubTator3": [...]}`      |
//! | PubAnnotation | `text` with `denotations`, `relations`, `attributes`, `tracks`            |
//! | brat      | a `.txt` with its `.ann` (T, R, E, A/M, N, `#`, `*` lines), paired by name |
//! | RIS       | `TY  - ` … `ER  - ` records (Scopus, Ovid, EBSCO, Dimensions), and Web of Science `PT`…`ER` |
//! | MEDLINE   | PubMed `.nbib`: `PMID- `, `FAU`/`AU` with their `AD`, continuation lines |
//! | BibTeX    | `@article{…}` entries, `@string` macros, `#`, LaTeX accents to Unicode |
//! | CSL-JSON  | one item or an array, Crossref's `works` JSON too             |
//! | PubMed XML | `PubmedArticleSet` from efetch: structured abstracts, authors with ORCID iDs, MeSH, references |
//! | HTML page | a saved article page: Highwire `citation_*` tags, schema.org JSON-LD, Dublin Core, `<title>`; the abstract element |
//! | page      | an article page's or catalog record's saved text: card, abstract, numbered references |
//! | text      | anything else, shown as plain text with a diagnostic           |
//!
//! **Offsets** in the model count Unicode code points of [`Document::text`], whatever unit the
//! file used; [`offsets`] converts, and [`view`] alone turns them into the DOM's UTF-16 units.
//!
//! **Export** ([`export`]) writes documents back out as PubTator, BioC XML/JSON, PubAnnotation,
//! brat or a table, in code points, and names in a warning whatever the target cannot hold.
//!
//! **Input is untrusted**: no parser panics on any input, every problem is a [`Diagnostic`] that
//! names the file and the line, and nothing from a file is ever treated as markup.
// The page's wasm is built for size, which leaves even a few instructions as a call; in the loops
// every byte of a corpus goes through, that made the page's recognition 10 % slower.
// `scripts/env.sh` sets this cfg on the page's build, whose toolchain already takes unstable flags,
// so that those few functions are built for speed.
#![cfg_attr(litview_speed, feature(optimize_attribute))]

pub mod annotate;
pub mod case;
pub mod cite;
pub mod detect;
pub mod export;
pub mod formats;
pub mod ids;
pub mod ingest;
pub mod input;
pub mod links;
pub mod load;
pub mod model;
pub mod names;
pub mod offsets;
pub mod stats;
pub mod store;
pub mod stream;
pub mod validate;
pub mod view;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

/// The page's allocator. Reading a big file makes and frees millions of small strings, and the
/// standard library's allocator for wasm (dlmalloc) spent a fifth of the reading time on them.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub use input::InputFile;
pub use load::{load, load_one};
pub use model::{Annotation, Citation, Diagnostic, Document, Output, Relation, Severity};
