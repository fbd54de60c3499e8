//! Concepts recognized across documents: a mention one loaded file annotates is highlighted in
//! the others, by the rules a reader expects (whole words, case, the file's own annotations win).

mod common;

use std::time::Instant;

use litview::annotate::{find_inferred, infer, infer_into, ConceptIndex, CorpusIndex, Query, SeenNames};
use litview::model::{Annotation, Document, Origin, Output};

/// A document whose file annotates `mentions` (text, type, concept) at their first occurrence.
fn annotated(text: &str, mentions: &[(&str, &str, &str)]) -> Document {
    let mut document = plain(text);
    for (i, (mention, kind, concept)) in mentions.iter().enumerate() {
        let byte = text.find(mention).unwrap_or_else(|| panic!("{mention} is not in {text}"));
        let start = text[..byte].chars().count();
        document.annotations.push(Annotation {
            id: format!("a{}", i + 1),
            start,
            end: start + mention.chars().count(),
            text: mention.to_string(),
            kind: kind.to_string(),
            concepts: vec![concept.to_string()],
            origin: Origin::Source,
            ..Annotation::default()
        });
    }
    document
}

fn plain(text: &str) -> Document {
    Document { text: text.into(), ..Document::default() }
}

/// The inferred mentions of each document, as text.
fn inferred(documents: &[Document]) -> Vec<Vec<String>> {
    documents
        .iter()
        .map(|d| d.annotations.iter().filter(|a| a.origin == Origin::Inferred).map(|a| a.text.clone()).collect())
        .collect()
}

/// What the source document annotates, plus one target text: the target's inferred mentions.
fn found_in(source: &[(&str, &str, &str)], source_text: &str, target: &str) -> Vec<String> {
    let mut documents = vec![annotated(source_text, source), plain(target)];
    infer(&mut documents);
    assert_contract(&documents);
    inferred(&documents).pop().unwrap_or_default()
}

fn assert_contract(documents: &[Document]) {
    common::assert_offsets_cover_text(&Output { documents: documents.to_vec(), diagnostics: Vec::new() });
    for document in documents {
        let mut ids: Vec<&str> = document.annotations.iter().map(|a| a.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), document.annotations.len(), "annotation ids are unique");
    }
}

#[test]
fn matches_whole_words_only() {
    let source = [("blinatumomab", "Chemical", "MESH:C510808"), ("CD19", "Gene", "930"), ("ALL", "Disease", "D054198")];
    let text = "blinatumomab CD19 ALL";
    let found = |target: &str| found_in(&source, text, target);
    assert_eq!(found("Xblinatumomab, blinatumomabs, 2blinatumomab"), Vec::<String>::new());
    assert_eq!(found("(blinatumomab); \"blinatumomab\"."), ["blinatumomab", "blinatumomab"]);
    assert_eq!(found("anti-CD19 and CD19-positive cells"), ["CD19", "CD19"]);
    assert_eq!(found("CD190 xCD19 CD19a"), Vec::<String>::new());
    // A hyphen joined to one or two letters makes another name: B-ALL and T-ALL are not ALL.
    assert_eq!(found("B-ALL, T-ALL, and ALL."), ["ALL"]);
    assert_eq!(found("blinatumomab's effect, 'blinatumomab'"), ["blinatumomab", "blinatumomab"]);
    assert_eq!(found("blinatumomab’s effect"), ["blinatumomab"]);
}

#[test]
fn acronyms_keep_their_case_and_words_do_not() {
    let source = [("Blinatumomab", "Chemical", "C1"), ("CD19", "Gene", "930"), ("ALL", "Disease", "D1")];
    let text = "Blinatumomab CD19 ALL";
    let found = |target: &str| found_in(&source, text, target);
    assert_eq!(found("blinatumomab BLINATUMOMAB Blinatumomab"), ["blinatumomab", "BLINATUMOMAB", "Blinatumomab"]);
    assert_eq!(found("cd19 Cd19 CD19"), ["CD19"]);
    assert_eq!(found("all of them, All, ALL"), ["ALL"]);
    // Title case is a capitalized phrase, not an acronym.
    let phrase = [("acute lymphoblastic leukemia", "Disease", "D054198")];
    assert_eq!(
        found_in(
            &phrase,
            "acute lymphoblastic leukemia",
            "Acute Lymphoblastic Leukemia or ACUTE LYMPHOBLASTIC LEUKEMIA"
        ),
        ["Acute Lymphoblastic Leukemia", "ACUTE LYMPHOBLASTIC LEUKEMIA"]
    );
}

