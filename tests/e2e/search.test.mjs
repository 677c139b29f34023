// Hyperparameter search: trials scored by cross-validation on the training
// rows, drawn as they arrive, a table of them, "Use the best", and a cancel
// that keeps the trials so far.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { start, open, waitForText, text, canvasStats, screenshot, artifacts } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

/** Loads breast_cancer and picks the gradient boosting, its rounds searched over 10 to `rounds`. */
async function boostingOnBreastCancer(page, rounds) {
  await page.selectOption('[data-testid=dataset-select]', 'breast_cancer');
  await waitForText(page, 'data-summary', '569 rows');
  await page.selectOption('[data-testid=model-select]', 'gradient_boosting');
  const ticked = await page.locator('#search-settings input[data-search]:checked').evaluateAll((b) => b.map((x) => x.dataset.search));
  assert.deepEqual(ticked, ['learning_rate', 'max_iter'], 'the first two numeric settings start ticked');
  assert.equal(await page.locator('[data-key=learning_rate] small').textContent(), 'log scale', 'the spec says log');
  assert.equal(await page.inputValue('[data-key=learning_rate] input[data-end=low]'), '0.001', 'prefilled from the spec');
  await page.fill('[data-key=max_iter] input[data-end=low]', '10');
  await page.fill('[data-key=max_iter] input[data-end=high]', String(rounds));
}

const rows = (page) => page.locator('[data-testid=search-table] tr').count();

