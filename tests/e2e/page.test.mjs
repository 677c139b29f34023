// A person's session with the page: load data, train, look, make mistakes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, dropFile, dataset, fixture, text, waitForText, train, canvasStats, waitForCanvasChange, screenshot } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

async function assertViewsDrawn(page) {
  for (const id of ['boundary-canvas', 'tree-canvas', 'importance-canvas']) {
    const s = await canvasStats(page, id);
    assert.ok(s.width > 200 && s.height > 100, `${id} is sized (${s.width}×${s.height})`);
    assert.ok(s.inked > 0.01, `${id} has something drawn (${(s.inked * 100).toFixed(1)}% inked)`);
    assert.ok(s.colors >= 3, `${id} has more than one color (${s.colors})`);
  }
}

test('the page explains itself and offers the bundled datasets', async () => {
  const { page, errors } = await open(env);
  const lede = await page.locator('.lede').textContent();
  assert.match(lede, /Nothing is uploaded/);
  const options = await page.locator('[data-testid=dataset-select] option').allTextContents();
  for (const name of ['iris', 'penguins', 'wine', 'breast_cancer', 'diabetes', 'house_prices', 'digits']) {
    assert.ok(options.includes(`${name}.csv`), `offers ${name}`);
  }
  const models = await page.locator('[data-testid=model-select] option').evaluateAll((o) => o.map((x) => x.value));
  assert.equal(models[0], 'decision_tree', 'the tree comes first');
  assert.equal(new Set(models).size, models.length, 'each model once');
  assert.deepEqual(errors, []);
  await page.close();
});

test('drop iris.csv, train a tree, see the boundary, the tree and the importances', async () => {
  const { page, errors, requests } = await open(env);
  await dropFile(page, dataset('iris.csv'));
  await waitForText(page, 'data-summary', 'iris.csv');
  assert.match(await text(page, 'data-summary'), /^150 rows × 5 columns/);
  const types = await page.locator('[data-testid=column-table] tr[data-column]').evaluateAll(
    (rows) => rows.map((r) => [r.dataset.column, r.dataset.type]));
  assert.equal(types.length, 5);
  assert.ok(types.slice(0, 4).every(([, t]) => t === 'numeric'), JSON.stringify(types));
  assert.equal(await page.locator('[data-testid=target-select]').inputValue(), types[4][0]);

  await train(page);
  const metrics = await text(page, 'metrics');
  const accuracy = Number(metrics.match(/Test accuracy ([0-9.]+)/)[1]);
  assert.ok(accuracy >= 0.85, `test accuracy ${accuracy}`);
  assert.equal(await page.locator('[data-testid=progress]').evaluate((p) => p.value), 100);
  assert.match(await text(page, 'model-card'), /^Decision tree \(CART\): [\d,]+ parameters · [\d,]+ bytes · [\d.]+ µs per row$/);
  await assertViewsDrawn(page);
  await screenshot(page, 'iris-trained');

  // Another pair of axes redraws the boundary.
  const before = await canvasStats(page, 'boundary-canvas');
  const options = await page.locator('[data-testid=x-feature-select] option').allTextContents();
  assert.equal(options.length, 4, 'every numeric feature can be an axis');
  await page.selectOption('[data-testid=x-feature-select]', options[2]);
  const after = await waitForCanvasChange(page, 'boundary-canvas', before.hash);
  assert.ok(after.inked > 0.01 && after.colors >= 3, 'the new boundary is drawn');

  // Excluding a column and training again: it is no longer a feature.
  await page.locator('tr[data-column="sepal width (cm)"] input[type=checkbox]').uncheck();
  await train(page);
  const axes = await page.locator('[data-testid=x-feature-select] option').allTextContents();
  assert.deepEqual(axes.sort(), ['petal length (cm)', 'petal width (cm)', 'sepal length (cm)']);

  assert.deepEqual(errors, []);
  assert.deepEqual(requests, [], 'no request after load');
  await page.close();
});