#[test]
fn vague_and_generic_mentions_are_not_inferred() {
    let source = [
        ("IL", "Gene", "3558"),
        ("2012", "Chemical", "C2"),
        ("patients", "Species", "9606"),
        ("children", "Species", "9606"),
        ("mice", "OrganismTaxon", "10090"),
        ("Escherichia coli", "Species", "562"),
        ("HIV", "Species", "12721"),
    ];
    let text = "IL 2012 patients children mice Escherichia coli HIV";
    let target = "In 2012, IL levels in patients, children and mice with Escherichia coli or HIV.";
    assert_eq!(found_in(&source, text, target), ["Escherichia coli", "HIV"]);
    // The index still lists them; they are only not looked for.
    let mut index = ConceptIndex::new();
    index.add_source(&annotated(text, &source));
    assert_eq!(index.get("Patients").map(|m| m.count), Some(1));
    assert!(!index.get("patients").is_some_and(|m| m.is_inferable()));
}

#[test]
fn the_files_own_annotations_win() {
    let source = annotated(
        "acute lymphoblastic leukemia; leukemia; lymphoblastic",
        &[
            ("acute lymphoblastic leukemia", "Disease", "D054198"),
            ("leukemia", "Disease", "D007938"),
            ("lymphoblastic", "Other", "X1"),
        ],
    );
    // The target annotates "leukemia" inside the phrase itself: the longer inferred phrase would
    // overlap it, so only the parts that do not overlap are inferred.
    let target = annotated("acute lymphoblastic leukemia, then leukemia", &[("leukemia", "Disease", "OWN")]);
    let mut documents = vec![source, target];
    infer(&mut documents);
    assert_contract(&documents);
    let target = &documents[1];
    let spans: Vec<(usize, usize, &str, Origin)> =
        target.annotations.iter().map(|a| (a.start, a.end, a.text.as_str(), a.origin)).collect();
    assert_eq!(
        spans,
        [
            (20, 28, "leukemia", Origin::Source),
            (6, 19, "lymphoblastic", Origin::Inferred),
            (35, 43, "leukemia", Origin::Inferred),
        ]
    );
    // In the source document itself (annotated at each mention's first occurrence) the
    // unannotated repetitions are added.
    assert_eq!(inferred(&documents[..1]), [["leukemia", "lymphoblastic"]]);
}

#[test]
fn offsets_count_code_points_in_astral_and_accented_text() {
    let source = annotated(
        "la maladie de Ménière et 𝛼-synucléine",
        &[("Ménière", "Disease", "D008575"), ("𝛼-synucléine", "Gene", "6622")],
    );
    let target = plain("😀😀 MÉNIÈRE? non: Ménière, ménière 😀 et 𝛼-synucléine𝛼 puis 𝛼-synucléine.");
    let mut documents = vec![source, target];
    infer(&mut documents);
    assert_contract(&documents);
    let found: Vec<(usize, usize, &str)> =
        documents[1].annotations.iter().map(|a| (a.start, a.end, a.text.as_str())).collect();
    // ASCII folding reaches "ménière" and "Ménière"; an all-capitals non-ASCII form it does not.
    // "𝛼-synucléine𝛼" continues into a letter, so it is not a whole word.
    assert_eq!(found, [(17, 24, "Ménière"), (26, 33, "ménière"), (58, 70, "𝛼-synucléine")]);
}

