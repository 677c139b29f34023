//! What the person asks of the feature pipeline, as plain data: the page
//! edits a [`PipelineSpec`], sends it with a training request, and gets a
//! [`PipelineReport`] back saying what each step did. Fitting a spec on the
//! training rows gives a [`super::Pipeline`].
//!
//! Two kinds of step. *Column steps* ([`StepSpec::Impute`],
//! [`StepSpec::Encode`], [`StepSpec::Aggregate`]) turn table columns into
//! model inputs; they run first, whatever their place in the list, because
//! every later step reads inputs, not columns. *Input steps* ([`StepSpec::Scale`],
//! [`StepSpec::Bin`], [`StepSpec::Poly`], [`StepSpec::Pca`]) transform the
//! inputs, in the order listed: scaling before PCA is not PCA before scaling.

use serde::{Deserialize, Serialize};

use crate::base::Scaling;

mod form;

/// The steps, in order. Without one from the page, a model gets
/// [`PipelineSpec::default_for`] its scaling: what the page always did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PipelineSpec {
    pub steps: Vec<StepSpec>,
}

/// One step of the pipeline. Steps naming `columns` take the names of the
/// inputs as they stand before the step (a numeric column's input is named as
/// the column; "island = Biscoe", "age × fare", "PC1" as the views name them);
/// an empty list means every numeric input (not 0/1 indicators).
///
/// Two serde forms (`spec/form.rs`): in a human-readable format (a model
/// file's JSON, a link) the step is a map tagged by `"step"`, as it always
/// was; in a binary one (postcard, between page and worker) it is a plain
/// enum, which postcard can read. The derive below writes and reads the
/// tagged form only (`remote = "Self"`: as functions the hand-written
/// `Serialize`/`Deserialize` call).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", tag = "step", rename_all = "snake_case")]
pub enum StepSpec {
    /// Fills missing values: numbers by `numbers`, flags and categories by
    /// their most frequent training value. With `indicator`, a 0/1 input
    /// "`<column>` missing" for each column with missing training values.
    Impute {
        numbers: Fill,
        indicator: bool,
    },
    /// How category columns become inputs. Levels seen in fewer than
    /// `min_count` training rows are grouped as one level "other" (0 or 1:
    /// no grouping).
    Encode {
        encoding: CategoryEncoding,
        min_count: usize,
    },
    /// A new input: `stat` of numeric column `of` over the training rows that
    /// share the row's level of category column `by` ("fare mean by class").
    /// A level unseen in training gets the statistic over all training rows.
    Aggregate {
        of: String,
        by: String,
        stat: GroupStat,
    },
    Scale {
        scaler: Scaler,
        columns: Vec<String>,
    },
    /// Replaces each named input by the index of its bin (0 to `bins` − 1),
    /// as scikit-learn's `KBinsDiscretizer(encode="ordinal")`.
    Bin {
        binning: Binning,
        bins: usize,
        columns: Vec<String>,
    },
    /// Adds the squares and pairwise products of the named inputs (degree 2,
    /// as `PolynomialFeatures(degree=2, include_bias=False)`).
    Poly {
        columns: Vec<String>,
    },
    /// Replaces the numeric inputs by their principal components (centred,
    /// not scaled: put a Scale step before it to weigh columns alike).
    Pca {
        keep: Keep,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fill {
    Mean,
    Median,
    MostFrequent,
    Constant(f64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoryEncoding {
    /// One 0/1 input per level.
    OneHot,
    /// One input: the level's index, in level order.
    Ordinal,
    /// The training mean of the target within the level (one input per class
    /// for more than two classes), fitted on training rows only.
    Target,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupStat {
    Mean,
    Count,
    Min,
    Max,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scaler {
    /// Left in its own units: a step the person can see, and switch on.
    None,
    /// (x − mean) / standard deviation.
    Standard,
    /// (x − min) / (max − min), to [0, 1] on the training rows.
    MinMax,
    /// (x − median) / interquartile range: outliers do not set the scale.
    Robust,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Binning {
    /// Bins of equal width over the training range.
    Uniform,
    /// Bins holding about as many training rows each.
    Quantile,
}

/// How many principal components a PCA keeps.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    Components(usize),
    /// The fewest components explaining at least this share of the variance (0 to 1].
    Variance(f64),
}

impl PipelineSpec {
    /// What the page does unless the person changes it: median and most
    /// frequent value for missing values, one-hot categories, and the
    /// scaling the model asks for, shown as a step so it can be changed.
    pub fn default_for(scaling: Scaling) -> PipelineSpec {
        let scaler = match scaling {
            Scaling::None => Scaler::None,
            Scaling::Standardize => Scaler::Standard,
        };
        PipelineSpec {
            steps: vec![
                StepSpec::Impute { numbers: Fill::Median, indicator: false },
                StepSpec::Encode { encoding: CategoryEncoding::OneHot, min_count: 0 },
                StepSpec::Scale { scaler, columns: Vec::new() },
            ],
        }
    }
}

#[cfg(test)]
impl PipelineSpec {
    /// One step of every kind, each with values other than a default: what a
    /// test of the steps' serde forms writes and reads.
    pub(crate) fn one_step_of_each_kind() -> PipelineSpec {
        PipelineSpec {
            steps: vec![
                StepSpec::Impute { numbers: Fill::Constant(-1.5), indicator: true },
                StepSpec::Encode { encoding: CategoryEncoding::Target, min_count: 3 },
                StepSpec::Aggregate { of: "fare".into(), by: "class".into(), stat: GroupStat::Max },
                StepSpec::Scale { scaler: Scaler::Robust, columns: vec!["age".into(), "fare".into()] },
                StepSpec::Bin { binning: Binning::Quantile, bins: 7, columns: vec!["age".into()] },
                StepSpec::Poly { columns: vec!["age".into(), "fare mean by class".into()] },
                StepSpec::Pca { keep: Keep::Variance(0.9) },
            ],
        }
    }
}

impl StepSpec {
    /// The step's id on the page (`data-step`): "impute", "encode", "aggregate",
    /// "scale", "bin", "poly", "pca".
    pub fn id(&self) -> &'static str {
        match self {
            StepSpec::Impute { .. } => "impute",
            StepSpec::Encode { .. } => "encode",
            StepSpec::Aggregate { .. } => "aggregate",
            StepSpec::Scale { .. } => "scale",
            StepSpec::Bin { .. } => "bin",
            StepSpec::Poly { .. } => "poly",
            StepSpec::Pca { .. } => "pca",
        }
    }

    /// Whether the step turns columns into inputs (and so runs before every input step).
    pub fn is_column_step(&self) -> bool {
        matches!(self, StepSpec::Impute { .. } | StepSpec::Encode { .. } | StepSpec::Aggregate { .. })
    }
}

/// What a fitted pipeline did, for the page: one report per step of the
/// spec, in order, and the inputs the model sees.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PipelineReport {
    pub steps: Vec<StepReport>,
    /// The model's inputs, in order, by name ("PC1", "age × fare", "fare mean by class").
    pub inputs: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepReport {
    /// The step's id, as [`StepSpec::id`].
    pub step: String,
    /// What it did, in a sentence: "Standardized 4 inputs (training mean and
    /// standard deviation)", "Kept 5 components: 81 % of the variance".
    pub summary: String,
    /// Inputs the step changed or made, each before and after it over the
    /// training rows (at most [`MAX_EXAMPLES`]); the page shows one at a time.
    pub examples: Vec<BeforeAfter>,
    /// For a PCA step, what it found.
    pub pca: Option<PcaReport>,
    /// The step had nothing to do (no missing values, no categories): left
    /// out of the one-line summary under the model.
    pub idle: bool,
}

/// Most before/after pairs a step reports.
pub const MAX_EXAMPLES: usize = 12;

/// One input's training values before a step and what the step made of them.
/// `before` is `None` for an input the step created (a product, an aggregate).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BeforeAfter {
    pub before: Option<Histogram>,
    pub after: Histogram,
}

/// Counts of values in equal-width bins over `[min, max]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// The input's name.
    pub name: String,
    pub min: f64,
    pub max: f64,
    pub counts: Vec<u32>,
}

/// A PCA's components: how much variance each explains, and which inputs make it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PcaReport {
    /// Explained variance ratio of every component (not only those kept),
    /// largest first, summing to 1: the scree chart.
    pub explained: Vec<f64>,
    /// Components kept.
    pub kept: usize,
    /// The inputs the PCA read, in order.
    pub columns: Vec<String>,
    /// Each kept component's weight on each of `columns` (unit length).
    pub loadings: Vec<Vec<f64>>,
}
