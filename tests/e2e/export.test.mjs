// Taking things away: every chart as PNG (at the screen's pixel ratio, 2× at
// least) and SVG (plotters' SVG backend, the title as text), the predictions
// for every row as CSV, and any Numbers table as CSV or copied. Run at a
// device pixel ratio of 2, as on a HiDPI screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { start, open, train } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

/** Clicks `selector` and returns the download it starts: its file name and bytes. */
async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: file.suggestedFilename(), bytes: fs.readFileSync(await file.path()) };
}

/** A PNG's width and height, from its IHDR chunk (after the 8-byte signature and the chunk's length and type). */
function pngSize(bytes) {
  assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'a PNG signature');
  assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The rows of CSV text (cells as the csv crate writes them: quoted when they hold a comma or quote). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; } else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

async function pick(page, dataset, model) {
  await page.selectOption('[data-testid=dataset-select]', dataset);
  await page.waitForFunction((d) => document.querySelector('[data-testid=data-summary]').textContent.includes(d), dataset);
  await page.selectOption('[data-testid=model-select]', model);
}

const rowCount = async (page) => Number((await page.locator('[data-testid=data-summary]').textContent())
  .match(/([\d,]+) rows/)[1].replace(/,/g, ''));

test('penguins: a chart as PNG and SVG, the predictions and a Numbers table as CSV', async () => {
  const { page, errors } = await open(env, { deviceScaleFactor: 2 });
  assert.equal(await page.evaluate(() => window.devicePixelRatio), 2);
  await pick(page, 'penguins', 'decision_tree');
  await train(page);

  // Every drawn chart has its pair of buttons, named after its view.
  const views = await page.locator('[data-testid=export-png]').evaluateAll((bs) => bs.map((b) => b.dataset.view));
  for (const view of ['boundary', 'tree', 'importance', 'confusion', 'roc', 'permutation']) {
    assert.ok(views.includes(view), `a PNG button for ${view}: ${views}`);
  }
  assert.equal(await page.locator('[data-testid=export-svg]').count(), views.length, 'an SVG button beside every PNG one');

  // PNG: the canvas's CSS size times the pixel ratio.
  const png = await download(page, '[data-testid=export-png][data-view=boundary]');
  assert.equal(png.name, 'penguins-decision_tree-boundary.png');
  const canvas = await page.locator('[data-testid=boundary-canvas]').evaluate((c) => ({
    cssWidth: parseFloat(c.style.width), width: c.width, height: c.height,
  }));
  const size = pngSize(png.bytes);
  assert.equal(size.width, Math.round(canvas.cssWidth * 2), `PNG ${size.width} wide for a ${canvas.cssWidth} px canvas`);
  assert.deepEqual(size, { width: canvas.width, height: canvas.height });

  // SVG: parses, holds the chart's title as text and the regions as one image.
  const svg = await download(page, '[data-testid=export-svg][data-view=boundary]');
  assert.equal(svg.name, 'penguins-decision_tree-boundary.svg');
  const label = await page.locator('[data-testid=boundary-canvas]').getAttribute('aria-label');
  const title = label.split(', over ')[0];
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      root: doc.documentElement.nodeName,
      texts: [...doc.querySelectorAll('text')].map((t) => t.textContent.trim()),
      images: [...doc.querySelectorAll('image')].map((i) => i.getAttribute('href').slice(0, 22)),
    };
  }, svg.bytes.toString('utf8'));
  assert.equal(parsed.error, null);
  assert.equal(parsed.root, 'svg');
  assert.ok(parsed.texts.includes(title), `the title "${title}" is in the SVG's text`);
  assert.deepEqual(parsed.images, ['data:image/png;base64,']);

  // The tree's SVG too (no grid in it).
  const tree = await download(page, '[data-testid=export-svg][data-view=tree]');
  assert.match(tree.bytes.toString('utf8'), /^<svg[\s\S]*<\/svg>\s*$/);

  // Predictions: one row per table row, with its split, class probabilities and, for test rows, right or not.
  const predictions = await download(page, '[data-testid=export-predictions]');
  assert.equal(predictions.name, 'penguins-decision_tree-predictions.csv');
  const [head, ...rows] = parseCsv(predictions.bytes.toString('utf8'));
  assert.deepEqual(head, ['row', 'split', 'actual species', 'predicted species',
    'P(Adelie)', 'P(Gentoo)', 'P(Chinstrap)', 'right']);
  assert.equal(rows.length, await rowCount(page));
  const metrics = await page.locator('[data-testid=metrics]').textContent();
  const tested = rows.filter((r) => r[1] === 'test');
  assert.ok(tested.length > 0 && rows.every((r) => ['train', 'test'].includes(r[1])));
  assert.ok(tested.every((r) => r[7] === (r[2] === r[3] ? 'yes' : 'no')));
  assert.ok(rows.filter((r) => r[1] === 'train').every((r) => r[7] === ''));
  for (const r of rows) assert.ok(Math.abs(r.slice(4, 7).map(Number).reduce((a, b) => a + b) - 1) < 1e-5, r.join(','));
  assert.ok(metrics.length > 0);

  // A Numbers table: its CSV holds the rows the page shows, and Copy puts them on the clipboard, tab-separated.
  await page.click('[data-testid=confusion-card] details.numbers summary');
  const shown = await page.locator('[data-testid=confusion-numbers] tr').evaluateAll(
    (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  const table = await download(page, '[data-testid=confusion-card] [data-testid=numbers-csv]');
  assert.equal(table.name, 'penguins-decision_tree-confusion_numbers.csv');
  assert.deepEqual(parseCsv(table.bytes.toString('utf8')), shown);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.url });
  await page.click('[data-testid=confusion-card] [data-testid=numbers-copy]');
  await page.waitForFunction(() => document.querySelector('[data-testid=confusion-card] [data-testid=numbers-copy]').textContent === 'Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.deepEqual(copied.trimEnd().split('\n').map((l) => l.split('\t')), shown);

  assert.equal(await page.locator('[data-testid=error-message]').textContent(), '');
  assert.deepEqual(errors, []);
});

