//! Counterfactuals: the smallest change to a row's numeric features that
//! makes a classifier answer another class. Distances are Euclidean (L2) in
//! standard deviations of each feature over the training rows, so a change of
//! 1 in any feature is "one typical spread" of it, whatever its units.
//!
//! Everything here works in those units, with the row at the origin and one
//! coordinate per feature the person allows to change. Three ways to find the
//! change:
//! - a single decision tree: exact, from the leaves' boxes ([`nearest_leaf`]);
//! - a linear model: exact, from the decision hyperplanes ([`nearest_hyperplane`]);
//! - any other model: a seeded search ([`search`]), verified by predicting.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::base::{value_of, FeatureValue, SplitRule};
use crate::model::view::TreeView;

/// Where a tree's box edge is crossed: this far (in standard deviations)
/// beyond its threshold, so the point is strictly on the other side whatever
/// rounding the model's inputs go through.
pub const EDGE: f64 = 1e-4;

/// The features a counterfactual may change, around the row: each one's
/// name, the row's value and its standard deviation over the training rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Space {
    pub names: Vec<String>,
    pub origin: Vec<f64>,
    pub scale: Vec<f64>,
}

impl Space {
    /// The features' values after a change of `delta` standard deviations.
    pub fn values(&self, delta: &[f64]) -> Vec<f64> {
        self.origin.iter().zip(&self.scale).zip(delta).map(|((o, s), d)| o + s * d).collect()
    }
}

/// Length of a change in standard deviations (L2).
pub fn norm(delta: &[f64]) -> f64 {
    delta.iter().map(|d| d * d).sum::<f64>().sqrt()
}

/// How a counterfactual was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    /// The nearest point of the nearest leaf of another class.
    TreeLeaves,
    /// The nearest point of the nearest decision hyperplane.
    Hyperplanes,
    /// Random directions from the row, bisected to the boundary, then refined.
    Search,
}

impl Method {
    /// Whether no smaller change exists (up to [`EDGE`]).
    pub fn exact(self) -> bool {
        !matches!(self, Method::Search)
    }
}

/// The nearest point (in the space's units) of the nearest leaf of `tree`
/// that predicts another class than `predicted`: each leaf is a box, bounded
/// on the allowed features by its path's thresholds; a path that asks
/// another value of a feature that may not change (a category, a number held)
/// rules its leaf out. `row` holds the row's value of every feature the tree
/// splits on. `None` when a split reads an input that is not one of the
/// row's features (a principal component), where leaves are not boxes in
/// these features: then only a search can answer.
pub fn nearest_leaf(
    tree: &TreeView,
    space: &Space,
    row: &[(String, FeatureValue)],
    predicted: usize,
) -> Option<Option<Vec<f64>>> {
    let dims = space.names.len();
    // Depth-first, each node with its box: (low, high] per allowed feature.
    let mut stack = vec![(0usize, vec![(f64::NEG_INFINITY, f64::INFINITY); dims])];
    let mut best: Option<Vec<f64>> = None;
    while let Some((at, bounds)) = stack.pop() {
        let node = tree.nodes.get(at)?;
        let Some(split) = &node.split else {
            if node.value.majority().is_some_and(|c| c != predicted) {
                let delta: Vec<f64> = bounds
                    .iter()
                    .map(|&(lo, hi)| {
                        if lo >= 0.0 {
                            lo + EDGE
                        } else if hi < 0.0 {
                            hi
                        } else {
                            0.0
                        }
                    })
                    .collect();
                if best.as_ref().is_none_or(|b| norm(&delta) < norm(b)) {
                    best = Some(delta);
                }
            }
            continue;
        };
        let dim = space.names.iter().position(|n| *n == split.feature);
        let (left, right) = match (&split.rule, dim, value_of(row, &split.feature)) {
            (SplitRule::AtMost { threshold }, Some(j), _) => {
                // In the space's units: the threshold's distance from the row.
                let t = (threshold - space.origin[j]) / space.scale[j];
                let mut l = bounds.clone();
                l[j].1 = l[j].1.min(t);
                let mut r = bounds;
                r[j].0 = r[j].0.max(t);
                (Some(l), Some(r))
            }
            (rule, None, Some(value)) => {
                let goes_left = match (rule, value) {
                    (SplitRule::AtMost { threshold }, FeatureValue::Number(v)) => v <= threshold,
                    (SplitRule::IsNot { level }, FeatureValue::Level(l)) => l != level,
                    (SplitRule::IsFalse, FeatureValue::Flag(b)) => !b,
                    _ => return None,
                };
                if goes_left {
                    (Some(bounds), None)
                } else {
                    (None, Some(bounds))
                }
            }
            _ => return None,
        };
        let empty = |b: &Vec<(f64, f64)>| b.iter().any(|(lo, hi)| lo >= hi);
        for (child, b) in [(split.right, right), (split.left, left)] {
            if let Some(b) = b.filter(|b| !empty(b)) {
                stack.push((child, b));
            }
        }
    }
    Some(best)
}

