//! Text litview does not understand yet: shown as it is, one passage, no annotations.

use super::{Format, Parsed, Source};
use crate::model::{Document, Passage};
use crate::offsets::char_len;

pub const FORMAT: Format = Format { id: "text", label: "Plain text", extensions: &[], sniff: |_| 0, parse };

fn parse(source: &Source) -> Parsed {
    let text = source.text.trim_end().to_string();
    let end = char_len(&text);
    let document = Document {
        passages: vec![Passage { kind: "text".into(), start: 0, end, ..Passage::default() }],
        text,
        ..Document::default()
    };
    Parsed { documents: vec![document], diagnostics: Vec::new() }
}
