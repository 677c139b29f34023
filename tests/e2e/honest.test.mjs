// The boundary picture must not contradict the model (issue 15): a traced
// row sits on the ground the model gives it, the slice can go back to the
// typical row, the model can be shown refitted on the two plotted features
// alone, and ten classes get ten colours. Everything is read from what a
// person sees: the canvas's pixels, the controls, the words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, text, waitForText, train, canvasStats, waitForCanvasChange, screenshot } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

// The class palette of render/theme.rs, in class order: Okabe–Ito, then violet
// and dark brown for a ninth and tenth class.
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000', '#7F00FF', '#802A00']
  .map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
// Penguins' species in class order (their order of first appearance in the file).
const SPECIES = ['Adelie', 'Gentoo', 'Chinstrap'];

async function penguinsTree(page) {
  await page.selectOption('[data-testid=dataset-select]', 'penguins');
  await waitForText(page, 'data-summary', '344 rows');
  await page.selectOption('[data-testid=model-select]', 'decision_tree');
  await page.fill('#params [data-param=max_depth]', '3');
  await train(page);
}

/**
 * The boundary canvas as a person sees it, in device pixels: its pixels, the
 * plot's frame (the rectangle drawn in the axis grey), the CSS-to-device ratio.
 */
function readBoundary(page) {
  return page.evaluate(() => {
    const c = document.querySelector('[data-testid=boundary-canvas]');
    const { width, height } = c;
    const data = [...c.getContext('2d').getImageData(0, 0, width, height).data];
    // The frame's 1 px line may be blended into two pixel rows: any mid grey counts.
    const frame = (r, g, b) => Math.abs(r - g) < 10 && Math.abs(g - b) < 10 && r > 80 && r < 200;
    const rows = [];
    for (let y = 0; y < height; y++) {
      let n = 0;
      for (let x = 0; x < width; x++) { const i = (y * width + x) * 4; if (frame(data[i], data[i + 1], data[i + 2])) n++; }
      if (n > width / 2) rows.push(y);
    }
    const cols = [];
    for (let x = 0; x < width; x++) {
      let n = 0;
      for (let y = 0; y < height; y++) { const i = (y * width + x) * 4; if (frame(data[i], data[i + 1], data[i + 2])) n++; }
      if (n > height / 3) cols.push(x);
    }
    return { width, height, data, ratio: width / c.clientWidth,
      plot: { top: rows[0], bottom: rows.at(-1), left: cols[0], right: cols.at(-1) } };
  });
}

const pixel = (shot, x, y) => { const i = (Math.round(y) * shot.width + Math.round(x)) * 4; return shot.data.slice(i, i + 3); };
const same = (a, b) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2];

/** Centres (device px) of marks drawn in `color` inside the plot: filled points and faded rings alike. */
function marksOf(shot, color) {
  const { top, bottom, left, right } = shot.plot;
  const found = [];
  for (let y = top + 2; y < bottom - 1; y++) {
    for (let x = left + 2; x < right - 1; x++) {
      if (!same(pixel(shot, x, y), color)) continue;
      const near = found.find((f) => Math.hypot(f.x / f.n - x, f.y / f.n - y) < 6 * shot.ratio);
      if (near) { near.x += x; near.y += y; near.n++; } else found.push({ x, y, n: 1 });
    }
  }
  return found.filter((f) => f.n >= 6).map((f) => ({ x: f.x / f.n, y: f.y / f.n }));
}

/**
 * The class whose region colour the ground around (x, y) has: pixels on a ring
 * 11–15 CSS px out (clear of the point and its marker) are matched to the
 * nearest region tint (the class colour washed toward white, as
 * render/theme.rs's region_rgba does); the majority wins. Other points on the
 * ring match no tint and are left out.
 */
function groundAround(shot, x, y, classes) {
  const tints = classes.map((_, c) => Array.from({ length: 12 }, (_, k) => 0.14 + 0.22 * k / 11)
    .map((t) => PALETTE[c].map((v) => Math.round(255 + (v - 255) * t))));
  const votes = new Array(classes.length).fill(0);
  for (let r = 11; r <= 15; r += 2) {
    for (let a = 0; a < 64; a++) {
      const p = pixel(shot, x + r * shot.ratio * Math.cos(a / 64 * 2 * Math.PI), y + r * shot.ratio * Math.sin(a / 64 * 2 * Math.PI));
      let best = null;
      tints.forEach((ts, c) => ts.forEach((t) => {
        const d = Math.hypot(p[0] - t[0], p[1] - t[1], p[2] - t[2]);
        if (d < 6 && (!best || d < best.d)) best = { c, d };
      }));
      if (best) votes[best.c]++;
    }
  }
  const winner = votes.indexOf(Math.max(...votes));
  return votes[winner] > 20 ? classes[winner] : null;
}

