//! Categorical and yes/no features on the boundary plot's axes, and the
//! plot along a model's only feature.

use super::*;

/// A passenger list's shape: one number (age), two categories (sex,
/// class); survival set by sex and class, with a seeded pattern.
fn passengers(s: &mut Session) -> DataSummary {
    let mut csv = String::from("age,sex,class,survived\n");
    for i in 0..200u32 {
        let sex = if i % 2 == 0 { "female" } else { "male" };
        let class = ["1st", "2nd", "3rd"][(i / 2 % 3) as usize];
        let age = 2 + (i * 37) % 70;
        let survived = (sex == "female" && class != "3rd") || age < 10 || i % 11 == 0;
        csv.push_str(&format!("{age},{sex},{class},{}\n", if survived { "yes" } else { "no" }));
    }
    match s.handle(Request::Load { name: "passengers.csv".into(), bytes: csv.into_bytes(), encoding: None }, &mut NoProgress)
    {
        Response::Loaded(summary) => summary,
        other => panic!("{other:?}"),
    }
}

#[test]
fn categories_are_axes_drawn_as_bands() {
    let mut s = Session::new(native_clock);
    let summary = passengers(&mut s);
    let report = train(&mut s, train_request(&summary, 4));
    // The number first, then the categories.
    assert_eq!(report.axis_options[0], "age");
    assert!(report.axis_options.contains(&"sex".to_string()) && report.axis_options.contains(&"class".to_string()));
    let boundary = report.boundary.expect("age against a category");
    assert_eq!(boundary.x.name, "age");
    assert!(boundary.x.levels.is_empty());
    assert!(!boundary.y.levels.is_empty());

    // Both axes categorical: a grid of cells, one prediction per cell.
    let Response::Boundary(cells) = s.handle(
        Request::Boundary { x: "sex".into(), y: "class".into(), slice: vec![], live: false, two_features: false },
        &mut NoProgress,
    ) else {
        panic!("a boundary over two categories")
    };
    let (sexes, classes) = (cells.x.levels.clone(), cells.y.levels.clone());
    assert_eq!((sexes.len(), classes.len()), (2, 3));
    assert_eq!((cells.grid_width, cells.grid_height), (2, 3));
    assert_eq!(cells.rgba.len(), 2 * 3 * 4);
    // Every row sits in its own band, within the jitter of its middle.
    assert_eq!(cells.points.x.len(), 200);
    assert!(cells.points.x.iter().chain(&cells.points.y).all(|&p| (p - p.round()).abs() <= 0.35 + 1e-6));
    // Female in 1st class survives, male in 3rd does not: the cells differ.
    let cell = |sex: &str, class: &str| {
        let (c, r) = (sexes.iter().position(|l| l == sex).unwrap(), classes.iter().position(|l| l == class).unwrap());
        let i = ((2 - r) * 2 + c) * 4;
        cells.rgba[i..i + 4].to_vec()
    };
    assert_ne!(cell("female", "1st"), cell("male", "3rd"));

    // A click in a band takes that level.
    let female = sexes.iter().position(|l| l == "female").unwrap() as f64;
    let first = classes.iter().position(|l| l == "1st").unwrap() as f64;
    let Response::Inspected(point) = s.handle(
        Request::Inspect {
            x: "sex".into(),
            y: "class".into(),
            at: Some((female + 0.3, first - 0.2)),
            row: None,
            slice: vec![],
            two_features: false,
        },
        &mut NoProgress,
    ) else {
        panic!("inspect failed")
    };
    assert!(point.text.contains("sex = female, class = 1st"), "{}", point.text);
    assert!(point.text.contains("predicts yes"), "{}", point.text);

    // The same feature twice is refused with a typed error.
    let same = s.handle(
        Request::Boundary { x: "sex".into(), y: "sex".into(), slice: vec![], live: false, two_features: false },
        &mut NoProgress,
    );
    assert_eq!(same, Response::Failed(SessionError::SameAxes("sex".into())));
}

#[test]
fn one_feature_draws_the_prediction_along_it() {
    let mut s = Session::new(native_clock);
    let summary = passengers(&mut s);
    let mut req = train_request(&summary, 3);
    for c in &mut req.columns {
        c.included = c.name == "age" || c.name == "survived";
    }
    let report = train(&mut s, req.clone());
    assert!(report.boundary.is_none());
    let view = report.one_feature.expect("a plot along age");
    assert_eq!(view.feature.name, "age");
    assert_eq!(view.curves.len(), 2);
    assert!(view.curves.iter().all(|(_, c)| c.len() == view.xs.len()));
    // The class probabilities sum to one at every place.
    for k in 0..view.xs.len() {
        assert!((view.curves.iter().map(|(_, c)| c[k]).sum::<f64>() - 1.0).abs() < 1e-5);
    }
    // Children survive: the tree's probability of "yes" is higher at age 5 than at 50.
    let yes = &view.curves.iter().find(|(n, _)| n == "P(yes)").unwrap().1;
    let at = |age: f64| view.xs.iter().position(|&x| x >= age).unwrap();
    assert!(yes[at(5.0)] > yes[at(50.0)]);
    assert_eq!(view.rows.x.len(), 200);

    // A category alone: a value per level, and no boundary.
    for c in &mut req.columns {
        c.included = c.name == "class" || c.name == "survived";
    }
    let report = train(&mut s, req);
    let view = report.one_feature.expect("a plot along class");
    assert_eq!(view.feature.levels.len(), 3);
    assert_eq!(view.xs, vec![0.0, 1.0, 2.0]);
}

#[test]
fn house_prices_train_three_models_and_draw_area_against_neighbourhood() {
    let (mut s, summary) = loaded("house_prices");
    assert_eq!((summary.n_rows, summary.n_cols), (600, 4));
    assert_eq!(summary.columns[summary.default_target].name, "price_usd");
    let base = train_request(&summary, 4);
    assert_eq!(base.task, Task::Regression);
    let Response::Compared(compared) = s.handle(
        Request::Compare(CompareRequest {
            base: base.clone(),
            models: vec!["linear_regression".into(), "decision_tree".into(), "mlp".into()],
            axes: Some(("floor_area_sqft".into(), "neighbourhood".into())),
            slice: vec![],
        }),
        &mut NoProgress,
    ) else {
        panic!("compare failed")
    };
    assert_eq!(compared.rows.len(), 3);
    for row in &compared.rows {
        let outcome = row.outcome.as_ref().unwrap_or_else(|e| panic!("{}: {e}", row.name));
        let Metrics::Regression { test_r2, .. } = outcome.metrics else { panic!() };
        assert!(test_r2 > 0.5, "{}: R² {test_r2}", row.name);
        let b = outcome.boundary.as_ref().unwrap();
        assert_eq!(b.y.levels.len(), 6);
        assert_eq!(b.grid_height, 6);
    }
}
