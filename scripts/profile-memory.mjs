// What reading the 100 MB corpus in N parts costs in memory, in node: N instances of the page's
// core (one per worker, sharing one compiled module), each reading its part from a record
// boundary, then each recognizing with the others' concepts, as the page's workers do. Prints
// the growth of the process's resident size after reading and after recognizing. A profiling
// aid, not a benchmark of record (BENCHMARKS.md says what it showed).
//   node scripts/profile-memory.mjs [DIST] [N]   (CHUNK=BYTES: the chunk size; 4 MB, as the page)
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = resolve(process.argv[2] ?? join(ROOT, 'dist'));
const parts = Number(process.argv[3] ?? 2);
const CHUNK = Number(process.env.CHUNK ?? 4 << 20);
const all = readFileSync(join(ROOT, 'target', 'bench', 'corpus100.pubtator'));
const module = new WebAssembly.Module(readFileSync(join(dir, 'litview_bg.wasm')));
const first = await import(join(dir, 'litview.js'));
first.initSync({ module });
const megabytes = (bytes) => Math.round(bytes / 1e6);
const rss = () => process.memoryUsage().rss;

const cuts = [0];
for (let k = 1; k < parts; k++) {
  const planned = Math.floor((all.length * k) / parts);
  const window = all.subarray(planned - (1 << 20), planned);
  cuts.push(planned - (1 << 20) + first.record_start('pubtator', window));
}
cuts.push(all.length);

const before = rss();
const cores = [];
for (let i = 0; i < parts; i++) {
  // Each worker has an instance of its own: a module imported again is a new instance.
  const core = i === 0 ? first : await import(`${join(dir, 'litview.js')}?${i}`);
  if (i) core.initSync({ module });
  const bytes = all.subarray(cuts[i], cuts[i + 1]);
  const corpus = new core.Corpus();
  corpus.begin_file('corpus.pubtator', 'pubtator', bytes.length);
  for (let at = 0; at < bytes.length; at += CHUNK) corpus.push_chunk(bytes.subarray(at, Math.min(bytes.length, at + CHUNK)));
  corpus.end_file(false, 0);
  cores.push(corpus);
}
const read = rss() - before;
const concepts = cores.map((corpus) => corpus.concept_part());
cores.forEach((corpus, i) => {
  const others = concepts.filter((_, j) => j !== i);
  corpus.infer(Buffer.concat(others));
});
const inferred = rss() - before;
console.log(JSON.stringify({ parts, read_mb: megabytes(read), recognized_mb: megabytes(inferred) }));
