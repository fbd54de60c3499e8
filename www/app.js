// The page's shell: reads what the user drops, hands it to the core in a worker, and draws what
// the core returns. It knows nothing of formats or offsets.
import { el, citationCard, legend, highlightedText, entityCard, relationsTable } from './render.js';

const $ = (id) => document.getElementById(id);
const ROW_HEIGHT = 58;
const EXAMPLES = [
  '000_f64150ce26b5959b.txt', '001_5452ab4f773b0520.txt', '002_e761f05744a40d98.txt',
  '003_d1ca3af4f330edf7.txt', '004_2ad11577413c318a.txt',
];

const state = {
  batches: [], // {files: File[], format} in the order they were loaded; replayed after a crash
  files: [], // {name, documents, diagnostics, crashed}
  documents: [], // summaries, by corpus index
  selected: -1,
  view: null,
  hidden: new Set(),
};

// ---- The worker ------------------------------------------------------------------------------

let worker = null;
let nextId = 1;
const pending = new Map();

function startWorker() {
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = ({ data }) => {
    const call = pending.get(data.id);
    if (!call) return;
    if (data.progress) {
      call.onProgress?.(data.progress);
      return;
    }
    pending.delete(data.id);
    if (data.ok) call.resolve(data.value);
    else call.reject(Object.assign(new Error(data.message), { panicked: data.panicked }));
  };
  worker.onerror = (event) => {
    for (const call of pending.values()) call.reject(Object.assign(new Error(event.message || 'the worker stopped'), { panicked: true }));
    pending.clear();
  };
}

function ask(type, payload = {}, onProgress) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, onProgress });
    worker.postMessage({ id, type, ...payload });
  });
}

// ---- Loading files ---------------------------------------------------------------------------

let queue = Promise.resolve();

function loadFiles(files, format = $('format').value) {
  files = [...files];
  if (!files.length) return queue;
  queue = queue.then(() => loadBatch({ files, format }, true));
  return queue;
}

async function loadBatch(batch, record) {
  showProgress({ read: 0, total: batch.files.reduce((s, f) => s + f.size, 0) });
  try {
    const result = await ask('load', batch, showProgress);
    if (record) state.batches.push(batch);
    addResult(batch, result);
  } catch (error) {
    if (!error.panicked) throw error;
    await recover(batch, error);
  } finally {
    showProgress(null);
  }
}

function addResult(batch, result) {
  for (const file of batch.files) {
    state.files.push({
      name: file.name,
      documents: result.documents.filter((d) => d.file === file.name).length,
      diagnostics: result.diagnostics.filter((d) => d.file === file.name),
    });
  }
  // Diagnostics about files of the batch that are not among its names (none today) still show.
  for (const d of result.documents) state.documents[d.index] = d;
  renderFiles();
  renderList();
  if (state.selected < 0 && state.documents.length) select(initialSelection());
}

// A panic trapped the core: keep what the page shows, throw the worker away, start a fresh one,
// load again what had loaded, then retry the failed drop file by file (files sharing a name stem,
// such as a brat .txt and .ann, stay together) so that only the file at fault is left out.
async function recover(batch, error) {
  await restartWorker();
  if (batch.files.length > 1) {
    for (const files of groupByStem(batch.files)) await loadBatch({ files, format: batch.format }, true);
    return;
  }
  const [file] = batch.files;
  state.files.push({
    name: file.name, documents: 0, crashed: true,
    diagnostics: [{ file: file.name, severity: 'error', message: `litview's core failed on this file (${error.message}). The core was restarted and the other files are still loaded. Please report this file.` }],
  });
  renderFiles();
}

async function restartWorker() {
  worker.terminate();
  for (const call of pending.values()) call.reject(new Error('the core was restarted'));
  pending.clear();
  startWorker();
  const crashed = state.files.filter((f) => f.crashed);
  state.files = [];
  state.documents = [];
  for (const earlier of state.batches) addResult(earlier, await ask('load', earlier));
  state.files.push(...crashed);
  renderFiles();
  renderList();
  if (state.selected >= state.documents.length) state.selected = state.documents.length - 1;
  if (state.selected >= 0) await select(state.selected);
}

