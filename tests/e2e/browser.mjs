// Shared by the browser tests: serve the release build, drive Debian's Chromium, and watch every
// request, console error and Content-Security-Policy violation, as a person's browser would see.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/static-server.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHOTS = join(ROOT, 'target', 'e2e');
mkdirSync(SHOTS, { recursive: true });

export async function openPage({ colorScheme = 'light', hash = '' } = {}) {
  const server = await serve(join(ROOT, 'dist'), 0);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const seen = { requests: [], errors: [], loaded: false, afterLoad: [] };
  page.on('request', (request) => {
    seen.requests.push(request.url());
    if (seen.loaded) seen.afterLoad.push(request.url());
  });
  page.on('console', (message) => { if (message.type() === 'error') seen.errors.push(message.text()); });
  page.on('pageerror', (error) => seen.errors.push(String(error)));
  page.on('dialog', (dialog) => { seen.errors.push(`dialog opened: ${dialog.message()}`); dialog.dismiss(); });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`${origin}/${hash}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForLoadState('networkidle');
  seen.loaded = true;
  const reload = async (newHash = hash) => {
    seen.loaded = false;
    // Going to the same URL with a new hash stays in the page: reload it as a person would.
    await page.goto(`${origin}/${newHash}`);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForLoadState('networkidle');
    seen.loaded = true;
  };
  const close = async () => {
    await browser.close();
    server.close();
  };
  return { page, seen, origin, close, reload };
}

/// Drops files on the page as a person would: a DataTransfer holding Files, dispatched as
/// dragenter, dragover and drop on the window's document.
export async function dropFiles(page, files) {
  const payload = files.map(({ name, text, bytes }) => ({ name, data: bytes ? [...bytes] : null, text: text ?? null }));
  const transfer = await page.evaluateHandle((files) => {
    const dt = new DataTransfer();
    for (const f of files) {
      const body = f.data ? new Uint8Array(f.data) : f.text;
      dt.items.add(new File([body], f.name));
    }
    return dt;
  }, payload);
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await page.dispatchEvent('body', type, { dataTransfer: transfer });
  }
}

export function example(name) {
  return { name, text: readFileSync(join(ROOT, 'www', 'examples', name), 'utf8') };
}

export const EXAMPLES = [
  '000_f64150ce26b5959b.txt', '001_5452ab4f773b0520.txt', '002_e761f05744a40d98.txt',
  '003_d1ca3af4f330edf7.txt', '004_2ad11577413c318a.txt',
];

/// Drops the five examples and waits until they are listed.
export async function dropExamples(page) {
  await dropFiles(page, EXAMPLES.map(example));
  await page.waitForFunction(() => document.querySelectorAll('.doc-row').length === 5);
}

export async function openDocument(page, titleStart) {
  await page.click(`.doc-row:has-text("${titleStart}")`);
  await page.waitForFunction((t) => document.querySelector('#document:not([hidden])')?.textContent.includes(t), titleStart);
}
