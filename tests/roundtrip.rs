//! Round trips: every corpus file read, written in each annotation format, read back, gives the
//! same documents: text, annotations (span, text, type, concepts, fragments) and relations (type
//! and arguments), for what both formats hold. What a target cannot hold is projected away on
//! both sides by [`project`], which states each format's limits in one place.

mod common;

use std::collections::BTreeSet;

use common::{files_under, shared};
use litview::export::{self, Exported};
use litview::formats::pubtator::split_concepts;
use litview::model::{Annotation, Document, Relation};
use litview::offsets::CharIndex;
use litview::{load, InputFile, Output, Severity};

const TARGETS: &[&str] = &["pubtator", "bioc-xml", "bioc-json", "pubannotation", "brat"];

/// Reads what a writer wrote, as a user would: the files dropped together, in the target format.
fn read_back(exported: &Exported, target: &str) -> Output {
    let files: Vec<InputFile> =
        exported.files.iter().map(|(name, content)| InputFile { name, bytes: content.as_bytes() }).collect();
    let format = if target == "brat" { None } else { Some(target) };
    load(&files, format)
}

/// An annotation as compared: span, text, type, concepts (a set), fragments.
type Mention = (usize, usize, String, String, BTreeSet<String>, Option<Vec<[usize; 2]>>);
/// A relation as compared: type, and each argument's role (where the target keeps roles) and
/// concept or annotation (by its span and type, since writers may renumber ids).
type Link = (String, Vec<(Option<String>, String)>);

#[derive(Debug, PartialEq)]
struct Seen {
    text: String,
    mentions: Vec<Mention>,
    links: Vec<Link>,
}

/// brat's one-word rule for types and roles.
fn word(text: &str) -> String {
    text.trim().chars().map(|c| if c.is_whitespace() || c == ':' { '_' } else { c }).collect()
}

fn pubtator_type(kind: &str) -> bool {
    let kind = kind.trim();
    !kind.is_empty() && !kind.contains(['|', ':', '\t', '\n', '\r'])
}

