// Runs a wasm benchmark page (index.html, or the one named after the folder)
// in headless Chromium and prints its JSON lines. BENCH_MODELS=knn,kmeans
// passes `?models=` to the page.
import { chromium } from 'playwright-core';
import { serve } from '../server.mjs';

const dir = process.argv[2];
const pageName = process.argv[3] ?? 'index.html';
const server = await serve(dir);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  // BENCH_MODELS (comma-separated registry ids) times only those models, as natively.
  const models = process.env.BENCH_MODELS ? `?models=${encodeURIComponent(process.env.BENCH_MODELS)}` : '';
  await page.goto(`http://127.0.0.1:${server.address().port}/${pageName}${models}`);
  await page.waitForFunction(() => typeof window.benchResults === 'string', null, { timeout: 600000 });
  console.log(await page.evaluate(() => window.benchResults));
} finally {
  await browser.close();
  server.close();
}
