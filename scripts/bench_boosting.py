#!/usr/bin/env python3
"""The anchors of the boosting rows: scikit-learn's HistGradientBoostingClassifier,
LightGBM and XGBoost (each when installed) on the very rows `bench_boosting`
wrote, with the settings ours used (read from its JSON lines), on one thread
and on every core. Prints JSON lines like the Rust side and, on stderr, which
settings each library was given.

Matched settings: rounds (max_iter ↔ n_estimators), leaves (max_leaf_nodes ↔
num_leaves / max_leaves, best-first growth), learning rate, 255 bins, rows per
leaf (min_samples_leaf ↔ min_child_samples; XGBoost has no row count, only
min_child_weight, left at its hessian floor), L2 on the leaf values, least
hessian per child 1e-3, no depth limit, no bagging or feature sampling, no
early stopping, bin edges from 200,000 sampled rows."""
import csv
import json
import os
import pathlib
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import accuracy_score
from threadpoolctl import threadpool_limits

out = pathlib.Path(sys.argv[1])
CORES = os.cpu_count() or 1


def read(path):
    data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
    return data[:, :-1].astype(np.float32), data[:, -1].astype(int)


def sklearn_model(p, jobs):
    return HistGradientBoostingClassifier(
        learning_rate=p["learning_rate"], max_iter=p["max_iter"], max_leaf_nodes=p["max_leaf_nodes"],
        max_depth=p["max_depth"] or None, min_samples_leaf=p["min_samples_leaf"],
        l2_regularization=p["l2_regularization"], max_bins=255, early_stopping=False, random_state=0)


def lightgbm_model(p, jobs):
    import lightgbm
    return lightgbm.LGBMClassifier(
        n_estimators=p["max_iter"], num_leaves=p["max_leaf_nodes"], learning_rate=p["learning_rate"],
        max_depth=p["max_depth"] or -1, min_child_samples=p["min_samples_leaf"], min_child_weight=1e-3,
        reg_lambda=p["l2_regularization"], reg_alpha=0.0, min_split_gain=0.0, max_bin=255,
        subsample=1.0, subsample_freq=0, colsample_bytree=1.0, bin_construct_sample_cnt=200_000,
        n_jobs=jobs, random_state=0, verbose=-1)


def xgboost_model(p, jobs):
    import xgboost
    return xgboost.XGBClassifier(
        n_estimators=p["max_iter"], max_leaves=p["max_leaf_nodes"], grow_policy="lossguide", tree_method="hist",
        learning_rate=p["learning_rate"], max_depth=p["max_depth"] or 0, min_child_weight=1e-3,
        reg_lambda=p["l2_regularization"], max_bin=255, subsample=1.0, colsample_bytree=1.0,
        n_jobs=jobs, random_state=0)


def installed(name):
    try:
        __import__(name)
        return True
    except ImportError:
        return False


LIBRARIES = [("scikit-learn", sklearn_model, "sklearn"), ("LightGBM", lightgbm_model, "lightgbm"),
             ("XGBoost", xgboost_model, "xgboost")]
missing = [module for _, _, module in LIBRARIES if not installed(module)]
if missing:
    print(f"({', '.join(missing)} not installed: pip install lightgbm xgboost-cpu to see it beside ours)",
          file=sys.stderr)

said = set()
for line in open(out / "boosting.jsonl"):
    r = json.loads(line)
    if r["runner"] != "native":
        continue
    stem = r["data"].replace("×", "_").replace(" ", "_")
    x_train, y_train = read(out / f"{stem}_train.csv")
    x_test, y_test = read(out / f"{stem}_test.csv")
    p = r["settings"]
    if not said:
        print(f"boosting anchors matched to ours: {p['max_iter']} rounds, {p['max_leaf_nodes']} leaves (best-first), "
              f"learning rate {p['learning_rate']}, 255 bins from 200,000 rows, {p['min_samples_leaf']} rows per leaf "
              f"(XGBoost: none), L2 {p['l2_regularization']}, hessian per child 1e-3, depth "
              f"{p['max_depth'] or 'unlimited'}, no bagging, no feature sampling, no early stopping", file=sys.stderr)
    for runner, make, module in LIBRARIES:
        if module in missing:
            continue
        for jobs in (1, -1):
            model = make(p, jobs)
            if runner not in said:
                said.add(runner)
                print(f"{runner}: {model}", file=sys.stderr)
            # scikit-learn's threads are OpenMP's: limited here (n_jobs for the others).
            with threadpool_limits(limits=1 if jobs == 1 else CORES):
                start = time.perf_counter()
                model.fit(x_train, y_train)
                fit_ms = (time.perf_counter() - start) * 1e3
            score = accuracy_score(y_test, model.predict(x_test))
            print(json.dumps({"runner": f"{runner} ({'1 thread' if jobs == 1 else f'{CORES} threads'})",
                              "kind": "boosting", "model": r["model"], "data": r["data"],
                              "train_rows": r["train_rows"], "fit_ms": round(fit_ms, 1),
                              "round_ms": round(fit_ms / p["max_iter"], 2), "score": round(float(score), 4)}),
                  flush=True)
