// On a phone, by touch: a finger drags a point of the boundary plot to ask
// "what if" without scrolling the page, and on the one-feature plot a finger
// drags the traced row along the feature while a vertical swipe still scrolls
// the page past the plot. The touches go through Chromium's own input
// pipeline (CDP `Input.dispatchTouchEvent`), so the canvases' `touch-action`
// decides, as on a real phone, what is a drag and what is a scroll.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start, open, train, waitForText, text, dropFile, canvasStats, waitForCanvasChange, artifacts } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

const PHONE = { width: 390, height: 844, deviceScaleFactor: 2, touch: true };

/** One finger on the screen, at viewport coordinates in CSS pixels. */
async function finger(page) {
  const cdp = await page.context().newCDPSession(page);
  let at = null;
  const send = (type, points) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points });
  return {
    down: async (x, y) => { at = { x, y }; await send('touchStart', [at]); },
    /** Slides to (x, y) in `steps` moves, as a finger does. */
    move: async (x, y, steps = 6) => {
      const from = at;
      for (let i = 1; i <= steps; i++) {
        at = { x: from.x + ((x - from.x) * i) / steps, y: from.y + ((y - from.y) * i) / steps };
        await send('touchMove', [at]);
        await page.waitForTimeout(16);
      }
    },
    up: async () => { await send('touchEnd', []); at = null; },
  };
}

/**
 * Scrolls `id`'s canvas to the middle of the screen at once (the page scrolls
 * smoothly otherwise, and a finger would land on a moving plot) and returns
 * its box in the viewport.
 */
async function centered(page, id) {
  await page.evaluate((id) => document.querySelector(`[data-testid=${id}]`).scrollIntoView({ block: 'center', behavior: 'instant' }), id);
  return page.locator(`[data-testid=${id}]`).boundingBox();
}

/** What the phone's screen shows now (a whole page at 390 px is too long to look at). */
const onScreen = (page, name) => page.screenshot({ path: path.join(artifacts, `${name}.png`) });
const scrolled = (page) => page.evaluate(() => ({ x: window.scrollX, y: window.scrollY }));
const clearPath = (page) => page.evaluate(() => { document.querySelector('[data-testid=path-text]').textContent = ''; });

test('on a phone, a finger drags a point of the boundary plot and the page stays put', async () => {
  const { page, errors } = await open(env, PHONE);
  await page.selectOption('[data-testid=model-select]', 'decision_tree');
  await train(page);
  const box = await centered(page, 'boundary-canvas');
  assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, `the plot fits the screen: ${JSON.stringify(box)}`);
  const touch = await finger(page);
  // Touch the plot until a finger lands on a flower (the page then says "Row
  // …"), inside the axes: on a phone the left axis takes a fifth of the width.
  let dragged = null;
  for (let fy = 0.3; fy <= 0.85 && !dragged; fy += 0.03) {
    for (let fx = 0.3; fx <= 0.9 && !dragged; fx += 0.03) {
      const [x, y] = [box.x + box.width * fx, box.y + box.height * fy];
      await clearPath(page);
      await touch.down(x, y);
      await page.waitForFunction(() => document.querySelector('[data-testid=path-text]').textContent !== '');
      if ((await text(page, 'path-text')).startsWith('Row ')) {
        const before = await scrolled(page);
        await touch.move(x + 40, y + 60);
        await waitForText(page, 'path-text', 'What if row ');
        dragged = { before, after: await scrolled(page) };
      }
      await touch.up();
    }
  }
  assert.ok(dragged, 'a finger found a point and dragged it');
  assert.deepEqual(dragged.after, dragged.before, 'dragging on the plot did not scroll the page');
  assert.match(await text(page, 'path-text'), /^What if row \d+ .* would predict /);
  await onScreen(page, 'touch-390x844-what-if');
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a phone, a finger drags the traced row along the one feature, and a vertical swipe scrolls on', async () => {
  // Hours studied and whether the exam was passed: one feature, so the plot
  // is the prediction along hours with the rows as a rug.
  const rows = Array.from({ length: 120 }, (_, i) => {
    const hours = (i * 7) % 40 + 0.5 * (i % 3);
    return `${hours},${hours > 18 || i % 13 === 0 ? 'passed' : 'failed'}`;
  });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'touch-')), 'exam.csv');
  fs.writeFileSync(file, ['hours,result', ...rows].join('\n') + '\n');
  const { page, errors } = await open(env, PHONE);
  await dropFile(page, file);
  await waitForText(page, 'data-summary', '120 rows');
  await page.selectOption('[data-testid=target-select]', 'result');
  await page.selectOption('[data-testid=model-select]', 'decision_tree');
  await train(page);
  const box = await centered(page, 'one-feature-canvas');
  assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, `the plot fits the screen: ${JSON.stringify(box)}`);
  const touch = await finger(page);
  // A tap near the left traces a row with few hours (a fifth of a phone's
  // plot is the left axis and its label).
  await clearPath(page);
  const unmarked = (await canvasStats(page, 'one-feature-canvas')).hash;
  await touch.down(box.x + box.width * 0.35, box.y + box.height * 0.45);
  await touch.up();
  await page.waitForFunction(() => /^Row \d+/.test(document.querySelector('[data-testid=path-text]').textContent));
  await waitForCanvasChange(page, 'one-feature-canvas', unmarked);
  const traced = Number((await text(page, 'path-text')).match(/^Row (\d+)/)[1]);
  // A person lifts the finger and puts it back: not so soon that the two touches make a double tap.
  await page.waitForTimeout(500);
  // The traced row's line, taken where it was tapped and slid sideways, is a
  // drag: the page asks what if.
  const before = await scrolled(page);
  await touch.down(box.x + box.width * 0.35, box.y + box.height * 0.45);
  await touch.move(box.x + box.width * 0.85, box.y + box.height * 0.45, 10);
  await page.waitForFunction(() => /^What if row \d+ .* had hours = /.test(document.querySelector('[data-testid=path-text]').textContent));
  await touch.up();
  const whatIf = await text(page, 'path-text');
  assert.equal(Number(whatIf.match(/^What if row (\d+)/)[1]), traced, `the row dragged is the row traced: ${whatIf}`);
  assert.ok(Number(whatIf.match(/had hours = ([\d.]+)/)[1]) > 25, `dragged to many hours: ${whatIf}`);
  assert.deepEqual(await scrolled(page), before, 'a sideways drag did not scroll the page');
  await onScreen(page, 'touch-390x844-one-feature');
  // Up the plot is a scroll (touch-action: pan-y): a phone's page must not trap the finger.
  await touch.down(box.x + box.width * 0.5, box.y + box.height * 0.8);
  await touch.move(box.x + box.width * 0.5, box.y + box.height * 0.1, 10);
  await touch.up();
  await page.waitForFunction((y) => window.scrollY > y + 50, before.y, { timeout: 5000 });
  assert.deepEqual(errors, []);
  await page.close();
});
