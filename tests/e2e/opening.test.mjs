// Opening fast: the worker's module (the larger download and compile) is
// started by index.html while the page is still being parsed, beside the
// page's own module, and the page takes that worker over rather than
// starting a second; and the page's own JSON (a link's pipeline), which it
// reads and writes with the browser's JSON rather than a JSON library of
// its own, survives a link's round trip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, waitForText } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

/** A page whose every `new Worker` is recorded, with the document's state at that moment. */
async function watched() {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.addInitScript(() => {
    const Original = window.Worker;
    window.workersStarted = [];
    window.Worker = class extends Original {
      constructor(url, options) {
        super(url, options);
        window.workersStarted.push({ url: String(url), state: document.readyState });
      }
    };
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  return { page, errors };
}

test('one worker starts, while the page is still being parsed, and the page takes it over', async () => {
  const { page, errors } = await watched();
  await page.goto(env.url);
  await waitForText(page, 'data-summary', '150 rows');
  const started = await page.evaluate(() => window.workersStarted);
  assert.deepEqual(started, [{ url: './worker_loader.js', state: 'loading' }],
    'the worker index.html starts before the page\'s module runs is the only one');
  assert.equal(await page.evaluate(() => 'mmEarlyWorker' in window), false, 'the page took the early worker over');
  assert.equal(await page.isEnabled('[data-testid=train-button]'), true);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a link\'s pipeline, JSON in the address, trains and is written back the same', async () => {
  const pipeline = {
    steps: [
      { step: 'impute', numbers: { constant: 0.25 }, indicator: true },
      { step: 'encode', encoding: 'ordinal', min_count: 3 },
      { step: 'scale', scaler: 'min_max', columns: [] },
    ],
  };
  const fragment = '#v1&data=iris&target=species&task=classification&model=knn&seed=3&test=20'
    + `&pipeline=${encodeURIComponent(JSON.stringify(pipeline))}`;
  const { page, errors } = await watched();
  await page.goto(env.url + fragment);
  await waitForText(page, 'metrics', 'Test accuracy', 90000);
  const steps = await page.locator('[data-testid=pipeline-step]').evaluateAll((els) => els.map((e) => e.dataset.step));
  assert.deepEqual(steps, ['impute', 'encode', 'scale'], 'the Features step shows the link\'s steps');
  const written = await page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('pipeline'));
  assert.deepEqual(JSON.parse(written), pipeline, 'the address holds the same pipeline');
  assert.deepEqual(errors, []);
  await page.context().close();
});
