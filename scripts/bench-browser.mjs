// The browser benchmark: the release page in headless Chromium (the same as the tests), figures
// read from the page's own performance marks. Writes target/bench/browser.json and the
// "Browser" and "Page weight" sections of BENCHMARKS.md.
//   node scripts/bench-browser.mjs            (after scripts/build.sh)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { serve } from './static-server.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'target', 'bench');
// LITVIEW_DIST=dir measures another build of the page, to compare two builds run by turns on this
// shared machine (only runs side by side compare); by default, scripts/build.sh's.
const DIST = process.env.LITVIEW_DIST ?? join(ROOT, 'dist');
mkdirSync(OUT, { recursive: true });

// 1. The 100 MB corpus: the PubTator corpora of ../shared/data, concatenated until 100 MB.
function corpus100() {
  const file = join(OUT, 'corpus100.pubtator');
  if (existsSync(file) && statSync(file).size >= 100e6) return file;
  const dir = join(ROOT, '..', 'shared', 'data', 'pubtator');
  const sources = [];
  const walk = (d) => readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(join(d, e.name)) : sources.push(join(d, e.name))));
  walk(dir);
  const parts = sources.sort().map((f) => readFileSync(f));
  const fd = createWriteStream(file);
  let size = 0;
  while (size < 100e6) for (const part of parts) { fd.write(part); fd.write('\n\n'); size += part.length + 2; }
  fd.end();
  return new Promise((done) => fd.on('finish', () => done(file)));
}

// 2. The page's weight: what a visitor downloads, gzipped.
function pageWeight() {
  const dist = DIST;
  const files = ['litview_bg.wasm', 'litview.js', 'app.js', 'render.js', 'worker.js', 'shards.js', 'sw.js', 'style.css', 'index.html'];
  const rows = files.map((name) => {
    const body = readFileSync(join(dist, name));
    return { name, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length };
  });
  return { rows, total: rows.reduce((s, r) => s + r.gzip, 0) };
}

async function withPage(run) {
  const server = await serve(DIST, 0);
  const profile = mkdtempSync(join(tmpdir(), 'litview-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-precise-memory-info'],
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? await context.newPage();
  // The longest main-thread task, seen as the largest gap between ticks of a 5 ms timer (headless
  // Chromium here reports no 'longtask' entries, even for a 200 ms busy loop).
  await page.addInitScript(() => {
    window.__longTasks = [];
    let last = performance.now();
    const tick = () => {
      const now = performance.now();
      window.__longTasks.push(now - last - 5);
      last = now;
      setTimeout(tick, 5);
    };
    setTimeout(tick, 5);
  });
  // LITVIEW_WORKERS=N measures the page read by N workers (`?workers=N`); by default, its own choice.
  await page.goto(`http://127.0.0.1:${server.address().port}/${process.env.LITVIEW_WORKERS ? `?workers=${process.env.LITVIEW_WORKERS}` : ''}`);
  await page.waitForSelector('body[data-ready="true"]');
  try {
    return await run(page, profile);
  } finally {
    await context.close();
    server.close();
  }
}

/// The renderer processes of this browser profile, by process id, each with its memory from
/// /proc: `rss`, everything resident, and `footprint`, what Chromium's task manager shows as a
/// tab's "Memory footprint" (resident anonymous memory and swap: the shared library and font
/// pages every Chromium process maps are not the tab's).
function renderers(profile) {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  const pids = out.split('\n').filter((l) => l.includes(profile) && l.includes('--type=renderer')).map((l) => l.trim().split(/\s+/)[0]);
  const memory = new Map();
  for (const pid of pids) {
    let status;
    try { status = readFileSync(`/proc/${pid}/status`, 'utf8'); } catch { continue; }
    const kb = (field) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0) * 1024;
    memory.set(pid, { rss: kb('VmRSS'), footprint: kb('RssAnon') + kb('VmSwap') });
  }
  return memory;
}

