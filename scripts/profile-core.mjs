// The page's core alone, in node, on the 100 MB corpus: the worker's steps for one big drop
// (begin_file, push_chunk over 4 MB chunks, end_file, infer, overview), each with its CPU time,
// and the instance's memory. A profiling aid, not a benchmark of record (BENCHMARKS.md says what
// it showed). For function names in `node --cpu-prof`, bind the release wasm without stripping:
//   scripts/build.sh
//   wasm-bindgen --target web --keep-debug --out-dir target/profile-core \
//     target/wasm32-unknown-unknown/release/litview.wasm
//   node --cpu-prof --cpu-prof-dir=target/profile-core scripts/profile-core.mjs target/profile-core
import { readFileSync, openSync, readSync, fstatSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = resolve(process.argv[2] ?? join(ROOT, 'dist'));
const file = process.argv[3] ?? join(ROOT, 'target', 'bench', 'corpus100.pubtator');
const { initSync, Corpus } = await import(join(dir, 'litview.js'));
const core = initSync({ module: readFileSync(join(dir, 'litview_bg.wasm')) });

// CPU time, not wall time: this machine is shared.
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const megabytes = () => Math.round(core.memory.buffer.byteLength / 1e6);

const fd = openSync(file, 'r');
const size = fstatSync(fd).size;
const corpus = new Corpus();
const chunk = 4 << 20;
let started = cpu();
corpus.begin_file('corpus.pubtator', undefined, size);
let documents = 0;
for (let at = 0; at < size; at += chunk) {
  const bytes = Buffer.alloc(Math.min(chunk, size - at));
  readSync(fd, bytes, 0, bytes.length, at);
  documents += corpus.push_chunk(new Uint8Array(bytes)).count;
}
documents += corpus.end_file(false, 0).count;
const read = { cpu_ms: Math.round(cpu() - started), memory_mb: megabytes() };
started = cpu();
const changed = corpus.infer(new Uint8Array()).length;
const infer = { cpu_ms: Math.round(cpu() - started), memory_mb: megabytes() };
started = cpu();
corpus.overview(300, new Uint8Array());
const overview = { cpu_ms: Math.round(cpu() - started) };
console.log(JSON.stringify({ file, bytes: size, documents, read, infer, changed, overview }, null, 2));
