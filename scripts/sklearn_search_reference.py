#!/usr/bin/env python3
"""Reference numbers for the grid-search conformance test, from scikit-learn's
GridSearchCV on the very folds ours uses.

The export (crate/examples/export_for_sklearn.rs) writes, for each case in
crate/tests/support/search_cases.rs, every training row as each fold prepares
it (ours fits imputation, encoding and scaling on a fold's training part, so a
row can read differently from fold to fold) and the case's settings: its folds
(each fold's held-out rows) and the grid as our search tried it (every setting
of the model, resolved). Here the folds' copies of the training rows are
stacked, fold f's copy at rows f*n .. (f+1)*n, and GridSearchCV runs with
cv = [(fold f's training rows in copy f, fold f's held-out rows in copy f)],
so each fold trains and scores on exactly the rows ours does, prepared as ours
prepares them. The estimator is the one scripts/sklearn_reference.py matches to
each registry id, with all settings of each grid point.

A tree breaks ties between equally good splits by random_state, so for it
the search runs at random_state 0..9 and the file records each setting's mean
CV score at 0 and its range over the ten.

Rerun with:  pip install scikit-learn && python3 scripts/sklearn_search_reference.py
"""
import json
import pathlib
import subprocess
import sys

import numpy as np
import sklearn
from sklearn.base import BaseEstimator
from sklearn.model_selection import GridSearchCV

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import sklearn_reference as ref  # noqa: E402

# Models whose fit depends on random_state (ties between splits).
SEEDED = {"decision_tree", "random_forest", "gradient_boosting", "mlp"}


class Registered(BaseEstimator):
    """The scikit-learn estimator matched to one of our registry ids, with one
    grid point's settings: what GridSearchCV searches over is `params`."""

    def __init__(self, model=None, task=None, params=None, seed=0):
        self.model = model
        self.task = task
        self.params = params
        self.seed = seed

    def fit(self, x, y):
        self.fitted_ = ref.ESTIMATORS[self.model](self.task, self.params, self.seed).fit(x, y)
        return self

    def predict(self, x):
        return self.fitted_.predict(x)


def stacked(i, case):
    """The folds' copies of the training rows, one under the other, and the
    (train, test) index pairs into them."""
    xs, ys = [], []
    for f in range(case["k"]):
        x, y = ref.read(ref.OUT / f"search{i}_fold{f}.csv")
        xs.append(x.astype(np.float64) if case["model"] in ref.FLOAT64 else x)
        ys.append(y)
    widths = {x.shape[1] for x in xs}
    if len(widths) != 1:
        raise SystemExit(f"search{i}: folds prepare different numbers of inputs {widths}; stacking needs one")
    n = len(ys[0])
    cv = []
    for f, held_out in enumerate(case["fold_tests"]):
        test = np.array(held_out)
        train = np.setdiff1d(np.arange(n), test)
        cv.append((f * n + train, f * n + test))
    y = np.concatenate(ys)
    return np.vstack(xs), (y.astype(int) if case["task"] == "Classification" else y), cv


def main():
    subprocess.run(["cargo", "run", "--quiet", "--release", "-p", "micro_models", "--example", "export_for_sklearn",
                    str(ref.OUT)], check=True, cwd=ref.ROOT)
    cases = json.loads((ref.OUT / "search_cases.json").read_text())
    results = []
    for i, case in enumerate(cases):
        x, y, cv = stacked(i, case)
        scoring = "accuracy" if case["task"] == "Classification" else "r2"
        runs = []
        for seed in (range(10) if case["model"] in SEEDED else [0]):
            search = GridSearchCV(Registered(case["model"], case["task"], None, seed), {"params": case["grid"]},
                                  cv=cv, scoring=scoring, n_jobs=1, refit=False)
            runs.append(search.fit(x, y))
        first = runs[0]
        means = np.array([r.cv_results_["mean_test_score"] for r in runs])
        best = int(first.best_index_)
        fold_scores = [float(first.cv_results_[f"split{f}_test_score"][best]) for f in range(case["k"])]
        results.append({
            "case": i, "settings": case, "metric": scoring,
            "mean": [round(float(v), 9) for v in means[0]],
            "min": [round(float(v), 9) for v in means.min(axis=0)],
            "max": [round(float(v), 9) for v in means.max(axis=0)],
            "best": best,
            "best_fold_scores": [round(v, 9) for v in fold_scores],
        })
        key = case["key"]
        print(f"search{i:<2} {case['model']:<14} {case['dataset']:<14} best {key}={case['grid'][best][key]}"
              f"  mean {scoring} {means[0][best]:.4f}")
    out = {"sklearn_version": sklearn.__version__, "python": sys.version.split()[0], "cases": results}
    (ref.ROOT / "crate/tests/fixtures/search_reference.json").write_text(ref.dump(out) + "\n")


if __name__ == "__main__":
    main()
