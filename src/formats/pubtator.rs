//! PubTator: `ID|t|title` and `ID|a|abstract` lines, then tab-separated annotation lines
//! (`ID start end mention type [concepts [more]]`) and relation lines (`ID type arg1 arg2 [novel]`).
//! Offsets count code points across `title + " " + abstract`. Real files bend every rule, so
//! each line is read on its own: a bad line gets a warning and only that line is skipped.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::{Format, Parsed, Source};
use crate::model::{numbered_id, Annotation, Arg, Citation, Diagnostic, Document, Passage, Relation};
use crate::offsets::char_len;

pub const FORMAT: Format = Format { id: "pubtator", label: "PubTator", extensions: &["pubtator"], sniff, parse };

fn sniff(text: &str) -> u8 {
    let mut tab_lines = 0;
    for line in text.lines().filter(|line| !line.trim().is_empty()).take(40) {
        if header(line).is_some() {
            return 95;
        }
        let mut columns = line.split('\t');
        let (_, start, end) = (columns.next(), columns.next(), columns.next());
        if start.and_then(offset).is_some() && end.and_then(offset).is_some() && columns.count() >= 2 {
            tab_lines += 1;
        }
    }
    if tab_lines >= 3 {
        40
    } else {
        0
    }
}

/// A document being read: its header lines so far and the annotation and relation lines that
/// follow, as the [`Lines`] reading them makes them. The header texts borrow from the file, so
/// the text is copied once, into the finished document.
struct Record<'a, L: Lines<'a>> {
    id: &'a str,
    title: Option<&'a str>,
    abstract_text: Option<&'a str>,
    annotations: Vec<L::Annotation>,
    relations: Vec<L::Relation>,
}

/// What the reading loop makes of the lines it accepts: views of a document's annotations, with
/// everything a document needs, and its relations ([`Viewed`]: [`parse`] makes documents of
/// them, the page's store keeps them as they are), or, to count a file, views with what a count
/// needs ([`Counted`]). The loop, and so every rule about which line is kept, is the same for both.
trait Lines<'a> {
    type Annotation;
    type Relation;
    /// `columns` passed [`annotation_line`]; `count` annotations of the record came before.
    fn annotation(line: AnnotationLine<'a>, columns: &[&'a str], number: u32, count: usize) -> Self::Annotation;
    /// `columns` passed [`relation_line`].
    fn relation(columns: &[&'a str], count: usize) -> Self::Relation;
}

/// The columns every annotation line must have right.
struct AnnotationLine<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    kind: &'a str,
}

/// An annotation line as a count needs it: where it is, what it says it covers, its type.
pub struct Mention<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    pub kind: &'a str,
}

/// A record as the file writes it, for counting without building its document: the parts of
/// its text (see [`document_text`]), its annotation lines, and how many relation lines it has.
pub struct RecordView<'a> {
    pub title: &'a str,
    pub abstract_text: Option<&'a str>,
    pub mentions: Vec<Mention<'a>>,
    pub relations: usize,
}

struct Counted;

impl<'a> Lines<'a> for Counted {
    type Annotation = Mention<'a>;
    type Relation = ();

    fn annotation(line: AnnotationLine<'a>, _: &[&'a str], _: u32, _: usize) -> Mention<'a> {
        Mention { start: line.start, end: line.end, text: line.text, kind: line.kind }
    }

    fn relation(_: &[&'a str], _: usize) {}
}

/// An annotation line with everything [`parse`] makes of it, borrowed from the file (but the
/// rare columns after the concepts, joined) rather than made into an [`Annotation`]: for a
/// reader that stores it as it is (the page's store).
#[derive(Clone)]
pub struct AnnotationView<'a> {
    pub start: usize,
    pub end: usize,
    /// The mention as the file writes it.
    pub text: &'a str,
    pub kind: &'a str,
    /// The concept column as written ([`concept_ids`] splits it), empty when there is none.
    pub concepts: &'a str,
    /// What [`parse`] keeps in the annotation's infons: the columns after the concepts.
    pub infon: Option<(&'static str, String)>,
    /// Its place among the record's annotation lines, from 1: its id is `a` and this number.
    pub number: usize,
    /// The line of the file (of the text given) it is on.
    pub line: u32,
}

impl AnnotationView<'_> {
    /// The annotation [`parse`] makes of the line.
    pub fn into_annotation(self) -> Annotation {
        Annotation {
            id: numbered_id('a', self.number),
            start: self.start,
            end: self.end,
            text: self.text.to_string(),
            kind: self.kind.to_string(),
            concepts: split_concepts(self.concepts),
            infons: infons(self.infon),
            line: Some(self.line),
            ..Annotation::default()
        }
    }
}

