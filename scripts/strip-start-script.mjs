// Trunk writes an inline <script type="module"> into index.html that starts the wasm on the main
// thread, and preloads for it. litview's core runs only in its Web Worker (www/worker.js), so that
// start-up would compile and instantiate the module a second time for nothing, and it is the only
// inline script: without it the Content-Security-Policy allows no inline script at all.
// Run by Trunk after each build (Trunk.toml), on the staging folder it is about to publish.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!dir) throw new Error('strip-start-script: no TRUNK_STAGING_DIR and no folder given');
const file = join(dir, 'index.html');
const before = readFileSync(file, 'utf8');
const after = before
  .replace(/<script type="module">\s*import init, \* as bindings from '\.\/litview\.js';[\s\S]*?<\/script>/, '')
  .replace(/<link rel="modulepreload" href="\.\/litview\.js"[^>]*>/, '')
  .replace(/<link rel="preload" href="\.\/litview_bg\.wasm"[^>]*>/, '');
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(after)) throw new Error('strip-start-script: an inline script is left in index.html');
writeFileSync(file, after);
console.log(`strip-start-script: removed Trunk's main-thread start-up from ${file}`);