#[test]
fn inferring_twice_adds_nothing_and_growing_the_index_updates_earlier_documents() {
    let first = annotated("blinatumomab was given", &[("blinatumomab", "Chemical", "C510808")]);
    let second = plain("Blinatumomab and CD19 in acute lymphoblastic leukemia");
    let third = annotated(
        "CD19 and acute lymphoblastic leukemia",
        &[("CD19", "Gene", "930"), ("acute lymphoblastic leukemia", "Disease", "D054198")],
    );

    let mut whole = vec![first.clone(), second.clone(), third.clone()];
    infer(&mut whole);
    let once = whole.clone();
    infer(&mut whole);
    assert_eq!(whole, once, "a second pass changes nothing");

    // The page: the first two files, then a third; earlier documents are inferred again.
    let mut index = ConceptIndex::new();
    let mut corpus = vec![first, second];
    for d in &corpus {
        index.add_source(d);
    }
    for d in corpus.iter_mut() {
        infer_into(&index, d);
    }
    assert_eq!(inferred(&corpus), [vec![], vec!["Blinatumomab".to_string()]]);
    index.add_source(&third);
    corpus.push(third);
    let counts: Vec<usize> = corpus.iter_mut().map(|d| infer_into(&index, d)).collect();
    assert_eq!(counts, [0, 3, 0]);
    assert_eq!(corpus, once, "incremental inference equals inference over the whole corpus");
    assert_eq!(corpus[1].annotations.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["i1", "i2", "i3"]);
}

/// The page draws a document again when `update_inferred` says its counts changed: when more
/// mentions are recognized, and when the same ones now take another type, because other files
/// annotate the mention otherwise more often.
#[test]
fn a_recognized_mention_that_changes_type_changes_the_counts() {
    let first = annotated("blinatumomab was given", &[("blinatumomab", "Chemical", "C510808")]);
    let target = plain("Then blinatumomab again");
    let mut index = ConceptIndex::new();
    index.add_source(&first);
    let mut counted = CorpusIndex::new();
    counted.push(&first);
    let at = counted.push(&target);
    let found = find_inferred(&index, &target);
    assert_eq!(found.len(), 1);
    assert!(counted.update_inferred(at, &target.text, &index, &found, &mut SeenNames::default()), "first recognized");
    assert!(!counted.update_inferred(at, &target.text, &index, &found, &mut SeenNames::default()), "the same again");

    // Two more files call it a drug: the same one mention now counts as a Drug.
    for text in ["blinatumomab, a drug", "blinatumomab dosing"] {
        let other = annotated(text, &[("blinatumomab", "Drug", "DB09052")]);
        index.add_source(&other);
        counted.push(&other);
    }
    let found = find_inferred(&index, &target);
    assert_eq!(found.len(), 1);
    assert!(
        counted.update_inferred(at, &target.text, &index, &found, &mut SeenNames::default()),
        "same number, another type"
    );
    let drug = counted.types().into_iter().find(|t| t.kind == "Drug").expect("a Drug row");
    assert_eq!(drug.inferred, 1);
    assert!(!counted.update_inferred(at, &target.text, &index, &found, &mut SeenNames::default()));
    assert!(!counted.update_inferred(99, &target.text, &index, &found, &mut SeenNames::default()), "no such document");

    // A mention with no concept counts only in its type's row: a change of type is a change.
    let mut bare = annotated("zorbicin was given", &[("zorbicin", "Chemical", "")]);
    bare.annotations[0].concepts.clear();
    let target = plain("Then zorbicin again");
    let mut index = ConceptIndex::new();
    index.add_source(&bare);
    let mut counted = CorpusIndex::new();
    counted.push(&bare);
    let at = counted.push(&target);
    let found = find_inferred(&index, &target);
    assert_eq!(found.len(), 1);
    assert!(counted.update_inferred(at, &target.text, &index, &found, &mut SeenNames::default()));
    for text in ["zorbicin, a drug", "zorbicin dosing"] {
        let mut other = annotated(text, &[("zorbicin", "Drug", "")]);
        other.annotations[0].concepts.clear();
        index.add_source(&other);
        counted.push(&other);
    }
    let found = find_inferred(&index, &target);
    assert_eq!(found.len(), 1);
    assert!(
        counted.update_inferred(at, &target.text, &index, &found, &mut SeenNames::default()),
        "no concept, another type"
    );
    assert!(!counted.update_inferred(at, &target.text, &index, &found, &mut SeenNames::default()));
}

