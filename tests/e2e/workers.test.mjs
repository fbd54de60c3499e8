// A big PubTator file is read by several workers at once (one per core but one, or `?workers=N`), each
// from a record boundary. Nothing the person sees may depend on it: the list, the diagnostics'
// lines, the recognized mentions (found across the parts), the corpus overview, search, the
// documents, exports and citations are those of one worker reading the whole file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openPage, SHOTS } from './browser.mjs';

const RECORDS = 60000;

/// About 40 MB of PubTator, made in the page. The first half annotates aspirin, the second half
/// imatinib, so each half's mentions are recognized only with what the other half annotates; a
/// line three quarters in is not an annotation, for a diagnostic with a line number.
async function dropCorpus(page, shot) {
  await page.evaluate((records) => {
    const parts = [];
    for (let i = 1; i <= records; i++) {
      const title = `Aspirin, imatinib and leukemia in record ${i}`;
      parts.push(`${i}|t|${title}\n${i}|a|${'Patients with leukemia received aspirin or imatinib. '.repeat(10)}\n`);
      if (i <= records / 2) parts.push(`${i}\t0\t7\tAspirin\tChemical\tMESH:D001241\n`);
      else parts.push(`${i}\t9\t17\timatinib\tChemical\tMESH:D000068877\n`);
      parts.push(`${i}\t22\t30\tleukemia\tDisease\tMESH:D007938\n`);
      if (i === (records * 3) / 4) parts.push(`${i}\tnot an annotation\n`);
      parts.push('\n');
    }
    const dt = new DataTransfer();
    dt.items.add(new File(parts, 'corpus.pubtator'));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      document.body.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, RECORDS);
  // Once read, the bar says what the page is doing while the corpus is indexed.
  await page.waitForFunction(() => /Recognizing known mentions across 60,000 documents/.test(document.getElementById('progress').textContent), null, { timeout: 120_000 });
  if (shot) await page.screenshot({ path: join(SHOTS, shot) });
  assert.ok(await page.locator('#stop').isHidden(), 'Stop is for reading, and reading is over');
  await page.waitForFunction(() => performance.getEntriesByName('litview:indexed').length > 0, null, { timeout: 120_000 });
  await page.waitForSelector('#progress', { state: 'hidden' });
}

/// What the person sees of the corpus, and the core's answers behind it.
async function observe(page) {
  return page.evaluate(async (records) => {
    const core = window.litviewTest.ask;
    const digest = async (text) => {
      const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
      return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, '0')).join('');
    };
    const exported = await core('export', { writer: 'pubtator', indices: [] });
    return {
      count: document.getElementById('doc-count').textContent,
      files: document.getElementById('files').textContent,
      rows: await core('rows', { indices: [0, records / 2 - 1, records / 2, records - 1] }),
      search: (await core('search', { query: { text: 'imatinib', concepts: ['MESH:D001241'] } })).length,
      overview: await core('overview', { limit: 10 }),
      first: await core('document', { index: 0 }),
      last: await core('document', { index: records - 1 }),
      view: await core('view', { index: records - 2 }),
      export: { names: exported.files.map((f) => f.name), digest: await digest(exported.files.map((f) => f.content).join('')) },
      selection: await digest(JSON.stringify(await core('export', { writer: 'bioc-json', indices: [1, records - 2] }))),
      citations: await digest(await core('cite', { style: 'ris', indices: [] })),
    };
  }, RECORDS);
}

test('a big PubTator file read by two workers shows what one worker shows', async () => {
  const seenBy = {};
  for (const workers of [1, 2]) {
    const { page, seen, close } = await openPage({ hash: `?workers=${workers}&test-hooks` });
    try {
      await dropCorpus(page, workers === 2 ? 'recognizing.png' : null);
      seenBy[workers] = await observe(page);
      if (workers === 2) await page.screenshot({ path: join(SHOTS, 'two-workers.png') });
      assert.deepEqual(seen.errors, []);
      assert.deepEqual(seen.afterLoad.filter((u) => !u.startsWith('blob:')), []);
    } finally {
      await close();
    }
  }
  const [one, two] = [seenBy[1], seenBy[2]];
  assert.match(one.count, /60,?000 documents/);
  // Five lines a record: the bad line is the fifth of record 45,000.
  assert.match(one.files, /1 warning/);
  assert.match(one.files, /line 225000: /, 'the diagnostic names its line');
  // Mentions are recognized across the halves: aspirin in the second, imatinib in the first.
  const inferred = (document, text) => document.annotations.some((a) => a.origin === 'inferred' && a.text === text);
  assert.ok(inferred(one.first, 'imatinib') && inferred(one.last, 'aspirin'));
  assert.deepEqual(two, one);
});
