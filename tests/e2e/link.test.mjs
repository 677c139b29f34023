// A link that reproduces the page (issue 13 §1): the state in the address's
// fragment, opened in a fresh page; back and forward between trainings; a
// damaged link; a link made with the person's own file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { start, open, text, waitForText, train, canvasStats, dropFile, dataset, screenshot } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

/** FNV-1a, 64 bits, hex: the page's fingerprint of a file (session::model_file::content_hash). */
function fnv1a(bytes) {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return h.toString(16).padStart(16, '0');
}

/** Waits until the page has written its state back into the address after opening a link. */
async function waitForAddress(page, fragment, timeout = 60000) {
  await page.waitForFunction((f) => location.hash === f, fragment, { timeout });
}

test('a copied link opened in a fresh page trains the same model, traces the same row and compares the same models', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.url });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(env.url);
  await waitForText(page, 'data-summary', '150 rows');
  assert.match(await page.evaluate(() => location.hash), /^#v1&data=iris$/, 'the table loaded is already in the address');

  await page.selectOption('[data-testid=dataset-select]', 'penguins');
  await waitForText(page, 'data-summary', '344 rows');
  await page.selectOption('[data-testid=model-select]', 'decision_tree');
  await page.fill('#params [data-param=max_depth]', '3');
  await page.fill('#seed', '7');
  await page.selectOption('[data-testid=test-share]', '30');
  await train(page);
  // Another pair of axes, then a row traced.
  await page.selectOption('[data-testid=x-feature-select]', 'bill_depth_mm');
  await page.waitForFunction(() => location.hash.includes('&x=bill_depth_mm&'));
  await page.evaluate(() => { document.getElementById('preview-card').open = true; });
  await page.click('#preview tr[data-row="2"]');
  await page.waitForFunction(() => location.hash.includes('&trace=3'));
  const path = await text(page, 'path-text');
  assert.match(path, /→/, 'the traced row\'s path is said');
  // Two models compared.
  await page.evaluate(() => {
    for (const box of document.querySelectorAll('#compare-models input')) box.checked = ['decision_tree', 'knn'].includes(box.value);
  });
  await page.click('[data-testid=compare-button]');
  await page.waitForFunction(() => location.hash.includes('&compare=decision_tree,knn'));

  const href = await page.evaluate(() => location.href);
  const fragment = await page.evaluate(() => location.hash);
  assert.match(fragment, /^#v1&data=penguins&target=species&task=classification&model=decision_tree&/, fragment);
  assert.match(fragment, /&p\.max_depth=3&/);
  assert.match(fragment, /&seed=7&test=30&/);
  await page.click('[data-testid=copy-link]');
  await page.waitForFunction(() => document.getElementById('share-status').textContent === 'Link copied.');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), href, 'Copy link copies the address');

  const metrics = await text(page, 'metrics');
  const boundary = await canvasStats(page, 'boundary-canvas');
  const compared = await page.locator('[data-testid=compare-table] tr[data-model]').evaluateAll((rows) => rows.map((r) => r.dataset.model));
  await screenshot(page, 'link-full-page');

  // A fresh page, as a student opening the teacher's link.
  const fresh = await env.browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const freshErrors = [];
  fresh.on('pageerror', (e) => freshErrors.push(e.message));
  await fresh.goto(href, { waitUntil: 'domcontentloaded' });
  const entries = await fresh.evaluate(() => history.length);
  // The link is open once its comparison, the last step, is on show.
  await fresh.waitForFunction(() => document.querySelectorAll('[data-testid=compare-table] tr[data-model]').length === 2,
    null, { timeout: 90000 });
  await waitForAddress(fresh, fragment);
  assert.equal(await text(fresh, 'metrics'), metrics, 'the same scores');
  assert.equal(await text(fresh, 'path-text'), path, 'the same row traced');
  assert.deepEqual(await fresh.locator('[data-testid=compare-table] tr[data-model]').evaluateAll((rows) => rows.map((r) => r.dataset.model)), compared);
  assert.equal(await fresh.inputValue('#params [data-param=max_depth]'), '3');
  assert.equal(await fresh.inputValue('#seed'), '7');
  assert.equal(await fresh.inputValue('[data-testid=x-feature-select]'), 'bill_depth_mm');
  const freshBoundary = await canvasStats(fresh, 'boundary-canvas');
  assert.equal(freshBoundary.hash, boundary.hash, 'the same boundary, pixel for pixel');
  assert.equal(await fresh.evaluate(() => history.length), entries, 'opening a link adds no history entry');
  assert.deepEqual([...errors, ...freshErrors], []);
  await fresh.close();
  await context.close();
});