/// The infons of an annotation whose line gives `infon` ([`AnnotationView::infon`]).
pub fn infons(infon: Option<(&str, String)>) -> BTreeMap<String, String> {
    let mut infons = BTreeMap::new();
    if let Some((key, value)) = infon {
        infons.insert(key.to_string(), value);
    }
    infons
}

/// A record with everything [`parse`] makes of it, its annotations as [`AnnotationView`]s.
pub struct RecordLines<'a> {
    pub id: &'a str,
    pub title: Option<&'a str>,
    pub abstract_text: Option<&'a str>,
    pub annotations: Vec<AnnotationView<'a>>,
    pub relations: Vec<Relation>,
}

struct Viewed;

impl<'a> Lines<'a> for Viewed {
    type Annotation = AnnotationView<'a>;
    type Relation = Relation;

    fn annotation(line: AnnotationLine<'a>, columns: &[&'a str], number: u32, count: usize) -> AnnotationView<'a> {
        let concepts = columns.get(5).copied().unwrap_or_default();
        AnnotationView {
            start: line.start,
            end: line.end,
            text: line.text,
            kind: line.kind,
            concepts,
            infon: extra_infon(columns, || concept_ids(concepts).count()),
            number: count + 1,
            line: number,
        }
    }

    fn relation(columns: &[&'a str], count: usize) -> Relation {
        relation(columns, count)
    }
}

fn parse(source: &Source) -> Parsed {
    let (records, diagnostics) = read_lines(source);
    let documents = records.into_iter().map(document).collect();
    Parsed { documents, diagnostics }
}

/// Reads a PubTator file's records as [`parse`] does, each annotation line left as it is in the
/// file: [`shell`] and the views together hold everything of the document [`parse`] makes.
pub fn read_lines<'a>(source: &Source<'a>) -> (Vec<RecordLines<'a>>, Vec<Diagnostic>) {
    let (records, diagnostics) = read::<Viewed>(source);
    let records = records
        .into_iter()
        .map(|record| RecordLines {
            id: record.id,
            title: record.title,
            abstract_text: record.abstract_text,
            annotations: record.annotations,
            relations: record.relations,
        })
        .collect();
    (records, diagnostics)
}

/// Reads a PubTator file's records as [`parse`] does, without building their documents: what
/// `litview stats` needs, at a fraction of the cost. The diagnostics are the parser's; checking
/// each mention against the text is the caller's, as [`crate::validate`] does for documents.
pub fn read_views<'a>(source: &Source<'a>) -> (Vec<RecordView<'a>>, Vec<Diagnostic>) {
    let (records, diagnostics) = read::<Counted>(source);
    let views = records
        .into_iter()
        .map(|record| RecordView {
            title: record.title.unwrap_or_default(),
            abstract_text: record.abstract_text.filter(|a| !a.is_empty()),
            mentions: record.annotations,
            relations: record.relations.len(),
        })
        .collect();
    (views, diagnostics)
}