test('a 20-trial random search of the boosting on breast_cancer: live charts, a table of 20, and the best applied', async () => {
  const { page, errors } = await open(env, { width: 1400, height: 1100 });
  await boostingOnBreastCancer(page, 200);
  assert.match(await page.locator('#search-method-note').textContent(), /^Random search draws/);
  await page.selectOption('[data-testid=search-method]', 'bayesian');
  assert.match(await page.locator('#search-method-note').textContent(), /Gaussian-process surrogate .* expected improvement/);
  await page.selectOption('[data-testid=search-method]', 'random');
  await page.fill('[data-testid=search-budget]', '20');
  assert.match(await page.locator('#search-rows').textContent(), /^Each trial is scored by 5-fold cross-validation on the training rows only/);
  const started = Date.now();
  await page.click('[data-testid=search-start]');
  // Live: the trials chart has points before the search ends.
  await page.waitForFunction(() => /^Trial ([3-9]|1\d) of 20/.test(document.getElementById('search-status').textContent), null, { timeout: 120000 });
  assert.ok((await canvasStats(page, 'search-trials-canvas')).inked > 0.01, 'points drawn as trials arrive');
  assert.equal(await page.locator('[data-testid=search-cancel]').isVisible(), true);
  await page.locator('[data-testid=search-panel]').scrollIntoViewIfNeeded();
  await screenshot(page, 'search-running');
  await page.waitForFunction(() => document.getElementById('search-status').textContent.startsWith('20 trials.'), null, { timeout: 300000 });
  console.log(`20 trials of 5-fold CV of the boosting on breast_cancer: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  assert.equal(await rows(page), 20);
  const trials = await canvasStats(page, 'search-trials-canvas');
  assert.ok(trials.inked > 0.02 && trials.colors > 3, JSON.stringify(trials));
  assert.ok((await canvasStats(page, 'search-settings-canvas')).inked > 0.02);
  assert.equal(await page.locator('#search-heatmap-box').isVisible(), false, 'no heat map for a random search');
  assert.match(await page.locator('#search-status').textContent(),
    /^20 trials\. The best, trial (\d+), scored accuracy 0\.\d{3} ± 0\.\d{3} \(mean ± sd over 5 folds of the 456 training rows\)\.$/);

  // The table sorts by score, best first, and marks the best.
  const best = page.locator('[data-testid=search-table] tr.best');
  assert.equal(await best.count(), 1);
  await page.click('button[data-sort=score]');
  assert.equal(await page.locator('th:has(button[data-sort=score])').getAttribute('aria-sort'), 'descending');
  const first = page.locator('[data-testid=search-table] tr').first();
  assert.equal(await first.getAttribute('class'), 'best', 'the best sorts first');
  const [, rate, rounds, score] = await first.locator('th, td').allTextContents();
  await page.click('button[data-sort=score]');
  assert.equal(await page.locator('[data-testid=search-table] tr').last().getAttribute('class'), 'best', 'reversed');
  await screenshot(page, 'search-done');

  // Use the best: the controls take its settings, and the final model is scored once on the test rows.
  assert.equal(await page.inputValue('[data-param=learning_rate]'), '0.1', 'the default before');
  await page.evaluate(() => { document.querySelector('[data-testid=metrics]').textContent = ''; });
  await page.click('[data-testid=search-apply]');
  await waitForText(page, 'metrics', 'Test accuracy', 120000);
  assert.ok(Math.abs(Number(await page.inputValue('[data-param=learning_rate]')) / Number(rate) - 1) < 1e-3,
    `learning rate ${await page.inputValue('[data-param=learning_rate]')} is the best trial's ${rate}`);
  assert.equal(await page.inputValue('[data-param=max_iter]'), rounds);
  await waitForText(page, 'search-verdict', 'Best trial');
  const verdict = await text(page, 'search-verdict');
  assert.ok(verdict.startsWith(`Best trial: 5-fold CV accuracy ${score.split(' ± ')[0]} ± `), verdict);
  assert.match(verdict, /fitted on all 456 training rows: test accuracy 0\.\d{3} ± 0\.\d{3} \(± standard error, on the 113 test rows no trial saw\)/);
  await page.locator('.card.results').screenshot({ path: path.join(artifacts, 'search-applied-results.png') });
  // Training by hand again: the verdict was about the search's settings.
  await page.fill('[data-param=max_iter]', '5');
  await page.evaluate(() => { document.querySelector('[data-testid=metrics]').textContent = ''; });
  await page.click('[data-testid=train-button]');
  await waitForText(page, 'metrics', 'Test accuracy', 60000);
  assert.equal(await text(page, 'search-verdict'), '');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a search canceled mid-way keeps its trials so far, and the best of them can be used', async () => {
  const { page, errors } = await open(env);
  await boostingOnBreastCancer(page, 400);
  await page.fill('[data-testid=search-budget]', '200');
  await page.click('[data-testid=search-start]');
  await page.waitForFunction(() => /^Trial [4-9] of 200/.test(document.getElementById('search-status').textContent), null, { timeout: 120000 });
  await page.click('[data-testid=search-cancel]');
  await page.waitForFunction(() => document.getElementById('search-status').textContent.startsWith('Canceled after'));
  const status = await page.locator('#search-status').textContent();
  const kept = Number(status.match(/^Canceled after (\d+) of 200 trials; the trials so far are kept\. The best, trial \d+, scored accuracy/)?.[1]);
  assert.ok(kept >= 3 && kept < 200, status);
  assert.equal(await rows(page), kept);
  assert.equal(await page.locator('[data-testid=search-table] tr.best').count(), 1);
  assert.equal(await page.locator('[data-testid=search-cancel]').isVisible(), false);
  assert.ok((await canvasStats(page, 'search-trials-canvas')).inked > 0.01, 'the chart of the trials so far stays');
  // The fresh worker has the table back: the best so far trains.
  await page.click('[data-testid=search-apply]');
  await waitForText(page, 'metrics', 'Test accuracy', 120000);
  await waitForText(page, 'search-verdict', 'test accuracy');
  // And a new search starts clean: a 3 × 3 grid over the two settings, with its heat map.
  await page.selectOption('[data-testid=search-method]', 'grid');
  await page.fill('[data-testid=search-budget]', '10');
  await page.click('[data-testid=search-start]');
  await page.waitForFunction(() => document.getElementById('search-status').textContent.startsWith('9 trials.'), null, { timeout: 120000 });
  assert.equal(await rows(page), 9, 'the most values per setting whose grid fits 10 trials: 3 × 3');
  const rounds = await page.locator('[data-testid=search-table] tr td:nth-child(3)').allTextContents();
  assert.deepEqual([...new Set(rounds)].sort((a, b) => a - b), ['10', '63', '400'], 'the range set before the cancel, log-spaced');
  assert.equal(await page.locator('#search-heatmap-box').isVisible(), true);
  const heat = await canvasStats(page, 'search-heatmap-canvas');
  assert.ok(heat.inked > 0.1 && heat.colors > 5, JSON.stringify(heat));
  await page.locator('[data-testid=search-panel]').screenshot({ path: path.join(artifacts, 'search-grid.png') });
  assert.deepEqual(errors, []);
  await page.close();
});
