use super::*;
use crate::base::{Encoding, FeatureInfo, FeatureValue, Scaling};
use crate::data::{Column, ColumnData, ColumnKind, Origin};

fn table() -> Table {
    let text = |name: &str, codes: Vec<u32>, levels: &[&str], kind| Column {
        name: name.into(),
        missing: codes.iter().filter(|&&c| c == MISSING_CODE).count(),
        data: ColumnData::Text { codes, levels: levels.iter().map(|s| s.to_string()).collect() },
        inferred: kind,
        origin: Origin::default(),
    };
    Table {
        columns: vec![
            Column {
                name: "len".into(),
                data: ColumnData::Numeric(vec![1., f32::NAN, 3., 5.]),
                missing: 1,
                inferred: ColumnKind::Numeric,
                origin: Origin::default(),
            },
            text("island", vec![0, 1, MISSING_CODE, 0], &["Biscoe", "Dream"], ColumnKind::Categorical),
            text("species", vec![0, 0, 1, 1], &["Adelie", "Gentoo"], ColumnKind::Categorical),
            text("name", vec![0, 1, 2, 3], &["a", "b", "c", "d"], ColumnKind::Identifier),
        ],
        n_rows: 4,
        preview: vec![],
        warnings: vec![],
        decimal_comma: false,
        decoding: Default::default(),
    }
}

/// The default pipeline for a model's scaling, with no target.
fn fit(t: &Table, columns: &[(usize, ColumnKind)], rows: &[usize], scaling: Scaling) -> Result<Pipeline, PrepError> {
    Pipeline::fit(t, columns, rows, &Target::Unlabeled { n_rows: rows.len() }, &PipelineSpec::default_for(scaling))
}

#[test]
fn the_pipeline_imputes_with_training_statistics_and_one_hot_encodes() {
    let t = table();
    let columns = [(0, ColumnKind::Numeric), (1, ColumnKind::Categorical), (3, ColumnKind::Identifier)];
    let p = fit(&t, &columns, &[0, 1, 2], Scaling::None).unwrap();
    // Median of len over training rows 0..3 (1, 3; row 1 missing) = 2. island over rows
    // 0..3 is Biscoe once, Dream once: the tie goes to the first level, Biscoe.
    let x = p.transform(&t, &[0, 1, 2, 3]);
    assert_eq!(x.column(0), &[1., 2., 3., 5.]);
    assert_eq!(x.column(1), &[1., 0., 1., 1.]);
    assert_eq!(x.column(2), &[0., 1., 0., 0.]);
    assert_eq!(x.n_cols(), 3, "the identifier column is not a feature");
    assert_eq!(p.encode_row(&[]).unwrap(), vec![2., 1., 0.]);
    assert!(p.is_number(0) && !p.is_number(1));
    assert_eq!(p.input_sources(), vec![vec![0], vec![1], vec![1]]);
    assert_eq!(p.features()[2], FeatureInfo { column: "island".into(), encoding: Encoding::Level("Dream".into()) });
    assert_eq!(
        p.summary(),
        "Imputed 2 missing training values (median for numbers, most frequent otherwise); \
         one-hot encoded island (2 levels); numeric features used in their own units, unscaled."
    );
}

#[test]
fn targets_are_checked_before_training() {
    let t = table();
    let (species, rows) = target(&t, 2, Task::Classification).unwrap();
    assert_eq!(species, Target::Classes { y: vec![0, 0, 1, 1], names: vec!["Adelie".into(), "Gentoo".into()] });
    assert_eq!(rows, vec![0, 1, 2, 3]);
    // island has a missing target row, which is dropped.
    let (_, rows) = target(&t, 1, Task::Classification).unwrap();
    assert_eq!(rows, vec![0, 1, 3]);
    let (values, rows) = target(&t, 0, Task::Regression).unwrap();
    assert_eq!((values, rows), (Target::Values(vec![1., 3., 5.]), vec![0, 2, 3]));
    assert_eq!(target(&t, 2, Task::Regression).unwrap_err(), PrepError::TargetNotNumeric("species".into()));
    let mut one = table();
    one.columns[2].data = ColumnData::Text { codes: vec![0; 4], levels: vec!["Adelie".into(), "Gentoo".into()] };
    assert_eq!(
        target(&one, 2, Task::Classification).unwrap_err().to_string(),
        "The target 'species' has only one class ('Adelie'). Pick a target with at least two different values."
    );
}