function groupByStem(files) {
  const groups = new Map();
  for (const file of files) {
    const stem = file.name.replace(/\.[^.]*$/, '');
    groups.set(stem, [...(groups.get(stem) ?? []), file]);
  }
  return [...groups.values()];
}

function showProgress(progress) {
  const bar = $('progress');
  if (!progress) {
    bar.hidden = true;
    return;
  }
  bar.hidden = false;
  const fraction = progress.total ? progress.read / progress.total : 0;
  bar.querySelector('.progress-fill').style.setProperty('--fraction', fraction);
  bar.querySelector('.progress-text').textContent =
    `Reading ${progress.file ?? 'files'}: ${(progress.read / 1e6).toFixed(1)} of ${(progress.total / 1e6).toFixed(1)} MB`;
}

// ---- Files and diagnostics -------------------------------------------------------------------

const MAX_DIAGNOSTICS_SHOWN = 100;

function renderFiles() {
  const box = $('files');
  box.replaceChildren(...state.files.map((file) => {
    const errors = file.diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = file.diagnostics.length - errors;
    const summary = el('summary', {},
      el('span', { class: 'file-name', text: file.name }),
      el('span', { class: 'file-meta', text: `${file.documents} document${file.documents === 1 ? '' : 's'}` }),
      errors ? el('span', { class: 'badge error', text: `${errors} error${errors === 1 ? '' : 's'}` }) : null,
      warnings ? el('span', { class: 'badge warning', text: `${warnings} warning${warnings === 1 ? '' : 's'}` }) : null);
    const shown = file.diagnostics.slice(0, MAX_DIAGNOSTICS_SHOWN);
    const list = el('ul', { class: 'diagnostics' }, shown.map((d) => el('li', { class: d.severity },
      d.line ? el('span', { class: 'line', text: `line ${d.line}: ` }) : null, d.message)));
    if (file.diagnostics.length > shown.length) {
      list.append(el('li', { class: 'more', text: `… and ${file.diagnostics.length - shown.length} more (litview parse prints them all)` }));
    }
    return el('details', { class: 'file', open: errors > 0 || undefined }, summary, file.diagnostics.length ? list : null);
  }));
}

// ---- The document list: only the visible rows exist in the DOM ---------------------------------

function renderList() {
  const list = $('doc-list');
  const count = state.documents.length;
  $('doc-count').textContent = count ? `${count} document${count === 1 ? '' : 's'}` : 'No documents';
  let spacer = list.querySelector('.spacer');
  if (!spacer) {
    spacer = el('div', { class: 'spacer' });
    list.append(spacer);
  }
  spacer.style.setProperty('--rows', count);
  const first = Math.max(0, Math.floor(list.scrollTop / ROW_HEIGHT) - 5);
  const last = Math.min(count, first + Math.ceil(list.clientHeight / ROW_HEIGHT) + 10);
  const rows = [];
  for (let i = first; i < last; i++) {
    const d = state.documents[i];
    if (!d) continue;
    const row = el('div', {
      class: `doc-row${i === state.selected ? ' selected' : ''}`, role: 'option', id: `doc-${i}`,
      'aria-selected': String(i === state.selected), 'data-index': i, onclick: () => select(i),
    }, el('span', { class: 'doc-row-title', text: d.title || '(untitled)' }),
    el('span', { class: 'doc-row-meta', text: `${d.file} · ${d.format} · ${d.entities} entit${d.entities === 1 ? 'y' : 'ies'}` }));
    row.style.setProperty('--row', i);
    rows.push(row);
  }
  spacer.replaceChildren(...rows);
  if (state.selected >= 0) list.setAttribute('aria-activedescendant', `doc-${state.selected}`);
}

// ---- The selected document ---------------------------------------------------------------------

let viewRequest = 0;

async function select(index) {
  if (index < 0 || index >= state.documents.length) return;
  state.selected = index;
  renderList();
  const request = ++viewRequest;
  const view = await ask('view', { index });
  if (request !== viewRequest) return;
  state.view = view;
  renderDocument();
  history.replaceState(null, '', `#doc=${index}`);
}

