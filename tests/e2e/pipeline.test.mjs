// The feature pipeline a person can see and edit: PCA on digits before kNN,
// its scree and loadings drawn, the model reading components; a bad setting
// named on the page; the default untouched unless changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, train, waitForText, text, canvasStats } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

const steps = (page) => page.locator('[data-testid=pipeline-step]').evaluateAll((els) => els.map((e) => e.dataset.step));

test('the default pipeline is shown as steps and follows the model until the person changes it', async () => {
  const { page, errors } = await open(env);
  await page.selectOption('[data-testid=model-select]', 'decision_tree');
  assert.deepEqual(await steps(page), ['impute', 'encode', 'scale']);
  assert.equal(await page.locator('[data-testid=pipeline-step][data-step=scale] [data-field=scaler]').inputValue(), 'none');
  await page.selectOption('[data-testid=model-select]', 'knn');
  assert.equal(await page.locator('[data-testid=pipeline-step][data-step=scale] [data-field=scaler]').inputValue(), 'standard',
    'kNN measures distances, so its default scales');
  // Impute and encode are needed once: they cannot be removed.
  assert.equal(await page.locator('[data-testid=pipeline-step][data-step=impute] [data-action=remove]').count(), 0);
  await train(page);
  assert.match(await text(page, 'pipeline-inputs'), /^The model sees 4 inputs: sepal length \(cm\), sepal width \(cm\), petal length \(cm\), petal width \(cm\)\./);
  assert.deepEqual(errors, []);
  await page.close();
});

test('PCA on digits: kNN reads ten components, and the page draws the scree and the loadings', async () => {
  const { page, errors } = await open(env);
  await page.selectOption('[data-testid=dataset-select]', 'digits');
  await waitForText(page, 'data-summary', '1,797 rows');
  await page.selectOption('[data-testid=model-select]', 'knn');
  await page.selectOption('[data-testid=pipeline-add]', 'pca');
  assert.deepEqual(await steps(page), ['impute', 'encode', 'scale', 'pca']);
  const pca = page.locator('[data-testid=pipeline-step][data-step=pca]');
  await pca.locator('[data-field=keep]').selectOption('components');
  await pca.locator('[data-field=amount]').fill('10');
  await pca.locator('[data-field=amount]').dispatchEvent('change');
  await train(page);
  const inputs = await text(page, 'pipeline-inputs');
  // Ten components of the numeric pixels; the three pixels digits holds as
  // yes/no flags stay as they are, after them.
  assert.match(inputs, /^The model sees 13 inputs: PC1, PC2, PC3, PC4, PC5, PC6, PC7, PC8, PC9, PC10, pixel_\d_\d, pixel_\d_\d, pixel_\d_\d\.$/, inputs);
  const scree = await canvasStats(page, 'scree-canvas');
  const loadings = await canvasStats(page, 'loadings-canvas');
  assert.ok(scree.width > 200 && scree.inked > 0.03, `scree drawn: ${JSON.stringify(scree)}`);
  assert.ok(loadings.width > 200 && loadings.inked > 0.05, `loadings drawn: ${JSON.stringify(loadings)}`);
  const accuracy = Number((await text(page, 'metrics')).match(/Test accuracy (\d\.\d+)/)[1]);
  assert.ok(accuracy > 0.85, `ten components keep digits apart: ${accuracy}`);
  // The step says what it did, in the Features list and in the card.
  assert.match(await pca.locator('.step-what').textContent(), /Kept 10 principal components of 61 inputs/);
  assert.match(await text(page, 'pipeline-report'), /Kept 10 principal components/);
  await page.locator('#pipeline-card').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'artifacts/pipeline-pca-digits.png', fullPage: false });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a step set to what cannot be fitted says why, and nothing is lost', async () => {
  const { page, errors } = await open(env);
  await page.selectOption('[data-testid=model-select]', 'knn');
  await train(page);
  const before = await text(page, 'metrics');
  await page.selectOption('[data-testid=pipeline-add]', 'pca');
  const pca = page.locator('[data-testid=pipeline-step][data-step=pca]');
  await pca.locator('[data-field=keep]').selectOption('components');
  await pca.locator('[data-field=amount]').fill('9');
  await pca.locator('[data-field=amount]').dispatchEvent('change');
  await page.click('[data-testid=train-button]');
  await waitForText(page, 'error-message', 'PCA');
  assert.match(await text(page, 'error-message'), /4/, 'the message says how many inputs there are');
  assert.equal(await text(page, 'metrics'), before, 'the model trained before stays on show');
  // A number that is not one is named before anything is sent.
  await pca.locator('[data-field=amount]').fill('');
  await pca.locator('[data-field=amount]').dispatchEvent('change');
  await page.click('[data-testid=train-button]');
  await waitForText(page, 'error-message', 'components to keep');
  assert.deepEqual(errors, []);
  await page.close();
});
