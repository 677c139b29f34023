// The pool of helper workers: a cross-validation's folds computed by helper
// workers while the primary trains, a search's trials and a comparison's
// models computed by helpers while the primary waits, give the very same
// scores as one worker computing everything (`?workers=1`); and a trained
// model's learning curve, refitted by helpers while the primary fits the
// model and computes its other views, is the single worker's curve.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, train, waitForText, text } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

/** Opens the page with `?workers=N`, trains a forest with 5-fold cross-validation, and says what it showed. */
async function crossValidate(workers) {
  const { page, errors } = await open(env);
  await page.goto(`${env.url}?workers=${workers}`);
  await page.waitForFunction(() => document.querySelector('[data-testid=data-summary]')?.textContent.includes('150 rows'));
  await page.selectOption('[data-testid=model-select]', 'random_forest');
  await page.selectOption('[data-testid=cv-folds]', '5');
  await train(page);
  await waitForText(page, 'cv-summary', 'cross-validation');
  // Whichever comes first, the model or its folds, the page ends idle and says both are done.
  await page.waitForFunction(() => document.getElementById('progress-text').textContent === 'Trained and cross-validated.');
  assert.equal(await page.locator('[data-testid=train-button]').isDisabled(), false, 'Train can be pressed again');
  const shown = { metrics: await text(page, 'metrics'), cv: await text(page, 'cv-summary'), workers: page.workers().length };
  assert.deepEqual(errors, []);
  await page.close();
  return shown;
}

test('folds computed by helper workers give the single worker\'s scores, digit for digit', async () => {
  const one = await crossValidate(1);
  assert.equal(one.workers, 1, 'one worker: no helper started');
  const pool = await crossValidate(3);
  assert.equal(pool.workers, 3, 'the primary and two helpers');
  assert.match(one.cv, /^5-fold cross-validation: accuracy/);
  assert.equal(pool.cv, one.cv);
  assert.equal(pool.metrics, one.metrics);
});

/** The number of pieces helper workers answered, as the page counts them for tests. */
const helperPieces = (page) => page.evaluate(() => Number(document.documentElement.dataset.helperPieces ?? 0));

/**
 * Opens the page with `?workers=N` on breast_cancer, runs a 12-trial random
 * search of the decision tree and a comparison of four models, and says what
 * it showed: the trials (settings and CV scores), the comparison's table
 * without its two measured times, the workers and the pieces helpers answered.
 */
async function searchAndCompare(workers) {
  const { page, errors } = await open(env);
  await page.goto(`${env.url}?workers=${workers}`);
  await page.waitForFunction(() => document.querySelector('[data-testid=data-summary]')?.textContent.includes('150 rows'));
  await page.selectOption('[data-testid=dataset-select]', 'breast_cancer');
  await waitForText(page, 'data-summary', '569 rows');
  await page.selectOption('[data-testid=model-select]', 'decision_tree');
  await page.selectOption('[data-testid=search-method]', 'random');
  await page.fill('[data-testid=search-budget]', '12');
  await page.click('[data-testid=search-start]');
  await page.waitForFunction(() => document.getElementById('search-status').textContent.startsWith('12 trials.'), null, { timeout: 120000 });
  const search = {
    status: await page.locator('#search-status').textContent(),
    trials: await page.locator('[data-testid=search-table] tr').allTextContents(),
  };
  const searchPieces = await helperPieces(page);
  assert.equal(await page.locator('#progress-text').textContent(), 'Searched.');

  const keep = ['decision_tree', 'knn', 'logistic_regression', 'naive_bayes'];
  for (const box of await page.locator('#compare-models input').all()) {
    await box.setChecked(keep.includes(await box.inputValue()));
  }
  await page.click('[data-testid=compare-button]');
  await page.waitForFunction(() => document.getElementById('progress-text').textContent === 'Compared.', null, { timeout: 120000 });
  const compared = await page.locator('[data-testid=compare-table] tr').evaluateAll((rows) => rows.map(
    // The model, test score, test rows, train score, parameters, bytes: not µs per row and fit ms, measured where each ran.
    (r) => [...r.querySelectorAll('th, td')].slice(0, 6).map((c) => c.textContent).join(' | ')));
  const shown = { search, compared, searchPieces, pieces: await helperPieces(page), workers: page.workers().length };
  assert.deepEqual(errors, []);
  await page.close();
  return shown;
}