fn read<'a, L: Lines<'a>>(source: &Source<'a>) -> (Vec<Record<'a, L>>, Vec<Diagnostic>) {
    let file = source.file;
    let text = source.text;
    let mut records: Vec<Record<'a, L>> = Vec::new();
    // The latest record of each id: annotation lines attach there, even when a file repeats an id.
    let mut latest: FxHashMap<&str, usize> = FxHashMap::default();
    let mut diagnostics = Vec::new();
    let mut warn = |line: u32, id: Option<&str>, message: String| {
        diagnostics.push(Diagnostic::warning(file, Some(line), message).in_document(id));
    };
    // One buffer for the columns of every line, rather than one allocation per line.
    let mut columns: Vec<&str> = Vec::new();
    // The annotations of the last record, moved into it at its exact size once the record ends:
    // growing each record's own list would copy it at every doubling.
    let mut open: Vec<L::Annotation> = Vec::new();

    for (number, line) in lines(text).enumerate() {
        let number = number as u32 + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        // Nearly every line starts with a digit: only the others need the full whitespace test.
        let starts_visibly = line.as_bytes().first().is_some_and(u8::is_ascii_graphic);
        if !starts_visibly && line.trim().is_empty() {
            continue;
        }
        if let Some((id, marker, text)) = header(line) {
            let current = records.last_mut().filter(|record| record.id == id);
            match (marker, current) {
                // An abstract line completes the record its title line began.
                (Marker::Abstract, Some(record)) if record.abstract_text.is_none() && open.is_empty() => {
                    record.abstract_text = Some(text);
                }
                (marker, _) => {
                    if marker == Marker::Abstract {
                        warn(number, Some(id), format!("abstract line of document {id} has no title line before it"));
                    }
                    close(&mut records, &mut open);
                    latest.insert(id, records.len());
                    let (title, abstract_text) = match marker {
                        Marker::Title => (Some(text), None),
                        Marker::Abstract => (None, Some(text)),
                    };
                    records.push(Record { id, title, abstract_text, annotations: Vec::new(), relations: Vec::new() });
                }
            }
            continue;
        }

        columns.clear();
        let mut column_start = 0;
        for tab in memchr::memchr_iter(b'\t', line.as_bytes()) {
            columns.push(&line[column_start..tab]);
            column_start = tab + 1;
        }
        columns.push(&line[column_start..]);
        trim_trailing_empty(&mut columns);
        let id = trim(columns.first().copied().unwrap_or_default());
        // Annotation lines follow their header, so the last record is nearly always the one; the
        // last record is also always the latest of its id, so the map agrees.
        let index = match records.last() {
            Some(record) if record.id == id => Some(records.len() - 1),
            _ => latest.get(id).copied(),
        };
        let Some(index) = index else {
            let what = if columns.len() > 1 {
                format!("document {id}, which has no title or abstract line before it")
            } else {
                "no document".to_string()
            };
            warn(number, None, format!("this line is not PubTator (it belongs to {what}); skipped"));
            continue;
        };
        let is_open = index + 1 == records.len();
        let record = &mut records[index];
        let annotations = if is_open { &mut open } else { &mut record.annotations };
        match columns.get(1).map(|c| offset(c)) {
            Some(Some(start)) => match annotation_line(start, &columns) {
                Ok(line) => annotations.push(L::annotation(line, &columns, number, annotations.len())),
                Err(message) => warn(number, Some(id), message),
            },
            // A negative start is a broken annotation line, not a relation whose type is "-3".
            Some(None)
                if columns.get(1).is_some_and(|c| is_negative(c)) && columns.get(2).is_some_and(|c| is_signed(c)) =>
            {
                warn(
                    number,
                    Some(id),
                    format!(
                        "the start offset '{}' is negative; offsets count characters from 0; skipped",
                        columns[1].trim()
                    ),
                )
            }
            Some(None) => match relation_line(&columns) {
                Ok(()) => record.relations.push(L::relation(&columns, record.relations.len())),
                Err(message) => warn(number, Some(id), message),
            },
            None => warn(number, Some(id), "a line with only a document id and no tabs; skipped".into()),
        }
    }

    close(&mut records, &mut open);
    (records, diagnostics)
}

