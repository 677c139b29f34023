// Embedding in teaching material (issue 13 §2): the embed layout, the
// snippet, and a lesson page on another origin driving two sandboxed frames
// through postMessage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { start, open, text, waitForText, train, canvasStats, screenshot, root, axeCheck } from './helpers.mjs';
import { serve } from '../server.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

const visible = (page, selector) => page.locator(selector).first().isVisible();

test('?embed shows only the views the link names, with a link to the full page', async () => {
  // A context of its own: axe-core asks for one.
  const context = await env.browser.newContext({ viewport: { width: 600, height: 450 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${env.url}?embed#v1&data=iris&target=species&task=classification&model=decision_tree&p.max_depth=2&seed=1&test=20&embed=boundary,tree`);
  await page.waitForFunction(() => document.querySelector('[data-testid=metrics]').textContent.includes('Test accuracy'), null, { timeout: 60000 });
  await page.waitForFunction(() => location.hash.endsWith('&embed=boundary,tree'));
  const boundary = await canvasStats(page, 'boundary-canvas');
  assert.ok(boundary.inked > 0.3, `the boundary is drawn: ${JSON.stringify(boundary)}`);
  assert.ok(boundary.width <= 600, 'sized to the frame');
  assert.equal(await visible(page, '[data-testid=boundary-canvas]'), true);
  assert.equal(await visible(page, '[data-testid=tree-canvas]'), true);
  for (const hidden of ['aside.steps', 'header.top', '[data-testid=results-nav]', '[data-testid=metrics]', '#importance-card', '#compare-card', 'footer']) {
    assert.equal(await visible(page, hidden), false, `${hidden} is not in the embed`);
  }
  const full = page.locator('#embed-full-link');
  assert.equal(await full.isVisible(), true);
  assert.equal(await full.textContent(), 'Open in full page ↗');
  assert.equal(await full.getAttribute('target'), '_blank');
  const href = await full.getAttribute('href');
  assert.ok(!href.includes('embed'), `the full page has no embed: ${href}`);
  assert.match(href, /#v1&data=iris&target=species&task=classification&model=decision_tree&.*&p\.max_depth=2&.*&seed=1&test=20&x=/);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scroll');
  await screenshot(page, 'embed-600x450');
  assert.deepEqual(await axeCheck(page), [], 'axe-core: no serious or critical violation in the embed');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the Embed button gives a sandboxed iframe of the page as it is', async () => {
  const { page, errors } = await open(env);
  await page.fill('#params [data-param=max_depth]', '2');
  await train(page);
  await page.click('[data-testid=embed-button]');
  await page.check('#embed-views input[value=tree]');
  const snippet = await page.inputValue('[data-testid=embed-snippet]');
  assert.match(snippet, new RegExp(`^<iframe src="${env.url}\\?embed#v1&amp;data=iris&amp;target=species&amp;`), snippet);
  assert.match(snippet, /&amp;p\.max_depth=2&amp;/);
  assert.match(snippet, /&amp;embed=metrics,boundary,tree" width="600" height="450" sandbox="allow-scripts allow-same-origin" title="Micro Models: Decision tree[^"]* on iris"/);
  await screenshot(page, 'embed-snippet');
  // The snippet, put in a page as a teacher would.
  const frame = await env.browser.newPage({ viewport: { width: 700, height: 560 } });
  await frame.setContent(`<!DOCTYPE html><body>${snippet}</body>`);
  const inner = frame.frameLocator('iframe');
  await inner.locator('[data-testid=metrics]').filter({ hasText: 'Test accuracy' }).waitFor({ timeout: 60000 });
  assert.equal(await inner.locator('[data-testid=metrics]').textContent(), await text(page, 'metrics'), 'the same model');
  assert.equal(await inner.locator('aside.steps').isVisible(), false);
  assert.deepEqual(errors, []);
  await frame.close();
  await page.close();
});

test('a lesson page on another origin drives two sandboxed frames through postMessage', async () => {
  // The lesson is served by a second server, at localhost: another origin than the page's 127.0.0.1.
  const host = await serve(path.join(root, 'dist'));
  const lesson = `http://localhost:${host.address().port}/embed-example.html?page=${encodeURIComponent(env.url)}`;
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  try {
    await page.goto(lesson);
    assert.notEqual(new URL(lesson).origin, new URL(env.url).origin);
    // Each frame says ready, the lesson configures and trains it, and hears its scores.
    for (const which of ['shallow', 'deep']) {
      await page.waitForFunction((w) => document.getElementById(`${w}-score`).textContent.startsWith('depth'), which, { timeout: 90000 });
    }
    const score = (which) => page.evaluate((w) => ({ ...document.getElementById(`${w}-score`).dataset,
      text: document.getElementById(`${w}-score`).textContent }), which);
    const shallow = await score('shallow');
    const deep = await score('deep');
    assert.match(shallow.text, /^depth 2: training accuracy 0\.\d{3}, test accuracy 0\.\d{3} \(90 test rows\)$/, shallow.text);
    assert.match(deep.text, /^depth 12: /);
    assert.ok(Number(deep.train) > Number(shallow.train), `the deep tree fits its training rows better: ${deep.train} > ${shallow.train}`);
    assert.equal(Number(deep.train), 1, 'a depth-12 tree learns every training row of the noisy moons');
    const frame = page.frameLocator('#deep');
    assert.equal(await frame.locator('[data-testid=boundary-canvas]').isVisible(), true);
    assert.equal(await frame.locator('aside.steps').isVisible(), false, 'no steps panel in the embed');
    await screenshot(page, 'embed-example-1280x800');

    // The depth changed and both trained again.
    await page.fill('#deep-depth', '3');
    await page.click('#train-both');
    await page.waitForFunction(() => document.getElementById('deep-score').textContent.startsWith('depth 3:'), null, { timeout: 60000 });

    // Another dataset, set by message.
    await page.selectOption('#dataset', 'bundled:penguins');
    await page.waitForFunction(() => {
      const said = document.getElementById('shallow-score').textContent;
      return said.startsWith('depth') && !said.includes('(90 test rows)');
    }, null, { timeout: 60000 });
    assert.equal(await page.frameLocator('#shallow').locator('[data-testid=data-summary]').textContent().then((t) => t.includes('344 rows')), true);

    // A bad message gets an error back, never a dead frame.
    await page.evaluate(() => document.getElementById('shallow').contentWindow.postMessage({ type: 'configure', model: 'gpt' }, '*'));
    await page.waitForFunction(() => document.getElementById('shallow-score').textContent.includes("There is no model 'gpt'"));
    await page.evaluate(() => document.getElementById('shallow').contentWindow.postMessage({ type: 'fly' }, '*'));
    await page.waitForFunction(() => document.getElementById('shallow-score').textContent.includes('unknown variant'));
    await page.evaluate(() => document.getElementById('shallow').contentWindow.postMessage({ type: 'train' }, '*'));
    await page.waitForFunction(() => document.getElementById('shallow-score').textContent.startsWith('depth 2:'));
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    host.close();
  }
});