/// Samples the renderers every 100 ms until `done` settles, keeping each process's peak.
async function sampled(profile, done) {
  const peaks = new Map();
  const sample = () => {
    for (const [pid, m] of renderers(profile)) {
      const peak = peaks.get(pid) ?? { rss: 0, footprint: 0 };
      peaks.set(pid, { rss: Math.max(peak.rss, m.rss), footprint: Math.max(peak.footprint, m.footprint) });
    }
  };
  const timer = setInterval(sample, 100);
  try {
    return [await done, peaks];
  } finally {
    clearInterval(timer);
    sample();
  }
}

/// The tab's memory: the renderer process that holds the page and its worker, told from the
/// profile's other renderers (the blank first page's, a spare one Chromium keeps ready) as the
/// one that grew while the file loaded. Its peak while loading, and after; the sum over all.
function tabMemory(before, peaks, after) {
  let [tab, growth] = [null, -Infinity];
  for (const [pid, m] of after) {
    const grew = m.rss - (before.get(pid)?.rss ?? 0);
    if (grew > growth) [tab, growth] = [pid, grew];
  }
  const none = { rss: 0, footprint: 0 };
  const sum = (key) => [...after.values()].reduce((a, m) => a + m[key], 0);
  return { before: before.get(tab) ?? none, peak: peaks.get(tab) ?? none, after: after.get(tab) ?? none, all: { rss: sum('rss'), footprint: sum('footprint') } };
}

const marks = (page) => page.evaluate(() => {
  const at = (name) => performance.getEntriesByName(name).at(-1)?.startTime;
  const drop = at('litview:drop');
  return {
    first: at('litview:first-document') - drop,
    loaded: at('litview:loaded') - drop,
    indexed: (at('litview:indexed') ?? NaN) - drop,
    inferred: (at('litview:inferred') ?? NaN) - drop,
    rendered: (at('litview:rendered') ?? NaN) - drop,
    longest: window.__longTasks.reduce((a, b) => Math.max(a, b), 0),
    core: performance.getEntriesByName('litview:indexed').at(-1)?.detail?.coreBytes ?? NaN,
    heap: performance.memory?.usedJSHeapSize ?? NaN,
  };
});

async function bigCorpus(file) {
  return withPage(async (page, profile) => {
    await page.waitForTimeout(300);
    await page.evaluate(() => { window.__longTasks.length = 0; });
    const before = renderers(profile);
    await page.setInputFiles('#picker', file);
    const [figures, peaks] = await sampled(profile, page.waitForFunction(() => performance.getEntriesByName('litview:indexed').length > 0, null, { timeout: 600_000 }).then(() => marks(page)));
    await page.waitForTimeout(500);
    figures.memory = tabMemory(before, peaks, renderers(profile));
    figures.documents = Number((await page.textContent('#doc-count')).replace(/\D/g, ''));
    return figures;
  });
}

async function seeds() {
  const files = readdirSync(join(ROOT, 'www', 'examples')).filter((f) => f.endsWith('.txt')).map((f) => join(ROOT, 'www', 'examples', f));
  const runs = [];
  for (let i = 0; i < 5; i++) {
    runs.push(await withPage(async (page) => {
      await page.setInputFiles('#picker', files);
      // Fully rendered: the document drawn once the corpus is indexed, with the mentions
      // recognized from the other files and the corpus's counts in its legend. (Taken as
      // whichever draw had happened when a poll saw the first one, it was sometimes a draw
      // before indexing, which the page then drew again; BENCHMARKS.md, ninth round.)
      await page.waitForFunction(() => {
        const indexed = performance.getEntriesByName('litview:indexed').at(-1);
        const rendered = performance.getEntriesByName('litview:rendered').at(-1);
        return indexed && rendered?.startTime >= indexed.startTime && document.querySelectorAll('.doc-row').length === 5;
      });
      return marks(page);
    }));
  }
  const median = (k) => runs.map((r) => r[k]).sort((a, b) => a - b)[2];
  return { rendered: median('rendered'), first: median('first'), longest: median('longest') };
}

const file = await corpus100();
const size = statSync(file).size;
const big = await bigCorpus(file);
const small = await seeds();
const weight = pageWeight();
const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Chromium ${execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim()}; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`;
const result = { date: new Date().toISOString(), machine, file: { bytes: size }, big, seeds: small, weight };
writeFileSync(join(OUT, 'browser.json'), JSON.stringify(result, null, 2));

const ms = (x) => `${Math.round(x)} ms`;
const mb = (x) => `${(x / 1e6).toFixed(1)} MB`;
const kb = (x) => `${(x / 1024).toFixed(1)} KB`;
const m = big.memory;
const section = `<!-- browser:start -->
## Browser

