//! Each step's numbers worked by hand, through the whole pipeline.

use super::super::spec::{Binning, CategoryEncoding, Fill, GroupStat, Keep, PipelineSpec, Scaler, StepSpec};
use super::super::{Pipeline, PrepError};
use super::*;
use crate::base::{FeatureValue, Target};
use crate::data::{read_csv, ColumnKind, Table};

fn close(got: f32, want: f64) -> bool {
    (got as f64 - want).abs() < 1e-5
}

/// Imputation by median and one-hot encoding, then `steps`.
fn spec(steps: Vec<StepSpec>) -> PipelineSpec {
    let mut all = vec![
        StepSpec::Impute { numbers: Fill::Median, indicator: false },
        StepSpec::Encode { encoding: CategoryEncoding::OneHot, min_count: 0 },
    ];
    all.extend(steps);
    PipelineSpec { steps: all }
}

/// Every column of `table` but the last as a feature of its inferred kind.
fn features(table: &Table) -> Vec<(usize, ColumnKind)> {
    table.columns[..table.columns.len() - 1].iter().enumerate().map(|(i, c)| (i, c.inferred)).collect()
}

fn fit(table: &Table, rows: &[usize], spec: &PipelineSpec) -> Result<Pipeline, PrepError> {
    Pipeline::fit(table, &features(table), rows, &Target::Unlabeled { n_rows: rows.len() }, spec)
}

fn all(table: &Table) -> Vec<usize> {
    (0..table.n_rows).collect()
}

#[test]
fn a_four_row_pca_by_hand() {
    // Centred already; covariance (n − 1 = 3) [[20/3, 16/3], [16/3, 20/3]]:
    // eigenvalues 12 and 4/3 along (1, 1)/√2 and (1, −1)/√2, so 90 % and 10 %.
    let t = read_csv(b"x,y,z\n3,3,a\n-3,-3,b\n1,-1,a\n-1,1,b\n").unwrap();
    let p = fit(&t, &all(&t), &spec(vec![StepSpec::Pca { keep: Keep::Components(2) }])).unwrap();
    let report = p.report().steps[2].pca.clone().unwrap();
    assert!((report.explained[0] - 0.9).abs() < 1e-12 && (report.explained[1] - 0.1).abs() < 1e-12, "{report:?}");
    let h = std::f64::consts::FRAC_1_SQRT_2;
    assert!(report.loadings[0].iter().all(|w| (w.abs() - h).abs() < 1e-12));
    assert!((report.loadings[0][0] * report.loadings[0][1] - 0.5).abs() < 1e-12, "PC1 along (1, 1)");
    assert!((report.loadings[1][0] * report.loadings[1][1] + 0.5).abs() < 1e-12, "PC2 along (1, −1)");
    assert_eq!(p.report().inputs, ["PC1", "PC2"]);
    let x = p.transform(&t, &all(&t));
    // Row 0 (3, 3) lies 6/√2 along PC1 and 0 along PC2.
    assert!(close(x.column(0)[0].abs(), 6.0 * h) && close(x.column(1)[0], 0.0));
    // Row 2 (1, −1): 0 along PC1, 2/√2 along PC2.
    assert!(close(x.column(0)[2], 0.0) && close(x.column(1)[2].abs(), 2.0 * h));
    // By variance: 90 % is one component, 95 % two.
    let keep =
        |share| fit(&t, &all(&t), &spec(vec![StepSpec::Pca { keep: Keep::Variance(share) }])).unwrap().features().len();
    assert_eq!((keep(0.85), keep(0.9), keep(0.95)), (1, 1, 2));
    // Nothing to undo: a centroid on x has no place once x is mixed into components.
    assert_eq!(p.decode_value(0, &[1.0, 1.0]), None);
    assert_eq!(p.input_sources(), vec![vec![0, 1], vec![0, 1]]);
}