#[test]
fn inferred_ids_avoid_the_files_own() {
    let mut target = annotated("CD19 blinatumomab", &[("CD19", "Gene", "930")]);
    target.annotations[0].id = "i1".into();
    let mut documents = vec![annotated("blinatumomab", &[("blinatumomab", "Chemical", "C1")]), target];
    infer(&mut documents);
    assert_contract(&documents);
    assert_eq!(documents[1].annotations[1].id, "i2");
}

#[test]
fn seeds_blinatumomab_and_all_reach_every_page() {
    let Some(dir) = common::shared("seeds") else { return };
    let mut output = common::parse_paths(&common::files_under(&dir), None);
    assert_eq!(output.documents.len(), 5);
    let total = infer(&mut output.documents);
    common::assert_offsets_cover_text(&output);
    let count = |d: &Document, concept: &str| {
        d.annotations.iter().filter(|a| a.origin == Origin::Inferred && a.concepts.iter().any(|c| c == concept)).count()
    };
    let mut seen = Vec::new();
    for d in &output.documents {
        let file = d.source.file.get(..3).unwrap_or_default().to_string();
        seen.push((file, d.source.format.clone(), count(d, "MESH:C510808"), count(d, "MESH:D054198")));
        // Whatever the type of an inferred mention, nobody annotated "patients" for it.
        assert!(d.annotations.iter().filter(|a| a.origin == Origin::Inferred).all(|a| a.kind != "Species"));
    }
    // blinatumomab (MESH:C510808) and acute lymphoblastic leukemia or B-ALL (MESH:D054198); 003
    // annotates every one of its own, so nothing is inferred there.
    let expected = [
        ("000", "page", 7, 2),
        ("001", "page", 7, 3),
        ("002", "page", 5, 6),
        ("003", "pubtator", 0, 0),
        ("004", "page", 1, 1),
    ];
    let expected: Vec<(String, String, usize, usize)> =
        expected.iter().map(|(f, k, b, a)| (f.to_string(), k.to_string(), *b, *a)).collect();
    assert_eq!(seen, expected);
    assert_eq!(total, 43);

    let mut corpus = CorpusIndex::new();
    for d in &output.documents {
        corpus.push(d);
    }
    let blinatumomab = corpus.concepts().into_iter().find(|c| c.id == "MESH:C510808").unwrap();
    assert_eq!((blinatumomab.documents, blinatumomab.mentions, blinatumomab.inferred), (5, 24, 20));
    assert_eq!(blinatumomab.kind, "Chemical");
    let both = Query { concepts: vec!["MESH:C510808".into(), "MESH:D054198".into()], ..Query::default() };
    assert_eq!(corpus.search(&output.documents, &both), [0, 1, 2, 3, 4]);
    let cd19 = Query { concepts: vec!["930".into()], ..Query::default() };
    assert_eq!(corpus.search(&output.documents, &cd19), [3]);
    let words = Query { text: "INFANT blinatumomab".into(), ..Query::default() };
    assert_eq!(corpus.search(&output.documents, &words), [0]);
}

/// Not a timing assertion: prints how long inference takes on BC5CDR, so that quadratic
/// behaviour shows. `cargo test --release --test inference -- --nocapture bc5cdr` to read it.
#[test]
fn bc5cdr_speed_and_contract() {
    let Some(dir) = common::shared("data/pubtator") else { return };
    let paths: Vec<_> = [
        "BC5CDR/CDR_TrainingSet.PubTator.txt",
        "BC5CDR/CDR_DevelopmentSet.PubTator.txt",
        "BC5CDR/CDR_TestSet.PubTator.txt",
        "BC5CDR_tools/TestSet.DNorm.PubTator.txt",
    ]
    .iter()
    .map(|p| dir.join(p))
    .collect();
    let mut output = common::parse_paths(&paths, None);
    assert_eq!(output.documents.len(), 2000);
    let started = Instant::now();
    let mut index = ConceptIndex::new();
    for d in &output.documents {
        index.add_source(d);
    }
    let indexed = started.elapsed();
    let first = output.documents.first_mut().map_or(0, |d| infer_into(&index, d));
    let built = started.elapsed();
    let total: usize = first + output.documents.iter_mut().skip(1).map(|d| infer_into(&index, d)).sum::<usize>();
    let inferred_in = started.elapsed();
    let mut corpus = CorpusIndex::new();
    for d in &output.documents {
        corpus.push(d);
    }
    let concepts = corpus.concepts();
    let summarized = started.elapsed();
    println!(
        "bc5cdr: {} documents, {} indexed mentions, {total} inferred; index {indexed:?}, + matcher {built:?}, + infer {inferred_in:?}, + corpus index and concept table ({} concepts) {summarized:?}",
        output.documents.len(),
        index.len(),
        concepts.len()
    );
    common::assert_offsets_cover_text(&output);
    assert!(total > 0);
    let again: usize = output.documents.iter_mut().map(|d| infer_into(&index, d)).sum();
    assert_eq!(again, total);
}