test('back and forward step between two trainings, training each again', async () => {
  const { page, errors } = await open(env);
  await page.fill('#params [data-param=max_depth]', '1');
  await train(page);
  const shallow = await text(page, 'metrics');
  await page.fill('#params [data-param=max_depth]', '4');
  await train(page);
  const deep = await text(page, 'metrics');
  assert.notEqual(shallow, deep);
  // A slider moved is no history entry of its own.
  const entries = await page.evaluate(() => history.length);
  await page.selectOption('[data-testid=x-feature-select]', 'sepal length (cm)');
  await page.waitForFunction(() => location.hash.includes('&x=sepal%20length%20%28cm%29&'));
  assert.equal(await page.evaluate(() => history.length), entries, 'an axis change replaces the entry');

  await page.evaluate(() => history.back());
  await page.waitForFunction((m) => document.querySelector('[data-testid=metrics]').textContent === m, shallow, { timeout: 60000 });
  assert.equal(await page.inputValue('#params [data-param=max_depth]'), '1', 'the controls are the entry\'s');
  await page.evaluate(() => history.forward());
  await page.waitForFunction((m) => document.querySelector('[data-testid=metrics]').textContent === m, deep, { timeout: 60000 });
  assert.equal(await page.inputValue('#params [data-param=max_depth]'), '4');
  await page.waitForFunction(() => location.hash.includes('&x=sepal%20length%20%28cm%29&'));
  assert.equal(await page.inputValue('[data-testid=x-feature-select]'), 'sepal length (cm)', 'and its axes');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a damaged link says what is wrong and the page opens as usual', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}#v1&data=iris&model=knn&task=classification&seed=abc`);
  await waitForText(page, 'link-status', "This link is damaged: 'seed' is 'abc', not a number.");
  await waitForText(page, 'data-summary', '150 rows');
  await page.goto(`${env.url}#v7&data=iris`);
  await page.reload();
  await waitForText(page, 'link-status', 'newer Micro Models (link format 7)');
  await waitForText(page, 'data-summary', '150 rows');
  // A link naming a model the page does not have: the table loads, nothing trains.
  // Pasted into the address of the open page: no reload, the page opens it.
  await page.goto(`${env.url}#v1&data=wine&target=cultivar&task=classification&model=gpt`);
  await waitForText(page, 'link-status', "model this page does not have ('gpt')");
  await waitForText(page, 'data-summary', '178 rows');
  assert.equal(await text(page, 'metrics'), '');
  await page.close();
});

test('a link made with the person\'s own file asks for it and refuses another', async () => {
  const own = dataset('penguins.csv');
  const bytes = fs.readFileSync(own);
  const link = `${env.url}#v1&file=penguins.csv&size=${bytes.length}&hash=${fnv1a(bytes)}` +
    '&target=species&task=classification&model=decision_tree&p.max_depth=2&seed=1&test=20';
  const page = await env.browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(link);
  await waitForText(page, 'link-status', `This link was made with penguins.csv (${(bytes.length / 1e3).toFixed(1)} KB): drop that file`);
  assert.equal(await text(page, 'data-summary'), '', 'no table is loaded in its place');

  await dropFile(page, dataset('iris.csv'));
  await waitForText(page, 'data-summary', '150 rows');
  await waitForText(page, 'link-status', 'the file loaded is iris.csv');
  assert.match(await text(page, 'link-status'), /The link's model was not trained/);
  assert.equal(await text(page, 'metrics'), '');

  await dropFile(page, own);
  await waitForText(page, 'metrics', 'Test accuracy');
  assert.equal(await text(page, 'link-status'), '');
  assert.equal(await page.inputValue('#params [data-param=max_depth]'), '2');
  assert.match(await page.evaluate(() => location.hash), /^#v1&file=penguins.csv&size=\d+&hash=[0-9a-f]{16}&target=species/);
  assert.deepEqual(errors, []);
  await page.close();
});
