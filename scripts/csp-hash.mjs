// Trunk writes one inline <script type="module"> into index.html to start the wasm. The page's
// Content-Security-Policy forbids inline script, except this one, allowed by its sha256 hash.
// Run by Trunk after each build, on the staging folder it is about to publish.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!dir) throw new Error('csp-hash: no TRUNK_STAGING_DIR and no folder given');
const file = join(dir, 'index.html');
let html = readFileSync(file, 'utf8');
const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
const hashes = inline.map((body) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
if (!html.includes("'sha256-INLINE'")) throw new Error('csp-hash: the policy has no sha256-INLINE placeholder');
html = html.replace("'sha256-INLINE'", hashes.join(' ') || "'none'");
writeFileSync(file, html);
console.log(`csp-hash: allowed ${hashes.length} inline script(s) in ${file}`);