/// The page does not keep inferred annotations in its documents: it counts what
/// `find_inferred` recognizes, and makes the annotations when a document is shown. Its concept
/// table, type counts and concept search must be those of the documents holding them.
#[test]
fn counting_recognized_mentions_equals_counting_held_annotations() {
    let Some(dir) = common::shared("data/pubtator") else { return };
    let paths = [dir.join("BC5CDR/CDR_TrainingSet.PubTator.txt"), dir.join("BC5CDR_tools/TestSet.DNorm.PubTator.txt")];
    let documents = common::parse_paths(&paths, None).documents;
    let mut index = ConceptIndex::new();
    for d in &documents {
        index.add_source(d);
    }
    let (mut held, mut counted) = (CorpusIndex::new(), CorpusIndex::new());
    let mut recognized = 0;
    // Names numbered once for the whole corpus, as the page numbers them.
    let mut seen = SeenNames::default();
    for d in &documents {
        let mut with = d.clone();
        let made = infer_into(&index, &mut with);
        let found = find_inferred(&index, d);
        assert_eq!(found.len(), made);
        recognized += made;
        held.push(&with);
        let at = counted.push(d);
        counted.update_inferred(at, &d.text, &index, &found, &mut seen);
        // Counting them again replaces the first count.
        counted.update_inferred(at, &d.text, &index, &found, &mut seen);
        // A document that already holds inferred annotations is counted the same.
        assert_eq!(find_inferred(&index, &with), found);
    }
    assert!(recognized > 1000, "{recognized}");
    assert_eq!(counted.concepts(), held.concepts());
    assert_eq!(counted.types(), held.types());
    for concept in held.concepts().iter().take(50) {
        let query = Query { concepts: vec![concept.id.clone()], ..Query::default() };
        assert_eq!(counted.search(&documents, &query), held.search(&documents, &query), "{}", concept.id);
    }
}

#[test]
fn command_line_infers_across_the_files_it_is_given() {
    let Some(dir) = common::shared("seeds") else { return };
    let files = common::files_under(&dir);
    let run = |infer: bool| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_litview"));
        command.arg("parse");
        if infer {
            command.arg("--infer");
        }
        let output = command.args(&files).output().unwrap();
        assert!(output.status.success());
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        json["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["annotations"].as_array().unwrap().iter().filter(|a| a["origin"] == "inferred").count())
            .collect::<Vec<_>>()
    };
    assert_eq!(run(false), [0, 0, 0, 0, 0]);
    assert_eq!(run(true), [10, 14, 17, 0, 2]);
}

#[test]
fn odd_documents_do_not_stop_inference() {
    let mut broken = plain("short");
    broken.annotations.push(Annotation {
        id: "a1".into(),
        start: 3,
        end: 99,
        text: "   ".into(),
        kind: "Disease".into(),
        ..Annotation::default()
    });
    let mut fragmented = annotated("left and right lung", &[]);
    fragmented.annotations.push(Annotation {
        id: "T1".into(),
        start: 0,
        end: 19,
        text: "left lung".into(),
        kind: "Anatomy".into(),
        fragments: Some(vec![[0, 4], [15, 19]]),
        ..Annotation::default()
    });
    let mut documents =
        vec![broken, fragmented, plain(""), plain("left lung, short"), annotated("short", &[("short", "X", "")])];
    infer(&mut documents);
    // A discontinuous mention has no one text to look for; "short" is found where it is free,
    // and an annotation running past the end of its text still covers what lies inside.
    assert_eq!(inferred(&documents), [vec![], vec![], vec![], vec!["short".to_string()], vec![]]);
}
