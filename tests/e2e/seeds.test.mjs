// The five seed documents, dropped on the built page in headless Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openPage, dropFiles, example, EXAMPLES, SHOTS } from './browser.mjs';

/// Annotation types of a PubTator file, counted simply from its lines.
function typeCounts(text) {
  const counts = {};
  for (const line of text.split('\n')) {
    const cols = line.split('\t');
    if (cols.length >= 5 && /^\d+$/.test(cols[1]) && /^\d+$/.test(cols[2])) counts[cols[4]] = (counts[cols[4]] ?? 0) + 1;
  }
  return counts;
}

for (const colorScheme of ['light', 'dark']) {
  test(`dropping the five seeds shows them, highlighted (${colorScheme} theme)`, async () => {
    const { page, seen, close } = await openPage({ colorScheme });
    try {
      assert.match(await page.textContent('#welcome'), /Drop files anywhere/);
      const files = EXAMPLES.map(example);
      await dropFiles(page, files);
      await page.waitForFunction(() => document.querySelectorAll('.doc-row').length === 5);
      assert.equal(await page.textContent('#doc-count'), '5 documents');

      // Open 003, the PubTator record.
      await page.click('.doc-row:has-text("Use of blinatumomab")');
      const mention = page.locator('.seg.ent[data-start="7"][data-end="19"]');
      await mention.waitFor();
      assert.equal((await mention.evaluate((n) => n.firstChild.textContent)), 'blinatumomab');
      assert.equal(await mention.getAttribute('data-type'), 'Chemical');

      // Hover: the entity card names the type and links the concept to MeSH.
      await mention.hover();
      const card = page.locator('#entity-card');
      await card.waitFor({ state: 'visible' });
      assert.match(await card.textContent(), /Chemical/);
      assert.match(await card.textContent(), /MESH:C510808/);
      const href = await card.locator('a').first().getAttribute('href');
      assert.equal(href, 'https://meshb.nlm.nih.gov/record/ui?ui=C510808');
      assert.equal(await card.locator('a').first().getAttribute('rel'), 'noopener noreferrer');

      // Keyboard focus shows the same card.
      await page.mouse.move(0, 0);
      await page.waitForTimeout(400);
      await mention.focus();
      await card.waitFor({ state: 'visible' });

      // The legend counts equal the file's own lines.
      const expected = typeCounts(files[3].text);
      const legend = await page.$$eval('.legend-item', (items) => Object.fromEntries(items.map((i) => [
        i.querySelector('.type').textContent, Number(i.querySelector('.count').textContent)])));
      assert.deepEqual(legend, expected);

      // Relations are listed.
      assert.equal(await page.locator('.relations tbody tr').count(), 3);

      // Nested and overlapping spans are not lost: every annotation's start has a segment.
      const starts = await page.$$eval('.seg.ent', (segs) => segs.length);
      assert.ok(starts >= 26);

      // Hiding a type hides exactly its marks.
      await page.click('.legend-item[data-type="Species"]');
      assert.equal(await page.locator('.seg.ent[data-type="Species"]').count(), 0);
      assert.ok(await page.locator('.seg.ent[data-type="Chemical"]').count() > 0);
      await page.click('.legend-item[data-type="Species"]');

      // The page texts not understood yet show as text with a diagnostic beside their file.
      const files_panel = await page.textContent('#files');
      assert.match(files_panel, /003_d1ca3af4f330edf7\.txt/);

      await page.screenshot({ path: join(SHOTS, `seeds-${colorScheme}.png`), fullPage: true });
      assert.deepEqual(seen.afterLoad, [], 'no network request after the page loaded');
      assert.deepEqual(seen.errors, [], 'no console error, page error, dialog or CSP violation');
    } finally {
      await close();
    }
  });
}

test('a bad file among good ones gets a diagnostic and the others load', async () => {
  const { page, seen, close } = await openPage();
  try {
    const png = { name: 'figure.png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13] };
    await dropFiles(page, [png, example('003_d1ca3af4f330edf7.txt')]);
    await page.waitForFunction(() => document.querySelectorAll('.doc-row').length === 1);
    const panel = page.locator('.file:has-text("figure.png")');
    assert.match(await panel.textContent(), /PNG image/);
    assert.match(await panel.textContent(), /1 error/);
    assert.deepEqual(seen.afterLoad, []);
    assert.deepEqual(seen.errors, []);
  } finally {
    await close();
  }
});

test('the example button loads the five examples from the page itself', async () => {
  const { page, seen, origin, close } = await openPage();
  try {
    await page.click('#examples');
    await page.waitForFunction(() => document.querySelectorAll('.doc-row').length === 5);
    assert.ok(seen.afterLoad.every((url) => url.startsWith(`${origin}/examples/`)), seen.afterLoad.join('\n'));
    assert.deepEqual(seen.errors, []);
  } finally {
    await close();
  }
});
