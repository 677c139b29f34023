#!/usr/bin/env python3
"""scikit-learn's side of scripts/bench-search, on the folds and search space
crate/examples/bench_search.rs wrote: RandomizedSearchCV(n_jobs=1) with
HistGradientBoostingClassifier, 50 trials, the same distributions (log-uniform
where ours is on a log scale, rounded for whole numbers) on the same folds
(each fold's copy of the training rows stacked, as in
sklearn_search_reference.py); and, when installed, Optuna's TPE and
scikit-optimize's gp_minimize on the same objective (the model's mean CV
accuracy on each seed's folds): the best after 10, 20 and 50 trials.
Prints JSON lines like the Rust side."""
import json
import math
import os
import pathlib
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np
from scipy.stats import loguniform, uniform
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import RandomizedSearchCV, cross_val_score

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from sklearn_reference import read  # noqa: E402

out = pathlib.Path(sys.argv[1])
TRIALS, CHECKPOINTS, SEEDS = 50, [10, 20, 50], 5


class LogInt:
    """A whole number drawn as ours draws it: log-uniform, then rounded."""

    def __init__(self, low, high):
        self.low, self.high = low, high

    def rvs(self, random_state=None):
        rng = np.random.default_rng(random_state) if not isinstance(random_state, np.random.RandomState) else random_state
        u = rng.uniform(math.log(self.low), math.log(self.high))
        return int(min(max(round(math.exp(u)), self.low), self.high))


def distributions(dimensions):
    out = {}
    for d in dimensions:
        (kind, r), = d["range"].items()
        if kind == "Float":
            out[d["key"]] = loguniform(r["low"], r["high"]) if r["log"] else uniform(r["low"], r["high"] - r["low"])
        elif kind == "Int":
            out[d["key"]] = LogInt(r["low"], r["high"])
        else:
            out[d["key"]] = r
    return out


def stacked(stem):
    spec = json.loads((out / f"search_{stem}.json").read_text())
    xs, ys = [], []
    for f in range(spec["k"]):
        x, y = read(out / f"search_{stem}_fold{f}.csv")
        xs.append(x)
        ys.append(y.astype(int))
    n = len(ys[0])
    cv = []
    for f, held_out in enumerate(spec["fold_tests"]):
        test = np.array(held_out)
        cv.append((f * n + np.setdiff1d(np.arange(n), test), f * n + test))
    return spec, np.vstack(xs), np.concatenate(ys), cv


def model(**params):
    # Our defaults for what is not searched: 100 rounds, early stopping "auto".
    return HistGradientBoostingClassifier(max_iter=100, early_stopping="auto", random_state=0, **params)


for stem in ["breast_cancer", "synthetic_10k_10"]:
    spec, x, y, cv = stacked(stem)
    search = RandomizedSearchCV(model(), distributions(spec["dimensions"]), n_iter=TRIALS, cv=cv, scoring="accuracy",
                                n_jobs=1, refit=False, random_state=0)
    start = time.perf_counter()
    search.fit(x, y)
    ms = (time.perf_counter() - start) * 1e3
    print(json.dumps({"kind": "search", "runner": "scikit-learn", "data": spec["data"], "trials": TRIALS,
                      "total_ms": round(ms, 1), "best": round(float(search.best_score_), 6)}))


def objective_on(seed):
    spec, x, y, cv = stacked(f"breast_cancer_seed_{seed}")
    return spec["dimensions"], lambda params: float(cross_val_score(model(**params), x, y, cv=cv, scoring="accuracy",
                                                                     n_jobs=1).mean())


def best_after(scores):
    return [round(max(scores[:n]), 6) for n in CHECKPOINTS]


try:
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    for seed in range(SEEDS):
        dims, objective = objective_on(seed)

        def trial_params(trial):
            params = {}
            for d in dims:
                (kind, r), = d["range"].items()
                if kind == "Float":
                    params[d["key"]] = trial.suggest_float(d["key"], r["low"], r["high"], log=r["log"])
                else:
                    params[d["key"]] = trial.suggest_int(d["key"], r["low"], r["high"], log=r["log"])
            return params

        study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed))
        study.optimize(lambda t: objective(trial_params(t)), n_trials=TRIALS)
        print(json.dumps({"kind": "bayes", "runner": "scikit-learn", "method": "Optuna TPE", "seed": seed,
                          "after": best_after([t.value for t in study.trials])}))
except ImportError:
    print("(Optuna is not installed: pip install optuna to see its TPE beside ours)", file=sys.stderr)

try:
    from skopt import gp_minimize
    from skopt.space import Integer, Real
    for seed in range(SEEDS):
        dims, objective = objective_on(seed)
        space = []
        for d in dims:
            (kind, r), = d["range"].items()
            prior = "log-uniform" if r["log"] else "uniform"
            space.append((Real if kind == "Float" else Integer)(r["low"], r["high"], prior=prior, name=d["key"]))
        keys = [d["key"] for d in dims]
        result = gp_minimize(lambda v: -objective(dict(zip(keys, v))), space, n_calls=TRIALS, random_state=seed)
        print(json.dumps({"kind": "bayes", "runner": "scikit-learn", "method": "scikit-optimize gp_minimize",
                          "seed": seed, "after": best_after([-v for v in result.func_vals])}))
except ImportError:
    print("(scikit-optimize is not installed: pip install scikit-optimize to see its gp_minimize beside ours)",
          file=sys.stderr)
