//! The fuller scores of a classifier an analyst expects beside accuracy, and
//! the scores of groups of rows. Written to match scikit-learn's
//! `classification_report`, `balanced_accuracy_score`, `log_loss`,
//! `brier_score_loss` and `calibration_curve` on the same predictions (the
//! conformance test `crate/tests/report_conformance.rs` checks them to 1e-9).

use serde::{Deserialize, Serialize};

use super::confusion_matrix;
use crate::base::{accuracy, mean_absolute_error, r2_score};

/// One class's precision, recall and F1 on the rows scored, and how many of
/// those rows truly are of the class (its support).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

/// What `classification_report` prints, plus balanced accuracy and log-loss.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassReport {
    /// One entry per class, in class order (a class with no rows and no
    /// predictions scores 0, as scikit-learn's `zero_division=0`).
    pub classes: Vec<ClassScores>,
    /// The unweighted mean over classes (support: every row).
    pub macro_avg: ClassScores,
    /// The mean over classes weighted by support.
    pub weighted_avg: ClassScores,
    pub accuracy: f64,
    /// The mean recall over the classes that have rows: what accuracy would be
    /// if every class were as common.
    pub balanced_accuracy: f64,
    /// Mean −ln of the probability given to the true class, clipped to
    /// [ε, 1 − ε] (ε of f64), as scikit-learn (1.9) does.
    pub log_loss: f64,
}

/// `a / b`, 0 when `b` is 0: scikit-learn's `zero_division=0`.
fn ratio(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        0.0
    } else {
        a / b
    }
}

/// The class report of `predicted` labels and `proba` (`n_classes` per row,
/// row-major) against `truth`. `None` without rows.
pub fn class_report(truth: &[u32], predicted: &[u32], proba: &[f32], n_classes: usize) -> Option<ClassReport> {
    if truth.is_empty() || n_classes == 0 {
        return None;
    }
    let counts = confusion_matrix(truth, predicted, n_classes);
    let classes: Vec<ClassScores> = (0..n_classes)
        .map(|c| {
            let hit = counts[c][c] as f64;
            let support: usize = counts[c].iter().sum();
            let predicted_as: usize = counts.iter().map(|row| row[c]).sum();
            let precision = ratio(hit, predicted_as as f64);
            let recall = ratio(hit, support as f64);
            ClassScores { precision, recall, f1: ratio(2.0 * precision * recall, precision + recall), support }
        })
        .collect();
    let total: usize = classes.iter().map(|c| c.support).sum();
    let average = |weight: &dyn Fn(&ClassScores) -> f64| {
        let sum: f64 = classes.iter().map(weight).sum();
        let mean = |pick: fn(&ClassScores) -> f64| ratio(classes.iter().map(|c| weight(c) * pick(c)).sum(), sum);
        ClassScores { precision: mean(|c| c.precision), recall: mean(|c| c.recall), f1: mean(|c| c.f1), support: total }
    };
    let with_rows: Vec<&ClassScores> = classes.iter().filter(|c| c.support > 0).collect();
    Some(ClassReport {
        macro_avg: average(&|_| 1.0),
        weighted_avg: average(&|c| c.support as f64),
        accuracy: accuracy(truth, predicted),
        balanced_accuracy: with_rows.iter().map(|c| c.recall).sum::<f64>() / with_rows.len().max(1) as f64,
        log_loss: log_loss(truth, proba, n_classes),
        classes,
    })
}

/// Mean −ln p(true class), each probability clipped to [ε, 1 − ε]
/// (scikit-learn's `log_loss`, which since 1.5 no longer divides a row by its
/// sum), so a model that is sure and wrong costs ln(1/ε) ≈ 36 on that row,
/// not infinity.
pub fn log_loss(truth: &[u32], proba: &[f32], n_classes: usize) -> f64 {
    let eps = f64::EPSILON;
    let total: f64 = truth
        .iter()
        .zip(proba.chunks(n_classes.max(1)))
        .map(|(&t, row)| -(row.get(t as usize).copied().unwrap_or(0.0) as f64).clamp(eps, 1.0 - eps).ln())
        .sum();
    total / truth.len().max(1) as f64
}

/// The Brier score: the mean over rows of the squared distance between the
/// probability vector and the one-hot truth. For two classes it is halved,
/// which is scikit-learn's `brier_score_loss` of the positive class (and its
/// multiclass `brier_score_loss` with `scale_by_half="auto"`): 0 is perfect,
/// always saying ½ scores 0.25.
pub fn brier_score(truth: &[u32], proba: &[f32], n_classes: usize) -> f64 {
    let total: f64 = truth
        .iter()
        .zip(proba.chunks(n_classes.max(1)))
        .map(|(&t, row)| {
            row.iter().enumerate().map(|(c, &p)| (p as f64 - f64::from(u8::from(c == t as usize))).powi(2)).sum::<f64>()
        })
        .sum();
    let halved = if n_classes == 2 { 2.0 } else { 1.0 };
    total / truth.len().max(1) as f64 / halved
}