test('a search\'s trials and a comparison\'s models computed by helper workers give the single worker\'s scores', async () => {
  const one = await searchAndCompare(1);
  assert.equal(one.workers, 1, 'one worker: no helper started');
  assert.equal(one.pieces, 0);
  const pool = await searchAndCompare(3);
  // The primary only waits for a search or a comparison: a helper takes its core too.
  assert.equal(pool.workers, 4, 'the primary and three helpers');
  assert.equal(pool.searchPieces, 12, 'helpers computed every trial');
  assert.equal(pool.pieces, 16, 'and every model compared');
  assert.equal(one.search.trials.length, 12);
  assert.match(one.search.status, /^12 trials\. The best, trial \d+, scored accuracy 0\.\d{3}/);
  assert.deepEqual(pool.search, one.search);
  assert.equal(one.compared.length, 4);
  assert.deepEqual(pool.compared, one.compared);
});

/**
 * Opens the page with `?workers=N` on breast_cancer, trains `model` without
 * cross-validation and waits for every view; says the learning curve's
 * numbers and note, the other views' numbers, and the pieces helpers answered.
 */
async function learningCurve(workers, model) {
  const { page, errors } = await open(env);
  await page.goto(`${env.url}?workers=${workers}`);
  await page.waitForFunction(() => document.querySelector('[data-testid=data-summary]')?.textContent.includes('150 rows'));
  await page.selectOption('[data-testid=dataset-select]', 'breast_cancer');
  await waitForText(page, 'data-summary', '569 rows');
  await page.selectOption('[data-testid=model-select]', model);
  await page.evaluate(() => {
    window.curveLines = [];
    const list = document.querySelector('[data-testid=views-status]');
    new MutationObserver(() => window.curveLines.push(list.textContent)).observe(list, { childList: true, subtree: true, characterData: true });
  });
  await train(page);
  await waitForText(page, 'views-status', 'Learning curve: ready');
  const numbers = (id) => page.locator(`[data-testid=${id}] tr`).allTextContents();
  const shown = {
    curve: await numbers('learning-curve-numbers'),
    label: await page.locator('[data-testid=learning-curve-canvas]').getAttribute('aria-label'),
    permutation: await numbers('permutation-numbers'),
    metrics: await text(page, 'metrics'),
    lines: await page.evaluate(() => window.curveLines),
    pieces: await helperPieces(page),
    workers: page.workers().length,
  };
  assert.deepEqual(errors, []);
  await page.close();
  return shown;
}

test('a learning curve refitted by helper workers is the single worker\'s, digit for digit', async () => {
  for (const model of ['decision_tree', 'logistic_regression']) {
    const one = await learningCurve(1, model);
    assert.equal(one.workers, 1, 'one worker: no helper started');
    assert.equal(one.pieces, 0);
    const pool = await learningCurve(3, model);
    assert.equal(pool.workers, 3, 'the primary and two helpers: the primary computes the other views');
    // Three folds per point, at least two points.
    assert.ok(pool.pieces >= 6, `helpers refitted the curve: ${pool.pieces} pieces`);
    assert.ok(pool.lines.some((l) => l.includes('(on the helper workers)')), `its line said where: ${pool.lines.join(' / ')}`);
    assert.ok(one.curve.length >= 3, `${model}: the curve has points: ${one.curve}`);
    assert.deepEqual(pool.curve, one.curve);
    assert.equal(pool.label, one.label);
    assert.deepEqual(pool.permutation, one.permutation);
    assert.equal(pool.metrics, one.metrics);
  }
});
