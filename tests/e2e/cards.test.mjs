// Citation cards: the page seeds become cards; citations copy in five styles; references link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openPage, dropExamples, openDocument, SHOTS } from './browser.mjs';

test('the publisher page 004 has its card, its 15 references, and copies as Vancouver', async () => {
  const { page, seen, close } = await openPage();
  try {
    await dropExamples(page);
    await openDocument(page, 'Experience of blinatumomab salvage');
    const card = page.locator('#document .citation');
    assert.match(await card.textContent(), /Bone Marrow Transplant/);
    const doi = card.locator('a[href="https://doi.org/10.1038/s41409-019-0708-9"]');
    assert.equal(await doi.count(), 1);
    assert.equal(await doi.getAttribute('target'), '_blank');

    // Fifteen numbered reference cards, each with its DOI linked.
    const references = page.locator('.reference');
    assert.equal(await references.count(), 15);
    assert.match(await references.nth(0).textContent(), /Outcome of 609 adults after relapse/);
    assert.equal(await references.nth(0).locator('a[href="https://doi.org/10.1182/blood-2006-05-018192"]').count(), 1);
    assert.equal(await references.nth(14).locator('a[href="https://doi.org/10.1056/NEJMoa1601202"]').count(), 1);
    assert.equal(await page.locator('.reference a[href^="https://doi.org/"]').count(), 15);

    // Copy the Vancouver citation: the clipboard holds it and the page says so.
    await page.click('.copy-cite[data-style="vancouver"]');
    await page.waitForFunction(() => /Copied/.test(document.querySelector('.cite-actions .status')?.textContent ?? ''));
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, /^Yoon S/);
    assert.match(copied, /Experience of blinatumomab salvage/);
    assert.match(copied, /Bone Marrow Transplant\. 2020;55:1469-7?2/);
    assert.match(copied, /doi:10\.1038\/s41409-019-0708-9/);

    // Every style copies something sensible.
    for (const [style, pattern] of [['apa', /\(2020\)/], ['bibtex', /^@article\{/], ['ris', /^TY {2}- JOUR/m], ['csl-json', /"DOI": "10\.1038\/s41409-019-0708-9"/]]) {
      const label = await page.textContent(`.copy-cite[data-style="${style}"]`);
      await page.click(`.copy-cite[data-style="${style}"]`);
      await page.waitForFunction((l) => document.querySelector('.cite-actions .status')?.textContent === `Copied the ${l} citation`, label);
      assert.match(await page.evaluate(() => navigator.clipboard.readText()), pattern, style);
    }
    await page.screenshot({ path: join(SHOTS, 'card-004.png'), fullPage: true });
    assert.deepEqual(seen.afterLoad, []);
    assert.deepEqual(seen.errors, []);
  } finally {
    await close();
  }
});

test('the journal page 001 lists its authors with ORCID links and affiliations on demand', async () => {
  const { page, seen, close } = await openPage();
  try {
    await dropExamples(page);
    await openDocument(page, 'The role of blinatumomab');
    const authors = page.locator('.authors > .author');
    assert.equal(await authors.count(), 15);
    const first = authors.nth(0);
    assert.match(await first.textContent(), /L\. A\. Vavilova/);
    assert.equal(await first.locator('a.orcid').getAttribute('href'), 'https://orcid.org/0000-0001-7959-3512');
    assert.equal(await first.locator('.affiliations').isVisible(), false);
    await first.locator('summary').click();
    assert.match(await first.locator('.affiliations').textContent(), /Dmitry Rogachev/);
    assert.match(await first.locator('.affiliations').textContent(), /ludmila\.vavilova@fccho-moscow\.ru/);
    assert.match(await page.textContent('#document .facts'), /Creative Commons Attribution 4\.0/);
    await page.screenshot({ path: join(SHOTS, 'card-001.png'), fullPage: true });
    assert.deepEqual(seen.afterLoad, []);
    assert.deepEqual(seen.errors, []);
  } finally {
    await close();
  }
});

test('exporting every work as BibTeX downloads a file made in the page', async () => {
  const { page, seen, close } = await openPage();
  try {
    await dropExamples(page);
    await page.click('details.export summary');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-export="cite-bibtex"]')]);
    assert.match(download.suggestedFilename(), /\.bib$/);
    const text = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
    assert.equal((text.match(/^@\w+\{/gm) ?? []).length, 5);
    assert.ok(seen.afterLoad.every((url) => url.startsWith('blob:')), seen.afterLoad.join('\n'));
    assert.deepEqual(seen.errors, []);
  } finally {
    await close();
  }
});
