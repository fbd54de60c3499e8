// Run by Trunk after each build (Trunk.toml), on the staging folder it is about to publish.
//
// 1. Trunk writes an inline <script type="module"> into index.html that starts the wasm on the
//    main thread, and preloads for it. litview's core runs only in its Web Worker
//    (www/worker.js), so that start-up would compile and instantiate the module a second time for
//    nothing, and it is the only inline script: without it the Content-Security-Policy allows no
//    inline script at all.
// 2. Release builds minify the page's JavaScript with terser (the page-weight budget counts it;
//    Trunk minifies only the CSS and HTML it processes itself, not copied files).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!dir) throw new Error('post-build: no TRUNK_STAGING_DIR and no folder given');

const file = join(dir, 'index.html');
const before = readFileSync(file, 'utf8');
// Trunk's minifier (release builds) drops quotes and spaces, so the patterns allow either form.
const after = before
  .replace(/<script\b(?![^>]*\bsrc=)[^>]*>(?:(?!<\/script>)[\s\S])*litview\.js(?:(?!<\/script>)[\s\S])*<\/script>/g, '')
  .replace(/<link\b[^>]*>/g, (tag) => (/\brel=["']?(module)?preload\b/.test(tag) && /\bhref=["']?\.\/litview(\.js|_bg\.wasm)\b/.test(tag) ? '' : tag));
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(after)) throw new Error('post-build: an inline script is left in index.html');
writeFileSync(file, after);
console.log(`post-build: removed Trunk's main-thread start-up from ${file}`);

if ((process.env.TRUNK_PROFILE ?? 'release') === 'release') {
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
    const path = join(dir, name);
    const source = readFileSync(path, 'utf8');
    // The page and its worker are ES modules; the service worker is a classic script.
    const { code } = await minify(source, { module: name !== 'sw.js', compress: { passes: 2 }, mangle: true, format: { comments: false } });
    writeFileSync(path, code);
    console.log(`post-build: ${name} ${source.length} -> ${code.length} bytes`);
  }
}
