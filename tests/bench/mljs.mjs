// The JavaScript library people reach for in a browser, ml.js (ml-cart), fitting
// the same depth-5 decision tree on the same synthetic rows the other runners
// fit (written by the native benchmark to OUT_DIR). Prints one JSON line like
// the others. Node runs the same V8 as Chromium, one thread.
// Usage: node tests/bench/mljs.mjs OUT_DIR
import fs from 'node:fs';
import path from 'node:path';
import { DecisionTreeClassifier } from 'ml-cart';

const out = process.argv[2] ?? 'target/bench';

function read(file) {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const n = head.split(',').length - 1;
  const x = [];
  const y = [];
  for (const line of lines) {
    const cells = line.split(',').map(Number);
    x.push(cells.slice(0, n));
    y.push(cells[n]);
  }
  return { x, y };
}

for (const name of ['synthetic_10k_10']) {
  const train = read(path.join(out, `${name}_train.csv`));
  const test = read(path.join(out, `${name}_test.csv`));
  // Our tree's defaults: gini, depth 5, at least 2 rows to split.
  const tree = new DecisionTreeClassifier({ gainFunction: 'gini', maxDepth: 5, minNumSamples: 2 });
  const start = performance.now();
  tree.train(train.x, train.y);
  const ms = performance.now() - start;
  const predicted = tree.predict(test.x);
  const accuracy = predicted.filter((p, i) => p === test.y[i]).length / test.y.length;
  const data = name.replace('synthetic_', 'synthetic ').replace('_10', '×10');
  console.log(JSON.stringify({ runner: 'ml.js', model: 'decision_tree', data, fit_ms: Number(ms.toFixed(2)), score: Number(accuracy.toFixed(4)) }));
}
