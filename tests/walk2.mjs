import { start, open, train } from './e2e/helpers.mjs';
const env = await start();
const { page, errors } = await open(env, { width: 1280, height: 800 });
await train(page);
await page.click('[data-testid=compare-button]');
await page.waitForFunction(() => document.querySelectorAll('#compare-boundaries canvas').length >= 4, null, { timeout: 120000 });
await page.locator('#compare-card').screenshot({ path: '/tmp/cmp.png' });
console.log(errors);
await env.browser.close(); env.server.close();
