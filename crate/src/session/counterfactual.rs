//! The counterfactual of a traced row: the smallest change to the numeric
//! features the person allows to change that makes the trained classifier
//! answer another class, said in the columns' units and drawn on the boundary
//! plot as an arrow. The geometry is in [`crate::explain::counterfactual`];
//! here the row's features go through the fitted pipeline to the model.

use serde::{Deserialize, Serialize};

use super::boundary::{and_list, set_number};
use super::{SessionError, Trained};
use crate::base::{format_number, format_significant, lower_first, value_of, FeatureValue, FeatureValues, Standard, Target};
use crate::data::Table;
use crate::explain::counterfactual::{nearest_hyperplane, nearest_leaf, norm, search, Margin, Method, Space};

/// The smallest change found for a row, and what it does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CounterfactualView {
    pub row: usize,
    /// The predicted class now, and after the change.
    pub from_class: String,
    pub to_class: String,
    /// Every feature the change moves, in its own units.
    pub changes: Vec<Change>,
    /// Length of the change, in standard deviations (L2 over the features).
    pub distance: f64,
    pub method: Method,
    /// The change in words: "If flipper_length_mm were 7.2 mm longer …".
    pub text: String,
    /// Where the change takes the row on the boundary plot's axes (from the
    /// row's own place), when one of them changes.
    pub arrow: Option<((f64, f64), (f64, f64))>,
}

/// One feature's change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub column: String,
    pub from: f64,
    pub to: f64,
}

/// A change smaller than this (standard deviations) in a feature is no change
/// of it: the search's refinement leaves such crumbs.
const NEGLIGIBLE: f64 = 1e-6;

/// The seed of the search: fixed, so the same row gets the same answer.
const SEARCH_SEED: u64 = 17;

/// The counterfactual of table row `row` of the trained model, changing only
/// `allowed` (numeric feature columns; empty for every numeric feature), with
/// the arrow on the plot over `x` and `y`.
pub(super) fn counterfactual(
    table: &Table,
    trained: &Trained,
    row: usize,
    (x, y): (&str, &str),
    allowed: &[String],
) -> Result<CounterfactualView, SessionError> {
    let Target::Classes { names, .. } = &trained.data.target else {
        return Err(SessionError::CounterfactualForClasses);
    };
    if !trained.rows.contains(&row) {
        return Err(SessionError::UnknownRow(row + 1));
    }
    let values = trained.pipeline.row_values(table, row);
    let space = space(table, trained, &values, allowed)?;
    let columns: Vec<usize> = space.names.iter().filter_map(|n| table.column_index(n)).collect();
    // The class the model gives each change of the row, in one batch.
    let classes = |deltas: &[Vec<f64>]| -> Result<Vec<u32>, SessionError> {
        let mut raw = trained.pipeline.raw_row(&values)?.repeat(deltas.len());
        for (j, &column) in columns.iter().enumerate() {
            let numbers = deltas.iter().map(|d| (space.origin[j] + space.scale[j] * d[j]) as f32).collect();
            if !raw.set_numbers(column, numbers) {
                return Err(SessionError::Internal("a changed feature is a numeric column".into()));
            }
        }
        trained.model.predict(&trained.pipeline.encode(&raw))?.labels().ok_or(SessionError::CounterfactualForClasses)
    };
    let predicted = classes(&[vec![0.0; space.names.len()]])?.first().copied().unwrap_or(0);
    let flips = |delta: &Vec<f64>| classes(std::slice::from_ref(delta)).map(|c| c.first() != Some(&predicted));

    // Exact where the model's geometry allows, checked by predicting; else a search.
    let exact = match (&trained.tree, linear_margins(trained, &space, &values, predicted as usize)?) {
        (Some(tree), _) => nearest_leaf(tree, &space, &trained.pipeline.trace_values(values.clone()), predicted as usize)
            .map(|leaf| (leaf, Method::TreeLeaves)),
        (None, Some(margins)) => Some((nearest_hyperplane(&margins), Method::Hyperplanes)),
        (None, None) => None,
    };
    let found = match exact {
        Some((Some(delta), method)) if flips(&delta)? => Some((delta, method)),
        // No leaf of another class can be reached by these features.
        Some((None, Method::TreeLeaves)) => None,
        _ => {
            let mut failed = None;
            let mut batch = |deltas: &[Vec<f64>]| match classes(deltas) {
                Ok(c) => c.iter().map(|&c| c != predicted).collect(),
                Err(e) => {
                    failed = Some(e);
                    vec![false; deltas.len()]
                }
            };
            let delta = search(space.names.len(), &mut batch, SEARCH_SEED);
            if let Some(e) = failed {
                return Err(e);
            }
            delta.map(|d| (d, Method::Search))
        }
    };
    let Some((delta, method)) = found else {
        return Err(SessionError::NoCounterfactual(space.names.join(", ")));
    };
    let to = classes(std::slice::from_ref(&delta))?.first().copied().unwrap_or(0);
    let class = |c: u32| names.get(c as usize).cloned().unwrap_or_default();
    let moved = space.values(&delta);
    let changes: Vec<Change> = (0..space.names.len())
        .filter(|&j| delta[j].abs() > NEGLIGIBLE)
        .map(|j| Change { column: space.names[j].clone(), from: space.origin[j], to: moved[j] })
        .collect();
    let at = |name: &str, shifted: bool| {
        let j = space.names.iter().position(|n| n == name);
        match (j, value_of(&values, name)) {
            (Some(j), _) if shifted => Some(moved[j]),
            (_, Some(FeatureValue::Number(v))) => Some(*v),
            _ => None,
        }
    };
    let arrow = match (at(x, false), at(y, false), at(x, true), at(y, true)) {
        (Some(x0), Some(y0), Some(x1), Some(y1)) if (x0, y0) != (x1, y1) => Some(((x0, y0), (x1, y1))),
        _ => None,
    };
    let distance = norm(&delta);
    let text = sentence(&changes, &lower_first(&trained.model_name), &class(to), &class(predicted), distance, method);
    Ok(CounterfactualView { row, from_class: class(predicted), to_class: class(to), changes, distance, method, text, arrow })
}

