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

test('points clicked onto a toy set join it, and a fast model retrains on them at once', async () => {
  const { page, errors, requests, workerFiles } = await open(env);
  await page.selectOption('[data-testid=toy-select]', 'xor');
  await waitForText(page, 'data-summary', 'xor (300 rows');
  await train(page);
  const before = await canvasStats(page, 'boundary-canvas');
  assert.equal(await page.inputValue('[data-testid=add-class-select]'), 'same sign', 'the first class is ready to add');
  // Three clicks of the other class in the middle of the plot.
  await page.selectOption('[data-testid=add-class-select]', 'opposite signs');
  const box = await page.locator('[data-testid=boundary-canvas]').boundingBox();
  for (const [fx, fy] of [[0.45, 0.4], [0.5, 0.45], [0.55, 0.5]]) {
    await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
  }
  await waitForText(page, 'data-summary', '303 rows');
  await waitForText(page, 'data-summary', '3 points added and 0 removed by hand');
  await page.waitForFunction(() => document.getElementById('progress-text').textContent === 'Trained.');
  const [, trainRows, testRows] = (await text(page, 'metrics')).match(/(\d+) training rows, (\d+) test rows/);
  assert.equal(Number(trainRows) + Number(testRows), 303, 'the decision tree retrained on the 303 rows');
  await waitForCanvasChange(page, 'boundary-canvas', before.hash);
  const entries = await page.evaluate(() => history.length);
  // The worker is replaced mid-training (Cancel, as after a crash): the fresh
  // one gets the set and the three points, so Train trains on the rows on show.
  await page.evaluate(() => {
    document.querySelector('[data-testid=data-summary]').textContent = '';
    document.querySelector('[data-testid=metrics]').textContent = '';
    document.querySelector('[data-testid=train-button]').click();
    document.querySelector('[data-testid=cancel-button]').click();
  });
  await waitForText(page, 'data-summary', '303 rows');
  await waitForText(page, 'data-summary', '3 points added and 0 removed by hand');
  // Given back to the fresh worker, the table is no new history entry; the next training is.
  assert.equal(await page.evaluate(() => history.length), entries, 'the replay adds no history entry');
  assert.doesNotMatch(await page.evaluate(() => location.hash), /&model=/, 'the address no longer names the lost model');
  await train(page);
  assert.equal(await page.evaluate(() => history.length), entries + 1, 'the training after it is one entry');
  const [, again, againTest] = (await text(page, 'metrics')).match(/(\d+) training rows, (\d+) test rows/);
  assert.equal(Number(again) + Number(againTest), 303, 'the fresh worker trained on the 303 rows on show');
  assert.match(await page.evaluate(() => location.hash), /&edits=[^&,]+,[^&,]+,[^&,]+&/, 'the link still names the three points');
  // "Nothing" gives the plot back to tracing: a click asks about the place instead.
  await page.selectOption('[data-testid=add-class-select]', '');
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await page.waitForFunction(() => document.querySelector('[data-testid=path-text]').textContent.length > 0);
  assert.match(await text(page, 'data-summary'), /303 rows/, 'no point was added');
  // A bundled dataset takes no points by hand.
  await page.selectOption('[data-testid=dataset-select]', 'iris');
  await waitForText(page, 'data-summary', '150 rows');
  assert.equal(await page.locator('[data-testid=add-class-select]').isVisible(), false);
  assert.deepEqual(errors, []);
  // The only requests: the fresh worker's own files (after the cancel), from the page's origin.
  assert.deepEqual(requests, [], 'no other request after load');
  const origin = new URL(env.url).origin;
  assert.deepEqual([...new Set(workerFiles.map((r) => r.replace(origin, '')))].sort(), ['/worker.js', '/worker_bg.wasm', '/worker_loader.js']);
  await page.close();
});
