//! BioC XML (`<collection>` of `<document>`s, bioc.dtd): one pull loop over quick-xml's events
//! fills the BioC tree of [`super::bioc`], which turns it into documents. No DOM is built.
//! A malformed element (a location without offset, an offset that is not a number) is skipped
//! with a warning; XML that is not well formed stops the reading where it breaks, keeping the
//! documents read before.

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::bioc::{self, BiocAnnotation, BiocDocument, BiocPassage, BiocRelation, BiocSentence, Infons};
use super::xml::Entities;
use super::{Format, Parsed, Source};
use crate::model::Diagnostic;
use crate::offsets::LineIndex;

pub const FORMAT: Format = Format { id: "bioc-xml", label: "BioC XML", extensions: &["xml", "bioc"], sniff, parse };

fn sniff(text: &str) -> u8 {
    let head = bioc::head(text.trim_start_matches('\u{feff}').trim_start(), 4096);
    if !head.starts_with('<') {
        return 0;
    }
    if head.contains("<!DOCTYPE collection") {
        return 95;
    }
    let collection = head.contains("<collection");
    let document = head.contains("<document") || head.contains("<passage");
    match (collection, document) {
        (true, true) => 90,
        (true, false) if head.contains("<source") => 70,
        (false, true) if head.contains("<passage") => 60,
        _ => 0,
    }
}

/// The elements being read, innermost last.
#[derive(Default)]
struct State {
    documents: Vec<BiocDocument>,
    document: Option<BiocDocument>,
    passage: Option<BiocPassage>,
    sentence: Option<BiocSentence>,
    annotation: Option<BiocAnnotation>,
    relation: Option<BiocRelation>,
    /// Text of the element being captured (`id`, `offset`, `text`, `infon`, ...).
    capture: Option<String>,
    /// The `key` of the `infon` being captured.
    infon_key: Option<String>,
}

