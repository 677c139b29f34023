// Usable by everyone: axe-core finds no serious or critical WCAG 2 A/AA
// violation on the trained page and the comparison; the keyboard reaches the
// steps in order, trains, and traces a place on the boundary plot through
// its cursor (said in a live region); every drawn canvas says what it
// shows; and at a phone's 390 × 844 and a laptop's 1280 × 800 the page
// holds its width (screenshots saved as artifacts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { start, open, train, waitForText, screenshot, axeCheck, artifacts } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

const COMPARED = ['decision_tree', 'logistic_regression', 'knn'];

/** Penguins, a decision tree, trained. */
async function penguinsTree(page) {
  await page.selectOption('[data-testid=dataset-select]', 'penguins');
  await waitForText(page, 'data-summary', '344 rows');
  await page.selectOption('[data-testid=model-select]', 'decision_tree');
  await train(page);
}

/** Compares three models and waits for their small boundaries. */
async function compareThree(page) {
  for (const box of await page.locator('#compare-models input').all()) {
    await box.setChecked(COMPARED.includes(await box.inputValue()));
  }
  await page.click('[data-testid=compare-button]');
  await page.waitForFunction(() => document.querySelectorAll('#compare-boundaries canvas').length === 3
    && document.querySelector('[data-testid=pareto-canvas]').width > 0, null, { timeout: 120000 });
}

const pageWidth = (page) => page.evaluate(() => document.documentElement.scrollWidth);

