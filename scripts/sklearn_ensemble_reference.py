#!/usr/bin/env python3
"""Reference numbers for the ensemble conformance test, from scikit-learn.

Exports every case in crate/tests/fixtures/ensemble_cases.json through the
project's own pipeline (the export_for_sklearn example: the same rows, split
and encoded features our ensembles see, one pipeline for all members), builds
scikit-learn's VotingClassifier (hard or soft), VotingRegressor,
StackingClassifier or StackingRegressor of the same members (each made as
scripts/sklearn_reference.py makes that model, with our default settings
written out in full by the export), fits it on the training rows and writes
crate/tests/fixtures/ensemble_reference.json.

A stack gets our folds: the export writes each fold's test positions in the
training rows, and they go to scikit-learn as `cv=` a list of (train, test)
index pairs, with stack_method="predict_proba" and passthrough=False for
classes, so the meta model learns from the same out-of-fold predictions.

Trees among the members depend on random_state (ties between equally good
splits), so each case is fitted at random_state 0..9: the file records the
score at 0, the range, and scikit-learn's prediction for every test row at 0.
Each reference case stores the exported settings and the estimator as called.

Rerun with:  pip install scikit-learn && python3 scripts/sklearn_ensemble_reference.py
(`--exported` reads target/sklearn-export as the export last wrote it, without running it again).
"""
import json
import pathlib
import subprocess
import sys

import numpy as np
import sklearn
from sklearn.ensemble import StackingClassifier, StackingRegressor, VotingClassifier, VotingRegressor
from sklearn.metrics import accuracy_score, r2_score

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from sklearn_reference import ESTIMATORS, OUT, ROOT, dump, read  # noqa: E402


def estimator(case, seed):
    """scikit-learn's ensemble for a case, and how it was called, in words."""
    task = case["task"]
    members = [(f"{m['model']}_{i}", ESTIMATORS[m["model"]](task, m["params"], seed))
               for i, m in enumerate(case["members"])]
    kind = case["kind"]
    weights = case["weights"]
    names = ", ".join(m["model"] for m in case["members"])
    if isinstance(kind, dict) and "Vote" in kind:
        voting = "soft" if kind["Vote"]["soft"] else "hard"
        return (VotingClassifier(members, voting=voting, weights=weights),
                f"VotingClassifier([{names}], voting={voting!r}, weights={weights})")
    if kind == "Average":
        return VotingRegressor(members, weights=weights), f"VotingRegressor([{names}], weights={weights})"
    n = case["n_train"]
    tests = [np.array(t) for t in case["folds"]]
    cv = [(np.setdiff1d(np.arange(n), t), t) for t in tests]
    meta = ESTIMATORS[case["meta"]["model"]](task, case["meta"]["params"], seed)
    said = f"[{names}], final_estimator={case['meta']['model']}, cv=our {len(cv)} folds"
    if task == "Classification":
        return (StackingClassifier(members, final_estimator=meta, cv=cv, stack_method="predict_proba",
                                   passthrough=False), f"StackingClassifier({said}, stack_method='predict_proba')")
    return StackingRegressor(members, final_estimator=meta, cv=cv, passthrough=False), f"StackingRegressor({said})"


def main():
    if "--exported" not in sys.argv:
        subprocess.run(["cargo", "run", "--quiet", "--release", "-p", "micro_models", "--example", "export_for_sklearn", str(OUT)],
                       check=True, cwd=ROOT)
    cases = json.loads((OUT / "ensemble_cases.json").read_text())
    results = []
    for i, case in enumerate(cases):
        x_train, y_train = read(OUT / f"ensemble{i}_train.csv")
        x_test, y_test = read(OUT / f"ensemble{i}_test.csv")
        # Every member sees the same matrix; float32 values are exact in float64.
        x_train, x_test = x_train.astype(np.float64), x_test.astype(np.float64)
        classes = case["task"] == "Classification"
        scores = []
        for seed in range(10):
            model, said = estimator(case, seed)
            if classes:
                predicted = model.fit(x_train, y_train.astype(int)).predict(x_test)
                scores.append(accuracy_score(y_test.astype(int), predicted))
            else:
                predicted = model.fit(x_train, y_train).predict(x_test)
                scores.append(r2_score(y_test, predicted))
            if seed == 0:
                predictions = [int(v) if classes else float(v) for v in predicted]
                called = said
        metric = "accuracy" if classes else "r2"
        results.append({"case": i, "settings": case, "estimator": called, "metric": metric,
                        "score": round(float(scores[0]), 6), "min": round(float(min(scores)), 6),
                        "max": round(float(max(scores)), 6), "predictions": predictions})
        print(f"ensemble{i:<3} {case['dataset']:<14} {metric:<9} {scores[0]:.4f}  (random_state 0-9: {min(scores):.4f}-{max(scores):.4f})  {called}")
    out = {"sklearn_version": sklearn.__version__, "python": sys.version.split()[0], "cases": results}
    (ROOT / "crate/tests/fixtures/ensemble_reference.json").write_text(dump(out) + "\n")


if __name__ == "__main__":
    main()
