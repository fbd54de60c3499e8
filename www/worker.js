// The core runs here, off the main thread: files are read and parsed, and views computed, while
// the page stays responsive. The page talks to it by messages: {id, type, ...} -> {id, ok, value}.
import init, { Corpus, formats, outputs, last_panic, fail_on } from './litview.js';

const ready = init({ module_or_path: new URL('./litview_bg.wasm', import.meta.url) });
let corpus = null;

const handlers = {
  formats: () => formats(),

  // Reads the files of one drop in chunks (progress for big files), then parses them together.
  async load({ files, format, id }) {
    const total = files.reduce((sum, f) => sum + f.size, 0);
    let read = 0;
    const names = [];
    const contents = [];
    for (const file of files) {
      const bytes = new Uint8Array(file.size);
      const chunk = 8 << 20;
      for (let at = 0; at < file.size; at += chunk) {
        const part = new Uint8Array(await file.slice(at, at + chunk).arrayBuffer());
        bytes.set(part, at);
        read += part.length;
        postMessage({ id, progress: { read, total, file: file.name } });
      }
      names.push(file.name);
      contents.push(bytes);
    }
    return corpus.add_files(names, contents, format === 'auto' ? undefined : format);
  },

  outputs: () => outputs(),
  'fail-on': ({ name }) => fail_on(name),
  view: ({ index }) => corpus.view(index),
  cite: ({ style, indices }) => corpus.cite(style, indices),
  export: ({ writer, indices }) => corpus.export(writer, indices),
  document: ({ index }) => corpus.document(index),
};

self.onmessage = async ({ data }) => {
  const { id, type } = data;
  try {
    await ready;
    corpus ??= new Corpus();
    const value = await handlers[type](data);
    postMessage({ id, ok: true, value });
  } catch (error) {
    // A panic in the core traps; its message was kept by the core's panic hook. The page then
    // throws this worker away rather than trust its state.
    let panic = null;
    try {
      panic = last_panic();
    } catch {
      panic = String(error);
    }
    postMessage({ id, ok: false, panicked: panic != null, message: panic ?? String(error?.message ?? error) });
  }
};
