//! Shared by the integration tests: where the public corpora are, and how to skip without them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use litview::{load, InputFile, Output};

/// `../shared` beside the checkout (CI has it), or `None` with a printed line saying the
/// corpus cases are skipped.
pub fn shared(sub: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("shared").join(sub);
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: {} is absent, so the corpus cases of this test do not run", dir.display());
        None
    }
}

/// Every file below `dir`, sorted, for corpus tests.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Parses files from disk as `litview parse` does.
pub fn parse_paths(paths: &[PathBuf], format: Option<&str>) -> Output {
    let contents: Vec<(String, Vec<u8>)> = paths
        .iter()
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(p).unwrap()))
        .collect();
    let files: Vec<InputFile> = contents.iter().map(|(name, bytes)| InputFile { name, bytes }).collect();
    load(&files, format)
}

/// Parses one text written by the test.
pub fn parse_text(name: &str, text: &str) -> Output {
    load(&[InputFile { name, bytes: text.as_bytes() }], None)
}

/// Asserts the contract's offset rule: each annotation's text is exactly what its offsets cover.
pub fn assert_offsets_cover_text(output: &Output) {
    for document in &output.documents {
        let chars: Vec<char> = document.text.chars().collect();
        for a in &document.annotations {
            let covered: Vec<String> = a
                .spans()
                .iter()
                .map(|&[s, e]| {
                    chars.get(s..e).map(|c| c.iter().collect()).unwrap_or_else(|| panic!("{a:?} out of bounds"))
                })
                .collect();
            assert_eq!(
                covered.join(" "),
                a.text,
                "{} {:?}: annotation {}",
                document.source.file,
                document.source.id,
                a.id
            );
        }
    }
}