/// What of `document` the target format holds.
fn project(document: &Document, target: &str) -> Seen {
    let text = if target == "pubtator" {
        document.text.chars().map(|c| if matches!(c, '\t' | '\n' | '\r') { ' ' } else { c }).collect()
    } else {
        document.text.clone()
    };
    let chars = CharIndex::new(&text);
    let kept = |a: &Annotation| match target {
        "pubtator" => pubtator_type(&a.kind),
        "brat" => !word(&a.kind).is_empty(),
        _ => true,
    };
    let kind_of = |a: &Annotation| if target == "brat" { word(&a.kind) } else { a.kind.trim().to_string() };
    let mut mentions: Vec<Mention> = document
        .annotations
        .iter()
        .filter(|a| kept(a))
        .map(|a| {
            let mut concepts: BTreeSet<String> = a.concepts.iter().cloned().collect();
            match target {
                "brat" => concepts.retain(|c| !c.contains(char::is_whitespace)),
                // The PubAnnotation reader takes an id for a concept only when it has a prefix.
                "pubannotation" => {
                    concepts.retain(|c| c.contains(':'));
                    if a.kind.contains(':') {
                        concepts.insert(a.kind.clone());
                    }
                }
                // BioC splits its identifier infon on '|', ',' and ';': ids that hold all three
                // (a URL with a query) cannot be written whole.
                _ if target.starts_with("bioc") => {
                    let list: Vec<String> = a.concepts.clone();
                    let whole = ["|", ",", ";"].iter().any(|sep| split_concepts(&list.join(sep)) == list);
                    if !whole {
                        concepts = split_concepts(&list.join(";")).into_iter().collect();
                    }
                }
                _ => {}
            }
            let (fragments, mention) = if target == "pubtator" {
                (None, chars.slice(a.start, a.end).unwrap_or_default().to_string())
            } else {
                (a.fragments.clone().filter(|f| f.len() > 1), a.text.clone())
            };
            (a.start, a.end, mention, kind_of(a), concepts, fragments)
        })
        .collect();
    mentions.sort();

    let key = |id: &str| match document.annotations.iter().find(|a| a.id == id) {
        Some(a) if kept(a) => format!("{}-{} {}", a.start, a.end, kind_of(a)),
        _ => format!("missing {id}"),
    };
    let all_concepts = |r: &Relation| r.args.iter().all(|a| a.concept.is_some());
    let all_mentions = |r: &Relation| r.args.iter().all(|a| a.annotation.is_some());
    let mut links: Vec<Link> = document
        .relations
        .iter()
        .filter(|r| match target {
            "pubtator" => all_concepts(r) && r.args.len() == 2,
            "pubannotation" => all_mentions(r) && r.args.len() == 2 && r.kind != "_FRAGMENT",
            "brat" => {
                all_mentions(r)
                    && !r.args.is_empty()
                    && !word(&r.kind).is_empty()
                    && r.args
                        .iter()
                        .all(|a| document.annotations.iter().any(|m| Some(&m.id) == a.annotation.as_ref() && kept(m)))
            }
            _ => true,
        })
        .map(|r| {
            let mut args: Vec<(Option<String>, String)> = r
                .args
                .iter()
                .enumerate()
                .map(|(i, a)| match (&a.concept, &a.annotation) {
                    (Some(concept), _) => (None, concept.clone()),
                    (None, Some(id)) => {
                        let role = match target {
                            "brat" if word(&a.role).is_empty() => Some(format!("Arg{}", i + 1)),
                            "brat" => Some(word(&a.role)),
                            "bioc-xml" | "bioc-json" => Some(a.role.clone()),
                            _ => None,
                        };
                        (role, key(id))
                    }
                    (None, None) => (None, String::new()),
                })
                .collect();
            if target == "bioc-xml" {
                // BioC XML's concept infons are split like composite ids (`D001|D002`).
                args = args
                    .into_iter()
                    .flat_map(|(role, value)| match role {
                        None => split_concepts(&value).into_iter().map(|c| (None, c)).collect(),
                        Some(_) => vec![(role, value)],
                    })
                    .collect();
            }
            if target.starts_with("bioc") {
                // BioC lists concept arguments (infons) before annotation arguments (nodes).
                args.sort_by_key(|(role, _)| role.is_some());
            }
            let kind = if target == "brat" { word(&r.kind) } else { r.kind.clone() };
            (kind, args)
        })
        .collect();
    links.sort();
    Seen { text, mentions, links }
}

/// Writes `documents` (one source file's) in every target, reads them back and compares.
/// Returns the number of documents compared.
fn round_trip(name: &str, documents: &[Document], failures: &mut Vec<String>) -> usize {
    for &target in TARGETS {
        let writer = export::by_id(target).unwrap();
        let exported = (writer.write)(documents);
        let back = read_back(&exported, target);
        let errors: Vec<_> = back.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        if !errors.is_empty() || back.documents.len() != documents.len() {
            failures.push(format!(
                "{name} → {target}: {} documents back of {}; errors {errors:?}",
                back.documents.len(),
                documents.len()
            ));
            continue;
        }
        for (before, after) in documents.iter().zip(&back.documents) {
            let (expected, got) = (project(before, target), project(after, target));
            if expected != got {
                let diff = |a: &[Mention], b: &[Mention]| {
                    a.iter().filter(|m| !b.contains(m)).take(3).cloned().collect::<Vec<_>>()
                };
                let diff_links =
                    |a: &[Link], b: &[Link]| a.iter().filter(|m| !b.contains(m)).take(3).cloned().collect::<Vec<_>>();
                failures.push(format!(
                    "{name} → {target}, document {:?}: text equal {}; mentions only before {:?}, only after {:?}; relations only before {:?}, only after {:?}",
                    before.source.id,
                    expected.text == got.text,
                    diff(&expected.mentions, &got.mentions),
                    diff(&got.mentions, &expected.mentions),
                    diff_links(&expected.links, &got.links),
                    diff_links(&got.links, &expected.links),
                ));
            }
        }
    }
    documents.len()
}

