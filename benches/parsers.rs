//! How fast litview reads real corpora: every parser in the registry on a representative file
//! of `../shared/data`, `litview::load` end to end, the view of each document, and concept
//! inference across documents.
//!
//! `cargo bench` (or `scripts/bench.sh`, which also compares with `wc -l` and Python's `bioc`).
//! Without `../shared` beside the checkout each group prints a line saying it is skipped.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use litview::formats::{self, Source, FORMATS};
use litview::{InputFile, Output};

/// The sample each format is measured on, by format id: files below `../shared`. Each is the
/// largest or the standard real file of its kind, so that MB/s means something.
const SAMPLES: &[(&str, &[&str])] = &[
    ("pubtator", &["data/pubtator/BC5CDR/CDR_TrainingSet.PubTator.txt"]),
    ("bioc-xml", &["data/bioc/BC5CDR/CDR_DevelopmentSet.BioC.xml"]),
    ("bioc-json", &["data/bioc/BioRED/Dev.BioC.JSON"]),
    // The largest PubAnnotation file of the corpus.
    ("pubannotation", &["data/pubannotation/pubannotation-app/PMC-7646410.json"]),
    // A brat pair: the text first, then its annotations (read together by `parse_pair`).
    (
        "brat",
        &[
            "data/brat/nalaf-verspoor/data/2275286-05-Discussion-p01.txt",
            "data/brat/nalaf-verspoor/data/2275286-05-Discussion-p01.ann",
        ],
    ),
    (
        "ris",
        &[
            "data/biblio/synthesisr/citesource_issue_24.ris",
            "data/biblio/synthesisr/ASP_ris_example.ris",
            "data/biblio/synthesisr/Ovid_ris_example.ris",
            "data/biblio/synthesisr/Scopus_ris_example.ris",
            "data/biblio/rispy/example_wos.ris",
            "data/biblio/rispy/example_full.ris",
        ],
    ),
    (
        "medline",
        &[
            "data/biblio/nbib/pubmed-balloongui-set.nbib",
            "data/biblio/nbib/pmc_medlars.txt",
            "data/biblio/synthesisr/PubMed_example.txt",
        ],
    ),
    (
        "bibtex",
        &[
            "data/biblio/synthesisr/Scopus_bib_example.bib",
            "data/biblio/YuanDu-Netlify/2020-11-Blood2/cite.bib",
            "data/biblio/YuanDu-Netlify/2021-8-LR/cite.bib",
            "data/biblio/YuanDu-Netlify/2021-4-TCT/cite.bib",
        ],
    ),
    (
        "csl-json",
        &[
            "data/biblio/manubot-csl-json/crossref-deep-review-csl/raw.json",
            "data/biblio/manubot-csl-json/pubmed-scihub-study-csl/raw.json",
            "data/biblio/manubot-csl-json/datacite-thesis-csl/raw.json",
            "data/biblio/manubot-csl-json/input-bibliography.json",
        ],
    ),
    (
        "pubmed-xml",
        &[
            "data/biblio/factoid-pubmed-xml/pmid_29440426.xml",
            "data/biblio/factoid-pubmed-xml/pmid_9417067.xml",
            "data/biblio/factoid-pubmed-xml/pmid_151222.xml",
        ],
    ),
    ("page", &["seeds/004_2ad11577413c318a.txt"]),
];

/// The file `load` and `view` are measured on: the BC5CDR training set, 500 abstracts.
const END_TO_END: &str = "data/pubtator/BC5CDR/CDR_TrainingSet.PubTator.txt";

/// `../shared` beside the checkout, or `None` after printing that the benchmarks are skipped.
fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("shared");
    if dir.join("data").is_dir() {
        Some(dir)
    } else {
        println!("skipped: {} is absent, so the corpus benchmarks do not run", dir.display());
        None
    }
}

/// A sample file: its name (as the parsers see it) and its text.
struct Sample {
    name: String,
    text: String,
}

/// Reads the samples of one format; `None` (after saying so) when one is missing or not UTF-8.
fn read(shared: &Path, paths: &[&str]) -> Option<Vec<Sample>> {
    paths
        .iter()
        .map(|path| {
            let full = shared.join(path);
            match std::fs::read_to_string(&full) {
                Ok(text) => Some(Sample { name: file_name(&full), text }),
                Err(error) => {
                    println!("skipped: cannot read {}: {error}", full.display());
                    None
                }
            }
        })
        .collect()
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default()
}

