//! Scores of a classifier beyond accuracy: the confusion matrix, and the ROC and
//! precision–recall curves of its probabilities, computed as scikit-learn does so
//! the numbers can be checked against `roc_auc_score` and `average_precision_score`.

/// `counts[truth][predicted]`: how many rows of each true class got each label.
/// Labels outside `0..n_classes` are ignored.
pub fn confusion_matrix(truth: &[u32], predicted: &[u32], n_classes: usize) -> Vec<Vec<usize>> {
    let mut counts = vec![vec![0usize; n_classes]; n_classes];
    for (&t, &p) in truth.iter().zip(predicted) {
        if let Some(cell) = counts.get_mut(t as usize).and_then(|row| row.get_mut(p as usize)) {
            *cell += 1;
        }
    }
    counts
}

/// Cumulative true and false positives at each distinct score, from the highest
/// score down. Rows with equal scores enter together (one step), which is how
/// tied scores count half in the AUC. Non-finite scores sort as lowest.
fn cumulative_counts(positive: &[bool], scores: &[f64]) -> Vec<(f64, f64)> {
    let key = |s: f64| if s.is_finite() { s } else { f64::NEG_INFINITY };
    let mut order: Vec<usize> = (0..scores.len().min(positive.len())).collect();
    crate::base::sort_with(&mut order, &|&a, &b| key(scores[b]).total_cmp(&key(scores[a])));
    let mut out = Vec::new();
    let (mut tp, mut fp) = (0.0, 0.0);
    for (i, &row) in order.iter().enumerate() {
        if positive[row] {
            tp += 1.0;
        } else {
            fp += 1.0;
        }
        let last_of_tie = order.get(i + 1).is_none_or(|&next| key(scores[next]) != key(scores[row]));
        if last_of_tie {
            out.push((tp, fp));
        }
    }
    out
}

/// A classifier's curve for one class, with its area.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    pub points: Vec<(f64, f64)>,
    pub area: f64,
}

/// The ROC curve (false-positive rate, true-positive rate) from (0, 0) to (1, 1)
/// with one point per distinct score, and its area by the trapezoid rule.
/// `None` when the rows hold only positives or only negatives (no rate to divide by).
pub fn roc_curve(positive: &[bool], scores: &[f64]) -> Option<Curve> {
    let counts = cumulative_counts(positive, scores);
    let &(p, n) = counts.last()?;
    if p == 0.0 || n == 0.0 {
        return None;
    }
    let mut points = vec![(0.0, 0.0)];
    points.extend(counts.iter().map(|&(tp, fp)| (fp / n, tp / p)));
    let area = points.windows(2).map(|w| (w[1].0 - w[0].0) * (w[1].1 + w[0].1) / 2.0).sum();
    Some(Curve { points, area })
}