#[test]
fn robust_and_min_max_scaling_by_hand() {
    let t = read_csv(b"x,y\n1,a\n2,a\n3,b\n4,b\n100,b\n").unwrap();
    // Median 3; quartiles 2 and 4 (linear between ranks): IQR 2.
    let robust = fit(&t, &all(&t), &spec(vec![StepSpec::Scale { scaler: Scaler::Robust, columns: vec![] }])).unwrap();
    assert_eq!(robust.transform(&t, &all(&t)).column(0), &[-1.0, -0.5, 0.0, 0.5, 48.5]);
    assert_eq!(robust.decode_value(0, &[48.5]), Some(100.0));
    // Four values 1, 2, 3, 10: quartiles at ranks 0.75 and 2.25 are 1.75 and 4.75, median 2.5.
    let four = fit(&t, &[0, 1, 2], &spec(vec![StepSpec::Scale { scaler: Scaler::Robust, columns: vec![] }])).unwrap();
    // Rows 0..3 (1, 2, 3): median 2, quartiles 1.5 and 2.5.
    assert_eq!(four.transform(&t, &[0, 4]).column(0), &[-1.0, 98.0]);
    assert_eq!(percentile_linear(&[1.0, 2.0, 3.0, 10.0], 25.0), 1.75);
    assert_eq!(percentile_linear(&[1.0, 2.0, 3.0, 10.0], 75.0), 4.75);
    // Min-max on the training rows 1, 2, 3: a test value beyond them goes beyond [0, 1].
    let min_max = fit(&t, &[0, 1, 2], &spec(vec![StepSpec::Scale { scaler: Scaler::MinMax, columns: vec![] }])).unwrap();
    assert_eq!(min_max.transform(&t, &all(&t)).column(0), &[0.0, 0.5, 1.0, 1.5, 49.5]);
    assert_eq!(min_max.report().steps[2].summary, "Scaled 1 input to [0, 1] (training minimum and maximum)");
}

#[test]
fn binning_uniform_and_quantile_by_hand() {
    let t = read_csv(b"x,y\n0,a\n1,a\n2,a\n3,a\n4,a\n5,b\n6,b\n7,b\n8,b\n9,b\n10,b\n").unwrap();
    // Uniform over 0..10 in 4: interior edges 2.5, 5, 7.5; a value on an edge goes up.
    let uniform =
        fit(&t, &all(&t), &spec(vec![StepSpec::Bin { binning: Binning::Uniform, bins: 4, columns: vec![] }])).unwrap();
    assert_eq!(uniform.transform(&t, &all(&t)).column(0), &[0., 0., 0., 1., 1., 2., 2., 2., 3., 3., 3.]);
    assert_eq!(uniform.features()[0].column, "x bin");
    // Quantile of 1..8 (training rows 1..=8) in 4, by the averaged inverted CDF:
    // 25 % of 8 rows is rank 2 exactly, so the edge is the mean of the 2nd and 3rd values, 2.5.
    let quantile = fit(
        &t,
        &(1..=8).collect::<Vec<_>>(),
        &spec(vec![StepSpec::Bin { binning: Binning::Quantile, bins: 4, columns: vec![] }]),
    )
    .unwrap();
    assert_eq!(quantile.transform(&t, &all(&t)).column(0), &[0., 0., 0., 1., 1., 2., 2., 3., 3., 3., 3.]);
    // Repeated values: edges 1, 1, 1, 1.5, 3 lose their empty bins: two remain.
    let v = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 3.0];
    let edges: Vec<f64> = (0..=4).map(|k| percentile_averaged(&v, 25.0 * k as f64)).collect();
    assert_eq!(edges, [1.0, 1.0, 1.0, 1.5, 3.0]);
    assert_eq!(
        fit(&t, &all(&t), &spec(vec![StepSpec::Bin { binning: Binning::Uniform, bins: 1, columns: vec![] }])),
        Err(PrepError::Bins { bins: 1, max: MAX_BINS })
    );
}

#[test]
fn poly_names_and_values() {
    let t = read_csv(b"a,b,c,y\n2,3,5,u\n1,-1,0,v\n").unwrap();
    let p = fit(&t, &all(&t), &spec(vec![StepSpec::Poly { columns: vec!["a".into(), "b".into()] }])).unwrap();
    assert_eq!(p.report().inputs, ["a", "b", "c", "a²", "a × b", "b²"]);
    let x = p.transform(&t, &all(&t));
    assert_eq!((x.column(3), x.column(4), x.column(5)), (&[4.0, 1.0][..], &[6.0, -1.0][..], &[9.0, 1.0][..]));
    assert_eq!(p.input_sources()[4], vec![0, 1]);
    assert!(matches!(
        fit(&t, &all(&t), &spec(vec![StepSpec::Poly { columns: vec!["d".into()] }])),
        Err(PrepError::NoSuchInput { name, .. }) if name == "d"
    ));
}