function initialSelection() {
  const match = /doc=(\d+)/.exec(location.hash);
  const wanted = match ? Number(match[1]) : 0;
  return wanted < state.documents.length ? wanted : 0;
}

function renderDocument() {
  const view = state.view;
  $('welcome').hidden = true;
  const article = $('document');
  article.hidden = false;
  const toggle = (type) => {
    if (state.hidden.has(type)) state.hidden.delete(type);
    else state.hidden.add(type);
    renderDocument();
  };
  article.replaceChildren(
    citationCard(view),
    legend(view, state.hidden, toggle) ?? '',
    highlightedText(view, state.hidden),
    relationsTable(view) ?? '',
  );
}

// ---- The entity card, on hover and on keyboard focus -------------------------------------------

function showCard(target) {
  const card = $('entity-card');
  const indices = target.dataset.entities.split(' ').map(Number);
  card.replaceChildren(...entityCard(state.view, indices));
  card.hidden = false;
  const box = target.getBoundingClientRect();
  const top = box.bottom + 8 + card.offsetHeight > innerHeight ? box.top - card.offsetHeight - 8 : box.bottom + 8;
  card.style.setProperty('--x', `${Math.max(8, Math.min(box.left, innerWidth - card.offsetWidth - 8))}px`);
  card.style.setProperty('--y', `${Math.max(8, top)}px`);
}

let hideTimer = 0;
function hideCardSoon() {
  clearTimeout(hideTimer);
  hideTimer = setTimeout(() => { $('entity-card').hidden = true; }, 250);
}

function wireEntityCard() {
  const article = $('document');
  const card = $('entity-card');
  const onEnter = (event) => {
    const target = event.target.closest?.('.seg.ent');
    if (!target) return;
    clearTimeout(hideTimer);
    showCard(target);
  };
  article.addEventListener('mouseover', onEnter);
  article.addEventListener('focusin', onEnter);
  article.addEventListener('mouseout', (event) => { if (event.target.closest?.('.seg.ent')) hideCardSoon(); });
  article.addEventListener('focusout', hideCardSoon);
  card.addEventListener('mouseenter', () => clearTimeout(hideTimer));
  card.addEventListener('mouseleave', hideCardSoon);
  document.addEventListener('keydown', (event) => { if (event.key === 'Escape') card.hidden = true; });
}

// ---- Dropping and picking files ----------------------------------------------------------------

function wireDrop() {
  const target = $('drop-target');
  let depth = 0;
  const hasFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
  window.addEventListener('dragenter', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth++;
    target.hidden = false;
  });
  window.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  });
  window.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (!depth) target.hidden = true;
  });
  window.addEventListener('drop', (event) => {
    event.preventDefault();
    depth = 0;
    target.hidden = true;
    loadFiles(event.dataTransfer?.files ?? []);
  });
  $('open').addEventListener('click', () => $('picker').click());
  $('picker').addEventListener('change', (event) => {
    loadFiles(event.target.files);
    event.target.value = '';
  });
}

async function loadExamples() {
  const files = await Promise.all(EXAMPLES.map(async (name) => {
    const response = await fetch(new URL(`./examples/${name}`, import.meta.url));
    return new File([await response.blob()], name, { type: 'text/plain' });
  }));
  await loadFiles(files, 'auto');
}

function wireKeyboard() {
  $('doc-list').addEventListener('keydown', (event) => {
    const step = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 }[event.key];
    if (!step) return;
    event.preventDefault();
    select(Math.max(0, Math.min(state.documents.length - 1, state.selected + step)));
  });
  $('doc-list').addEventListener('scroll', () => requestAnimationFrame(renderList));
}

async function main() {
  startWorker();
  wireDrop();
  wireEntityCard();
  wireKeyboard();
  $('examples').addEventListener('click', loadExamples);
  const select = $('format');
  for (const format of await ask('formats')) select.append(el('option', { value: format.id, text: format.label }));
  document.body.dataset.ready = 'true';
}

main();
