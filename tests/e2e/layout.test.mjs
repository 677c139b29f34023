// Results where the eye is: every canvas inside its card whatever was trained
// before, Train on the first screen, the results brought into view with the
// focus, one step to each part of the results, and the page at a projector's,
// a laptop's and a phone's size (screenshots saved as artifacts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, train, waitForText, screenshot } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

/**
 * Canvases that cross their card's box, as the person would see them. A canvas
 * in a scrolling box (the tree) is checked by that box, which must stay inside
 * the card.
 */
function overflowing(page) {
  return page.evaluate(() => [...document.querySelectorAll('canvas')]
    .filter((c) => c.width > 0 && c.offsetParent !== null)
    .map((c) => {
      const scroller = c.closest('.tree-box');
      const shown = (scroller ?? c).getBoundingClientRect();
      const card = c.closest('.card').getBoundingClientRect();
      return {
        id: c.dataset.testid ?? c.getAttribute('aria-label'),
        left: shown.left, right: shown.right, cardLeft: card.left, cardRight: card.right,
      };
    })
    .filter((r) => r.right > r.cardRight + 0.5 || r.left < r.cardLeft - 0.5));
}

async function useModel(page, model) {
  await page.selectOption('[data-testid=model-select]', model);
  await train(page);
}

const inWindow = (page, selector) => page.evaluate((selector) => {
  const r = document.querySelector(selector).getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;
}, selector);

test('no canvas crosses its card, whichever model was trained before', async () => {
  const { page, errors } = await open(env, { width: 1280, height: 800 });
  // kNN has no importance chart, so its boundary takes the whole row; the
  // tree that follows brings the importance card back beside it.
  for (const model of ['knn', 'decision_tree', 'naive_bayes', 'mlp', 'logistic_regression', 'random_forest', 'knn', 'gradient_boosting']) {
    await useModel(page, model);
    assert.deepEqual(await overflowing(page), [], `after ${model}, every canvas is inside its card`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

for (const [width, height] of [[1280, 800], [1400, 900]]) {
  test(`at ${width} × ${height}: Train on the first screen, results in view and focused after it`, async () => {
    const { page, errors } = await open(env, { width, height });
    assert.match(await page.locator('#results-hint').textContent(), /iris is loaded: 150 rows.*press Train/);
    assert.ok(await page.locator('#results-hint').isVisible(), 'the panel says the table is loaded, not "pick a dataset"');
    assert.ok(await inWindow(page, '[data-testid=train-button]'), 'Train is visible without scrolling');
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    assert.ok(await inWindow(page, '[data-testid=train-button]'), 'Train stays visible at the bottom of the page');
    await page.evaluate(() => window.scrollTo(0, 0));

    await train(page);
    await page.waitForFunction(() => document.activeElement?.id === 'results-heading');
    await page.waitForFunction(() => {
      const r = document.getElementById('results-heading').getBoundingClientRect();
      const metrics = document.querySelector('[data-testid=metrics]').getBoundingClientRect();
      return r.top >= 0 && metrics.bottom <= window.innerHeight;
    });
    assert.equal(await page.locator('#results-hint').isVisible(), false, 'the hint gives way to the results');
    await screenshot(page, `layout-${width}x${height}-trained`);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('the results navigation reaches each part in one step and marks where the reader is', async () => {
  const { page, errors } = await open(env, { width: 1280, height: 800 });
  await train(page);
  const nav = page.locator('[data-testid=results-nav]');
  assert.deepEqual(await nav.locator('a').allTextContents(), ['Results', 'Evaluation', 'Robustness', 'Search', 'Compare', 'Ensemble', 'Distil', 'Code', 'Data preview']);
  for (const [link, target] of [['Code', '#code-card'], ['Compare', '#compare-card'], ['Robustness', '#robustness-title'], ['Evaluation', '#evaluation-title'], ['Results', '#results-heading']]) {
    await nav.locator('a', { hasText: link }).click();
    // At the top of the window, or as near as the end of the page lets it come.
    await page.waitForFunction((target) => {
      const top = document.querySelector(target).getBoundingClientRect().top;
      const atEnd = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
      return top >= 0 && (top < 120 || (atEnd && top < window.innerHeight - 100));
    }, target);
    await page.waitForFunction((link) => document.querySelector('[data-testid=results-nav] a[aria-current=true]')?.textContent === link, link);
  }
  assert.ok(await inWindow(page, '[data-testid=results-nav]'), 'the navigation stays on screen');
  assert.deepEqual(errors, []);
  await page.close();
});

for (const [width, perRow] of [[1280, 2], [1440, 3]]) {
  test(`at ${width} px the comparison shows ${perRow} boundaries per row`, async () => {
    const { page, errors } = await open(env, { width, height: 900 });
    await train(page);
    await page.click('[data-testid=compare-button]');
    await page.waitForFunction(() => document.querySelectorAll('#compare-boundaries canvas').length >= 4, null, { timeout: 120000 });
    const tops = await page.locator('#compare-boundaries canvas').evaluateAll((cs) => cs.map((c) => Math.round(c.getBoundingClientRect().top)));
    assert.equal(tops.filter((t) => t === tops[0]).length, perRow, `first row holds ${perRow}: ${tops}`);
    assert.deepEqual(await overflowing(page), []);
    await screenshot(page, `layout-${width}-compare`);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('keyboard: a visible focus ring, named checkboxes, preview rows traced with Enter', async () => {
  const { page, errors } = await open(env, { width: 1280, height: 800 });
  const names = await page.locator('[data-testid=column-table] input[type=checkbox]').evaluateAll((cs) => cs.map((c) => c.getAttribute('aria-label')));
  assert.ok(names.includes('Use sepal length (cm) as a feature'), `checkboxes name their column: ${names}`);

  // Tab from the last control of the model step reaches Train.
  await page.focus('[data-testid=cv-split]');
  await page.keyboard.press('Tab');
  const ring = await page.evaluate(() => {
    const b = document.activeElement;
    const s = getComputedStyle(b);
    return { id: b.dataset.testid, visible: b.matches(':focus-visible'), style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  assert.equal(ring.id, 'train-button');
  assert.ok(ring.visible && ring.style !== 'none' && ring.width >= 2, `Train shows a focus ring: ${JSON.stringify(ring)}`);

  await page.keyboard.press('Enter');
  await waitForText(page, 'metrics', 'Test accuracy');
  await page.locator('#preview-card summary').click();
  const row = page.locator('#preview tr[data-row="3"]');
  await row.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /predicts/.test(document.querySelector('[data-testid=path-text]').textContent));
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a 390 × 844 phone: one column, no sideways scroll, Train at hand', async () => {
  const { page, errors } = await open(env, { width: 390, height: 844 });
  assert.ok(await inWindow(page, '[data-testid=train-button]'), 'Train is visible on the first screen');
  await train(page);
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  assert.ok(scroll <= inner, `the page does not scroll sideways (${scroll} > ${inner})`);
  assert.deepEqual(await overflowing(page), []);
  await screenshot(page, 'layout-390x844-trained');
  assert.deepEqual(errors, []);
  await page.close();
});
