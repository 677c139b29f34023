// Time to the first answer on the built page (dist/), with `?workers=1` and
// with one worker per core: a synthetic CSV of N rows × 10 numbers and 3
// classes dropped on a fresh page, then Train (no cross-validation) timed to
// the metrics (the model's answer) and to the last evaluation view (every
// line of views-status ready), twice: the first Train starts the helpers and
// gives them the table within the time, the second finds them holding it.
// The fit alone is the "fit ms" of a comparison of that one model on the
// one-worker page (the primary's clock, the same rows and split). Prints
// JSON lines; never fails on speed.
// Usage: node tests/bench/staged.mjs dist OUT_DIR [model:rows ...]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { servedPage, writeSyntheticCsv } from './synthetic.mjs';

const [dist, out, ...asked] = process.argv.slice(2);
const RUNS = asked.length ? asked : [
  'decision_tree:100000', 'logistic_regression:100000', 'gradient_boosting:100000', 'random_forest:100000',
  'decision_tree:1000000', 'logistic_regression:1000000', 'gradient_boosting:1000000',
];
/** The synthetic CSV of `rows` rows, written once per row count. */
function csvOf(rows) {
  const file = path.join(out, `staged-${rows}.csv`);
  if (!fs.existsSync(file)) writeSyntheticCsv(file, rows, 11);
  return file;
}

const cores = os.cpus().length;
const { server, url, browser } = await servedPage(dist);

/** A fresh page with `?workers=N`, the CSV dropped on it and loaded. */
async function loaded(workers, csv, rows) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`${url}?workers=${workers}`);
  await page.waitForFunction(() => document.querySelector('[data-testid=data-summary]')?.textContent.includes('150 rows'), null, { timeout: 60000 });
  await page.setInputFiles('[data-testid=file-input]', csv);
  const said = `${rows.toLocaleString('en-US')} rows`;
  await page.waitForFunction((said) => document.querySelector('[data-testid=data-summary]')?.textContent.includes(said)
    && document.getElementById('progress-text').textContent === 'Loaded. Press Train.', said, { timeout: 300000 });
  return page;
}

/** Train clicked: ms to the metrics and to the last view, and each view's line as it ended. */
async function trained(page) {
  await page.evaluate(() => {
    document.querySelector('[data-testid=metrics]').textContent = '';
    window.stagedTimes = {};
    const list = document.querySelector('[data-testid=views-status]');
    const metrics = document.querySelector('[data-testid=metrics]');
    const seen = () => {
      const now = performance.now();
      if (!window.stagedTimes.metrics && /Test accuracy/.test(metrics.textContent)) window.stagedTimes.metrics = now;
      for (const li of list.querySelectorAll('li')) {
        const [name] = li.textContent.split(':');
        if (/: ready$/.test(li.textContent) && !window.stagedTimes[name]) window.stagedTimes[name] = now;
      }
    };
    window.stagedObserver?.disconnect();
    window.stagedObserver = new MutationObserver(seen);
    window.stagedObserver.observe(document.body, { childList: true, subtree: true, characterData: true });
    window.stagedStart = performance.now();
  });
  await page.click('[data-testid=train-button]');
  await page.waitForFunction(() => window.stagedTimes.metrics
    && /Learning curve: ready/.test(document.querySelector('[data-testid=views-status]').textContent)
    && !/computing…|waiting for/.test(document.querySelector('[data-testid=views-status]').textContent), null, { timeout: 1200000, polling: 20 });
  return page.evaluate(() => {
    const start = window.stagedStart;
    const times = Object.fromEntries(Object.entries(window.stagedTimes).map(([k, v]) => [k, Math.round(v - start)]));
    const { metrics, ...views } = times;
    return { metrics, last: Math.max(...Object.values(views)), views };
  });
}

/** The fit alone: a comparison of the one model, its "fit ms" cell. */
async function fitMs(page, model) {
  for (const box of await page.locator('#compare-models input').all()) {
    await box.setChecked((await box.inputValue()) === model);
  }
  await page.click('[data-testid=compare-button]');
  await page.waitForFunction(() => document.getElementById('progress-text').textContent === 'Compared.', null, { timeout: 1200000 });
  const cells = await page.locator('[data-testid=compare-table] tr').evaluateAll((rows) => rows.map(
    (r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent)));
  const row = cells.find((r) => r.length > 7);
  return row ? Number(row[7].replace(/,/g, '')) : null;
}

for (const run of RUNS) {
  const [model, rowsText] = run.split(':');
  const rows = Number(rowsText);
  const csv = csvOf(rows);
  for (const workers of [1, cores]) {
    const page = await loaded(workers, csv, rows);
    await page.selectOption('[data-testid=model-select]', model);
    const first = await trained(page);
    const again = await trained(page);
    const pieces = await page.evaluate(() => Number(document.documentElement.dataset.helperPieces ?? 0));
    const fit = workers === 1 ? await fitMs(page, model) : null;
    console.log(JSON.stringify({ kind: 'staged-page', model, rows, workers, cores, fit_ms: fit, first, again, helper_pieces: pieces }));
    await page.close();
  }
}
await browser.close();
server.close();
