// Ingest speed in headless Chromium on one CSV file: Micro Models' built page
// (from choosing the file to the table's summary, parsing in its worker) and
// papaparse (a devDependency) on the same bytes in a page of its own.
// Prints one JSON line per runner. Usage: node tests/bench/csv.mjs dist FILE
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { serve } from '../server.mjs';

const [dist, file] = process.argv.slice(2);
const megabytes = fs.statSync(file).size / 1e6;
const server = await serve(dist);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const line = (runner, seconds) => console.log(JSON.stringify({ runner, megabytes: +megabytes.toFixed(1), seconds: +seconds.toFixed(2), mb_per_s: +(megabytes / seconds).toFixed(1) }));
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => document.querySelector('[data-testid=data-summary]')?.textContent.includes('150 rows'));
  // The worker's WebAssembly memory only grows: its growth over the load is the read's peak.
  const memory = () => page.workers().at(-1).evaluate(async () => (await wasm_bindgen()).memory.buffer.byteLength);
  const before = await memory();
  const t0 = Date.now();
  await page.setInputFiles('[data-testid=file-input]', file);
  await page.waitForFunction(() => /^1,000,000 rows/.test(document.querySelector('[data-testid=data-summary]').textContent), null, { timeout: 300000 });
  line('micro models (chromium, wasm worker)', (Date.now() - t0) / 1000);
  const grown = (await memory()) - before;
  console.log(JSON.stringify({ runner: 'micro models: worker memory grown while reading', megabytes: +(grown / 1e6).toFixed(1), times_the_file: +(grown / 1e6 / megabytes).toFixed(2) }));

  const papa = createRequire(import.meta.url).resolve('papaparse/papaparse.min.js');
  const blank = await browser.newPage();
  await blank.setContent('<input type=file>');
  await blank.addScriptTag({ path: papa });
  await blank.setInputFiles('input', file);
  const seconds = await blank.evaluate(async () => {
    const text = await document.querySelector('input').files[0].text();
    const t0 = performance.now();
    const result = Papa.parse(text, { header: true, dynamicTyping: true, skipEmptyLines: true });
    if (result.data.length !== 1_000_000) throw new Error(`papaparse read ${result.data.length} rows`);
    return (performance.now() - t0) / 1000;
  });
  line('papaparse (chromium, main thread, text in memory)', seconds);
} finally {
  await browser.close();
  server.close();
}
