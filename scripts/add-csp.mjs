// Adds a Content-Security-Policy to the built page: nothing may connect out
// (connect-src 'self'), scripts only from this origin plus the exact inline
// loader Trunk writes (by hash), wasm allowed to compile.
// Usage: node scripts/add-csp.mjs dist/index.html
import fs from 'node:fs';
import crypto from 'node:crypto';

const file = process.argv[2];
let html = fs.readFileSync(file, 'utf8').replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\n?/, '');
const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
  .map(([, body]) => `'sha256-${crypto.createHash('sha256').update(body).digest('base64')}'`);
const policy = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
  "connect-src 'self'",
  "worker-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');
html = html.replace('<meta charset="utf-8">', `<meta charset="utf-8">\n  <meta http-equiv="Content-Security-Policy" content="${policy}">`);
fs.writeFileSync(file, html);
console.log(`CSP added to ${file} (${hashes.length} inline script${hashes.length === 1 ? '' : 's'} allowed by hash)`);
