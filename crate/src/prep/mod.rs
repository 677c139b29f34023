//! From typed columns to model inputs: the target, and a pipeline that imputes
//! and encodes the feature columns. The pipeline learns its statistics
//! (medians, most frequent values) on the training rows only, so nothing about
//! the test rows leaks into the model.

mod domain;
mod error;
mod spec;

pub use domain::{ColumnDomain, NEAR_SHARE};
pub use error::PrepError;
pub use spec::{
    BeforeAfter, Binning, CategoryEncoding, Fill, GroupStat, Histogram, Keep, PcaReport, PipelineReport, PipelineSpec,
    Scaler, StepReport, StepSpec, MAX_EXAMPLES,
};

use crate::base::{
    capitalize, value_of, Encoding, FeatureInfo, FeatureMatrix, FeatureValue, FeatureValues, Scaling, Standard, Target, Task,
};
use crate::data::{date_parts, ColumnKind, Table, MISSING_CODE};

/// More classes than this is not a classification a small model can learn here.
pub const MAX_CLASSES: usize = 50;

/// How many groups a numeric target is cut into when classification is asked
/// of it and it has too many values to learn each as a class.
pub const VALUE_GROUPS: usize = 4;

/// Whether `distinct` values over `present` rows are too many classes to learn
/// from: more than [`MAX_CLASSES`], or one per row (an identifier, or scores
/// that never repeat).
pub fn too_many_classes(distinct: usize, present: usize) -> bool {
    distinct > MAX_CLASSES || (distinct == present && present > 2)
}

/// Builds the target from column `column` for `task`, dropping rows where it
/// is missing. Returns the target and the table rows it covers. For
/// clustering, the column is one the clusters are compared with, read as
/// classes like a classification target but however many there are. A
/// numeric column with too many values to learn each as a class is learned
/// as [`VALUE_GROUPS`] groups of its values (see [`value_groups`]).
pub fn target(table: &Table, column: usize, task: Task) -> Result<(Target, Vec<usize>), PrepError> {
    let col = &table.columns[column];
    let (target, rows) = match task {
        Task::Regression => {
            let values = col.numbers().ok_or_else(|| PrepError::TargetNotNumeric(col.name.clone()))?;
            let rows: Vec<usize> = (0..table.n_rows).filter(|&r| values[r].is_finite()).collect();
            (Target::Values(rows.iter().map(|&r| values[r] as f64).collect()), rows)
        }
        Task::Classification | Task::Clustering => {
            let cats = col.categories();
            let rows: Vec<usize> = (0..table.n_rows).filter(|&r| cats.codes[r] != MISSING_CODE).collect();
            // Keep only levels that occur, renumbered densely in level order.
            let mut dense = vec![u32::MAX; cats.levels.len()];
            for &r in &rows {
                dense[cats.codes[r] as usize] = 0;
            }
            let mut names = Vec::new();
            for (level, slot) in dense.iter_mut().enumerate() {
                if *slot == 0 {
                    *slot = names.len() as u32;
                    names.push(cats.levels[level].clone());
                }
            }
            let y = rows.iter().map(|&r| dense[cats.codes[r] as usize]).collect();
            (Target::Classes { y, names }, rows)
        }
    };
    let target = match (target, col.numbers()) {
        (Target::Classes { names, .. }, Some(values))
            if task == Task::Classification && too_many_classes(names.len(), rows.len()) =>
        {
            value_groups(&col.name, &rows.iter().map(|&r| values[r]).collect::<Vec<_>>())
        }
        (target, _) => target,
    };
    match &target {
        _ if rows.is_empty() => Err(PrepError::TargetAllMissing(col.name.clone())),
        // Clusters can be compared with any grouping, even one class or one per row.
        _ if task == Task::Clustering => Ok((target, rows)),
        Target::Classes { names, .. } if names.len() < 2 => {
            Err(PrepError::OneClass { column: col.name.clone(), class: names[0].clone() })
        }
        // A class per row (an identifier) or scores of classes leave too few
        // rows per class to learn from (numbers were grouped above).
        Target::Classes { names, .. } if too_many_classes(names.len(), rows.len()) => {
            Err(PrepError::TooManyClasses { column: col.name.clone(), classes: names.len() })
        }
        _ => Ok((target, rows)),
    }
}

