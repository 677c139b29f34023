//! Toy datasets drawn by rule, as TensorFlow Playground and scikit-learn's
//! `make_*` generators draw them: two features `x1` and `x2` and a target, a
//! pattern whose shape says which models can learn it (a straight line cannot
//! split circles or XOR; a shallow tree cannot follow a spiral).
//!
//! Every pattern spans about −1 … 1 on both axes, so one noise setting means
//! the same on all of them: the standard deviation of the Gaussian noise added
//! to each coordinate (for blobs, to the spread of each blob). A toy set is
//! written as CSV text and read like any file, so it is typed, summarised and
//! trained exactly as a dropped file would be.

use std::f64::consts::PI;
use std::fmt::Write;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::DataError;

/// Rows a toy set may have: enough to show a shape, few enough to retrain live.
pub const TOY_ROWS: std::ops::RangeInclusive<usize> = 20..=10_000;
/// Noise a toy set may have, in the patterns' units (they span about −1 … 1).
pub const TOY_NOISE: std::ops::RangeInclusive<f64> = 0.0..=1.0;
/// Classes a blob set may have.
pub const TOY_BLOBS: std::ops::RangeInclusive<usize> = 2..=6;

/// The patterns, by the id the page's `toy-select` uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ToyKind {
    /// A ring around a disc (scikit-learn's `make_circles`, inner radius ½).
    Circles,
    /// Two interleaving half circles (scikit-learn's `make_moons`).
    Moons,
    /// Quadrants: the class is whether `x1` and `x2` have the same sign.
    Xor,
    /// Two spirals winding around each other (TensorFlow Playground's).
    Spirals,
    /// Gaussian blobs around centres drawn in the square (`make_blobs`).
    Blobs,
    /// A value: `y = 2·x1 − x2 + ½` plus noise, for regression.
    Linear,
}

impl ToyKind {
    pub const ALL: [ToyKind; 6] =
        [ToyKind::Circles, ToyKind::Moons, ToyKind::Xor, ToyKind::Spirals, ToyKind::Blobs, ToyKind::Linear];

    /// The id in the page and in links.
    pub fn id(self) -> &'static str {
        match self {
            ToyKind::Circles => "circles",
            ToyKind::Moons => "moons",
            ToyKind::Xor => "xor",
            ToyKind::Spirals => "spirals",
            ToyKind::Blobs => "blobs",
            ToyKind::Linear => "linear",
        }
    }

    pub fn from_id(id: &str) -> Option<ToyKind> {
        ToyKind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// What the person sees in the picker.
    pub fn label(self) -> &'static str {
        match self {
            ToyKind::Circles => "circles (a ring around a disc)",
            ToyKind::Moons => "moons (two half circles)",
            ToyKind::Xor => "XOR (quadrants)",
            ToyKind::Spirals => "spirals",
            ToyKind::Blobs => "blobs (Gaussian clusters)",
            ToyKind::Linear => "linear trend (a value to predict)",
        }
    }

    /// The target column's name: the last column of the set.
    pub fn target(self) -> &'static str {
        match self {
            ToyKind::Linear => "y",
            _ => "class",
        }
    }
}

/// A toy set to draw: which pattern, how many rows, how noisy, from which seed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ToySpec {
    pub kind: ToyKind,
    pub rows: usize,
    pub noise: f64,
    pub seed: u64,
    /// Classes, for blobs only (the others have two, or a value).
    pub classes: usize,
}

impl ToySpec {
    /// The set's name in the summary, with what reproduces it.
    pub fn name(&self) -> String {
        let blobs = if self.kind == ToyKind::Blobs { format!(", {} classes", self.classes) } else { String::new() };
        format!("{} ({} rows{blobs}, noise {}, seed {})", self.kind.id(), self.rows, self.noise, self.seed)
    }

    /// Refuses settings outside the ranges above, by name.
    pub fn check(&self) -> Result<(), DataError> {
        let bad = |what: String| Err(DataError::Toy { what });
        if !TOY_ROWS.contains(&self.rows) {
            return bad(format!("{} rows: choose {} to {}", self.rows, TOY_ROWS.start(), TOY_ROWS.end()));
        }
        if !TOY_NOISE.contains(&self.noise) {
            return bad(format!("noise {}: choose {} to {}", self.noise, TOY_NOISE.start(), TOY_NOISE.end()));
        }
        if self.kind == ToyKind::Blobs && !TOY_BLOBS.contains(&self.classes) {
            return bad(format!("{} blobs: choose {} to {}", self.classes, TOY_BLOBS.start(), TOY_BLOBS.end()));
        }
        Ok(())
    }

