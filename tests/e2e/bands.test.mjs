// Every dataset drawable: a passenger list (one number, two categories) draws
// its categories as bands, a table with one feature draws the prediction
// along it, and the bundled house prices train three models side by side.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start, open, train, waitForText, text, canvasStats, waitForCanvasChange, dropFile, artifacts } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

/** Row i of the passenger list (0-based): survival by sex and class, with a seeded pattern. */
const passenger = (i) => {
  const sex = i % 2 === 0 ? 'female' : 'male';
  const klass = ['1st', '2nd', '3rd'][Math.floor(i / 2) % 3];
  const age = 2 + (i * 37) % 70;
  const survived = (sex === 'female' && klass !== '3rd') || age < 10 || i % 11 === 0;
  return { sex, klass, age, survived: survived ? 'yes' : 'no' };
};

function writeCsv(name, header, line) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bands-')), name);
  const rows = Array.from({ length: 200 }, (_, i) => line(passenger(i)));
  fs.writeFileSync(file, [header, ...rows].join('\n') + '\n');
  return file;
}

const options = (page, id) => page.locator(`[data-testid=${id}] option`).evaluateAll((o) => o.map((x) => x.value));

/** The level of `column` in the path text: a place says it, a row is looked up in the list. */
function levelSaid(said, column) {
  const place = said.match(new RegExp(`${column} = (\\w+)`));
  if (place) return place[1];
  const row = said.match(/^Row (\d+)/);
  assert.ok(row, `a place or a row: ${said}`);
  const p = passenger(Number(row[1]) - 1);
  return column === 'sex' ? p.sex : p.klass;
}

test('a passenger list draws sex and class as bands, and a click in a band takes its level', async () => {
  const { page, errors } = await open(env);
  await dropFile(page, writeCsv('passengers.csv', 'age,sex,class,survived',
    (p) => `${p.age},${p.sex},${p.klass},${p.survived}`));
  await waitForText(page, 'data-summary', '200 rows');
  await page.selectOption('[data-testid=target-select]', 'survived');
  await page.selectOption('[data-testid=model-select]', 'decision_tree');
  await train(page);
  const xs = await options(page, 'x-feature-select');
  for (const name of ['age', 'sex', 'class']) assert.ok(xs.includes(name), `x offers ${name}: ${xs}`);
  assert.deepEqual(await options(page, 'y-feature-select'), xs);
  // Age against a category straight away, not "age and age".
  assert.equal(await page.inputValue('[data-testid=x-feature-select]'), 'age');
  assert.notEqual(await page.inputValue('[data-testid=y-feature-select]'), 'age');

  await page.selectOption('[data-testid=x-feature-select]', 'sex');
  await page.selectOption('[data-testid=y-feature-select]', 'class');
  await page.waitForFunction(() => document.querySelector('[data-testid=boundary-canvas]').width > 0);
  await page.waitForTimeout(500);
  const drawn = await canvasStats(page, 'boundary-canvas');
  assert.ok(drawn.inked > 0.3 && drawn.colors > 4, `the cells are drawn: ${JSON.stringify(drawn)}`);

  // A click in the left and in the right half of the plot: the two levels of sex.
  const box = await page.locator('[data-testid=boundary-canvas]').boundingBox();
  const seen = new Set();
  for (const fx of [0.3, 0.8]) {
    await page.evaluate(() => { document.querySelector('[data-testid=path-text]').textContent = ''; });
    await page.mouse.click(box.x + box.width * fx, box.y + box.height * 0.45);
    await page.waitForFunction(() => document.querySelector('[data-testid=path-text]').textContent !== '');
    const said = await text(page, 'path-text');
    seen.add(levelSaid(said, 'sex'));
    assert.ok(['1st', '2nd', '3rd'].includes(levelSaid(said, 'class')), said);
  }
  assert.deepEqual([...seen].sort(), ['female', 'male'], 'each half of the plot is a level of sex');
  assert.deepEqual(errors, []);
});