test('axe-core: no serious or critical violation on the trained page and the comparison', async () => {
  const { page, errors } = await open(env, { width: 1280, height: 800 });
  await penguinsTree(page);
  const trained = await axeCheck(page);
  assert.deepEqual(trained, [], `trained page:\n${JSON.stringify(trained, null, 1)}`);
  await compareThree(page);
  const compared = await axeCheck(page, { include: ['#compare-card'] });
  assert.deepEqual(compared, [], `comparison:\n${JSON.stringify(compared, null, 1)}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('every drawn canvas is an image with words that say what it shows', async () => {
  const { page, errors } = await open(env, { width: 1280, height: 800 });
  await penguinsTree(page);
  const labels = await page.locator('canvas').evaluateAll((cs) => cs
    .filter((c) => c.width > 0 && c.offsetParent !== null)
    .map((c) => ({ id: c.dataset.testid ?? c.dataset.view, role: c.getAttribute('role'), label: c.getAttribute('aria-label') ?? '' })));
  assert.ok(labels.length >= 6, `drawn canvases: ${labels.map((l) => l.id)}`);
  for (const { id, role, label } of labels) {
    assert.equal(role, 'img', `${id} is an image`);
    assert.ok(label.length > 40, `${id} says what it shows: "${label}"`);
  }
  const said = Object.fromEntries(labels.map((l) => [l.id, l.label]));
  // The tree's regions in the axes' units; the tree's first question; the top features with values.
  assert.match(said['boundary-canvas'], /Regions: \w+ covers \d+ %, .*where flipper_length_mm is (below|above|between) [\d.]+/);
  assert.match(said['tree-canvas'], /depth \d+\..*First question: \S+ ≤ [\d.]+\./);
  assert.match(said['importance-canvas'], /largest first: \S+ [\d.]+/);
  assert.match(said['confusion-canvas'], /test rows on the diagonal/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('keyboard: the steps in order, Enter trains, arrows and Enter trace a place on the boundary', async () => {
  const { page, errors } = await open(env, { width: 1280, height: 800 });
  // Tab from the top of the page, noting where each step's control comes.
  const order = [];
  for (let i = 0; i < 120 && !order.includes('train-button'); i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => document.activeElement?.dataset.testid ?? document.activeElement?.id ?? '');
    order.push(id);
  }
  const at = (id) => order.indexOf(id);
  const steps = ['dataset-select', 'target-select', 'model-select', 'train-button'];
  for (const id of steps) assert.ok(at(id) >= 0, `Tab reaches ${id}: ${order.join(' ')}`);
  assert.deepEqual([...steps].sort((a, b) => at(a) - at(b)), steps, `in the steps' order: ${order.join(' ')}`);

  // Enter on the focused Train trains.
  await page.keyboard.press('Enter');
  await waitForText(page, 'metrics', 'Test accuracy');

  // The boundary plot takes the focus, shows its cursor, and says where it is.
  await page.focus('[data-testid=boundary-canvas]');
  // The mark's place on the plot (the page may still be scrolling smoothly to it).
  const mark = () => page.evaluate(() => {
    const c = document.querySelector('[data-testid=boundary-canvas]').getBoundingClientRect();
    const m = document.getElementById('boundary-cursor').getBoundingClientRect();
    return { x: m.x + m.width / 2 - c.x, y: m.y + m.height / 2 - c.y };
  });
  await page.waitForFunction(() => !document.getElementById('boundary-cursor').hidden);
  const first = await page.locator('[data-testid=boundary-cursor-text]').textContent();
  assert.match(first, /^Cursor at .+ \d.*, .+\. Enter traces this place\.$/);
  const before = await mark();
  for (const key of ['ArrowRight', 'ArrowRight', 'Shift+ArrowUp']) await page.keyboard.press(key);
  const after = await mark();
  assert.ok(after.x > before.x + 4 && after.y < before.y - 10, `the cursor moved right and up: ${JSON.stringify([before, after])}`);
  assert.notEqual(await page.locator('[data-testid=boundary-cursor-text]').textContent(), first, 'the live region follows the cursor');
  assert.equal(await page.getAttribute('[data-testid=path-text]', 'aria-live'), 'polite');
  assert.equal(await page.locator('[data-testid=path-text]').textContent(), '');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /predicts/.test(document.querySelector('[data-testid=path-text]').textContent));

  // A click hides the cursor (the pointer is in use) and moves it to the
  // place clicked: the arrows show it again one step on from there.
  const shown = () => page.evaluate(() => !document.getElementById('boundary-cursor').hidden);
  const box = await page.locator('[data-testid=boundary-canvas]').boundingBox();
  const click = { x: box.width * 0.3, y: box.height * 0.6 };
  await page.mouse.click(box.x + click.x, box.y + click.y);
  assert.equal(await shown(), false, 'a click does not show the keyboard cursor');
  await page.locator('.card:has(#boundary-title)').screenshot({ path: path.join(artifacts, 'a11y-cursor-after-click.png') });
  await page.keyboard.press('ArrowRight');
  assert.equal(await shown(), true, 'an arrow shows it');
  const onward = await mark();
  assert.ok(onward.x > click.x + 4 && onward.x < click.x + 30 && Math.abs(onward.y - click.y) <= 4,
    `one step right of the click at ${JSON.stringify(click)}: ${JSON.stringify(onward)}`);
  await page.locator('.card:has(#boundary-title)').screenshot({ path: path.join(artifacts, 'a11y-cursor-after-arrow.png') });
  // Leaving by Tab hides it; back by Shift + Tab (the keyboard's focus) shows it where it was.
  await page.keyboard.press('Tab');
  assert.equal(await shown(), false, 'the cursor goes with the focus');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'boundary-canvas');
  assert.equal(await shown(), true, 'a focus by the keyboard shows the cursor');
  assert.deepEqual(await mark(), onward);

  // The page did not scroll away under the arrows, and Tab still leaves the plot.
  await page.keyboard.press('Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement?.dataset.testid), 'boundary-canvas');
  assert.deepEqual(errors, []);
  await page.close();
});

for (const [width, height] of [[390, 844], [1280, 800]]) {
  test(`at ${width} × ${height}: no sideways scroll after training and comparing, axe-core clean; screenshots`, async () => {
    const { page, errors } = await open(env, { width, height });
    await penguinsTree(page);
    assert.ok(await pageWidth(page) <= width, `trained: the page is ${await pageWidth(page)} px wide`);
    // Both columns keep a margin from the window's edge (a column wider than the window eats it first).
    const edges = await page.evaluate(() => ['.steps', '.views'].map((s) => document.querySelector(s).getBoundingClientRect().right));
    assert.ok(edges.every((right) => right <= width - 8), `the columns end at ${edges} of ${width} px`);
    await screenshot(page, `a11y-${width}x${height}-trained`);
    await compareThree(page);
    assert.ok(await pageWidth(page) <= width, `compared: the page is ${await pageWidth(page)} px wide`);
    const found = await axeCheck(page);
    assert.deepEqual(found, [], `at ${width} px:\n${JSON.stringify(found, null, 1)}`);
    await page.locator('#compare-card').screenshot({ path: path.join(artifacts, `a11y-${width}x${height}-compare.png`) });
    assert.deepEqual(errors, []);
    await page.close();
  });
}
