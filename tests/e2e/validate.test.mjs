// Honest validation: k-fold cross-validation on the training rows, beside
// the test score, said where it comes from.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, train, waitForText, text, canvasStats } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

test('five folds of the training rows score the settings, and the page says where each score comes from', async () => {
  const { page, errors } = await open(env);
  assert.equal(await page.locator('[data-testid=cv-summary]').isVisible(), false, 'no folds asked, none shown');
  await page.selectOption('[data-testid=cv-folds]', '5');
  await train(page);
  await waitForText(page, 'cv-summary', 'cross-validation');
  const summary = await text(page, 'cv-summary');
  const m = summary.match(/^5-fold cross-validation: accuracy (\d\.\d{3}) ± (\d\.\d{3}), mean ± sd over 5 folds of the 120 training rows \(each fold: ([\d., ]+)\)/);
  assert.ok(m, summary);
  const folds = m[3].split(', ').map(Number);
  assert.equal(folds.length, 5);
  const mean = folds.reduce((a, b) => a + b, 0) / 5;
  assert.ok(Math.abs(mean - Number(m[1])) < 0.002, `the mean of ${folds} is ${m[1]}`);
  assert.match(summary, /the test score above comes from rows no fold used/);
  assert.match(await text(page, 'metrics'), /^Test accuracy .* 120 training rows, 30 test rows \(20 %, held out and scored once\)$/);
  // The strip plot: drawn, and its label names each fold's score.
  const strip = await canvasStats(page, 'cv-canvas');
  assert.ok(strip.inked > 0.01, `cv-canvas drawn: ${JSON.stringify(strip)}`);
  const label = await page.locator('[data-testid=cv-canvas]').getAttribute('aria-label');
  assert.equal(label, `accuracy fold scores, one dot each: ${m[3]}; mean ${m[1]}, band ± ${m[2]} (one sd)`);
  await page.waitForFunction(() => document.getElementById('progress-text').textContent === 'Trained and cross-validated.');
  await page.selectOption('[data-testid=cv-folds]', '0');
  await train(page);
  assert.equal(await text(page, 'cv-summary'), '', 'folds off: the last folds are not left on show');
  assert.equal(await page.locator('[data-testid=cv-canvas]').isVisible(), false, 'nor their strip');
  assert.deepEqual(errors, []);
  await page.close();
});

test('folds can keep each island together, or follow the years from past to future', async () => {
  const { page, errors } = await open(env);
  await page.selectOption('[data-testid=dataset-select]', 'penguins');
  await waitForText(page, 'data-summary', '344 rows');
  const options = await page.locator('[data-testid=cv-split] option').evaluateAll((o) => o.map((x) => x.value));
  assert.ok(options.includes('group:island') && options.includes('time:year') && !options.includes('time:island'), `${options}`);
  await page.selectOption('[data-testid=cv-folds]', '3');
  await page.selectOption('[data-testid=cv-split]', 'group:island');
  await train(page);
  await waitForText(page, 'cv-summary', 'cross-validation');
  assert.match(await text(page, 'cv-summary'), /^3-fold cross-validation, each island kept in one fold: accuracy [\d.]+ ± [\d.]+, mean ± sd over 3 folds of the 275 training rows/);
  await page.selectOption('[data-testid=cv-split]', 'time:bill_length_mm');
  await train(page);
  await waitForText(page, 'error-message', 'cannot order the rows in time');
  assert.match(await text(page, 'error-message'), /training rows? ha(s|ve) no value in it/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the test share holds out more rows when raised, and cross-validation follows on the rest', async () => {
  const { page, errors } = await open(env);
  assert.equal(await page.locator('[data-testid=test-share]').inputValue(), '20');
  await train(page);
  assert.match(await text(page, 'metrics'), /120 training rows, 30 test rows \(20 %, held out and scored once\)$/);
  await page.selectOption('[data-testid=test-share]', '30');
  await page.selectOption('[data-testid=cv-folds]', '3');
  await train(page);
  await waitForText(page, 'cv-summary', 'cross-validation');
  // 15 of each species' 50 rows held out.
  assert.match(await text(page, 'metrics'), /105 training rows, 45 test rows \(30 %, held out and scored once\)$/);
  assert.match(await text(page, 'cv-summary'), /mean ± sd over 3 folds of the 105 training rows/);
  assert.deepEqual(errors, []);
  await page.close();
});
