// Reading annotated text: toggles, the entity card's links, relations, the URL hash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openPage, dropExamples, dropFiles, openDocument, SHOTS } from './browser.mjs';

test('toggling a type hides exactly its marks, and "only" shows it alone', async () => {
  const { page, seen, close } = await openPage();
  try {
    await dropExamples(page);
    await openDocument(page, 'Use of blinatumomab');
    const marks = async (type) => page.locator(`.seg.ent[data-entities]`).evaluateAll(
      (segs, t) => segs.filter((s) => s.dataset.type === t).length, type);
    const before = { Disease: await marks('Disease'), Chemical: await marks('Chemical'), Gene: await marks('Gene') };
    await page.click('.legend-item[data-type="Disease"]');
    assert.equal(await marks('Disease'), 0);
    assert.equal(await marks('Chemical'), before.Chemical);
    assert.equal(await marks('Gene'), before.Gene);
    assert.equal(await page.getAttribute('.legend-item[data-type="Disease"]', 'aria-pressed'), 'false');
    // Keyboard: the legend buttons are buttons; Enter toggles back.
    await page.focus('.legend-item[data-type="Disease"]');
    await page.keyboard.press('Enter');
    assert.equal(await marks('Disease'), before.Disease);
    await page.click('.legend-only[data-only="Gene"]');
    assert.equal(await marks('Gene'), before.Gene);
    assert.equal(await page.locator('.seg.ent').count(), await page.locator('.seg.ent[data-type="Gene"]').count());
    assert.deepEqual(seen.errors, []);
  } finally {
    await close();
  }
});

test('the entity card links each concept to its registry and steps through mentions', async () => {
  const { page, seen, close } = await openPage();
  try {
    await dropExamples(page);
    await openDocument(page, 'Use of blinatumomab');
    const expect = [
      ['173', 'https://meshb.nlm.nih.gov/record/ui?ui=D054198'], // acute lymphoblastic leukemia
      ['1867', 'https://www.ncbi.nlm.nih.gov/gene/930'], // CD19
      ['687', 'https://www.ncbi.nlm.nih.gov/Taxonomy/Browser/wwwtax.cgi?id=9606'], // patients
    ];
    for (const [start, url] of expect) {
      await page.hover(`.seg.ent[data-start="${start}"]`);
      await page.waitForSelector('#entity-card:not([hidden])');
      assert.equal(await page.getAttribute('#entity-card a', 'href'), url);
      await page.mouse.move(0, 0);
      await page.waitForSelector('#entity-card', { state: 'hidden' });
    }
    // blinatumomab has four mentions: the card steps to the next one.
    await page.click('.seg.ent[data-start="7"]');
    assert.match(await page.textContent('#entity-card .mention-count'), /mention 1 of 4/);
    await page.click('#entity-card .step[aria-label^="next"]');
    assert.match(await page.textContent('#entity-card .mention-count'), /mention 2 of 4/);
    assert.equal(await page.evaluate(() => document.activeElement.dataset.start), '388');
    // Arcs are drawn for the pinned entity's relations.
    assert.ok(await page.locator('svg.arcs path.arc').count() >= 1);
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('svg.arcs path.arc').count(), 0);
    assert.deepEqual(seen.errors, []);
  } finally {
    await close();
  }
});

test('relations sort by column and a selected relation draws its arc', async () => {
  const { page, seen, close } = await openPage();
  try {
    await dropExamples(page);
    await openDocument(page, 'Use of blinatumomab');
    const objects = () => page.$$eval('.relations tbody tr td:nth-child(3) .arg-name', (c) => c.map((x) => x.textContent));
    await page.click('.relations th:nth-child(3) button');
    const ascending = await objects();
    assert.deepEqual(ascending, [...ascending].sort((a, b) => a.localeCompare(b)));
    await page.click('.relations th:nth-child(3) button');
    assert.deepEqual(await objects(), [...ascending].reverse());
    await page.click('.relations tbody tr:first-child');
    assert.equal(await page.locator('svg.arcs path.arc').count(), 1);
    await page.screenshot({ path: join(SHOTS, 'relation-arc.png') });
    assert.deepEqual(seen.errors, []);
  } finally {
    await close();
  }
});

test('the URL hash restores the selected document and the hidden types', async () => {
  const { page, seen, close, reload } = await openPage();
  try {
    await dropExamples(page);
    await openDocument(page, 'Use of blinatumomab');
    await page.click('.legend-item[data-type="Species"]');
    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, /doc=3/);
    assert.match(hash, /hide=Species/);
    await reload(hash);
    await dropExamples(page);
    await page.waitForSelector('.doc-row.selected:has-text("Use of blinatumomab")');
    await page.waitForSelector('.legend-item[data-type="Species"][aria-pressed="false"]');
    assert.equal(await page.locator('.seg.ent[data-type="Species"]').count(), 0);
    assert.deepEqual(seen.errors, []);
  } finally {
    await close();
  }
});

