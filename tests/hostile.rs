//! Hostile and broken files, each loaded beside a good one: every one ends in a diagnostic that
//! names it (and its line, where it has lines), the good file still loads, nothing panics, and
//! the command line exits as the contract says. Big inputs are built here, never committed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::assert_offsets_cover_text;
use litview::input::MAX_FILE_BYTES;
use litview::view::view;
use litview::{load, Diagnostic, InputFile, Output, Severity};

const GOOD_NAME: &str = "good.pubtator";
const GOOD: &str = "1|t|Aspirin works.\n1|a|It cures headache.\n1\t0\t7\tAspirin\tChemical\tD001241\n";

/// Loads `name` with a good PubTator file before it, checks the good one still loads and every
/// document keeps the offset rule and draws, and returns the output.
fn beside_good(name: &str, bytes: &[u8]) -> Output {
    beside_good_as(name, bytes, None)
}

fn beside_good_as(name: &str, bytes: &[u8], format: Option<&str>) -> Output {
    let files = [InputFile { name: GOOD_NAME, bytes: GOOD.as_bytes() }, InputFile { name, bytes }];
    let output = load(&files, format.or(Some("auto")));
    let good: Vec<_> = output.documents.iter().filter(|d| d.source.file == GOOD_NAME).collect();
    if format.is_none_or(|f| f == "auto" || f == "pubtator") {
        assert_eq!(good.len(), 1, "the good file beside {name} no longer loads: {:?}", output.diagnostics);
        assert_eq!(good[0].annotations.len(), 1);
    }
    assert_offsets_cover_text(&output);
    for document in &output.documents {
        view(document);
    }
    output
}

/// The diagnostics about `name`, which must exist.
fn about<'a>(output: &'a Output, name: &str) -> Vec<&'a Diagnostic> {
    let found: Vec<_> = output.diagnostics.iter().filter(|d| d.file == name).collect();
    assert!(!found.is_empty(), "no diagnostic names {name}: {:?}", output.diagnostics);
    found
}

/// The one diagnostic about `name` whose message contains `words`.
fn said<'a>(output: &'a Output, name: &str, words: &str) -> &'a Diagnostic {
    about(output, name)
        .into_iter()
        .find(|d| d.message.contains(words))
        .unwrap_or_else(|| panic!("no diagnostic about {name} says '{words}': {:?}", output.diagnostics))
}

fn documents_from<'a>(output: &'a Output, name: &str) -> Vec<&'a litview::Document> {
    output.documents.iter().filter(|d| d.source.file == name).collect()
}

// ---- Not text at all ----

#[test]
fn empty_and_blank_files_say_so() {
    for (name, bytes) in [("empty.txt", &b""[..]), ("blank.txt", b"  \n\t\r\n \n"), ("noname", b"\n")] {
        let output = beside_good(name, bytes);
        let d = said(&output, name, "empty");
        assert_eq!(d.severity, Severity::Error);
        assert!(documents_from(&output, name).is_empty());
    }
    // A name the format claims goes to that format's reader, which has its own words for it.
    for (name, words) in
        [("empty.json", "not valid JSON"), ("empty.xml", "no documents"), ("empty.ann", "need their text")]
    {
        let output = beside_good(name, b"");
        assert_eq!(said(&output, name, words).severity, Severity::Error);
    }
}

#[test]
fn binary_files_are_named_by_kind() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    let zip = b"PK\x03\x04\x14\0\0\0\x08\0abc.txt\0\0\0\0\0\0\0";
    for (name, bytes, kind) in [
        ("figure.png", &png[..], "PNG"),
        ("corpus.zip", &zip[..], "ZIP"),
        ("blob.bin", b"ab\0\x01\x02\0\xff", "binary"),
    ] {
        let output = beside_good(name, bytes);
        assert_eq!(said(&output, name, kind).severity, Severity::Error);
        assert!(documents_from(&output, name).is_empty());
    }
}

// ---- Encodings ----

