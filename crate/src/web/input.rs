//! What a person typed into the training form, read as typed values. A blank
//! or unreadable number is refused by name rather than guessed: a guess would
//! train a model the person did not ask for.

use crate::data::{ColumnInfo, ColumnKind};
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
