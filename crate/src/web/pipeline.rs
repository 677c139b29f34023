//! The Features step's edits, as plain data: which steps a person can add,
//! where a new one goes, what may move or go, and each step's name on the
//! page. The DOM side (`app/features.rs`) only shows and reads them.
//!
//! Column steps (impute, encode, aggregate) always run before input steps
//! (see [`crate::prep::StepSpec`]), so the list keeps them on top: an input
//! step never moves above a column step, and the impute and encode steps,
//! which every pipeline needs once, cannot be removed.

use crate::prep::{Binning, GroupStat, Keep, PipelineSpec, Scaler, StepSpec};

/// The steps the "add a step" menu offers, by id, with their labels.
pub const ADDABLE: [(&str, &str); 5] = [
    ("scale", "Scale numeric inputs"),
    ("pca", "PCA: principal components"),
    ("bin", "Bin numeric inputs"),
    ("poly", "Squares and products (degree 2)"),
    ("aggregate", "Aggregate a column by a category"),
];

/// The columns a new step can name: numeric feature columns, and category ones.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Offered {
    pub numeric: Vec<String>,
    pub categories: Vec<String>,
}

/// Why a step cannot be added.
#[derive(Clone, Debug, PartialEq)]
pub enum AddError {
    UnknownStep(String),
    /// Aggregation needs a numeric column to summarise and a category to group by.
    NothingToAggregate,
    /// Squares and products need a numeric column.
    NoNumericColumn,
}

impl std::fmt::Display for AddError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AddError::UnknownStep(id) => write!(f, "There is no pipeline step '{id}'."),
            AddError::NothingToAggregate => write!(
                f,
                "Aggregation summarises a numeric column within each level of a category column: include at least one of each as features first."
            ),
            AddError::NoNumericColumn => {
                write!(f, "Squares and products need a numeric feature column: include one first.")
            }
        }
    }
}

/// A new step of kind `id` with settings a person would start from, over the
/// `offered` columns.
pub fn new_step(id: &str, offered: &Offered) -> Result<StepSpec, AddError> {
    Ok(match id {
        "scale" => StepSpec::Scale { scaler: Scaler::Standard, columns: Vec::new() },
        "pca" => StepSpec::Pca { keep: Keep::Variance(0.9) },
        "bin" => StepSpec::Bin { binning: Binning::Quantile, bins: 5, columns: Vec::new() },
        "poly" => match offered.numeric.as_slice() {
            [] => return Err(AddError::NoNumericColumn),
            columns => StepSpec::Poly { columns: columns.iter().take(2).cloned().collect() },
        },
        "aggregate" => match (offered.numeric.first(), offered.categories.first()) {
            (Some(of), Some(by)) => StepSpec::Aggregate { of: of.clone(), by: by.clone(), stat: GroupStat::Mean },
            _ => return Err(AddError::NothingToAggregate),
        },
        other => return Err(AddError::UnknownStep(other.to_string())),
    })
}

/// `spec` with `step` added: a column step after the last column step, an
/// input step at the end.
pub fn add(spec: &PipelineSpec, step: StepSpec) -> PipelineSpec {
    let mut steps = spec.steps.clone();
    let at = if step.is_column_step() {
        steps.iter().rposition(StepSpec::is_column_step).map_or(0, |i| i + 1)
    } else {
        steps.len()
    };
    steps.insert(at, step);
    PipelineSpec { steps }
}

/// Whether step `i` may be removed: all but impute and encode.
pub fn removable(spec: &PipelineSpec, i: usize) -> bool {
    spec.steps.get(i).is_some_and(|s| !matches!(s, StepSpec::Impute { .. } | StepSpec::Encode { .. }))
}

pub fn remove(spec: &PipelineSpec, i: usize) -> PipelineSpec {
    let mut steps = spec.steps.clone();
    if removable(spec, i) {
        steps.remove(i);
    }
    PipelineSpec { steps }
}

/// Whether step `i` may swap with its upper neighbour: both input steps, or
/// both aggregations (impute and encode keep their places).
pub fn can_move_up(spec: &PipelineSpec, i: usize) -> bool {
    match (i.checked_sub(1).and_then(|j| spec.steps.get(j)), spec.steps.get(i)) {
        (Some(above), Some(step)) => {
            let aggregate = |s: &StepSpec| matches!(s, StepSpec::Aggregate { .. });
            (!above.is_column_step() && !step.is_column_step()) || (aggregate(above) && aggregate(step))
        }
        _ => false,
    }
}

/// `spec` with step `i` moved up one place, if it may move.
pub fn move_up(spec: &PipelineSpec, i: usize) -> PipelineSpec {
    let mut steps = spec.steps.clone();
    if can_move_up(spec, i) {
        steps.swap(i - 1, i);
    }
    PipelineSpec { steps }
}

