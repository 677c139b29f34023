import { start, open, train } from './e2e/helpers.mjs';
const env = await start();
const { page, errors } = await open(env, { width: 1280, height: 800 });
await train(page);
await page.locator('[data-testid=results-nav] a', { hasText: 'Compare' }).click();
await page.waitForTimeout(1500);
console.log(await page.evaluate(() => [...document.querySelectorAll('[data-testid=results-nav] a')].map(a => [a.textContent, a.getAttribute('aria-current'), document.querySelector(a.getAttribute('href')).getBoundingClientRect().top])));
console.log(errors);
await env.browser.close(); env.server.close();
