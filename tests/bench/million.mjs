// Writes a 1M-row × 10-column CSV (about 80 MB: eight decimal columns, a
// whole-number one, a five-level category) for the end-to-end test and the
// ingest benchmark to read the same bytes. Cached per path.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function millionRows(file = path.join(os.tmpdir(), 'mm-million-rows.csv')) {
  if (fs.existsSync(file) && fs.statSync(file).size > 50e6) return file;
  const groups = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
  const partial = `${file}.${process.pid}.part`;
  const fd = fs.openSync(partial, 'w');
  fs.writeSync(fd, 'x0,x1,x2,x3,x4,x5,x6,x7,count,group\n');
  let chunk = [];
  for (let row = 0; row < 1_000_000; row++) {
    const cells = [];
    for (let c = 0; c < 8; c++) cells.push((((Math.imul(row, 2654435761) >>> 0) + c * 40503) % 1_000_000 / 997).toFixed(4));
    cells.push(row % 1000, groups[row % 5]);
    chunk.push(cells.join(','));
    if (chunk.length === 50_000) { fs.writeSync(fd, chunk.join('\n') + '\n'); chunk = []; }
  }
  if (chunk.length) fs.writeSync(fd, chunk.join('\n') + '\n');
  fs.closeSync(fd);
  fs.renameSync(partial, file);
  return file;
}
