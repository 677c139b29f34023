// What the page shows must be true: a file from Windows Excel is read and
// says how, rows without a target are counted, a task the target cannot take
// says why, and a comparison on a few test rows shows their number and each
// score's ± range instead of crowning a model by noise.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, dropFile, fixture, text, waitForText, train, screenshot } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

const clearError = (page) => page.evaluate(() => { document.querySelector('[data-testid=error-message]').textContent = ''; });

test('a Windows-1252 file is read, says so with its accented words, and can be read in another encoding', async () => {
  const { page, errors } = await open(env);
  const encoding = page.locator('[data-testid=encoding-select]');
  assert.equal(await encoding.isVisible(), false, 'a bundled ASCII table needs no encoding choice');
  await dropFile(page, fixture('names_windows1252.csv'));
  await waitForText(page, 'data-summary', 'names_windows1252.csv');
  const summary = await text(page, 'data-summary');
  assert.match(summary, /^17 rows × 5 columns · names_windows1252\.csv · ⚠ The file is not UTF-8, so it was read as Windows-1252/);
  assert.match(summary, /Accented words as read: Œdipe, José, Málaga, Müller, München\. If they look wrong, pick the file's encoding\./);
  assert.equal(await encoding.isVisible(), true);
  assert.equal(await encoding.inputValue(), 'Windows-1252');
  assert.deepEqual(await encoding.locator('option').allTextContents(), ['UTF-8', 'Windows-1252', 'ISO-8859-15', 'UTF-16']);
  assert.match(await page.locator('#preview').textContent(), /JoséMálaga/);
  await screenshot(page, 'honesty-windows-1252');

  // Latin-9 reads 0x8C as a control character, not Œ: the worker read the file again.
  await encoding.selectOption('ISO-8859-15');
  await waitForText(page, 'data-summary', 'Read as ISO-8859-15, as chosen');
  assert.doesNotMatch(await text(page, 'data-summary'), /Œdipe/);
  assert.match(await text(page, 'data-summary'), /José, Málaga, Müller/);
  // UTF-8 cannot read it: said, and the table read before stays with its encoding.
  await clearError(page);
  await encoding.selectOption('UTF-8');
  await waitForText(page, 'error-message', 'names_windows1252.csv: The file is not UTF-8 text (first bad byte at line 2)');
  assert.match(await text(page, 'data-summary'), /Read as ISO-8859-15, as chosen/);
  assert.equal(await encoding.inputValue(), 'ISO-8859-15');
  await train(page);
  // Back to a bundled table: no encoding to choose.
  await page.selectOption('[data-testid=dataset-select]', 'iris');
  await waitForText(page, 'data-summary', '150 rows');
  assert.equal(await encoding.isVisible(), false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('rows without a target value are counted in the metrics line, and a chosen task is taken or refused with why', async () => {
  const { page, errors } = await open(env);
  await dropFile(page, fixture('passengers.csv'));
  await waitForText(page, 'data-summary', 'passengers.csv');
  assert.equal(await page.locator('[data-testid=target-select]').inputValue(), 'survived');
  await train(page);
  const metrics = await text(page, 'metrics');
  assert.match(metrics, /^Test accuracy [\d.]+ ± [\d.]+ · train accuracy [\d.]+ · 60 training rows, 15 test rows \(20 %, held out and scored once; 15 rows with no survived value left out\)$/);

  // Age as classes: too many different numbers to learn each as a class, so
  // groups of ages, and the hint says so; the tree's classes are the groups.
  await page.selectOption('[data-testid=target-select]', 'age');
  assert.equal(await page.locator('[data-testid=task-select]').inputValue(), 'regression');
  await page.selectOption('[data-testid=task-select]', 'classification');
  assert.equal(await page.locator('[data-testid=task-select]').inputValue(), 'classification');
  assert.match(await text(page, 'task-hint'), /^'age' holds \d+ different numbers, too many to learn each as a class, so it is cut into 4 groups of about equal size/);
  await train(page);
  assert.match(await text(page, 'metrics'), /^Test accuracy [\d.]+ ± [\d.]+ · .* \(20 %, held out and scored once; 9 rows with no age value left out\)$/);
  assert.match(await page.locator('[data-testid=confusion-numbers]').textContent(), /age ≤ [\d.]+.*< age ≤ .*age > [\d.]+/);
  await screenshot(page, 'honesty-task-hint');
  // Text cannot be predicted as a number: the task stays, and the hint says why.
  await page.selectOption('[data-testid=target-select]', 'sex');
  await page.selectOption('[data-testid=task-select]', 'regression');
  assert.equal(await page.locator('[data-testid=task-select]').inputValue(), 'classification');
  assert.equal(await text(page, 'task-hint'), "Regression predicts a number, but 'sex' is categorical, not numeric, so it stays classification.");
  // A task the target can take is kept: pclass, offered as classes, predicted as a number.
  await page.selectOption('[data-testid=target-select]', 'pclass');
  assert.equal(await page.locator('[data-testid=task-select]').inputValue(), 'classification');
  await page.selectOption('[data-testid=task-select]', 'regression');
  assert.equal(await page.locator('[data-testid=task-select]').inputValue(), 'regression');
  assert.equal(await text(page, 'task-hint'), '');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a comparison on six test rows shows n and ± for each score, crowns no model by noise, sorts, and a row becomes current', async () => {
  const { page, errors } = await open(env);
  await dropFile(page, fixture('mtcars.csv'));
  await waitForText(page, 'data-summary', 'mtcars.csv');
  await page.selectOption('[data-testid=target-select]', 'mpg');
  assert.equal(await page.locator('[data-testid=task-select]').inputValue(), 'regression');
  await page.click('[data-testid=compare-button]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=compare-table] tr[data-model]').length >= 6, null, { timeout: 60000 });
  const rows = page.locator('[data-testid=compare-table] tr[data-model]');
  const table = await rows.evaluateAll((trs) => trs.map((tr) => ({
    model: tr.dataset.model, cls: tr.className, cells: [...tr.cells].map((c) => c.textContent),
  })));
  for (const row of table) {
    assert.match(row.cells[1], /^-?\d+\.\d{3} ± \d+\.\d{3}$/, `${row.model}: score ± range`);
    assert.equal(row.cells[2], '6', `${row.model}: on 6 test rows`);
    assert.notEqual(row.cls, 'best', `${row.model}: no model beats the others beyond the noise of 6 rows`);
  }
  assert.ok(table.some((r) => r.cls === 'tied' && r.cells[0].endsWith('tied within noise')), 'the top ones are tied');
  assert.match(await text(page, 'compare-note'), /^± is the test score's standard error: half the width of the middle 68 % of R² over 200 resamples of the test rows/);
  // Gradient boosting cannot split 26 rows into leaves of 20: said in its row.
  const why = page.locator('[data-testid=compare-table] tr[data-model=gradient_boosting] + tr.why');
  assert.match(await why.textContent(), /learned nothing: .*with 26 training rows no split can leave 20 rows \('min rows per leaf'\) on each side\. Set 'min rows per leaf' to 13 or less\./);
  await screenshot(page, 'honesty-compare-mtcars');

  // Sorting: a header click sorts by it, cheapest first, and a second click reverses.
  const head = (key) => page.locator(`th:has(> button[data-sort=${key}])`);
  const column = async (i) => rows.evaluateAll((trs, i) => trs.map((tr) => Number(tr.cells[i].textContent.replace(/,/g, ''))), i);
  await page.click('button[data-sort=parameters]');
  assert.equal(await head('parameters').getAttribute('aria-sort'), 'ascending');
  const ascending = await column(4);
  assert.deepEqual(ascending, [...ascending].sort((a, b) => a - b));
  // The keyboard works the header buttons too.
  await page.focus('button[data-sort=parameters]');
  await page.keyboard.press('Enter');
  assert.equal(await head('parameters').getAttribute('aria-sort'), 'descending');
  assert.equal(await head('test').getAttribute('aria-sort'), 'none');
  assert.deepEqual(await column(4), [...ascending].reverse());
  await page.click('button[data-sort=test]');
  const scores = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.cells[1].textContent.split(' ')[0])));
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'best test score first');

  // A row makes its model the current one: chosen above and trained.
  await page.evaluate(() => { document.querySelector('[data-testid=metrics]').textContent = ''; });
  await page.click('[data-testid=compare-table] tr[data-model=linear_regression]');
  await waitForText(page, 'metrics', 'Test R²', 60000);
  assert.equal(await page.locator('[data-testid=model-select]').inputValue(), 'linear_regression');
  assert.match(await text(page, 'model-card'), /^Linear regression/);
  // And by keyboard: Enter on a focused row.
  await page.evaluate(() => { document.querySelector('[data-testid=metrics]').textContent = ''; });
  await page.focus('[data-testid=compare-table] tr[data-model=knn]');
  await page.keyboard.press('Enter');
  await waitForText(page, 'metrics', 'Test R²', 60000);
  assert.equal(await page.locator('[data-testid=model-select]').inputValue(), 'knn');
  await screenshot(page, 'honesty-row-current');
  assert.deepEqual(errors, []);
  await page.close();
});