#[test]
fn target_encoding_learns_from_the_training_rows_only() {
    let t = read_csv(b"c,y\nA,1\nA,3\nB,2\nB,2\nB,8\nB,1000\nC,5\n").unwrap();
    let steps = PipelineSpec {
        steps: vec![
            StepSpec::Impute { numbers: Fill::Median, indicator: false },
            StepSpec::Encode { encoding: CategoryEncoding::Target, min_count: 0 },
        ],
    };
    // Training rows 0..5: y 1, 3, 2, 2, 8 (mean 3.2, variance 6.16); row 5's 1000 is a test row.
    let y = Target::Values(vec![1.0, 3.0, 2.0, 2.0, 8.0]);
    let p = Pipeline::fit(&t, &[(0, ColumnKind::Categorical)], &[0, 1, 2, 3, 4], &y, &steps).unwrap();
    // A: 2 rows, mean 2, squared deviations from it 1 + 1. λ = 6.16 · 2 / (6.16 · 2 + 2 / 2).
    let lambda_a = 12.32 / (12.32 + 1.0);
    // B: 3 rows, mean 4, squared deviations 4 + 4 + 16. λ = 6.16 · 3 / (6.16 · 3 + 24 / 3).
    let lambda_b = 18.48 / (18.48 + 8.0);
    let x = p.transform(&t, &all(&t));
    let want_a = lambda_a * 2.0 + (1.0 - lambda_a) * 3.2;
    let want_b = lambda_b * 4.0 + (1.0 - lambda_b) * 3.2;
    for (got, want) in x.column(0).iter().zip([want_a, want_a, want_b, want_b, want_b, want_b, 3.2]) {
        assert!(close(*got, want), "{got} vs {want}");
    }
    assert_eq!(p.features()[0].column, "c (mean target)");
    // Clustering has no target to encode by.
    assert_eq!(
        Pipeline::fit(&t, &[(0, ColumnKind::Categorical)], &[0, 1], &Target::Unlabeled { n_rows: 2 }, &steps),
        Err(PrepError::TargetEncodingWithoutTarget)
    );
    // Three classes: one share per class.
    let classes = Target::Classes { y: vec![0, 1, 2, 2, 2], names: vec!["p".into(), "q".into(), "r".into()] };
    let p = Pipeline::fit(&t, &[(0, ColumnKind::Categorical)], &[0, 1, 2, 3, 4], &classes, &steps).unwrap();
    assert_eq!(p.report().inputs, ["c (share p)", "c (share q)", "c (share r)"]);
}

#[test]
fn aggregation_with_an_unseen_level_and_rare_levels_grouped() {
    let t = read_csv(b"c,x,y\nA,1,u\nA,3,u\nB,2,v\nB,4,v\nB,6,v\nC,100,v\n").unwrap();
    let steps = |stat| spec(vec![StepSpec::Aggregate { of: "x".into(), by: "c".into(), stat }]);
    // Trained on rows 0..5: A's mean 2, B's 4; C has no training row and gets the overall mean 16 / 5.
    let p = fit(&t, &[0, 1, 2, 3, 4], &steps(GroupStat::Mean)).unwrap();
    assert_eq!(p.report().inputs.last().unwrap(), "x mean by c");
    let x = p.transform(&t, &all(&t));
    assert_eq!(x.column(x.n_cols() - 1), &[2.0, 2.0, 4.0, 4.0, 4.0, 3.2]);
    // Counted, an unseen level has no training rows.
    let p = fit(&t, &[0, 1, 2, 3, 4], &steps(GroupStat::Count)).unwrap();
    let x = p.transform(&t, &all(&t));
    assert_eq!(x.column(x.n_cols() - 1), &[2.0, 2.0, 3.0, 3.0, 3.0, 0.0]);
    assert_eq!(
        fit(&t, &all(&t), &spec(vec![StepSpec::Aggregate { of: "c".into(), by: "x".into(), stat: GroupStat::Mean }])),
        Err(PrepError::AggregateBy("x".into()))
    );
    assert_eq!(
        fit(&t, &all(&t), &spec(vec![StepSpec::Aggregate { of: "c".into(), by: "c".into(), stat: GroupStat::Mean }])),
        Err(PrepError::AggregateOf("c".into()))
    );
    // Levels in fewer than 3 training rows (A, C) share one input "other".
    let rare = PipelineSpec {
        steps: vec![
            StepSpec::Impute { numbers: Fill::Median, indicator: false },
            StepSpec::Encode { encoding: CategoryEncoding::OneHot, min_count: 3 },
        ],
    };
    let p = fit(&t, &[0, 1, 2, 3, 4], &rare).unwrap();
    assert_eq!(p.report().inputs, ["c = B", "c = other", "x"]);
    assert_eq!(p.transform(&t, &all(&t)).column(1), &[1.0, 1.0, 0.0, 0.0, 0.0, 1.0]);
}

