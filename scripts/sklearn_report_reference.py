#!/usr/bin/env python3
"""Reference numbers for the class-report conformance test
(crate/tests/report_conformance.rs): scikit-learn's classification_report,
balanced_accuracy_score, log_loss, brier_score_loss and calibration_curve on
our own test predictions.

The export (crate/examples/export_report_predictions.rs) trains each case of
crate/tests/support/report_cases.rs as the page does and writes its test rows'
true classes, labels and probabilities (f32, written as the f64 they widen
to). This script scores exactly those numbers and writes them, with the
predictions and the settings, to crate/tests/fixtures/report_reference.json.

- classification_report(truth, labels, labels=range(n), output_dict=True,
  zero_division=0): per class and macro/weighted averages;
- balanced_accuracy_score(truth, labels);
- log_loss(truth, proba, labels=range(n)) on the probabilities as float64;
- Brier: for two classes brier_score_loss(truth == 1, proba[:, 1]); for more,
  the mean over rows of the squared distance of the probability vector to the
  one-hot truth (scikit-learn >= 1.7's multiclass brier_score_loss, computed
  here with numpy so older versions give it too);
- calibration_curve(labels == truth, proba of the label, n_bins=10,
  strategy="uniform"): top-label calibration.

Rerun with:  pip install scikit-learn && python3 scripts/sklearn_report_reference.py
"""
import json
import pathlib
import subprocess
import sys

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import balanced_accuracy_score, brier_score_loss, classification_report, log_loss

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "target" / "report_predictions.json"


def main():
    OUT.parent.mkdir(exist_ok=True)
    subprocess.run(["cargo", "run", "--quiet", "--release", "--offline", "-p", "micro_models", "--example",
                    "export_report_predictions", str(OUT)], check=True, cwd=ROOT)
    cases = json.loads(OUT.read_text())
    results = []
    for case in cases:
        n = case["n_classes"]
        truth = np.array(case["truth"], dtype=int)
        labels = np.array(case["labels"], dtype=int)
        proba = np.array(case["proba"], dtype=np.float64).reshape(-1, n)
        report = classification_report(truth, labels, labels=list(range(n)), output_dict=True, zero_division=0)
        classes = [{k: report[str(c)][k] for k in ("precision", "recall", "f1-score", "support")} for c in range(n)]
        if n == 2:
            brier = brier_score_loss(truth == 1, proba[:, 1])
        else:
            brier = float(np.mean(np.sum((proba - np.eye(n)[truth]) ** 2, axis=1)))
        confidence = proba[np.arange(len(labels)), labels]
        observed, predicted = calibration_curve(labels == truth, confidence, n_bins=10, strategy="uniform")
        results.append({
            "model": case["model"], "dataset": case["dataset"], "seed": case["seed"], "test_share": case["test_share"],
            "n_classes": n, "truth": case["truth"], "labels": case["labels"], "proba": case["proba"],
            "classes": classes,
            "macro_avg": {k: report["macro avg"][k] for k in ("precision", "recall", "f1-score")},
            "weighted_avg": {k: report["weighted avg"][k] for k in ("precision", "recall", "f1-score")},
            "accuracy": report["accuracy"],
            "balanced_accuracy": balanced_accuracy_score(truth, labels),
            "log_loss": log_loss(truth, proba, labels=list(range(n))),
            "brier": brier,
            "calibration": {"observed": observed.tolist(), "predicted": predicted.tolist()},
        })
        print(f"{case['model']:<14} {case['dataset']:<14} accuracy {report['accuracy']:.4f}  "
              f"log-loss {results[-1]['log_loss']:.4f}  brier {brier:.4f}")
    out = {"sklearn_version": sklearn.__version__, "numpy_version": np.__version__, "python": sys.version.split()[0],
           "cases": results}
    (ROOT / "crate/tests/fixtures/report_reference.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