/// Gives the last record the annotations read for it, in a list of exactly their number.
fn close<'a, L: Lines<'a>>(records: &mut [Record<'a, L>], open: &mut Vec<L::Annotation>) {
    if let Some(record) = records.last_mut() {
        record.annotations.reserve_exact(open.len());
        record.annotations.append(open);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marker {
    Title,
    Abstract,
}

/// Splits `ID|t|text` (also `ID |t| text`, as some corpora write it) into its parts.
pub(crate) fn header(line: &str) -> Option<(&str, Marker, &str)> {
    // An id holds no tab, so a tab first is an annotation or relation line: said without
    // searching the rest of it for a bar.
    let bar = memchr::memchr2(b'|', b'\t', line.as_bytes()).filter(|&at| line.as_bytes()[at] == b'|')?;
    let raw_id = &line[..bar];
    let id = raw_id.trim();
    if id.is_empty() || id.len() > 100 || id.bytes().any(|b| b == b'\t' || b == b' ') {
        return None;
    }
    let rest = &line[bar + 1..];
    let marker = match rest.as_bytes() {
        [b't', b'|', ..] => Marker::Title,
        [b'a', b'|', ..] => Marker::Abstract,
        _ => return None,
    };
    let text = &rest[2..];
    // In the spaced form the space after the marker is part of the marker, not of the text.
    let text = if raw_id.ends_with(' ') { text.strip_prefix(' ').unwrap_or(text) } else { text };
    Some((id, marker, text))
}

/// A column of digits (white space around them allowed) as a number; `None` for anything else,
/// or a number too big to be an offset. One pass: every annotation line has two of these.
fn offset(column: &str) -> Option<usize> {
    let column = trim(column);
    if column.is_empty() {
        return None;
    }
    let mut value: usize = 0;
    for &byte in column.as_bytes() {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(usize::from(digit))?;
    }
    Some(value)
}

fn is_signed(column: &str) -> bool {
    let column = column.trim();
    offset(column.strip_prefix('-').unwrap_or(column)).is_some()
}

fn is_negative(column: &str) -> bool {
    column.trim().starts_with('-') && is_signed(column)
}

/// `str::trim`, skipping its search when both ends are visibly not white space, as in nearly
/// every column of a real file.
fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// A trailing tab is an empty last column, not a column.
fn trim_trailing_empty(columns: &mut Vec<&str>) {
    while columns.len() > 1 && columns.last().is_some_and(|c| trim(c).is_empty()) {
        columns.pop();
    }
}

/// The lines of `text` split at `\n` as `str::split('\n')` does (a final empty line included),
/// found with `memchr`, which looks at many bytes at once.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match memchr::memchr(b'\n', current.as_bytes()) {
            Some(at) => {
                rest = current.get(at + 1..);
                current.get(..at)
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// Checks the columns every annotation line needs, its `start` read already; the line is
/// skipped when one is wrong.
fn annotation_line<'a>(start: usize, columns: &[&'a str]) -> Result<AnnotationLine<'a>, String> {
    if columns.len() < 5 {
        return Err(format!(
            "an annotation line needs at least 5 tab-separated columns (id, start, end, mention, type); this one has {}; skipped",
            columns.len()
        ));
    }
    let end = offset(columns[2]).ok_or_else(|| format!("the end offset '{}' is not a number; skipped", columns[2]))?;
    let kind = trim(columns[4]);
    if kind.is_empty() {
        return Err("the annotation has no type; skipped".into());
    }
    if kind.bytes().any(|b| b == b'|' || b == b':') {
        return Err(format!(
            "the type column holds '{kind}', which looks like a concept id: the type is missing; skipped"
        ));
    }
    Ok(AnnotationLine { start, end, text: columns[3], kind })
}

/// The infon an annotation line's columns after the concepts make, keyed by what they look like:
/// a score, one mention per concept (`concepts` counts them, asked only then), or anything else.
fn extra_infon(columns: &[&str], concepts: impl FnOnce() -> usize) -> Option<(&'static str, String)> {
    let extra = columns.get(6..).filter(|extra| !extra.is_empty())?.join("\t");
    let key = if is_number(extra.trim()) {
        "score"
    } else if extra.contains('|') && extra.split('|').count() == concepts() {
        "mentions"
    } else {
        "extra"
    };
    Some((key, extra))
}

/// Checks the columns every relation line needs; the line is skipped when one is missing.
fn relation_line(columns: &[&str]) -> Result<(), String> {
    if columns.len() < 4 {
        return Err(format!(
            "a relation line needs 4 tab-separated columns (id, type, concept, concept); this one has {}, and its second column is not an offset; skipped",
            columns.len()
        ));
    }
    Ok(())
}

fn relation(columns: &[&str], count: usize) -> Relation {
    let args = [("subject", columns[2]), ("object", columns[3])]
        .into_iter()
        .map(|(role, value)| {
            let (kind, concept) = typed_argument(value.trim());
            Arg {
                role: role.into(),
                concept: Some(concept.to_string()),
                kind: kind.map(str::to_string),
                ..Arg::default()
            }
        })
        .collect();
    let mut infons = BTreeMap::new();
    if let Some(flag) = columns.get(4) {
        // BioRED's fifth column says whether the relation is a novel finding of the paper.
        let key = if matches!(flag.trim(), "Novel" | "No") { "novel" } else { "extra" };
        infons.insert(key.to_string(), columns[4..].join("\t"));
    }
    Relation { id: numbered_id('r', count + 1), kind: columns[1].trim().to_string(), args, infons }
}

/// PubTator3 writes relation arguments as `Type|ID` (`Chemical|MESH:D001`). A tmVar id such as
/// `p|SUB|R|114|H` starts with a one-letter sequence type, not an entity type, and stays whole.
fn typed_argument(value: &str) -> (Option<&str>, &str) {
    if let Some((kind, id)) = value.split_once('|') {
        let is_type = kind.len() >= 2
            && kind.starts_with(|c: char| c.is_ascii_uppercase())
            && kind.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if is_type && !id.is_empty() {
            return (Some(kind), id);
        }
    }
    (None, value)
}

/// Splits a concept field into identifiers. Composites join ids with `|`, `,`, `;` or `+`;
/// `-1`, `-`, `None` and empty mean none. A tmVar variant (`p|SUB|R|114|H;Gene:11277;RS#:…`)
/// packs `|` inside its first id, so it splits only on `;` and keeps each part as written.
pub fn split_concepts(field: &str) -> Vec<String> {
    concept_ids(field).map(str::to_string).collect()
}

/// The identifiers of a concept field, as [`split_concepts`] gives them, borrowed from it.
pub fn concept_ids(field: &str) -> impl Iterator<Item = &str> {
    let field = trim(field);
    let packed = field.as_bytes().get(1) == Some(&b'|') && field.starts_with(|c: char| c.is_ascii_lowercase());
    // The separators are ASCII, so cutting at their bytes never splits a character.
    let is_separator = move |b: u8| if packed { b == b';' } else { matches!(b, b'|' | b',' | b';' | b'+') };
    let mut start = 0;
    let cuts = field.bytes().enumerate().filter(move |&(_, b)| is_separator(b)).map(|(at, _)| at);
    cuts.chain([field.len()]).filter_map(move |end| {
        let id = trim(field.get(start..end).unwrap_or_default());
        start = end + 1;
        (!matches!(id, "" | "-" | "-1" | "None" | "none" | "null")).then_some(id)
    })
}

/// A record's text, whose code points its offsets count: the title, and, when there is an
/// abstract, one space and the abstract.
pub fn document_text(title: &str, abstract_text: Option<&str>, text: &mut String) {
    text.clear();
    text.reserve(title.len() + abstract_text.map_or(0, |a| a.len() + 1));
    text.push_str(title);
    if let Some(abstract_text) = abstract_text {
        text.push(' ');
        text.push_str(abstract_text);
    }
}

fn document(record: RecordLines) -> Document {
    let mut document = shell(record.id, record.title, record.abstract_text);
    document.annotations = record.annotations.into_iter().map(AnnotationView::into_annotation).collect();
    document.relations = record.relations;
    document
}

/// A record's document without its annotations and relations: its id, text, passages and
/// citation.
pub fn shell(id: &str, title: Option<&str>, abstract_text: Option<&str>) -> Document {
    let title = title.unwrap_or_default();
    let abstract_text = abstract_text.filter(|a| !a.is_empty());
    let title_len = char_len(title);
    let mut passages = vec![Passage { kind: "title".into(), start: 0, end: title_len, ..Passage::default() }];
    let mut text = String::new();
    document_text(title, abstract_text, &mut text);
    if let Some(abstract_text) = abstract_text {
        let start = title_len + 1;
        passages.push(Passage {
            kind: "abstract".into(),
            start,
            end: start + char_len(abstract_text),
            ..Passage::default()
        });
    }
    // Most ids are PMIDs; the 11-digit ids of figure-caption corpora are not.
    let pmid = (id.len() <= 9 && id.bytes().all(|b| b.is_ascii_digit())).then(|| id.to_string());
    let citation = Citation { title: (!title.is_empty()).then(|| title.to_string()), pmid, ..Citation::default() };
    Document {
        source: crate::model::Source { id: Some(id.to_string()), ..Default::default() },
        citation,
        text,
        passages,
        ..Document::default()
    }
}

/// A score such as `0.99996` or `1e-5`: checked by hand, because parsing floats would add
/// kilobytes of code to the page for one column.
fn is_number(text: &str) -> bool {
    let digits = text.trim_start_matches(['-', '+']);
    let mut seen_digit = false;
    let mut seen_exponent = false;
    let mut previous = b' ';
    for &b in digits.as_bytes() {
        match b {
            b'0'..=b'9' => seen_digit = true,
            b'.' if !seen_exponent => {}
            b'e' | b'E' if seen_digit && !seen_exponent => seen_exponent = true,
            b'-' | b'+' if matches!(previous, b'e' | b'E') => {}
            _ => return false,
        }
        previous = b;
    }
    seen_digit && !matches!(previous, b'e' | b'E' | b'-' | b'+')
}
