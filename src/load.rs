//! The one way in: files to documents. Each file is decoded, its format detected (or taken from
//! the user), parsed and validated on its own, so one bad file never stops the others.

use crate::detect::detect;
use crate::formats::{self, Source};
use crate::input::{decode, InputFile};
use crate::model::{Diagnostic, Document, Output};
use crate::validate::validate;

/// Reads every file; `format` is the user's choice (`None` or `"auto"` to detect). A brat `.txt`
/// and `.ann` of the same name are read together as one document, where the first of the two
/// stands in the list.
pub fn load(files: &[InputFile], format: Option<&str>) -> Output {
    let mut output = Output::default();
    load_each(files, format, |documents, diagnostics| {
        output.documents.extend(documents);
        output.diagnostics.extend(diagnostics);
    });
    output
}

/// Like [`load`], but hands each file's (or brat pair's) documents and diagnostics to `visit` as
/// soon as they are read, so a caller can write them out without holding the whole corpus.
pub fn load_each(files: &[InputFile], format: Option<&str>, mut visit: impl FnMut(Vec<Document>, Vec<Diagnostic>)) {
    let partner = brat_pairs(files, format);
    for (i, file) in files.iter().enumerate() {
        let (documents, diagnostics) = match partner.get(i).copied().flatten() {
            Some(other) if other < i => continue,
            Some(other) => {
                let (text, annotations) =
                    if is_brat_text(file.name) { (file, &files[other]) } else { (&files[other], file) };
                load_brat_pair(text, annotations)
            }
            None => load_one(file, format),
        };
        visit(documents, diagnostics);
    }
}

fn is_brat_text(name: &str) -> bool {
    name.len() > 4 && name.get(name.len() - 4..).is_some_and(|ext| ext.eq_ignore_ascii_case(".txt"))
}

fn is_brat_annotations(name: &str) -> bool {
    name.len() > 4 && name.get(name.len() - 4..).is_some_and(|ext| ext.eq_ignore_ascii_case(".ann"))
}

/// For each file, the index of its brat partner: `x.ann` and `x.txt` (same name and folder).
pub fn brat_pairs(files: &[InputFile], format: Option<&str>) -> Vec<Option<usize>> {
    let mut partner = vec![None; files.len()];
    if !matches!(format, None | Some("auto" | "brat")) {
        return partner;
    }
    let stem = |name: &str| name.get(..name.len().saturating_sub(4)).unwrap_or_default().to_string();
    let texts: std::collections::HashMap<String, usize> =
        files.iter().enumerate().filter(|(_, f)| is_brat_text(f.name)).map(|(i, f)| (stem(f.name), i)).collect();
    for (i, file) in files.iter().enumerate() {
        if !is_brat_annotations(file.name) {
            continue;
        }
        if let Some(&t) = texts.get(&stem(file.name)) {
            if partner[t].is_none() {
                partner[t] = Some(i);
                partner[i] = Some(t);
            }
        }
    }
    partner
}

/// Reads a brat `.txt` and its `.ann` as one document; diagnostics name the `.ann`.
///
/// brat's server reads the `.txt` as plain UTF-8, so a byte-order mark there is character 0 and
/// shifts every offset by one; a tool that strips it writes offsets without it. When the `.txt`
/// starts with a mark, both readings are tried and the one whose spans fit the text wins (a tie
/// goes to brat's own reading), rather than shifting every span by guesswork.
pub fn load_brat_pair(text: &InputFile, annotations: &InputFile) -> (Vec<Document>, Vec<Diagnostic>) {
    let stripped = brat_pair(text, annotations, false);
    if !text.bytes.starts_with(b"\xEF\xBB\xBF") {
        return stripped;
    }
    let counted = brat_pair(text, annotations, true);
    let complaints = |(_, diagnostics): &(Vec<Document>, Vec<Diagnostic>)| diagnostics.len();
    if complaints(&stripped) < complaints(&counted) {
        stripped
    } else {
        counted
    }
}

fn brat_pair(text: &InputFile, annotations: &InputFile, count_bom: bool) -> (Vec<Document>, Vec<Diagnostic>) {
    let name = annotations.name;
    let (text, ann) = match (decode(text), decode(annotations)) {
        (Ok(text), Ok(ann)) => (text, ann),
        (text, ann) => return (Vec::new(), text.err().into_iter().chain(ann.err()).collect()),
    };
    let mut diagnostics = text.diagnostics;
    diagnostics.extend(ann.diagnostics);
    let text = if count_bom { format!("\u{FEFF}{}", text.text).into() } else { text.text };
    let parsed = formats::brat::parse_pair(name, &ann.text, &text);
    diagnostics.extend(parsed.diagnostics);
    let mut documents = parsed.documents;
    settle(&mut documents, name, formats::brat::FORMAT.id, 0, &mut diagnostics);
    (documents, diagnostics)
}

/// What every reader's documents get after parsing: the file and format they came from, their
/// place in the file (counted from `first_index`), and the one validation pass.
pub fn settle(
    documents: &mut [Document],
    file: &str,
    format: &str,
    first_index: usize,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (index, document) in documents.iter_mut().enumerate() {
        document.source.file = file.to_string();
        document.source.format = format.to_string();
        document.source.index = first_index + index;
        validate(document, file, diagnostics);
    }
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
    if format.is_none_or(|f| f == "auto") && name.to_ascii_lowercase().ends_with(".conf") {
        let message = if formats::brat::is_configuration(text) {
            "this is a brat configuration file, not a document: litview shows brat annotations from a .txt and its .ann and does not need it; skipped"
        } else {
            "a .conf file is configuration, not a document; skipped"
        };
        diagnostics.push(Diagnostic::warning(name, None, message));
        return (Vec::new(), diagnostics);
    }

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
    settle(&mut documents, name, chosen.id, 0, &mut diagnostics);
    if documents.is_empty() && !diagnostics.iter().any(|d| d.severity == crate::model::Severity::Error) {
        diagnostics.push(Diagnostic::error(name, None, format!("no documents found in this {} file", chosen.label)));
    }
    (documents, diagnostics)
}
