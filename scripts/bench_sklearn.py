#!/usr/bin/env python3
"""scikit-learn's counterpart of every benchmarked model (ESTIMATORS in
sklearn_reference.py), with the same settings, on the very rows the Rust
benchmark wrote, on one thread. Prints JSON lines like the Rust side. A
clustering model ignores the y column and is scored by inertia per test row.
A row named "<id> (fit+predict)" times the fit and the prediction of the test
rows together; for kNN (whose cost is at prediction) it is scikit-learn's
KNeighborsClassifier with algorithm='auto' (a k-d tree on these inputs), as a
user would get it, rather than the brute force the conformance test compares.
A row named "<id> (<variant>)" (logistic regression's "(l1)") is the same
estimator with that row's settings (settings.jsonl names them by the row).
k-means' line also says its rounds (n_iter_), for the time per round."""
import csv
import json
import os
import pathlib
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np
from sklearn.metrics import accuracy_score, r2_score
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from sklearn_reference import ESTIMATORS  # noqa: E402

out = pathlib.Path(sys.argv[1])


def read(path):
    with open(path, newline="") as f:
        data = np.array(list(csv.reader(f))[1:], dtype=np.float64)
    return data[:, :-1].astype(np.float32), data[:, -1]


settings = {}
for line in open(out / "settings.jsonl"):
    s = json.loads(line)
    settings[(s["model"], s["task"])] = s["params"]

FIT_PREDICT = " (fit+predict)"


def base_id(label):
    """The registry id of a row's model: "logistic_regression (l1)" -> "logistic_regression"."""
    return label.split(" (")[0]


def as_used(model_id, task, p):
    """The estimator a fit+predict row times: kNN as scikit-learn picks its index."""
    if model_id == "knn":
        common = dict(n_neighbors=p["k"], weights=p["weights"], algorithm="auto", n_jobs=1)
        return KNeighborsClassifier(**common) if task == "Classification" else KNeighborsRegressor(**common)
    raise ValueError(f"no fit+predict counterpart for {model_id}")


for line in open(out / "results.jsonl"):
    r = json.loads(line)
    if "kind" in r:  # a boundary redraw or a staged run: no scikit-learn counterpart
        continue
    fit_predict = r["model"].endswith(FIT_PREDICT)
    variant = r["model"].removesuffix(FIT_PREDICT)
    model_id = base_id(variant)
    if r["runner"] != "native" or model_id not in ESTIMATORS:
        continue
    name = r["data"].replace("×", "_").replace(" ", "_")
    stem = name if name.startswith("synthetic") else f"{model_id}-{name}"
    x_train, y_train = read(out / f"{stem}_train.csv")
    x_test, y_test = read(out / f"{stem}_test.csv")
    if (variant, "Clustering") in settings:
        task = "Clustering"
    else:
        task = "Regression" if r["data"] == "diabetes" else "Classification"
    if task == "Classification":
        y_train, y_test = y_train.astype(int), y_test.astype(int)
    times = []
    for _ in range(1 if len(y_train) > 50_000 else 3):
        p = settings[(variant, task)]
        model = as_used(model_id, task, p) if fit_predict else ESTIMATORS[model_id](task, p, 0)
        start = time.perf_counter()
        model.fit(x_train, y_train)
        if fit_predict:
            predicted = model.predict(x_test)
        times.append((time.perf_counter() - start) * 1e3)
    if not fit_predict:
        predicted = model.predict(x_test)
    if task == "Clustering":
        score = -model.score(x_test) / len(x_test)  # inertia per test row, as ours reports
    elif task == "Classification":
        score = accuracy_score(y_test, predicted)
    else:
        score = r2_score(y_test, predicted)
    line = {"runner": "scikit-learn", "model": r["model"], "data": r["data"],
            "fit_ms": round(sorted(times)[len(times) // 2], 2), "score": round(float(score), 4)}
    if task == "Clustering":
        line["rounds"] = int(model.n_iter_)
    print(json.dumps(line))
