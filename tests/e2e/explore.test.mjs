// Exploring a trained model as a person would: trace a row through the tree,
// move the slice's sliders and watch the boundary follow, take a linear
// model's prediction apart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, text, waitForText, train, canvasStats, waitForCanvasChange, screenshot } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

async function penguinsTree(page) {
  await page.selectOption('[data-testid=dataset-select]', 'penguins');
  await waitForText(page, 'data-summary', '344 rows');
  await page.selectOption('[data-testid=model-select]', 'decision_tree');
  await train(page);
}

test('a traced row shows its path in words and in bold on the tree', async () => {
  const { page, errors } = await open(env);
  await penguinsTree(page);
  const tree = await canvasStats(page, 'tree-canvas');
  // The first row of the preview table: an Adelie penguin from Torgersen.
  await page.click('summary:has-text("Preview")');
  await page.click('#preview tr[data-row="0"]');
  await waitForText(page, 'path-text', 'Path: ');
  const said = await text(page, 'path-text');
  assert.match(said, /^Row 1 \((a test row|a training row); its species is Adelie\): the decision tree \(CART\) predicts \w+/);
  // The path ends at a leaf and names its class and its rows.
  assert.match(said, /→ (Adelie|Chinstrap|Gentoo), [\d,]+ of [\d,]+ training rows in this leaf\.$/);
  const predicted = said.match(/predicts (\w+)/)[1];
  assert.match(said, new RegExp(`→ ${predicted}, `), 'the leaf names the class predicted');
  await waitForCanvasChange(page, 'tree-canvas', tree.hash);
  assert.ok(await page.locator('[data-testid=spine-toggle]').isVisible(), 'the path-only toggle is offered');
  // Path only: the diagram shrinks to the path and its folded siblings.
  const full = await canvasStats(page, 'tree-canvas');
  await page.check('[data-testid=spine-toggle]');
  const spine = await waitForCanvasChange(page, 'tree-canvas', full.hash);
  assert.ok(spine.width <= full.width, 'the spine is no wider than the tree');
  await screenshot(page, 'explore-path');
  assert.deepEqual(errors, []);
  await page.close();
});

test('moving a slice slider redraws the boundary', async () => {
  const { page, errors } = await open(env);
  await penguinsTree(page);
  const controls = page.locator('[data-testid=slice-controls] .slice-control');
  assert.ok(await controls.count() >= 4, 'a control for every feature off the axes');
  const x = await page.inputValue('[data-testid=x-feature-select]');
  const y = await page.inputValue('[data-testid=y-feature-select]');
  const names = await controls.evaluateAll((ls) => ls.map((l) => l.dataset.column));
  assert.ok(!names.includes(x) && !names.includes(y), 'the axes have no slider');
  assert.ok(names.includes('island'), 'a categorical column gets a choice');
  const before = await canvasStats(page, 'boundary-canvas');
  // Move every numeric slider to its far end, one after another, as a hand would.
  for (const slider of await page.locator('[data-testid=slice-controls] input[type=range]').all()) {
    await slider.evaluate((s) => { s.value = s.max; s.dispatchEvent(new Event('input', { bubbles: true })); });
  }
  await waitForCanvasChange(page, 'boundary-canvas', before.hash);
  // The plot says which slice it shows: a choice changes it too.
  const moved = await canvasStats(page, 'boundary-canvas');
  await page.locator('[data-testid=slice-controls] [data-column=island] select').selectOption('Dream');
  await waitForCanvasChange(page, 'boundary-canvas', moved.hash);
  await screenshot(page, 'explore-slice');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a linear model takes a traced row apart input by input', async () => {
  const { page, errors } = await open(env);
  await page.selectOption('[data-testid=dataset-select]', 'diabetes');
  await waitForText(page, 'data-summary', '442 rows');
  await page.selectOption('[data-testid=model-select]', 'linear_regression');
  await train(page);
  assert.ok(!(await page.locator('[data-testid=contributions-canvas]').isVisible()));
  await page.click('summary:has-text("Preview")');
  await page.click('#preview tr[data-row="2"]');
  await waitForText(page, 'path-text', 'Row 3 (');
  assert.match(await text(page, 'path-text'), /predicts progression = [\d.]+/);
  await page.waitForSelector('[data-testid=contributions-canvas]', { state: 'visible' });
  const c = await canvasStats(page, 'contributions-canvas');
  assert.ok(c.width > 200 && c.inked > 0.02 && c.colors >= 3, JSON.stringify(c));
  await screenshot(page, 'explore-contributions');
  assert.deepEqual(errors, []);
  await page.close();
});