fn utf16(text: &str, little_endian: bool, bom: bool) -> Vec<u8> {
    let mut bytes = Vec::new();
    if bom {
        bytes.extend(if little_endian { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
    }
    for unit in text.encode_utf16() {
        bytes.extend(if little_endian { unit.to_le_bytes() } else { unit.to_be_bytes() });
    }
    bytes
}

#[test]
fn utf16_with_and_without_bom_reads_like_utf8() {
    let text = "9|t|Café 😀 study.\n9|a|Fever.\n9\t0\t4\tCafé\tChemical\tD1\n9\t7\t12\tstudy\tDisease\tD2\n";
    let reference = beside_good("utf8.pubtator", text.as_bytes());
    let expected = &documents_from(&reference, "utf8.pubtator")[0];
    for (little_endian, bom) in [(true, true), (false, true), (true, false), (false, false)] {
        let name = "utf16.pubtator";
        let output = beside_good(name, &utf16(text, little_endian, bom));
        let documents = documents_from(&output, name);
        assert_eq!(documents.len(), 1, "LE {little_endian} BOM {bom}: {:?}", output.diagnostics);
        assert_eq!(documents[0].text, expected.text);
        assert_eq!(documents[0].annotations, expected.annotations);
        if !bom {
            said(&output, name, "UTF-16 without a byte-order mark");
        }
    }
}

#[test]
fn latin1_and_invalid_utf8_name_the_line_and_still_read() {
    let name = "latin1.pubtator";
    let output = beside_good(name, b"5|t|Caf\xe9 au lait.\n5|a|Text.\n5\t0\t4\tCaf\xe9\tChemical\tD1\n");
    let d = said(&output, name, "not UTF-8");
    assert_eq!(d.line, Some(1));
    let documents = documents_from(&output, name);
    assert_eq!(documents[0].annotations[0].text, "Café");

    // A lone continuation byte on line 3: read, with a warning naming line 3.
    let name = "broken.pubtator";
    let output = beside_good(name, b"6|t|Title.\n6|a|Abstract.\n6\t0\t5\tTitl\x80\tChemical\tD1\n");
    assert_eq!(said(&output, name, "not UTF-8").line, Some(3));
    assert_eq!(documents_from(&output, name).len(), 1);
}

// ---- Size ----

#[test]
fn a_50_mb_single_line_is_read_in_bounded_time() {
    let line = "word ".repeat(10 << 20);
    let started = Instant::now();
    let name = "huge.txt";
    let output = beside_good(name, line.as_bytes());
    said(&output, name, "does not recognise");
    let documents = documents_from(&output, name);
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0].text.trim_end(), line.trim_end());
    // Generous for a debug build on a shared machine; a quadratic pass would take hours.
    assert!(started.elapsed() < Duration::from_secs(120), "took {:?}", started.elapsed());

    // The same size of PubTator: one title line of 50 MB with an annotation at its end.
    let name = "huge.pubtator";
    let title = "x".repeat(50 << 20);
    let file = format!("7|t|{title}y\n7\t{0}\t{1}\ty\tChemical\tD1\n", title.len(), title.len() + 1);
    let output = beside_good(name, file.as_bytes());
    let documents = documents_from(&output, name);
    assert_eq!(documents[0].annotations[0].text, "y");
}

#[test]
fn the_size_limit_is_explicit_and_reported() {
    // Zeroed pages are not touched until written, so this costs no real memory.
    let bytes = vec![0u8; MAX_FILE_BYTES + 1];
    let name = "too-big.pubtator";
    let output = beside_good(name, &bytes);
    let d = said(&output, name, "litview reads files up to");
    assert_eq!(d.severity, Severity::Error);
    assert!(d.message.contains(&format!("{} MB", MAX_FILE_BYTES >> 20)), "{}", d.message);
}