#[test]
fn no_usable_feature_is_an_error() {
    let t = table();
    assert_eq!(fit(&t, &[(3, ColumnKind::Identifier)], &[0, 1], Scaling::None), Err(PrepError::NoFeatures));
    assert_eq!(fit(&t, &[(1, ColumnKind::Numeric)], &[0, 1], Scaling::None), Err(PrepError::NotNumeric("island".into())));
}

#[test]
fn standardizing_uses_training_mean_and_std_and_encodes_axis_values() {
    let t = table();
    // Training rows 0, 2, 3 of len: 1, 3, 5 → mean 3, population std √(8/3).
    let p = fit(&t, &[(0, ColumnKind::Numeric)], &[0, 2, 3], Scaling::Standardize).unwrap();
    let std = (8.0f64 / 3.0).sqrt();
    let x = p.transform(&t, &[0, 1, 3]);
    // Row 1 is missing: imputed with the median 3, then scaled to 0.
    let expected = [(1.0 - 3.0) / std, 0.0, (5.0 - 3.0) / std];
    for (got, want) in x.column(0).iter().zip(expected) {
        assert!((*got as f64 - want).abs() < 1e-6, "{got} vs {want}");
    }
    assert!((p.encode_row(&[("len".into(), FeatureValue::Number(5.0))]).unwrap()[0] as f64 - 2.0 / std).abs() < 1e-6);
    assert!((p.decode_value(0, &[1.0]).unwrap() - (3.0 + std)).abs() < 1e-12);
    assert_eq!(p.encode_row(&[]).unwrap(), vec![0.0]);
    assert!(
        p.summary().ends_with("standardized the numeric feature (training mean and standard deviation)."),
        "{}",
        p.summary()
    );
}

#[test]
fn too_many_text_classes_are_refused_and_too_many_numbers_grouped() {
    let t = table();
    // `name` is unique per row: as a class target that is an identifier.
    assert_eq!(
        target(&t, 3, Task::Classification).unwrap_err().to_string(),
        "The target 'name' has 4 different values (one per row), too many classes to learn from. Pick another target column."
    );
    // 60 lengths are no 60 classes: they are learned as four groups of 15.
    let mut numeric = table();
    numeric.columns[0].data = ColumnData::Numeric((0..60).map(|v| v as f32).collect());
    numeric.n_rows = 60;
    for c in &mut numeric.columns[1..] {
        c.data = ColumnData::Numeric(vec![1.0; 60]);
    }
    let (Target::Classes { y, names }, rows) = target(&numeric, 0, Task::Classification).unwrap() else { panic!() };
    assert_eq!(rows.len(), 60);
    assert_eq!(names, ["len ≤ 14", "14 < len ≤ 29", "29 < len ≤ 44", "len > 44"]);
    assert_eq!((0..4).map(|k| y.iter().filter(|&&c| c == k).count()).collect::<Vec<_>>(), [15, 15, 15, 15]);
    // As a number it stays one.
    assert!(matches!(target(&numeric, 0, Task::Regression), Ok((Target::Values(_), _))));
}

#[test]
fn value_groups_by_hand() {
    // Quartile cuts of 1..=8 by nearest rank: 2, 4, 6; each group two values.
    let Target::Classes { y, names } = value_groups("age", &[8.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]) else { panic!() };
    assert_eq!(names, ["age ≤ 2", "2 < age ≤ 4", "4 < age ≤ 6", "age > 6"]);
    assert_eq!(y, [3, 0, 0, 1, 1, 2, 2, 3]);
    // Repeated values share a cut, and no group is left empty above the largest value.
    let Target::Classes { y, names } = value_groups("n", &[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 3.0]) else { panic!() };
    assert_eq!(names, ["n ≤ 1", "n > 1"]);
    assert_eq!(y, [0, 0, 0, 0, 0, 0, 1, 1]);
}

