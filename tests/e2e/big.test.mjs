// A big file streams: its first documents are listed while it still loads, the progress bar
// counts, and Stop keeps what was read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openPage, SHOTS } from './browser.mjs';

/// Builds a PubTator file of about `megabytes` MB inside the page and drops it.
async function dropBigFile(page, megabytes) {
  await page.evaluate((mb) => {
    const record = (i) => `${i}|t|Aspirin and leukemia in record ${i}\n${i}|a|${'Patients received aspirin. '.repeat(30)}\n`
      + `${i}\t0\t7\tAspirin\tChemical\tMESH:D001241\n${i}\t12\t20\tleukemia\tDisease\tMESH:D007938\n\n`;
    const parts = [];
    let size = 0;
    for (let i = 1; size < mb * 1e6; i++) {
      const r = record(i);
      parts.push(r);
      size += r.length;
    }
    const dt = new DataTransfer();
    dt.items.add(new File(parts, 'big.pubtator'));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      document.body.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, megabytes);
}

test('a 60 MB PubTator file lists documents while it loads, and Stop keeps them', async () => {
  // Two workers, the page's choice on two cores, whatever the cores of the machine running this.
  const { page, seen, close } = await openPage({ hash: '?workers=2' });
  try {
    await dropBigFile(page, 60);
    // Documents are listed while the progress bar is still showing.
    await page.waitForFunction(() => document.querySelectorAll('.doc-row').length > 0 && !document.querySelector('#progress').hidden);
    assert.match(await page.textContent('#progress'), /Reading big\.pubtator: [\d.]+ of 6\d\.\d MB/);
    await page.click('#stop');
    const shown = Number((await page.textContent('#progress')).match(/: ([\d.]+) of/)[1]);
    await page.waitForSelector('#progress', { state: 'hidden' });
    const panel = await page.textContent('.file:has-text("big.pubtator")');
    // Each worker read its own part of the file: the message counts what both read.
    const said = Number(panel.match(/stopped at your request after ([\d.]+) MB/)?.[1]);
    assert.ok(said >= shown && said < 60, `stopped after ${said} MB, the bar showed ${shown} MB`);
    const listed = Number((await page.textContent('#doc-count')).replace(/\D/g, ''));
    assert.ok(listed > 0 && listed < 130000, `${listed} documents kept`);
    // The list renders only the visible rows, whatever the number of documents.
    assert.ok(await page.locator('.doc-row').count() < 60);
    await page.click('.doc-row[data-index="0"]');
    await page.waitForSelector('.seg.ent[data-start="0"]');
    // The rows come from the core as they scroll into view: scrolling away and straight back
    // leaves the rows of where the list ended up, and a far row shows its own document.
    const far = Math.min(listed - 20, 20000);
    await page.evaluate((row) => {
      const list = document.getElementById('doc-list');
      list.scrollTop = row * 58;
      list.dispatchEvent(new Event('scroll'));
      requestAnimationFrame(() => { list.scrollTop = 0; list.dispatchEvent(new Event('scroll')); });
    }, far);
    await page.waitForTimeout(1000);
    const drawn = await page.$$eval('.doc-row', (rows) => rows.map((r) => Number(r.dataset.index)));
    assert.ok(drawn.includes(0) && drawn.every((i) => i < 40), `rows drawn: ${drawn.join(', ')}`);
    await page.evaluate((row) => { document.getElementById('doc-list').scrollTop = row * 58; }, far);
    await page.waitForSelector(`.doc-row[data-index="${far}"]`);
    // Read by one worker per core, each from its own part of the file, the rows kept after a
    // Stop skip from the first part to the next: the row is checked against its document.
    const record = (await page.textContent(`.doc-row[data-index="${far}"]`)).match(/record (\d+)big/)[1];
    await page.click(`.doc-row[data-index="${far}"]`);
    await page.waitForFunction((r) => new RegExp(`record ${r}(?!\\d)`).test(document.getElementById('document').textContent), record);
    assert.deepEqual(seen.afterLoad.filter((u) => !u.startsWith('blob:')), []);
    assert.deepEqual(seen.errors, []);
  } finally {
    await close();
  }
});

test('a big PubTator file read in parts tells each bad line with its line, and a bad file beside it loads nothing and stops nothing', async () => {
  // Each worker stores its part's records straight from their lines (src/ingest.rs): a line
  // outside its text and one that covers another text are told as validation tells them, with
  // the file's line numbers, in the first part and in the helper's.
  const { page, seen, close } = await openPage({ hash: '?workers=2' });
  try {
    const expected = await page.evaluate(() => {
      const parts = [];
      const said = {};
      let [size, line, records] = [0, 0, 0];
      for (let i = 1; size < 20e6; i++) {
        const lines = [`${i}|t|Aspirin and leukemia in record ${i}`, `${i}|a|${'Patients received aspirin. '.repeat(30)}`,
          `${i}\t0\t7\tAspirin\tChemical\tMESH:D001241`];
        if (i === 100) {
          lines.push(`${i}\t900\t908\tleukemia\tDisease\tMESH:D007938`);
          said.outside = line + lines.length;
        }
        if (i === 20000) {
          lines.push(`${i}\t12\t20\tleukaemia\tDisease\tMESH:D007938`);
          said.covers = line + lines.length;
        }
        const text = `${lines.join('\n')}\n\n`;
        parts.push(text);
        size += text.length;
        line += lines.length + 1;
        records = i;
      }
      const dt = new DataTransfer();
      dt.items.add(new File(parts, 'big.pubtator'));
      dt.items.add(new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])], 'figure.png'));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        document.body.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
      return { ...said, records };
    });
    await page.waitForFunction(() => performance.getEntriesByName('litview:indexed').length > 0, null, { timeout: 120_000 });
    await page.waitForSelector('#progress', { state: 'hidden' });
    assert.equal(await page.textContent('#doc-count'), `${expected.records} documents`);
    const big = page.locator('.file:has-text("big.pubtator")');
    await big.locator('summary').click();
    const told = await big.textContent();
    assert.match(told, /2 warnings/);
    assert.ok(told.includes(`line ${expected.outside}: document 100: annotation a2 ('leukemia', Disease) at 900–908 is outside the text`), told);
    assert.ok(told.includes(`line ${expected.covers}: document 20000: annotation a2 at 12–20 covers 'leukemia' but the file says 'leukaemia'; kept with the text its offsets cover`), told);
    const png = await page.locator('.file:has-text("figure.png")').textContent();
    assert.match(png, /PNG image/);
    assert.match(png, /1 error/);
    await page.screenshot({ path: join(SHOTS, 'big-bad-lines.png') });
    assert.deepEqual(seen.afterLoad, []);
    assert.deepEqual(seen.errors, []);
  } finally {
    await close();
  }
});
