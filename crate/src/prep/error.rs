use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why the chosen columns cannot become a model's inputs and target.
#[derive(Clone, Debug, PartialEq, Error, Serialize, Deserialize)]
pub enum PrepError {
    #[error("No usable feature: every column besides the target is excluded, an identifier, free text or empty. Include at least one numeric, categorical or boolean column.")]
    NoFeatures,
    #[error("The target '{column}' has only one class ('{class}'). Pick a target with at least two different values.")]
    OneClass { column: String, class: String },
    /// A text column only: a numeric one is learned as groups of its values.
    #[error("The target '{column}' has {classes} different values{}, too many classes to learn from. Pick another target column.", if *.classes > super::MAX_CLASSES { "" } else { " (one per row)" })]
    TooManyClasses { column: String, classes: usize },
    #[error("The target '{0}' has no values. Pick another target column.")]
    TargetAllMissing(String),
    #[error("The target '{0}' is not numeric, so it cannot be a regression target. Choose classification instead.")]
    TargetNotNumeric(String),
    #[error("Column '{0}' holds text, so it cannot be used as numeric. Use it as categorical or exclude it.")]
    NotNumeric(String),
    #[error("Column '{0}' does not have exactly two values, so it cannot be used as boolean.")]
    NotBoolean(String),
    #[error("Column '{column}' got a value of the wrong kind for it.")]
    BadValue { column: String },
    #[error("Column '{column}' has no level '{level}' in the training rows.")]
    UnknownLevel { column: String, level: String },
    #[error("Column '{0}' does not hold dates, so it cannot be used as a date.")]
    NotDate(String),
    #[error("There is no column named '{0}'.")]
    UnknownColumn(String),
    #[error("The pipeline needs exactly one {step} step; it has {count}. Keep one {step} step.")]
    ColumnSteps { step: String, count: usize },
    #[error("The {step} step names '{name}', which is not an input at that point of the pipeline (there: {inputs}). Pick one of those, or move the step.")]
    NoSuchInput { step: String, name: String, inputs: String },
    #[error("Binning takes 2 to {max} bins; {bins} is outside that. Set the bins between 2 and {max}.")]
    Bins { bins: usize, max: usize },
    #[error("PCA cannot keep {keep} components of {inputs} numeric inputs. Keep between 1 and {inputs}.")]
    PcaKeep { keep: usize, inputs: usize },
    #[error("PCA keeps a share of the variance above 0 and at most 1; {0} is outside that. Set a share such as 0.9.")]
    VarianceShare(f64),
    #[error("PCA has no numeric inputs to combine at its place in the pipeline. Include a numeric column, or remove the PCA step.")]
    PcaNoInputs,
    #[error("Aggregation groups by a category column among the features, and '{0}' is not one. Pick an included categorical column.")]
    AggregateBy(String),
    #[error("Aggregation takes a statistic of a numeric column, and '{0}' is not one (or is the grouping column itself). Pick a numeric column.")]
    AggregateOf(String),
    #[error("Target encoding replaces a level by the mean of the target, and clustering has no target. Choose one-hot or ordinal encoding.")]
    TargetEncodingWithoutTarget,
    #[error("This table does not fit the model: {0}. Load the table it was trained on, or one with the same columns.")]
    TableDiffers(String),
    #[error("The model file's pipeline is damaged: {0}.")]
    DamagedPipeline(String),
}