/// The features that may change around the row: the allowed numeric feature
/// columns (every one when none is named) that vary over the training rows.
fn space(table: &Table, trained: &Trained, values: &FeatureValues, allowed: &[String]) -> Result<Space, SessionError> {
    let numeric: Vec<&str> = trained
        .pipeline
        .feature_columns()
        .into_iter()
        .filter(|&c| trained.pipeline.is_number(c))
        .map(|c| table.columns[c].name.as_str())
        .collect();
    let names: Vec<&str> = if allowed.is_empty() { numeric.clone() } else { allowed.iter().map(String::as_str).collect() };
    let train_rows: Vec<usize> = trained.split.train.iter().map(|&i| trained.rows[i]).collect();
    let mut space = Space { names: Vec::new(), origin: Vec::new(), scale: Vec::new() };
    for name in names {
        if !numeric.contains(&name) {
            return Err(SessionError::CannotChange(name.to_string()));
        }
        let (Some(FeatureValue::Number(origin)), Some(column)) =
            (value_of(values, name), trained.pipeline.column_values(table, name, &train_rows))
        else {
            return Err(SessionError::CannotChange(name.to_string()));
        };
        let numbers = column.iter().filter_map(|v| match v {
            FeatureValue::Number(v) => Some(*v),
            _ => None,
        });
        let std = Standard::fit(numbers).std;
        // A feature that never varies in training has no spread to measure by.
        if std > 0.0 && std.is_finite() {
            space.names.push(name.to_string());
            space.origin.push(*origin);
            space.scale.push(std);
        }
    }
    if space.names.is_empty() {
        return Err(SessionError::NothingToChange);
    }
    Ok(space)
}

