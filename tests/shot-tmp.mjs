import { start, open, train } from './e2e/helpers.mjs';
const env = await start();
try {
  const { page, errors } = await open(env, { width: 1400, height: 900 });
  await page.selectOption('[data-testid=dataset-select]', 'penguins');
  await page.waitForFunction(() => document.querySelector('[data-testid=data-summary]').textContent.includes('344 rows'));
  await page.selectOption('[data-testid=target-select]', 'species');
  await page.fill('[data-param=max_depth]', '0');
  await train(page);
  await page.screenshot({ path: '/tmp/shots/top.png' });
  await page.screenshot({ path: '/tmp/shots/full.png', fullPage: true });
  const lc = await page.evaluate(() => [...document.querySelectorAll('*')].map(e => e.textContent).find(t => t && t.includes('drawn right of the deepest refit') && t.length < 400));
  console.log('learning curve note:', lc);
  console.log('metrics:', await page.locator('[data-testid=metrics]').textContent().catch(() => '?'));
  console.log('errors:', errors);
} finally {
  await env.browser.close();
  env.server.close();
}