test('blinatumomab, annotated in 003 only, is marked inferred in the four page seeds', async () => {
  const { page, seen, close } = await openPage();
  try {
    await dropExamples(page);
    // A drop read in one go opens its first document once indexed: drawn once, already with
    // the mentions recognized from the other files, rather than drawn bare and then again.
    await page.waitForFunction(() => performance.getEntriesByName('litview:indexed').length > 0);
    await page.waitForSelector('#document .seg.ent.inferred');
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => performance.getEntriesByName('litview:rendered').length), 1, 'the first document is drawn once');
    for (const title of ['Blinatumomab as a Curative', 'The role of blinatumomab', 'Case Report: Blinatumomab', 'Experience of blinatumomab']) {
      await openDocument(page, title);
      await page.waitForSelector('.seg.ent.inferred');
      const inferred = await page.$$eval('.seg.ent.inferred', (segs) => segs.map((s) => s.firstChild.textContent.toLowerCase()));
      assert.ok(inferred.includes('blinatumomab'), `${title}: ${inferred.join(', ')}`);
      // Its card says inferred and links MeSH.
      await page.hover('.seg.ent.inferred >> nth=0');
      await page.waitForSelector('#entity-card:not([hidden]) .tag');
      assert.match(await page.textContent('#entity-card'), /inferred/);
      await page.mouse.move(0, 0);
      // The toggle hides inferred marks, and only them.
      const source = await page.locator('.seg.ent:not(.inferred)').count();
      await page.uncheck('#show-inferred');
      assert.equal(await page.locator('.seg.ent.inferred').count(), 0);
      assert.equal(await page.locator('.seg.ent').count(), source);
      await page.check('#show-inferred');
    }
    await page.screenshot({ path: join(SHOTS, 'inferred-002.png'), fullPage: true });
    assert.deepEqual(seen.errors, []);
  } finally {
    await close();
  }
});

test('the open document shows an inferred mention\'s new type once other files annotate it otherwise', async () => {
  const { page, seen, close } = await openPage();
  try {
    await dropFiles(page, [
      { name: 'given.pubtator', text: '1|t|Blinatumomab was given\n1\t0\t12\tBlinatumomab\tChemical\tMESH:C510808\n' },
      { name: 'again.pubtator', text: '2|t|Then blinatumomab again\n' },
    ]);
    await page.waitForFunction(() => document.querySelectorAll('.doc-row').length === 2);
    await openDocument(page, 'Then blinatumomab');
    await page.waitForSelector('.seg.ent.inferred[data-type="Chemical"]');
    // Two more records call it a drug: the same one mention, in the open document, is now a Drug.
    await dropFiles(page, [{
      name: 'drug.pubtator',
      text: '3|t|Blinatumomab, a drug\n3\t0\t12\tBlinatumomab\tDrug\tDB09052\n\n4|t|Blinatumomab dosing\n4\t0\t12\tBlinatumomab\tDrug\tDB09052\n',
    }]);
    await page.waitForSelector('.seg.ent.inferred[data-type="Drug"]');
    assert.equal(await page.locator('.seg.ent.inferred').count(), 1);
    assert.match(await page.textContent('#document'), /Then blinatumomab again/);
    await page.screenshot({ path: join(SHOTS, 'inferred-new-type.png') });
    assert.deepEqual(seen.errors, []);
  } finally {
    await close();
  }
});

test('the corpus panel searches, filters by concept, and charts the types', async () => {
  const { page, seen, close } = await openPage();
  try {
    await dropExamples(page);
    await page.fill('#search', 'central nervous system');
    await page.waitForFunction(() => document.querySelector('#doc-count').textContent === '1 of 5 documents');
    assert.match(await page.textContent('.doc-row'), /central nervous system/i);
    // Concept ids and types in the search box.
    await page.fill('#search', 'MESH:D007938 type:Gene');
    await page.waitForFunction(() => document.querySelector('#doc-count').textContent === '1 of 5 documents'
      && /Use of blinatumomab/.test(document.querySelector('.doc-row')?.textContent));
    await page.fill('#search', '');
    await page.waitForFunction(() => document.querySelector('#doc-count').textContent === '5 documents');
    await page.click('#overview-button');
    await page.waitForSelector('#overview:not([hidden]) svg.type-chart');
    assert.equal(await page.locator('svg.type-chart .bar-row').count(), 4);
    await page.screenshot({ path: join(SHOTS, 'overview.png'), fullPage: true });
    // Documents that mention blinatumomab (MESH:C510808) and leukemia (MESH:D007938).
    await page.click('button[data-concept="MESH:C510808"]');
    await page.waitForFunction(() => document.querySelectorAll('.filters .chip').length === 1);
    await page.click('button[data-concept="MESH:D007938"]');
    await page.waitForFunction(() => document.querySelectorAll('.filters .chip').length === 2);
    // Leukemia (D007938) is mentioned, as annotated or recognised, in 3 of the 5.
    assert.equal(await page.textContent('#doc-count'), '3 of 5 documents');
    // Clicking a bar filters by type.
    await page.click('.filters .chip >> nth=0');
    await page.waitForFunction(() => document.querySelectorAll('.filters .chip').length === 1);
    await page.click('.filters .chip >> nth=0');
    await page.waitForFunction(() => document.querySelectorAll('.filters .chip').length === 0);
    await page.click('svg.type-chart .bar-row[data-type="Gene"]');
    await page.waitForFunction(() => document.querySelector('#doc-count').textContent === '1 of 5 documents');
    assert.deepEqual(seen.errors, []);
  } finally {
    await close();
  }
});