/// One bin of a reliability chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrationBin {
    /// The bin's edges, as probabilities.
    pub from: f64,
    pub to: f64,
    /// The mean probability the model gave the rows in the bin.
    pub predicted: f64,
    /// The share of those rows where it was right.
    pub observed: f64,
    pub count: usize,
}

/// The rows' `confidence` (the probability of the class predicted) cut into
/// `bins` equal bins over [0, 1], each with the mean confidence and the share
/// of rows `right`: top-label calibration, which is scikit-learn's
/// `calibration_curve(right, confidence, n_bins=bins)` (bins edges as
/// `np.linspace`, a value on an inner edge in the lower bin). Empty bins are
/// left out.
pub fn calibration_bins(right: &[bool], confidence: &[f64], bins: usize) -> Vec<CalibrationBin> {
    let bins = bins.max(1);
    let step = 1.0 / bins as f64;
    let edge = |i: usize| if i == bins { 1.0 } else { i as f64 * step };
    let mut sums = vec![(0.0, 0usize, 0usize); bins];
    for (&ok, &p) in right.iter().zip(confidence) {
        if !p.is_finite() {
            continue;
        }
        // Inner edges strictly below p: numpy's searchsorted(edges, p, "left").
        let bin = (1..bins).filter(|&i| edge(i) < p).count();
        sums[bin].0 += p;
        sums[bin].1 += usize::from(ok);
        sums[bin].2 += 1;
    }
    sums.iter()
        .enumerate()
        .filter(|(_, s)| s.2 > 0)
        .map(|(i, &(p, ok, n))| CalibrationBin {
            from: edge(i),
            to: edge(i + 1),
            predicted: p / n as f64,
            observed: ok as f64 / n as f64,
            count: n,
        })
        .collect()
}

/// The scores of one group of rows (a level of a column).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum GroupScores {
    /// For two classes, the true-positive rate (recall of the positive class)
    /// and the false-positive rate; `None` where the group has no row on that side.
    Classes {
        accuracy: f64,
        tpr: Option<f64>,
        fpr: Option<f64>,
    },
    Values {
        r2: f64,
        mae: f64,
    },
}

impl GroupScores {
    /// Accuracy for classes, R² for values: the score groups are compared by.
    pub fn headline(&self) -> f64 {
        match self {
            GroupScores::Classes { accuracy, .. } => *accuracy,
            GroupScores::Values { r2, .. } => *r2,
        }
    }
}

/// Class scores of one group's rows; `positive` is the positive class for
/// two-class targets (`None` for more classes: no TPR or FPR).
pub fn class_group_scores(truth: &[u32], predicted: &[u32], positive: Option<u32>) -> GroupScores {
    let rate = |of: bool| {
        let side: Vec<u32> =
            truth.iter().zip(predicted).filter(|(&t, _)| (Some(t) == positive) == of).map(|(_, &p)| p).collect();
        (!side.is_empty()).then(|| side.iter().filter(|&&p| Some(p) == positive).count() as f64 / side.len() as f64)
    };
    let (tpr, fpr) = if positive.is_some() { (rate(true), rate(false)) } else { (None, None) };
    GroupScores::Classes { accuracy: accuracy(truth, predicted), tpr, fpr }
}

