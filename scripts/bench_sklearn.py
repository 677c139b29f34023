#!/usr/bin/env python3
"""scikit-learn's DecisionTreeClassifier(max_depth=5) on the benchmark's own
synthetic CSVs, single-threaded, same 80/20 cut. Prints JSON lines."""
import csv
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np
from sklearn.tree import DecisionTreeClassifier

out = sys.argv[1]
for rows, cols in [(10_000, 10), (100_000, 10)]:
    with open(os.path.join(out, f"synthetic_{rows}x{cols}.csv"), newline="") as f:
        data = np.array(list(csv.reader(f))[1:], dtype=np.float64)
    x, y = data[:, :-1].astype(np.float32), data[:, -1].astype(int)
    cut = rows - rows // 5
    times = []
    for _ in range(3 if rows > 50_000 else 7):
        start = time.perf_counter()
        model = DecisionTreeClassifier(max_depth=5, random_state=0).fit(x[:cut], y[:cut])
        times.append((time.perf_counter() - start) * 1e3)
    acc = float((model.predict(x[cut:]) == y[cut:]).mean())
    print(json.dumps({"runner": "scikit-learn", "shape": f"{rows}x{cols}", "fit_ms": round(sorted(times)[len(times) // 2], 2),
                      "accuracy": round(acc, 4)}))