/// For a linear classifier whose inputs are affine in the allowed features
/// (imputed, standardized or min-max scaled numbers; not binned, squared or
/// mixed into components), each other class's score minus the predicted
/// class's at the row, and its gradient per standard deviation of each
/// feature. `None` for any other model or pipeline.
fn linear_margins(
    trained: &Trained,
    space: &Space,
    values: &FeatureValues,
    predicted: usize,
) -> Result<Option<Vec<Margin>>, SessionError> {
    let Some(coefficients) = trained.coefficients.as_ref().filter(|_| trained.request.model == "logistic_regression") else {
        return Ok(None);
    };
    let encoded = |delta: &[f64]| -> Result<Vec<f64>, SessionError> {
        let mut moved = values.clone();
        for (name, v) in space.names.iter().zip(space.values(delta)) {
            set_number(&mut moved, name, v);
        }
        Ok(trained.pipeline.encode_row(&moved)?.iter().map(|&v| v as f64).collect())
    };
    let scores = |inputs: &[f64]| -> Vec<f64> {
        coefficients
            .values
            .iter()
            .zip(&coefficients.intercepts)
            .map(|(w, b)| b + w.iter().zip(inputs).map(|(w, v)| w * v).sum::<f64>())
            .collect()
    };
    let dims = space.names.len();
    let origin = scores(&encoded(&vec![0.0; dims])?);
    let mut gradients = Vec::with_capacity(dims);
    for j in 0..dims {
        let step = |t: f64| {
            let mut d = vec![0.0; dims];
            d[j] = t;
            encoded(&d)
        };
        let (one, two) = (scores(&step(1.0)?), scores(&step(2.0)?));
        // Affine: the second step moves the scores as much as the first.
        let curved =
            origin.iter().zip(&one).zip(&two).any(|((a, b), c)| ((c - b) - (b - a)).abs() > 1e-4 * (1.0 + (b - a).abs()));
        if curved {
            return Ok(None);
        }
        gradients.push(one.iter().zip(&origin).map(|(b, a)| b - a).collect::<Vec<f64>>());
    }
    // Score of class `c` minus the predicted class's, and its gradient; two
    // classes have one score, the log-odds of the second.
    let margin = |c: usize| -> Margin {
        let part = |s: &[f64]| {
            if s.len() == 1 {
                if c == 1 {
                    s[0]
                } else {
                    -s[0]
                }
            } else {
                s[c] - s[predicted]
            }
        };
        (part(&origin), gradients.iter().map(|g| part(g)).collect())
    };
    let n_classes = trained.data.target.class_names().len();
    Ok(Some((0..n_classes).filter(|&c| c != predicted).map(margin).collect()))
}

/// "If flipper_length_mm were 7.2 mm longer (207.2 instead of 200), the
/// decision tree would say Gentoo instead of Adelie: 0.51 standard deviations,
/// the smallest change that does (exact, from the tree's leaves)."
fn sentence(changes: &[Change], model: &str, to: &str, from: &str, distance: f64, method: Method) -> String {
    let parts: Vec<String> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let unit = unit_of(&c.column);
            let by = format_significant(c.to - c.from, 3);
            let (more, less) = match unit.as_deref() {
                Some("mm" | "cm" | "m" | "km" | "in" | "ft") => ("longer", "shorter"),
                Some("g" | "kg" | "lb") => ("heavier", "lighter"),
                _ => ("higher", "lower"),
            };
            let way = if c.to > c.from { more } else { less };
            let by = by.trim_start_matches('-');
            let unit = unit.map(|u| format!(" {u}")).unwrap_or_default();
            let verb = if i == 0 { " were" } else { "" };
            format!("{}{verb} {by}{unit} {way} ({} instead of {})", c.column, format_number(c.to), format_number(c.from))
        })
        .collect();
    let how = match method {
        Method::TreeLeaves => "the smallest change that does (exact, from the tree's leaves)",
        Method::Hyperplanes => "the smallest change that does (exact, from the model's decision boundaries)",
        Method::Search => "the smallest change a seeded search found (a smaller one may exist)",
    };
    // "the tree, distilled from the forest, would say": a name with a comma closes it.
    let model = if model.contains(',') { format!("{model},") } else { model.to_string() };
    format!(
        "If {}, the {model} would say {to} instead of {from}: {} standard deviations, {how}.",
        and_list(&parts.iter().map(String::as_str).collect::<Vec<_>>()),
        format_significant(distance, 2)
    )
}