test('the fragments of a discontinuous brat mention light up together, and print shows text and legend', async () => {
  const { page, seen, close } = await openPage();
  try {
    await dropFiles(page, [
      { name: 'lungs.txt', text: 'The left and right lungs were clear.\n' },
      { name: 'lungs.ann', text: 'T1\tOrgan 4 8;19 24\tleft lungs\nT2\tOrgan 13 24\tright lungs\n' },
    ]);
    await page.waitForSelector('.seg.ent');
    await page.hover('.seg.ent[data-start="4"]');
    await page.waitForSelector('#entity-card:not([hidden])');
    const lit = await page.$$eval('.seg.ent.lit', (segs) => segs.map((s) => s.firstChild.textContent));
    assert.deepEqual(lit, ['left', 'lungs']);
    await page.mouse.move(0, 0);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.isVisible('.sidebar'), false);
    assert.equal(await page.isVisible('.legend-item'), true);
    assert.equal(await page.isVisible('.seg.ent .bar'), true);
    await page.screenshot({ path: join(SHOTS, 'print.png'), fullPage: true });
    assert.deepEqual(seen.errors, []);
  } finally {
    await close();
  }
});

test('a long full-text document draws its marks only where it is read, and prints whole', async () => {
  // One BioC document of 300 passages with 6 marks each: 1800 marks, more than the page draws
  // at once.
  const words = [['aspirin', 'Chemical'], ['fever', 'Disease'], ['ibuprofen', 'Chemical'], ['pain', 'Disease'], ['patients', 'Species'], ['arthritis', 'Disease']];
  const title = 'A long article on analgesics';
  let offset = title.length + 1;
  let id = 0;
  const passages = [];
  for (let i = 0; i < 300; i++) {
    const text = `Passage ${i}: aspirin reduces fever and ibuprofen reduces pain in patients with arthritis.`;
    const annotations = words.map(([word, type]) => {
      const at = offset + text.indexOf(` ${word}`) + 1;
      return `<annotation id="A${id++}"><infon key="type">${type}</infon><location offset="${at}" length="${word.length}"/><text>${word}</text></annotation>`;
    });
    passages.push(`<passage><infon key="type">paragraph</infon><offset>${offset}</offset><text>${text}</text>${annotations.join('')}</passage>`);
    offset += text.length + 1;
  }
  const xml = `<?xml version="1.0" encoding="UTF-8"?><collection><source>test</source><date>2026</date><key>k</key>`
    + `<document><id>LONG1</id><passage><infon key="type">title</infon><offset>0</offset><text>${title}</text></passage>${passages.join('')}</document></collection>`;
  const { page, seen, close } = await openPage();
  try {
    await dropFiles(page, [{ name: 'long.xml', text: xml }]);
    await openDocument(page, 'A long article on analgesics');
    // The drop is indexed (and the open document drawn again) before the checks.
    await page.waitForFunction(() => performance.getEntriesByName('litview:indexed').length > 0);
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(done)));
    const last = page.locator('.doc-text .passage').last();
    // Every word is on the page at once; the far passages are still plain text.
    assert.match(await last.textContent(), /^Passage 299: aspirin reduces fever/);
    assert.equal(await last.locator('.seg.ent').count(), 0);
    const drawnAtFirst = await page.locator('.doc-text .seg.ent').count();
    assert.ok(drawnAtFirst > 0 && drawnAtFirst < 1800, `${drawnAtFirst} marks drawn at first`);
    // Stepping back by keyboard from the first mark goes to the very last one.
    await page.focus('.doc-text .seg.ent[tabindex="0"]');
    await page.keyboard.press('p');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'arthritis');
    assert.match(await page.evaluate(() => document.activeElement.closest('.passage').textContent), /^Passage 299:/);
    await page.keyboard.press('n');
    assert.match(await page.evaluate(() => document.activeElement.closest('.passage').textContent), /^Passage 0:/);
    // Scrolling there draws it.
    await page.evaluate(() => [...document.querySelectorAll('.doc-text .passage')].at(-1).scrollIntoView());
    await page.waitForFunction(() => [...document.querySelectorAll('.doc-text .passage')].at(-1).querySelectorAll('.seg.ent').length === 6);
    assert.equal(await last.locator('.seg.ent[data-type="Chemical"]').count(), 2);
    await page.screenshot({ path: join(SHOTS, 'long-document.png') });
    // Printing draws every passage.
    await page.evaluate(() => dispatchEvent(new Event('beforeprint')));
    assert.equal(await page.locator('.doc-text .passage.pending').count(), 0);
    assert.equal(await page.locator('.doc-text .seg.ent').count(), 1800);
    assert.deepEqual(seen.errors, []);
  } finally {
    await close();
  }
});