/// A numeric target's present `values` as up to [`VALUE_GROUPS`] classes of
/// about equal size, cut at their quartiles and named by their ranges in the
/// column's own numbers ("age ≤ 21", "21 < age ≤ 28", …, "age > 39"): what
/// "predict age as classes" can mean. The cuts are read from every row with a
/// value, test rows included; they say where the groups lie, not how features
/// relate to them, so no model learns from the test rows through them.
pub fn value_groups(name: &str, values: &[f32]) -> Target {
    let mut sorted = values.to_vec();
    sorted.sort_by(f32::total_cmp);
    let n = sorted.len();
    let mut cuts: Vec<f32> =
        (1..VALUE_GROUPS).filter_map(|k| sorted.get((k * n).div_ceil(VALUE_GROUPS).max(1) - 1).copied()).collect();
    cuts.dedup();
    // The top group holds the values above the last cut: never an empty one.
    cuts.retain(|&cut| sorted.last().is_some_and(|&max| cut < max));
    let y = values.iter().map(|&v| cuts.iter().take_while(|&&cut| v > cut).count() as u32).collect();
    let number = |v: f32| crate::base::format_number(f64::from(v));
    let names = (0..=cuts.len())
        .map(|k| match (k.checked_sub(1).map(|i| cuts[i]), cuts.get(k)) {
            (None, Some(&high)) => format!("{name} ≤ {}", number(high)),
            (Some(low), Some(&high)) => format!("{} < {name} ≤ {}", number(low), number(high)),
            (Some(low), None) => format!("{name} > {}", number(low)),
            (None, None) => name.to_string(),
        })
        .collect();
    Target::Classes { y, names }
}

/// How one feature column becomes model inputs.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    /// The number itself, or `(x − mean) / std` when standardized; missing
    /// values become the training median (before scaling).
    Number { column: usize, fill: f32, scale: Option<Standard> },
    /// 0 or 1; missing values become the most frequent training value.
    Flag { column: usize, fill: f32 },
    /// One 0/1 input per level; missing values become the most frequent level.
    OneHot { column: usize, levels: Vec<String>, fill: u32 },
    /// A date as three numbers, [`DATE_PARTS`]: a tree splits on "month ≤ 6"
    /// or "weekday ≤ 4" (Monday to Friday), which says what it learned, where
    /// a day count would say "date ≤ 19,783". Weekday rather than day of year,
    /// which repeats the month's signal, while weekly rhythms (trade, traffic)
    /// show only in the weekday. Missing dates become the training median
    /// date; standardized part by part when the model needs it.
    Date { column: usize, fill: f32, scale: Option<[Standard; 3]> },
}

/// The inputs a date column becomes, in order, as named in the views.
pub const DATE_PARTS: [&str; 3] = ["year", "month", "weekday"];

/// The fitted default preprocessing of a table's feature columns.
#[derive(Clone, Debug, PartialEq)]
pub struct Pipeline {
    steps: Vec<Step>,
    names: Vec<String>,
    /// One sentence on what was done, shown under the model.
    summary: String,
}

