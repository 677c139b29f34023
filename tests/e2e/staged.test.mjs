// Time to the first answer: after Train the metrics, the boundary and the
// model's own views come as soon as the model is fitted; the evaluation views
// follow one by one, each line of views-status saying where its view stands,
// and views-cancel stops the ones still to come without losing the model.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, trainModelFirst, waitForText, text, canvasStats } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

/** Records the metrics and the views' lines each time the lines change; with `stop`, clicks views-cancel the first time a view computes. */
function watch(page, stop) {
  return page.evaluate((stop) => {
    window.stagedSeen = [];
    const list = document.querySelector('[data-testid=views-status]');
    new MutationObserver(() => {
      const status = list.textContent;
      window.stagedSeen.push({ metrics: document.querySelector('[data-testid=metrics]').textContent, status });
      if (stop && status.includes('computing…') && !window.stagedStopped) {
        window.stagedStopped = true;
        document.querySelector('[data-testid=views-cancel]').click();
      }
    }).observe(list, { childList: true, subtree: true, characterData: true });
  }, stop);
}

/** Penguins and the tree, on a page of one worker: every view is the primary's, asked for one at a time (with helpers, the learning curve is theirs: pool.test.mjs). */
async function penguins(page) {
  await page.goto(`${env.url}?workers=1`);
  await page.waitForFunction(() => document.querySelector('[data-testid=data-summary]')?.textContent.includes('150 rows'));
  await page.selectOption('[data-testid=dataset-select]', 'penguins');
  await waitForText(page, 'data-summary', '344 rows');
  await page.selectOption('[data-testid=model-select]', 'decision_tree');
}

test('the metrics come first and each evaluation view follows with its own line', async () => {
  const { page, errors } = await open(env);
  await penguins(page);
  await watch(page, false);
  await trainModelFirst(page);
  for (const line of ['Permutation importance: ready', 'Partial dependence on ', 'Noise and missing inputs: ready', 'Learning curve: ready']) {
    await waitForText(page, 'views-status', line, 60000);
  }
  await page.waitForFunction(() => !/computing…|waiting for/.test(document.querySelector('[data-testid=views-status]').textContent));
  const seen = await page.evaluate(() => window.stagedSeen);
  // The model's answer was on the page while the learning curve was still to come.
  assert.ok(seen.some((s) => /Test accuracy/.test(s.metrics) && /Learning curve: (computing…|waiting)/.test(s.status)),
    `the metrics before the last view: ${JSON.stringify(seen.map((s) => s.status))}`);
  // One view at a time: never two computing at once.
  assert.ok(seen.every((s) => (s.status.match(/computing…/g) ?? []).length <= 1));
  for (const id of ['permutation-canvas', 'pdp-canvas', 'learning-curve-canvas']) {
    const stats = await canvasStats(page, id);
    assert.ok(stats.width > 200 && stats.inked > 0.01, `${id} is drawn once it came`);
  }
  assert.ok(await page.locator('[data-testid=robustness-card]').isVisible(), 'the noise card came');
  assert.ok(!(await page.locator('[data-testid=views-cancel]').isVisible()), 'nothing left to stop');
  assert.deepEqual(errors, []);
  await page.close();
});

test('stopping the remaining views keeps the model: its boundary and tracing still work', async () => {
  const { page, errors } = await open(env);
  await penguins(page);
  await watch(page, true);
  await trainModelFirst(page);
  await waitForText(page, 'views-status', 'stopped; press Train to compute it');
  await page.waitForFunction(() => !/computing…|waiting for/.test(document.querySelector('[data-testid=views-status]').textContent));
  const status = await text(page, 'views-status');
  assert.match(status, /Learning curve: stopped/, status);
  assert.ok(!(await page.locator('[data-testid=learning-curve-card]').isVisible()), 'a stopped view is not drawn');
  assert.ok(!(await page.locator('[data-testid=views-cancel]').isVisible()));
  const boundary = await canvasStats(page, 'boundary-canvas');
  assert.ok(boundary.width > 200 && boundary.inked > 0.2, 'the boundary stays');
  // The model still traces a row: the worker was never stopped.
  await page.click('summary:has-text("Preview")');
  await page.click('#preview tr[data-row="0"]');
  await waitForText(page, 'path-text', 'Path: ');
  assert.match(await text(page, 'metrics'), /Test accuracy/);
  assert.deepEqual(errors, []);
  await page.close();
});
