//! Categorical and yes/no features on the boundary plot's axes, and the
//! plot along a model's only feature.

use super::*;
use crate::base::format_significant;

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
    // The rows lie on a rug under the curves: training rows above test rows.
    assert!(view.rows.y.iter().zip(&view.rows.is_test).all(|(&y, &t)| y == if t { -0.14 } else { -0.07 }));

    // A press traces the row nearest along age; of rows equally near, the lowest.
    let age = |i: usize| (2 + (i * 37) % 70) as f64;
    let first_aged = |a: &[f64]| (0..200).find(|&i| a.contains(&age(i))).unwrap();
    let trace = |s: &mut Session, feature: &str, pick| match s
        .handle(Request::TraceAlong { feature: feature.into(), pick }, &mut NoProgress)
    {
        Response::Inspected(point) => point,
        other => panic!("{other:?}"),
    };
    let point = trace(&mut s, "age", AlongPick::Nearest(38.2));
    let row = first_aged(&[38.0]);
    assert_eq!(point.row, Some(row));
    assert_eq!(point.x, 38.0);
    assert!(point.text.starts_with(&format!("Row {} (", row + 1)), "{}", point.text);
    assert!(point.text.contains(" Path: ") && !point.path.is_empty(), "{}", point.text);
    // Marked on the curve: the predicted class's probability, as the words say it.
    let said = point.text.split("probability ").nth(1).and_then(|t| t.split(')').next()).unwrap();
    assert_eq!(format_significant(point.y, 2), said);
    assert!(point.boundary.is_none(), "no second axis, no plot to redraw at the row's values");
    // Halfway between two ages: the lower row of either.
    assert_eq!(trace(&mut s, "age", AlongPick::Nearest(38.5)).row, Some(first_aged(&[38.0, 39.0])));
    // A row named (from a link or the rows table) is traced the same.
    assert_eq!(trace(&mut s, "age", AlongPick::Row(row)), point);
    assert_eq!(
        s.handle(Request::TraceAlong { feature: "age".into(), pick: AlongPick::Row(500) }, &mut NoProgress),
        Response::Failed(SessionError::UnknownRow(501))
    );
    // The boundary plot's inspect is about two axes still: age twice is refused.
    let same = s.handle(
        Request::Inspect { x: "age".into(), y: "age".into(), at: None, row: Some(row), slice: vec![], two_features: false },
        &mut NoProgress,
    );
    assert_eq!(same, Response::Failed(SessionError::SameAxes("age".into())));

    // A category alone: a value per level, and no boundary.
    for c in &mut req.columns {
        c.included = c.name == "class" || c.name == "survived";
    }
    let report = train(&mut s, req.clone());
    let view = report.one_feature.expect("a plot along class");
    assert_eq!(view.feature.levels.len(), 3);
    assert_eq!(view.xs, vec![0.0, 1.0, 2.0]);
    // A press in a band traces a row of that level, the one drawn nearest.
    let band = 1.1;
    let point = trace(&mut s, "class", AlongPick::Nearest(band));
    let nearest = (0..view.rows.x.len())
        .min_by(|&a, &b| (view.rows.x[a] as f64 - band).abs().total_cmp(&(view.rows.x[b] as f64 - band).abs()))
        .unwrap();
    assert_eq!(point.row, Some(view.rows.rows[nearest] as usize));
    assert_eq!(point.x, view.rows.x[nearest] as f64);
    let level = &view.feature.levels[1];
    assert_eq!(["1st", "2nd", "3rd"][point.row.unwrap() / 2 % 3], level);

    // On a model of every feature there is no plot along one: a typed refusal.
    req.columns.iter_mut().for_each(|c| c.included = true);
    train(&mut s, req);
    assert_eq!(
        s.handle(Request::TraceAlong { feature: "age".into(), pick: AlongPick::Nearest(30.0) }, &mut NoProgress),
        Response::Failed(SessionError::NotOnlyFeature("age".into()))
    );
}

/// What a model of one feature predicts for a row traced along it, and the
/// words: "yes (probability 0.83" of "… predicts yes (probability 0.83). …".
fn said_of(point: &PointView) -> &str {
    let after = point.text.split(" predict").nth(1).unwrap_or_default();
    let said = after.trim_start_matches('s').trim_start();
    said.split(')').next().unwrap_or_default()
}

