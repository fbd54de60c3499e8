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
  const dist = join(ROOT, 'dist');
  const files = ['litview_bg.wasm', 'litview.js', 'app.js', 'render.js', 'worker.js', 'sw.js', 'style.css', 'index.html'];
  const rows = files.map((name) => {
    const body = readFileSync(join(dist, name));
    return { name, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length };
  });
  return { rows, total: rows.reduce((s, r) => s + r.gzip, 0) };
}

async function withPage(run) {
  const server = await serve(join(ROOT, 'dist'), 0);
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
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector('body[data-ready="true"]');
  try {
    return await run(page, profile);
  } finally {
    await context.close();
    server.close();
  }
}

/// Resident memory of each renderer process of this browser profile, by process id.
function renderers(profile) {
  const out = execFileSync('ps', ['-eo', 'pid=,rss=,args='], { encoding: 'utf8' });
  return new Map(out.split('\n').filter((l) => l.includes(profile) && l.includes('--type=renderer'))
    .map((l) => l.trim().split(/\s+/)).map(([pid, rss]) => [pid, Number(rss) * 1024]));
}

/// The tab's memory: the renderer process that holds the page and its worker, told from the
/// profile's other renderers (the blank first page's, a spare one Chromium keeps ready) as the
/// one that grew while the file loaded. Also the sum over all of them.
function tabMemory(before, after) {
  let [tab, growth] = [null, -Infinity];
  for (const [pid, rss] of after) {
    if (rss - (before.get(pid) ?? 0) > growth) [tab, growth] = [pid, rss - (before.get(pid) ?? 0)];
  }
  return { tab: after.get(tab) ?? 0, before: before.get(tab) ?? 0, all: [...after.values()].reduce((a, b) => a + b, 0) };
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
    await page.waitForFunction(() => performance.getEntriesByName('litview:indexed').length > 0, null, { timeout: 600_000 });
    const figures = await marks(page);
    await page.waitForTimeout(500);
    const memory = tabMemory(before, renderers(profile));
    figures.memory = memory.tab;
    figures.memoryBefore = memory.before;
    figures.renderers = memory.all;
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
      await page.waitForFunction(() => performance.getEntriesByName('litview:rendered').length > 0 && document.querySelectorAll('.doc-row').length === 5);
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
const section = `<!-- browser:start -->
## Browser

Measured by \`node scripts/bench-browser.mjs\` (after \`scripts/build.sh\`) on ${result.date.slice(0, 10)}: the release page
in headless Chromium, figures from the page's own \`performance\` marks (\`litview:drop\`, \`litview:first-document\`,
\`litview:loaded\`, \`litview:rendered\`), long tasks from a \`longtask\` PerformanceObserver, memory as the resident
size of the tab's renderer process (page and worker; told from the profile's other renderer processes as
the one that grew while the file loaded). The longest main-thread task is the largest gap
between ticks of a 5 ms timer (this Chromium reports no \`longtask\` entries). Machine: ${machine}.

| figure | target | measured |
|---|---|---|
| ${mb(size)} PubTator corpus: first document listed | < 1 s | ${ms(big.first)} |
| the same: whole corpus read and listed (${big.documents} documents) | | ${ms(big.loaded)} |
| the same: whole corpus indexed (concepts recognised across documents, corpus index) | < 3 s | ${ms(big.indexed)} |
| of which recognizing the corpus's concepts in every document (from read to recognized) | | ${ms(big.inferred - big.loaded)} |
| the same: longest main-thread task | < 100 ms | ${ms(big.longest)} |
| the same: tab memory | < 3 × file = ${mb(3 * size)} | ${mb(big.memory)} (${(big.memory / size).toFixed(2)} × file) |
| of which the tab's before the drop (Chromium, the page, the worker, the compiled core) | | ${mb(big.memoryBefore)} |
| of which the core's memory (the wasm instance's, at its peak) | | ${mb(big.core)} (${(big.core / size).toFixed(2)} × file) |
| and the page's JavaScript heap (the document list, the views) | | ${mb(big.heap)} |
| all the profile's renderer processes (the tab's, the blank first page's, Chromium's spare) | | ${mb(big.renderers)} |
| five seeds: drop to fully rendered (median of 5) | < 100 ms | ${ms(small.rendered)} |

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
