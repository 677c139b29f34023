//! What a person typed into the training form, read as typed values. A blank
//! or unreadable number is refused by name rather than guessed: a guess would
//! train a model the person did not ask for.

use crate::data::toy::{TOY_BLOBS, TOY_NOISE, TOY_ROWS};
use crate::data::{ColumnInfo, ColumnKind, ToyKind, ToySpec};
use crate::eval::search::{Dimension, Method, Range};
use crate::model::{ParamKind, ParamSpec, ParamValue};
use crate::session::Folding;

/// The value of the control for `spec`, from the control's text.
pub fn param_value(spec: &ParamSpec, raw: &str) -> Result<ParamValue, String> {
    let bad = || format!("Setting '{}' needs a number, but it is '{raw}'.", spec.label);
    Ok(match spec.kind {
        ParamKind::Int { .. } => ParamValue::Int(raw.trim().parse().map_err(|_| bad())?),
        ParamKind::Float { .. } => ParamValue::Float(raw.trim().parse().map_err(|_| bad())?),
        ParamKind::Choice { .. } => ParamValue::Choice(raw.to_string()),
    })
}

/// The seed of the split and the model, from its box: what a `u32` holds, so
/// that any seed shown can be typed back.
pub fn seed(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u32>() {
        Ok(seed) => Ok(seed.into()),
        Err(_) => Err(format!("The seed must be a whole number from 0 to 4294967295, not '{text}'.")),
    }
}

/// A number typed for `what`, refused unless finite.
pub fn finite_number(what: &str, raw: &str) -> Result<f64, String> {
    match raw.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("{} needs a number, but it is '{raw}'.", crate::base::capitalize(what))),
    }
}

/// An ensemble's member weights, typed as numbers apart by commas or
/// spaces ("1, 2, 1"); blank for equal weights. Whether there is one per
/// member, none below 0 and not all 0 is the worker's check.
pub fn weights(raw: &str) -> Result<Option<Vec<f64>>, String> {
    let parts: Vec<&str> = raw.split([',', ' ', ';']).filter(|p| !p.trim().is_empty()).collect();
    if parts.is_empty() {
        return Ok(None);
    }
    parts.iter().map(|p| finite_number("each weight", p)).collect::<Result<Vec<_>, _>>().map(Some)
}

/// A whole number of at least `min` typed for `what`.
pub fn count(what: &str, raw: &str, min: usize) -> Result<usize, String> {
    match raw.trim().parse::<usize>() {
        Ok(n) if n >= min => Ok(n),
        _ => Err(format!("{} must be a whole number from {min} up, not '{raw}'.", crate::base::capitalize(what))),
    }
}

/// A percentage typed for `what` (above 0, at most 100), as a share of 1.
pub fn share(what: &str, raw: &str) -> Result<f64, String> {
    match raw.trim().parse::<f64>() {
        Ok(p) if p > 0.0 && p <= 100.0 => Ok(p / 100.0),
        _ => Err(format!("{} must be a percentage above 0 and at most 100, not '{raw}'.", crate::base::capitalize(what))),
    }
}

/// The toy set the controls describe, or `Ok(None)` while no pattern is
/// picked; a number out of range is refused by name before anything is drawn.
pub fn toy(kind: &str, noise: &str, rows: &str, classes: &str, seed: u64) -> Result<Option<ToySpec>, String> {
    let Some(kind) = ToyKind::from_id(kind) else { return Ok(None) };
    let noise = finite_number("the noise", noise)?;
    if !TOY_NOISE.contains(&noise) {
        return Err(format!("The noise must be from {} to {}, not {noise}.", TOY_NOISE.start(), TOY_NOISE.end()));
    }
    let rows = count("the toy rows", rows, *TOY_ROWS.start())?;
    if rows > *TOY_ROWS.end() {
        return Err(format!("A toy set has at most {} rows, not {rows}.", TOY_ROWS.end()));
    }
    let classes = match kind {
        ToyKind::Blobs => count("the number of blobs", classes, *TOY_BLOBS.start())?.min(*TOY_BLOBS.end()),
        _ => 2,
    };
    Ok(Some(ToySpec { kind, rows, noise, seed, classes }))
}

/// The test share from its control's value, a whole percent ("20" → 0.2).
/// The worker refuses a share outside 10–50 % itself; this only reads the number.
pub fn test_share(value: &str) -> Result<f64, String> {
    match value.trim().parse::<u32>() {
        Ok(percent) => Ok(f64::from(percent) / 100.0),
        Err(_) => Err(format!("The test share must be a whole percent, such as 20, not '{value}'.")),
    }
}

