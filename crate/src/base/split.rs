use super::sort_with;
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

/// Why rows cannot be cut into the folds asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FoldError {
    /// Fewer than two folds leave no row to test on.
    TooFewFolds(usize),
    /// Every fold needs at least one row to test on.
    TooFewRows { k: usize, rows: usize },
    /// Grouped folds keep a group's rows together, so each needs a group.
    TooFewGroups { k: usize, groups: usize },
}

impl std::fmt::Display for FoldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FoldError::TooFewFolds(k) => write!(f, "Cross-validation needs at least 2 folds, not {k}."),
            FoldError::TooFewRows { k, rows } => {
                write!(f, "{k}-fold cross-validation needs at least {k} training rows; there are {rows}. Use fewer folds.")
            }
            FoldError::TooFewGroups { k, groups } => write!(
                f,
                "Grouped {k}-fold cross-validation needs at least {k} groups, and the group column has {groups}. \
                 Use fewer folds or another group column."
            ),
        }
    }
}

impl std::error::Error for FoldError {}

/// Checks that `k` folds can be cut from `rows` rows.
fn check_folds(k: usize, rows: usize) -> Result<(), FoldError> {
    if k < 2 {
        return Err(FoldError::TooFewFolds(k));
    }
    if rows < k {
        return Err(FoldError::TooFewRows { k, rows });
    }
    Ok(())
}

/// The folds from a fold number per row: fold `f` tests on the rows numbered
/// `f` and trains on the others.
fn folds_of(assigned: &[usize], k: usize) -> Vec<Split> {
    (0..k)
        .map(|f| {
            let (test, train): (Vec<usize>, Vec<usize>) = (0..assigned.len()).partition(|&r| assigned[r] == f);
            Split { train, test }
        })
        .collect()
}

/// Cuts `n` rows into `k` folds at random, sizes within one row of each other.
pub fn k_folds(n: usize, k: usize, seed: u64) -> Result<Vec<Split>, FoldError> {
    check_folds(k, n)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut rows: Vec<usize> = (0..n).collect();
    rows.shuffle(&mut rng);
    let mut assigned = vec![0; n];
    for (i, &r) in rows.iter().enumerate() {
        assigned[r] = i % k;
    }
    Ok(folds_of(&assigned, k))
}

/// Cuts rows into `k` folds that each keep every class's share: within each
/// class (in class order, rows shuffled with one seeded generator) rows are
/// dealt to the folds in turn, the turn running on from one class to the
/// next, so fold sizes differ by at most one row and a class's count per fold
/// by at most one. A class with fewer rows than folds is missing from some
/// folds' test rows, as in scikit-learn's `StratifiedKFold`.
pub fn stratified_k_folds(labels: &[u32], n_classes: usize, k: usize, seed: u64) -> Result<Vec<Split>, FoldError> {
    check_folds(k, labels.len())?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); n_classes];
    for (row, &c) in labels.iter().enumerate() {
        by_class[c as usize].push(row);
    }
    let mut assigned = vec![0; labels.len()];
    let mut turn = 0;
    for mut rows in by_class {
        rows.shuffle(&mut rng);
        for r in rows {
            assigned[r] = turn % k;
            turn += 1;
        }
    }
    Ok(folds_of(&assigned, k))
}

/// Cuts rows into `k` folds that keep each group's rows together (rows of one
/// patient, one family, one school), so no fold tests on a group it trained
/// on. Groups go, largest first, to the fold with the fewest rows so far (ties
/// to the lower group code and fold), as scikit-learn's `GroupKFold` does; no
/// seed, since nothing is drawn.
pub fn grouped_k_folds(groups: &[u32], k: usize) -> Result<Vec<Split>, FoldError> {
    check_folds(k, groups.len())?;
    let n_groups = groups.iter().map(|&g| g as usize + 1).max().unwrap_or(0);
    let mut sizes = vec![0usize; n_groups];
    for &g in groups {
        sizes[g as usize] += 1;
    }
    let present = sizes.iter().filter(|&&s| s > 0).count();
    if present < k {
        return Err(FoldError::TooFewGroups { k, groups: present });
    }
    let mut order: Vec<usize> = (0..n_groups).filter(|&g| sizes[g] > 0).collect();
    sort_with(&mut order, &|&a, &b| sizes[b].cmp(&sizes[a]).then(a.cmp(&b)));
    let mut fold_of_group = vec![0; n_groups];
    let mut fold_rows = vec![0usize; k];
    for g in order {
        let fold = (0..k).min_by_key(|&f| (fold_rows[f], f)).unwrap_or(0);
        fold_of_group[g] = fold;
        fold_rows[fold] += sizes[g];
    }
    let assigned: Vec<usize> = groups.iter().map(|&g| fold_of_group[g as usize]).collect();
    Ok(folds_of(&assigned, k))
}