fn parse(source: &Source) -> Parsed {
    let file = source.file;
    let lines = LineIndex::new(source.text);
    let mut diagnostics = Vec::new();
    let mut reader = Reader::from_str(source.text);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<String> = Vec::new();
    let mut state = State::default();
    let mut entities = Entities::default();

    loop {
        let at = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => {
                let line = lines.of(reader.error_position());
                diagnostics.push(Diagnostic::error(
                    file,
                    Some(line),
                    format!("the XML is broken here ({error}); the rest of the file is skipped"),
                ));
                break;
            }
        };
        let line = lines.of(at);
        match event {
            Event::Start(element) => {
                let name = String::from_utf8_lossy(element.local_name().as_ref()).into_owned();
                open(&mut state, &name, &element, line, file, &mut diagnostics);
                stack.push(name);
            }
            Event::Empty(element) => {
                let name = String::from_utf8_lossy(element.local_name().as_ref()).into_owned();
                open(&mut state, &name, &element, line, file, &mut diagnostics);
                stack.push(name);
                close(&mut state, &stack, line, file, &mut diagnostics);
                stack.pop();
            }
            Event::End(_) => {
                close(&mut state, &stack, line, file, &mut diagnostics);
                stack.pop();
            }
            Event::Text(text) => {
                if let Some(capture) = state.capture.as_mut() {
                    match text.xml10_content() {
                        Ok(content) => capture.push_str(&content),
                        Err(_) => capture.push_str(&String::from_utf8_lossy(&text)),
                    }
                }
            }
            Event::CData(data) => {
                if let Some(capture) = state.capture.as_mut() {
                    capture.push_str(&String::from_utf8_lossy(&data));
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(capture) = state.capture.as_mut() {
                    capture.push_str(&entities.resolve(&reference, file, line, &mut diagnostics));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Even a missing `</collection>` alone means the file was cut: documents after it are lost.
    if !stack.is_empty() || state.document.is_some() {
        diagnostics.push(Diagnostic::warning(
            file,
            Some(lines.of(reader.buffer_position())),
            "the file ends before its elements are closed; the documents read so far are kept",
        ));
    }
    // A document cut short by broken XML is kept with what was read of it.
    while !stack.is_empty() {
        close(&mut state, &stack, 0, file, &mut diagnostics);
        stack.pop();
    }
    let mut documents = std::mem::take(&mut state.documents);
    if let Some(document) = state.document.take() {
        documents.push(document);
    }
    let documents = bioc::documents(file, documents, &mut diagnostics);
    Parsed { documents, diagnostics }
}

fn attribute(element: &BytesStart, name: &str) -> Option<String> {
    let attribute = element.try_get_attribute(name).ok().flatten()?;
    Some(match attribute.normalized_value(XmlVersion::Implicit1_0) {
        Ok(value) => value.into_owned(),
        Err(_) => String::from_utf8_lossy(&attribute.value).into_owned(),
    })
}

fn number(value: &str) -> Option<usize> {
    let value = value.trim();
    (!value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())).then(|| value.parse().ok()).flatten()
}

fn open(state: &mut State, name: &str, element: &BytesStart, line: u32, file: &str, diagnostics: &mut Vec<Diagnostic>) {
    match name {
        "document" => {
            if let Some(previous) = state.document.take() {
                state.documents.push(previous);
            }
            state.document = Some(BiocDocument { line: Some(line), ..BiocDocument::default() });
        }
        "passage" if state.document.is_some() => {
            state.passage = Some(BiocPassage { line: Some(line), ..BiocPassage::default() });
        }
        "sentence" if state.passage.is_some() => {
            state.sentence = Some(BiocSentence { line: Some(line), ..BiocSentence::default() });
        }
        "annotation" if state.document.is_some() => {
            state.annotation =
                Some(BiocAnnotation { id: attribute(element, "id"), line: Some(line), ..BiocAnnotation::default() });
        }
        "relation" if state.document.is_some() => {
            state.relation =
                Some(BiocRelation { id: attribute(element, "id"), line: Some(line), ..BiocRelation::default() });
        }
        "location" => {
            let Some(annotation) = state.annotation.as_mut() else { return };
            let offset = attribute(element, "offset");
            let length = attribute(element, "length");
            match (offset.as_deref().and_then(number), length.as_deref().and_then(number)) {
                (Some(offset), Some(length)) => annotation.locations.push((offset, length)),
                _ => diagnostics.push(Diagnostic::warning(
                    file,
                    Some(line),
                    format!(
                        "a location needs a whole-number offset and length; this one has offset '{}' and length '{}'; skipped",
                        offset.unwrap_or_default(),
                        length.unwrap_or_default()
                    ),
                )),
            }
        }
        "node" => {
            let Some(relation) = state.relation.as_mut() else { return };
            match attribute(element, "refid") {
                Some(refid) => relation.nodes.push((refid, attribute(element, "role").unwrap_or_default())),
                None => diagnostics.push(Diagnostic::warning(
                    file,
                    Some(line),
                    "a relation node has no refid, so it names no annotation; skipped",
                )),
            }
        }
        "infon" => {
            state.infon_key = attribute(element, "key");
            state.capture = Some(String::new());
        }
        "id" | "offset" | "text" => state.capture = Some(String::new()),
        _ => {}
    }
}

fn close(state: &mut State, stack: &[String], line: u32, file: &str, diagnostics: &mut Vec<Diagnostic>) {
    let Some(name) = stack.last().map(String::as_str) else { return };
    let parent = stack.len().checked_sub(2).and_then(|i| stack.get(i)).map(String::as_str);
    let line = (line > 0).then_some(line);
    match name {
        "id" | "offset" | "text" | "infon" => {
            let value = state.capture.take().unwrap_or_default();
            let key = state.infon_key.take();
            leaf(state, name, parent, key, value, line, file, diagnostics);
        }
        "annotation" => {
            let Some(annotation) = state.annotation.take() else { return };
            if let Some(sentence) = state.sentence.as_mut() {
                sentence.annotations.push(annotation);
            } else if let Some(passage) = state.passage.as_mut() {
                passage.annotations.push(annotation);
            } else if let Some(document) = state.document.as_mut() {
                document.annotations.push(annotation);
            }
        }
        "relation" => {
            let Some(relation) = state.relation.take() else { return };
            if let Some(sentence) = state.sentence.as_mut() {
                sentence.relations.push(relation);
            } else if let Some(passage) = state.passage.as_mut() {
                passage.relations.push(relation);
            } else if let Some(document) = state.document.as_mut() {
                document.relations.push(relation);
            }
        }
        "sentence" => {
            if let (Some(sentence), Some(passage)) = (state.sentence.take(), state.passage.as_mut()) {
                passage.sentences.push(sentence);
            }
        }
        "passage" => {
            if let (Some(passage), Some(document)) = (state.passage.take(), state.document.as_mut()) {
                document.passages.push(passage);
            }
        }
        "document" => {
            if let Some(document) = state.document.take() {
                state.documents.push(document);
            }
        }
        _ => {}
    }
}

#[allow(clippy::too_many_arguments)]
fn leaf(
    state: &mut State,
    name: &str,
    parent: Option<&str>,
    key: Option<String>,
    value: String,
    line: Option<u32>,
    file: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let infons: Option<&mut Infons> = match parent {
        Some("annotation") => state.annotation.as_mut().map(|a| &mut a.infons),
        Some("relation") => state.relation.as_mut().map(|r| &mut r.infons),
        Some("sentence") => state.sentence.as_mut().map(|s| &mut s.infons),
        Some("passage") => state.passage.as_mut().map(|p| &mut p.infons),
        Some("document") => state.document.as_mut().map(|d| &mut d.infons),
        _ => None,
    };
    match name {
        "infon" => {
            if let Some(infons) = infons {
                match key {
                    Some(key) => infons.push((key, value)),
                    None => diagnostics.push(Diagnostic::warning(
                        file,
                        line,
                        format!("an infon without a key ('{value}'); skipped"),
                    )),
                }
            }
        }
        "id" if parent == Some("document") => {
            if let Some(document) = state.document.as_mut() {
                document.id = Some(value.trim().to_string());
            }
        }
        "text" => match parent {
            Some("annotation") => {
                if let Some(a) = state.annotation.as_mut() {
                    a.text = value;
                }
            }
            Some("sentence") => {
                if let Some(s) = state.sentence.as_mut() {
                    s.text = Some(value);
                }
            }
            Some("passage") => {
                if let Some(p) = state.passage.as_mut() {
                    p.text = Some(value);
                }
            }
            _ => {}
        },
        "offset" if matches!(parent, Some("passage" | "sentence")) => {
            let Some(offset) = number(&value) else {
                diagnostics.push(Diagnostic::warning(
                    file,
                    line,
                    format!(
                        "the {} offset '{}' is not a whole number; its text is placed after the text before it",
                        parent.unwrap_or("passage"),
                        value.trim()
                    ),
                ));
                return;
            };
            match parent {
                Some("sentence") => {
                    if let Some(s) = state.sentence.as_mut() {
                        s.offset = Some(offset);
                    }
                }
                _ => {
                    if let Some(p) = state.passage.as_mut() {
                        p.offset = Some(offset);
                    }
                }
            }
        }
        _ => {}
    }
}