/// Value scores of one group's rows.
pub fn value_group_scores(truth: &[f64], predicted: &[f64]) -> GroupScores {
    GroupScores::Values { r2: r2_score(truth, predicted), mae: mean_absolute_error(truth, predicted) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }

    #[test]
    fn class_report_by_hand() {
        // truth   0 0 0 1 1 2
        // labels  0 0 1 1 2 2
        // class 0: 2 hits of 2 predicted, 3 true → P 1, R ⅔, F1 0.8
        // class 1: 1 hit of 2 predicted, 2 true → P ½, R ½, F1 ½
        // class 2: 1 hit of 2 predicted, 1 true → P ½, R 1, F1 ⅔
        let truth = [0, 0, 0, 1, 1, 2];
        let labels = [0, 0, 1, 1, 2, 2];
        let proba = [1.0f32, 0.0, 0.0].repeat(6);
        let r = class_report(&truth, &labels, &proba, 3).unwrap();
        close(r.classes[0].precision, 1.0);
        close(r.classes[0].recall, 2.0 / 3.0);
        close(r.classes[0].f1, 0.8);
        close(r.classes[1].f1, 0.5);
        close(r.classes[2].f1, 2.0 / 3.0);
        assert_eq!(r.classes.iter().map(|c| c.support).collect::<Vec<_>>(), vec![3, 2, 1]);
        close(r.macro_avg.precision, (1.0 + 0.5 + 0.5) / 3.0);
        close(r.macro_avg.f1, (0.8 + 0.5 + 2.0 / 3.0) / 3.0);
        close(r.weighted_avg.recall, (3.0 * 2.0 / 3.0 + 2.0 * 0.5 + 1.0) / 6.0);
        assert_eq!(r.macro_avg.support, 6);
        close(r.accuracy, 4.0 / 6.0);
        close(r.balanced_accuracy, (2.0 / 3.0 + 0.5 + 1.0) / 3.0);
    }

    #[test]
    fn a_class_never_seen_nor_predicted_scores_zero_and_is_left_out_of_balanced_accuracy() {
        let r = class_report(&[0, 1], &[0, 0], &[0.5, 0.5, 0.0].repeat(2), 3).unwrap();
        assert_eq!(r.classes[2], ClassScores { precision: 0.0, recall: 0.0, f1: 0.0, support: 0 });
        // Class 1 is never predicted: precision 0 (zero division), recall 0.
        close(r.classes[1].precision, 0.0);
        close(r.balanced_accuracy, 0.5);
        assert_eq!(class_report(&[], &[], &[], 3), None);
    }

    #[test]
    fn log_loss_clips_a_certain_mistake() {
        // Row 1: p(true) = 0.8 (as f32) → 0.2231; row 2: p(true) = 0 → clipped to ε: −ln ε = 36.04.
        let loss = log_loss(&[0, 1], &[0.8, 0.2, 1.0, 0.0], 2);
        close(loss, (-(0.8f32 as f64).ln() - f64::EPSILON.ln()) / 2.0);
        assert!(loss.is_finite() && loss > 18.0);
        // A row that does not sum to 1 is taken as it is, as scikit-learn 1.9 does.
        close(log_loss(&[0], &[0.2, 0.2], 2), -(0.2f32 as f64).ln());
    }

    #[test]
    fn brier_by_hand() {
        // Two classes, the positive class's probabilities 0.9 (true), 0.4 (false):
        // ((0.9 − 1)² + 0.4²) / 2 = 0.085, as brier_score_loss.
        let b = brier_score(&[1, 0], &[0.1, 0.9, 0.6, 0.4], 2);
        assert!((b - 0.085).abs() < 1e-7, "{b}");
        // Three classes: row [0.5, 0.25, 0.25] of class 0 → 0.25 + 0.0625 + 0.0625.
        close(brier_score(&[0], &[0.5, 0.25, 0.25], 3), 0.375);
    }

    #[test]
    fn calibration_bins_by_hand() {
        let right = [true, false, true, true, false];
        let confidence = [0.95, 1.0, 0.35, 0.2, 0.31];
        let bins = calibration_bins(&right, &confidence, 10);
        // 0.95 and 1.0 share the last bin; 0.2 sits on an inner edge (2 × 0.1
        // is exactly 0.2, as in np.linspace), so in the bin below it.
        assert_eq!(bins.len(), 3);
        assert_eq!((bins[0].count, bins[0].from, bins[0].to), (1, 0.1, 0.2));
        close(bins[0].observed, 1.0);
        assert_eq!((bins[1].count, bins[1].from), (2, 0.30000000000000004));
        close(bins[1].predicted, (0.35 + 0.31) / 2.0);
        close(bins[1].observed, 0.5);
        assert_eq!((bins[2].count, bins[2].to), (2, 1.0));
        close(bins[2].predicted, 0.975);
        close(bins[2].observed, 0.5);
    }

    #[test]
    fn group_scores_by_hand() {
        // Positive class 1: truth 1 1 0 0 0, labels 1 0 1 0 0 → TPR ½, FPR ⅓, accuracy ⅗.
        let g = class_group_scores(&[1, 1, 0, 0, 0], &[1, 0, 1, 0, 0], Some(1));
        assert_eq!(g, GroupScores::Classes { accuracy: 0.6, tpr: Some(0.5), fpr: Some(1.0 / 3.0) });
        // No negatives in the group: no FPR rather than 0 / 0.
        let g = class_group_scores(&[1, 1], &[1, 1], Some(1));
        assert_eq!(g, GroupScores::Classes { accuracy: 1.0, tpr: Some(1.0), fpr: None });
        assert_eq!(class_group_scores(&[2], &[2], None), GroupScores::Classes { accuracy: 1.0, tpr: None, fpr: None });
        let v = value_group_scores(&[1.0, 2.0, 3.0], &[1.0, 2.0, 4.0]);
        // SSE 1, SST 2 → R² ½; MAE ⅓.
        assert_eq!(v.headline(), 0.5);
        assert_eq!(v, GroupScores::Values { r2: 0.5, mae: 1.0 / 3.0 });
    }
}
