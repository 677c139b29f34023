// Who the model fails and how it holds up, on penguins: the class report, the
// calibration chart, the worst rows (a press traces one), the groups by
// island, the noise curves, a missing input, and a shifted split. No page
// error, and nothing fetched after the page loaded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, train, canvasStats, text, waitForText } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

/** The cells of a table, row by row. */
const cells = (page, id) => page.locator(`[data-testid=${id}] tr`).evaluateAll(
  (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));

async function assertDrawn(page, id) {
  const s = await canvasStats(page, id);
  assert.ok(s.width > 200 && s.height > 100, `${id} is sized (${s.width}×${s.height})`);
  assert.ok(s.inked > 0.01, `${id} has something drawn (${(s.inked * 100).toFixed(1)}% inked)`);
  assert.ok(s.colors >= 3, `${id} has more than one color (${s.colors})`);
  const label = await page.locator(`[data-testid=${id}]`).getAttribute('aria-label');
  assert.ok(label.length > 20, `${id} is described: ${label}`);
}

test('penguins: class report, calibration, worst rows, groups, noise, missing inputs and a shifted split', async () => {
  const { page, errors, requests } = await open(env);
  await page.selectOption('[data-testid=dataset-select]', 'penguins');
  await page.waitForFunction(() => document.querySelector('[data-testid=data-summary]').textContent.includes('penguins'));
  await page.selectOption('[data-testid=model-select]', 'decision_tree');
  await train(page);

  // The class report: a row per species with numbers, then the summary rows.
  const report = await cells(page, 'class-report-table');
  assert.deepEqual(report[0], ['class', 'precision', 'recall', 'F1', 'support']);
  assert.deepEqual(report.slice(1, 4).map((r) => r[0]).sort(), ['Adelie', 'Chinstrap', 'Gentoo']);
  for (const row of report.slice(1, 4)) {
    for (const v of row.slice(1)) assert.ok(Number.isFinite(Number(v.replace(',', ''))), row.join(' '));
  }
  assert.deepEqual(report.slice(4).map((r) => r[0]), ['accuracy', 'macro average', 'weighted average', 'balanced accuracy', 'log-loss']);

  await assertDrawn(page, 'calibration-canvas');
  assert.match(await page.locator('[data-testid=calibration-canvas]').getAttribute('aria-label'), /Brier score/);
  await assertDrawn(page, 'robustness-canvas');
  await assertDrawn(page, 'missing-canvas');
  const noise = await cells(page, 'robustness-numbers');
  assert.equal(noise.length, 12, 'a header and 11 noise sizes');
  assert.equal(noise[0][1], 'all numeric features');

  // Groups by island, the first categorical column.
  assert.equal(await page.locator('[data-testid=groups-column]').inputValue(), 'island');
  const groups = await cells(page, 'groups-table');
  assert.equal(groups[0][0], 'island');
  assert.deepEqual(groups.slice(1).map((r) => r[0]).sort(), ['Biscoe', 'Dream', 'Torgersen']);
  // Regrouped by sex at the worker's answer.
  await page.selectOption('[data-testid=groups-column]', 'sex');
  await page.waitForFunction(() => document.querySelector('[data-testid=groups-table] th')?.textContent === 'sex');

  // The worst rows: pressing the first traces it.
  const worst = await cells(page, 'worst-rows-table');
  assert.ok(worst.length >= 2, 'at least one wrong test row');
  assert.deepEqual(worst[0].slice(0, 4), ['row', 'truth', 'predicted', 'confidence']);
  const before = await text(page, 'path-text');
  await page.locator('[data-testid=worst-rows-table] tr[data-row]').first().click();
  await page.waitForFunction((b) => {
    const t = document.querySelector('[data-testid=path-text]').textContent;
    return t !== '' && t !== b;
  }, before);
  assert.match(await text(page, 'path-text'), new RegExp(`Row ${worst[1][0]} `));

  // A shifted split on a number: the default threshold is the training median.
  await page.selectOption('[data-testid=shift-column]', 'bill_length_mm');
  await page.fill('[data-testid=shift-threshold]', '45');
  await page.click('[data-testid=shift-run]');
  await waitForText(page, 'shift-text', 'ordinary random split');
  assert.match(await text(page, 'shift-text'), /bill_length_mm ≤ 45/);
  await assertDrawn(page, 'shift-canvas');
  // An impossible one says why.
  await page.selectOption('[data-testid=shift-column]', 'island');
  await page.selectOption('[data-testid=shift-levels]', ['Torgersen']);
  await page.click('[data-testid=shift-run]');
  await waitForText(page, 'error-message', 'trains on no row of class');

  assert.deepEqual(errors, []);
  assert.deepEqual(requests, [], 'no request after load');
});
