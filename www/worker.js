// The core runs here, off the main thread: files are read and parsed, and views computed, while
// the page stays responsive. The page talks to it by messages: {id, type, ...} -> {id, ok, value}.
import init, { Corpus, formats, outputs, last_panic, fail_on } from './litview.js';

const ready = init({ module_or_path: new URL('./litview_bg.wasm', import.meta.url) });
let corpus = null;

// Files above this size are read and parsed chunk by chunk, so their first documents show
// while the rest loads and the file is never held twice.
const STREAM_BYTES = 16 << 20;
const CHUNK_BYTES = 4 << 20;
let stopRequested = false;

const handlers = {
  formats: () => formats(),
  outputs: () => outputs(),
  'fail-on': ({ name }) => fail_on(name),
  stop: () => {
    stopRequested = true;
  },

  // Reads the files of one drop: small ones together (a brat .txt finds its .ann), big ones in
  // chunks. Partial results and progress go to the page as they come.
  async load({ files, format, id }) {
    stopRequested = false;
    const total = files.reduce((sum, f) => sum + f.size, 0);
    let read = 0;
    const chosen = format === 'auto' ? undefined : format;
    const small = files.filter((f) => f.size <= STREAM_BYTES);
    const names = [];
    const contents = [];
    for (const file of small) {
      names.push(file.name);
      contents.push(new Uint8Array(await file.arrayBuffer()));
      read += file.size;
      postMessage({ id, progress: { read, total, file: file.name } });
    }
    if (small.length) postMessage({ id, partial: corpus.add_files(names, contents, chosen) });
    for (const file of files.filter((f) => f.size > STREAM_BYTES)) {
      corpus.begin_file(file.name, chosen, file.size);
      let at = 0;
      for (; at < file.size && !stopRequested; at += CHUNK_BYTES) {
        const chunk = new Uint8Array(await file.slice(at, at + CHUNK_BYTES).arrayBuffer());
        const partial = corpus.push_chunk(chunk);
        read += chunk.length;
        postMessage({ id, partial, progress: { read, total, file: file.name } });
      }
      postMessage({ id, partial: corpus.end_file(at < file.size) });
      if (stopRequested) break;
    }
    return null;
  },

  infer: () => corpus.infer(),
  // The core's memory, for the browser benchmark: it only grows, so this is its peak.
  memory: async () => (await ready).memory.buffer.byteLength,
  overview: ({ limit }) => corpus.overview(limit),
  search: ({ query }) => corpus.search(JSON.stringify(query)),
  view: ({ index }) => corpus.view(index),
  rows: ({ indices }) => corpus.rows(indices),
  cite: ({ style, indices }) => corpus.cite(style, indices),
  export: ({ writer, indices }) => corpus.export(writer, indices),
  document: ({ index }) => corpus.document(index),
};

self.onmessage = async ({ data }) => {
  const { id, type } = data;
  // A stop request must not wait behind the load it stops.
  if (type === 'stop') {
    stopRequested = true;
    return;
  }
  try {
    await ready;
    corpus ??= new Corpus();
    const value = await handlers[type](data);
    postMessage({ id, ok: true, value });
  } catch (error) {
    // A panic in the core traps (a WebAssembly.RuntimeError). The release page's core aborts
    // at once, without a message; other builds keep the message in the core's panic hook. The
    // page then throws this worker away rather than trust its state.
    // A stack overflow inside the core is a RangeError; it leaves the core as unsafe to reuse.
    const trapped = error instanceof WebAssembly.RuntimeError || error instanceof RangeError;
    let panic = trapped ? 'the core stopped on an internal error' : null;
    try {
      panic = last_panic() ?? panic;
    } catch {
      panic = String(error);
    }
    postMessage({ id, ok: false, panicked: panic != null, message: panic ?? String(error?.message ?? error) });
  }
};