/// The ways to cut cross-validation folds a table offers, as (value, label):
/// at random; keeping the groups of a category or text column together; in
/// the order of a number or date column.
pub fn folding_options(columns: &[ColumnInfo]) -> Vec<(String, String)> {
    let mut options = vec![("shuffled".to_string(), "folds cut at random".to_string())];
    for c in columns {
        if matches!(c.inferred, ColumnKind::Categorical | ColumnKind::Text | ColumnKind::Boolean) {
            options.push((format!("group:{}", c.name), format!("each {} kept in one fold", c.name)));
        }
    }
    for c in columns {
        if matches!(c.inferred, ColumnKind::Numeric | ColumnKind::Date) {
            options.push((format!("time:{}", c.name), format!("in the order of {} (past → future)", c.name)));
        }
    }
    options
}

/// The folding a [`folding_options`] value stands for.
pub fn folding(value: &str) -> Folding {
    match value.split_once(':') {
        Some(("group", column)) => Folding::Grouped(column.to_string()),
        Some(("time", column)) => Folding::TimeOrdered(column.to_string()),
        _ => Folding::Shuffled,
    }
}

/// Most trials a search may be asked for: at a few seconds a trial for the
/// slower models, more would hold the worker for an hour.
pub const MAX_BUDGET: usize = 500;

/// Folds a search scores each trial on when the page's cross-validation is
/// off: a search needs some, and 5 is the usual choice.
pub const SEARCH_FOLDS: usize = 5;

/// The search method a `search-method` option stands for.
pub fn search_method(value: &str) -> Method {
    match value {
        "grid" => Method::Grid,
        "bayesian" => Method::Bayesian,
        _ => Method::Random,
    }
}

/// The search's budget, from its box: a whole number of trials from 1 to [`MAX_BUDGET`].
pub fn search_budget(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_BUDGET).contains(&n) => Ok(n),
        _ => Err(format!("The number of trials must be a whole number from 1 to {MAX_BUDGET}, not '{text}'.")),
    }
}

/// Folds for a search: the page's cross-validation choice (`cv-folds`), or
/// [`SEARCH_FOLDS`] when it is off.
pub fn search_folds(cv_folds: &str) -> usize {
    cv_folds.trim().parse::<usize>().ok().filter(|&k| k >= 2).unwrap_or(SEARCH_FOLDS)
}

/// The range to search for `spec`, from its low and high boxes, on the
/// spec's own scale; a choice searches all its options and has no boxes.
pub fn search_dimension(spec: &ParamSpec, low: &str, high: &str) -> Result<Dimension, String> {
    let bad = |which: &str, raw: &str| format!("The {which} end of '{}' needs a number, but it is '{raw}'.", spec.label);
    let outside = |min: &dyn std::fmt::Display, max: &dyn std::fmt::Display| {
        format!("'{}' can go from {min} to {max}; the range to search must stay inside it.", spec.label)
    };
    let range = match &spec.kind {
        ParamKind::Int { min, max, log_scale, .. } => {
            let l: i64 = low.trim().parse().map_err(|_| bad("low", low))?;
            let h: i64 = high.trim().parse().map_err(|_| bad("high", high))?;
            if l < *min || h > *max {
                return Err(outside(min, max));
            }
            Range::Int { low: l, high: h, log: *log_scale }
        }
        ParamKind::Float { min, max, log_scale, .. } => {
            let l: f64 = low.trim().parse().map_err(|_| bad("low", low))?;
            let h: f64 = high.trim().parse().map_err(|_| bad("high", high))?;
            if l < *min || h > *max {
                return Err(outside(min, max));
            }
            Range::Float { low: l, high: h, log: *log_scale }
        }
        ParamKind::Choice { .. } => return Ok(Dimension::from_spec(spec)),
    };
    Ok(Dimension { key: spec.key.to_string(), range })
}