impl Pipeline {
    /// Fits on `train_rows` the steps for `columns`, each used as the given kind,
    /// scaling numeric columns as the model needs. Columns whose kind is not a
    /// feature kind are skipped.
    pub fn fit(
        table: &Table,
        columns: &[(usize, ColumnKind)],
        train_rows: &[usize],
        scaling: Scaling,
    ) -> Result<Pipeline, PrepError> {
        let mut steps = Vec::new();
        let mut imputed = 0usize;
        let mut encoded = Vec::new();
        let mut standardized = 0usize;
        let mut dated = Vec::new();
        for &(column, kind) in columns {
            let col = &table.columns[column];
            let step = match kind {
                ColumnKind::Numeric => {
                    let values = col.numbers().ok_or_else(|| PrepError::NotNumeric(col.name.clone()))?;
                    imputed += train_rows.iter().filter(|&&r| values[r].is_nan()).count();
                    let fill = median(train_rows.iter().map(|&r| values[r]));
                    let scale = (scaling == Scaling::Standardize).then(|| {
                        standardized += 1;
                        Standard::fit(train_rows.iter().map(|&r| fill_nan(Some(values[r]), fill) as f64))
                    });
                    Step::Number { column, fill, scale }
                }
                ColumnKind::Boolean => {
                    let values = col.booleans().ok_or_else(|| PrepError::NotBoolean(col.name.clone()))?;
                    let ones = train_rows.iter().filter(|&&r| values[r] == 1.0).count();
                    let zeros = train_rows.iter().filter(|&&r| values[r] == 0.0).count();
                    imputed += train_rows.len() - ones - zeros;
                    Step::Flag { column, fill: if ones > zeros { 1.0 } else { 0.0 } }
                }
                ColumnKind::Categorical => {
                    let cats = col.categories();
                    let mut counts = vec![0usize; cats.levels.len()];
                    for &r in train_rows {
                        match counts.get_mut(cats.codes[r] as usize) {
                            Some(c) => *c += 1,
                            None => imputed += 1,
                        }
                    }
                    let fill = (0..counts.len()).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0) as u32;
                    encoded.push(format!("{} ({} levels)", col.name, cats.levels.len()));
                    Step::OneHot { column, levels: cats.levels, fill }
                }
                ColumnKind::Date => {
                    let days = col.dates().ok_or_else(|| PrepError::NotDate(col.name.clone()))?;
                    imputed += train_rows.iter().filter(|&&r| days[r].is_nan()).count();
                    let fill = median(train_rows.iter().map(|&r| days[r]));
                    let scale = (scaling == Scaling::Standardize).then(|| {
                        standardized += DATE_PARTS.len();
                        let parts: Vec<[f32; 3]> =
                            train_rows.iter().map(|&r| date_parts(fill_nan(Some(days[r]), fill))).collect();
                        std::array::from_fn(|i| Standard::fit(parts.iter().map(|p| p[i] as f64)))
                    });
                    dated.push(col.name.clone());
                    Step::Date { column, fill, scale }
                }
                ColumnKind::Identifier | ColumnKind::Text | ColumnKind::Empty => continue,
            };
            steps.push(step);
        }
        if steps.is_empty() {
            return Err(PrepError::NoFeatures);
        }
        let mut parts = Vec::new();
        if imputed > 0 {
            parts.push(format!("imputed {imputed} missing training values (median for numbers, most frequent otherwise)"));
        }
        if !encoded.is_empty() {
            parts.push(format!("one-hot encoded {}", encoded.join(", ")));
        }
        if !dated.is_empty() {
            parts.push(format!("split {} into {}", dated.join(", "), DATE_PARTS.join(", ")));
        }
        if parts.is_empty() {
            parts.push("no imputation or encoding needed".to_string());
        }
        let scaled = match standardized {
            0 => "numeric features used in their own units, unscaled".to_string(),
            1 => "standardized the numeric feature (training mean and standard deviation)".to_string(),
            n => format!("standardized {n} numeric features (training mean and standard deviation)"),
        };
        let summary = format!("{}; {scaled}.", capitalize(&parts.join("; ")));
        let names = table.columns.iter().map(|c| c.name.clone()).collect();
        Ok(Pipeline { steps, names, summary })
    }

    pub fn summary(&self) -> &str {
        &self.summary
    }

    /// The model inputs, in order, in the columns' terms.
    pub fn features(&self) -> Vec<FeatureInfo> {
        let mut out = Vec::new();
        for step in &self.steps {
            match step {
                Step::Number { column, .. } => {
                    out.push(FeatureInfo { column: self.names[*column].clone(), encoding: Encoding::Value })
                }
                Step::Flag { column, .. } => {
                    out.push(FeatureInfo { column: self.names[*column].clone(), encoding: Encoding::Flag })
                }
                Step::OneHot { column, levels, .. } => out.extend(
                    levels
                        .iter()
                        .map(|l| FeatureInfo { column: self.names[*column].clone(), encoding: Encoding::Level(l.clone()) }),
                ),
                Step::Date { column, .. } => out.extend(DATE_PARTS.iter().map(|part| FeatureInfo {
                    column: format!("{} ({part})", self.names[*column]),
                    encoding: Encoding::Value,
                })),
            }
        }
        out
    }

    /// Table column of each model input.
    pub fn source_columns(&self) -> Vec<usize> {
        self.steps
            .iter()
            .flat_map(|step| match step {
                Step::Number { column, .. } | Step::Flag { column, .. } => vec![*column],
                Step::OneHot { column, levels, .. } => vec![*column; levels.len()],
                Step::Date { column, .. } => vec![*column; DATE_PARTS.len()],
            })
            .collect()
    }

    /// The model input that carries numeric column `column` unchanged, if any:
    /// the axes of a boundary plot.
    pub fn value_input(&self, column: usize) -> Option<usize> {
        let mut index = 0;
        for step in &self.steps {
            match step {
                Step::Number { column: c, .. } if *c == column => return Some(index),
                Step::Number { .. } | Step::Flag { .. } => index += 1,
                Step::OneHot { levels, .. } => index += levels.len(),
                Step::Date { .. } => index += DATE_PARTS.len(),
            }
        }
        None
    }

    /// Encodes `rows` of the table.
    pub fn transform(&self, table: &Table, rows: &[usize]) -> FeatureMatrix {
        let mut columns = Vec::new();
        for step in &self.steps {
            match step {
                Step::Number { column, fill, scale } => {
                    let v = table.columns[*column].numbers().unwrap_or(&[]);
                    let value = |r: usize| fill_nan(v.get(r).copied(), *fill);
                    columns.push(match scale {
                        Some(s) => rows.iter().map(|&r| s.apply(value(r))).collect(),
                        None => rows.iter().map(|&r| value(r)).collect(),
                    });
                }
                Step::Flag { column, fill } => {
                    let v = table.columns[*column].booleans().unwrap_or_default();
                    columns.push(rows.iter().map(|&r| fill_nan(v.get(r).copied(), *fill)).collect());
                }
                Step::OneHot { column, levels, fill } => {
                    let codes = table.columns[*column].categories().codes;
                    let code = |r: usize| match codes.get(r) {
                        Some(&c) if c != MISSING_CODE => c,
                        _ => *fill,
                    };
                    for level in 0..levels.len() as u32 {
                        columns.push(rows.iter().map(|&r| if code(r) == level { 1.0 } else { 0.0 }).collect());
                    }
                }
                Step::Date { column, fill, scale } => {
                    let days = table.columns[*column].dates().unwrap_or(&[]);
                    let parts: Vec<[f32; 3]> =
                        rows.iter().map(|&r| date_parts(fill_nan(days.get(r).copied(), *fill))).collect();
                    for i in 0..DATE_PARTS.len() {
                        columns.push(parts.iter().map(|p| scale.map_or(p[i], |s| s[i].apply(p[i]))).collect());
                    }
                }
            }
        }
        FeatureMatrix::from_columns(rows.len(), columns)
    }

    /// Encodes a raw value of numeric column `column` as the model sees it
    /// (scaled if the pipeline scales), e.g. a boundary plot's axis value.
    pub fn encode_value(&self, column: usize, raw: f32) -> f32 {
        match self.scale_of(column) {
            Some(s) => s.apply(raw),
            None => raw,
        }
    }

    /// How numeric column `column` is standardized, if it is.
    fn scale_of(&self, column: usize) -> Option<Standard> {
        self.steps.iter().find_map(|step| match step {
            Step::Number { column: c, scale, .. } if *c == column => *scale,
            _ => None,
        })
    }

    /// The raw value of numeric column `column` from its model input `encoded`:
    /// the inverse of [`Pipeline::encode_value`], e.g. a centroid on a plot's axis.
    pub fn decode_value(&self, column: usize, encoded: f32) -> f64 {
        match self.scale_of(column) {
            Some(s) => s.invert(encoded as f64),
            None => encoded as f64,
        }
    }

    /// The boundary plot's slice controls: one per feature column, over its
    /// training range, starting at its typical value (median, most frequent).
    pub fn slice_controls(&self, table: &Table, train_rows: &[usize]) -> Vec<ColumnDomain> {
        self.steps
            .iter()
            .map(|step| {
                let column = self.names[step.column()].clone();
                match step {
                    Step::Number { column: c, fill, .. } => {
                        let values = table.columns[*c].numbers().unwrap_or(&[]);
                        let (min, max) = train_rows
                            .iter()
                            .filter_map(|&r| values.get(r).copied().filter(|v| v.is_finite()))
                            .fold((*fill as f64, *fill as f64), |(lo, hi), v| (lo.min(v as f64), hi.max(v as f64)));
                        ColumnDomain::Number { column, min, max, value: *fill as f64 }
                    }
                    Step::Flag { fill, .. } => ColumnDomain::Flag { column, value: *fill == 1.0 },
                    Step::OneHot { levels, fill, .. } => {
                        ColumnDomain::Levels { column, levels: levels.clone(), value: levels[*fill as usize].clone() }
                    }
                    // A date slides over its days since 1970, the way the table stores it.
                    Step::Date { column: c, fill, .. } => {
                        let days = table.columns[*c].dates().unwrap_or(&[]);
                        let (min, max) = train_rows
                            .iter()
                            .filter_map(|&r| days.get(r).copied().filter(|v| v.is_finite()))
                            .fold((*fill as f64, *fill as f64), |(lo, hi), v| (lo.min(v as f64), hi.max(v as f64)));
                        ColumnDomain::Number { column, min, max, value: *fill as f64 }
                    }
                }
            })
            .collect()
    }

    /// What table row `row` gives each feature column, missing values imputed
    /// as the model saw them, in the columns' own terms.
    pub fn row_values(&self, table: &Table, row: usize) -> FeatureValues {
        self.steps.iter().map(|step| (self.names[step.column()].clone(), step.values(table, &[row]).remove(0))).collect()
    }

    /// What each of table rows `rows` gives feature column `column` (by
    /// name), as in [`Pipeline::row_values`]; `None` for a column that is not
    /// a feature.
    pub fn column_values(&self, table: &Table, column: &str, rows: &[usize]) -> Option<Vec<FeatureValue>> {
        let step = self.steps.iter().find(|s| self.names[s.column()] == column)?;
        Some(step.values(table, rows))
    }

    /// `values` with each date column's parts added under the names its model
    /// inputs carry ("when (month)"), so a tree's split on a part can be traced.
    pub fn with_date_parts(&self, mut values: FeatureValues) -> FeatureValues {
        for step in &self.steps {
            let Step::Date { column, fill, .. } = step else { continue };
            let name = &self.names[*column];
            let days = match value_of(&values, name) {
                Some(FeatureValue::Number(v)) => fill_nan(Some(*v as f32), *fill),
                _ => *fill,
            };
            let parts = date_parts(days);
            for (part, v) in DATE_PARTS.iter().zip(parts) {
                values.push((format!("{name} ({part})"), FeatureValue::Number(v as f64)));
            }
        }
        values
    }

    /// Encodes feature values as one row of model inputs. A column not in
    /// `values` (or given as a missing number) takes its typical value, so
    /// `encode_row(&[])` is the typical row the boundary plot starts from.
    pub fn encode_row(&self, values: &[(String, FeatureValue)]) -> Result<Vec<f32>, PrepError> {
        let mut row = Vec::new();
        for step in &self.steps {
            let name = &self.names[step.column()];
            let wrong = || PrepError::BadValue { column: name.clone() };
            match (step, value_of(values, name)) {
                (Step::Number { fill, scale, .. }, value) => {
                    let raw = match value {
                        None => *fill,
                        Some(FeatureValue::Number(v)) => fill_nan(Some(*v as f32), *fill),
                        Some(_) => return Err(wrong()),
                    };
                    row.push(scale.map_or(raw, |s| s.apply(raw)));
                }
                (Step::Flag { fill, .. }, value) => row.push(match value {
                    None => *fill,
                    Some(FeatureValue::Flag(b)) => f32::from(u8::from(*b)),
                    Some(_) => return Err(wrong()),
                }),
                (Step::OneHot { levels, fill, .. }, value) => {
                    let code = match value {
                        None => *fill as usize,
                        Some(FeatureValue::Level(l)) => levels
                            .iter()
                            .position(|x| x == l)
                            .ok_or_else(|| PrepError::UnknownLevel { column: name.clone(), level: l.clone() })?,
                        Some(_) => return Err(wrong()),
                    };
                    row.extend((0..levels.len()).map(|l| if l == code { 1.0 } else { 0.0 }));
                }
                (Step::Date { fill, scale, .. }, value) => {
                    let days = match value {
                        None => *fill,
                        Some(FeatureValue::Number(v)) => fill_nan(Some(*v as f32), *fill),
                        Some(_) => return Err(wrong()),
                    };
                    let parts = date_parts(days);
                    row.extend((0..DATE_PARTS.len()).map(|i| scale.map_or(parts[i], |s| s[i].apply(parts[i]))));
                }
            }
        }
        Ok(row)
    }
}

