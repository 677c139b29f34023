use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// Row indices of the training and test parts, each in ascending order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Split {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

/// Splits rows so each class keeps its share in both parts: within each class
/// (in class order) the rows are shuffled with one seeded generator and the
/// first `round(n_c · test_fraction)` go to the test part, keeping at least one
/// row of every class for training.
pub fn stratified_split(labels: &[u32], n_classes: usize, test_fraction: f64, seed: u64) -> Split {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); n_classes];
    for (row, &c) in labels.iter().enumerate() {
        by_class[c as usize].push(row);
    }
    let mut split = Split { train: Vec::new(), test: Vec::new() };
    for mut rows in by_class {
        rows.shuffle(&mut rng);
        let n_test = test_count(rows.len(), test_fraction).min(rows.len().saturating_sub(1));
        split.test.extend_from_slice(&rows[..n_test]);
        split.train.extend_from_slice(&rows[n_test..]);
    }
    split.train.sort_unstable();
    split.test.sort_unstable();
    split
}

/// Splits `n` rows at random (for regression targets).
pub fn shuffle_split(n: usize, test_fraction: f64, seed: u64) -> Split {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut rows: Vec<usize> = (0..n).collect();
    rows.shuffle(&mut rng);
    let n_test = test_count(n, test_fraction).min(n.saturating_sub(1));
    let mut split = Split { test: rows[..n_test].to_vec(), train: rows[n_test..].to_vec() };
    split.train.sort_unstable();
    split.test.sort_unstable();
    split
}

fn test_count(n: usize, fraction: f64) -> usize {
    (n as f64 * fraction).round() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stratified_keeps_class_shares_and_is_seeded() {
        let labels: Vec<u32> = (0..150).map(|i| (i / 50) as u32).collect();
        let s = stratified_split(&labels, 3, 0.2, 42);
        assert_eq!((s.train.len(), s.test.len()), (120, 30));
        for c in 0..3 {
            assert_eq!(s.test.iter().filter(|&&r| labels[r] == c).count(), 10);
        }
        assert_eq!(s, stratified_split(&labels, 3, 0.2, 42));
        assert_ne!(s, stratified_split(&labels, 3, 0.2, 43));
        let mut all: Vec<usize> = s.train.iter().chain(&s.test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..150).collect::<Vec<_>>());
    }

    #[test]
    fn a_class_of_one_row_stays_in_training() {
        let s = stratified_split(&[0, 0, 0, 0, 0, 1], 2, 0.5, 1);
        assert!(s.train.contains(&5));
        // round(5 · 0.5) = 3 rows of class 0 go to test; the lone class-1 row stays.
        assert_eq!(s.test.len(), 3);
    }

    #[test]
    fn shuffle_split_covers_every_row_once() {
        let s = shuffle_split(442, 0.2, 7);
        assert_eq!((s.train.len(), s.test.len()), (354, 88));
        assert_eq!(shuffle_split(1, 0.2, 7), Split { train: vec![0], test: vec![] });
    }
}
