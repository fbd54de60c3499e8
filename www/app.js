// The page's shell: reads what the user drops, hands it to the core in a worker, and draws what
// the core returns. It knows nothing of formats or offsets.
import { el, linkOut, citationCard, referenceList, legend, highlightedText, entityCard, relationsTable, drawArcs, typeChart } from './render.js';

const $ = (id) => document.getElementById(id);
const ROW_HEIGHT = 58;
const EXAMPLES = [
  '000_f64150ce26b5959b.txt', '001_5452ab4f773b0520.txt', '002_e761f05744a40d98.txt',
  '003_d1ca3af4f330edf7.txt', '004_2ad11577413c318a.txt',
];

const state = {
  batches: [], // {files: File[], format} in the order they were loaded; replayed after a crash
  files: [], // {name, documents, diagnostics, crashed}
  count: 0, // documents loaded
  rows: new Map(), // corpus index -> the list's row, for the rows lately shown; the core has the rest
  selected: -1,
  view: null,
  hidden: new Set(),
  showInferred: true,
  corpusCounts: null,
  sort: null,
  relation: -1,
  query: { text: '', concepts: [], type: null },
  filtered: null, // document indices matching the query, or null for all
  overview: null,
  outputs: { writers: [], styles: [] },
};

// ---- The worker ------------------------------------------------------------------------------

let worker = null;
let nextId = 1;
const pending = new Map();

// How many workers read a big file: the worker's own choice (worker.js) unless the address says
// `?workers=N`. The worker reads it from its name, before it starts any.
const workers = Number(new URLSearchParams(location.search).get('workers')) || 0;

function startWorker() {
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: `litview workers=${workers}` });
  worker.onmessage = ({ data }) => {
    const call = pending.get(data.id);
    if (!call) return;
    if (data.partial) call.onPartial?.(data.partial);
    if (data.progress) call.onProgress?.(data.progress);
    if (data.partial || data.progress) return;
    pending.delete(data.id);
    if (data.ok) call.resolve(data.value);
    else call.reject(Object.assign(new Error(data.message), { panicked: data.panicked }));
  };
  worker.onerror = (event) => {
    for (const call of pending.values()) call.reject(Object.assign(new Error(event.message || 'the worker stopped'), { panicked: true }));
    pending.clear();
  };
}

function ask(type, payload = {}, onProgress, onPartial) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, onProgress, onPartial });
    worker.postMessage({ id, type, ...payload });
  });
}

// ---- Loading files ---------------------------------------------------------------------------

let queue = Promise.resolve();
let firstShown = false;
let firstPending = false; // the drop's first documents are listed but not yet drawn

function loadFiles(files, format = $('format').value) {
  files = [...files];
  if (!files.length) return queue;
  // Marks for the browser benchmark (scripts/bench-browser.mjs): drop, first document, loaded.
  performance.mark('litview:drop');
  firstShown = false;
  queue = queue.then(() => loadBatch({ files, format }, true));
  return queue;
}

async function loadBatch(batch, record) {
  const before = { files: state.files.length, documents: state.count };
  showProgress({ read: 0, total: batch.files.reduce((s, f) => s + f.size, 0) });
  try {
    await ask('load', batch, showProgress, (partial) => addResult(batch, partial));
    if (record) state.batches.push(batch);
    performance.mark('litview:loaded');
    showProgress({ recognizing: state.count });
    await reindex();
  } catch (error) {
    if (!error.panicked) throw error;
    // Forget what this batch had shown; recovery reloads what is known to be good.
    state.files.length = before.files;
    state.count = before.documents;
    state.rows.clear();
    await recover(batch, error);
  } finally {
    showProgress(null);
  }
}

/// Adds what the core read (a whole drop, or the next chunk of a big file) to the file panel and
/// the document list.
function addResult(batch, result) {
  for (const file of batch.files) {
    let entry = state.files.find((f) => f.batch === batch && f.name === file.name);
    if (!entry) {
      entry = { batch, name: file.name, documents: 0, diagnostics: [] };
      state.files.push(entry);
    }
    entry.documents += result.files.find((f) => f.file === file.name)?.documents ?? 0;
    entry.diagnostics.push(...result.diagnostics.filter((d) => d.file === file.name));
  }
  state.count = Math.max(state.count, result.first + result.count);
  if (!firstShown && result.count) {
    firstShown = true;
    firstPending = true;
  }
  renderFiles();
  renderList();
  // While a big file is read, its first document opens at once. A drop read in one go opens its
  // first document once the corpus is indexed, some milliseconds later: drawn once, with the
  // mentions recognized from the other files, rather than drawn again.
  if (state.selected < 0 && state.count && result.streamed) select(initialSelection());
}