fn bytes(samples: &[Sample]) -> u64 {
    samples.iter().map(|sample| sample.text.len() as u64).sum()
}

/// Each parser of the registry alone: text in, documents out, no detection and no validation.
fn parsers(c: &mut Criterion) {
    let Some(shared) = shared() else { return };
    let mut group = c.benchmark_group("parse");
    for format in FORMATS {
        let Some((_, paths)) = SAMPLES.iter().find(|(id, _)| *id == format.id) else {
            println!("skipped: parse/{} has no sample file in benches/parsers.rs", format.id);
            continue;
        };
        let Some(samples) = read(&shared, paths) else { continue };
        group.throughput(Throughput::Bytes(bytes(&samples)));
        let label = samples.first().map(|sample| sample.name.as_str()).unwrap_or_default();
        let label = if samples.len() > 1 { format!("{label} +{}", samples.len() - 1) } else { label.to_string() };
        group.bench_with_input(BenchmarkId::new(format.id, label), &samples, |b, samples| {
            b.iter(|| match (format.id, samples.as_slice()) {
                // brat's registry entry only explains that a .ann needs its .txt; the pair is
                // what a person drops, and what `load` hands to the reader.
                ("brat", [text, ann]) => {
                    let parsed = formats::brat::parse_pair(&ann.name, &ann.text, &text.text);
                    parsed.documents.len()
                }
                _ => samples
                    .iter()
                    .map(|sample| (format.parse)(&Source { file: &sample.name, text: &sample.text }).documents.len())
                    .sum(),
            })
        });
    }
    group.finish();
}

fn load_file(shared: &Path) -> Option<(Sample, Output)> {
    let sample = read(shared, &[END_TO_END])?.pop()?;
    let output = litview::load(&[InputFile { name: &sample.name, bytes: sample.text.as_bytes() }], None);
    Some((sample, output))
}

/// What `litview parse` and the page do with a file: decode, detect, parse, validate.
fn load(c: &mut Criterion) {
    let Some(shared) = shared() else { return };
    let Some((sample, _)) = load_file(&shared) else { return };
    let mut group = c.benchmark_group("load");
    group.throughput(Throughput::Bytes(sample.text.len() as u64));
    group.bench_function(BenchmarkId::new("auto", &sample.name), |b| {
        b.iter(|| {
            litview::load(&[InputFile { name: &sample.name, bytes: sample.text.as_bytes() }], None).documents.len()
        })
    });
    group.finish();
}

/// The page's view of each document (highlight segments, cards, legend), one document at a time:
/// the time per element is the time per document.
fn view(c: &mut Criterion) {
    let Some(shared) = shared() else { return };
    let Some((sample, output)) = load_file(&shared) else { return };
    let mut group = c.benchmark_group("view");
    group.throughput(Throughput::Elements(output.documents.len() as u64));
    group.bench_function(BenchmarkId::new("each document", &sample.name), |b| {
        b.iter(|| output.documents.iter().map(|document| litview::view::view(document).blocks.len()).sum::<usize>())
    });
    group.finish();
}

/// Concept inference across the documents of the same file (`parse --infer`): the index of every
/// annotated mention, then each document searched for them. The documents are cloned outside the
/// timed part, since inference adds to them. Its throughput is the documents' text searched.
fn infer(c: &mut Criterion) {
    let Some(shared) = shared() else { return };
    let Some((sample, output)) = load_file(&shared) else { return };
    let mut group = c.benchmark_group("infer");
    group.throughput(Throughput::Bytes(output.documents.iter().map(|d| d.text.len() as u64).sum()));
    group.bench_function(BenchmarkId::new("every document's text", &sample.name), |b| {
        b.iter_batched(
            || output.documents.clone(),
            |mut documents| litview::annotate::infer(&mut documents),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

/// Short runs: the machine this runs on is shared with builds, and the 100 MB comparison in
/// scripts/bench.sh is the headline figure; these are for finding the slow parser.
fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = parsers, load, view, infer
}
criterion_main!(benches);
