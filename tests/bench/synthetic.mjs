// What the page benchmarks (tests/bench/pool.mjs, tests/bench/staged.mjs)
// share: the built page served and headless Chromium, and the synthetic CSV
// they drop on it, N rows × 10 numbers and 3 classes.
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { serve } from '../server.mjs';

const FEATURES = 10;

/** Seeded normal draws (an LCG through Box–Muller): the same file on every run. */
function normals(seed) {
  let s = seed >>> 0;
  const uniform = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/**
 * Writes `rows` rows to `file`: three classes around centres drawn from
 * `seed`, the first feature bent by the second so that a line does not
 * separate them. Written in slices, so a million rows never sit in memory.
 */
export function writeSyntheticCsv(file, rows, seed) {
  const draw = normals(seed);
  const centres = [0, 1, 2].map(() => Array.from({ length: FEATURES }, () => draw()));
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, `${[...Array.from({ length: FEATURES }, (_, j) => `x${j}`), 'label'].join(',')}\n`);
  let chunk = [];
  for (let i = 0; i < rows; i++) {
    const c = i % 3;
    const x = centres[c].map((m) => m + 1.6 * draw());
    x[0] += 0.5 * x[1] * x[1];
    chunk.push([...x.map((v) => v.toFixed(4)), `class_${'abc'[c]}`].join(','));
    if (chunk.length === 50000) { fs.writeSync(fd, `${chunk.join('\n')}\n`); chunk = []; }
  }
  if (chunk.length) fs.writeSync(fd, `${chunk.join('\n')}\n`);
  fs.closeSync(fd);
}

/** Serves `dist` on loopback and launches headless Chromium: `{ server, url, browser }`. */
export async function servedPage(dist) {
  const server = await serve(dist);
  const url = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return { server, url, browser };
}
