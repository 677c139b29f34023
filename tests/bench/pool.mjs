// The pool of workers on the built page (dist/): wall time of a Train with
// 5-fold cross-validation (the random forest, to both answers), a 20-trial
// random search of the decision tree (5-fold CV each) and a comparison of
// four models, with `?workers=1` and with one worker per core, on a
// synthetic CSV of 30,000 rows × 10 numbers and 3 classes dropped on the
// page. Each run opens a fresh page, so every pool starts its helpers and
// gives them the table within the time measured. Writes the CSV for
// scripts/bench_pool_sklearn.py, which times scikit-learn on the same rows.
// Prints JSON lines; never fails on speed.
// Usage: node tests/bench/pool.mjs dist OUT_DIR
import os from 'node:os';
import path from 'node:path';
import { servedPage, writeSyntheticCsv } from './synthetic.mjs';

const [dist, out] = process.argv.slice(2);
export const ROWS = 30000;
const csv = path.join(out, 'pool.csv');
writeSyntheticCsv(csv, ROWS, 7);
const cores = os.cpus().length;
const { server, url, browser } = await servedPage(dist);

/** A fresh page with `?workers=N`, the CSV dropped on it and loaded. */
async function loaded(workers) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`${url}?workers=${workers}`);
  await page.waitForFunction(() => document.querySelector('[data-testid=data-summary]')?.textContent.includes('150 rows'), null, { timeout: 60000 });
  await page.setInputFiles('[data-testid=file-input]', csv);
  await page.waitForFunction(() => document.querySelector('[data-testid=data-summary]')?.textContent.includes('30,000 rows')
    && document.getElementById('progress-text').textContent === 'Loaded. Press Train.', null, { timeout: 60000 });
  return page;
}

/** Milliseconds from `start()` until `done` holds in the page. */
async function timed(page, start, done) {
  const t0 = Date.now();
  await start();
  await page.waitForFunction(done, null, { timeout: 600000, polling: 20 });
  return Date.now() - t0;
}

const runs = {
  async cv(page) {
    await page.selectOption('[data-testid=model-select]', 'random_forest');
    await page.selectOption('[data-testid=cv-folds]', '5');
    const ms = await timed(page, () => page.click('[data-testid=train-button]'),
      () => document.getElementById('progress-text').textContent === 'Trained and cross-validated.');
    return { ms, said: await page.locator('[data-testid=cv-summary]').textContent() };
  },
  async search(page) {
    await page.selectOption('[data-testid=model-select]', 'decision_tree');
    await page.selectOption('[data-testid=cv-folds]', '5');
    await page.selectOption('[data-testid=search-method]', 'random');
    await page.fill('[data-testid=search-budget]', '20');
    const ms = await timed(page, () => page.click('[data-testid=search-start]'),
      () => document.getElementById('search-status').textContent.startsWith('20 trials.'));
    return { ms, said: await page.locator('#search-status').textContent() };
  },
  async compare(page) {
    const keep = ['decision_tree', 'random_forest', 'logistic_regression', 'knn'];
    for (const box of await page.locator('#compare-models input').all()) {
      await box.setChecked(keep.includes(await box.inputValue()));
    }
    const ms = await timed(page, () => page.click('[data-testid=compare-button]'),
      () => document.getElementById('progress-text').textContent === 'Compared.');
    const rows = await page.locator('[data-testid=compare-table] tr').evaluateAll((trs) => trs.map(
      // The model's name is the header's own text; its badges ("best", "tied within noise") are elements.
      (tr) => {
        const name = [...tr.querySelector('th').childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim();
        return `${name} ${tr.querySelector('td').textContent}`;
      }));
    return { ms, said: rows.join('; ') };
  },
};

try {
  for (const work of Object.keys(runs)) {
    for (const workers of [1, cores]) {
      const page = await loaded(workers);
      const { ms, said } = await runs[work](page);
      const helpers = page.workers().length - 1;
      console.log(JSON.stringify({ kind: 'pool', work, runner: 'chromium', workers, helpers, ms, said, cores, rows: ROWS }));
      await page.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
