// How big the built page is and how fast it opens: the two wasm files'
// gzipped sizes, and on loopback the first contentful paint and "ready to
// train" (the page's `mm-ready` mark, when Train is first enabled), median
// of five first visits (each a fresh browser profile) and of five reloads
// served by the service worker. Reports; never fails on speed.
// Usage: node tests/bench/open.mjs dist
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { serve } from '../server.mjs';

const dist = process.argv[2];
const kb = (bytes) => `${(bytes / 1000).toFixed(0)} KB`;
for (const file of fs.readdirSync(dist).filter((f) => f.endsWith('.wasm')).sort()) {
  const bytes = fs.readFileSync(path.join(dist, file));
  const gzipped = zlib.gzipSync(bytes, { level: 9 }).length;
  console.log(`${file.startsWith('app') ? 'app   ' : 'worker'} wasm: ${kb(gzipped)} gzipped (${kb(bytes.length)} raw), ${file}`);
}

const server = await serve(dist);
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const opening = (page) => page.waitForFunction(() => performance.getEntriesByName('mm-ready').length > 0, null, { timeout: 60000 })
  .then(() => page.evaluate(() => [
    performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    performance.getEntriesByName('mm-ready')[0].startTime,
  ]));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const first = [];
  const again = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    first.push(await opening(page));
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.reload();
    again.push(await opening(page));
    await context.close();
  }
  for (const [name, runs] of [['first visit', first], ['reload (service worker)', again]]) {
    console.log(`opening on loopback, ${name}: first paint ${median(runs.map((r) => r[0])).toFixed(0)} ms, `
      + `ready to train ${median(runs.map((r) => r[1])).toFixed(0)} ms (median of ${runs.length})`);
  }
} finally {
  await browser.close();
  server.close();
}
