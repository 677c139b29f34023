// Every registered model, trained from the page: its boundary and its own view
// are drawn, and switching models keeps the dataset and the split.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, text, waitForText, train, canvasStats, waitForCanvasChange, screenshot } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

/** The model options as the page lists them: registry id, name and tasks. */
function models(page) {
  return page.locator('[data-testid=model-select] option').evaluateAll(
    (options) => options.map((o) => ({ id: o.value, name: o.textContent, tasks: o.dataset.tasks.split(' ') })));
}

async function drawn(page, id) {
  const s = await canvasStats(page, id);
  return s.width > 100 && s.height > 50 && s.inked > 0.01 && s.colors >= 3;
}

/** Checks the views a person sees after training `model`. */
async function assertModelViews(page, model) {
  assert.ok(await drawn(page, 'boundary-canvas'), `${model.id}: the boundary is drawn`);
  const ownView = await page.locator('#model-view-card').isVisible();
  const tree = await page.locator('#tree-card').isVisible();
  assert.ok(ownView || tree || model.id === 'knn', `${model.id}: shows its own view`);
  if (ownView) assert.ok(await drawn(page, 'model-view-canvas'), `${model.id}: its own view is drawn`);
  if (tree) assert.ok(await drawn(page, 'tree-canvas'), `${model.id}: its tree is drawn`);
  assert.match(await text(page, 'model-card'), /[\d,]+ parameters · [\d,]+ bytes · [\d.]+ µs per row/);
}

for (const task of ['classification', 'regression']) {
  test(`every ${task} model trains in the page and shows how it decides`, async () => {
    const { page, errors } = await open(env);
    if (task === 'regression') {
      await page.selectOption('[data-testid=dataset-select]', 'diabetes');
      await waitForText(page, 'data-summary', '442 rows');
    }
    const all = (await models(page)).filter((m) => m.tasks.includes(task));
    assert.ok(all.length >= 1);
    let split;
    for (const model of all) {
      await page.selectOption('[data-testid=model-select]', model.id);
      await train(page);
      await assertModelViews(page, model);
      // Same dataset, same split, whatever the model.
      const rows = (await text(page, 'metrics')).match(/[\d,]+ training rows, [\d,]+ test rows/)[0];
      split ??= rows;
      assert.equal(rows, split, `${model.id} trains on the same split`);
      await screenshot(page, `model-${task}-${model.id}`);
    }
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('clicking the boundary explains the prediction there; kNN circles its neighbours', async () => {
  const { page, errors } = await open(env);
  for (const [model, expected] of [['decision_tree', /predicts (setosa|versicolor|virginica)/], ['knn', /nearest training rows \(circled\)/]]) {
    await page.selectOption('[data-testid=model-select]', model);
    await train(page);
    const before = await canvasStats(page, 'boundary-canvas');
    const box = await page.locator('[data-testid=boundary-canvas]').boundingBox();
    await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.5);
    // A press on empty ground asks about that place; on a point, about its row.
    await page.waitForFunction(() => /^(At|Row) /.test(document.querySelector('[data-testid=path-text]').textContent));
    assert.match(await text(page, 'path-text'), expected, model);
    await waitForCanvasChange(page, 'boundary-canvas', before.hash);
    await screenshot(page, `inspect-${model}`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('clustering iris with k-means: no target needed, clusters and centroids drawn, agreement with species', async () => {
  const { page, errors } = await open(env);
  await page.selectOption('[data-testid=task-select]', 'clustering');
  // Only clustering models are offered, and the target may be none.
  assert.equal(await page.locator('[data-testid=model-select]').inputValue(), 'kmeans');
  const enabled = await page.locator('[data-testid=model-select] option:not([disabled])').evaluateAll((o) => o.map((x) => x.value));
  assert.deepEqual(enabled, ['kmeans']);
  assert.equal(await page.locator('[data-testid=target-select] option').first().textContent(), '(none)');
  assert.equal(await page.locator('[data-testid=target-select]').inputValue(), '');
  await train(page);
  assert.match(await text(page, 'metrics'), /^Test inertia [\d.]+ per row · train [\d.]+ · silhouette [\d.]+ · 3 clusters · 120 training rows, 30 test rows$/);
  assert.ok(await drawn(page, 'boundary-canvas'), 'the clusters are drawn');
  assert.ok(await drawn(page, 'model-view-canvas'), 'the elbow is drawn');
  assert.equal(await page.locator('#boundary-title').textContent(), 'Clusters over two features');
  // No test score to explain: no evaluation section at all.
  assert.ok(!(await page.locator('#evaluation-title').isVisible()), 'no empty evaluation heading');
  // Comparing with species: still clustering, species is no feature, and the ARI is shown.
  await page.selectOption('[data-testid=target-select]', 'species');
  assert.equal(await page.locator('[data-testid=task-select]').inputValue(), 'clustering');
  await train(page);
  assert.match(await text(page, 'metrics'), /agreement with species: ARI 0\.\d+/);
  assert.match(await text(page, 'model-card'), /k-means: 12 parameters/);
  await screenshot(page, 'clustering-iris-kmeans');
  // Back to classification: the dataset's own target returns.
  await page.selectOption('[data-testid=task-select]', 'classification');
  assert.equal(await page.locator('[data-testid=target-select]').inputValue(), 'species');
  assert.notEqual(await page.locator('[data-testid=model-select]').inputValue(), 'kmeans');
  assert.deepEqual(errors, []);
  await page.close();
});