test('tracing a Chinstrap row moves the slice to its values, so its point sits on its predicted ground; the typical row comes back', async () => {
  const { page, errors } = await open(env);
  await penguinsTree(page);
  const typical = await canvasStats(page, 'boundary-canvas');
  const island = page.locator('[data-testid=slice-controls] [data-column=island] select');
  assert.equal(await island.inputValue(), 'Biscoe', 'the slice starts at the most common island');
  assert.match(await page.getAttribute('[data-testid=boundary-canvas]', 'aria-label'),
    /The full model at a slice: .*island = Biscoe.* Bold: [\d,]+ of 342 rows near it .*\(same island\)\. Faded: the others/);
  assert.ok(await page.locator('[data-testid=slice-reset]').isDisabled(), 'nothing to go back from yet');

  // The case: Chinstrap points (they live on Dream) drawn on another
  // class's ground at the typical slice. Press each until one the tree calls Chinstrap.
  const shot = await readBoundary(page);
  const chinstrap = PALETTE[SPECIES.indexOf('Chinstrap')];
  const misplaced = marksOf(shot, chinstrap).filter((m) => {
    const ground = groundAround(shot, m.x, m.y, SPECIES);
    return ground && ground !== 'Chinstrap';
  });
  assert.ok(misplaced.length > 0, 'Chinstrap points stand on other ground at the typical slice');
  await page.locator('[data-testid=boundary-canvas]').scrollIntoViewIfNeeded();
  const box = await page.locator('[data-testid=boundary-canvas]').boundingBox();
  let traced = null;
  for (const m of misplaced) {
    await page.evaluate(() => { document.querySelector('[data-testid=path-text]').textContent = ''; });
    await page.mouse.click(box.x + m.x / shot.ratio, box.y + m.y / shot.ratio);
    await page.waitForFunction(() => document.querySelector('[data-testid=path-text]').textContent !== '');
    const said = await text(page, 'path-text');
    if (/its species is Chinstrap\): the decision tree \(CART\) predicts Chinstrap/.test(said)) { traced = { ...m, said }; break; }
    if (!(await page.locator('[data-testid=slice-reset]').isDisabled())) {
      const now = await canvasStats(page, 'boundary-canvas');
      await page.click('[data-testid=slice-reset]');
      await waitForCanvasChange(page, 'boundary-canvas', now.hash);
    }
  }
  assert.ok(traced, 'a Chinstrap row the tree predicts as Chinstrap was traced');
  // The slice moved to the row: its island is the one its path names, and the controls say so.
  const ownIsland = traced.said.match(/island = (\w+)/)?.[1] ?? 'Dream';
  await page.waitForFunction((v) => document.querySelector('[data-testid=slice-controls] [data-column=island] select')?.value === v, ownIsland);
  assert.notEqual(ownIsland, 'Biscoe');
  assert.ok(await page.locator('[data-testid=slice-controls] .slice-control.moved').count() >= 1, 'moved controls are marked');
  assert.match(await page.locator('#slice-summary').textContent(), /held at row \d+'s values/);
  assert.match(await page.getAttribute('[data-testid=boundary-canvas]', 'aria-label'), new RegExp(`island = ${ownIsland}`));
  // Its point now stands on the ground of the class the model predicts for it.
  const after = await readBoundary(page);
  assert.equal(groundAround(after, traced.x, traced.y, SPECIES), 'Chinstrap');
  await screenshot(page, 'honest-traced');

  // Dragged onto other ground, the what-if names that ground's class: the
  // picture and the words now agree.
  const { top, bottom, left, right } = after.plot;
  let target = null;
  for (let fy = 0.1; fy < 0.95 && !target; fy += 0.05) {
    for (let fx = 0.1; fx < 0.95 && !target; fx += 0.05) {
      const [tx, ty] = [left + (right - left) * fx, top + (bottom - top) * fy];
      const ground = groundAround(after, tx, ty, SPECIES);
      const here = PALETTE[SPECIES.indexOf(ground)];
      const tint = here && [0.14, 0.36].some((t) => Math.hypot(...pixel(after, tx, ty).map((v, i) => v - Math.round(255 + (here[i] - 255) * t))) < 40);
      if (ground && ground !== 'Chinstrap' && tint) target = { x: tx, y: ty, ground };
    }
  }
  assert.ok(target, 'the slice has ground of another class');
  await page.mouse.move(box.x + traced.x / shot.ratio, box.y + traced.y / shot.ratio);
  await page.mouse.down();
  await page.mouse.move(box.x + target.x / shot.ratio, box.y + target.y / shot.ratio, { steps: 8 });
  await waitForText(page, 'path-text', 'What if row ');
  await page.mouse.up();
  assert.match(await text(page, 'path-text'), new RegExp(`would predict ${target.ground} `));

  // Back to the typical row: the controls and the very same picture.
  const moved = await canvasStats(page, 'boundary-canvas');
  await page.click('[data-testid=slice-reset]');
  const back = await waitForCanvasChange(page, 'boundary-canvas', moved.hash);
  assert.equal(await island.inputValue(), 'Biscoe');
  assert.equal(await page.locator('[data-testid=slice-controls] .moved').count(), 0);
  assert.equal(back.hash, typical.hash, 'the typical picture is back');
  assert.ok(await page.locator('[data-testid=slice-reset]').isDisabled());
  assert.deepEqual(errors, []);
  await page.close();
});

