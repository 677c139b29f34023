// Writes dist/sw.js: www/sw.js after one line naming this build's files and
// a hash of their contents, so the service worker caches exactly what was
// built, under a cache name that changes whenever any file does.
// Usage: node scripts/service-worker.mjs dist
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const dist = process.argv[2];
const files = fs.readdirSync(dist, { recursive: true })
  .filter((f) => fs.statSync(path.join(dist, f)).isFile() && f !== 'sw.js')
  .sort();
const hash = crypto.createHash('sha256');
for (const f of files) hash.update(f).update(fs.readFileSync(path.join(dist, f)));
const version = hash.digest('hex').slice(0, 16);
// './' is how the page is opened; index.html is the same file under its name.
const build = { version, files: ['./', ...files] };
const source = fs.readFileSync(new URL('../www/sw.js', import.meta.url), 'utf8');
fs.writeFileSync(path.join(dist, 'sw.js'), `const BUILD = ${JSON.stringify(build)};\n${source}`);
console.log(`service worker: ${files.length} files cached as build ${version}`);