/// The precision–recall curve drawn as the step function whose area is the
/// average precision, `Σ (Rₙ − Rₙ₋₁) Pₙ` over the distinct scores from the highest
/// down (scikit-learn's `average_precision_score`, not the trapezoid, which is
/// optimistic): at each score that adds recall, a step across at its precision.
/// It starts at recall 0, precision 1. `None` without positives.
pub fn precision_recall_curve(positive: &[bool], scores: &[f64]) -> Option<Curve> {
    let counts = cumulative_counts(positive, scores);
    let &(p, _) = counts.last()?;
    if p == 0.0 {
        return None;
    }
    let mut points = vec![(0.0, 1.0)];
    let mut area = 0.0;
    let mut recall_before = 0.0;
    for &(tp, fp) in &counts {
        let (recall, precision) = (tp / p, tp / (tp + fp));
        // Scores that add only negatives add no area, and no step.
        if recall > recall_before {
            area += (recall - recall_before) * precision;
            points.push((recall_before, precision));
            points.push((recall, precision));
            recall_before = recall;
        }
    }
    Some(Curve { points, area })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// scikit-learn's documentation example: y = [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8].
    fn four_rows() -> (Vec<bool>, Vec<f64>) {
        (vec![false, false, true, true], vec![0.1, 0.4, 0.35, 0.8])
    }

    #[test]
    fn roc_of_four_rows_by_hand() {
        let (y, s) = four_rows();
        let roc = roc_curve(&y, &s).unwrap();
        // From the top score down: 0.8 (pos) → tpr ½; 0.4 (neg) → fpr ½;
        // 0.35 (pos) → tpr 1; 0.1 (neg) → fpr 1.
        assert_eq!(roc.points, vec![(0.0, 0.0), (0.0, 0.5), (0.5, 0.5), (0.5, 1.0), (1.0, 1.0)]);
        // Area: ½·½ (the column at fpr 0…½ of height ½) + ½·1 = 0.75, as roc_auc_score says.
        assert_eq!(roc.area, 0.75);
    }

    #[test]
    fn average_precision_of_four_rows_by_hand() {
        let (y, s) = four_rows();
        let pr = precision_recall_curve(&y, &s).unwrap();
        // Thresholds: recall ½ at precision 1, recall ½ at ½, recall 1 at ⅔, recall 1 at ½:
        // AP = ½·1 + 0·½ + ½·⅔ + 0·½ = 5/6 (average_precision_score gives 0.8333).
        assert!((pr.area - 5.0 / 6.0).abs() < 1e-12, "{}", pr.area);
        // Two steps, one per score that adds recall.
        assert_eq!(pr.points, vec![(0.0, 1.0), (0.0, 1.0), (0.5, 1.0), (0.5, 2.0 / 3.0), (1.0, 2.0 / 3.0)]);
    }

    #[test]
    fn perfect_reversed_and_tied_scores() {
        let y = [false, false, true, true];
        assert_eq!(roc_curve(&y, &[0.1, 0.2, 0.8, 0.9]).unwrap().area, 1.0);
        assert_eq!(precision_recall_curve(&y, &[0.1, 0.2, 0.8, 0.9]).unwrap().area, 1.0);
        assert_eq!(roc_curve(&y, &[0.9, 0.8, 0.2, 0.1]).unwrap().area, 0.0);
        // All scores tied: one step straight to (1, 1), half the area, as scikit-learn.
        let tied = roc_curve(&y, &[0.5; 4]).unwrap();
        assert_eq!(tied.points, vec![(0.0, 0.0), (1.0, 1.0)]);
        assert_eq!(tied.area, 0.5);
        assert_eq!(precision_recall_curve(&y, &[0.5; 4]).unwrap().area, 0.5);
        // A tie between one positive and one negative counts half: 3 of 4 pairs
        // ordered right plus ½ → (3 + ½) / 4.
        let y = [false, true, false, true];
        assert_eq!(roc_curve(&y, &[0.1, 0.4, 0.4, 0.9]).unwrap().area, 0.875);
    }

    #[test]
    fn one_sided_rows_have_no_curve() {
        assert_eq!(roc_curve(&[true, true], &[0.1, 0.9]), None);
        assert_eq!(roc_curve(&[false, false], &[0.1, 0.9]), None);
        assert_eq!(precision_recall_curve(&[false, false], &[0.1, 0.9]), None);
        assert_eq!(roc_curve(&[], &[]), None);
        // A NaN score ranks lowest instead of breaking the sort.
        assert_eq!(roc_curve(&[false, true], &[f64::NAN, 0.3]).unwrap().area, 1.0);
    }

    #[test]
    fn confusion_counts() {
        let m = confusion_matrix(&[0, 0, 1, 1, 2, 2], &[0, 1, 1, 1, 2, 0], 3);
        assert_eq!(m, vec![vec![1, 1, 0], vec![0, 2, 0], vec![1, 0, 1]]);
        assert_eq!(m.iter().flatten().sum::<usize>(), 6);
        // A label out of range is dropped rather than panicking.
        assert_eq!(confusion_matrix(&[0, 5], &[0, 0], 2), vec![vec![1, 0], vec![0, 0]]);
    }
}
