#!/usr/bin/env python3
"""scikit-learn's side of the pool benchmark (tests/bench/pool.mjs), on the
same CSV (30,000 rows × 10 numbers, 3 classes) and the same settings, with
n_jobs=1 and n_jobs=-1: a random forest (100 trees) fitted on the training
rows plus cross_val_score over 5 stratified folds; RandomizedSearchCV of a
decision tree, 20 trials over max_depth (0 to 20, 0 = no limit) and
min_samples_leaf (1 to 1000, log scale), 5-fold; four models (tree, forest,
logistic regression and kNN, standard-scaled as ours are) each fitted and
scored on the test rows, run by joblib over the models (scikit-learn has no
comparison of its own; ours also draws each model's boundary and noise
curve). The split is scikit-learn's own stratified 80/20 and its folds its
own, so the scores are close to ours, not equal. Prints JSON lines."""
import json
import os
import pathlib
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np
from joblib import Parallel, delayed
from scipy.stats import randint
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RandomizedSearchCV, StratifiedKFold, cross_val_score, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

out = pathlib.Path(sys.argv[1])
data = np.genfromtxt(out / "pool.csv", delimiter=",", skip_header=1, dtype=np.float32, usecols=range(10))
labels = np.genfromtxt(out / "pool.csv", delimiter=",", skip_header=1, dtype=str, usecols=10)
y = np.unique(labels, return_inverse=True)[1]
x_train, x_test, y_train, y_test = train_test_split(data, y, test_size=0.2, stratify=y, random_state=0)
folds = StratifiedKFold(5, shuffle=True, random_state=0)
cores = os.cpu_count()


class MaxDepth:
    """max_depth as ours draws it, 0 to 20, with 0 meaning no limit (None)."""

    def rvs(self, random_state=None):
        d = int(randint(0, 21).rvs(random_state=random_state))
        return d or None


class LogInt:
    """A whole number drawn log-uniform and rounded, as ours draws min_samples_leaf."""

    def __init__(self, low, high):
        self.low, self.high = low, high

    def rvs(self, random_state=None):
        rng = random_state if isinstance(random_state, np.random.RandomState) else np.random.RandomState(random_state)
        return int(min(max(round(np.exp(rng.uniform(np.log(self.low), np.log(self.high)))), self.low), self.high))


def cv(n_jobs):
    forest = RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=1)
    forest.fit(x_train, y_train)
    scores = cross_val_score(forest, x_train, y_train, cv=folds, n_jobs=n_jobs)
    return f"5-fold CV accuracy {scores.mean():.3f} ± {scores.std(ddof=1):.3f}"


def search(n_jobs):
    space = {"max_depth": MaxDepth(), "min_samples_leaf": LogInt(1, 1000)}
    s = RandomizedSearchCV(DecisionTreeClassifier(random_state=0), space, n_iter=20, cv=folds, n_jobs=n_jobs,
                           refit=False, random_state=0)
    s.fit(x_train, y_train)
    return f"best of 20 trials: CV accuracy {s.best_score_:.3f}"


MODELS = {
    "decision tree": lambda: DecisionTreeClassifier(random_state=0),
    "random forest": lambda: RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=1),
    "logistic regression": lambda: make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000)),
    "kNN": lambda: make_pipeline(StandardScaler(), KNeighborsClassifier(5)),
}


def one(name):
    model = MODELS[name]().fit(x_train, y_train)
    return f"{name} {model.score(x_test, y_test):.3f}"


def compare(n_jobs):
    return "; ".join(Parallel(n_jobs=n_jobs)(delayed(one)(name) for name in MODELS))


for work, run in [("cv", cv), ("search", search), ("compare", compare)]:
    for n_jobs in [1, -1]:
        start = time.perf_counter()
        said = run(n_jobs)
        ms = (time.perf_counter() - start) * 1e3
        print(json.dumps({"kind": "pool", "work": work, "runner": "scikit-learn", "workers": n_jobs, "ms": round(ms),
                          "said": said, "cores": cores, "rows": len(y)}))