test('a regression writes values and errors, a clustering its clusters; their charts export too', async () => {
  const { page, errors } = await open(env, { deviceScaleFactor: 2 });
  await pick(page, 'diabetes', 'decision_tree');
  await train(page);
  const [head, ...rows] = parseCsv((await download(page, '[data-testid=export-predictions]')).bytes.toString('utf8'));
  assert.deepEqual(head, ['row', 'split', 'actual progression', 'predicted progression', 'error']);
  assert.equal(rows.length, await rowCount(page));
  for (const r of rows.filter((r) => r[1] === 'test')) {
    assert.ok(Math.abs(Number(r[3]) - Number(r[2]) - Number(r[4])) < 1e-6 * Math.max(1, Math.abs(Number(r[2]))), r.join(','));
  }
  const residuals = await download(page, '[data-testid=export-png][data-view=residuals]');
  assert.equal(residuals.name, 'diabetes-decision_tree-residuals.png');
  const canvas = await page.locator('[data-testid=residuals-canvas]').evaluate((c) => [c.width, c.height]);
  const size = pngSize(residuals.bytes);
  assert.deepEqual([size.width, size.height], canvas);

  await page.selectOption('[data-testid=dataset-select]', 'iris');
  await page.waitForFunction(() => document.querySelector('[data-testid=data-summary]').textContent.includes('iris'));
  await page.selectOption('[data-testid=task-select]', 'clustering');
  assert.equal(await page.locator('[data-testid=model-select]').inputValue(), 'kmeans');
  await train(page);
  const clusters = parseCsv((await download(page, '[data-testid=export-predictions]')).bytes.toString('utf8'));
  assert.deepEqual(clusters[0], ['row', 'split', 'cluster']);
  assert.equal(clusters.length - 1, 150);
  assert.ok(clusters.slice(1).every((r) => /^cluster \d+$/.test(r[2])));
  const svg = (await download(page, '[data-testid=export-svg][data-view=boundary]')).bytes.toString('utf8');
  assert.match(svg, /<text[^>]*>\s*[^<]*clusters/i, 'the clusters plot keeps its title');
  assert.deepEqual(errors, []);
});