test('"model on these two features only" refits the model on the axes and says so', async () => {
  const { page, errors } = await open(env);
  await penguinsTree(page);
  const x = await page.inputValue('[data-testid=x-feature-select]');
  const y = await page.inputValue('[data-testid=y-feature-select]');
  const full = await canvasStats(page, 'boundary-canvas');
  const label = () => page.getAttribute('[data-testid=boundary-canvas]', 'aria-label');
  assert.match(await label(), /The full model at a slice: /);
  await page.check('[data-testid=two-feature-model]');
  const refitted = await waitForCanvasChange(page, 'boundary-canvas', full.hash);
  assert.match(await label(), new RegExp(`The decision tree \\(CART\\) refitted on ${x} and ${y} only: test accuracy 0\\.\\d+ \\(the full model: test accuracy 0\\.\\d+\\)\\. The picture is the whole model`));
  assert.match(await label(), /refitted on the two axes — predicted species/, 'the title says it too');
  assert.ok(refitted.inked > 0.3, JSON.stringify(refitted));
  // Nothing is held: the slice controls step aside.
  assert.match(await page.locator('#slice-summary').textContent(), /Slice: none/);
  assert.ok(!(await page.locator('[data-testid=slice-controls]').isVisible()));
  // A traced row is explained by the refitted model.
  await page.click('summary:has-text("Preview")');
  await page.click('#preview tr[data-row="0"]');
  await waitForText(page, 'path-text', `refitted on ${x} and ${y} only predicts`);
  await screenshot(page, 'honest-two-features');
  // Off again: the full model's picture, exactly.
  await page.uncheck('[data-testid=two-feature-model]');
  await page.waitForFunction(() => /The full model at a slice/.test(document.querySelector('[data-testid=boundary-canvas]').getAttribute('aria-label')));
  assert.equal((await canvasStats(page, 'boundary-canvas')).hash, full.hash);
  assert.deepEqual(errors, []);
  await page.close();
});

test('ten digits get ten colours, and the slice shows the important pixels first and folds the rest', async () => {
  const { page, errors } = await open(env);
  await page.selectOption('[data-testid=dataset-select]', 'digits');
  await waitForText(page, 'data-summary', '1,797 rows');
  await page.selectOption('[data-testid=model-select]', 'decision_tree');
  await train(page);
  const shot = await readBoundary(page);
  // Every class colour is on the canvas (its legend mark and its points), each its own.
  const counts = PALETTE.map((color) => {
    let n = 0;
    for (let i = 0; i < shot.data.length; i += 4) if (same(shot.data.slice(i, i + 3), color)) n++;
    return n;
  });
  counts.forEach((n, digit) => assert.ok(n >= 20, `digit ${digit}'s colour is drawn (${n} pixels)`));
  assert.equal(new Set(PALETTE.map((c) => c.join())).size, 10);
  // 62 held pixels: eight controls, then one folded line for the rest.
  const shown = page.locator('[data-testid=slice-controls] > .slice-control');
  assert.equal(await shown.count(), 8);
  const fold = page.locator('[data-testid=slice-controls] details.more-controls');
  assert.match(await fold.locator('summary').textContent(), /^54 more, held at their typical values/);
  assert.ok(!(await fold.locator('.slice-control').first().isVisible()), 'folded');
  await fold.locator('summary').click();
  assert.equal(await fold.locator('.slice-control').count(), 54);
  await screenshot(page, 'honest-digits');
  assert.deepEqual(errors, []);
  await page.close();
});
