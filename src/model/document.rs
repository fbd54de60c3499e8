use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Citation, Diagnostic};

/// What parsing a set of files gives: `litview parse` prints exactly this.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Output {
    pub documents: Vec<Document>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub source: Source,
    pub citation: Citation,
    /// The readable text. Every offset in the model counts Unicode code points in it.
    pub text: String,
    pub passages: Vec<Passage>,
    pub annotations: Vec<Annotation>,
    pub relations: Vec<Relation>,
    pub references: Vec<Citation>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub file: String,
    pub format: String,
    /// Position of the document in its file, from 0.
    pub index: usize,
    /// The document's id as the file gives it (a PMID in PubTator, `id` in BioC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Passage {
    #[serde(rename = "type")]
    pub kind: String,
    pub start: usize,
    pub end: usize,
    /// Everything else the file says about the passage (BioC infons, a section title).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub infons: BTreeMap<String, String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    #[default]
    Source,
    Inferred,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    pub id: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub concepts: Vec<String>,
    pub origin: Origin,
    /// Discontinuous mentions: each fragment `[start, end)`; `start`/`end` then span the whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fragments: Option<Vec<[usize; 2]>>,
    /// What the file says beyond type and concepts (a score, individual mentions, BioC infons).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub infons: BTreeMap<String, String>,
    /// The line of the file the annotation came from, for diagnostics; not part of the JSON.
    #[serde(skip)]
    pub line: Option<u32>,
}

impl Annotation {
    /// The `[start, end)` pieces the mention is made of: its fragments, or its one span.
    pub fn spans(&self) -> Vec<[usize; 2]> {
        pieces(self.start, self.end, self.fragments.as_deref()).collect()
    }
}

/// The `[start, end)` pieces of a mention spanning `start..end`: its fragments, or its one span
/// when it has none (an empty list of fragments counts as none).
pub fn pieces(start: usize, end: usize, fragments: Option<&[[usize; 2]]>) -> impl Iterator<Item = [usize; 2]> + '_ {
    let fragments = fragments.filter(|f| !f.is_empty());
    let whole = fragments.is_none().then_some([start, end]);
    fragments.unwrap_or_default().iter().copied().chain(whole)
}

/// The id readers give the `number`th annotation (`a12`) or relation (`r3`) of a document when
/// the file names none; written without the formatting machinery, as it runs once per line.
pub fn numbered_id(letter: char, number: usize) -> String {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = number;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 || at == 0 {
            break;
        }
    }
    let mut id = String::with_capacity(1 + digits.len() - at);
    id.push(letter);
    id.extend(digits.iter().skip(at).map(|&d| d as char));
    id
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub args: Vec<Arg>,
    /// What the file says beyond type and arguments (BioRED's novelty flag, BioC infons).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub infons: BTreeMap<String, String>,
}

/// One argument of a relation: a concept (document-level relations, as PubTator has them) or an
/// annotation id (mention-level, as brat and PubAnnotation have them).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Arg {
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concept: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation: Option<String>,
    /// The entity type the file gives with a concept argument (PubTator3's `Chemical|MESH:D001`).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}
