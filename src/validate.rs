//! One pass after every parser, whatever the format: spans inside the text and on its passages,
//! each annotation's text equal to what its offsets cover, ids unique, relation arguments that
//! exist. A problem becomes a warning that names the document and the line; nothing is shifted.

use std::collections::HashSet;

use crate::model::{pieces, Annotation, Diagnostic, Document};
use crate::offsets::{char_len, CharCursor};

/// Checks one document and repairs what can be repaired without guessing: an annotation whose
/// offsets do not cover its stated text keeps the text its offsets cover; one whose offsets fall
/// outside the text is dropped. Each repair is reported.
pub fn validate(document: &mut Document, file: &str, diagnostics: &mut Vec<Diagnostic>) {
    // A cursor, not a table of every code point: a file's annotations come mostly in text
    // order, and the table was a tenth of the time a PubTator corpus took to read in the page.
    let mut index = CharCursor::new(&document.text);
    let length = char_len(&document.text);
    let doc_id = document.source.id.clone();
    let doc_name = DocumentName { id: doc_id.as_deref(), index: document.source.index };
    let mut warn = |line: Option<u32>, message: String| {
        diagnostics.push(Diagnostic::warning(file, line, message).in_document(doc_id.as_deref()));
    };

    // 1. Passages lie inside the text.
    document.passages.retain(|passage| {
        let ok = passage.start <= passage.end && passage.end <= length;
        if !ok {
            warn(
                None,
                format!(
                    "{doc_name}: passage '{}' at {}–{} lies outside the text ({length} characters); dropped",
                    passage.kind, passage.start, passage.end
                ),
            );
        }
        ok
    });

    // 2. Annotations lie inside the text, and their text is what their offsets cover. Ids are
    // tracked (with a copy of each) only when some id repeats, which valid files never do.
    let ids_repeat = {
        // Sorted, equal ids sit side by side; cheaper than hashing for the few ids of an abstract.
        let mut ids: Vec<&str> = document.annotations.iter().map(|annotation| annotation.id.as_str()).collect();
        ids.sort_unstable();
        ids.windows(2).any(|pair| pair.first() == pair.last())
    };
    let mut seen_ids = HashSet::new();
    document.annotations.retain_mut(|annotation| {
        let spans = || pieces(annotation.start, annotation.end, annotation.fragments.as_deref());
        // The covered text is compared piece by piece and built only when it differs.
        let mut unmatched = Some(annotation.text.as_str());
        for (i, [start, end]) in spans().enumerate() {
            let Some(piece) = index.slice(start, end) else {
                warn(annotation.line, outside_text(&doc_name, annotation, [start, end], length));
                return false;
            };
            let rest = if i > 0 { unmatched.and_then(|rest| rest.strip_prefix(' ')) } else { unmatched };
            unmatched = rest.and_then(|rest| rest.strip_prefix(piece));
        }
        let covered = (unmatched != Some("")).then(|| {
            let covered = spans().filter_map(|[start, end]| index.slice(start, end));
            covered.collect::<Vec<_>>().join(" ")
        });
        if let Some(fragments) = &annotation.fragments {
            annotation.start = fragments.iter().map(|f| f[0]).min().unwrap_or(annotation.start);
            annotation.end = fragments.iter().map(|f| f[1]).max().unwrap_or(annotation.end);
        }
        if let Some(covered) = covered {
            warn(annotation.line, covers_other(&doc_name, annotation, &covered));
            annotation.text = covered;
        }
        if ids_repeat && !seen_ids.insert(annotation.id.clone()) {
            let renamed = unique_id(&annotation.id, &seen_ids);
            warn(
                annotation.line,
                format!("{doc_name}: annotation id {} is used twice; the second is now {renamed}", annotation.id),
            );
            seen_ids.insert(renamed.clone());
            annotation.id = renamed;
        }
        true
    });

    // 3. Relations name annotations that exist.
    let names_annotations =
        document.relations.iter().any(|relation| relation.args.iter().any(|arg| arg.annotation.is_some()));
    if names_annotations {
        let ids: HashSet<&str> = document.annotations.iter().map(|annotation| annotation.id.as_str()).collect();
        for relation in &document.relations {
            for arg in &relation.args {
                if let Some(target) = &arg.annotation {
                    if !ids.contains(target.as_str()) {
                        warn(
                            None,
                            format!(
                                "{doc_name}: relation {} ({}) names annotation {target}, which the document does not have",
                                relation.id, relation.kind
                            ),
                        );
                    }
                }
            }
        }
    }
}

