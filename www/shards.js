// The corpus in parts. A big file is read by several workers at once (worker.js says how many),
// each from its own record boundary: each worker's core holds the documents it read. The page
// sees one corpus: positions in it are handed out as the parts are announced, in the file's
// order, and mapped here to a worker and the position in that worker's core.

/// One worker's core, called the same way whether it runs in this worker or in a helper.
export class LocalShard {
  constructor(corpus) {
    this.corpus = corpus;
  }

  async call(method, ...args) {
    // After the calls to the other shards have been posted, so that they work meanwhile: a
    // call here runs the core on this thread until it returns.
    await new Promise((resolve) => setTimeout(resolve));
    return this.corpus[method](...args);
  }
}

/// A core in a helper worker (worker.js started with the name `shard`).
export class RemoteShard {
  constructor(url, module) {
    this.worker = new Worker(url, { type: 'module', name: 'shard' });
    this.pending = new Map();
    this.nextId = 1;
    this.worker.onmessage = ({ data }) => {
      const call = this.pending.get(data.id);
      if (!call) return;
      if (data.partial) {
        call.onPartial?.(data.partial);
        return;
      }
      this.pending.delete(data.id);
      if (data.ok) call.resolve(data.value);
      else call.reject(Object.assign(new Error(data.message), { panicked: data.panicked }));
    };
    this.worker.onerror = (event) => {
      for (const call of this.pending.values()) call.reject(Object.assign(new Error(event.message || 'a helper worker stopped'), { panicked: true }));
      this.pending.clear();
    };
    // The helper instantiates the module this worker compiled, rather than fetch it again.
    this.ready = this.send('start', { module });
  }

  send(type, payload, onPartial) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onPartial });
      this.worker.postMessage({ id, type, ...payload });
    });
  }

  async call(method, ...args) {
    await this.ready;
    return this.send('call', { method, args });
  }

  /// Reads `part` ({file, start, end, format}) of a file; `onPartial` gets what each chunk added.
  async read(part, onPartial) {
    await this.ready;
    return this.send('read', { part }, onPartial);
  }

  stop() {
    this.worker.postMessage({ type: 'stop' });
  }
}

/// Where each position of the page's corpus lives: runs of consecutive positions, each in one
/// shard's core from some position on.
export class Positions {
  constructor() {
    this.runs = []; // {shard, local, global, count}
    this.count = 0;
  }

  /// Announces `count` documents of `shard` from its position `local`; returns their first
  /// position in the corpus.
  add(shard, local, count) {
    const global = this.count;
    if (!count) return global;
    const last = this.runs.at(-1);
    if (last && last.shard === shard && last.local + last.count === local) last.count += count;
    else this.runs.push({ shard, local, global, count });
    this.count += count;
    return global;
  }

  /// The run that holds position `global`.
  run(global) {
    let [low, high] = [0, this.runs.length - 1];
    while (low <= high) {
      const middle = (low + high) >> 1;
      const run = this.runs[middle];
      if (global < run.global) high = middle - 1;
      else if (global >= run.global + run.count) low = middle + 1;
      else return run;
    }
    return null;
  }

  /// {shard, local} of position `global`, or null.
  locate(global) {
    const run = this.run(global);
    return run && { shard: run.shard, local: run.local + global - run.global };
  }

  /// The corpus position of a shard's position `local`, or null when it was not announced.
  global(shard, local) {
    const run = this.runs.find((r) => r.shard === shard && local >= r.local && local < r.local + r.count);
    return run ? run.global + local - run.local : null;
  }

  /// The given positions (all when `globals` is empty), in order, grouped into consecutive
  /// stretches held by one shard: [{shard, locals}].
  stretches(globals) {
    const stretches = [];
    const push = (shard, local) => {
      const last = stretches.at(-1);
      if (last && last.shard === shard) last.locals.push(local);
      else stretches.push({ shard, locals: [local] });
    };
    if (globals.length) {
      for (const global of globals) {
        const at = this.locate(global);
        if (at) push(at.shard, at.local);
      }
    } else {
      for (const run of this.runs) for (let i = 0; i < run.count; i++) push(run.shard, run.local + i);
    }
    return stretches;
  }

  /// The shards that hold documents.
  shards() {
    return [...new Set(this.runs.map((r) => r.shard))].sort((a, b) => a - b);
  }
}

/// Reads bytes `start..end` of `file` into `corpus` chunk by chunk, as one file; `onPartial`
/// gets what each chunk added and the bytes read since the last call. `stopped()` is asked
/// between chunks. The part that starts the file speaks for all of it: whether it was read whole
/// is said once the other parts are done, `readElsewhere()` resolving to the bytes they read.
export async function readPart(corpus, { file, start, end, format }, onPartial, stopped, readElsewhere = async () => 0) {
  corpus.begin_file(file.name, format, end - start);
  const chunks = chunksOf(file.slice(start, end));
  let read = 0;
  try {
    for (let chunk; !stopped() && (chunk = await chunks.next()); ) {
      read += chunk.length;
      onPartial(corpus.push_chunk(chunk), chunk.length);
      await messagesTaken();
    }
  } finally {
    chunks.close();
  }
  const elsewhere = start === 0 ? await readElsewhere() : 0;
  const last = corpus.end_file(start === 0 && read + elsewhere < file.size, elsewhere);
  onPartial(last, 0);
  return last;
}

const CHUNK_BYTES = 4 << 20;

/// Resolves once the worker has taken the messages that came meanwhile (a Stop): a stream's reads
/// can resolve one after the other without the worker ever turning to its messages.
function messagesTaken() {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

/// A blob's bytes, CHUNK_BYTES at a time (less at the end): `next()` gives the next chunk, or
/// null at the end; a chunk is good until the next call. Where the browser can, every chunk is
/// read into the same buffer. A new buffer per chunk is garbage the engine collects only once some
/// 64 MB of it has piled up, in each worker: with two workers reading, that was most of what the
/// second one added to the tab's memory.
function chunksOf(blob) {
  let reader = null;
  try {
    reader = blob.stream().getReader({ mode: 'byob' });
  } catch {
    // No byte stream: a slice at a time.
    let at = 0;
    return {
      async next() {
        if (at >= blob.size) return null;
        const chunk = new Uint8Array(await blob.slice(at, at + CHUNK_BYTES).arrayBuffer());
        at += chunk.length;
        return chunk;
      },
      close() {},
    };
  }
  let buffer = new ArrayBuffer(CHUNK_BYTES);
  let done = false;
  return {
    async next() {
      let filled = 0;
      while (!done && filled < CHUNK_BYTES) {
        // The buffer moves to the stream and comes back with the bytes, under a new name.
        const { value, done: ended } = await reader.read(new Uint8Array(buffer, filled));
        if (value) {
          buffer = value.buffer;
          filled += value.length;
        }
        done = ended;
      }
      return filled ? new Uint8Array(buffer, 0, filled) : null;
    },
    close() {
      if (!done) reader.cancel().catch(() => {});
    },
  };
}
