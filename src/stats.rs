//! The quick summary of what a file holds, for `litview stats` and benchmarks.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Diagnostic, Document, Severity};

#[derive(Debug, Default, Serialize)]
pub struct FileStats {
    pub file: String,
    pub format: String,
    pub bytes: usize,
    pub seconds: f64,
    pub documents: usize,
    pub passages: usize,
    pub annotations: BTreeMap<String, usize>,
    pub relations: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl FileStats {
    pub fn new(file: &str, bytes: usize, seconds: f64, documents: &[Document], diagnostics: &[Diagnostic]) -> Self {
        let mut stats =
            FileStats { file: file.to_string(), bytes, seconds, documents: documents.len(), ..FileStats::default() };
        stats.format = documents.first().map(|d| d.source.format.clone()).unwrap_or_else(|| "-".into());
        for document in documents {
            stats.passages += document.passages.len();
            stats.relations += document.relations.len();
            for annotation in &document.annotations {
                *stats.annotations.entry(annotation.kind.clone()).or_default() += 1;
            }
        }
        for diagnostic in diagnostics {
            match diagnostic.severity {
                Severity::Error => stats.errors += 1,
                Severity::Warning => stats.warnings += 1,
            }
        }
        stats
    }

    pub fn annotation_count(&self) -> usize {
        self.annotations.values().sum()
    }
}