/// A step's heading on the page, by its id ([`StepSpec::id`]).
pub fn title(id: &str) -> &'static str {
    match id {
        "impute" => "Fill missing values",
        "encode" => "Encode categories",
        "aggregate" => "Aggregate by a category",
        "scale" => "Scale",
        "bin" => "Bin",
        "poly" => "Squares and products",
        "pca" => "PCA",
        _ => "Step",
    }
}

/// Most input names [`inputs_text`] lists before counting the rest.
const LISTED_INPUTS: usize = 16;

/// What the model reads, in a sentence: "The model sees 3 inputs: PC1, PC2, island = Biscoe."
pub fn inputs_text(inputs: &[String]) -> String {
    let listed = inputs.iter().take(LISTED_INPUTS).cloned().collect::<Vec<_>>().join(", ");
    let more = match inputs.len().saturating_sub(LISTED_INPUTS) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    match inputs.len() {
        1 => format!("The model sees 1 input: {listed}."),
        n => format!("The model sees {n} inputs: {listed}{more}."),
    }
}

/// The columns part of a step's heading: "every numeric input", or the names.
pub fn columns_text(columns: &[String]) -> String {
    match columns {
        [] => "every numeric input".to_string(),
        [one] => one.clone(),
        many => format!("{} inputs", many.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::Scaling;
    use crate::prep::CategoryEncoding;

    fn offered() -> Offered {
        Offered { numeric: vec!["age".into(), "fare".into(), "sibsp".into()], categories: vec!["class".into()] }
    }

    fn ids(spec: &PipelineSpec) -> Vec<&str> {
        spec.steps.iter().map(StepSpec::id).collect()
    }

    #[test]
    fn column_steps_stay_on_top_and_input_steps_go_last() {
        let base = PipelineSpec::default_for(Scaling::Standardize);
        let with_pca = add(&base, new_step("pca", &offered()).unwrap());
        let with_agg = add(&with_pca, new_step("aggregate", &offered()).unwrap());
        assert_eq!(ids(&with_agg), ["impute", "encode", "aggregate", "scale", "pca"]);
        // PCA may go before the scaling, but never above a column step.
        assert!(can_move_up(&with_agg, 4) && !can_move_up(&with_agg, 3) && !can_move_up(&with_agg, 2));
        assert_eq!(ids(&move_up(&with_agg, 4)), ["impute", "encode", "aggregate", "pca", "scale"]);
        assert_eq!(move_up(&with_agg, 3), with_agg, "a refused move changes nothing");
    }

    #[test]
    fn impute_and_encode_cannot_be_removed() {
        let spec = add(&PipelineSpec::default_for(Scaling::None), new_step("bin", &offered()).unwrap());
        assert!(!removable(&spec, 0) && !removable(&spec, 1) && removable(&spec, 2) && removable(&spec, 3));
        assert_eq!(ids(&remove(&spec, 1)), ["impute", "encode", "scale", "bin"]);
        assert_eq!(ids(&remove(&spec, 2)), ["impute", "encode", "bin"]);
        assert!(matches!(spec.steps[1], StepSpec::Encode { encoding: CategoryEncoding::OneHot, .. }));
    }

    #[test]
    fn new_steps_start_from_the_offered_columns_or_say_what_is_missing() {
        assert_eq!(new_step("poly", &offered()).unwrap(), StepSpec::Poly { columns: vec!["age".into(), "fare".into()] });
        assert_eq!(
            new_step("aggregate", &offered()).unwrap(),
            StepSpec::Aggregate { of: "age".into(), by: "class".into(), stat: GroupStat::Mean }
        );
        let numeric_only = Offered { categories: vec![], ..offered() };
        let err = new_step("aggregate", &numeric_only).unwrap_err();
        assert!(err.to_string().contains("category column"), "{err}");
        assert_eq!(new_step("poly", &Offered::default()).unwrap_err(), AddError::NoNumericColumn);
        assert_eq!(new_step("warp", &offered()).unwrap_err(), AddError::UnknownStep("warp".into()));
        for (id, _) in ADDABLE {
            assert_eq!(new_step(id, &offered()).unwrap().id(), id);
        }
    }

    #[test]
    fn the_inputs_are_counted_and_named() {
        assert_eq!(inputs_text(&["PC1".into()]), "The model sees 1 input: PC1.");
        let many: Vec<String> = (1..=20).map(|i| format!("PC{i}")).collect();
        let text = inputs_text(&many);
        assert!(text.starts_with("The model sees 20 inputs: PC1, PC2,") && text.ends_with("PC16 and 4 more."), "{text}");
        for (id, _) in ADDABLE {
            assert_ne!(title(id), "Step", "{id} has a title");
        }
    }

    #[test]
    fn columns_read_as_a_person_says_them() {
        assert_eq!(columns_text(&[]), "every numeric input");
        assert_eq!(columns_text(&["age".into()]), "age");
        assert_eq!(columns_text(&["age".into(), "fare".into()]), "2 inputs");
    }
}
