//! The command line over the same core as the page: `litview parse`, `litview stats`.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

use litview::formats;
use litview::stats::FileStats;
use litview::{load_one, Diagnostic, InputFile};

const USAGE: &str = "\
usage: litview parse [--format F] [--pretty] FILE...   print the documents as JSON (the contract)
       litview stats [--format F] [--json] FILE...     count documents, annotations, relations per file

formats: auto (the default: detect from the content, then the file name), ";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        return usage("no command given");
    };
    let options = match Options::parse(rest) {
        Ok(options) => options,
        Err(message) => return usage(&message),
    };
    let result = match command.as_str() {
        "parse" => parse(&options),
        "stats" => stats(&options),
        "-h" | "--help" | "help" => {
            print!("{USAGE}{}\n", formats::ids().collect::<Vec<_>>().join(", "));
            return ExitCode::SUCCESS;
        }
        other => return usage(&format!("unknown command '{other}'")),
    };
    match result {
        Ok(documents) if documents > 0 => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("litview: {error}");
            ExitCode::from(1)
        }
    }
}

fn usage(message: &str) -> ExitCode {
    eprint!("litview: {message}\n{USAGE}{}\n", formats::ids().collect::<Vec<_>>().join(", "));
    ExitCode::from(2)
}

struct Options {
    format: Option<String>,
    pretty: bool,
    json: bool,
    files: Vec<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options, String> {
        let mut options = Options { format: None, pretty: false, json: false, files: Vec::new() };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--format" | "-f" => {
                    let format = args.next().ok_or("--format needs a value")?;
                    if format != "auto" && formats::by_id(format).is_none() {
                        return Err(format!("unknown format '{format}'"));
                    }
                    options.format = Some(format.clone());
                }
                "--pretty" => options.pretty = true,
                "--json" => options.json = true,
                "--" => options.files.extend(args.by_ref().cloned()),
                flag if flag.starts_with("--") => return Err(format!("unknown option '{flag}'")),
                file => options.files.push(file.to_string()),
            }
        }
        if options.files.is_empty() {
            return Err("no files given".into());
        }
        Ok(options)
    }
}

/// Reads one file from disk; a file that cannot be read becomes a diagnostic like any other.
fn read(path: &str) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(path).map_err(|error| Diagnostic::error(path, None, format!("cannot read the file: {error}")))
}

/// Prints `{"documents": [...], "diagnostics": [...]}`, one file at a time, so that memory holds
/// one file's documents, not the corpus's.
fn parse(options: &Options) -> io::Result<usize> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut diagnostics = Vec::new();
    let mut count = 0;
    out.write_all(b"{\"documents\":[")?;
    for path in &options.files {
        let bytes = match read(path) {
            Ok(bytes) => bytes,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                continue;
            }
        };
        let (documents, found) = load_one(&InputFile { name: path, bytes: &bytes }, options.format.as_deref());
        for document in &documents {
            if count > 0 {
                out.write_all(b",")?;
            }
            write_json(&mut out, document, options.pretty)?;
            count += 1;
        }
        diagnostics.extend(found);
    }
    out.write_all(b"],\"diagnostics\":")?;
    write_json(&mut out, &diagnostics, options.pretty)?;
    out.write_all(b"}\n")?;
    out.flush()?;
    Ok(count)
}

fn write_json<T: serde::Serialize>(out: &mut impl Write, value: &T, pretty: bool) -> io::Result<()> {
    let result =
        if pretty { serde_json::to_writer_pretty(&mut *out, value) } else { serde_json::to_writer(&mut *out, value) };
    result.map_err(io::Error::other)
}

fn stats(options: &Options) -> io::Result<usize> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut all = Vec::new();
    for path in &options.files {
        let started = Instant::now();
        let (documents, diagnostics) = match read(path) {
            Ok(bytes) => {
                let (documents, diagnostics) =
                    load_one(&InputFile { name: path, bytes: &bytes }, options.format.as_deref());
                (documents, diagnostics)
            }
            Err(diagnostic) => (Vec::new(), vec![diagnostic]),
        };
        let bytes = std::fs::metadata(path).map(|m| m.len() as usize).unwrap_or(0);
        all.push(FileStats::new(path, bytes, started.elapsed().as_secs_f64(), &documents, &diagnostics));
    }
    let total: usize = all.iter().map(|s| s.documents).sum();
    if options.json {
        write_json(&mut out, &all, true)?;
        writeln!(out)?;
    } else {
        for s in &all {
            writeln!(out, "{}", s.file)?;
            writeln!(
                out,
                "  format {}, {} documents, {} passages, {} annotations, {} relations",
                s.format,
                s.documents,
                s.passages,
                s.annotation_count(),
                s.relations
            )?;
            if !s.annotations.is_empty() {
                let types: Vec<String> = s.annotations.iter().map(|(kind, n)| format!("{kind} {n}")).collect();
                writeln!(out, "  by type: {}", types.join(", "))?;
            }
            let megabytes = s.bytes as f64 / 1e6;
            let speed = if s.seconds > 0.0 { megabytes / s.seconds } else { 0.0 };
            writeln!(
                out,
                "  diagnostics: {} errors, {} warnings; {} bytes in {:.3} s ({speed:.1} MB/s)",
                s.errors, s.warnings, s.bytes, s.seconds
            )?;
        }
    }
    out.flush()?;
    Ok(total)
}
