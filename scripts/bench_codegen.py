#!/usr/bin/env python3
"""The anchor for "Export as code": our generated C for the decision tree,
random forest and logistic regression on breast_cancer beside m2cgen's C of
the scikit-learn counterpart (ESTIMATORS in sklearn_reference.py, the same
settings, fitted on the very rows our benchmark wrote), compiled with the same
`cc -O2` in the same run: object size (text + data + rodata, as `size`
reports) and µs per row over the test rows. m2cgen's code takes the prepared inputs (scaled for logistic
regression); ours takes the raw values and carries the pipeline. Prints a
table; never fails on speed. Usage: bench_codegen.py OUT_DIR (after the
`bench_codegen` example wrote OUT_DIR/codegen)."""
import csv
import pathlib
import subprocess
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from sklearn_reference import ESTIMATORS  # noqa: E402
import json  # noqa: E402

import m2cgen  # noqa: E402

out = pathlib.Path(sys.argv[1])
work = out / "codegen"
REPEAT = 2000

HARNESS = r"""
#include <stdio.h>
#include <time.h>
%(include)s
static float rows[%(n)d][%(p)d] = {%(rows)s};
int main(void) {
    struct timespec a, b;
    volatile double sink = 0;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int k = 0; k < %(repeat)d; k++) {
        for (int r = 0; r < %(n)d; r++) { %(call)s }
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double us = ((b.tv_sec - a.tv_sec) * 1e6 + (b.tv_nsec - a.tv_nsec) / 1e3) / (%(repeat)d.0 * %(n)d);
    printf("%%.4f\n", us + 0 * sink);
    return 0;
}
"""


def read(path):
    with open(path, newline="") as f:
        data = np.array(list(csv.reader(f))[1:], dtype=np.float64)
    return data[:, :-1].astype(np.float32), data[:, -1]


def size(obj):
    text = subprocess.run(["size", str(obj)], capture_output=True, text=True, check=True).stdout.splitlines()[1].split()
    return int(text[0]) + int(text[1])


def timed(dir, sources, include, rows, call):
    body = ",".join("{" + ",".join(repr(float(v)) + "f" for v in r) + "}" for r in rows)
    harness = dir / "harness.c"
    harness.write_text(HARNESS % dict(include=include, n=len(rows), p=len(rows[0]), rows=body, repeat=REPEAT, call=call))
    binary = dir / "bench"
    subprocess.run(["cc", "-std=gnu99", "-O2", "-o", str(binary), str(harness), *map(str, sources), "-lm"], check=True)
    return float(subprocess.run([str(binary)], capture_output=True, text=True, check=True).stdout)


print("\nExport as code on breast_cancer: our C beside m2cgen's C of scikit-learn's model (cc -O2, this machine)")
print(f"{'model':<22} {'ours: bytes':>12} {'µs/row':>8}   {'m2cgen: bytes':>14} {'µs/row':>8}")
for model in ["decision_tree", "random_forest", "logistic_regression"]:
    dir = work / model
    ours_obj = dir / "model.o"
    subprocess.run(["cc", "-std=c99", "-O2", "-c", "-o", str(ours_obj), str(dir / "model.c")], check=True)
    raw = [[float(v) for v in line.split()] for line in open(dir / "rows.txt") if line.strip()]
    ours_us = timed(dir, [dir / "model.c"], '#include "model.h"\nstatic float proba[MM_CLASSES];',
                    raw, "sink += mm_predict(rows[r], proba);")
    x_train, y_train = read(dir / "train.csv")
    x_test, _ = read(dir / "test.csv")
    sk = ESTIMATORS[model]("Classification", json.load(open(dir / "settings.json")), 0)
    sk.fit(x_train, y_train.astype(int))
    (dir / "m2cgen.c").write_text(m2cgen.export_to_c(sk))
    m2_obj = dir / "m2cgen.o"
    subprocess.run(["cc", "-std=gnu99", "-O2", "-c", "-o", str(m2_obj), str(dir / "m2cgen.c")], check=True)
    m2_us = timed(dir, [dir / "m2cgen.c"], "void score(double *input, double *output);\nstatic double in[64], outp[2];",
                  x_test.tolist(), f"for (int j = 0; j < {x_test.shape[1]}; j++) in[j] = rows[r][j]; score(in, outp); sink += outp[0];")
    print(f"{model:<22} {size(ours_obj):>12,} {ours_us:>8.3f}   {size(m2_obj):>14,} {m2_us:>8.3f}")