#[test]
fn slices_and_rows_are_said_and_encoded_in_the_columns_terms() {
    let t = table();
    let columns = [(0, ColumnKind::Numeric), (1, ColumnKind::Categorical)];
    let p = fit(&t, &columns, &[0, 1, 2], Scaling::None).unwrap();
    // len over training rows 0..3 is 1 and 3 (row 1 missing): median 2, range 1..3.
    assert_eq!(
        p.slice_controls(&t, &[0, 1, 2]),
        vec![
            ColumnDomain::Number { column: "len".into(), min: 1.0, max: 3.0, value: 2.0 },
            ColumnDomain::Levels {
                column: "island".into(),
                levels: vec!["Biscoe".into(), "Dream".into()],
                value: "Biscoe".into()
            },
        ]
    );
    // Row 2: len 3, island missing → the most frequent training level, Biscoe.
    let row = p.row_values(&t, 2);
    assert_eq!(
        row,
        vec![("len".to_string(), FeatureValue::Number(3.0)), ("island".to_string(), FeatureValue::Level("Biscoe".into()))]
    );
    let x = p.transform(&t, &[2]);
    assert_eq!(p.encode_row(&row).unwrap(), x.columns().map(|c| c[0]).collect::<Vec<f32>>());
    assert_eq!(p.encode_row(&[("island".into(), FeatureValue::Level("Dream".into()))]).unwrap(), vec![2., 0., 1.]);
    assert_eq!(
        p.encode_row(&[("island".into(), FeatureValue::Number(1.0))]),
        Err(PrepError::BadValue { column: "island".into() })
    );
}

#[test]
fn a_date_becomes_year_month_and_weekday() {
    let t = crate::data::read_csv(b"when,y\n2024-03-05,a\nNA,b\n2023-12-31,a\n2024-07-04 18:00,b\n").unwrap();
    assert_eq!(t.columns[0].inferred, ColumnKind::Date);
    // Training rows 0, 1, 2: the median of 2024-03-05 and 2023-12-31 (65 days
    // apart; row 1 is missing) is 32.5 days after New Year's Eve, 2024-02-01
    // 12:00, a Thursday.
    let p = fit(&t, &[(0, ColumnKind::Date)], &[0, 1, 2], Scaling::None).unwrap();
    let x = p.transform(&t, &[0, 1, 2, 3]);
    assert_eq!(x.n_cols(), 3);
    assert_eq!(x.column(0), &[2024., 2024., 2023., 2024.]);
    assert_eq!(x.column(1), &[3., 2., 12., 7.]);
    // Tuesday, Thursday, Sunday, Thursday (Monday = 0).
    assert_eq!(x.column(2), &[1., 3., 6., 3.]);
    assert_eq!(p.input_sources(), vec![vec![0]; 3]);
    assert_eq!(p.features()[1], FeatureInfo { column: "when (month)".into(), encoding: Encoding::Value });
    assert_eq!(p.encode_row(&[]).unwrap(), vec![2024., 2., 3.]);
    assert!(!p.is_number(0), "a date is not a boundary axis");
    assert_eq!(
        p.summary(),
        "Imputed 1 missing training values (median for numbers, most frequent otherwise); \
         split when into year, month, weekday; numeric features used in their own units, unscaled."
    );
    // Standardized part by part for models that need it.
    let p = fit(&t, &[(0, ColumnKind::Date)], &[0, 1, 2], Scaling::Standardize).unwrap();
    let year = p.transform(&t, &[0, 2]).column(0).to_vec();
    assert!(year[0] > 0.0 && year[1] < 0.0, "{year:?}");
    assert!(p.summary().contains("standardized 3 numeric features"));
    assert_eq!(fit(&t, &[(1, ColumnKind::Date)], &[0], Scaling::None), Err(PrepError::NotDate("y".into())));
}