#[test]
fn missing_indicators_and_fills() {
    let t = read_csv(b"x,y\n1,u\n,u\n3,v\n10,v\n").unwrap();
    let with = |numbers| PipelineSpec {
        steps: vec![
            StepSpec::Impute { numbers, indicator: true },
            StepSpec::Encode { encoding: CategoryEncoding::OneHot, min_count: 0 },
        ],
    };
    let p = fit(&t, &all(&t), &with(Fill::Mean)).unwrap();
    assert_eq!(p.report().inputs, ["x", "x missing"]);
    let x = p.transform(&t, &all(&t));
    assert_eq!(x.column(0), &[1.0, 14.0 / 3.0, 3.0, 10.0]);
    assert_eq!(x.column(1), &[0.0, 1.0, 0.0, 0.0]);
    let p = fit(&t, &all(&t), &with(Fill::Constant(-1.0))).unwrap();
    assert_eq!(p.transform(&t, &[1]).column(0), &[-1.0]);
    // A value given for the column is not missing.
    assert_eq!(p.encode_row(&[("x".into(), FeatureValue::Number(2.0))]).unwrap(), vec![2.0, 0.0]);
    assert_eq!(p.encode_row(&[]).unwrap(), vec![-1.0, 1.0]);
    assert!(p.summary().starts_with("Imputed 1 missing training values"), "{}", p.summary());
}

#[test]
fn a_spec_without_one_impute_or_encode_step_is_refused() {
    let t = read_csv(b"x,y\n1,a\n2,b\n").unwrap();
    let mut s = spec(vec![]);
    s.steps.remove(0);
    assert_eq!(fit(&t, &all(&t), &s), Err(PrepError::ColumnSteps { step: "impute".into(), count: 0 }));
    let mut s = spec(vec![]);
    s.steps.push(s.steps[1].clone());
    assert_eq!(fit(&t, &all(&t), &s), Err(PrepError::ColumnSteps { step: "encode".into(), count: 2 }));
    let pca = |keep| fit(&t, &all(&t), &spec(vec![StepSpec::Pca { keep }]));
    assert_eq!(pca(Keep::Components(0)), Err(PrepError::PcaKeep { keep: 0, inputs: 1 }));
    assert_eq!(pca(Keep::Components(2)), Err(PrepError::PcaKeep { keep: 2, inputs: 1 }));
    assert_eq!(pca(Keep::Variance(1.5)), Err(PrepError::VarianceShare(1.5)));
    assert_eq!(pca(Keep::Variance(0.0)), Err(PrepError::VarianceShare(0.0)));
    let only_text = read_csv(b"c,y\na,1\nb,2\n").unwrap();
    assert_eq!(
        fit(&only_text, &all(&only_text), &spec(vec![StepSpec::Pca { keep: Keep::Components(1) }])),
        Err(PrepError::PcaNoInputs)
    );
    // Every message says what to do.
    assert!(PrepError::PcaNoInputs.to_string().contains("Include a numeric column"));
}

#[test]
fn jacobi_finds_eigenpairs() {
    // [[2, 1], [1, 2]]: 3 along (1, 1), 1 along (1, −1).
    let (values, vectors) = symmetric_eigen(vec![2.0, 1.0, 1.0, 2.0], 2);
    let mut v = values.clone();
    v.sort_by(f64::total_cmp);
    assert!((v[0] - 1.0).abs() < 1e-12 && (v[1] - 3.0).abs() < 1e-12);
    let big = if values[0] > values[1] { 0 } else { 1 };
    assert!((vectors[big] - vectors[2 + big]).abs() < 1e-12, "{vectors:?}");
}

#[test]
fn a_category_column_without_levels_makes_no_inputs() {
    let t = read_csv(b"c,x,y\nNA,1,u\nNA,2,v\n").unwrap();
    let p = Pipeline::fit(
        &t,
        &[(0, ColumnKind::Categorical), (1, ColumnKind::Numeric)],
        &[0, 1],
        &Target::Unlabeled { n_rows: 2 },
        &spec(vec![]),
    )
    .unwrap();
    assert_eq!(p.report().inputs, ["x"]);
    assert!(p.slice_controls(&t, &[0, 1]).len() == 1);
}
