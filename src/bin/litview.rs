//! The command line over the same core as the page: `litview parse`, `litview stats`,
//! `litview convert`.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

use litview::formats;
use litview::load::load_each;
use litview::stats::FileStats;
use litview::{Diagnostic, InputFile};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
usage: litview parse [--format F] [--pretty] FILE...   print the documents as JSON (the contract)
         [--infer]                                       and mark in every document what any of the files annotates
       litview stats [--format F] [--json] FILE...     count documents, annotations, relations per file
       litview convert --to T [--format F] [-o PATH] FILE...
                                                       write the documents in format T to standard output or PATH
                                                       (for brat, a folder receiving a .txt and .ann per document)

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
        "convert" => match convert_target(&options) {
            Ok(writer) => convert(&options, writer),
            Err(message) => return usage(&message),
        },
        "-h" | "--help" | "help" => {
            println!("{USAGE}{}", formats::ids().collect::<Vec<_>>().join(", "));
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
    infer: bool,
    json: bool,
    /// `convert --to`: the writer's id.
    to: Option<String>,
    /// `convert -o`: a file, or for brat a folder.
    output: Option<String>,
    files: Vec<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options, String> {
        let mut options = Options {
            format: None,
            pretty: false,
            infer: false,
            json: false,
            to: None,
            output: None,
            files: Vec::new(),
        };
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
                "--infer" => options.infer = true,
                "--json" => options.json = true,
                "--to" | "-t" => {
                    let to = args.next().ok_or("--to needs a format")?;
                    if litview::export::by_id(to).is_none() {
                        let known = litview::export::ids().collect::<Vec<_>>().join(", ");
                        return Err(format!("litview cannot write '{to}'; it writes {known}"));
                    }
                    options.to = Some(to.clone());
                }
                "-o" | "--output" => options.output = Some(args.next().ok_or("-o needs a path")?.clone()),
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

/// Reads every file from disk; one that cannot be read becomes a diagnostic.
fn read_all(paths: &[String]) -> (Vec<(String, Vec<u8>)>, Vec<Diagnostic>) {
    let mut contents = Vec::new();
    let mut diagnostics = Vec::new();
    for path in paths {
        match read(path) {
            Ok(bytes) => contents.push((path.clone(), bytes)),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    (contents, diagnostics)
}

/// Prints `{"documents": [...], "diagnostics": [...]}`, each file's documents as soon as they are
/// read, so that memory holds one file's documents, not the corpus's. Files are read together so
/// that a brat `.txt` finds its `.ann`.
fn parse(options: &Options) -> io::Result<usize> {
    if options.infer {
        return parse_and_infer(options);
    }
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let (contents, mut diagnostics) = read_all(&options.files);
    let files: Vec<InputFile> = contents.iter().map(|(name, bytes)| InputFile { name, bytes }).collect();
    let mut count = 0;
    let mut result = out.write_all(b"{\"documents\":[");
    load_each(&files, options.format.as_deref(), |documents, found| {
        for document in &documents {
            if result.is_ok() && count > 0 {
                result = out.write_all(b",");
            }
            if result.is_ok() {
                result = write_json(&mut out, document, options.pretty);
            }
            count += 1;
        }
        diagnostics.extend(found);
    });
    result?;
    out.write_all(b"],\"diagnostics\":")?;
    write_json(&mut out, &diagnostics, options.pretty)?;
    out.write_all(b"}\n")?;
    out.flush()?;
    Ok(count)
}

/// `parse --infer`: a mention annotated in one file is looked for in all of them, so the whole
/// corpus is read before anything is printed.
fn parse_and_infer(options: &Options) -> io::Result<usize> {
    let (contents, mut diagnostics) = read_all(&options.files);
    let files: Vec<InputFile> = contents.iter().map(|(name, bytes)| InputFile { name, bytes }).collect();
    let mut output = litview::load(&files, options.format.as_deref());
    litview::annotate::infer(&mut output.documents);
    diagnostics.append(&mut output.diagnostics);
    output.diagnostics = diagnostics;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    write_json(&mut out, &output, options.pretty)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(output.documents.len())
}

fn write_json<T: serde::Serialize>(out: &mut impl Write, value: &T, pretty: bool) -> io::Result<()> {
    let result =
        if pretty { serde_json::to_writer_pretty(&mut *out, value) } else { serde_json::to_writer(&mut *out, value) };
    result.map_err(io::Error::other)
}

/// Files bigger than this are counted as they are read, in parallel, never held whole (the page
/// streams files above the same size).
const STREAM_BYTES: u64 = 16 << 20;

fn stats(options: &Options) -> io::Result<usize> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let format = options.format.as_deref();
    // Big files stream unless they are half of a brat pair, which is read together.
    let named: Vec<InputFile> = options.files.iter().map(|name| InputFile { name, bytes: &[] }).collect();
    let paired = litview::load::brat_pairs(&named, format);
    let streams = |i: usize| {
        paired[i].is_none() && std::fs::metadata(&options.files[i]).is_ok_and(|m| m.is_file() && m.len() > STREAM_BYTES)
    };
    let (big, small): (Vec<usize>, Vec<usize>) = (0..options.files.len()).partition(|&i| streams(i));
    let small_paths: Vec<String> = small.iter().map(|&i| options.files[i].clone()).collect();
    let (contents, unreadable) = read_all(&small_paths);
    let files: Vec<InputFile> = contents.iter().map(|(name, bytes)| InputFile { name, bytes }).collect();
    let size = |name: &str| contents.iter().find(|(n, _)| n == name).map_or(0, |(_, b)| b.len());
    let mut all: Vec<FileStats> =
        unreadable.iter().map(|d| FileStats::new(&d.file, 0, 0.0, &[], std::slice::from_ref(d))).collect();
    let mut started = Instant::now();
    // Each file (a brat pair counts as its .ann) is timed from the end of the one before.
    load_each(&files, format, |documents, diagnostics| {
        let name =
            documents.first().map(|d| d.source.file.clone()).or_else(|| diagnostics.first().map(|d| d.file.clone()));
        let name = name.unwrap_or_default();
        all.push(FileStats::new(&name, size(&name), started.elapsed().as_secs_f64(), &documents, &diagnostics));
        started = Instant::now();
    });
    for i in big {
        let path = &options.files[i];
        let counted = std::fs::File::open(path).and_then(|file| litview::stats::count_streamed(path, file, format));
        all.push(counted.unwrap_or_else(|error| {
            let diagnostic = Diagnostic::error(path, None, format!("cannot read the file: {error}"));
            FileStats::new(path, 0, 0.0, &[], &[diagnostic])
        }));
    }
    // In the order the files were given.
    all.sort_by_key(|s| options.files.iter().position(|f| *f == s.file).unwrap_or(usize::MAX));
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

/// The writer `convert` needs, or why the command line cannot be run.
fn convert_target(options: &Options) -> Result<&'static litview::export::Writer, String> {
    let writer = options.to.as_deref().and_then(litview::export::by_id).ok_or("convert needs --to FORMAT")?;
    if writer.id == "brat" && options.output.is_none() {
        return Err("brat writes a .txt and an .ann per document: name a folder for them with -o".into());
    }
    Ok(writer)
}

/// `convert`: every document read, written as the writer's format to standard output or `-o`.
/// What could not be read or written goes to standard error as `file:line: severity: message`.
fn convert(options: &Options, writer: &litview::export::Writer) -> io::Result<usize> {
    let (contents, mut diagnostics) = read_all(&options.files);
    let files: Vec<InputFile> = contents.iter().map(|(name, bytes)| InputFile { name, bytes }).collect();
    let output = litview::load(&files, options.format.as_deref());
    diagnostics.extend(output.diagnostics);
    let exported = if output.documents.is_empty() {
        litview::export::Exported::default()
    } else {
        (writer.write)(&output.documents)
    };
    diagnostics.extend(exported.diagnostics);
    let stderr = io::stderr();
    let mut err = BufWriter::new(stderr.lock());
    for d in &diagnostics {
        let severity = match d.severity {
            litview::Severity::Error => "error",
            litview::Severity::Warning => "warning",
        };
        match d.line {
            Some(line) => writeln!(err, "{}:{line}: {severity}: {}", d.file, d.message)?,
            None => writeln!(err, "{}: {severity}: {}", d.file, d.message)?,
        }
    }
    err.flush()?;
    match options.output.as_deref() {
        Some(folder) if writer.id == "brat" => {
            std::fs::create_dir_all(folder)?;
            for (name, content) in &exported.files {
                std::fs::write(std::path::Path::new(folder).join(name), content)?;
            }
        }
        Some(path) => {
            let content: String = exported.files.iter().map(|(_, content)| content.as_str()).collect();
            std::fs::write(path, content)?;
        }
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            for (_, content) in &exported.files {
                out.write_all(content.as_bytes())?;
            }
            out.flush()?;
        }
    }
    Ok(output.documents.len())
}
