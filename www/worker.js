// The core runs here, off the main thread: files are read and parsed, and views computed, while
// the page stays responsive. The page talks to it by messages: {id, type, ...} -> {id, ok, value}.
//
// This worker also starts one helper per further core (this file again, named `shard`). A big
// file in a format whose records can be found from anywhere in it is read by all of them at
// once, each from its own record boundary; each helper's core keeps the documents it read, and
// this worker maps the page's positions to them (shards.js). Everything else is read here.
import init, {
  Corpus, formats, outputs, last_panic, fail_on, parallel_format, record_start, write, cite,
} from './litview.js';
import { LocalShard, RemoteShard, Positions, readPart } from './shards.js';

// Files above this size are read and parsed chunk by chunk, so their first documents show
// while the rest loads and the file is never held twice.
const STREAM_BYTES = 16 << 20;
// How much less than a helper's share of a big file this worker reads, in helpers' shares.
const FIRST_PART_LAG = 0.07;
// How far past a planned split a record boundary is looked for.
const BOUNDARY_WINDOW = 1 << 20;
let corpus = null;
let stopRequested = false;

/// What the page is told when a call fails: a panic in the core traps (a WebAssembly.RuntimeError)
/// and leaves it unsafe to reuse, as does a stack overflow (a RangeError). The release page's
/// core aborts at once, without a message; other builds keep the message in the panic hook.
function failure(error) {
  const trapped = error instanceof WebAssembly.RuntimeError || error instanceof RangeError || error?.panicked;
  let panic = trapped ? (error?.panicked ? error.message : 'the core stopped on an internal error') : null;
  try {
    panic = last_panic() ?? panic;
  } catch {
    panic = String(error);
  }
  return { ok: false, panicked: panic != null, message: panic ?? String(error?.message ?? error) };
}

if (self.name === 'shard') serveShard();
else serveCorpus();

// ---- A helper: one part of the corpus -----------------------------------------------------

function serveShard() {
  let memory = null;
  self.onmessage = async ({ data }) => {
    const { id, type } = data;
    if (type === 'stop') {
      stopRequested = true;
      return;
    }
    try {
      let value = null;
      if (type === 'start') {
        memory = (await init({ module_or_path: data.module })).memory;
        corpus = new Corpus();
      } else if (type === 'read') {
        stopRequested = false;
        await readPart(corpus, data.part, (added, bytes) => postMessage({ id, partial: { added, bytes } }), () => stopRequested);
      } else if (type === 'memory') {
        value = memory.buffer.byteLength;
      } else if (type === 'fail-on') {
        fail_on(data.name);
      } else {
        value = corpus[data.method](...data.args);
      }
      postMessage({ id, ok: true, value });
    } catch (error) {
      postMessage({ id, ...failure(error) });
    }
  };
}

// ---- The page's worker: the whole corpus ---------------------------------------------------

