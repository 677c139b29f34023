// Makes docs/screenshot.png for the README: penguins, species, a depth-3 tree,
// its first row traced (the path in words under the plot, in bold on the tree).
// Run after scripts/build:  node tests/screenshot.mjs
import path from 'node:path';
import { start, open, root, train } from './e2e/helpers.mjs';

const env = await start();
try {
  const { page } = await open(env, { width: 1360, height: 1080 });
  await page.selectOption('[data-testid=dataset-select]', 'penguins');
  await page.waitForFunction(() => document.querySelector('[data-testid=data-summary]').textContent.includes('344 rows'));
  await page.selectOption('[data-testid=target-select]', 'species');
  await page.fill('[data-param=max_depth]', '3');
  await train(page);
  await page.click('summary:has-text("Preview")');
  await page.click('#preview tr[data-row="0"]');
  await page.waitForFunction(() => document.querySelector('[data-testid=path-text]').textContent.includes('Path: '));
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(root, 'docs', 'screenshot.png') });
} finally {
  await env.browser.close();
  env.server.close();
}
