//! The one way in: files to documents. Each file is decoded, its format detected (or taken from
//! the user), parsed and validated on its own, so one bad file never stops the others.

use crate::detect::detect;
use crate::formats::{self, Source};
use crate::input::{decode, InputFile};
use crate::model::{Diagnostic, Document, Output};
use crate::validate::validate;

/// Reads every file; `format` is the user's choice (`None` or `"auto"` to detect).
pub fn load(files: &[InputFile], format: Option<&str>) -> Output {
    let mut output = Output::default();
    for file in files {
        let (documents, diagnostics) = load_one(file, format);
        output.documents.extend(documents);
        output.diagnostics.extend(diagnostics);
    }
    output
}

/// Reads one file into its documents and diagnostics.
pub fn load_one(file: &InputFile, format: Option<&str>) -> (Vec<Document>, Vec<Diagnostic>) {
    let name = file.name;
    let decoded = match decode(file) {
        Ok(decoded) => decoded,
        Err(error) => return (Vec::new(), vec![error]),
    };
    let mut diagnostics = decoded.diagnostics;
    let text: &str = &decoded.text;

    let chosen = match format.filter(|f| *f != "auto") {
        Some(id) => match formats::by_id(id) {
            Some(format) => format,
            None => {
                diagnostics.push(Diagnostic::error(name, None, format!("litview has no format called '{id}'")));
                return (Vec::new(), diagnostics);
            }
        },
        None => {
            let detection = detect(name, text);
            if !detection.recognised {
                if text.trim().is_empty() {
                    diagnostics.push(Diagnostic::error(name, None, "the file is empty"));
                    return (Vec::new(), diagnostics);
                }
                diagnostics.push(Diagnostic::warning(
                    name,
                    None,
                    "litview does not recognise this file's format; it is shown as plain text without annotations",
                ));
            }
            detection.format
        }
    };

    let parsed = (chosen.parse)(&Source { file: name, text });
    diagnostics.extend(parsed.diagnostics);
    let mut documents = parsed.documents;
    for (index, document) in documents.iter_mut().enumerate() {
        document.source.file = name.to_string();
        document.source.format = chosen.id.to_string();
        document.source.index = index;
        validate(document, name, &mut diagnostics);
    }
    if documents.is_empty() && !diagnostics.iter().any(|d| d.severity == crate::model::Severity::Error) {
        diagnostics.push(Diagnostic::error(name, None, format!("no documents found in this {} file", chosen.label)));
    }
    (documents, diagnostics)
}
