// Toy data drawn by rule: a pattern, its noise and rows, trained like any table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, train, waitForText, text, canvasStats, waitForCanvasChange } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

test('a toy pattern is drawn, trained and drawn again with more noise, with no request to the network', async () => {
  const { page, errors, requests } = await open(env);
  await page.selectOption('[data-testid=toy-select]', 'moons');
  await waitForText(page, 'data-summary', 'moons (300 rows, noise 0.1, seed 0)');
  assert.equal(await page.inputValue('[data-testid=dataset-select]'), '', 'the bundled picker no longer names the table');
  assert.equal(await page.inputValue('[data-testid=target-select]'), 'class');
  await train(page);
  assert.match(await text(page, 'metrics'), /^Test accuracy 0\.\d+/);
  const before = await canvasStats(page, 'boundary-canvas');
  assert.ok(before.inked > 0.3, `the boundary is drawn: ${JSON.stringify(before)}`);

  // More noise: the same pattern drawn again, the summary says so.
  // As a person types: the change lands when the box loses focus.
  await page.fill('[data-testid=toy-noise]', '0.5');
  await page.locator('[data-testid=toy-noise]').blur();
  await waitForText(page, 'data-summary', 'moons (300 rows, noise 0.5, seed 0)');
  await train(page);
  await waitForCanvasChange(page, 'boundary-canvas', before.hash);

  // Blobs ask how many; a number out of range is refused on the page, nothing drawn.
  await page.selectOption('[data-testid=toy-select]', 'blobs');
  await waitForText(page, 'data-summary', 'blobs (300 rows, 3 classes');
  assert.equal(await page.locator('#toy-classes').isVisible(), true);
  await page.fill('[data-testid=toy-rows]', '5');
  await page.locator('[data-testid=toy-rows]').blur();
  await waitForText(page, 'error-message', 'The toy rows must be a whole number from 20 up');
  assert.match(await text(page, 'data-summary'), /blobs \(300 rows/, 'the table on show stays');

  // Picking a bundled dataset puts the toy picker back to its prompt.
  await page.selectOption('[data-testid=dataset-select]', 'iris');
  await waitForText(page, 'data-summary', '150 rows');
  assert.equal(await page.inputValue('[data-testid=toy-select]'), '');
  assert.deepEqual(errors, []);
  assert.deepEqual(requests, [], 'toy data is drawn in the worker: no request after load');
  await page.close();
});
