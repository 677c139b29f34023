// An embed's charts measure their labels: the embed layout hides everything
// in <body> that is not a view it shows, and once hid the span plotters puts
// there for a moment to measure a label, so every label measured 0 px wide,
// the boundary's train/test key ran off the canvas and the y axis's name sat
// on its tick labels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

test('an embed\'s boundary plot keeps its key inside the canvas', async () => {
  const context = await env.browser.newContext({ viewport: { width: 600, height: 450 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.url}?embed#v1&data=iris&target=species&task=classification&model=decision_tree&p.max_depth=2&seed=1&test=20&embed=boundary`);
  await page.waitForFunction(() => document.querySelector('[data-testid=metrics]').textContent.includes('Test accuracy'), null, { timeout: 60000 });
  // As plotters measures a label (plotters 0.3.7, src/style/font/web.rs).
  const measured = await page.evaluate(() => {
    const span = document.createElement('span');
    span.textContent = 'train';
    span.setAttribute('style', 'display: inline-block; font-family:sans-serif; font-style:normal; font-size: 12px; position: fixed; top: 100%');
    document.body.append(span);
    const width = span.offsetWidth;
    span.remove();
    return width;
  });
  assert.ok(measured > 10, `a label is measured in the embed: ${measured} px`);
  // The plot and its key end 16 px before the canvas's right edge: the last 10 px columns are blank.
  const inked = await page.evaluate(() => {
    const canvas = document.querySelector('[data-testid=boundary-canvas]');
    const { data } = canvas.getContext('2d').getImageData(canvas.width - 10, 0, 10, canvas.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200) count++;
    return { count, width: canvas.width, height: canvas.height };
  });
  assert.equal(inked.count, 0, `nothing drawn in the canvas's right margin: ${JSON.stringify(inked)}`);
  assert.deepEqual(errors, []);
  await context.close();
});
