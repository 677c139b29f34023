// The trained model as a file (issue 12, section 2): downloaded, loaded into
// a fresh page on the same table, and a damaged one refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { start, open, text, waitForText, train, canvasStats, screenshot, artifacts } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

/** Clicks "Download model" and returns the file's name and text. */
async function downloadModel(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-model]')]);
  const file = path.join(artifacts, download.suggestedFilename());
  fs.mkdirSync(artifacts, { recursive: true });
  await download.saveAs(file);
  return { name: download.suggestedFilename(), file, json: fs.readFileSync(file, 'utf8') };
}

test('a penguins forest downloaded as a file loads in a fresh page with the same scores and boundary', async () => {
  const { page, errors } = await open(env);
  await page.selectOption('[data-testid=dataset-select]', 'penguins');
  await waitForText(page, 'data-summary', '344 rows');
  await page.selectOption('[data-testid=model-select]', 'random_forest');
  await page.fill('#seed', '7');
  await train(page);
  const metrics = await text(page, 'metrics');
  const saved = await downloadModel(page);
  assert.equal(saved.name, 'penguins-random_forest.model.json');
  const file = JSON.parse(saved.json);
  assert.equal(file.format, 'micro-models/model');
  assert.equal(file.version, 1);
  assert.equal(file.dataset.name, 'penguins');
  assert.equal(file.model.id, 'random_forest');
  assert.equal(file.split.seed, 7);
  assert.ok(file.model.state.trees.length > 0, 'the fitted trees are in the file, readable');
  assert.deepEqual(file.classes, ['Adelie', 'Gentoo', 'Chinstrap'], 'in the order the table first has them');

  // A fresh page (on iris), then the same table, then the file.
  const fresh = await open(env);
  await fresh.page.selectOption('[data-testid=dataset-select]', 'penguins');
  await waitForText(fresh.page, 'data-summary', '344 rows');
  await fresh.page.setInputFiles('[data-testid=model-file-input]', saved.file);
  await waitForText(fresh.page, 'model-file-status', 'Loaded the model file', 60000);
  assert.equal(await text(fresh.page, 'metrics'), metrics);
  assert.match(await text(fresh.page, 'model-file-status'), /Random forest, trained on 'penguins'/);
  // The controls say what trained it, so Train trains it again.
  assert.equal(await fresh.page.inputValue('[data-testid=model-select]'), 'random_forest');
  assert.equal(await fresh.page.inputValue('#seed'), '7');
  assert.equal(await fresh.page.inputValue('[data-testid=target-select]'), 'species');
  const boundary = await canvasStats(fresh.page, 'boundary-canvas');
  assert.ok(boundary.inked > 0.3 && boundary.colors > 3, `the boundary is drawn: ${JSON.stringify(boundary)}`);
  assert.equal(boundary.hash, (await canvasStats(page, 'boundary-canvas')).hash, 'the same boundary as where it was trained');
  await screenshot(fresh.page, 'model-file-loaded');
  await fresh.page.setViewportSize({ width: 390, height: 900 });
  await screenshot(fresh.page, 'model-file-loaded-narrow');
  assert.deepEqual(fresh.errors, []);
  assert.deepEqual(errors, []);
  await fresh.page.close();
  await page.close();
});

test('a damaged or newer model file is refused with a message, and the model on show stays', async () => {
  const { page, errors } = await open(env);
  await train(page);
  const metrics = await text(page, 'metrics');
  const saved = await downloadModel(page);
  const file = JSON.parse(saved.json);

  // A tree whose child points past its nodes.
  file.model.state.grown.nodes[0].right = 9999;
  const damaged = path.join(artifacts, 'damaged.model.json');
  fs.writeFileSync(damaged, JSON.stringify(file));
  await page.setInputFiles('[data-testid=model-file-input]', damaged);
  await waitForText(page, 'error-message', 'damaged');
  assert.match(await text(page, 'error-message'), /The model's fitted state is damaged: node 0's children/);
  assert.equal(await text(page, 'metrics'), metrics, 'the model trained before is still on show');
  await screenshot(page, 'model-file-damaged');

  // A file from a newer page, dropped on the drop zone.
  const newer = JSON.parse(saved.json);
  newer.version = 3;
  await page.evaluate((json) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([json], 'newer.model.json', { type: 'application/json' }));
    const zone = document.querySelector('[data-testid=drop-zone]');
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, JSON.stringify(newer));
  await waitForText(page, 'error-message', 'newer Micro Models');
  assert.match(await text(page, 'error-message'), /made by a newer Micro Models, format 3; this page reads up to 1/);
  assert.equal(await text(page, 'metrics'), metrics);
  assert.match(await text(page, 'data-summary'), /150 rows/, 'the table stays');
  assert.deepEqual(errors, []);
  await page.close();
});