    /// The classes of the set, in the order they take turns; none for a value.
    pub fn labels(&self) -> Vec<String> {
        let two = |a: &str, b: &str| vec![a.to_string(), b.to_string()];
        match self.kind {
            ToyKind::Circles => two("outer", "inner"),
            ToyKind::Moons => two("upper", "lower"),
            ToyKind::Xor => two("same sign", "opposite signs"),
            ToyKind::Spirals => two("spiral 1", "spiral 2"),
            ToyKind::Blobs => (1..=self.classes).map(|b| format!("blob {b}")).collect(),
            ToyKind::Linear => Vec::new(),
        }
    }

    /// The set as CSV text: header `x1,x2,<target>`, one line per row, classes
    /// in turn so that every class has its share of the rows.
    pub fn csv(&self) -> Result<String, DataError> {
        self.check()?;
        let labels = self.labels();
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let points = match self.kind {
            ToyKind::Circles => two_classes(self.rows, &labels, |class, i, n| {
                let angle = 2.0 * PI * i as f64 / n as f64;
                let radius = if class == 0 { 1.0 } else { 0.5 };
                (radius * angle.cos(), radius * angle.sin())
            }),
            ToyKind::Moons => two_classes(self.rows, &labels, |class, i, n| {
                let angle = PI * i as f64 / (n.max(2) - 1) as f64;
                if class == 0 {
                    (angle.cos(), angle.sin())
                } else {
                    (1.0 - angle.cos(), 0.5 - angle.sin())
                }
            }),
            ToyKind::Spirals => two_classes(self.rows, &labels, |class, i, n| {
                let radius = i as f64 / n as f64;
                let angle = 1.75 * radius * 2.0 * PI + PI * class as f64;
                (radius * angle.sin(), radius * angle.cos())
            }),
            ToyKind::Xor => (0..self.rows)
                .map(|_| {
                    // Kept off the axes, as TensorFlow Playground does, so the quadrants read at a glance.
                    let mut coordinate = || {
                        let v: f64 = rng.random_range(0.05..1.0);
                        if rng.random::<bool>() {
                            v
                        } else {
                            -v
                        }
                    };
                    let (x, y) = (coordinate(), coordinate());
                    (x, y, labels[usize::from((x > 0.0) != (y > 0.0))].clone())
                })
                .collect(),
            ToyKind::Blobs => {
                let centres: Vec<(f64, f64)> =
                    (0..self.classes).map(|_| (rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0))).collect();
                (0..self.rows)
                    .map(|i| {
                        let (cx, cy) = centres[i % self.classes];
                        (cx, cy, labels[i % self.classes].clone())
                    })
                    .collect()
            }
            ToyKind::Linear => (0..self.rows)
                .map(|_| {
                    let (x, y) = (rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0));
                    (x, y, String::new())
                })
                .collect::<Vec<_>>(),
        };
        // Blobs always spread a little, so that zero noise still shows clusters, not points.
        let spread = if self.kind == ToyKind::Blobs { 0.1 + self.noise } else { self.noise };
        let mut text = format!("x1,x2,{}\n", self.kind.target());
        for (x, y, label) in points {
            let x = x + spread * gaussian(&mut rng);
            let y = y + spread * gaussian(&mut rng);
            // `write!` into a String cannot fail.
            let _ = if self.kind == ToyKind::Linear {
                let value = 2.0 * x - y + 0.5 + self.noise * gaussian(&mut rng);
                writeln!(text, "{x:.4},{y:.4},{value:.4}")
            } else {
                writeln!(text, "{x:.4},{y:.4},{label}")
            };
        }
        Ok(text)
    }
}

/// A point a person adds to a toy set by clicking the plot, or removes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ToyEdit {
    Add {
        x1: f64,
        x2: f64,
        class: String,
    },
    /// Table row `row` (a row of the set as it is now).
    Remove {
        row: usize,
    },
}

/// A toy set as drawn, then edited by hand: its CSV lines, kept so that a
/// point can be added or removed and the table read again.
#[derive(Clone, Debug, PartialEq)]
pub struct ToyTable {
    spec: ToySpec,
    header: String,
    lines: Vec<String>,
    /// The edits made, in order: with the spec, what a link replays.
    edits: Vec<ToyEdit>,
}

impl ToyTable {
    pub fn draw(spec: &ToySpec) -> Result<ToyTable, DataError> {
        let text = spec.csv()?;
        let mut lines = text.lines().map(str::to_string);
        let header = lines.next().unwrap_or_default();
        Ok(ToyTable { spec: spec.clone(), header, lines: lines.collect(), edits: Vec::new() })
    }

    /// The set's name, with what the hand changed.
    pub fn name(&self) -> String {
        let added = self.edits.iter().filter(|e| matches!(e, ToyEdit::Add { .. })).count();
        match (added, self.edits.len() - added) {
            (0, 0) => self.spec.name(),
            (a, r) => format!("{}, {a} points added and {r} removed by hand", self.spec.name()),
        }
    }

