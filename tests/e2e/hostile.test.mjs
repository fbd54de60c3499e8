// Files from anywhere: markup and script in them stays text, links go only to https registries,
// the page makes no request, a crash of the core loses nothing, and the page works offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openPage, dropFiles, dropExamples, example, SHOTS } from './browser.mjs';

const XSS = '<img src=x onerror="window.__pwned=1">';
const HOSTILE = [
  {
    name: 'xss.pubtator',
    text: [
      `1|t|${XSS} and </script><script>window.__pwned=2</script> title`,
      '1|a|An abstract with javascript:alert(1) and <b onmouseover="window.__pwned=3">bold</b>.',
      `1\t0\t${[...XSS].length}\t${XSS}\tChemical\tMESH:D000001"><script>window.__pwned=4</script>`,
      '1\t0\t4\t<img\tDisease\tjavascript:alert(1)',
      '',
    ].join('\n'),
  },
  {
    name: 'hostile.json',
    text: JSON.stringify([{ type: 'article-journal', title: `Title ${XSS}`, DOI: '10.1000/x"><script>window.__pwned=5</script>',
      URL: 'javascript:window.__pwned=6', author: [{ family: '<svg onload="window.__pwned=7">', given: 'A', ORCID: 'javascript:alert(1)' }] }]),
  },
  {
    name: 'page.html',
    text: `<html><head><meta name="citation_title" content="A &lt;script&gt;window.__pwned=8&lt;/script&gt; page">
      <meta name="citation_doi" content="10.1000/abc&quot;onmouseover=&quot;x"><script>window.__pwned=9</script></head>
      <body><div class="abstract">Abstract ${XSS}</div></body></html>`,
  },
];

test('markup and script in files show as text and never run', async () => {
  const { page, seen, close } = await openPage();
  try {
    await dropFiles(page, HOSTILE);
    await page.waitForFunction(() => document.querySelectorAll('.doc-row').length >= 3);
    for (let i = 0; i < 3; i++) {
      await page.click(`.doc-row[data-index="${i}"]`);
      await page.waitForTimeout(300);
      for (const mark of await page.locator('.seg.ent').all()) await mark.hover();
    }
    await page.click('.doc-row[data-index="0"]');
    await page.waitForFunction(() => document.querySelector('#document')?.textContent.includes('<img src=x'));
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no script from a file ran');
    assert.equal(await page.locator('#document img, #document script, #document svg:not(.arcs), #document b').count(), 0);
    const hrefs = await page.$$eval('a[href]', (links) => links.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.every((h) => h.startsWith('https://')), hrefs.join('\n'));
    const targets = await page.$$eval('#document a[href], #entity-card a[href]', (links) => links.map((a) => `${a.target} ${a.rel}`));
    assert.ok(targets.every((t) => t === '_blank noopener noreferrer'), targets.join('\n'));
    await page.screenshot({ path: join(SHOTS, 'hostile.png'), fullPage: true });
    assert.deepEqual(seen.afterLoad, [], 'no request after load');
    assert.deepEqual(seen.errors, [], 'no dialog, page error, console error or CSP violation');
  } finally {
    await close();
  }
});

test('a panic in the core is caught: the page says so, keeps what was loaded, and goes on', async () => {
  const { page, seen, close } = await openPage({ hash: '?test-hooks' });
  try {
    await page.waitForFunction(() => window.litviewTest);
    await dropExamples(page);
    await page.click('.doc-row:has-text("Use of blinatumomab")');
    await page.waitForSelector('.seg.ent');
    await page.evaluate(() => window.litviewTest.failOn('boom.pubtator'));
    await dropFiles(page, [{ name: 'boom.pubtator', text: '9|t|Boom\n' }, example('003_d1ca3af4f330edf7.txt')]);
    await page.waitForSelector('.file:has-text("boom.pubtator") .badge.error');
    assert.match(await page.textContent('.file:has-text("boom.pubtator")'), /core failed on this file/);
    // The five documents from before, and the good file of the failed drop, are all there.
    await page.waitForFunction(() => document.querySelectorAll('.doc-row').length === 6);
    await page.click('.doc-row:has-text("Use of blinatumomab")');
    await page.waitForSelector('.seg.ent[data-start="7"]');
    // The restarted core reads new files.
    await dropFiles(page, [{ name: 'after.pubtator', text: '5|t|Aspirin after\n5\t0\t7\tAspirin\tChemical\tMESH:D001241\n' }]);
    await page.waitForFunction(() => document.querySelectorAll('.doc-row').length === 7);
    // Reloading the core fetches the page's own files again, for it and its helpers (from the
    // cache when offline); nothing else is requested.
    const own = /\/(worker\.js|shards\.js|litview\.js|litview_bg\.wasm)$/;
    assert.deepEqual(seen.afterLoad.filter((u) => !own.test(new URL(u).pathname)), []);
    assert.ok(seen.errors.every((e) => /RuntimeError|unreachable|panicked/.test(e)), seen.errors.join('\n'));
  } finally {
    await close();
  }
});

test('the page works offline once loaded', async () => {
  const { page, seen, close, reload } = await openPage();
  try {
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.context().setOffline(true);
    await reload();
    await dropExamples(page);
    await page.click('.doc-row:has-text("Use of blinatumomab")');
    await page.waitForSelector('.seg.ent[data-start="7"]');
    await page.click('#examples').catch(() => {});
    assert.deepEqual(seen.errors, []);
  } finally {
    await close();
  }
});