/// A unit from a column's name: "flipper_length_mm" → "mm", "body_mass_g" → "g".
fn unit_of(column: &str) -> Option<String> {
    let (_, last) = column.rsplit_once('_')?;
    matches!(last, "mm" | "cm" | "m" | "km" | "in" | "ft" | "g" | "kg" | "lb" | "s" | "ms" | "h" | "pct" | "usd" | "eur")
        .then(|| last.to_string())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::base::NoProgress;
    use crate::model::{ParamValue, ParamValues};
    use crate::session::tests::{loaded, train, train_request};
    use crate::session::{Request, Response, Session};

    /// Penguins' species by `model`, and the counterfactual of table row 0
    /// (changing `allowed`) on the bill-length × flipper-length plot.
    fn penguin_counterfactual(model: &str, params: ParamValues, allowed: &[&str]) -> Response {
        let (mut s, summary): (Session, _) = loaded("penguins");
        let mut req = train_request(&summary, 4);
        req.target = "species".into();
        req.model = model.into();
        req.params = params;
        train(&mut s, req);
        let ask = Request::Counterfactual {
            row: 0,
            x: "bill_length_mm".into(),
            y: "flipper_length_mm".into(),
            allowed: allowed.iter().map(|a| a.to_string()).collect(),
        };
        s.handle(ask, &mut NoProgress)
    }

    fn found(response: Response) -> CounterfactualView {
        match response {
            Response::Counterfactual(view) => view,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_kind_of_model_gets_a_change_that_flips_its_answer() {
        let depth = ParamValues::from([("max_depth".to_string(), ParamValue::Int(4))]);
        let two = ["bill_length_mm", "flipper_length_mm"];
        let numeric = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "year"];
        // Row 1 lives on Torgersen, where the forest and kNN only ever saw
        // Adelie: the two axes alone do not move them, every number does.
        let cases = [
            ("decision_tree", depth, Method::TreeLeaves, &two[..]),
            ("logistic_regression", ParamValues::new(), Method::Hyperplanes, &two[..]),
            ("random_forest", ParamValues::new(), Method::Search, &[][..]),
            ("knn", ParamValues::new(), Method::Search, &[][..]),
        ];
        for (model, params, method, allowed) in cases {
            let view = found(penguin_counterfactual(model, params, allowed));
            println!("{model}: {:.3} sd, {}", view.distance, view.text);
            assert_eq!(view.method, method, "{model}");
            assert_ne!(view.to_class, view.from_class, "{model}: the change flips the prediction");
            assert!(view.distance > 0.0 && view.distance < 6.0, "{model}: {}", view.distance);
            let may = if allowed.is_empty() { &numeric[..] } else { allowed };
            assert!(view.changes.iter().all(|c| may.contains(&c.column.as_str())), "{model}: only allowed features move");
            let on_axes = view.changes.iter().any(|c| two.contains(&c.column.as_str()));
            assert_eq!(view.arrow.is_some(), on_axes, "{model}: an arrow when an axis moves");
            if let Some(((x0, y0), (x1, y1))) = view.arrow {
                assert!((x0 - 39.1).abs() < 1e-4 && y0 == 181.0, "{model}: the arrow starts at row 1's own place");
                assert!((x1, y1) != (x0, y0));
            }
        }
    }

    #[test]
    fn a_counterfactual_needs_a_classifier_and_numeric_features() {
        assert_eq!(
            penguin_counterfactual("decision_tree", ParamValues::new(), &["island"]),
            Response::Failed(SessionError::CannotChange("island".into()))
        );
        let (mut s, summary) = loaded("penguins");
        let mut req = train_request(&summary, 3);
        req.target = "body_mass_g".into();
        req.task = crate::base::Task::Regression;
        train(&mut s, req);
        let ask =
            Request::Counterfactual { row: 0, x: "bill_length_mm".into(), y: "flipper_length_mm".into(), allowed: vec![] };
        assert_eq!(s.handle(ask, &mut NoProgress), Response::Failed(SessionError::CounterfactualForClasses));
    }

    #[test]
    fn the_sentence_says_each_change_in_its_units() {
        let changes = vec![
            Change { column: "flipper_length_mm".into(), from: 200.0, to: 207.21 },
            Change { column: "body_mass_g".into(), from: 4000.0, to: 3900.0 },
        ];
        assert_eq!(
            sentence(&changes, "decision tree", "Gentoo", "Adelie", 0.514, Method::TreeLeaves),
            "If flipper_length_mm were 7.21 mm longer (207.2 instead of 200) and body_mass_g 100 g lighter (3900 instead \
             of 4000), the decision tree would say Gentoo instead of Adelie: 0.51 standard deviations, the smallest \
             change that does (exact, from the tree's leaves)."
        );
        assert_eq!(unit_of("petal_length"), None);
        let one = &changes[..1];
        let said = sentence(
            one,
            "depth-3 decision tree, distilled from the random forest",
            "Gentoo",
            "Adelie",
            0.5,
            Method::Search,
        );
        assert!(said.contains("the random forest, would say Gentoo"), "{said}");
    }
}