Measured by \`${process.env.LITVIEW_WORKERS ? `LITVIEW_WORKERS=${process.env.LITVIEW_WORKERS} ` : ''}node scripts/bench-browser.mjs\` (after \`scripts/build.sh\`) on ${result.date.slice(0, 10)}, the big file read by ${process.env.LITVIEW_WORKERS ? `${process.env.LITVIEW_WORKERS} worker(s) (\`?workers=N\`)` : 'the page\'s own number of workers (two on two cores, else one per core but one)'}: the release page
in headless Chromium, figures from the page's own \`performance\` marks (\`litview:drop\`, \`litview:first-document\`,
\`litview:loaded\`, \`litview:rendered\`), long tasks from a \`longtask\` PerformanceObserver, memory from /proc for the tab's
renderer process (page and worker; told from the profile's other renderer processes as the one that grew while
the file loaded), sampled every 100 ms: its memory footprint is resident anonymous memory and swap, what
Chromium's task manager shows for a tab. The longest main-thread task is the largest gap
between ticks of a 5 ms timer (this Chromium reports no \`longtask\` entries). Machine: ${machine}.

| figure | target | measured |
|---|---|---|
| ${mb(size)} PubTator corpus: first document listed | < 1 s | ${ms(big.first)} |
| the same: whole corpus read and listed (${big.documents} documents) | | ${ms(big.loaded)} |
| the same: whole corpus indexed (concepts recognised across documents, corpus index) | < 3 s | ${ms(big.indexed)} |
| of which recognizing the corpus's concepts in every document (from read to recognized) | | ${ms(big.inferred - big.loaded)} |
| the same: longest main-thread task | < 100 ms | ${ms(big.longest)} |
| the same: tab memory, its peak while the file loads (the tab's memory footprint, as Chromium's task manager counts it) | < 3 × file = ${mb(3 * size)} | ${mb(m.peak.footprint)} (${(m.peak.footprint / size).toFixed(2)} × file) |
| the same, once indexed | | ${mb(m.after.footprint)} (${(m.after.footprint / size).toFixed(2)} × file) |
| of which the tab's before the drop (Chromium, the page, the worker, the compiled core) | | ${mb(m.before.footprint)} |
| of which the core's memory (the wasm instance's size, at its peak; pages never written take no memory) | | ${mb(big.core)} (${(big.core / size).toFixed(2)} × file) |
| and the page's JavaScript heap (the document list, the views) | | ${mb(big.heap)} |
| the tab's resident size, with the shared library and font pages every Chromium process maps: peak, once indexed, before the drop | | ${mb(m.peak.rss)}, ${mb(m.after.rss)}, ${mb(m.before.rss)} |
| all the profile's renderer processes, resident (the tab's, the blank first page's, Chromium's spare) | | ${mb(m.all.rss)} |
| five seeds: drop to fully rendered (the first document drawn once the five are indexed; median of 5) | < 100 ms | ${ms(small.rendered)} |

## Page weight

What a visitor downloads, gzipped (level 9), measured by the same script on \`dist/\`:

| file | bytes | gzipped |
|---|---|---|
${weight.rows.map((r) => `| \`${r.name}\` | ${r.bytes} | ${kb(r.gzip)} |`).join('\n')}
| **total** | | **${kb(weight.total)}** (budget 350 KB) |
<!-- browser:end -->`;

const benchmarks = join(ROOT, 'BENCHMARKS.md');
let doc = existsSync(benchmarks) ? readFileSync(benchmarks, 'utf8') : '# Benchmarks\n';
doc = /<!-- browser:start -->[\s\S]*<!-- browser:end -->/.test(doc)
  ? doc.replace(/<!-- browser:start -->[\s\S]*<!-- browser:end -->/, section)
  : `${doc.trimEnd()}\n\n${section}\n`;
writeFileSync(benchmarks, doc);
console.log(JSON.stringify(result, null, 2));