test('drop penguins.csv: categorical and missing values just work', async () => {
  const { page, errors, requests } = await open(env);
  await dropFile(page, dataset('penguins.csv'));
  await waitForText(page, 'data-summary', '344 rows × 8 columns');
  assert.equal(await page.locator('tr[data-column=island]').getAttribute('data-type'), 'categorical');
  assert.equal(await page.locator('tr[data-column=bill_length_mm]').getAttribute('data-type'), 'numeric');
  await page.selectOption('[data-testid=target-select]', 'species');
  assert.equal(await page.locator('[data-testid=task-select]').inputValue(), 'classification');
  await train(page);
  assert.match(await page.locator('#prep-summary').textContent(), /Imputed \d+ missing.*one-hot encoded island \(3 levels\)/);
  await assertViewsDrawn(page);
  await screenshot(page, 'penguins-trained');
  assert.deepEqual(errors, []);
  assert.deepEqual(requests, [], 'no request after load');
  await page.close();
});

test('the file picker loads a table too', async () => {
  const { page, errors } = await open(env);
  await page.setInputFiles('[data-testid=file-input]', dataset('wine.csv'));
  await waitForText(page, 'data-summary', '178 rows × 14 columns');
  await train(page);
  await assertViewsDrawn(page);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a regression target shows R² and MAE', async () => {
  const { page, errors } = await open(env);
  await page.selectOption('[data-testid=dataset-select]', 'diabetes');
  await waitForText(page, 'data-summary', '442 rows');
  assert.equal(await page.locator('[data-testid=task-select]').inputValue(), 'regression');
  await train(page);
  assert.match(await text(page, 'metrics'), /Test R² -?[0-9.]+ ± [0-9.]+ · MAE [0-9.]+/);
  await assertViewsDrawn(page);
  assert.deepEqual(errors, []);
  await page.close();
});

test('files the page cannot use say why, and the loaded table stays', async () => {
  const { page, errors } = await open(env);
  const cases = [
    ['empty.csv', /empty/i],
    ['header_only.csv', /no data rows|only a header|header/i],
    ['ragged.csv', /line 4/],
    // A file that is not UTF-8 is read as Windows-1252: see honesty.test.mjs.
  ];
  for (const [file, message] of cases) {
    // Each drop must bring its own message, not leave the last one standing.
    await page.evaluate(() => { document.querySelector('[data-testid=error-message]').textContent = ''; });
    await dropFile(page, fixture(file));
    await page.waitForFunction(() => document.querySelector('[data-testid=error-message]').textContent.length > 0);
    assert.match(await text(page, 'error-message'), message, file);
    assert.match(await text(page, 'data-summary'), /^150 rows × 5 columns · iris/, `iris stays loaded after ${file}`);
    await screenshot(page, `error-${file}`);
  }
  // Tables that load but cannot train say why when Train is pressed.
  for (const [file, message] of [['one_class.csv', 'only one class'], ['no_features.csv', 'No usable feature']]) {
    await dropFile(page, fixture(file));
    await waitForText(page, 'data-summary', file);
    await page.click('[data-testid=train-button]');
    await waitForText(page, 'error-message', message);
  }
  assert.equal(await page.locator('tr[data-column=id]').getAttribute('data-type'), 'identifier');
  assert.equal(await page.locator('tr[data-column=comment]').getAttribute('data-type'), 'text');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a UTF-16 file (Excel "Unicode text") is decoded and says so', async () => {
  const { page, errors } = await open(env);
  await dropFile(page, fixture('iris_utf16.csv'));
  await waitForText(page, 'data-summary', 'iris_utf16.csv');
  assert.match(await text(page, 'data-summary'), /^30 rows × 5 columns · iris_utf16\.csv · ⚠ The file is UTF-16 text/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('names and cells are shown as text, never run as HTML', async () => {
  const { page, errors } = await open(env);
  const dialogs = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  await dropFile(page, fixture('html_in_names.csv'));
  await waitForText(page, 'data-summary', 'html_in_names.csv');
  const name = await page.locator('[data-testid=column-table] tr[data-column] td.name').first().textContent();
  assert.equal(name, '<img src=x onerror=alert(1)>');
  assert.equal(await page.locator('[data-testid=column-table] img, #preview img, #preview b').count(), 0);
  await page.selectOption('[data-testid=target-select]', 'label');
  await train(page);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the page forbids connections to other origins', async () => {
  const { page } = await open(env);
  const csp = await page.locator('meta[http-equiv=Content-Security-Policy]').getAttribute('content');
  assert.match(csp, /connect-src 'self'/);
  assert.doesNotMatch(csp, /connect-src[^;]*(\*|https?:)/);
  const blocked = await page.evaluate(() => fetch('http://example.invalid/x').then(() => 'sent', (e) => `blocked: ${e.message}`));
  assert.match(blocked, /^blocked/);
  await page.close();
});