// ---- JSON ----

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    for nested in [
        "[".repeat(100_000),
        "{\"a\":".repeat(100_000),
        format!("{{\"text\":\"x\",\"denotations\":{}", "[".repeat(100_000)),
    ] {
        for format in [None, Some("bioc-json"), Some("pubannotation"), Some("csl-json")] {
            let name = "deep.json";
            let output = beside_good_as(name, nested.as_bytes(), format);
            let errors: Vec<_> = about(&output, name).into_iter().filter(|d| d.severity == Severity::Error).collect();
            assert!(!errors.is_empty(), "{format:?}: {:?}", output.diagnostics);
            assert!(documents_from(&output, name).is_empty());
        }
    }
}

#[test]
fn truncated_json_names_the_line() {
    let full = "{\"source\":\"PubMed\",\"documents\":[{\"id\":\"1\",\n\"passages\":[{\"offset\":0,\n\"text\":\"Aspirin works.\",\n\"annotations\":[]}]}]}";
    for cut in [full.len() / 2, full.len() - 1, 10] {
        let name = "cut.json";
        let output = beside_good_as(name, &full.as_bytes()[..cut], Some("bioc-json"));
        let d = about(&output, name).into_iter().find(|d| d.severity == Severity::Error).expect("an error");
        assert!(d.line.is_some(), "{d:?}");
    }
    let pubannotation = "{\"text\":\"Aspirin works.\",\n\"denotations\":[{\"id\":\"T1\",\n\"span\":{\"begin\":0,";
    let output = beside_good("cut.json", pubannotation.as_bytes());
    let d = about(&output, "cut.json").into_iter().find(|d| d.severity == Severity::Error).expect("an error");
    assert_eq!(d.line, Some(3));
}

// ---- XML ----

const BIOC_HEAD: &str = "<?xml version=\"1.0\"?>\n";

fn bioc(doctype: &str, text: &str) -> String {
    format!(
        "{BIOC_HEAD}{doctype}<collection><source>x</source><document><id>1</id>\n<passage><offset>0</offset>\n<text>{text}</text>\n</passage></document></collection>\n"
    )
}

#[test]
fn an_entity_bomb_is_not_expanded() {
    let mut doctype = String::from("<!DOCTYPE collection [\n<!ENTITY lol \"lol\">\n");
    for level in 1..10 {
        let previous = if level == 1 { "lol".to_string() } else { format!("lol{}", level - 1) };
        doctype.push_str(&format!("<!ENTITY lol{level} \"{}\">\n", format!("&{previous};").repeat(10)));
    }
    doctype.push_str("]>\n");
    let name = "bomb.xml";
    let started = Instant::now();
    let output = beside_good(name, bioc(&doctype, "A &lol9; B").as_bytes());
    assert!(started.elapsed() < Duration::from_secs(10));
    about(&output, name);
    for document in documents_from(&output, name) {
        assert!(document.text.len() < 1000, "an entity was expanded: {} bytes", document.text.len());
    }
}

#[test]
fn external_entities_are_never_read() {
    let secret = std::env::temp_dir().join(format!("litview-hostile-secret-{}", std::process::id()));
    std::fs::write(&secret, "TOP-SECRET-CONTENT").unwrap();
    let url = format!("file://{}", secret.display());
    // The entity is used: a warning says it is not defined. A DTD alone is simply not fetched.
    for (doctype, text, warned) in [
        (format!("<!DOCTYPE collection [<!ENTITY x SYSTEM \"{url}\">]>\n"), "see &x; here", true),
        ("<!DOCTYPE collection [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n".to_string(), "see &x; here", true),
        (format!("<!DOCTYPE collection SYSTEM \"{url}\">\n"), "plain", false),
        (format!("<!DOCTYPE collection [<!ENTITY % p SYSTEM \"{url}\"> %p;]>\n"), "plain", false),
    ] {
        let name = "xxe.xml";
        let output = beside_good(name, bioc(&doctype, text).as_bytes());
        assert_eq!(documents_from(&output, name).len(), 1, "{:?}", output.diagnostics);
        if warned {
            assert_eq!(said(&output, name, "not defined").line, Some(5));
        }
        let json = serde_json::to_string(&output).unwrap();
        assert!(!json.contains("TOP-SECRET") && !json.contains("root:"), "an external entity was read: {json}");
    }
    std::fs::remove_file(secret).ok();
}