test('a table with one numeric feature draws the prediction along it', async () => {
  const { page, errors } = await open(env);
  await dropFile(page, writeCsv('ages.csv', 'age,survived', (p) => `${p.age},${p.survived}`));
  await waitForText(page, 'data-summary', '200 rows');
  await page.selectOption('[data-testid=target-select]', 'survived');
  await page.selectOption('[data-testid=model-select]', 'decision_tree');
  await train(page);
  const drawn = await canvasStats(page, 'one-feature-canvas');
  assert.ok(drawn.width > 0 && drawn.inked > 0.02, `the curves are drawn: ${JSON.stringify(drawn)}`);
  assert.equal((await canvasStats(page, 'boundary-canvas')).width, 0, 'no boundary plot');
  assert.match(await page.locator('#boundary-empty').textContent(), /one feature, age/);
  const label = await page.locator('[data-testid=one-feature-canvas]').getAttribute('aria-label');
  assert.match(label, /along age: as age changes, P\(yes\) from [\d.]+ to [\d.]+; P\(no\) from/);

  // A click traces the row nearest along age, in the words a boundary click
  // gives, said by the live region, and marks it on the curve.
  const liveText = async () => {
    assert.equal(await page.locator('[data-testid=path-text]').getAttribute('aria-live'), 'polite');
    return text(page, 'path-text');
  };
  const traced = async (act) => {
    await page.evaluate(() => { document.querySelector('[data-testid=path-text]').textContent = ''; });
    const before = (await canvasStats(page, 'one-feature-canvas')).hash;
    await act();
    await page.waitForFunction(() => document.querySelector('[data-testid=path-text]').textContent !== '');
    await waitForCanvasChange(page, 'one-feature-canvas', before);
    const said = await liveText();
    const row = said.match(/^Row (\d+) \(a (training|test) row; its survived is (yes|no)\): the decision tree \(CART\) predicts (yes|no) \(probability [\d.]+\)\. Path: /);
    assert.ok(row, said);
    return { row: Number(row[1]), age: passenger(Number(row[1]) - 1).age };
  };
  const box = await page.locator('[data-testid=one-feature-canvas]').boundingBox();
  const left = await traced(() => page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.4));
  const right = await traced(() => page.mouse.click(box.x + box.width * 0.8, box.y + box.height * 0.4));
  assert.ok(left.age < right.age, `a click further right traces an older passenger: ${left.age} then ${right.age}`);

  // The keyboard cursor shows only while the keyboard is used: the clicks
  // focused the plot, but its mark stays out of sight...
  const cursorShown = () => page.evaluate(() => !document.getElementById('one-feature-cursor').hidden);
  assert.equal(await cursorShown(), false, 'a click does not show the keyboard cursor');
  const cursorAge = async () => {
    const said = await text(page, 'boundary-cursor-text');
    const m = said.match(/^Cursor at age ([\d.]+)\. Enter traces the row nearest to it\.$/);
    assert.ok(m, said);
    return Number(m[1]);
  };
  // ...until an arrow moves it on from the place last clicked (and the live region says where).
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => !document.getElementById('one-feature-cursor').hidden);
  const center = (id) => page.evaluate((id) => {
    const c = document.querySelector('[data-testid=one-feature-canvas]').getBoundingClientRect();
    const m = document.getElementById(id).getBoundingClientRect();
    return { x: m.x + m.width / 2 - c.x, y: m.y + m.height / 2 - c.y };
  }, id);
  const onward = await center('one-feature-cursor');
  assert.ok(onward.x > box.width * 0.8 && onward.x < box.width * 0.8 + 30 && Math.abs(onward.y - box.height * 0.4) <= 4,
    `one step right of the click at ${box.width * 0.8}, ${box.height * 0.4}: ${JSON.stringify(onward)}`);
  const from = await cursorAge();
  assert.ok(Math.abs(from - right.age) <= 3, `the cursor went on from the click's age: ${from} after ${right.age}`);
  // Shift + left twice, a quarter of the axis: Enter traces the row nearest.
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('Shift+ArrowLeft');
  const moved = await cursorAge();
  assert.ok(moved < from - 10, `the arrows move the cursor along age: ${from} to ${moved}`);
  const keyed = await traced(() => page.keyboard.press('Enter'));
  assert.notEqual(keyed.row, right.row, 'Enter traced another row');
  assert.ok(Math.abs(keyed.age - moved) <= 1, `the row nearest the cursor: age ${keyed.age} at ${moved}`);
  // Leaving by Tab hides it; coming back by Tab shows it at once, where it was.
  await page.keyboard.press('Tab');
  assert.equal(await cursorShown(), false, 'the cursor goes with the focus');
  await page.keyboard.press('Shift+Tab');
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'one-feature-canvas');
  assert.equal(await cursorShown(), true, 'a focus by Tab shows the cursor');
  assert.equal(await cursorAge(), moved);

  // What if: the traced row's line, dragged along age, says what the model
  // would predict for that row at another age, live, and redraws the mark.
  const youngest = await traced(() => page.mouse.click(box.x + box.width * 0.16, box.y + box.height * 0.4));
  assert.ok(youngest.age < 12, `a child traced: ${youngest.age}`);
  const beforeDrag = (await canvasStats(page, 'one-feature-canvas')).hash;
  await page.mouse.move(box.x + box.width * 0.16, box.y + box.height * 0.6);
  await page.mouse.down();
  for (const fx of [0.3, 0.5, 0.7, 0.85]) await page.mouse.move(box.x + box.width * fx, box.y + box.height * 0.6, { steps: 3 });
  await page.waitForFunction(() => /^What if row \d+ .* had age = (\d+)/.test(document.querySelector('[data-testid=path-text]').textContent)
    && Number(document.querySelector('[data-testid=path-text]').textContent.match(/had age = (\d+)/)[1]) > 55);
  await page.mouse.up();
  const whatIf = await liveText();
  const m = whatIf.match(/^What if row (\d+) \(a (training|test) row; its survived is (yes|no)\) had age = ([\d.]+)\? The decision tree \(CART\) would predict (yes|no) \(probability [\d.]+\); for the row as it is, (yes|no) \(probability [\d.]+\)\./);
  assert.ok(m, whatIf);
  assert.equal(Number(m[1]), youngest.row, 'the row dragged is the row traced');
  assert.notEqual(m[5], m[6], `a child of ${youngest.age} moved to ${m[4]} gets another answer: ${whatIf}`);
  await waitForCanvasChange(page, 'one-feature-canvas', beforeDrag);
  // A row dragged away has no counterfactual to ask for; traced as it is, it has.
  assert.equal(await page.locator('[data-testid=counterfactual-button]').isVisible(), false);
  await traced(() => page.mouse.click(box.x + box.width * 0.16, box.y + box.height * 0.4));
  assert.ok(await page.locator('[data-testid=counterfactual-button]').isVisible(), 'the counterfactual is offered along age');
  const beforeArrow = (await canvasStats(page, 'one-feature-canvas')).hash;
  await page.click('[data-testid=counterfactual-button]');
  await waitForText(page, 'counterfactual-text', 'would say');
  assert.match(await text(page, 'counterfactual-text'), /^If age were [\d.]+ higher \([\d.]+ instead of \d+\), the decision tree \(CART\) would say no instead of yes: /);
  await waitForCanvasChange(page, 'one-feature-canvas', beforeArrow);
  await page.locator('.card:has(#boundary-title)').screenshot({ path: path.join(artifacts, 'one-feature-counterfactual.png') });
  assert.deepEqual(errors, []);
});

test('house prices train a linear model, a tree and a network side by side', async () => {
  const { page, errors } = await open(env);
  await page.selectOption('[data-testid=dataset-select]', 'house_prices');
  await waitForText(page, 'data-summary', '600 rows');
  assert.equal(await page.inputValue('[data-testid=target-select]'), 'price_usd');
  await train(page);
  assert.match(await text(page, 'metrics'), /Test R²/);
  await page.selectOption('[data-testid=x-feature-select]', 'floor_area_sqft');
  await page.selectOption('[data-testid=y-feature-select]', 'neighbourhood');
  for (const box of await page.locator('#compare-models input').all()) {
    await box.setChecked(['linear_regression', 'decision_tree', 'mlp'].includes(await box.inputValue()));
  }
  await page.click('[data-testid=compare-button]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=compare-table] tr[data-model]').length === 3,
    null, { timeout: 90000 });
  const rows = await page.locator('[data-testid=compare-table] tr[data-model]').evaluateAll((r) => r.map((x) => x.dataset.model));
  assert.deepEqual(rows.sort(), ['decision_tree', 'linear_regression', 'mlp']);
  assert.deepEqual(errors, []);
});
