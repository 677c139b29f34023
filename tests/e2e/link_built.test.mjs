// A link reproduces what was built by hand (issue 13 §1): points clicked
// onto a toy set, an ensemble, a student distilled from it; and an embed
// whose link names the person's own file tells its host it waits for it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { start, open, text, waitForText, train, canvasStats, dataset } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

const VIEWPORT = { width: 1400, height: 1000 };

/** Polls until `read()` gives `want` (JSON-equal), else fails saying the last value. */
async function until(page, read, want, what, timeout = 90000) {
  const end = Date.now() + timeout;
  let got;
  for (;;) {
    got = await read();
    if (JSON.stringify(got) === JSON.stringify(want)) return;
    if (Date.now() > end) assert.fail(`${what}: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    await page.waitForTimeout(100);
  }
}

/** The model card without its time per row, which is measured anew each time. */
const card = async (page) => (await text(page, 'model-card')).replace(/ · [\d.,]+ µs per row/, '');

/**
 * Opens `href` in a fresh page as a student would, and checks it shows what
 * the teacher's page shows: the same scores, the same model card (but its
 * time per row) and the same boundary, pixel for pixel. Returns the fresh page.
 */
async function reopened(href, page, extra = []) {
  const want = {
    metrics: await text(page, 'metrics'),
    card: await card(page),
    summary: await text(page, 'data-summary'),
    boundary: (await canvasStats(page, 'boundary-canvas')).hash,
  };
  for (const id of extra) want[id] = await text(page, id);
  const fresh = await env.browser.newPage({ viewport: VIEWPORT });
  const errors = [];
  fresh.on('pageerror', (e) => errors.push(e.message));
  await fresh.goto(href, { waitUntil: 'domcontentloaded' });
  const read = async () => {
    const got = {
      metrics: await text(fresh, 'metrics'),
      card: await card(fresh),
      summary: await text(fresh, 'data-summary'),
      boundary: (await canvasStats(fresh, 'boundary-canvas')).hash,
    };
    for (const id of extra) got[id] = await text(fresh, id);
    return got;
  };
  await until(fresh, read, want, 'the fresh page');
  assert.equal(await fresh.evaluate(() => location.hash), new URL(href).hash, 'the fresh page writes the same link back');
  assert.deepEqual(errors, []);
  return fresh;
}

test('a toy set with three points clicked onto it comes back from its link, table, model and boundary', async () => {
  const { page, errors } = await open(env, VIEWPORT);
  await page.selectOption('[data-testid=toy-select]', 'xor');
  await waitForText(page, 'data-summary', 'xor (300 rows');
  await train(page);
  await page.selectOption('[data-testid=add-class-select]', 'opposite signs');
  const box = await page.locator('[data-testid=boundary-canvas]').boundingBox();
  for (const [fx, fy] of [[0.45, 0.4], [0.5, 0.45], [0.55, 0.5]]) {
    await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
  }
  await waitForText(page, 'data-summary', '303 rows');
  // The last retraining (the tree retrains at once on a click) writes the link.
  await page.waitForFunction(() => /&edits=[^&,]+,[^&,]+,[^&,]+&target=class&.*&model=decision_tree&/.test(location.hash),
    null, { timeout: 60000 });
  await page.waitForFunction(() => document.getElementById('progress-text').textContent === 'Trained.');
  const href = await page.evaluate(() => location.href);
  assert.match(href, /#v1&toy=xor&rows=300&noise=[\d.]+&toyseed=0&edits=-?\d+\.\d{4};-?\d+\.\d{4};opposite%20signs,/, href);
  const fresh = await reopened(href, page);
  assert.match(await text(fresh, 'data-summary'), /303 rows.*3 points added and 0 removed by hand/);
  assert.deepEqual(errors, []);
  await fresh.close();
  await page.close();
});

test('an ensemble, then a student distilled from it, each come back from their link', async () => {
  const { page, errors } = await open(env, VIEWPORT);
  await page.selectOption('[data-testid=dataset-select]', 'penguins');
  await waitForText(page, 'data-summary', '344 rows');
  for (const box of await page.locator('#compare-models input').all()) {
    await box.setChecked(['decision_tree', 'logistic_regression', 'knn'].includes(await box.inputValue()));
  }
  // The members compared first, then built into an ensemble: the comparison
  // has the members' rows and the ensemble's.
  await train(page);
  await page.click('[data-testid=compare-button]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=compare-table] tr[data-model]').length === 3,
    null, { timeout: 90000 });
  await page.fill('#ensemble-weights', '1, 2, 0.5');
  await page.evaluate(() => { document.querySelector('[data-testid=metrics]').textContent = ''; });
  await page.click('[data-testid=ensemble-build]');
  await waitForText(page, 'metrics', 'Test accuracy', 90000);
  await page.waitForFunction(() => location.hash.includes('&ens=soft&members=decision_tree,logistic_regression,knn&weights=1,2,0.5&'),
    null, { timeout: 60000 });
  // Each row: its model, name and scores, test rows, parameters and bytes
  // (not its times, measured anew).
  const compared = (p) => p.evaluate(() => [...document.querySelectorAll('[data-testid=compare-table] tr[data-model]')]
    .map((tr) => [tr.dataset.model, tr.querySelector('th').textContent,
      ...[...tr.querySelectorAll('td')].slice(0, 5).map((td) => td.textContent)]));
  const rows = await compared(page);
  assert.deepEqual(rows.map((r) => r[0]), ['decision_tree', 'logistic_regression', 'knn', 'ensemble']);
  const ensembleHref = await page.evaluate(() => location.href);
  assert.match(ensembleHref, /&compare=decision_tree,logistic_regression,knn(&|$)/, ensembleHref);
  // The link opened builds the ensemble, then compares: the same four rows.
  const first = await reopened(ensembleHref, page, ['ensemble-summary']);
  await until(first, () => compared(first), rows, 'the comparison after the link opened');
  await first.close();

  // A depth-3 tree learns the ensemble's answers.
  await page.selectOption('[data-testid=distill-student]', 'tree');
  await page.fill('[data-testid=distill-depth]', '3');
  await page.fill('[data-testid=distill-rows]', '500');
  await page.click('[data-testid=distill-run]');
  await waitForText(page, 'distill-summary', 'agreeing with it on', 90000);
  await page.waitForFunction(() => /&ens=soft&.*&student=tree&sdepth=3&srows=500&sseed=\d+&/.test(location.hash),
    null, { timeout: 60000 });
  const studentHref = await page.evaluate(() => location.href);
  // (The distillation's summary says how much faster the student is: a time, measured anew.)
  const second = await reopened(studentHref, page, ['distill-teacher']);
  assert.match(await text(second, 'model-card'), /^Depth-3 decision tree, distilled from the /);
  await second.close();
  assert.deepEqual(errors, []);
  await page.close();
});

/** FNV-1a, 64 bits, hex: the page's fingerprint of a file. */
function fnv1a(bytes) {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return h.toString(16).padStart(16, '0');
}

test('an embed whose link names the person\'s own file says ready with needsFile, and trains once the host posts it', async () => {
  const bytes = fs.readFileSync(dataset('penguins.csv'));
  const src = `${env.url}?embed#v1&file=penguins.csv&size=${bytes.length}&hash=${fnv1a(bytes)}` +
    '&target=species&task=classification&model=decision_tree&p.max_depth=2&seed=1&test=20&embed=metrics';
  const page = await env.browser.newPage({ viewport: { width: 700, height: 560 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setContent(`<!DOCTYPE html><body>
    <iframe id="frame" src="${src.replaceAll('&', '&amp;')}" width="600" height="450" sandbox="allow-scripts allow-same-origin"></iframe>
    <script>window.got = []; addEventListener('message', (e) => window.got.push(e.data));</script></body>`);
  await page.waitForFunction(() => window.got.length > 0, null, { timeout: 60000 });
  assert.deepEqual(await page.evaluate(() => window.got), [{ type: 'ready', needsFile: { name: 'penguins.csv', bytes: bytes.length } }]);
  // Another table first: the link keeps waiting for its own.
  await page.evaluate(() => document.getElementById('frame').contentWindow.postMessage(
    { type: 'set-dataset', csv: 'a,b\n1,x\n2,y\n3,x\n', name: 'other.csv' }, '*'));
  const frame = page.frameLocator('#frame');
  await frame.locator('[data-testid=link-status]').filter({ hasText: 'the file loaded is other.csv' }).waitFor({ timeout: 30000 });
  // Then the file the link was made with, as text: the link's model trains, and the host hears it.
  await page.evaluate((csv) => document.getElementById('frame').contentWindow.postMessage(
    { type: 'set-dataset', csv, name: 'penguins.csv' }, '*'), bytes.toString('utf8'));
  await page.waitForFunction(() => window.got.some((m) => m.type === 'trained'), null, { timeout: 60000 });
  const trained = await page.evaluate(() => window.got.find((m) => m.type === 'trained'));
  assert.equal(trained.model, 'decision_tree');
  assert.match(trained.text, /^Test accuracy 0\.\d+/);
  assert.equal(await page.evaluate(() => window.got.filter((m) => m.type === 'ready').length), 1, 'ready once');
  assert.deepEqual(errors, []);
  await page.close();
});
