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
k-means' line also says its rounds (n_iter_), for the time per round. For
k-means it also runs Lloyd's rounds from the very start ours ran from (the
native run's "kmeans_start" line and the centroids it wrote beside it) with
KMeans(init=start, n_init=1) (on the float32 rows, and on them as float64, where
its rounds are ours), and its own k-means++ start over the seeds ours
tried ("kmeans_seeds"), each beside ours."""
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


def kmeans_from_start(r, dtype):
    """KMeans(init=<our start>, n_init=1) on the rows ours ran from that start, in `dtype`: rounds, inertia
    per row, median ms. On the float32 rows (as a user's) its distances are float32 ‖x‖² − 2x·c + ‖c‖², so
    near ties can go the other way and the rounds drift apart from ours; on float64 they are ours to the bit."""
    from sklearn.cluster import KMeans
    p = settings[("kmeans", "Clustering")]
    name = r["data"].replace("×", "_").replace(" ", "_")
    x_train, _ = read(out / f"{name}_train.csv")
    x_train = x_train.astype(dtype)
    start = np.array(json.loads((out / f"kmeans_start_{name}.json").read_text()), dtype=np.float32).astype(dtype)
    times = []
    for _ in range(3):
        model = KMeans(n_clusters=p["k"], init=start, n_init=1, max_iter=p["max_iter"], tol=p["tol"], algorithm="lloyd")
        began = time.perf_counter()
        model.fit(x_train)
        times.append((time.perf_counter() - began) * 1e3)
    runner = "scikit-learn" if dtype == np.float32 else "scikit-learn f64"
    return {"runner": runner, "kind": "kmeans_start", "data": r["data"], "rounds": int(model.n_iter_),
            "inertia": round(float(model.inertia_) / len(x_train), 6), "ms": round(sorted(times)[1], 2)}


def kmeans_seeds(r):
    """scikit-learn's own k-means++ start with random_state 0, 1, ... (as many as ours tried): rounds, mean inertia per row."""
    from sklearn.cluster import KMeans
    p = settings[("kmeans", "Clustering")]
    name = r["data"].replace("×", "_").replace(" ", "_")
    x_train, _ = read(out / f"{name}_train.csv")
    fits = [KMeans(n_clusters=p["k"], n_init=1, max_iter=p["max_iter"], tol=p["tol"], algorithm="lloyd",
                   random_state=seed).fit(x_train) for seed in range(len(r["rounds"]))]
    return {"runner": "scikit-learn", "kind": "kmeans_seeds", "data": r["data"],
            "rounds": [int(f.n_iter_) for f in fits],
            "inertia": round(float(np.mean([f.inertia_ for f in fits])) / len(x_train), 6)}


for line in open(out / "results.jsonl"):
    r = json.loads(line)
    if r.get("kind") == "kmeans_start" and r["runner"] == "native":
        for dtype in (np.float32, np.float64):
            print(json.dumps(kmeans_from_start(r, dtype)))
        continue
    if r.get("kind") == "kmeans_seeds" and r["runner"] == "native":
        print(json.dumps(kmeans_seeds(r)))
        continue
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