    pub fn csv(&self) -> String {
        let mut text = self.header.clone();
        for line in &self.lines {
            text.push('\n');
            text.push_str(line);
        }
        text.push('\n');
        text
    }

    /// Adds or removes a point, refusing a class the set does not have, a
    /// place off the numbers, or a size outside [`TOY_ROWS`].
    pub fn edit(&mut self, edit: &ToyEdit) -> Result<(), DataError> {
        let bad = |what: String| Err(DataError::Toy { what });
        match edit {
            ToyEdit::Add { x1, x2, class } => {
                if !self.spec.labels().contains(class) {
                    return bad(format!("a point of class '{class}', which the {} set does not have", self.spec.kind.id()));
                }
                if !(x1.is_finite() && x2.is_finite()) {
                    return bad(format!("a point at ({x1}, {x2})"));
                }
                if self.lines.len() >= *TOY_ROWS.end() {
                    return bad(format!("more than {} rows", TOY_ROWS.end()));
                }
                self.lines.push(format!("{x1:.4},{x2:.4},{class}"));
            }
            ToyEdit::Remove { row } => {
                if *row >= self.lines.len() {
                    return bad(format!("row {row} removed: it has {} rows", self.lines.len()));
                }
                if self.lines.len() <= *TOY_ROWS.start() {
                    return bad(format!("fewer than {} rows", TOY_ROWS.start()));
                }
                self.lines.remove(*row);
            }
        }
        self.edits.push(edit.clone());
        Ok(())
    }

    /// The edits made since the set was drawn, in order.
    pub fn edits(&self) -> &[ToyEdit] {
        &self.edits
    }
}

/// `rows` points of two classes, alternating, each class's `i`-th of `n`
/// points placed by `place(class, i, n)`.
fn two_classes(
    rows: usize,
    labels: &[String],
    place: impl Fn(usize, usize, usize) -> (f64, f64),
) -> Vec<(f64, f64, String)> {
    let counts = [rows.div_ceil(2), rows / 2];
    (0..rows)
        .map(|row| {
            let (class, i) = (row % 2, row / 2);
            let (x, y) = place(class, i, counts[class]);
            (x, y, labels[class].clone())
        })
        .collect()
}