function serveCorpus() {
  const wasm = new URL('./litview_bg.wasm', import.meta.url);
  // Compiled once, here, and handed to the helpers.
  const compiled = (async () => {
    const response = await fetch(wasm);
    const module = await WebAssembly.compileStreaming(response).catch(async () => WebAssembly.compile(await (await fetch(wasm)).arrayBuffer()));
    return { module, exports: await init({ module_or_path: module }) };
  })();
  let shards = [];
  const positions = new Positions();
  /// The other shards' counts (`counts_part`), asked for as soon as they have recognized, for the
  /// overview the page asks for next.
  let countsAhead = null;

  /// One shard per core but one, which the page keeps for itself, and two on two cores; at most
  /// four (the page may ask for another number in this worker's name); this worker's own first.
  /// On two cores, two workers indexed a 100 MB corpus in about 2.9 s rather than 4, the page's
  /// longest task stayed mostly under 100 ms, and the tab took 2.8 times the file's size against
  /// 2.2 with one worker (BENCHMARKS.md, eighth round); since the tenth round's reading, 1.7 to
  /// 2.3 s rather than 2.5, and 2.6 times the file.
  const started = (async () => {
    const cores = navigator.hardwareConcurrency || 1;
    const asked = Number(self.name.match(/workers=(\d+)/)?.[1]) || Math.min(cores, Math.max(2, cores - 1));
    const { module } = await compiled;
    corpus = new Corpus();
    shards = [new LocalShard(corpus)];
    while (shards.length < Math.min(4, asked)) shards.push(new RemoteShard(new URL(import.meta.url), module));
    // Ready together, so that a drop does not share the cores with the helpers' start-up.
    await Promise.all(shards.slice(1).map((helper) => helper.ready));
  })();

  const bytes = async (file, start, end) => new Uint8Array(await file.slice(start, end).arrayBuffer());

  /// The parts a big file is read in: one per shard, each from a record boundary, when its
  /// format allows; else the whole file here.
  async function plan(file, format) {
    const whole = [{ file, start: 0, end: file.size, format }];
    if (shards.length < 2) return whole;
    const kind = parallel_format(file.name, await bytes(file, 0, 64 << 10), format, file.size);
    if (!kind) return whole;
    const cuts = [0];
    // This worker's part is a little smaller: it also answers the page while it reads (the rows
    // and the first document's view) and announces every part. With equal parts it finished
    // reading 37 to 232 ms after the helper in nine runs of ten (87 ms later on average).
    const share = (k) => (k - FIRST_PART_LAG) / (shards.length - FIRST_PART_LAG);
    for (let k = 1; k < shards.length; k++) {
      const planned = Math.floor(share(k) * file.size);
      const found = record_start(kind, await bytes(file, planned, planned + BOUNDARY_WINDOW));
      if (found != null && planned + found > cuts.at(-1)) cuts.push(planned + found);
    }
    cuts.push(file.size);
    return cuts.slice(1).map((end, k) => ({ file, start: cuts[k], end, format: kind }));
  }

  /// Reads the parts of a file, part k in shard k, all at once. The page is told of a part's
  /// documents once every part before it is done, so the corpus keeps the file's order; its
  /// documents are then numbered after those, and its diagnostics' lines counted from there.
  async function readParts(parts, onProgress, announce) {
    const states = parts.map(() => ({ held: [], done: false, first: null, documents: 0, lines: 0 }));
    const renumbered = [];
    let announcing = 0;
    let lines = 0;
    let documents = 0;
    const flush = () => {
      while (announcing < parts.length) {
        const state = states[announcing];
        const held = state.held.splice(0);
        for (const diagnostic of held.flatMap((added) => added.diagnostics)) {
          // After a stop, a later part's lines cannot be counted from the file's start.
          if (diagnostic.line != null) diagnostic.line = stopRequested ? undefined : diagnostic.line + lines;
        }
        if (held.length) announce(announcing, together(held));
        if (!state.done) return;
        if (announcing > 0 && state.documents) {
          renumbered.push(shards[announcing].call('shift', state.first, state.documents, documents));
        }
        lines += state.lines;
        documents += state.documents;
        announcing++;
      }
    };
    let readElsewhere = 0;
    const reading = parts.map((part, k) => {
      const onPartial = (added, read) => {
        onProgress(read);
        if (k > 0) readElsewhere += read;
        const state = states[k];
        state.first ??= added.first;
        state.documents += added.count;
        if (added.lines != null) state.lines = added.lines;
        state.held.push(added);
        if (k === announcing) flush();
      };
      const done = k === 0
        ? readPart(corpus, part, onPartial, () => stopRequested, () => Promise.all(reading.slice(1)).then(() => readElsewhere))
        : shards[k].read(part, ({ added, bytes: read }) => onPartial(added, read));
      return done.then(() => {
        states[k].done = true;
        flush();
      });
    });
    await Promise.all(reading);
    await Promise.all(renumbered);
  }

  /// What a shard's reads added one after the other, as one addition: a part read while an
  /// earlier one was still being read is announced all at once, and the page, which draws its
  /// list and files for each addition, took 90 ms over fourteen of them.
  function together(additions) {
    const files = [];
    for (const { file, documents } of additions.flatMap((added) => added.files)) {
      const entry = files.find((f) => f.file === file);
      if (entry) entry.documents += documents;
      else files.push({ file, documents });
    }
    return {
      first: additions[0].first,
      count: additions.reduce((sum, added) => sum + added.count, 0),
      files,
      diagnostics: additions.flatMap((added) => added.diagnostics),
    };
  }

  /// One JSON array of what `method` gives for each stretch of positions, from the shards that
  /// hold them, in the corpus's order.
  async function gathered(stretches, method) {
    const arrays = await Promise.all(stretches.map(({ shard, locals }) => shards[shard].call(method, locals)));
    return `[${arrays.map((array) => array.slice(1, -1)).filter(Boolean).join(',')}]`;
  }

  /// Parts of the shards' indexes (bytes), one after the other, as the core reads them.
  function joined(parts) {
    const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let at = 0;
    for (const part of parts) {
      bytes.set(part, at);
      at += part.length;
    }
    return bytes;
  }

  const handlers = {
    formats: () => formats(),
    outputs: () => outputs(),
    'fail-on': ({ name }) => {
      fail_on(name);
      return Promise.all(shards.slice(1).map((helper) => helper.send('fail-on', { name })));
    },

    // Reads the files of one drop: small ones together (a brat .txt finds its .ann), big ones in
    // chunks. Partial results and progress go to the page as they come.
    async load({ files, format, id }) {
      stopRequested = false;
      countsAhead = null;
      const total = files.reduce((sum, f) => sum + f.size, 0);
      let read = 0;
      const chosen = format === 'auto' ? undefined : format;
      // `streamed`: more of a big file is still being read (see the page's addResult).
      const announce = (shard, added, streamed = true) => postMessage({ id, partial: { ...added, first: positions.add(shard, added.first, added.count), streamed } });
      const small = files.filter((f) => f.size <= STREAM_BYTES);
      // Read all at once: one after the other, five small files took 10 to 16 ms.
      const contents = await Promise.all(small.map(async (file) => {
        const bytes = new Uint8Array(await file.arrayBuffer());
        read += file.size;
        postMessage({ id, progress: { read, total, file: file.name } });
        return bytes;
      }));
      if (small.length) announce(0, corpus.add_files(small.map((file) => file.name), contents, chosen), false);
      for (const file of files.filter((f) => f.size > STREAM_BYTES)) {
        const onProgress = (bytes) => {
          read += bytes;
          if (bytes) postMessage({ id, progress: { read, total, file: file.name } });
        };
        const parts = await plan(file, chosen);
        if (parts.length > 1) await readParts(parts, onProgress, announce);
        else await readPart(corpus, parts[0], (added, bytes) => { onProgress(bytes); announce(0, added); }, () => stopRequested);
        if (stopRequested) break;
      }
      return null;
    },

    // Recognition needs what every shard's documents annotate: each shard is given the others'.
    infer: async () => {
      const held = positions.shards();
      if (held.length < 2) return corpus.infer(new Uint8Array());
      const parts = await Promise.all(held.map((shard) => shards[shard].call('concept_part')));
      const inferring = held.map((shard, i) => shards[shard].call('infer', joined(parts.filter((_, j) => j !== i))));
      // A helper takes its calls in order: it counts as soon as it has recognized, while this
      // worker may still be recognizing. (A failure here is the overview's to report.)
      countsAhead = Promise.all(held.filter((shard) => shard !== 0).map((shard) => shards[shard].call('counts_part')));
      countsAhead.catch(() => {});
      const changed = await Promise.all(inferring);
      const global = held.flatMap((shard, i) => changed[i].map((local) => positions.global(shard, local)));
      return global.filter((position) => position != null).sort((a, b) => a - b);
    },
    // The cores' memory, for the browser benchmark: each only grows, so this is their peak.
    memory: async () => {
      const sizes = await Promise.all(shards.slice(1).map((helper) => helper.send('memory', {})));
      return sizes.reduce((sum, size) => sum + size, (await compiled).exports.memory.buffer.byteLength);
    },
    overview: async ({ limit }) => {
      const others = positions.shards().filter((shard) => shard !== 0);
      const ahead = countsAhead;
      countsAhead = null;
      const counts = await (ahead ?? Promise.all(others.map((shard) => shards[shard].call('counts_part'))));
      return corpus.overview(limit, joined(counts));
    },
    search: async ({ query }) => {
      const held = positions.shards();
      const found = await Promise.all(held.map((shard) => shards[shard].call('search', JSON.stringify(query))));
      const global = held.flatMap((shard, i) => found[i].map((local) => positions.global(shard, local)));
      return global.filter((position) => position != null).sort((a, b) => a - b);
    },
    view: async ({ index }) => {
      const { shard, local } = locate(index);
      const view = await shards[shard].call('view', local);
      for (const reference of view.references ?? []) {
        if (reference.document != null) reference.document = positions.global(shard, reference.document);
      }
      return view;
    },
    rows: async ({ indices }) => {
      const wanted = new Map();
      for (const index of indices) {
        const at = positions.locate(index);
        if (at) wanted.set(at.shard, [...(wanted.get(at.shard) ?? []), at.local]);
      }
      const rows = await Promise.all([...wanted].map(async ([shard, locals]) => {
        const found = await shards[shard].call('rows', locals);
        return found.map((row) => ({ ...row, index: positions.global(shard, row.index) }));
      }));
      return rows.flat();
    },
    cite: async ({ style, indices }) => {
      const stretches = positions.stretches(indices);
      if (stretches.length < 2) return shards[stretches[0]?.shard ?? 0].call('cite', style, stretches[0]?.locals ?? []);
      return cite(style, await gathered(stretches, 'citations_json'));
    },
    export: async ({ writer, indices }) => {
      const stretches = positions.stretches(indices);
      if (stretches.length < 2) return shards[stretches[0]?.shard ?? 0].call('export', writer, stretches[0]?.locals ?? []);
      return write(writer, await gathered(stretches, 'documents_json'));
    },
    document: async ({ index }) => {
      const { shard, local } = locate(index);
      return shards[shard].call('document', local);
    },
  };

  function locate(index) {
    const at = positions.locate(index);
    if (!at) throw new Error(`no document ${index}`);
    return at;
  }

  self.onmessage = async ({ data }) => {
    const { id, type } = data;
    // A stop request must not wait behind the load it stops.
    if (type === 'stop') {
      stopRequested = true;
      for (const helper of shards.slice(1)) helper.stop();
      return;
    }
    try {
      await started;
      const value = await handlers[type](data);
      postMessage({ id, ok: true, value });
    } catch (error) {
      // The page then throws this worker (and its helpers) away rather than trust their state.
      postMessage({ id, ...failure(error) });
    }
  };
}