/// Train on the past, test on the future: rows sorted by `order` (a date or
/// any ordering column; ties keep row order) are cut into `k + 1` blocks of
/// (nearly) equal size, and fold `f` tests on block `f + 1` after training on
/// every block before it, as scikit-learn's `TimeSeriesSplit`. No fold uses a
/// later row to predict an earlier one.
pub fn time_ordered_folds(order: &[f64], k: usize) -> Result<Vec<Split>, FoldError> {
    check_folds(k, order.len())?;
    if order.len() < k + 1 {
        return Err(FoldError::TooFewRows { k: k + 1, rows: order.len() });
    }
    let mut rows: Vec<usize> = (0..order.len()).collect();
    sort_with(&mut rows, &|&a, &b| order[a].total_cmp(&order[b]));
    let n = rows.len();
    // The first block takes the remainder, as TimeSeriesSplit's first train part.
    let test_size = n / (k + 1);
    let first = n - k * test_size;
    Ok((0..k)
        .map(|f| {
            let start = first + f * test_size;
            let mut train = rows[..start].to_vec();
            let mut test = rows[start..start + test_size].to_vec();
            train.sort_unstable();
            test.sort_unstable();
            Split { train, test }
        })
        .collect())
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

    /// Each row is tested exactly once over the folds, and never trained on in its own fold.
    fn assert_partition(folds: &[Split], n: usize) {
        let mut tested: Vec<usize> = folds.iter().flat_map(|f| f.test.iter().copied()).collect();
        tested.sort_unstable();
        assert_eq!(tested, (0..n).collect::<Vec<_>>());
        for f in folds {
            assert_eq!(f.train.len() + f.test.len(), n);
            assert!(f.test.iter().all(|r| f.train.binary_search(r).is_err()));
        }
    }

    #[test]
    fn k_folds_partition_the_rows_in_near_equal_seeded_parts() {
        let folds = k_folds(10, 3, 5).unwrap();
        assert_partition(&folds, 10);
        let sizes: Vec<usize> = folds.iter().map(|f| f.test.len()).collect();
        assert_eq!(sizes, vec![4, 3, 3]);
        assert_eq!(folds, k_folds(10, 3, 5).unwrap());
        assert_ne!(folds, k_folds(10, 3, 6).unwrap());
    }

    #[test]
    fn stratified_folds_keep_each_class_within_one_row_per_fold() {
        // 7 of class 0, 5 of class 1, 3 of class 2, in 3 folds: class 0 is dealt
        // 3,2,2 (turns 0..7), class 1 continues at turn 7 (fold 1): 1→2, 2→2, 0→1,
        // class 2 at turn 12 (fold 0): 1 each. Fold sizes 5, 5, 5.
        let labels: Vec<u32> = [vec![0; 7], vec![1; 5], vec![2; 3]].concat();
        let folds = stratified_k_folds(&labels, 3, 3, 1).unwrap();
        assert_partition(&folds, 15);
        let count = |f: &Split, c: u32| f.test.iter().filter(|&&r| labels[r] == c).count();
        let per_class: Vec<[usize; 3]> = folds.iter().map(|f| [count(f, 0), count(f, 1), count(f, 2)]).collect();
        assert_eq!(per_class, vec![[3, 1, 1], [2, 2, 1], [2, 2, 1]]);
    }

    #[test]
    fn grouped_folds_never_split_a_group() {
        // Group sizes 4, 3, 2, 2, 1, largest first into the fold with fewest rows:
        // g0 → fold 0 (4), g1 → fold 1 (3), g2 → fold 1 (5), g3 → fold 0 (6), g4 → fold 1 (6).
        let groups = [0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 4];
        let folds = grouped_k_folds(&groups, 2).unwrap();
        assert_partition(&folds, 12);
        let groups_in = |rows: &[usize]| {
            let mut g: Vec<u32> = rows.iter().map(|&r| groups[r]).collect();
            g.dedup();
            g
        };
        assert_eq!(groups_in(&folds[0].test), vec![0, 3]);
        assert_eq!(groups_in(&folds[1].test), vec![1, 2, 4]);
        assert_eq!(grouped_k_folds(&groups, 6), Err(FoldError::TooFewGroups { k: 6, groups: 5 }));
    }

    #[test]
    fn time_ordered_folds_test_only_on_the_future() {
        // Rows out of order in the table; by time: 3, 0, 4, 1, 5, 2, 6.
        let order = [2.0, 4.0, 6.0, 1.0, 3.0, 5.0, 7.0];
        let folds = time_ordered_folds(&order, 3).unwrap();
        // 7 rows in 3 + 1 blocks of 1 row, the first block taking the remainder (4 rows).
        assert_eq!(folds[0], Split { train: vec![0, 1, 3, 4], test: vec![5] });
        assert_eq!(folds[2], Split { train: vec![0, 1, 2, 3, 4, 5], test: vec![6] });
        for f in &folds {
            let latest_train = f.train.iter().map(|&r| order[r]).fold(f64::MIN, f64::max);
            assert!(f.test.iter().all(|&r| order[r] > latest_train));
        }
    }

    #[test]
    fn impossible_folds_say_why() {
        assert_eq!(k_folds(10, 1, 0), Err(FoldError::TooFewFolds(1)));
        assert_eq!(k_folds(3, 5, 0), Err(FoldError::TooFewRows { k: 5, rows: 3 }));
        assert_eq!(
            FoldError::TooFewRows { k: 5, rows: 3 }.to_string(),
            "5-fold cross-validation needs at least 5 training rows; there are 3. Use fewer folds."
        );
    }
}