#[test]
fn a_row_dragged_along_the_only_feature_is_a_what_if() {
    let mut s = Session::new(native_clock);
    let summary = passengers(&mut s);
    let mut req = train_request(&summary, 3);
    for c in &mut req.columns {
        c.included = c.name == "age" || c.name == "survived";
    }
    train(&mut s, req.clone());
    let along = |s: &mut Session, feature: &str, pick| match s
        .handle(Request::TraceAlong { feature: feature.into(), pick }, &mut NoProgress)
    {
        Response::Inspected(point) => point,
        other => panic!("{other:?}"),
    };
    let age = |i: usize| (2 + (i * 37) % 70) as f64;

    // Row 1 is two years old; dragged to 60, it is to a model of age alone
    // what any passenger of 60 is: the same prediction, height and path.
    let (row, to) = (0, 60.0);
    let sixty = (0..200).find(|&i| age(i) == to).unwrap();
    let as_is = along(&mut s, "age", AlongPick::Row(row));
    let moved = along(&mut s, "age", AlongPick::Moved { row, to });
    let other = along(&mut s, "age", AlongPick::Row(sixty));
    assert!(moved.what_if && !as_is.what_if && !other.what_if);
    assert_eq!((moved.row, moved.x, moved.y), (Some(row), to, other.y));
    assert_eq!(moved.path, other.path);
    assert_ne!(said_of(&as_is), said_of(&other), "a child survives, a passenger of 60 does not");
    assert!(moved.text.starts_with("What if row 1 (a "), "{}", moved.text);
    assert!(moved.text.contains("had age = 60? The decision tree (CART) would predict "), "{}", moved.text);
    assert_eq!(said_of(&moved), said_of(&other), "{}", moved.text);
    assert!(moved.text.contains(&format!("; for the row as it is, {})", said_of(&as_is))), "{}", moved.text);
    // Back at its own age, or dragged to no number at all: the row as it is.
    assert_eq!(along(&mut s, "age", AlongPick::Moved { row, to: age(row) }), as_is);
    assert_eq!(along(&mut s, "age", AlongPick::Moved { row, to: f64::NAN }), as_is);

    // The smallest change that flips the row's class, along the only
    // feature: the arrow runs along it, and the row dragged there gets
    // that class.
    let Response::Counterfactual(change) =
        s.handle(Request::Counterfactual { row, x: "age".into(), y: "age".into(), allowed: vec![] }, &mut NoProgress)
    else {
        panic!("a counterfactual along age")
    };
    let [only] = change.changes.as_slice() else { panic!("{:?}", change.changes) };
    assert_eq!(only.column, "age");
    assert_eq!(change.arrow, Some(((age(row), age(row)), (only.to, only.to))));
    let flipped = along(&mut s, "age", AlongPick::Moved { row, to: only.to });
    assert!(said_of(&flipped).starts_with(&change.to_class), "{} against {}", flipped.text, change.to_class);

    // A category alone: dragged within its own band the row is as it is; to
    // another band, it is any row of that level.
    for c in &mut req.columns {
        c.included = c.name == "class" || c.name == "survived";
    }
    let view = train(&mut s, req).one_feature.expect("a plot along class");
    let band = |level: &str| view.feature.levels.iter().position(|l| l == level).unwrap() as f64;
    // Row 1 is in 1st class, row 5 in 3rd.
    let as_is = along(&mut s, "class", AlongPick::Row(0));
    assert_eq!(along(&mut s, "class", AlongPick::Moved { row: 0, to: band("1st") + 0.3 }), as_is);
    let third = along(&mut s, "class", AlongPick::Row(4));
    let moved = along(&mut s, "class", AlongPick::Moved { row: 0, to: band("3rd") });
    assert!(moved.what_if);
    assert_eq!((moved.x, moved.y), (band("3rd"), third.y));
    assert!(moved.text.contains("had class = 3rd?"), "{}", moved.text);
    assert_eq!(said_of(&moved), said_of(&third));
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