impl Step {
    /// What table rows `rows` give the step's column, missing imputed; the
    /// column is read once, however many rows.
    fn values(&self, table: &Table, rows: &[usize]) -> Vec<FeatureValue> {
        let col = &table.columns[self.column()];
        let numbers = |v: Option<&[f32]>, fill: f32| -> Vec<FeatureValue> {
            rows.iter().map(|&r| FeatureValue::Number(fill_nan(v.and_then(|v| v.get(r).copied()), fill) as f64)).collect()
        };
        match self {
            Step::Number { fill, .. } => numbers(col.numbers(), *fill),
            Step::Date { fill, .. } => numbers(col.dates(), *fill),
            Step::Flag { fill, .. } => {
                let v = col.booleans();
                rows.iter()
                    .map(|&r| FeatureValue::Flag(fill_nan(v.as_ref().and_then(|v| v.get(r).copied()), *fill) == 1.0))
                    .collect()
            }
            Step::OneHot { levels, fill, .. } => {
                let codes = col.categories().codes;
                rows.iter()
                    .map(|&r| {
                        let code = codes.get(r).copied().filter(|&c| c != MISSING_CODE).unwrap_or(*fill);
                        FeatureValue::Level(levels.get(code as usize).unwrap_or(&levels[*fill as usize]).clone())
                    })
                    .collect()
            }
        }
    }

    /// The table column the step encodes.
    fn column(&self) -> usize {
        match self {
            Step::Number { column, .. }
            | Step::Flag { column, .. }
            | Step::OneHot { column, .. }
            | Step::Date { column, .. } => *column,
        }
    }
}

fn fill_nan(v: Option<f32>, fill: f32) -> f32 {
    match v {
        Some(v) if !v.is_nan() => v,
        _ => fill,
    }
}

/// Median of the present values (0 if there are none), as scikit-learn's
/// `SimpleImputer(strategy="median")` computes it.
fn median(values: impl Iterator<Item = f32>) -> f32 {
    let mut v: Vec<f32> = values.filter(|v| !v.is_nan()).collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_unstable_by(f32::total_cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 1 {
        v[mid]
    } else {
        ((v[mid - 1] as f64 + v[mid] as f64) / 2.0) as f32
    }
}

#[cfg(test)]
mod tests;
