import { start, open, train } from './e2e/helpers.mjs';
const env = await start();
for (const [w, h] of [[1280, 800], [390, 844]]) {
const { page, errors } = await open(env, { width: w, height: h });
await page.selectOption('[data-testid=dataset-select]', 'penguins');
await page.waitForFunction(() => document.querySelector('[data-testid=data-summary]')?.textContent.includes('344 rows'));
await page.screenshot({ path: `/tmp/w-${w}-a.png` });
await page.waitForTimeout(500); console.log('sel knn'); await page.selectOption('[data-testid=model-select]', 'knn');
await train(page);
await page.selectOption('[data-testid=model-select]', 'decision_tree');
await train(page);
await page.waitForTimeout(1200);
await page.screenshot({ path: `/tmp/w-${w}-b.png` });
const over = await page.evaluate(() => [...document.querySelectorAll('canvas')].filter(c => c.width && c.offsetParent).map(c => {
  const card = c.closest('.card'); const r = c.getBoundingClientRect(); const k = card.getBoundingClientRect();
  return { id: c.dataset.testid, cw: r.width, right: r.right, cardRight: k.right, ok: r.right <= k.right + 0.5 };
}));
console.log(w, JSON.stringify(over.filter(o => !o.ok)), over.length, await page.evaluate(() => document.activeElement.id), await page.evaluate(() => document.documentElement.scrollWidth));
console.log(errors);
}
await env.browser.close(); env.server.close();