#[test]
fn deeply_nested_xml_is_read_without_recursion() {
    let depth = 100_000;
    let xml = format!("{BIOC_HEAD}<collection>{}x{}</collection>", "<a>".repeat(depth), "</a>".repeat(depth));
    let name = "deep.xml";
    let started = Instant::now();
    let output = beside_good_as(name, xml.as_bytes(), None);
    assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
    assert_eq!(said(&output, name, "no documents").severity, Severity::Error);
    let cut = &xml[..xml.len() / 2];
    let output = beside_good(name, cut.as_bytes());
    assert!(about(&output, name).iter().any(|d| d.line.is_some()));
}

#[test]
fn truncated_xml_names_the_line() {
    let full = bioc("", "Aspirin works.");
    for cut in [full.len() / 2, full.len() - 14, 30] {
        let name = "cut.xml";
        let output = beside_good(name, &full.as_bytes()[..cut]);
        let diagnostics = about(&output, name);
        assert!(diagnostics.iter().any(|d| d.line.is_some()), "cut at {cut}: {diagnostics:?}");
    }
}

// ---- Offsets ----

/// Each case is (what is wrong, file name, file), with one bad annotation whose diagnostic names
/// its line, beside annotations that are fine.
fn bad_offsets() -> Vec<(&'static str, &'static str, String, u32)> {
    let pubtator = |start: &str, end: &str, mention: &str| {
        format!("3|t|Aspirin 😀 works.\n3|a|It cures é headache.\n3\t0\t7\tAspirin\tChemical\tD1\n3\t{start}\t{end}\t{mention}\tDisease\tD2\n")
    };
    let brat = |spans: &str| format!("T1\tDrug 0 7\tAspirin\nT2\tDrug {spans}\tx\n");
    let pubannotation = |begin: &str, end: &str| {
        format!("{{\"text\":\"Aspirin 😀 works.\",\n\"denotations\":[\n{{\"id\":\"T1\",\"span\":{{\"begin\":0,\"end\":7}},\"obj\":\"Drug\"}},\n{{\"id\":\"T2\",\"span\":{{\"begin\":{begin},\"end\":{end}}},\"obj\":\"Drug\"}}]}}")
    };
    let bioc = |offset: &str, length: &str| {
        format!("{BIOC_HEAD}<collection><source>x</source><document><id>1</id>\n<passage><offset>0</offset>\n<text>Aspirin 😀 works é.</text>\n<annotation id=\"A1\"><infon key=\"type\">Drug</infon><location offset=\"0\" length=\"7\"/><text>Aspirin</text></annotation>\n<annotation id=\"A2\"><infon key=\"type\">Drug</infon><location offset=\"{offset}\" length=\"{length}\"/><text>works</text></annotation>\n</passage></document></collection>\n")
    };
    let bioc_json = |offset: &str, length: &str| {
        format!("{{\"source\":\"x\",\"documents\":[{{\"id\":\"1\",\"passages\":[{{\"offset\":0,\"text\":\"Aspirin 😀 works é.\",\"annotations\":[\n{{\"id\":\"A1\",\"infons\":{{\"type\":\"Drug\"}},\"text\":\"Aspirin\",\"locations\":[{{\"offset\":0,\"length\":7}}]}},\n{{\"id\":\"A2\",\"infons\":{{\"type\":\"Drug\"}},\"text\":\"works\",\"locations\":[{{\"offset\":{offset},\"length\":{length}}}]}}]}}]}}]}}")
    };
    vec![
        ("reversed", "r.pubtator", pubtator("12", "8", "works"), 4),
        ("negative", "n.pubtator", pubtator("-3", "2", "works"), 4),
        ("past the end", "p.pubtator", pubtator("30", "90", "works"), 4),
        // Code point offsets cannot split a character; a mention that is half of 😀's emoji
        // presentation sequence is simply text the offsets do not cover.
        ("splitting a character", "s.pubtator", pubtator("8", "9", "\u{fe0f}"), 4),
        ("reversed", "r.ann", brat("12 8"), 2),
        ("negative", "n.ann", brat("-1 3"), 2),
        ("past the end", "p.ann", brat("10 400"), 2),
        ("reversed", "r.json", pubannotation("12", "8"), 4),
        ("negative", "n.json", pubannotation("-4", "2"), 4),
        ("past the end", "p.json", pubannotation("10", "400"), 4),
        ("negative", "n.xml", bioc("-4", "2"), 6),
        ("past the end", "p.xml", bioc("10", "400"), 6),
        ("negative length", "l.xml", bioc("10", "-5"), 6),
        ("splitting a character", "s.xml", bioc("9", "3"), 6),
        ("negative", "n.bioc.json", bioc_json("-4", "2"), 3),
        ("past the end", "p.bioc.json", bioc_json("10", "400"), 3),
    ]
}