/// For a linear classifier, another class's score minus the predicted
/// class's at the row, and that difference's gradient per standard deviation
/// of each feature.
pub type Margin = (f64, Vec<f64>);

/// The nearest point where a linear classifier stops answering its class:
/// `margins` holds, for each other class, its score minus the predicted
/// class's score at the row (negative: the predicted class wins) and that
/// difference's gradient in the space's units. The predicted class's region
/// is the intersection of the half-spaces where every difference is negative,
/// so the nearest point outside it is the nearest projection onto one of
/// their hyperplanes, pushed a hair ([`EDGE`]) beyond it. `None` when no
/// allowed feature moves any difference.
pub fn nearest_hyperplane(margins: &[Margin]) -> Option<Vec<f64>> {
    margins
        .iter()
        .filter_map(|(h, g)| {
            let g2: f64 = g.iter().map(|v| v * v).sum();
            (g2 > 0.0 && h.is_finite()).then(|| {
                let step = -h / g2 + EDGE / g2.sqrt();
                g.iter().map(|v| v * step).collect::<Vec<f64>>()
            })
        })
        .min_by(|a, b| norm(a).total_cmp(&norm(b)))
}

/// How far the search looks, in standard deviations from the row.
pub const SEARCH_REACH: f64 = 6.0;
/// Random directions tried, besides each feature's two axis directions.
const DIRECTIONS: usize = 96;
/// Points probed along each direction before bisecting.
const STEPS: usize = 48;
/// Bisection steps along a direction, and per refinement move.
const BISECT: usize = 24;

/// A seeded search for a small change that `flips` (given a batch of changes,
/// whether each gives another class): along the feature axes and random
/// directions, the first flip within [`SEARCH_REACH`] bisected to the
/// boundary; then the best is refined by shrinking each coordinate in turn
/// while it still flips, and bisected along its ray again. Not exact, but
/// every answer is a change that flips.
pub fn search(dims: usize, flips: &mut dyn FnMut(&[Vec<f64>]) -> Vec<bool>, seed: u64) -> Option<Vec<f64>> {
    if dims == 0 {
        return None;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut directions: Vec<Vec<f64>> = Vec::new();
    for j in 0..dims {
        for sign in [-1.0, 1.0] {
            let mut d = vec![0.0; dims];
            d[j] = sign;
            directions.push(d);
        }
    }
    for _ in 0..DIRECTIONS {
        // A normal vector (Box–Muller), made unit: uniform over the sphere.
        let d: Vec<f64> = (0..dims)
            .map(|_| {
                let (u, v): (f64, f64) = (rng.random_range(f64::EPSILON..1.0), rng.random_range(0.0..1.0));
                (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
            })
            .collect();
        let n = norm(&d);
        if n > 0.0 {
            directions.push(d.iter().map(|v| v / n).collect());
        }
    }
    // Every direction's probes in one batch.
    let radii: Vec<f64> = (1..=STEPS).map(|i| SEARCH_REACH * i as f64 / STEPS as f64).collect();
    let probes: Vec<Vec<f64>> =
        directions.iter().flat_map(|d| radii.iter().map(move |r| d.iter().map(|v| v * r).collect())).collect();
    let flipped = flips(&probes);
    let mut best: Option<Vec<f64>> = None;
    for (d, hits) in directions.iter().zip(flipped.chunks(STEPS)) {
        let Some(first) = hits.iter().position(|&f| f) else { continue };
        let lo = if first == 0 { 0.0 } else { radii[first - 1] };
        let point = bisect(d, lo, radii[first], flips);
        if best.as_ref().is_none_or(|b| norm(&point) < norm(b)) {
            best = Some(point);
        }
    }
    let mut best = best?;
    // Refine: shrink one coordinate at a time towards the row while the change
    // still flips, then pull the whole change back along its ray.
    for _ in 0..3 {
        for j in 0..dims {
            let keep = |t: f64| {
                let mut p = best.clone();
                p[j] *= t;
                p
            };
            let (mut lo, mut hi) = (0.0, 1.0);
            if flips(&[keep(0.0)])[0] {
                hi = 0.0;
            } else {
                for _ in 0..BISECT {
                    let mid = 0.5 * (lo + hi);
                    if flips(&[keep(mid)])[0] {
                        hi = mid;
                    } else {
                        lo = mid;
                    }
                }
            }
            best = keep(hi);
        }
        let n = norm(&best);
        let unit: Vec<f64> = best.iter().map(|v| v / n).collect();
        best = bisect(&unit, 0.0, n, flips);
    }
    Some(best)
}

/// The point along unit direction `d` at the flip between radius `lo` (no
/// flip) and `hi` (a flip), on the flipping side.
fn bisect(d: &[f64], mut lo: f64, mut hi: f64, flips: &mut dyn FnMut(&[Vec<f64>]) -> Vec<bool>) -> Vec<f64> {
    let at = |r: f64| d.iter().map(|v| v * r).collect::<Vec<f64>>();
    for _ in 0..BISECT {
        let mid = 0.5 * (lo + hi);
        if flips(&[at(mid)])[0] {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    at(hi)
}

#[cfg(test)]
mod tests;
