// The pool of helper workers: a cross-validation's folds computed by helper
// workers while the primary trains give the very same scores as one worker
// computing everything (`?workers=1`).
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
