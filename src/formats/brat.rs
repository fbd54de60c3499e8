//! brat standoff: a `.txt` holding the text and an `.ann` beside it holding one annotation per
//! line, `ID<TAB>...`. The loader pairs the two files by name ([`crate::load`]) and calls
//! [`parse_pair`]; an `.ann` read alone has no text and says so. Offsets count code points.
//!
//! Lines, as brat's standoff format documents them:
//! `T1  Type 0 5;9 12  text` (text-bound, `;` between fragments), `R1  Type Arg1:T1 Arg2:T2`,
//! `E1  Type:T3 Theme:T1 Cause:E2` (event: trigger, then role:argument), `A1  Name T1 [Value]`
//! and `M1` (attributes), `N1  Reference T1 Wikipedia:534366  text` (normalization),
//! `#1  AnnotatorNotes T1  note`, `*  Equiv T1 T2` (equivalence).

use std::collections::{BTreeMap, HashMap};

use super::{Format, Parsed, Source};
use crate::model::{Annotation, Arg, Citation, Diagnostic, Document, Passage, Relation};
use crate::offsets::char_len;

pub const FORMAT: Format = Format { id: "brat", label: "brat standoff", extensions: &["ann"], sniff, parse };

/// Section headers of brat's configuration files (annotation.conf, visual.conf, tools.conf).
const CONF_SECTIONS: &[&str] =
    &["[entities]", "[relations]", "[events]", "[attributes]", "[labels]", "[drawing]", "[options]", "[search]"];

fn sniff(text: &str) -> u8 {
    let lines: Vec<&str> = text.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).take(30).collect();
    if lines.is_empty() {
        return 0;
    }
    if lines.iter().any(|l| CONF_SECTIONS.contains(&l.trim())) {
        return 60;
    }
    let standoff = lines.iter().filter(|l| line_kind(l).is_some()).count();
    let text_bound = lines.iter().filter(|l| l.starts_with('T') && text_bound(l).is_some()).count();
    if standoff == lines.len() && text_bound > 0 {
        90
    } else if text_bound * 2 > lines.len() {
        60
    } else {
        0
    }
}

pub fn is_configuration(text: &str) -> bool {
    text.lines().any(|l| CONF_SECTIONS.contains(&l.trim()))
}

fn line_kind(line: &str) -> Option<char> {
    let (id, _) = line.split_once('\t')?;
    let first = id.chars().next()?;
    let valid = match first {
        '*' => id == "*",
        'T' | 'R' | 'E' | 'A' | 'M' | 'N' | '#' => id.len() > 1,
        _ => false,
    };
    valid.then_some(first)
}

/// `T1<TAB>Type 0 5;9 12<TAB>text` → (type, fragments, text).
fn text_bound(line: &str) -> Option<(&str, Vec<[usize; 2]>, &str)> {
    let mut columns = line.splitn(3, '\t');
    let (_, head, text) = (columns.next()?, columns.next()?, columns.next().unwrap_or(""));
    let (kind, spans) = head.trim().split_once(' ')?;
    let mut fragments = Vec::new();
    for span in spans.split(';') {
        let (start, end) = span.trim().split_once(' ')?;
        fragments.push([start.trim().parse().ok()?, end.trim().parse().ok()?]);
    }
    Some((kind, fragments, text))
}

fn parse(source: &Source) -> Parsed {
    let message = if is_configuration(source.text) {
        format!("{} is a brat configuration file, not a document: litview shows brat annotations from a .txt and its .ann and does not need it", source.file)
    } else {
        let stem = source.file.strip_suffix(".ann").unwrap_or(source.file);
        format!("brat annotations need their text: drop {stem}.txt together with {}", source.file)
    };
    Parsed { documents: Vec::new(), diagnostics: vec![Diagnostic::error(source.file, None, message)] }
}

/// An attribute, normalization or note waiting for its target to be known.
struct Qualifier {
    line: u32,
    target: String,
    key: String,
    value: String,
    concept: Option<String>,
}

