//! The page's work on one big file, natively, phase by phase: what the worker does between a drop
//! and "indexed", with the time and the memory each step takes. A profiling aid:
//! `cargo run --release --example pipeline -- FILE`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use litview::annotate::{find_inferred, find_inferred_in, ConceptIndex, CorpusIndex, SeenNames};
use litview::ingest::Holdings;
use litview::store::Store;
use litview::stream::StreamLoader;
use litview::view::Summary;

/// Bytes allocated and not yet freed: what each step holds, without the allocator's own waste.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> String {
    format!("{} MB live", LIVE.load(Ordering::Relaxed) / 1_000_000)
}

fn rss() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM")).collect::<Vec<_>>().join(" ")
}

/// CPU time of this process so far, in seconds (user + system), from /proc.
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks: f64 = fields.get(11..13).map_or(0.0, |f| f.iter().filter_map(|t| t.parse::<f64>().ok()).sum());
    ticks / 100.0
}

fn main() {
    let path = std::env::args().nth(1).expect("a file");
    let bytes = std::fs::read(&path).expect("readable");
    straight(&bytes);
    let t = Instant::now();
    let documents = StreamLoader::new("corpus", None).read_all(&bytes, 4 << 20).documents;
    let parsed = t.elapsed();
    drop(bytes);
    println!("documents: {}", live());
    let t = Instant::now();
    let summaries: Vec<Summary> = documents.iter().map(Summary::of).collect();
    let summarized = t.elapsed();
    let t = Instant::now();
    let mut concepts = ConceptIndex::new();
    for d in &documents {
        concepts.add_source(d);
    }
    let concepts_time = t.elapsed();
    println!("with the concept index: {}", live());
    let t = Instant::now();
    let mut index = CorpusIndex::new();
    for d in &documents {
        index.push(d);
    }
    let indexed = t.elapsed();
    println!("with the corpus index: {}", live());
    println!("parse {parsed:?} ({} docs), summaries {summarized:?} ({}), concepts {concepts_time:?} ({} mentions), corpus index {indexed:?}", documents.len(), summaries.len(), concepts.len());
    println!("after load: {}", rss());
    let t = Instant::now();
    let mut store = Store::new();
    for d in documents {
        store.push(d);
    }
    println!("store {:?}", t.elapsed());
    println!("after store: {}, {}", rss(), live());
    if std::env::var_os("STOP").is_some() {
        return;
    }
    let t = Instant::now();
    find_inferred(&concepts, &litview::Document::default());
    println!("automaton {:?}", t.elapsed());
    let find = |i: usize| find_inferred_in(&concepts, store.text(i).unwrap_or_default(), store.own_spans(i));
    for _ in 0..3 {
        let (t, c) = (Instant::now(), cpu());
        let found: usize = (0..store.len()).map(|i| find(i).len()).sum();
        println!("find {:?}, cpu {:.2} s ({found} found)", t.elapsed(), cpu() - c);
    }
    let t = Instant::now();
    let mut inferred = 0;
    let mut seen = SeenNames::default();
    for i in 0..store.len() {
        let found = find(i);
        if !found.is_empty() {
            index.update_inferred(i, store.text(i).unwrap_or_default(), &concepts, &found, &mut seen);
        }
        inferred += found.len();
    }
    println!("infer and summarize {:?} ({inferred} inferred)", t.elapsed());
    println!("after infer: {}, {}", rss(), live());
}

/// The page's own read (src/wasm.rs): chunks cut into blocks, each block's PubTator records
/// stored and indexed straight from their lines. The steps after it below read the file into
/// documents first, to time each step apart.
fn straight(bytes: &[u8]) {
    let (t, c) = (Instant::now(), cpu());
    let (mut store, mut concepts, mut index) = (Store::new(), ConceptIndex::new(), CorpusIndex::new());
    let mut holdings = Holdings { store: &mut store, concepts: &mut concepts, index: &mut index };
    holdings.read_all(&mut StreamLoader::new("corpus", None), bytes, 4 << 20, false);
    println!(
        "the page's read, straight into the store and both indexes: {:?}, cpu {:.2} s, {} documents, {}",
        t.elapsed(),
        cpu() - c,
        store.len(),
        live()
    );
    drop((store, concepts, index));
}
