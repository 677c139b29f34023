// The wasm is built with SIMD (.cargo/config.toml). A browser without it must
// see which browser versions the page needs, never a blank page: index.html
// checks before any wasm loads, and the app stops at its mark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, screenshot } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); if (env?.server.listening) env.server.close(); });

test('a browser without wasm SIMD is told which versions run the page, with no error', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  try {
    // As a browser without SIMD answers: the check's tiny module does not validate.
    await context.addInitScript(() => { WebAssembly.validate = () => false; });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
    await page.goto(env.url);
    const message = page.locator('[data-testid=needs-simd]');
    await message.waitFor({ state: 'visible' });
    const words = await message.textContent();
    for (const needed of ['Chrome or Edge 91', 'Firefox 89', 'Safari 16.4']) assert.ok(words.includes(needed), words);
    assert.equal(await page.getAttribute('[data-testid=needs-simd]', 'role'), 'alert');
    // The app module loaded (this Chromium runs SIMD) but started nothing: no
    // worker, no controls, nothing else on the page to click.
    await page.waitForLoadState('load');
    await page.waitForTimeout(1500);
    assert.equal(await page.locator('[data-testid=drop-zone]').isVisible(), false);
    assert.equal(await page.evaluate(() => performance.getEntriesByName('mm-ready').length), 0);
    assert.equal(await page.locator('[data-testid=data-summary]').textContent(), '');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('on a phone, the message fits the screen and reads without scrolling sideways', async () => {
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true });
  try {
    await context.addInitScript(() => { WebAssembly.validate = () => false; });
    const page = await context.newPage();
    await page.goto(env.url);
    const message = page.locator('[data-testid=needs-simd]');
    await message.waitFor({ state: 'visible' });
    const box = await message.boundingBox();
    assert.ok(box.x >= 8 && box.x + box.width <= 390 - 8, `inside the screen with a margin: ${JSON.stringify(box)}`);
    assert.ok(box.y < 100, `at the top of the screen, not below a gap: ${JSON.stringify(box)}`);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scroll');
    const size = await page.locator('.needs-simd p').first().evaluate((p) => parseFloat(getComputedStyle(p).fontSize));
    assert.ok(size >= 16, `text at least 16 px on a phone: ${size}`);
    await screenshot(page, 'needs-simd-390x844');
  } finally {
    await context.close();
  }
});

test('a browser with wasm SIMD never sees the message', async () => {
  const { page, errors } = await open(env);
  assert.equal(await page.locator('[data-testid=needs-simd]').isVisible(), false);
  assert.equal(await page.evaluate(() => document.documentElement.hasAttribute('data-no-simd')), false);
  assert.deepEqual(errors, []);
  await page.close();
});