/// After a drop: concepts known from any file are recognised in every document, and the
/// corpus counts, the list and the open document follow.
async function reindex() {
  const changed = await ask('infer');
  performance.mark('litview:inferred');
  state.rows.clear();
  state.overview = await ask('overview', { limit: 300 });
  state.corpusCounts = Object.fromEntries(state.overview.types.map((t) => [t.type, t.mentions]));
  // Indexed now; the cores' memory, for the benchmark, is asked for meanwhile.
  const indexedAt = performance.now();
  ask('memory').then((coreBytes) => performance.mark('litview:indexed', { startTime: indexedAt, detail: { coreBytes } }), () => {});
  $('overview-button').hidden = !state.count;
  await applyQuery();
  if (state.selected < 0 && state.count) await select(initialSelection());
  else if (changed.includes(state.selected)) await select(state.selected);
  else if (state.view) renderDocument();
  if (!$('overview').hidden) renderOverview();
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

let testFailOn = null; // set only by the browser tests' hook; a fresh core must be told again

async function restartWorker() {
  worker.terminate();
  for (const call of pending.values()) call.reject(new Error('the core was restarted'));
  pending.clear();
  startWorker();
  if (testFailOn) await ask('fail-on', { name: testFailOn });
  const crashed = state.files.filter((f) => f.crashed);
  state.files = [];
  state.count = 0;
  state.rows.clear();
  for (const earlier of state.batches) await ask('load', earlier, null, (partial) => addResult(earlier, partial));
  if (state.batches.length) await reindex();
  state.files.push(...crashed);
  renderFiles();
  renderList();
  if (state.selected >= state.count) state.selected = state.count - 1;
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

/// 60000 as "60,000". Not `toLocaleString`: its first call loads the browser's locale data, which
/// held the page for some 30 ms right after a drop was read.
const grouped = (n) => String(n).replace(/\B(?=(\d{3})+$)/g, ',');

function showProgress(progress) {
  const bar = $('progress');
  if (!progress) {
    bar.hidden = true;
    return;
  }
  bar.hidden = false;
  // Stop stops reading; recognizing a read corpus is not stopped.
  $('stop').hidden = progress.recognizing != null;
  const fraction = progress.recognizing != null ? 1 : progress.total ? progress.read / progress.total : 0;
  bar.querySelector('.progress-fill').style.setProperty('--fraction', fraction);
  bar.querySelector('.progress-text').textContent = progress.recognizing != null
    ? `Recognizing known mentions across ${grouped(progress.recognizing)} documents`
    : `Reading ${progress.file ?? 'files'}: ${(progress.read / 1e6).toFixed(1)} of ${(progress.total / 1e6).toFixed(1)} MB, ${state.count} documents`;
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

let listRequest = 0;

/// The list's scroll position and height, kept as they change (see `watchList`) rather than read
/// in renderList: read there, after a drop's files and rows were written, they made the browser
/// lay the page out in the middle of the task (20 ms of the seeds' 90), and again for the frame.
const listBox = { top: 0, height: 0 };

function watchList() {
  const list = $('doc-list');
  new ResizeObserver(() => {
    const grew = list.clientHeight > listBox.height;
    listBox.height = list.clientHeight;
    if (grew) renderList();
  }).observe(list);
  list.addEventListener('scroll', () => {
    listBox.top = list.scrollTop;
    requestAnimationFrame(renderList);
  });
}

/// Draws the rows in view, asking the core for those it has not sent yet. A later call that
/// starts before the rows arrive draws instead of this one.
async function renderList() {
  const list = $('doc-list');
  const shown = state.filtered ?? null;
  const count = shown ? shown.length : state.count;
  const total = state.count;
  $('doc-count').textContent = shown
    ? `${count} of ${total} documents`
    : total ? `${total} document${total === 1 ? '' : 's'}` : 'No documents';
  let spacer = list.querySelector('.spacer');
  if (!spacer) {
    spacer = el('div', { class: 'spacer' });
    list.append(spacer);
  }
  spacer.style.setProperty('--rows', count);
  const first = Math.max(0, Math.floor(listBox.top / ROW_HEIGHT) - 5);
  const last = Math.min(count, first + Math.ceil(listBox.height / ROW_HEIGHT) + 10);
  const wanted = [];
  for (let row = first; row < last; row++) wanted.push(shown ? shown[row] : row);
  // Every call counts, so that an earlier call still waiting for its rows never draws over a
  // later one.
  const request = ++listRequest;
  const missing = wanted.filter((i) => !state.rows.has(i));
  if (missing.length) {
    let rows;
    try {
      rows = await ask('rows', { indices: missing });
    } catch {
      return; // the core was restarted; the list is drawn again once it has reloaded
    }
    // Only the rows lately in view are kept, and always those wanted now.
    if (state.rows.size > 2000) {
      const keep = new Set(wanted);
      for (const index of state.rows.keys()) if (!keep.has(index)) state.rows.delete(index);
    }
    for (const row of rows) state.rows.set(row.index, row);
    if (request !== listRequest) return;
  }
  drawRows(spacer, wanted, first);
}

function drawRows(spacer, wanted, first) {
  const rows = [];
  wanted.forEach((i, at) => {
    const d = state.rows.get(i);
    if (!d) return;
    const inferred = d.inferred ? ` · ${d.inferred} inferred` : '';
    const row = el('div', {
      class: `doc-row${i === state.selected ? ' selected' : ''}`, role: 'option', id: `doc-${i}`,
      'aria-selected': String(i === state.selected), 'data-index': i, onclick: () => select(i),
    }, el('span', { class: 'doc-row-title', text: d.title || '(untitled)' }),
    el('span', { class: 'doc-row-meta', text: `${d.file} · ${d.format} · ${d.entities} entit${d.entities === 1 ? 'y' : 'ies'}${inferred}` }));
    row.style.setProperty('--row', first + at);
    rows.push(row);
  });
  spacer.replaceChildren(...rows);
  if (firstPending && rows.length) {
    firstPending = false;
    performance.mark('litview:first-document');
  }
  if (state.selected >= 0) $('doc-list').setAttribute('aria-activedescendant', `doc-${state.selected}`);
}

// ---- The selected document ---------------------------------------------------------------------

let viewRequest = 0;

async function select(index) {
  if (index < 0 || index >= state.count) return;
  state.selected = index;
  renderList();
  const request = ++viewRequest;
  const view = await ask('view', { index });
  if (request !== viewRequest) return;
  state.view = view;
  state.relation = -1;
  state.sort = null;
  renderDocument();
  saveHash();
}

// The URL hash keeps the selected document and the type toggles: reloading, or sharing the link
// with the same files, restores the view.
function saveHash() {
  const params = new URLSearchParams();
  if (state.selected >= 0) params.set('doc', state.selected);
  if (state.hidden.size) params.set('hide', [...state.hidden].join(','));
  if (!state.showInferred) params.set('inferred', 'off');
  history.replaceState(null, '', `#${params}`);
}

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  state.hidden = new Set((params.get('hide') ?? '').split(',').filter(Boolean));
  state.showInferred = params.get('inferred') !== 'off';
  const doc = Number(params.get('doc'));
  return Number.isInteger(doc) && doc >= 0 ? doc : 0;
}

function initialSelection() {
  const wanted = readHash();
  return wanted < state.count ? wanted : 0;
}

function renderDocument() {
  const view = state.view;
  if (!view) return;
  $('welcome').hidden = true;
  $('overview').hidden = true;
  const article = $('document');
  article.hidden = false;
  const toggle = (type) => {
    if (state.hidden.has(type)) state.hidden.delete(type);
    else state.hidden.add(type);
    refresh(`.legend-item[data-type="${CSS.escape(type)}"]`);
  };
  const only = (type) => {
    const types = view.legend.map((e) => e.type);
    const alone = types.every((t) => t === type || state.hidden.has(t)) && !state.hidden.has(type);
    state.hidden = new Set(alone ? [] : types.filter((t) => t !== type));
    refresh(`.legend-only[data-only="${CSS.escape(type)}"]`);
  };
  const hasInferred = view.entities.some((e) => e.inferred);
  const inferredToggle = hasInferred ? el('label', { class: 'inferred-toggle' },
    el('input', { type: 'checkbox', id: 'show-inferred', checked: state.showInferred || undefined, onchange: (e) => { state.showInferred = e.target.checked; refresh('#show-inferred'); } }),
    ' show concepts litview recognised from other documents (dashed)') : null;
  $('document').querySelector('.doc-text')?.dispose();
  const text = highlightedText(view, state.hidden, state.showInferred);
  // The title (highlighted when annotated) heads the page, then the card, then the rest.
  const title = text.querySelector('.passage[data-kind="title"]');
  const card = citationCard(view, citeActions());
  const legendBar = el('div', { class: 'legend-bar' }, legend(view, state.hidden, state.corpusCounts, toggle, only) ?? '', inferredToggle ?? '');
  if (title) title.after(card, legendBar);
  article.replaceChildren(
    ...(title ? [] : [card, legendBar]),
    text,
    relationsTable(view, state.sort, sortRelations, state.relation, selectRelation) ?? '',
    referenceList(view, select) ?? '',
  );
  requestAnimationFrame(() => drawArcs(text, arcs()));
  // A long document draws its passages' marks as they come near (render.js): arcs follow.
  let arcsQueued = false;
  text.addEventListener('drawn', () => {
    if (arcsQueued) return;
    arcsQueued = true;
    requestAnimationFrame(() => {
      arcsQueued = false;
      drawArcs(text, arcs());
    });
  });
  performance.mark('litview:rendered');
}

/// Re-renders after a toggle, keeping keyboard focus on the control that was used.
function refresh(focusSelector) {
  renderDocument();
  saveHash();
  if (focusSelector) $('document').querySelector(focusSelector)?.focus();
}

function sortRelations(column) {
  state.sort = state.sort?.column === column ? { column, direction: -state.sort.direction } : { column, direction: 1 };
  refresh(`.relations th:nth-child(${column + 1}) button`);
}

function selectRelation(index) {
  state.relation = state.relation === index ? -1 : index;
  refresh(`.relations tr[data-relation="${index}"]`);
}

/// The arcs to draw: the selected relation's, or the relations of the pinned entity. A relation
/// between concepts is drawn between the two nearest mentions of them (from the pinned mention
/// itself when there is one), so the line stays short.
function arcs() {
  const view = state.view;
  const mentionsOf = (arg) => {
    if (arg.entity == null) return [];
    const concept = view.entities[arg.entity].concepts.some((c) => c.id === arg.target);
    if (!concept) return [arg.entity];
    return view.entities.map((e, i) => [e, i]).filter(([e]) => e.concepts.some((c) => c.id === arg.target)).map(([, i]) => i);
  };
  const at = (i) => view.entities[i].spans[0][0];
  const pairsOf = (r, from) => {
    const [first, ...rest] = r.args.map(mentionsOf);
    const starts = from != null && first?.includes(from) ? [from] : first ?? [];
    const pairs = [];
    for (const others of rest) {
      let best = null;
      for (const a of starts) for (const b of others) {
        const distance = Math.abs(at(a) - at(b));
        if (a !== b && (!best || distance < best.distance)) best = { from: a, to: b, label: r.type, distance };
      }
      if (best) pairs.push(best);
    }
    return pairs;
  };
  if (state.relation >= 0) return pairsOf(view.relations[state.relation]);
  if (pinned != null) {
    const concepts = new Set(view.entities[pinned].concepts.map((c) => c.id));
    const id = view.entities[pinned].id;
    const involved = view.relations.filter((r) => r.args.some((a) => a.target === id || concepts.has(a.target)));
    return involved.flatMap((r) => {
      // Put the pinned mention's argument first, so the arc starts at it.
      const mine = r.args.findIndex((a) => a.target === id || concepts.has(a.target));
      const args = [r.args[mine], ...r.args.filter((_, i) => i !== mine)];
      return pairsOf({ ...r, args }, pinned);
    });
  }
  return [];
}

// ---- Citing and exporting ------------------------------------------------------------------------

function citeActions() {
  const status = el('span', { class: 'status', role: 'status', 'aria-live': 'polite' });
  return el('div', { class: 'cite-actions' }, el('span', { class: 'cite-label', text: 'Copy citation:' }),
    state.outputs.styles.map((style) => el('button', {
      type: 'button', class: 'copy-cite', 'data-style': style.id, text: style.label,
      onclick: async () => {
        const text = await ask('cite', { style: style.id, indices: [state.selected] });
        const copied = await copyText(text);
        status.textContent = copied ? `Copied the ${style.label} citation` : `Could not reach the clipboard; the ${style.label} citation is selected below`;
        if (!copied) status.append(el('textarea', { class: 'copy-fallback', readonly: true, text }));
      },
    })), status);
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

function download(name, content, type = 'text/plain') {
  const url = URL.createObjectURL(new Blob([content], { type: `${type};charset=utf-8` }));
  const link = el('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/// The export menu: citations of every loaded work, and annotations of the current document or
/// of the whole corpus, in every format the core writes. Files are made here and downloaded;
/// nothing leaves the computer.
function renderExportMenu() {
  const menu = $('export-menu');
  const styles = state.outputs.styles.filter((s) => ['bibtex', 'ris', 'csl-json'].includes(s.id));
  const extension = { bibtex: 'bib', ris: 'ris', 'csl-json': 'json' };
  const run = async (action) => {
    menu.closest('details').open = false;
    await action();
  };
  menu.replaceChildren(...[
    el('p', { class: 'menu-head', text: 'Citations of every loaded work' }),
    styles.map((style) => el('button', {
      type: 'button', 'data-export': `cite-${style.id}`, text: style.label,
      onclick: () => run(async () => download(`litview-citations.${extension[style.id]}`, await ask('cite', { style: style.id, indices: [] }))),
    })),
    el('p', { class: 'menu-head', text: 'Annotations' }),
    state.outputs.writers.map((writer) => el('span', { class: 'menu-row' }, el('span', { class: 'menu-label', text: writer.label }),
      el('button', { type: 'button', 'data-export': `${writer.id}-document`, text: 'this document', onclick: () => run(() => exportAnnotations(writer, [state.selected])) }),
      el('button', { type: 'button', 'data-export': `${writer.id}-corpus`, text: 'all documents', onclick: () => run(() => exportAnnotations(writer, [])) }))),
  ].flat());
}

async function exportAnnotations(writer, indices) {
  if (indices.some((i) => i < 0)) return;
  const written = await ask('export', { writer: writer.id, indices });
  for (const file of written.files) download(file.name, file.content);
  if (written.diagnostics.length) {
    state.files.push({ name: `export (${writer.label})`, documents: 0, diagnostics: written.diagnostics });
    renderFiles();
  }
}

// ---- The entity card, on hover, click and keyboard focus ----------------------------------------

let pinned = null; // the entity whose card stays open after a click

function showCard(target) {
  const card = $('entity-card');
  const indices = target.dataset.entities.split(' ').map(Number);
  // Every piece of the innermost mention lights up together: both fragments of a discontinuous
  // one, and the parts a nested mention cuts it into.
  for (const lit of document.querySelectorAll('.seg.ent.lit')) lit.classList.remove('lit');
  for (const piece of document.querySelectorAll(`.seg.ent[data-entities~="${indices.at(-1)}"]`)) piece.classList.add('lit');
  card.replaceChildren(...entityCard(state.view, indices, stepTo));
  card.hidden = false;
  const box = target.getBoundingClientRect();
  const top = box.bottom + 8 + card.offsetHeight > innerHeight ? box.top - card.offsetHeight - 8 : box.bottom + 8;
  card.style.setProperty('--x', `${Math.max(8, Math.min(box.left, innerWidth - card.offsetWidth - 8))}px`);
  card.style.setProperty('--y', `${Math.max(8, top)}px`);
}

/// Scrolls to a mention, focuses it and shows its card: "all mentions of this concept".
function stepTo(entity) {
  $('document').querySelector('.doc-text')?.drawEntity(entity);
  const target = $('document').querySelector(`.seg.ent[data-entities~="${entity}"]`);
  if (!target) return;
  pinned = entity;
  target.scrollIntoView({ block: 'center' });
  target.focus({ preventScroll: true });
  showCard(target);
  drawArcs($('document').querySelector('.doc-text'), arcs());
}

let hideTimer = 0;
function hideCardSoon() {
  clearTimeout(hideTimer);
  hideTimer = setTimeout(() => {
    if (pinned != null) return;
    $('entity-card').hidden = true;
    for (const lit of document.querySelectorAll('.seg.ent.lit')) lit.classList.remove('lit');
  }, 250);
}

function wireEntityCard() {
  const article = $('document');
  const card = $('entity-card');
  const onEnter = (event) => {
    const target = event.target.closest?.('.seg.ent');
    if (!target || pinned != null) return;
    clearTimeout(hideTimer);
    showCard(target);
  };
  article.addEventListener('mouseover', onEnter);
  article.addEventListener('focusin', (event) => {
    const target = event.target.closest?.('.seg.ent');
    if (!target) return;
    clearTimeout(hideTimer);
    showCard(target);
  });
  article.addEventListener('click', (event) => {
    const target = event.target.closest?.('.seg.ent');
    if (!target) return;
    pinned = Number(target.dataset.entities.split(' ').at(-1));
    showCard(target);
    drawArcs(article.querySelector('.doc-text'), arcs());
  });
  article.addEventListener('mouseout', (event) => { if (event.target.closest?.('.seg.ent')) hideCardSoon(); });
  article.addEventListener('focusout', (event) => { if (!card.contains(event.relatedTarget)) hideCardSoon(); });
  card.addEventListener('mouseenter', () => clearTimeout(hideTimer));
  card.addEventListener('mouseleave', hideCardSoon);
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    pinned = null;
    card.hidden = true;
    drawArcs(article.querySelector('.doc-text') ?? article, arcs());
  });
  document.addEventListener('click', (event) => {
    // The path, not the target: a step button is replaced while its click is still travelling.
    if (pinned == null || event.composedPath().includes(card) || event.target.closest?.('.seg.ent')) return;
    pinned = null;
    card.hidden = true;
    const text = article.querySelector('.doc-text');
    if (text) drawArcs(text, arcs());
  });
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

/// Next or previous document in the list as shown (filtered or not).
function stepDocument(step) {
  const order = state.filtered;
  const length = order ? order.length : state.count;
  if (!length) return;
  const at = order ? order.indexOf(state.selected) : state.selected;
  const position = Math.max(0, Math.min(length - 1, at < 0 ? 0 : at + step));
  const next = order ? order[position] : position;
  select(next);
  const list = $('doc-list');
  const row = position * ROW_HEIGHT;
  if (row < list.scrollTop || row > list.scrollTop + list.clientHeight - ROW_HEIGHT) list.scrollTop = row - list.clientHeight / 2;
}

// ---- Search, filters and the corpus overview -------------------------------------------------------

/// The search box takes words (title and text), concept ids (`MESH:C510808`, or any id the
/// corpus has) and `type:Gene`; the filter chips add concepts and a type.
function parseSearch(text) {
  const known = new Set((state.overview?.concepts ?? []).map((c) => c.id.toLowerCase()));
  const words = [];
  const concepts = [];
  let type = null;
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const typed = /^type:(.+)$/i.exec(token);
    if (typed) type = typed[1];
    else if (/^[A-Za-z][\w.#-]*:\S+$/.test(token) || known.has(token.toLowerCase())) concepts.push(token);
    else words.push(token);
  }
  return { text: words.join(' '), concepts, type };
}

async function applyQuery() {
  const q = state.query;
  const typed = parseSearch(q.text);
  const concepts = [...new Set([...q.concepts, ...typed.concepts])];
  const type = q.type ?? typed.type;
  const active = typed.text || concepts.length || type;
  state.filtered = active ? await ask('search', { query: { text: typed.text, concepts, type: type ?? undefined } }) : null;
  renderFilters();
  renderList();
}

function renderFilters() {
  const chips = [
    ...state.query.concepts.map((id) => ({ label: `mentions ${conceptName(id)}`, remove: () => { state.query.concepts = state.query.concepts.filter((c) => c !== id); } })),
    ...(state.query.type ? [{ label: `has ${state.query.type}`, remove: () => { state.query.type = null; } }] : []),
  ];
  $('filters').replaceChildren(...chips.map((chip) => el('button', {
    type: 'button', class: 'chip', title: 'Remove this filter', onclick: async () => { chip.remove(); await applyQuery(); },
  }, chip.label, ' ×')));
}

function conceptName(id) {
  const row = state.overview?.concepts.find((c) => c.id === id);
  return row?.names[0] ? `${row.names[0].name} (${id})` : id;
}

function addConceptFilter(id) {
  if (!state.query.concepts.includes(id)) state.query.concepts.push(id);
  applyQuery();
}

function renderOverview() {
  const box = $('overview');
  const o = state.overview;
  if (!o) return;
  const rows = o.concepts.map((c) => el('tr', {},
    el('td', {}, el('code', { text: c.id })),
    el('td', { text: c.type }),
    el('td', { text: c.names.slice(0, 4).map((n) => n.name).join(', ') }),
    el('td', { class: 'num', text: String(c.documents) }),
    el('td', { class: 'num', text: c.inferred ? `${c.mentions} (${c.inferred} inferred)` : String(c.mentions) }),
    el('td', {}, el('button', { type: 'button', class: 'link-button', 'data-concept': c.id, text: 'filter', title: 'List only the documents that mention this concept', onclick: () => addConceptFilter(c.id) }))));
  box.replaceChildren(
    el('header', { class: 'overview-head' }, el('h2', { text: 'The loaded corpus' }),
      el('button', { type: 'button', onclick: () => { box.hidden = true; if (state.view) $('document').hidden = false; }, text: 'Back to the document' })),
    el('p', { class: 'muted', text: `${state.count} documents, ${o.total_concepts} concepts. Bars: mentions per entity type (the lighter part was recognised by litview from other documents).` }),
    typeChart(o.types, (type) => { state.query.type = type; applyQuery(); }),
    el('h3', { text: `Concepts (the ${o.concepts.length} most widespread)` }),
    el('table', { class: 'concept-table' },
      el('thead', {}, el('tr', {}, ['Concept', 'Type', 'Names seen', 'Documents', 'Mentions', ''].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, rows)));
}

function wireSearch() {
  let timer = 0;
  $('search').addEventListener('input', (event) => {
    clearTimeout(timer);
    timer = setTimeout(() => { state.query.text = event.target.value; applyQuery(); }, 150);
  });
  $('overview-button').addEventListener('click', () => {
    renderOverview();
    $('overview').hidden = false;
    $('document').hidden = true;
    $('welcome').hidden = true;
  });
}

function wireKeyboard() {
  // Printing a long document prints all of it, marks included.
  addEventListener('beforeprint', () => document.querySelector('.doc-text')?.drawAll());
  // j / k: next and previous document; n / p: next and previous entity in the text.
  document.addEventListener('keydown', (event) => {
    if (event.target.closest?.('input, select, textarea') || event.ctrlKey || event.metaKey || event.altKey) return;
    const docStep = { j: 1, k: -1 }[event.key];
    if (docStep && state.count) {
      stepDocument(docStep);
      return;
    }
    const entityStep = { n: 1, p: -1 }[event.key];
    if (!entityStep) return;
    // A long document draws the passages next to the focused mark first, and the far end
    // before wrapping around to it (render.js).
    const text = document.querySelector('.doc-text');
    text?.drawAround(document.activeElement);
    let marks = [...document.querySelectorAll('.doc-text .seg.ent[tabindex="0"]')];
    const wraps = (at) => at + entityStep < 0 || at + entityStep >= marks.length;
    if (wraps(marks.indexOf(document.activeElement))) {
      text?.drawEdge(entityStep);
      marks = [...document.querySelectorAll('.doc-text .seg.ent[tabindex="0"]')];
    }
    if (!marks.length) return;
    const at = marks.indexOf(document.activeElement);
    const next = marks[(at + entityStep + marks.length) % marks.length];
    next.focus();
    next.scrollIntoView({ block: 'nearest' });
  });
  $('doc-list').addEventListener('keydown', (event) => {
    const step = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 }[event.key];
    if (!step) return;
    event.preventDefault();
    stepDocument(step);
  });
  watchList();
}

async function main() {
  startWorker();
  wireDrop();
  wireEntityCard();
  wireKeyboard();
  wireSearch();
  $('examples').addEventListener('click', loadExamples);
  $('stop').addEventListener('click', () => worker.postMessage({ type: 'stop' }));
  const select = $('format');
  for (const format of await ask('formats')) select.append(el('option', { value: format.id, text: format.label }));
  state.outputs = await ask('outputs');
  renderExportMenu();
  // Works offline once loaded: the service worker keeps the page's own files.
  if ('serviceWorker' in navigator && location.protocol !== 'file:') {
    try {
      await navigator.serviceWorker.register('./sw.js');
      await navigator.serviceWorker.ready;
    } catch {
      // Offline use is a bonus; the page works without it (e.g. in a private window).
    }
  }
  // The browser tests reach the core's failure path through this hook, only when asked for.
  if (new URLSearchParams(location.search).has('test-hooks')) {
    window.litviewTest = {
      failOn: (name) => {
        testFailOn = name;
        return ask('fail-on', { name });
      },
      // The core's answers as the page gets them, to compare two ways of reading one file.
      ask: (type, payload) => ask(type, payload),
    };
  }
  document.body.dataset.ready = 'true';
}

main();