/// Reads an `.ann` (named `file`) against the text of its `.txt`.
pub fn parse_pair(file: &str, ann: &str, text: &str) -> Parsed {
    let mut diagnostics = Vec::new();
    let mut warn = |line: u32, message: String| diagnostics.push(Diagnostic::warning(file, Some(line), message));
    let mut annotations: Vec<Annotation> = Vec::new();
    let mut relations: Vec<Relation> = Vec::new();
    let mut triggers: HashMap<String, String> = HashMap::new();
    let mut qualifiers: Vec<Qualifier> = Vec::new();
    let mut equivalences = 0;

    for (number, line) in ann.split('\n').enumerate() {
        let number = number as u32 + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let Some(kind) = line_kind(line) else {
            warn(number, format!("'{}' is not a brat annotation line (ID, tab, annotation); skipped", clip(line)));
            continue;
        };
        let (id, rest) = line.split_once('\t').unwrap_or((line, ""));
        let mut columns = rest.splitn(2, '\t');
        let head = columns.next().unwrap_or("").trim();
        let tail = columns.next().unwrap_or("");
        let words: Vec<&str> = head.split_whitespace().collect();
        match kind {
            'T' => match text_bound(line) {
                Some((kind, mut fragments, mention)) => {
                    fragments.sort_unstable();
                    let start = fragments.first().map_or(0, |f| f[0]);
                    let end = fragments.iter().map(|f| f[1]).max().unwrap_or(0);
                    annotations.push(Annotation {
                        id: id.to_string(),
                        start,
                        end,
                        text: mention.to_string(),
                        kind: kind.to_string(),
                        fragments: (fragments.len() > 1).then_some(fragments),
                        line: Some(number),
                        ..Annotation::default()
                    });
                }
                None => warn(number, format!("text-bound annotation {id} needs a type and offsets like 'Protein 0 5' or 'Protein 0 5;9 12'; skipped")),
            },
            'R' => {
                let args: Vec<Arg> = words.iter().skip(1).filter_map(|w| argument(w)).collect();
                if words.is_empty() || args.is_empty() {
                    warn(number, format!("relation {id} needs a type and arguments like 'Arg1:T1 Arg2:T2'; skipped"));
                    continue;
                }
                relations.push(Relation { id: id.to_string(), kind: words[0].to_string(), args, infons: BTreeMap::new() });
            }
            'E' => {
                let Some((kind, trigger)) = words.first().and_then(|w| w.split_once(':')) else {
                    warn(number, format!("event {id} needs 'Type:Trigger' first; skipped"));
                    continue;
                };
                triggers.insert(id.to_string(), trigger.to_string());
                let mut args = vec![Arg { role: "trigger".into(), annotation: Some(trigger.to_string()), ..Arg::default() }];
                args.extend(words.iter().skip(1).filter_map(|w| argument(w)));
                relations.push(Relation { id: id.to_string(), kind: kind.to_string(), args, infons: BTreeMap::new() });
            }
            'A' | 'M' => match words.as_slice() {
                [name, target, value @ ..] => qualifiers.push(Qualifier {
                    line: number,
                    target: target.to_string(),
                    key: name.to_string(),
                    value: if value.is_empty() { "true".into() } else { value.join(" ") },
                    concept: None,
                }),
                _ => warn(number, format!("attribute {id} needs a name and a target; skipped")),
            },
            'N' => match words.as_slice() {
                [_, target, concept, ..] => qualifiers.push(Qualifier {
                    line: number,
                    target: target.to_string(),
                    key: "normalization".into(),
                    value: if tail.is_empty() { concept.to_string() } else { format!("{concept} {tail}") },
                    concept: Some(concept.to_string()),
                }),
                _ => warn(number, format!("normalization {id} needs 'Reference Target Database:ID'; skipped")),
            },
            '#' => match words.as_slice() {
                [_, target, ..] => qualifiers.push(Qualifier {
                    line: number,
                    target: target.to_string(),
                    key: "note".into(),
                    value: tail.trim().to_string(),
                    concept: None,
                }),
                _ => warn(number, format!("note {id} needs a target; skipped")),
            },
            _ => {
                // `*<TAB>Equiv T1 T2 ...`: brat writes no id for equivalences.
                if words.len() < 3 {
                    warn(number, "an equivalence needs a type and at least two annotations; skipped".into());
                    continue;
                }
                equivalences += 1;
                let args = words[1..]
                    .iter()
                    .map(|t| Arg { role: "Arg".into(), annotation: Some(t.to_string()), ..Arg::default() })
                    .collect();
                relations.push(Relation {
                    id: format!("*{equivalences}"),
                    kind: words[0].to_string(),
                    args,
                    infons: BTreeMap::new(),
                });
            }
        }
    }

    // Events are arguments of other events by id: they point at their trigger, the mention.
    for relation in &mut relations {
        for arg in &mut relation.args {
            if let Some(trigger) = arg.annotation.as_ref().and_then(|target| triggers.get(target)) {
                arg.annotation = Some(trigger.clone());
            }
        }
    }
    for qualifier in qualifiers {
        let Qualifier { line, target, key, value, concept } = qualifier;
        let infons = if let Some(annotation) = annotations.iter_mut().find(|a| a.id == target) {
            if let Some(concept) = concept.filter(|c| !annotation.concepts.contains(c)) {
                annotation.concepts.push(concept);
            }
            &mut annotation.infons
        } else if let Some(relation) = relations.iter_mut().find(|r| r.id == target) {
            &mut relation.infons
        } else {
            warn(line, format!("{key} '{value}' names {target}, which the file does not have; skipped"));
            continue;
        };
        infons.entry(key).and_modify(|v| *v = format!("{v}; {value}")).or_insert(value);
    }

    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let stem = name.strip_suffix(".ann").unwrap_or(name).to_string();
    let digits = stem.strip_prefix("PMID-").unwrap_or(&stem);
    let pmid = (!digits.is_empty() && digits.len() <= 9 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.to_string());
    let document = Document {
        source: crate::model::Source { id: Some(stem), ..Default::default() },
        citation: Citation { pmid, ..Citation::default() },
        passages: vec![Passage { kind: "text".into(), start: 0, end: char_len(text), ..Passage::default() }],
        text: text.to_string(),
        annotations,
        relations,
        references: Vec::new(),
    };
    Parsed { documents: vec![document], diagnostics }
}

/// `Role:ID`, as relation and event arguments are written.
fn argument(word: &str) -> Option<Arg> {
    let (role, target) = word.split_once(':')?;
    (!target.is_empty()).then(|| Arg { role: role.to_string(), annotation: Some(target.to_string()), ..Arg::default() })
}

fn clip(line: &str) -> String {
    let clipped: String = line.chars().take(60).collect();
    if clipped.len() < line.len() {
        format!("{clipped}…")
    } else {
        clipped
    }
}
