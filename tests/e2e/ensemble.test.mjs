// Combining the ticked models as a person would: a soft vote and a stack on
// penguins, each becoming the trained model, with how much each member counts,
// the members' boundaries beside the ensemble's, where they disagree, and a
// row of its own in the comparison.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, text, waitForText, canvasStats } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

const MEMBERS = ['decision_tree', 'logistic_regression', 'knn'];

async function penguinsTicked(page) {
  await page.selectOption('[data-testid=dataset-select]', 'penguins');
  await waitForText(page, 'data-summary', '344 rows');
  for (const box of await page.locator('#compare-models input').all()) {
    await box.setChecked(MEMBERS.includes(await box.inputValue()));
  }
}

/** Builds the ensemble with the panel's current settings; waits for it to be the trained model. */
async function build(page, name) {
  await page.evaluate(() => { document.querySelector('[data-testid=metrics]').textContent = ''; });
  await page.click('[data-testid=ensemble-build]');
  await waitForText(page, 'model-card', `${name}:`, 90000);
  await waitForText(page, 'metrics', 'Test accuracy');
}

/** The ensemble's panel as a person sees it: the charts drawn, a row in the comparison. */
async function assertShown(page, name) {
  const weights = await canvasStats(page, 'ensemble-weights-canvas');
  assert.ok(weights.width > 200 && weights.inked > 0.02 && weights.colors > 2, `weights: ${JSON.stringify(weights)}`);
  const disagreement = await canvasStats(page, 'disagreement-canvas');
  assert.ok(disagreement.width > 200 && disagreement.inked > 0.3 && disagreement.colors > 4,
    `disagreement: ${JSON.stringify(disagreement)}`);
  assert.match(await page.getAttribute('[data-testid=disagreement-canvas]', 'aria-label'), /Where the members of the .+ disagree/);
  // The ensemble beside each member, on the same axes.
  const small = page.locator('#ensemble-boundaries canvas');
  assert.equal(await small.count(), 4);
  const labels = await small.evaluateAll((cs) => cs.map((c) => c.getAttribute('aria-label')));
  assert.ok(labels[0].startsWith(`${name} — predicted species, over `), labels[0]);
  for (const [i, member] of ['Decision tree (CART)', 'Logistic regression', 'k-nearest neighbours'].entries()) {
    assert.ok(labels[i + 1].startsWith(`${member} — predicted species`), labels[i + 1]);
  }
  const axes = labels.map((l) => l.match(/regions over (.+?), with/)?.[1]);
  assert.ok(axes[0] && axes.every((a) => a === axes[0]), `same axes: ${labels}`);
  // A row of its own in the comparison table, with a score and a size.
  const row = page.locator('[data-testid=compare-table] tr[data-model=ensemble]');
  assert.equal(await row.count(), 1);
  const cells = await row.locator('th, td').allTextContents();
  assert.ok(cells[0].startsWith(name), cells.join(' | '));
  const accuracy = Number(cells[1].split(' ± ')[0]);
  assert.ok(accuracy > 0.9 && accuracy <= 1, cells.join(' | '));
  assert.match(cells[4], /^[\d,]+$/, 'parameters');
  const pareto = await canvasStats(page, 'pareto-canvas');
  assert.ok(pareto.inked > 0.02, JSON.stringify(pareto));
  assert.match(await page.getAttribute('[data-testid=pareto-canvas]', 'aria-label'), /cheapest first: .+/);
}

test('a soft vote of three ticked models becomes the trained model and shows its members', async () => {
  const { page, errors, requests } = await open(env);
  await penguinsTicked(page);
  await page.selectOption('[data-testid=ensemble-kind]', 'vote');
  await page.selectOption('#ensemble-vote', 'soft');
  await page.fill('#ensemble-weights', '1, 2, 1');
  await build(page, 'Soft vote of 3');
  assert.match(await text(page, 'metrics'), /^Test accuracy 0\.9\d\d ± 0\.0\d\d/);
  assert.match(await text(page, 'ensemble-summary'),
    /^Soft vote of 3: test accuracy 0\.\d{3}; its members alone on the same rows: 0\.\d{3} \(Decision tree \(CART\)\), 0\.\d{3} \(Logistic regression\), 0\.\d{3} \(k-nearest neighbours\); /);
  assert.match(await page.getAttribute('[data-testid=ensemble-weights-canvas]', 'aria-label'),
    /^How much each member counts, largest first: Logistic regression 0\.5, Decision tree \(CART\) 0\.25 and k-nearest neighbours 0\.25 \(.+\)\.$/);
  await assertShown(page, 'Soft vote of 3');
  // The boundary plot above is the ensemble's.
  assert.ok((await canvasStats(page, 'boundary-canvas')).inked > 0.3);
  assert.deepEqual(errors, []);
  assert.deepEqual(requests.filter((u) => !u.startsWith(env.url)), [], 'no request leaves the page');
  await page.close();
});

test('a stack shows how much its meta model trusts each member, and bad weights are refused', async () => {
  const { page, errors, requests } = await open(env);
  await penguinsTicked(page);
  // A vote's weights must be one per member: the worker says so.
  await page.fill('#ensemble-weights', '1, 2');
  await page.click('[data-testid=ensemble-build]');
  await waitForText(page, 'error-message', 'There are 3 members but 2 weights');
  await page.selectOption('[data-testid=ensemble-kind]', 'stack');
  assert.ok(await page.isHidden('#ensemble-weights-box'), 'a stack takes no weights');
  assert.equal(await page.inputValue('#ensemble-meta'), 'logistic_regression');
  await build(page, 'Stack of 3 (Logistic regression)');
  assert.equal(await text(page, 'error-message'), '');
  assert.match(await page.getAttribute('[data-testid=ensemble-weights-canvas]', 'aria-label'),
    /^How much the logistic regression trusts each member, largest first: (Decision tree \(CART\)|Logistic regression|k-nearest neighbours) -?[\d.]+, (Decision tree \(CART\)|Logistic regression|k-nearest neighbours) -?[\d.]+ and (Decision tree \(CART\)|Logistic regression|k-nearest neighbours) -?[\d.]+ \(.+\)\.$/);
  await assertShown(page, 'Stack of 3 (Logistic regression)');
  assert.deepEqual(errors, []);
  assert.deepEqual(requests.filter((u) => !u.startsWith(env.url)), [], 'no request leaves the page');
  await page.close();
});
