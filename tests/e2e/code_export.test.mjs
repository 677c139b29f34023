// Export as code (issue 12, section 3): the trained tree as Rust, C and
// JavaScript; the JavaScript module, run in the page on a traced row's raw
// values, predicts what the page predicts; int8 says what it costs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, text, waitForText, train, screenshot, canvasStats, waitForCanvasChange } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.browser.close(); env?.server.close(); });

/** Exports the trained model in `language` and waits for its code. */
async function exportCode(page, language, precision = 'f32') {
  await page.evaluate(() => { document.querySelector('[data-testid=code-text]').textContent = ''; });
  await page.selectOption('[data-testid=quantize-select]', precision);
  await page.selectOption('[data-testid=code-language]', language);
  await page.click('[data-testid=export-code]');
  await page.waitForFunction(() => document.querySelector('[data-testid=code-text]').textContent.length > 0);
  return text(page, 'code-text');
}

test('a tree exported as code in three languages predicts as the page, and int8 says what it costs', async () => {
  const { page, errors, requests } = await open(env);
  await page.selectOption('[data-testid=dataset-select]', 'penguins');
  await waitForText(page, 'data-summary', '344 rows');
  await page.selectOption('[data-testid=model-select]', 'decision_tree');
  await train(page);
  assert.ok(await page.locator('[data-testid=export-code]').isEnabled());

  const signatures = {
    rust: /pub fn predict\(x: &\[f32; INPUTS\], proba: &mut \[f32; CLASSES\]\) -> usize/,
    c: /int mm_predict\(const float x\[MM_INPUTS\], float proba\[MM_CLASSES\]\)/,
    js: /export function predict\(x\)/,
  };
  const sources = {};
  for (const language of ['rust', 'c', 'js']) {
    const code = await exportCode(page, language);
    assert.match(code, signatures[language], `${language} holds the function`);
    if (language === 'rust') assert.match(code, /#!\[no_std\]/);
    if (language === 'c') assert.ok(!code.includes('malloc') && code.includes('#define MM_INPUTS'), 'C: no malloc, a header');
    if (language === 'js') assert.ok(!/^import /m.test(code), 'the module imports nothing');
    // The categories' levels are listed for the person who calls it.
    assert.match(code, /island: category as its index \(0 = Torgersen, 1 = Biscoe, 2 = Dream\)/);
    const bytes = Number((await text(page, 'code-bytes')).match(/^([\d,]+) bytes/)[1].replaceAll(',', ''));
    const length = await page.evaluate(() => new TextEncoder().encode(document.querySelector('[data-testid=code-text]').textContent).length);
    assert.equal(bytes, length, `${language}: code-bytes is the text's size`);
    assert.match(await text(page, 'code-footprint'), /^Flash about [\d,]+ bytes \(estimated for a 32-bit microcontroller: [\d,]+ bytes of constants in f32 and the code\), RAM [\d,]+ bytes \(the working array\)\.$/);
    sources[language] = code;
  }
  await screenshot(page, 'code-export');

  // Trace the first row, then run the module on its raw values in the page.
  await page.click('summary:has-text("Preview")');
  await page.click('#preview tr[data-row="0"]');
  await waitForText(page, 'path-text', 'Path: ');
  const predicted = (await text(page, 'path-text')).match(/predicts (\w+)/)[1];
  // The row's raw values as the module takes them, read from the preview and the module's own comment.
  const row = await page.evaluate((code) => {
    const table = document.querySelector('#preview');
    const names = [...table.querySelectorAll('tr')[0].children].map((c) => c.textContent.trim());
    const cells = [...table.querySelector('tr[data-row="0"]').children].map((c) => c.textContent.trim());
    const inputs = [...code.matchAll(/^\/\/\s+x\[(\d+)\] (\S+?)(: category as its index \((.*)\))?$/gm)];
    const x = inputs.map(([, , name, , levels]) => {
      const raw = cells[names.indexOf(name)];
      if (!levels) return raw === '' || raw === 'NA' ? NaN : Number(raw);
      const found = levels.split(', ').find((l) => l.split(' = ')[1] === raw);
      return found ? Number(found.split(' = ')[0]) : NaN;
    });
    const classes = code.match(/^\/\/ Classes: (.*)\.$/m)[1].split(', ').map((c) => c.split(' = ')[1]);
    return { x, classes };
  }, sources.js);
  // The page's Content-Security-Policy allows no script it did not ship, so
  // the module runs in a blank page of the same browser, as a person's own page would run it.
  const blank = await env.browser.newPage();
  const out = await blank.evaluate(async ({ code, x }) => {
    const module = await import(`data:text/javascript;charset=utf-8,${encodeURIComponent(code)}`);
    return module.predict(x);
  }, { code: sources.js, x: row.x });
  await blank.close();
  const ours = { x: row.x, label: row.classes[out.label], sum: out.proba.reduce((a, b) => a + b, 0), inputs: row.x.length };
  assert.equal(ours.inputs, 7, 'one input per feature column');
  assert.ok(ours.x.every((v) => !Number.isNaN(v)), `the row's values: ${ours.x}`);
  assert.equal(ours.label, predicted, 'the exported module predicts what the page predicts for the traced row');
  assert.ok(Math.abs(ours.sum - 1) < 1e-6);

  // int8: the score and bytes before and after.
  await exportCode(page, 'c', 'int8');
  await waitForText(page, 'quantize-summary', 'int8: ');
  const summary = await text(page, 'quantize-summary');
  const [, before, after, , bytesBefore, bytesAfter] =
    summary.match(/^int8: ([\d.]+) → ([\d.]+) (accuracy), ([\d,]+) → ([\d,]+) bytes of constants\./);
  assert.ok(Number(bytesAfter.replaceAll(',', '')) < Number(bytesBefore.replaceAll(',', '')), summary);
  if (Number(before) - Number(after) > 0.01) assert.match(summary, /It costs [\d.]+ points of accuracy/);
  assert.match(await text(page, 'code-text'), /static const signed char LEAF_VALUES_\d+\[/);
  assert.match(await text(page, 'code-footprint'), /constants in int8/);
  await screenshot(page, 'code-export-int8');
  assert.deepEqual(errors, []);
  assert.deepEqual(requests, [], 'no request after load');
  await page.close();
});

test('the network exports as code with its flash and RAM, and its int8 export joins the Pareto chart', async () => {
  const { page, errors, requests } = await open(env);
  await page.selectOption('[data-testid=dataset-select]', 'iris');
  await waitForText(page, 'data-summary', '150 rows');
  await page.selectOption('[data-testid=model-select]', 'mlp');
  await train(page);
  const code = await exportCode(page, 'c');
  // Three classes: the network's f32 softmax carries libm's expf.
  assert.match(code, /static float mm_expf\(float x\)/);
  assert.match(code, /int mm_predict\(const float x\[MM_INPUTS\], float proba\[MM_CLASSES\]\)/);
  const footprint = await text(page, 'code-footprint');
  const [, flash, constants, ram] = footprint.match(
    /^Flash about ([\d,]+) bytes \(estimated for a 32-bit microcontroller: ([\d,]+) bytes of constants in f32 and the code\), RAM ([\d,]+) bytes \(the working array\)\.$/);
  const n = (s) => Number(s.replaceAll(',', ''));
  assert.ok(n(flash) > n(constants), `flash holds the constants and the code: ${footprint}`);
  assert.ok(n(ram) > 0 && n(ram) % 8 === 0, `RAM is the f64 working array: ${footprint}`);

  // Compare two models, so the Pareto chart is on show, then export at int8.
  for (const box of await page.locator('#compare-models input').all()) {
    await box.setChecked(['decision_tree', 'mlp'].includes(await box.inputValue()));
  }
  await page.click('[data-testid=compare-button]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=compare-table] tr[data-model]').length === 2,
    null, { timeout: 90000 });
  await page.selectOption('#pareto-measure', 'bytes');
  const label = () => page.getAttribute('[data-testid=pareto-canvas]', 'aria-label');
  assert.ok(!(await label()).includes('exported as code'), await label());
  const before = await canvasStats(page, 'pareto-canvas');
  await exportCode(page, 'c', 'int8');
  await waitForText(page, 'quantize-summary', 'int8: ');
  const after = await waitForCanvasChange(page, 'pareto-canvas', before.hash);
  assert.ok(after.inked > 0);
  assert.match(await label(), /The trained model exported as code \(hollow points\): code f32, code int8\.$/);
  await page.locator('[data-testid=pareto-canvas]').scrollIntoViewIfNeeded();
  await screenshot(page, 'code-export-pareto-int8');
  assert.deepEqual(errors, []);
  assert.deepEqual(requests, [], 'no request after load');
  await page.close();
});