/// A standard normal draw (Box–Muller), so that no distribution crate is needed.
fn gaussian(rng: &mut ChaCha8Rng) -> f64 {
    let u: f64 = 1.0 - rng.random::<f64>(); // in (0, 1], so the logarithm is finite
    let v: f64 = rng.random();
    (-2.0 * u.ln()).sqrt() * (2.0 * PI * v).cos()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::read_csv;

    fn spec(kind: ToyKind, noise: f64) -> ToySpec {
        ToySpec { kind, rows: 200, noise, seed: 7, classes: 3 }
    }

    fn rows(spec: &ToySpec) -> Vec<(f64, f64, String)> {
        let text = spec.csv().unwrap();
        text.lines()
            .skip(1)
            .map(|line| {
                let cells: Vec<&str> = line.split(',').collect();
                (cells[0].parse().unwrap(), cells[1].parse().unwrap(), cells[2].to_string())
            })
            .collect()
    }

    #[test]
    fn every_pattern_reads_as_a_table_with_its_target_last() {
        for kind in ToyKind::ALL {
            let spec = spec(kind, 0.1);
            let table = read_csv(spec.csv().unwrap().as_bytes()).unwrap();
            assert_eq!(table.n_rows, 200, "{kind:?}");
            let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
            assert_eq!(names, ["x1", "x2", kind.target()]);
            assert!(table.warnings.is_empty(), "{kind:?}: {:?}", table.warnings);
        }
    }

    #[test]
    fn without_noise_each_pattern_has_its_shape() {
        let radius = |(x, y, _): &(f64, f64, String)| (x * x + y * y).sqrt();
        for (x, y, label) in rows(&spec(ToyKind::Circles, 0.0)) {
            let expected = if label == "outer" { 1.0 } else { 0.5 };
            assert!((radius(&(x, y, label)) - expected).abs() < 1e-3);
        }
        for (x, y, label) in rows(&spec(ToyKind::Xor, 0.0)) {
            assert!(x.abs() >= 0.05 && y.abs() >= 0.05);
            assert_eq!(label == "same sign", x * y > 0.0);
        }
        // The moons interleave: the upper one's tips sit level with the lower one's middle.
        let moons = rows(&spec(ToyKind::Moons, 0.0));
        let upper_y = moons.iter().filter(|r| r.2 == "upper").map(|r| r.1).fold(f64::INFINITY, f64::min);
        let lower_y = moons.iter().filter(|r| r.2 == "lower").map(|r| r.1).fold(f64::NEG_INFINITY, f64::max);
        assert!((upper_y - 0.0).abs() < 1e-3 && (lower_y - 0.5).abs() < 1e-3, "{upper_y} {lower_y}");
        // Spirals wind outwards: radius grows along each spiral, both start at the centre.
        let spirals = rows(&spec(ToyKind::Spirals, 0.0));
        let first: Vec<f64> = spirals.iter().filter(|r| r.2 == "spiral 1").map(radius).collect();
        assert!(first.windows(2).all(|w| w[1] > w[0]) && first[0] < 1e-3);
        // Blobs: one label per blob asked for.
        let blobs = rows(&spec(ToyKind::Blobs, 0.0));
        let labels: std::collections::BTreeSet<&str> = blobs.iter().map(|r| r.2.as_str()).collect();
        assert_eq!(labels.into_iter().collect::<Vec<_>>(), ["blob 1", "blob 2", "blob 3"]);
        // A value with no noise is the line exactly (to the 4 decimals written).
        for (x, y, value) in rows(&spec(ToyKind::Linear, 0.0)) {
            let value: f64 = value.parse().unwrap();
            assert!((value - (2.0 * x - y + 0.5)).abs() < 1e-3);
        }
    }

    #[test]
    fn noise_spreads_the_points_as_much_as_asked() {
        let off = |noise: f64| {
            let r: Vec<f64> = rows(&ToySpec { rows: 4000, ..spec(ToyKind::Circles, noise) })
                .iter()
                .map(|(x, y, l)| (x * x + y * y).sqrt() - if l == "outer" { 1.0 } else { 0.5 })
                .collect();
            (r.iter().map(|d| d * d).sum::<f64>() / r.len() as f64).sqrt()
        };
        // Radial deviation of 2-D noise of standard deviation s is about s (for s small against the radius).
        assert!((off(0.05) - 0.05).abs() < 0.01, "{}", off(0.05));
        assert!(off(0.2) > 3.0 * off(0.05));
    }

    #[test]
    fn points_added_and_removed_by_hand_are_rows_of_the_table() {
        let mut toy = ToyTable::draw(&ToySpec { rows: 20, ..spec(ToyKind::Moons, 0.1) }).unwrap();
        toy.edit(&ToyEdit::Add { x1: 0.5, x2: -0.25, class: "lower".into() }).unwrap();
        let table = read_csv(toy.csv().as_bytes()).unwrap();
        assert_eq!(table.n_rows, 21);
        assert_eq!(table.columns[0].numbers().unwrap()[20], 0.5);
        toy.edit(&ToyEdit::Remove { row: 0 }).unwrap();
        let table = read_csv(toy.csv().as_bytes()).unwrap();
        assert_eq!(table.n_rows, 20);
        assert_eq!(table.columns[1].numbers().unwrap()[19], -0.25, "the added point is now the last of 20");
        assert_eq!(toy.name(), "moons (20 rows, noise 0.1, seed 7), 1 points added and 1 removed by hand");
        // A set keeps at least 20 rows, its own classes, and numbers.
        let refused = |toy: &mut ToyTable, edit: ToyEdit| toy.edit(&edit).unwrap_err().to_string();
        assert!(refused(&mut toy, ToyEdit::Remove { row: 3 }).contains("fewer than 20 rows"));
        assert!(refused(&mut toy, ToyEdit::Add { x1: 0.0, x2: 0.0, class: "blob 1".into() }).contains("'blob 1'"));
        assert!(refused(&mut toy, ToyEdit::Add { x1: f64::NAN, x2: 0.0, class: "upper".into() }).contains("(NaN, 0)"));
        assert!(refused(&mut toy, ToyEdit::Remove { row: 99 }).contains("it has 20 rows"));
        assert_eq!(read_csv(toy.csv().as_bytes()).unwrap().n_rows, 20, "a refused edit changes nothing");
    }

    #[test]
    fn the_seed_decides_the_rows() {
        let a = spec(ToyKind::Moons, 0.3);
        assert_eq!(a.csv().unwrap(), a.csv().unwrap());
        assert_ne!(a.csv().unwrap(), ToySpec { seed: 8, ..a.clone() }.csv().unwrap());
    }

    #[test]
    fn settings_out_of_range_are_refused_by_name() {
        let refused = |s: ToySpec| s.csv().unwrap_err().to_string();
        assert!(refused(ToySpec { rows: 5, ..spec(ToyKind::Xor, 0.1) }).contains("5 rows: choose 20 to 10000"));
        assert!(refused(spec(ToyKind::Xor, 1.5)).contains("noise 1.5"));
        assert!(refused(spec(ToyKind::Xor, f64::NAN)).contains("noise NaN"));
        assert!(refused(ToySpec { classes: 9, ..spec(ToyKind::Blobs, 0.1) }).contains("9 blobs"));
        // Classes matter only for blobs.
        assert!(ToySpec { classes: 0, ..spec(ToyKind::Moons, 0.1) }.csv().is_ok());
    }
}
