// Honest evaluation on the page: every model gets permutation importance,
// partial dependence and a learning curve; classifiers a confusion matrix and
// ROC / precision–recall curves, regressions their residuals. Each chart has a
// text alternative with its numbers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, train, canvasStats, waitForCanvasChange, screenshot } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

async function assertDrawn(page, id) {
  const s = await canvasStats(page, id);
  assert.ok(s.width > 200 && s.height > 100, `${id} is sized (${s.width}×${s.height})`);
  assert.ok(s.inked > 0.01, `${id} has something drawn (${(s.inked * 100).toFixed(1)}% inked)`);
  assert.ok(s.colors >= 3, `${id} has more than one color (${s.colors})`);
  const label = await page.locator(`[data-testid=${id}]`).getAttribute('aria-label');
  assert.equal(await page.locator(`[data-testid=${id}]`).getAttribute('role'), 'img');
  assert.ok(label.length > 20, `${id} is described: ${label}`);
  return s;
}

const visible = (page, id) => page.locator(`[data-testid=${id}]`).isVisible();

/** The cells of a numbers table, row by row. */
const cells = (page, id) => page.locator(`[data-testid=${id}] tr`).evaluateAll(
  (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));

async function pick(page, dataset, model) {
  await page.selectOption('[data-testid=dataset-select]', dataset);
  await page.waitForFunction((d) => document.querySelector('[data-testid=data-summary]').textContent.includes(d), dataset);
  await page.selectOption('[data-testid=model-select]', model);
}

test('iris: confusion matrix, ROC with AUC, permutation importance, partial dependence, learning curve', async () => {
  const { page, errors } = await open(env);
  await page.selectOption('[data-testid=model-select]', 'random_forest');
  await train(page);
  for (const id of ['permutation-canvas', 'pdp-canvas', 'confusion-canvas', 'roc-canvas', 'learning-curve-canvas']) {
    await assertDrawn(page, id);
  }
  assert.equal(await visible(page, 'residuals-card'), false, 'no residuals for a classifier');
  // The forest has its own importance beside the permutation one.
  assert.equal(await page.locator('#importance-card').isVisible(), true);

  // The confusion table adds up to the 30 test rows, 10 per species.
  const confusion = await cells(page, 'confusion-numbers');
  assert.deepEqual(confusion[0].slice(1), ['setosa', 'versicolor', 'virginica', 'total']);
  assert.equal(confusion.at(-1).at(-1), '30');
  assert.deepEqual(confusion.slice(1, 4).map((r) => r.at(-1)), ['10', '10', '10']);

  // ROC: an AUC per class in the label and the table, and a macro average.
  const roc = await page.locator('[data-testid=roc-canvas]').getAttribute('aria-label');
  assert.match(roc, /setosa: AUC (1|0\.\d+)/);
  const rocRows = await cells(page, 'roc-numbers');
  assert.equal(rocRows.length, 5, 'header, three classes, macro');
  for (const row of rocRows.slice(1)) assert.ok(Number(row[1]) > 0.8 && Number(row[1]) <= 1, row.join(' '));

  // Permutation: every feature with its spread.
  const perm = await cells(page, 'permutation-numbers');
  assert.equal(perm.length, 5);
  assert.ok(perm.slice(1).every((r) => r[2] !== ''), 'a spread for every feature');

  // A learning curve over the forest's trees, with the person's 100 among them.
  const curve = await cells(page, 'learning-curve-numbers');
  assert.equal(curve[0][0], 'trees');
  assert.ok(curve.some((r) => r[0] === '100'), JSON.stringify(curve));

  // Picking another feature redraws the partial dependence.
  const features = await page.locator('[data-testid=pdp-feature-select] option').allTextContents();
  assert.equal(features.length, 4);
  const before = await canvasStats(page, 'pdp-canvas');
  await page.selectOption('[data-testid=pdp-feature-select]', features[3]);
  const after = await waitForCanvasChange(page, 'pdp-canvas', before.hash);
  assert.ok(after.inked > 0.01);
  assert.equal((await cells(page, 'pdp-numbers'))[0][0], features[3]);
  assert.ok((await page.locator('[data-testid=pdp-canvas]').getAttribute('aria-label')).includes(features[3]));
  await screenshot(page, 'evaluation-iris');
  assert.deepEqual(errors, []);
  await page.close();
});

test('diabetes: residuals instead of class views, and permutation importance for a model without its own', async () => {
  const { page, errors } = await open(env);
  await pick(page, 'diabetes', 'knn');
  await train(page);
  for (const id of ['permutation-canvas', 'pdp-canvas', 'residuals-canvas', 'learning-curve-canvas']) {
    await assertDrawn(page, id);
  }
  for (const card of ['confusion-card', 'roc-card']) assert.equal(await visible(page, card), false, `${card} hidden`);
  // kNN has no importance of its own: one permutation chart, not two.
  assert.equal(await page.locator('#importance-card').isVisible(), false);
  const residuals = await cells(page, 'residuals-numbers');
  assert.deepEqual(residuals[1], ['test rows', '88']);
  const curve = await cells(page, 'learning-curve-numbers');
  assert.equal(curve[0][0], 'neighbours (k)');
  await screenshot(page, 'evaluation-diabetes');
  assert.deepEqual(errors, []);
  await page.close();
});