/// A grid's values per numeric setting: the most that keep the whole grid
/// (every numeric setting's values times every choice) within `budget`
/// trials, at least 2 (a grid of one value searches nothing; the budget then
/// cuts the grid short).
pub fn grid_per_setting(budget: usize, dimensions: &[Dimension]) -> usize {
    let numeric = dimensions.iter().filter(|d| !matches!(d.range, Range::Choice(_))).count() as u32;
    let choices: usize = dimensions
        .iter()
        .map(|d| match &d.range {
            Range::Choice(options) => options.len().max(1),
            _ => 1,
        })
        .product();
    if numeric == 0 {
        return 2;
    }
    (2..=budget.max(2))
        .take_while(|n| n.checked_pow(numeric).and_then(|g| g.checked_mul(choices)).is_some_and(|g| g <= budget))
        .last()
        .unwrap_or(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_numbers_or_nothing() {
        assert_eq!(weights(""), Ok(None));
        assert_eq!(weights("  "), Ok(None));
        assert_eq!(weights("1, 2 ,0.5"), Ok(Some(vec![1.0, 2.0, 0.5])));
        assert_eq!(weights("1 2 3"), Ok(Some(vec![1.0, 2.0, 3.0])));
        assert_eq!(weights("1, two"), Err("Each weight needs a number, but it is 'two'.".into()));
        assert!(weights("1, inf").is_err());
    }

    #[test]
    fn the_test_share_is_read_as_a_whole_percent() {
        assert_eq!(test_share("30"), Ok(0.3));
        assert_eq!(test_share("10"), Ok(0.1));
        assert_eq!(test_share("2.5"), Err("The test share must be a whole percent, such as 20, not '2.5'.".into()));
        // Every option the page offers is a share the worker takes.
        for percent in (10..=50).step_by(5) {
            assert!(crate::session::TEST_SHARES.contains(&test_share(&percent.to_string()).unwrap()), "{percent}");
        }
    }

    #[test]
    fn toy_controls_are_read_and_refused_by_name() {
        assert_eq!(toy("", "0.2", "300", "3", 1), Ok(None), "no pattern picked: nothing to draw");
        let moons = toy("moons", "0.2", "300", "9", 1).unwrap().unwrap();
        assert_eq!((moons.kind, moons.rows, moons.noise, moons.classes), (ToyKind::Moons, 300, 0.2, 2));
        assert_eq!(toy("blobs", "0", "50", "4", 5).unwrap().unwrap().classes, 4);
        assert_eq!(toy("xor", "1.5", "300", "3", 1), Err("The noise must be from 0 to 1, not 1.5.".into()));
        assert_eq!(toy("xor", "0.1", "5", "3", 1), Err("The toy rows must be a whole number from 20 up, not '5'.".into()));
        assert_eq!(toy("xor", "0.1", "20000", "3", 1), Err("A toy set has at most 10000 rows, not 20000.".into()));
        // Every set the controls let through is one the worker draws.
        assert!(toy("blobs", "1", "10000", "6", 1).unwrap().unwrap().check().is_ok());
    }

    fn spec(kind: ParamKind) -> ParamSpec {
        ParamSpec { key: "k", label: "Max depth", help: "", kind }
    }

    #[test]
    fn numbers_are_read_by_their_kind_and_a_bad_one_is_named() {
        let int = spec(ParamKind::Int { min: 1, max: 10, default: 3, log_scale: false });
        assert_eq!(param_value(&int, " 4 "), Ok(ParamValue::Int(4)));
        assert_eq!(param_value(&int, "4.5"), Err("Setting 'Max depth' needs a number, but it is '4.5'.".to_string()));
        assert_eq!(param_value(&int, ""), Err("Setting 'Max depth' needs a number, but it is ''.".to_string()));
        let float = spec(ParamKind::Float { min: 0.0, max: 1.0, default: 0.5, log_scale: false });
        assert_eq!(param_value(&float, "1e-3"), Ok(ParamValue::Float(0.001)));
        assert!(param_value(&float, "0,5").is_err());
    }

    #[test]
    fn a_choice_is_taken_as_it_is() {
        let choice = spec(ParamKind::Choice { options: vec!["gini", "entropy"], default: "gini" });
        assert_eq!(param_value(&choice, "entropy"), Ok(ParamValue::Choice("entropy".into())));
    }

    #[test]
    fn a_seed_is_a_u32() {
        assert_eq!(seed(" 42 "), Ok(42));
        assert_eq!(seed("4294967295"), Ok(4_294_967_295));
        assert_eq!(
            seed("4294967296"),
            Err("The seed must be a whole number from 0 to 4294967295, not '4294967296'.".to_string())
        );
        assert!(seed("-1").is_err());
    }

    #[test]
    fn pipeline_numbers_are_refused_by_name_outside_their_range() {
        assert_eq!(finite_number("the constant", " -1.5 "), Ok(-1.5));
        assert_eq!(finite_number("the constant", "inf"), Err("The constant needs a number, but it is 'inf'.".to_string()));
        assert_eq!(count("the number of bins", "5", 2), Ok(5));
        assert_eq!(
            count("the number of bins", "1", 2),
            Err("The number of bins must be a whole number from 2 up, not '1'.".to_string())
        );
        assert!(count("the number of bins", "2.5", 2).is_err());
        assert_eq!(share("the share", "90"), Ok(0.9));
        assert!(share("the share", "0").is_err() && share("the share", "101").is_err() && share("the share", "").is_err());
    }

    #[test]
    fn folds_are_offered_by_what_each_column_can_do() {
        let column = |name: &str, inferred| ColumnInfo {
            name: name.into(),
            inferred,
            missing: 0,
            allowed: vec![inferred],
            distinct: 3,
            tokens: vec![],
        };
        let columns = [
            column("island", ColumnKind::Categorical),
            column("year", ColumnKind::Numeric),
            column("id", ColumnKind::Identifier),
        ];
        let options = folding_options(&columns);
        let values: Vec<&str> = options.iter().map(|(v, _)| v.as_str()).collect();
        assert_eq!(values, ["shuffled", "group:island", "time:year"]);
        assert_eq!(folding("group:island"), Folding::Grouped("island".into()));
        // A column name may hold a colon of its own.
        assert_eq!(folding("time:t:0"), Folding::TimeOrdered("t:0".into()));
        assert_eq!(folding("shuffled"), Folding::Shuffled);
    }

    #[test]
    fn a_search_range_is_read_on_the_specs_scale_and_kept_inside_it() {
        let leaf = ParamSpec {
            key: "min_samples_leaf",
            label: "min rows per leaf",
            help: "",
            kind: ParamKind::Int { min: 1, max: 1000, default: 1, log_scale: true },
        };
        assert_eq!(
            search_dimension(&leaf, " 2", "200 "),
            Ok(Dimension { key: "min_samples_leaf".into(), range: Range::Int { low: 2, high: 200, log: true } })
        );
        assert_eq!(
            search_dimension(&leaf, "2", "5000"),
            Err("'min rows per leaf' can go from 1 to 1000; the range to search must stay inside it.".to_string())
        );
        assert_eq!(
            search_dimension(&leaf, "two", "20"),
            Err("The low end of 'min rows per leaf' needs a number, but it is 'two'.".to_string())
        );
        let rate = spec(ParamKind::Float { min: 0.001, max: 1.0, default: 0.1, log_scale: true });
        assert_eq!(search_dimension(&rate, "0.01", "1").unwrap().range, Range::Float { low: 0.01, high: 1.0, log: true });
        let choice = spec(ParamKind::Choice { options: vec!["gini", "entropy"], default: "gini" });
        assert_eq!(search_dimension(&choice, "", "").unwrap().range, Range::Choice(vec!["gini".into(), "entropy".into()]));
    }

    #[test]
    fn budget_method_and_folds_are_read_from_their_controls() {
        assert_eq!(search_budget(" 20 "), Ok(20));
        assert!(search_budget("0").is_err());
        assert!(search_budget("501").is_err());
        assert!(search_budget("2.5").is_err());
        assert_eq!(search_method("grid"), Method::Grid);
        assert_eq!(search_method("bayesian"), Method::Bayesian);
        assert_eq!(search_method("random"), Method::Random);
        assert_eq!(search_folds("0"), SEARCH_FOLDS, "cross-validation off: 5 folds");
        assert_eq!(search_folds("10"), 10);
    }

    #[test]
    fn a_grid_takes_as_many_values_per_setting_as_its_budget_holds() {
        let numeric = |key: &str| Dimension { key: key.into(), range: Range::Int { low: 1, high: 10, log: false } };
        let choice = Dimension { key: "c".into(), range: Range::Choice(vec!["a".into(), "b".into()]) };
        assert_eq!(grid_per_setting(20, &[numeric("a")]), 20);
        assert_eq!(grid_per_setting(20, &[numeric("a"), numeric("b")]), 4, "4 × 4 = 16 ≤ 20 < 25");
        assert_eq!(grid_per_setting(20, &[numeric("a"), choice.clone()]), 10, "10 × 2 choices");
        assert_eq!(grid_per_setting(3, &[numeric("a"), numeric("b")]), 2, "never fewer than 2");
        assert_eq!(grid_per_setting(20, &[choice]), 2, "no numeric setting: the choices are the grid");
    }
}