test('dragging a point asks what if it were elsewhere', async () => {
  const { page, errors } = await open(env);
  await page.selectOption('[data-testid=model-select]', 'decision_tree');
  await train(page);
  const box = await page.locator('[data-testid=boundary-canvas]').boundingBox();
  // Scan for a pixel that picks a data point (the page says "Row …" for one).
  let found = false;
  for (let fy = 0.3; fy <= 0.85 && !found; fy += 0.025) {
    for (let fx = 0.15; fx <= 0.85 && !found; fx += 0.025) {
      const [px, py] = [box.x + box.width * fx, box.y + box.height * fy];
      await page.mouse.move(px, py);
      await page.mouse.down();
      await page.waitForFunction(() => document.querySelector('[data-testid=path-text]').textContent !== '');
      if ((await text(page, 'path-text')).startsWith('Row ')) {
        await page.mouse.move(px + 40, py + 30, { steps: 5 });
        await waitForText(page, 'path-text', 'What if row ');
        found = true;
      }
      await page.mouse.up();
      await page.evaluate(() => { document.querySelector('[data-testid=path-text]').textContent = ''; });
    }
  }
  assert.ok(found, 'a point was found and dragged');
  assert.deepEqual(errors, []);
  await page.close();
});

test('comparing three models gives three boundaries, three rows and the Pareto chart', async () => {
  const { page, errors } = await open(env);
  await penguinsTree(page);
  const wanted = ['decision_tree', 'logistic_regression', 'knn'];
  for (const box of await page.locator('#compare-models input').all()) {
    await box.setChecked(wanted.includes(await box.inputValue()));
  }
  await page.click('[data-testid=compare-button]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=compare-table] tr').length === 3, null, { timeout: 60000 });
  const rows = await page.locator('[data-testid=compare-table] tr').evaluateAll(
    (trs) => trs.map((tr) => ({ model: tr.dataset.model, cells: [...tr.children].map((c) => c.textContent) })));
  assert.deepEqual(rows.map((r) => r.model), wanted);
  for (const r of rows) {
    const [accuracy, spread] = r.cells[1].split(' ± ').map(Number);
    assert.ok(accuracy > 0.85 && accuracy <= 1 && spread > 0 && spread < 0.1, `${r.model}: ${r.cells}`);
    assert.match(r.cells[2], /^\d+$/, 'test rows');
    assert.match(r.cells[4], /^[\d,]+$/, 'parameters');
  }
  // Three boundaries on the same axes, each drawn.
  const boundaries = page.locator('#compare-boundaries canvas');
  assert.equal(await boundaries.count(), 3);
  for (const c of await boundaries.all()) {
    const inked = await c.evaluate((el) => {
      const d = el.getContext('2d').getImageData(0, 0, el.width, el.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (!(d[i] > 250 && d[i + 1] > 250 && d[i + 2] > 250)) n++;
      return n / (d.length / 4);
    });
    assert.ok(inked > 0.15, `a boundary is drawn (${inked})`);
  }
  const pareto = await canvasStats(page, 'pareto-canvas');
  assert.ok(pareto.width > 200 && pareto.inked > 0.02, JSON.stringify(pareto));
  assert.match(await page.getAttribute('[data-testid=pareto-canvas]', 'aria-label'), /On the Pareto front, cheapest first: .+\./);
  // Another cost redraws the chart.
  await page.selectOption('#pareto-measure', 'micros');
  await waitForCanvasChange(page, 'pareto-canvas', pareto.hash);
  await screenshot(page, 'compare');
  assert.deepEqual(errors, []);
  await page.close();
});
