use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// Something a person should know about one file: where to look and what is wrong, in words a
/// curator understands. Parsing goes on after every diagnostic; a file with only errors simply
/// yields no documents.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub file: String,
    pub severity: Severity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The document id as the file gives it, when the problem lies inside one document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    pub message: String,
}

impl Diagnostic {
    pub fn warning(file: &str, line: Option<u32>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_string(),
            severity: Severity::Warning,
            line,
            document: None,
            message: message.into(),
        }
    }

    pub fn error(file: &str, line: Option<u32>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, ..Diagnostic::warning(file, line, message) }
    }

    pub fn in_document(mut self, id: Option<&str>) -> Self {
        self.document = id.map(str::to_string);
        self
    }
}