#[test]
fn bad_offsets_are_reported_with_their_line_and_the_rest_is_kept() {
    for (what, name, file, line) in bad_offsets() {
        let output = if let Some(stem) = name.strip_suffix(".ann") {
            let text_name = format!("{stem}.txt");
            let files = [
                InputFile { name: GOOD_NAME, bytes: GOOD.as_bytes() },
                InputFile { name: &text_name, bytes: "Aspirin 😀 works.\n".as_bytes() },
                InputFile { name, bytes: file.as_bytes() },
            ];
            let output = load(&files, None);
            assert_offsets_cover_text(&output);
            output
        } else {
            beside_good(name, file.as_bytes())
        };
        let documents = documents_from(&output, name);
        assert_eq!(documents.len(), 1, "{what} in {name}: {:?}", output.diagnostics);
        assert!(
            documents[0].annotations.iter().any(|a| a.text == "Aspirin"),
            "{what} in {name}: the good annotation is lost"
        );
        let diagnostics = about(&output, name);
        let lines: Vec<_> = diagnostics.iter().map(|d| d.line).collect();
        // JSON documents carry no line per annotation in every reader; where one is given it is right.
        if name.ends_with(".pubtator") || name.ends_with(".ann") || name.ends_with(".xml") {
            assert!(lines.contains(&Some(line)), "{what} in {name}: lines {lines:?}: {diagnostics:?}");
        }
        for document in documents {
            for a in &document.annotations {
                assert!(a.start <= a.end, "{what} in {name}: {a:?}");
            }
        }
    }
}

// ---- Ids ----

#[test]
fn ids_with_control_characters_stay_data() {
    let pubtator = "8\u{7}|t|Bell title.\n8\u{7}|a|Text.\n8\u{7}\t0\t4\tBell\tChem\u{1b}[31m\tD\u{2}1\n";
    let brat_ann = "T\u{1}1\tDrug 0 4\tBell\nR\u{1b}1\tRel Arg1:T\u{1}1 Arg2:T\u{1}1\n";
    let pubannotation = "{\"text\":\"Bell title.\",\"denotations\":[{\"id\":\"T\\u0000\\u001b1\",\"span\":{\"begin\":0,\"end\":4},\"obj\":\"D\\u0007\"}]}";
    for (name, file) in [("ctl.pubtator", pubtator), ("ctl.json", pubannotation)] {
        let output = beside_good(name, file.as_bytes());
        let documents = documents_from(&output, name);
        assert_eq!(documents.len(), 1, "{name}: {:?}", output.diagnostics);
        assert_eq!(documents[0].annotations[0].text, "Bell");
        // What the page is given is JSON: control characters arrive escaped, never raw.
        let json = serde_json::to_string(&view(documents[0])).unwrap();
        assert!(!json.contains(['\u{0}', '\u{2}', '\u{7}', '\u{1b}']), "{name}");
    }
    let files = [
        InputFile { name: "ctl.txt", bytes: b"Bell title.\n" },
        InputFile { name: "ctl.ann", bytes: brat_ann.as_bytes() },
    ];
    let output = load(&files, None);
    assert_eq!(output.documents.len(), 1, "{:?}", output.diagnostics);
    assert_eq!(output.documents[0].annotations[0].text, "Bell");
}

