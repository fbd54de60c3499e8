//! A table with one row per annotation, for spreadsheets and scripts: document, start, end,
//! text, type, concepts (joined by `|`), origin. Offsets count code points. Tabs, line breaks
//! and backslashes inside a field are written `\t`, `\n`, `\r` and `\\`, so that every row
//! stays one line of seven fields.

use std::fmt::Write as _;

use super::{file_name, Exported, Losses, Writer};
use crate::model::{Document, Origin};

pub const WRITER: Writer = Writer { id: "tsv", label: "Table (TSV)", extension: "tsv", write };

const HEADER: &str = "document\tstart\tend\ttext\ttype\tconcepts\torigin\n";

fn write(documents: &[Document]) -> Exported {
    let mut losses = Losses::default();
    let mut out = String::from(HEADER);
    for document in documents {
        let id = document
            .source
            .id
            .clone()
            .unwrap_or_else(|| format!("{}#{}", document.source.file, document.source.index + 1));
        for annotation in &document.annotations {
            if annotation.fragments.as_ref().is_some_and(|f| f.len() > 1) {
                losses.note(
                    document,
                    "the table has one start and end per annotation: a discontinuous mention is written as the span covering its fragments, with its fragments' text",
                    format!("annotation {} ('{}')", annotation.id, annotation.text),
                );
            }
            let origin = match annotation.origin {
                Origin::Source => "source",
                Origin::Inferred => "inferred",
            };
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}\t{origin}",
                field(&id),
                annotation.start,
                annotation.end,
                field(&annotation.text),
                field(&annotation.kind),
                field(&annotation.concepts.join("|")),
            );
        }
    }
    if !documents.iter().any(|d| !d.relations.is_empty()) {
        return Exported {
            files: vec![(file_name(documents, WRITER.extension), out)],
            diagnostics: losses.into_diagnostics(),
        };
    }
    for document in documents.iter().filter(|d| !d.relations.is_empty()) {
        losses.note(
            document,
            "the table lists annotations only: relations are left out (export to BioC, PubAnnotation or brat to keep them)",
            format!("{} relations", document.relations.len()),
        );
    }
    Exported { files: vec![(file_name(documents, WRITER.extension), out)], diagnostics: losses.into_diagnostics() }
}

fn field(text: &str) -> String {
    if !text.contains(['\t', '\n', '\r', '\\']) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out
}
