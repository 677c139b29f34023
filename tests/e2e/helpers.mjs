// Shared setup for the end-to-end tests: serve dist/, open it in Debian's
// headless Chromium, and watch for page errors and network requests.
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from '../server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..', '..');
export const fixture = (name) => path.join(root, 'tests', 'fixtures', name);
export const dataset = (name) => path.join(root, 'www', 'datasets', name);
export const artifacts = path.join(root, 'tests', 'artifacts');

export async function start() {
  const dist = path.join(root, 'dist');
  if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error('dist/ is missing: run scripts/build first');
  const server = await serve(dist);
  const url = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  return { server, browser, url };
}

/**
 * Opens the page and waits until the worker is ready and the default dataset
 * is loaded. From then on, every request and page error is recorded.
 * `deviceScaleFactor` is the screen's pixel ratio (2 for a HiDPI screen).
 */
const OWN_WORKER_FILES = /^\/(worker_loader\.js|worker\.js|worker_bg\.wasm)$/;

export async function open(env, { width = 1400, height = 1000, deviceScaleFactor = 1, touch = false } = {}) {
  // A page in its own context (closed with the page), as axe-core's builder needs.
  // `touch`: a phone's screen, which Chromium then drives by touch as well.
  const context = await env.browser.newContext({ viewport: { width, height }, deviceScaleFactor, isMobile: touch, hasTouch: touch });
  const page = await context.newPage();
  page.on('close', () => context.close().catch(() => {}));
  const errors = [];
  const requests = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  await page.goto(env.url);
  await page.waitForFunction(() => document.querySelector('[data-testid=data-summary]')?.textContent.includes('150 rows'));
  // A job that splits starts helper workers (the pool, one per core) from the
  // page's own worker files: the page's code, not data, which the service
  // worker serves offline. Those are kept apart; any other request after load
  // fails the tests that check `requests`.
  const workerFiles = [];
  page.on('request', (r) => (OWN_WORKER_FILES.test(new URL(r.url()).pathname) ? workerFiles : requests).push(r.url()));
  return { page, errors, requests, workerFiles };
}

/** Drops a file on the drop zone the way a browser does: a DataTransfer carrying a File. */
export async function dropFile(page, file) {
  const bytes = [...fs.readFileSync(file)];
  const name = path.basename(file);
  await page.evaluate(({ bytes, name }) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], name, { type: 'text/csv' }));
    const zone = document.querySelector('[data-testid=drop-zone]');
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, { bytes, name });
}

export const text = (page, id) => page.locator(`[data-testid=${id}]`).textContent();

/** Waits until the element's text contains `needle`. */
export async function waitForText(page, id, needle, timeout = 30000) {
  await page.waitForFunction(
    ({ id, needle }) => document.querySelector(`[data-testid=${id}]`)?.textContent.includes(needle),
    { id, needle }, { timeout });
}

/** Clicks Train and waits for the metrics of the new model: its answer, which the evaluation views follow. */
export async function trainModelFirst(page) {
  await page.evaluate(() => { document.querySelector('[data-testid=metrics]').textContent = ''; });
  await page.click('[data-testid=train-button]');
  await page.waitForFunction(() => /Test (accuracy|R²|inertia)/.test(document.querySelector('[data-testid=metrics]').textContent),
    null, { timeout: 60000 });
}

/** Clicks Train and waits for the metrics of the new model and for every evaluation view that follows them. */
export async function train(page) {
  await trainModelFirst(page);
  await page.waitForFunction(() => !/computing…|waiting for/.test(document.querySelector('[data-testid=views-status]').textContent),
    null, { timeout: 120000 });
}

/**
 * What a person would see on a canvas: its size, the share of pixels that are
 * not background (white or transparent), how many distinct colors it has, and
 * a hash of its pixels to tell whether it changed.
 */
export function canvasStats(page, id) {
  return page.evaluate((id) => {
    const c = document.querySelector(`[data-testid=${id}]`);
    if (!c.width || !c.height) return { width: c.width, height: c.height, inked: 0, colors: 0 };
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let inked = 0;
    let hash = 0;
    const colors = new Set();
    for (let i = 0; i < d.length; i += 4) {
      const background = d[i + 3] === 0 || (d[i] > 250 && d[i + 1] > 250 && d[i + 2] > 250);
      if (!background) inked++;
      if (i % 64 === 0) colors.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      hash = (Math.imul(hash, 31) + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) | 0;
    }
    return { width: c.width, height: c.height, inked: inked / (d.length / 4), colors: colors.size, hash };
  }, id);
}

/** Polls the canvas until its pixels differ from `hash`; returns its new stats. */
export async function waitForCanvasChange(page, id, hash, timeout = 15000) {
  const end = Date.now() + timeout;
  for (;;) {
    const stats = await canvasStats(page, id);
    if (stats.hash !== hash) return stats;
    if (Date.now() > end) throw new Error(`${id} did not change within ${timeout} ms`);
    await page.waitForTimeout(50);
  }
}

export async function screenshot(page, name) {
  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

/**
 * Runs axe-core on the page (or only inside the `include` selectors) against
 * WCAG 2.0, 2.1 and 2.2 A and AA, colour contrast included, and returns the
 * serious and critical violations, each as its rule, impact, help and the
 * first few offending elements: an empty list is a pass.
 */
export async function axeCheck(page, { include = [], exclude = [] } = {}) {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']);
  for (const selector of include) builder = builder.include(selector);
  for (const selector of exclude) builder = builder.exclude(selector);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ rule: v.id, impact: v.impact, help: v.help, count: v.nodes.length, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
}
