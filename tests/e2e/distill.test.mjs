// Distilling the forest into a small tree, and asking a traced row what
// would change its answer (issue 11, sections 2 and 3).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, text, waitForText, train, canvasStats, waitForCanvasChange, screenshot } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

test('the forest distilled into a depth-3 tree, then a traced row asks what would change its answer', async () => {
  const { page, errors, requests } = await open(env);
  await page.selectOption('[data-testid=dataset-select]', 'penguins');
  await waitForText(page, 'data-summary', '344 rows');
  await page.selectOption('[data-testid=model-select]', 'random_forest');
  await train(page);
  assert.equal(await text(page, 'distill-teacher'), 'Random forest');

  await page.selectOption('[data-testid=distill-student]', 'tree');
  await page.fill('[data-testid=distill-depth]', '3');
  await page.fill('[data-testid=distill-rows]', '1000');
  await page.click('[data-testid=distill-run]');
  await waitForText(page, 'distill-summary', 'agreeing with it on', 60000);
  const summary = await text(page, 'distill-summary');
  assert.match(summary, /^The depth-3 decision tree predicts [\d.,]+× faster and is [\d.,]+× smaller than the random forest/);
  const agreement = Number(summary.match(/agreeing with it on ([\d.]+) % of test rows/)[1]);
  assert.ok(agreement >= 90, `the tree agrees with the forest on ${agreement} % of test rows`);
  assert.match(summary, /1,000 synthetic rows/);
  // The student is the trained model: its card, its tree diagram, the teacher kept.
  assert.match(await text(page, 'model-card'), /^Depth-3 decision tree, distilled from the random forest:/);
  assert.ok((await canvasStats(page, 'tree-canvas')).inked > 0.01, 'the student\'s tree is drawn');
  assert.equal(await text(page, 'distill-teacher'), 'Random forest');
  // Teacher and student on the Pareto chart, without a comparison.
  assert.ok(await page.locator('[data-testid=pareto-canvas]').isVisible());
  assert.ok((await canvasStats(page, 'pareto-canvas')).inked > 0.01);
  await screenshot(page, 'distill-summary');

  // Trace the first row, then ask for its counterfactual.
  await page.click('summary:has-text("Preview")');
  await page.click('#preview tr[data-row="0"]');
  await waitForText(page, 'path-text', 'Path: ');
  assert.ok(await page.locator('[data-testid=counterfactual-button]').isVisible());
  // Only the plot's two axes may change, so the change shows as an arrow on it.
  const axes = [await page.inputValue('[data-testid=x-feature-select]'), await page.inputValue('[data-testid=y-feature-select]')];
  await page.click('#counterfactual-box summary');
  for (const box of await page.locator('#counterfactual-features input').all()) {
    await box.setChecked(axes.includes(await box.inputValue()));
  }
  const before = await canvasStats(page, 'boundary-canvas');
  await page.click('[data-testid=counterfactual-button]');
  await waitForText(page, 'counterfactual-text', 'would say');
  const said = await text(page, 'counterfactual-text');
  assert.match(said, /^If \w+ were [\d.,]+ (mm|g) (longer|shorter|heavier|lighter) \([\d.,]+ instead of [\d.,]+\)/);
  assert.match(said, /would say (Adelie|Chinstrap|Gentoo) instead of (Adelie|Chinstrap|Gentoo): [\d.]+ standard deviations/);
  assert.ok(!said.includes('no arrow'), said);
  await waitForCanvasChange(page, 'boundary-canvas', before.hash);
  await screenshot(page, 'distill-counterfactual');
  assert.deepEqual(errors, []);
  assert.deepEqual(requests, [], 'no request after load');
  await page.close();
});