#[test]
fn every_corpus_document_survives_every_format() {
    let mut total = 0;
    let mut files = 0;
    let mut failures = Vec::new();
    for folder in ["pubtator", "bioc", "pubannotation", "brat"] {
        let Some(dir) = shared(&format!("data/{folder}")) else { return };
        let paths = files_under(&dir);
        let contents: Vec<(String, Vec<u8>)> = paths
            .iter()
            .map(|p| (p.strip_prefix(&dir).unwrap_or(p).to_string_lossy().into_owned(), std::fs::read(p).unwrap()))
            .collect();
        let inputs: Vec<InputFile> = contents.iter().map(|(name, bytes)| InputFile { name, bytes }).collect();
        let mut by_file: Vec<(String, Vec<Document>)> = Vec::new();
        litview::load::load_each(&inputs, None, |documents, _| {
            let Some(first) = documents.first() else { return };
            if !TARGETS.contains(&first.source.format.as_str()) {
                return;
            }
            by_file.push((first.source.file.clone(), documents));
        });
        for (name, documents) in by_file {
            total += round_trip(&format!("{folder}/{name}"), &documents, &mut failures);
            files += 1;
        }
    }
    println!("round trips: {files} files, {total} documents, each through {} formats", TARGETS.len());
    let mut seen = std::collections::HashSet::new();
    assert!(
        failures.is_empty(),
        "{} documents differ after a round trip:\n{}",
        failures.len(),
        failures
            .iter()
            .filter(|f| {
                let k: String = f.split(',').next().unwrap_or_default().to_string();
                seen.insert(k)
            })
            .take(30)
            .map(|f| f.chars().take(700).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(files > 50, "only {files} corpus files were read");
}

/// Reads `files` (name, content), checks every document survives every format, and returns them.
fn survives(files: &[(&str, &str)]) -> Vec<Document> {
    let inputs: Vec<InputFile> = files.iter().map(|(name, text)| InputFile { name, bytes: text.as_bytes() }).collect();
    let output = load(&inputs, None);
    assert!(!output.documents.is_empty(), "{:?}", output.diagnostics);
    let mut failures = Vec::new();
    round_trip("hand-written", &output.documents, &mut failures);
    assert!(failures.is_empty(), "{failures:#?}");
    output.documents
}

fn written(target: &str, documents: &[Document]) -> Exported {
    (export::by_id(target).unwrap().write)(documents)
}

#[test]
fn a_discontinuous_brat_mention_keeps_its_fragments_where_the_target_can() {
    let text = "Both the left and right lung were clear.\n";
    let ann = "T1\tOrgan 9 13;24 28\tleft lung\nN1\tReference T1 UBERON:0002168\tleft lung\n";
    let documents = survives(&[("scan.txt", text), ("scan.ann", ann)]);
    assert_eq!(documents[0].annotations[0].fragments, Some(vec![[9, 13], [24, 28]]));
    for target in ["bioc-xml", "bioc-json", "pubannotation", "brat"] {
        let back = read_back(&written(target, &documents), target);
        let annotation = &back.documents[0].annotations[0];
        assert_eq!(annotation.fragments, Some(vec![[9, 13], [24, 28]]), "{target}");
        assert_eq!(
            (annotation.text.as_str(), annotation.concepts.as_slice()),
            ("left lung", &["UBERON:0002168".to_string()][..]),
            "{target}"
        );
    }
    // PubTator has no fragments: the covering span, and a warning that says so.
    let exported = written("pubtator", &documents);
    assert!(
        exported.files[0].1.contains("\t9\t28\tleft and right lung\tOrgan\tUBERON:0002168"),
        "{}",
        exported.files[0].1
    );
    assert!(exported.diagnostics.iter().any(|d| d.message.contains("discontinuous")), "{:?}", exported.diagnostics);
}

#[test]
fn a_bagged_pubannotation_span_stays_one_mention() {
    let json = r#"{"text": "IL-2 and -4 receptors", "denotations": [
        {"id": "T1", "span": [{"begin": 0, "end": 2}, {"begin": 9, "end": 11}], "obj": "Protein"},
        {"id": "T2", "span": {"begin": 0, "end": 4}, "obj": "Protein"}],
        "relations": [{"id": "R1", "subj": "T1", "pred": "equivalentTo", "obj": "T2"}]}"#;
    let documents = survives(&[("bag.json", json)]);
    assert_eq!(documents[0].annotations[0].fragments, Some(vec![[0, 2], [9, 11]]));
    let exported = written("pubannotation", &documents);
    let value: serde_json::Value = serde_json::from_str(&exported.files[0].1).unwrap();
    assert!(value["denotations"][0]["span"].is_array(), "{value}");
}

