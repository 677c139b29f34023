// Offline and fast to open: the web app manifest, the time to the first
// paint and to "ready to train", and a page that trains after going offline
// (the service worker serves it from its cache).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, train, waitForText, text } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); if (env?.server.listening) env.server.close(); });

/** The page's first contentful paint and its `mm-ready` mark, in ms from navigation. */
async function opening(page) {
  await page.waitForFunction(() => performance.getEntriesByName('mm-ready').length > 0);
  return page.evaluate(() => ({
    paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    ready: performance.getEntriesByName('mm-ready')[0].startTime,
  }));
}

/** Waits until the service worker has cached the build and controls the page. */
async function controlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

test('the manifest is served, parses and names an installable app with its icons', async () => {
  const { page, errors } = await open(env);
  assert.equal(await page.getAttribute('link[rel=manifest]', 'href'), 'manifest.webmanifest');
  const manifest = await page.evaluate(async () => {
    const response = await fetch('manifest.webmanifest');
    return { type: response.headers.get('content-type'), body: JSON.parse(await response.text()) };
  });
  assert.equal(manifest.type, 'application/manifest+json');
  assert.equal(manifest.body.short_name, 'Micro Models');
  assert.equal(manifest.body.display, 'standalone');
  assert.equal(manifest.body.start_url, './');
  assert.equal(manifest.body.theme_color, '#0072b2');
  assert.ok(manifest.body.icons.some((i) => i.sizes === '512x512' && i.type === 'image/png'), 'a 512 px icon to install with');
  for (const icon of manifest.body.icons) {
    const served = await page.evaluate(async (src) => {
      const response = await fetch(src);
      return { ok: response.ok, type: response.headers.get('content-type'), size: (await response.arrayBuffer()).byteLength };
    }, icon.src);
    assert.ok(served.ok && served.size > 0, `${icon.src} is served`);
    assert.equal(served.type, icon.type, `${icon.src} is served as ${icon.type}`);
  }
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the first paint and "ready to train" are measured, on a first and a second visit', async () => {
  const { page, errors } = await open(env);
  const first = await opening(page);
  assert.ok(first.paint > 0 && first.paint <= first.ready, `painted before ready: ${JSON.stringify(first)}`);
  await controlled(page);
  await page.reload();
  await waitForText(page, 'data-summary', '150 rows');
  const second = await opening(page);
  console.log(`opening on loopback: first visit paint ${first.paint.toFixed(0)} ms, ready to train ${first.ready.toFixed(0)} ms; `
    + `second visit (service worker) paint ${second.paint.toFixed(0)} ms, ready to train ${second.ready.toFixed(0)} ms`);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('after the first visit the page reloads, loads a bundled dataset and trains with the network gone', async () => {
  const { page, errors } = await open(env);
  await controlled(page);
  const cached = await page.evaluate(async () => {
    const names = (await caches.keys()).filter((n) => n.startsWith('micro-models-'));
    const cache = await caches.open(names[0]);
    return { names, files: (await cache.keys()).map((r) => new URL(r.url).pathname) };
  });
  assert.equal(cached.names.length, 1, 'one cache, of this build');
  for (const file of ['/', '/index.html', '/worker.js', '/worker_bg.wasm', '/worker_loader.js', '/manifest.webmanifest']) {
    assert.ok(cached.files.includes(file), `${file} is cached: ${cached.files}`);
  }
  assert.ok(cached.files.some((f) => /^\/app-[0-9a-f]+_bg\.wasm$/.test(f)), 'the page\'s wasm is cached');

  // Offline twice over: the browser's network is off and the server is gone.
  await page.context().setOffline(true);
  env.server.closeAllConnections();
  await new Promise((resolve) => env.server.close(resolve));

  await page.reload();
  await waitForText(page, 'data-summary', '150 rows');
  await page.selectOption('[data-testid=dataset-select]', 'penguins');
  await waitForText(page, 'data-summary', '344 rows');
  await train(page);
  assert.match(await text(page, 'metrics'), /^Test accuracy 0\.\d+/);
  assert.deepEqual(errors, []);
  await page.context().close();
});
