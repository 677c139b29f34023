//! What accuracy costs: models as points of test score against size or speed,
//! with the Pareto front (the models no other model beats on both) marked.

use serde::{Deserialize, Serialize};

/// Test score against a cost (smaller is better) for a few models.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParetoView {
    pub title: String,
    /// The cost, e.g. "parameters (log scale)".
    pub x_label: String,
    /// The score, e.g. "test accuracy".
    pub y_label: String,
    pub points: Vec<ParetoPoint>,
    /// Arrows from one point to another, by index into `points`: a teacher
    /// to the student distilled from it.
    #[serde(default)]
    pub arrows: Vec<(usize, usize)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParetoPoint {
    pub name: String,
    /// The cost: drawn on a log scale, as sizes span orders of magnitude.
    pub cost: f64,
    pub score: f64,
    /// No other model is at least as good on both and better on one.
    pub on_front: bool,
    /// The trained model as exported code, its cost the bytes of its
    /// constants at one precision (f32, f16, int8): drawn hollow.
    #[serde(default)]
    pub exported: bool,
}

impl ParetoView {
    /// Builds the view from `(name, cost, score)` and marks the front.
    pub fn new(title: String, x_label: String, y_label: String, models: Vec<(String, f64, f64)>) -> ParetoView {
        let costs: Vec<(f64, f64)> = models.iter().map(|(_, c, s)| (*c, *s)).collect();
        let front = pareto_front(&costs);
        let points = models
            .into_iter()
            .zip(front)
            .map(|((name, cost, score), on_front)| ParetoPoint { name, cost, score, on_front, exported: false })
            .collect();
        ParetoView { title, x_label, y_label, points, arrows: Vec::new() }
    }

    /// The front's models from cheapest to costliest, for a text alternative.
    pub fn front_names(&self) -> Vec<&str> {
        let mut front: Vec<&ParetoPoint> = self.points.iter().filter(|p| p.on_front).collect();
        front.sort_by(|a, b| a.cost.total_cmp(&b.cost));
        front.into_iter().map(|p| p.name.as_str()).collect()
    }
}

/// Whether each `(cost, score)` is on the Pareto front: no other point has a
/// cost at most as high and a score at least as high, with one of the two
/// strictly better. A point that is not finite is never on the front.
pub fn pareto_front(points: &[(f64, f64)]) -> Vec<bool> {
    let finite = |&(c, s): &(f64, f64)| c.is_finite() && s.is_finite();
    points
        .iter()
        .map(|p| finite(p) && !points.iter().any(|q| finite(q) && q.0 <= p.0 && q.1 >= p.1 && (q.0 < p.0 || q.1 > p.1)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_front_keeps_what_nothing_beats() {
        // (cost, score): a tiny weak model, a small good one, a big slightly better one,
        // a big worse one (beaten by the small good one) and a twin of the small one.
        let points = [(5.0, 0.70), (50.0, 0.95), (5000.0, 0.97), (8000.0, 0.90), (50.0, 0.95), (f64::NAN, 1.0)];
        assert_eq!(pareto_front(&points), vec![true, true, true, false, true, false]);
    }

    #[test]
    fn front_names_run_from_cheap_to_costly() {
        let view = ParetoView::new(
            "t".into(),
            "x".into(),
            "y".into(),
            vec![("forest".into(), 9000.0, 0.97), ("tree".into(), 50.0, 0.95), ("knn".into(), 20000.0, 0.93)],
        );
        assert_eq!(view.front_names(), vec!["tree", "forest"]);
        assert!(!view.points[2].on_front);
    }
}