#[test]
fn byte_offsets_of_bioc_are_written_back_as_code_points_and_said_so() {
    // "Le café 𝔸 tumour": é is 2 bytes, 𝔸 is 4; the file counts bytes, as bioc.dtd says.
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?><collection><source>x</source><date/><key/>
<document><id>1</id><passage><infon key="type">title</infon><offset>0</offset><text>Le café 𝔸 tumour</text>
<annotation id="a"><infon key="type">Disease</infon><location offset="14" length="6"/><text>tumour</text></annotation>
<annotation id="b"><infon key="type">Thing</infon><location offset="3" length="5"/><text>café</text></annotation>
</passage></document></collection>"#;
    let documents = survives(&[("bytes.xml", xml)]);
    let spans: Vec<(usize, usize)> = documents[0].annotations.iter().map(|a| (a.start, a.end)).collect();
    assert_eq!(spans, vec![(10, 16), (3, 7)]);
    let exported = written("bioc-xml", &documents);
    let out = &exported.files[0].1;
    assert!(out.contains(r#"<location offset="10" length="6"/>"#), "{out}");
    assert!(out.contains("code point"), "{out}");
    let back = read_back(&exported, "bioc-xml");
    assert!(back.diagnostics.is_empty(), "code points need no conversion: {:?}", back.diagnostics);
}

#[test]
fn astral_characters_keep_every_offset_in_every_format() {
    let pubtator = "7|t|😀 Emoji and 𝔸 letters\n7|a|Then 🧬 DNA binds 𝔸-protein.\n\
7\t8\t13\tand 𝔸\tThing\tX:1\n7\t29\t32\tDNA\tChemical\tMESH:D004247\n7\t41\t49\tprotein.\tGene\t-\n\
7\tBind\tMESH:D004247\tX:1\n";
    let documents = survives(&[("astral.pubtator", pubtator)]);
    let texts: Vec<&str> = documents[0].annotations.iter().map(|a| a.text.as_str()).collect();
    assert_eq!(texts, ["and 𝔸", "DNA", "protein."]);
    for target in TARGETS {
        let back = read_back(&written(target, &documents), target);
        let again: Vec<&str> = back.documents[0].annotations.iter().map(|a| a.text.as_str()).collect();
        assert_eq!(again, texts, "{target}");
        assert!(back.diagnostics.iter().all(|d| !d.message.contains("covers")), "{target}: {:?}", back.diagnostics);
    }
    let tsv = written("tsv", &documents);
    assert!(tsv.files[0].1.contains("7\t8\t13\tand 𝔸\tThing\tX:1\tsource\n"), "{}", tsv.files[0].1);
}

#[test]
fn what_pubtator_cannot_hold_is_named() {
    let text = "A title\nFirst paragraph about p53.\n";
    let ann = "T1\tGene 29 32\tp53\nT2\tGene 2 7\ttitle\nR1\tSame Arg1:T1 Arg2:T2\n";
    let documents = survives(&[("doc.txt", text), ("doc.ann", ann)]);
    let exported = written("pubtator", &documents);
    assert_eq!(
        exported.files[0].1.lines().take(2).collect::<Vec<_>>(),
        ["doc|t|A title", "doc|a|First paragraph about p53. "]
    );
    let messages: Vec<&str> = exported.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("line breaks")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("relation between annotations")), "{messages:?}");
}