/// Why an annotation is dropped: its piece from `start` to `end` lies outside a text of
/// `length` code points.
/// (Also said by a reader that checks its lines without making annotations, the page's store.)
pub fn outside_text(
    document: &DocumentName,
    annotation: &Annotation,
    [start, end]: [usize; 2],
    length: usize,
) -> String {
    let why = if start > end { "end before start".to_string() } else { format!("the text has {length} characters") };
    format!(
        "{document}: annotation {} ('{}', {}) at {start}–{end} is outside the text ({why}); dropped",
        annotation.id, annotation.text, annotation.kind
    )
}

/// What an annotation whose offsets cover `covered` rather than its stated text is told.
pub fn covers_other(document: &DocumentName, annotation: &Annotation, covered: &str) -> String {
    format!(
        "{document}: annotation {} at {}–{} covers '{covered}' but the file says '{}'; kept with the text its offsets cover",
        annotation.id, annotation.start, annotation.end, annotation.text
    )
}

/// How a warning names the document: written only into a warning, as nearly every document has
/// none (the page validates tens of thousands at a time).
pub struct DocumentName<'a> {
    pub id: Option<&'a str>,
    pub index: usize,
}

impl std::fmt::Display for DocumentName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self.id {
            Some(id) => write!(f, "document {id}"),
            None => write!(f, "document {}", self.index + 1),
        }
    }
}

fn unique_id(id: &str, taken: &HashSet<String>) -> String {
    (2..).map(|n| format!("{id}-{n}")).find(|candidate| !taken.contains(candidate)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(text: &str, annotations: Vec<Annotation>) -> Document {
        Document { text: text.into(), annotations, ..Document::default() }
    }

    fn annotation(id: &str, start: usize, end: usize, text: &str) -> Annotation {
        Annotation { id: id.into(), start, end, text: text.into(), kind: "T".into(), ..Annotation::default() }
    }

    #[test]
    fn keeps_the_covered_text_and_says_so() {
        let mut doc = document("the leukemia", vec![annotation("a1", 4, 12, "leukaemia")]);
        let mut diagnostics = Vec::new();
        validate(&mut doc, "f.txt", &mut diagnostics);
        assert_eq!(doc.annotations[0].text, "leukemia");
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0].message.contains("covers 'leukemia' but the file says 'leukaemia'"));
    }

    #[test]
    fn drops_spans_outside_the_text() {
        let mut doc = document(
            "αβγ",
            vec![annotation("a1", 1, 4, "βγ"), annotation("a2", 2, 1, ""), annotation("a3", 1, 3, "βγ")],
        );
        let mut diagnostics = Vec::new();
        validate(&mut doc, "f.txt", &mut diagnostics);
        assert_eq!(doc.annotations.len(), 1);
        assert_eq!(doc.annotations[0].id, "a3");
        assert_eq!(diagnostics.len(), 2);
    }

    #[test]
    fn joins_fragments_and_renames_duplicate_ids() {
        let mut first = annotation("T1", 0, 0, "left lung");
        first.fragments = Some(vec![[0, 4], [15, 19]]);
        let mut doc = document("left and right lung", vec![first, annotation("T1", 0, 4, "left")]);
        let mut diagnostics = Vec::new();
        validate(&mut doc, "f.ann", &mut diagnostics);
        assert_eq!((doc.annotations[0].start, doc.annotations[0].end), (0, 19));
        assert_eq!(doc.annotations[0].text, "left lung");
        assert_eq!(doc.annotations[1].id, "T1-2");
        assert_eq!(diagnostics.len(), 1);
    }
}