#[test]
fn duplicated_ids_are_renamed_and_reported() {
    let brat = [
        InputFile { name: "dup.txt", bytes: b"Aspirin and ibuprofen.\n" },
        InputFile { name: "dup.ann", bytes: b"T1\tDrug 0 7\tAspirin\nT1\tDrug 12 21\tibuprofen\n" },
    ];
    let output = load(&brat, None);
    let d = said(&output, "dup.ann", "used twice");
    assert_eq!(d.line, Some(2));
    let ids: Vec<_> = output.documents[0].annotations.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["T1", "T1-2"]);

    let name = "dup.json";
    let file = "{\"text\":\"Aspirin and ibuprofen.\",\"denotations\":[{\"id\":\"T1\",\"span\":{\"begin\":0,\"end\":7},\"obj\":\"Drug\"},{\"id\":\"T1\",\"span\":{\"begin\":12,\"end\":21},\"obj\":\"Drug\"}]}";
    let output = beside_good(name, file.as_bytes());
    said(&output, name, "T1");
    let ids: Vec<_> = documents_from(&output, name)[0].annotations.iter().map(|a| a.id.clone()).collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
}

// ---- The command line ----

/// A scratch directory for files the command line reads, removed when the test ends.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("litview-hostile-{test}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

fn cli(files: &[&Path]) -> (i32, serde_json::Value) {
    let output = Command::new(env!("CARGO_BIN_EXE_litview")).arg("parse").args(files).output().unwrap();
    let json = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)));
    (output.status.code().unwrap_or(-1), json)
}

#[test]
fn the_command_line_exits_0_when_a_document_was_read_and_1_when_none() {
    let dir = Scratch::new("cli");
    let good = dir.write(GOOD_NAME, GOOD.as_bytes());
    let hostile = [
        dir.write("empty.txt", b""),
        dir.write("image.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        dir.write("deep.json", "[".repeat(100_000).as_bytes()),
        dir.write("cut.xml", &bioc("", "Aspirin").as_bytes()[..60]),
        dir.write(
            "bomb.xml",
            bioc("<!DOCTYPE c [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>", "&b;").as_bytes(),
        ),
    ];
    let missing = dir.0.join("missing.pubtator");

    let mut all: Vec<&Path> = vec![&good];
    all.extend(hostile.iter().map(PathBuf::as_path));
    all.push(&missing);
    let (code, json) = cli(&all);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["documents"].as_array().map(Vec::len), Some(1 + documents_in(&json, "bomb.xml")));
    let named: Vec<&str> = json["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["file"].as_str()).collect();
    for path in hostile.iter().filter(|p| !p.ends_with("bomb.xml")).chain([&missing]) {
        let path = path.to_str().unwrap();
        assert!(named.contains(&path), "no diagnostic names {path}: {named:?}");
    }

    let none: Vec<&Path> = hostile.iter().take(4).map(PathBuf::as_path).chain([missing.as_path()]).collect();
    let (code, json) = cli(&none);
    assert_eq!(code, 1, "{json}");
    assert_eq!(json["documents"].as_array().map(Vec::len), Some(0));
    assert!(json["diagnostics"].as_array().unwrap().len() >= 5);
}

fn documents_in(json: &serde_json::Value, file_end: &str) -> usize {
    json["documents"]
        .as_array()
        .map_or(0, |d| d.iter().filter(|d| d["source"]["file"].as_str().is_some_and(|f| f.ends_with(file_end))).count())
}
