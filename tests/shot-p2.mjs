import { start, open, train } from './e2e/helpers.mjs';
import fs from 'node:fs';
const env = await start();
for (const width of [1400, 390]) {
  const { page } = await open(env, { width, height: 900 });
  await train(page);
  await page.click('[data-testid=embed-button]');
  await page.click('[data-testid=copy-link]');
  await page.waitForTimeout(300);
  await page.screenshot({ path: `artifacts/p2-top-${width}.png`, clip: { x: 0, y: 0, width, height: 600 } });
  console.log(width, await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth, document.getElementById('share-status').textContent]));
  await page.close();
}
await env.browser.close(); env.server.close();
