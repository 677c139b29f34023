//! The fitted feature pipeline: a [`PipelineSpec`] learned on the training
//! rows, then applied to any rows or raw values. Column steps turn each
//! feature column into inputs (imputed, encoded, a date split into parts, an
//! aggregate by level); input steps then scale, bin, multiply and rotate
//! those inputs in the order the spec lists them.

use serde::{Deserialize, Serialize};

use super::input::{self, Carried, Input, InputStep};
use super::spec::{
    BeforeAfter, CategoryEncoding, Fill, GroupStat, Histogram, PipelineReport, PipelineSpec, StepReport, StepSpec,
    MAX_EXAMPLES,
};
use super::{ColumnDomain, PrepError};
use crate::base::program::{Builder, Data, InputDoc, NotLowered, Op, Reg};
use crate::base::{value_of, Encoding, FeatureInfo, FeatureMatrix, FeatureValue, FeatureValues, Target};
use crate::data::{date_parts, ColumnKind, Table, MISSING_CODE};

/// The inputs a date column becomes, in order, as named in the views.
pub const DATE_PARTS: [&str; 3] = ["year", "month", "weekday"];

/// Bins of a step report's histograms.
pub const HISTOGRAM_BINS: usize = 20;

/// How one feature column becomes model inputs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum Coding {
    /// The number itself; missing values become the training fill.
    Number { fill: f32 },
    /// 0 or 1; missing values become the most frequent training value.
    Flag { fill: f32 },
    /// Levels (the table's, in order) mapped to groups (rare levels share
    /// "other"), then encoded; missing values become the most frequent
    /// training level (`fill`, a level index).
    Category { levels: Vec<String>, group: Vec<u32>, groups: Vec<String>, fill: u32, encoded: Encoded },
    /// A date as three numbers, [`DATE_PARTS`]: a tree splits on "month ≤ 6"
    /// or "weekday ≤ 4" (Monday to Friday), which says what it learned, where
    /// a day count would say "date ≤ 19,783". Weekday rather than day of year,
    /// which repeats the month's signal, while weekly rhythms (trade, traffic)
    /// show only in the weekday. Missing dates become the training fill.
    Date { fill: f32 },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum Encoded {
    OneHot,
    Ordinal,
    /// Each group's value per output (one output, or one per class).
    Target(Vec<Vec<f32>>),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct ColumnStep {
    column: usize,
    coding: Coding,
    /// Whether a "`<column>` missing" input follows.
    indicator: bool,
}

/// "fare mean by class": a statistic of a numeric column per level of a
/// category feature, learned on the training rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Aggregate {
    /// The column step of the category column it groups by.
    by: usize,
    /// The statistic per level of `by`.
    per_level: Vec<f32>,
    /// What a level unseen in training gets.
    unseen: f32,
}

/// Feature columns' raw values for a batch of rows, one entry per feature
/// column: numbers (NaN when missing; flags as 0/1, dates as days since
/// 1970) or level codes ([`MISSING_CODE`] when missing). Built from table
/// rows or from values, changed column by column (a boundary grid's axes, a
/// permuted column), then encoded by [`Pipeline::encode`].
#[derive(Clone, Debug, PartialEq)]
pub struct RawRows {
    n: usize,
    table_columns: Vec<usize>,
    columns: Vec<RawColumn>,
}

/// One raw value of a [`RawColumn`].
#[derive(Clone, Copy, Debug, PartialEq)]
enum RawValue {
    Number(f32),
    Code(u32),
}

#[derive(Clone, Debug, PartialEq)]
enum RawColumn {
    Numbers(Vec<f32>),
    Codes(Vec<u32>),
}

impl RawColumn {
    fn missing(&self, r: usize) -> bool {
        match self {
            RawColumn::Numbers(v) => v[r].is_nan(),
            RawColumn::Codes(c) => c[r] == MISSING_CODE,
        }
    }

    fn repeat(&self, times: usize) -> RawColumn {
        match self {
            RawColumn::Numbers(v) => RawColumn::Numbers(v.repeat(times)),
            RawColumn::Codes(c) => RawColumn::Codes(c.repeat(times)),
        }
    }

    fn reorder(&self, order: &[usize]) -> RawColumn {
        match self {
            RawColumn::Numbers(v) => RawColumn::Numbers(order.iter().map(|&r| v[r]).collect()),
            RawColumn::Codes(c) => RawColumn::Codes(order.iter().map(|&r| c[r]).collect()),
        }
    }
}

impl RawRows {
    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// All rows, `times` times over: row `r` of copy `k` is row `k n + r`.
    pub fn repeat(&self, times: usize) -> RawRows {
        RawRows {
            n: self.n * times,
            table_columns: self.table_columns.clone(),
            columns: self.columns.iter().map(|c| c.repeat(times)).collect(),
        }
    }

    /// Sets numeric (or date) table column `column` to `values`, one per row.
    /// False if it is not a numeric feature or the count is wrong.
    pub fn set_numbers(&mut self, column: usize, values: Vec<f32>) -> bool {
        match self.table_columns.iter().position(|&c| c == column).map(|i| &mut self.columns[i]) {
            Some(RawColumn::Numbers(v)) if values.len() == self.n => {
                *v = values;
                true
            }
            _ => false,
        }
    }

    /// Numeric (or date, or flag) table column `column`'s values, one per
    /// row (NaN where missing); `None` for a column that is not one.
    pub fn numbers(&self, column: usize) -> Option<&[f32]> {
        match self.table_columns.iter().position(|&c| c == column).map(|i| &self.columns[i]) {
            Some(RawColumn::Numbers(v)) => Some(v),
            _ => None,
        }
    }

    /// Makes table column `column` missing in every row, so that encoding
    /// gives it the pipeline's imputed value: an input missing at prediction time.
    pub fn set_missing(&mut self, column: usize) {
        if let Some(i) = self.table_columns.iter().position(|&c| c == column) {
            match &mut self.columns[i] {
                RawColumn::Numbers(v) => v.fill(f32::NAN),
                RawColumn::Codes(c) => c.fill(MISSING_CODE),
            }
        }
    }

    /// Row `r` as an exported program takes it: one number per feature
    /// column, a category as its level's index, NaN when missing.
    pub fn row(&self, r: usize) -> Vec<f32> {
        self.columns
            .iter()
            .map(|c| match c {
                RawColumn::Numbers(v) => v[r],
                RawColumn::Codes(c) if c[r] == MISSING_CODE => f32::NAN,
                RawColumn::Codes(c) => c[r] as f32,
            })
            .collect()
    }

    /// Rows `rows` of these rows, in that order.
    pub fn select(&self, rows: &[usize]) -> RawRows {
        RawRows {
            n: rows.len(),
            table_columns: self.table_columns.clone(),
            columns: self.columns.iter().map(|c| c.reorder(rows)).collect(),
        }
    }

    /// Reorders table column `column`'s values: row `r` takes row `order[r]`'s.
    pub fn permute(&mut self, column: usize, order: &[usize]) {
        if let Some(i) = self.table_columns.iter().position(|&c| c == column) {
            self.columns[i] = self.columns[i].reorder(order);
        }
    }
}

/// The fitted preprocessing of a table's feature columns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pipeline {
    columns: Vec<ColumnStep>,
    aggregates: Vec<Aggregate>,
    steps: Vec<InputStep>,
    /// The model inputs after every step.
    inputs: Vec<Input>,
    /// Every table column's name.
    names: Vec<String>,
    report: PipelineReport,
}

/// How many of the spec's steps are of one kind.
fn count(spec: &PipelineSpec, id: &str) -> usize {
    spec.steps.iter().filter(|s| s.id() == id).count()
}

impl Pipeline {
    /// Fits `spec` on `train_rows` for `columns`, each used as the given kind
    /// (columns whose kind is not a feature kind are skipped). `target` is
    /// the training rows' target, in the order of `train_rows`: target
    /// encoding reads it, nothing else does.
    pub fn fit(
        table: &Table,
        columns: &[(usize, ColumnKind)],
        train_rows: &[usize],
        target: &Target,
        spec: &PipelineSpec,
    ) -> Result<Pipeline, PrepError> {
        for id in ["impute", "encode"] {
            let n = count(spec, id);
            if n != 1 {
                return Err(PrepError::ColumnSteps { step: id.to_string(), count: n });
            }
        }
        let (fill, indicator) = spec
            .steps
            .iter()
            .find_map(|s| match s {
                StepSpec::Impute { numbers, indicator } => Some((*numbers, *indicator)),
                _ => None,
            })
            .unwrap_or((Fill::Median, false));
        let (encoding, min_count) = spec
            .steps
            .iter()
            .find_map(|s| match s {
                StepSpec::Encode { encoding, min_count } => Some((*encoding, *min_count)),
                _ => None,
            })
            .unwrap_or((CategoryEncoding::OneHot, 0));
        let outputs = match (encoding, target) {
            (CategoryEncoding::Target, Target::Unlabeled { .. }) => return Err(PrepError::TargetEncodingWithoutTarget),
            (CategoryEncoding::Target, t) => target_outputs(t),
            _ => Vec::new(),
        };

        let mut steps = Vec::new();
        let mut imputed = 0usize;
        let mut encoded = Vec::new();
        let mut dated = Vec::new();
        for &(column, kind) in columns {
            let col = &table.columns[column];
            let (coding, missing) = match kind {
                ColumnKind::Numeric => {
                    let values = col.numbers().ok_or_else(|| PrepError::NotNumeric(col.name.clone()))?;
                    let present = train_rows.iter().map(|&r| values[r]);
                    let missing = train_rows.iter().filter(|&&r| values[r].is_nan()).count();
                    (Coding::Number { fill: fill_value(fill, present) }, missing)
                }
                ColumnKind::Boolean => {
                    let values = col.booleans().ok_or_else(|| PrepError::NotBoolean(col.name.clone()))?;
                    let ones = train_rows.iter().filter(|&&r| values[r] == 1.0).count();
                    let zeros = train_rows.iter().filter(|&&r| values[r] == 0.0).count();
                    (Coding::Flag { fill: if ones > zeros { 1.0 } else { 0.0 } }, train_rows.len() - ones - zeros)
                }
                ColumnKind::Categorical => {
                    let cats = col.categories();
                    // No level at all (every value missing): nothing to encode, as an empty column.
                    if cats.levels.is_empty() {
                        continue;
                    }
                    let mut counts = vec![0usize; cats.levels.len()];
                    let mut missing = 0;
                    for &r in train_rows {
                        match counts.get_mut(cats.codes[r] as usize) {
                            Some(c) => *c += 1,
                            None => missing += 1,
                        }
                    }
                    let fill = (0..counts.len()).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0) as u32;
                    let (group, groups) = group_levels(&cats.levels, &counts, min_count);
                    let coded = |r: usize| {
                        let c = cats.codes[r];
                        group[if c == MISSING_CODE || c as usize >= group.len() { fill as usize } else { c as usize }]
                    };
                    let encoded_as = match encoding {
                        CategoryEncoding::OneHot => Encoded::OneHot,
                        CategoryEncoding::Ordinal => Encoded::Ordinal,
                        CategoryEncoding::Target => {
                            let codes: Vec<u32> = train_rows.iter().map(|&r| coded(r)).collect();
                            Encoded::Target(target_encoding(&codes, groups.len(), &outputs))
                        }
                    };
                    encoded.push(format!("{} ({} levels)", col.name, groups.len()));
                    (Coding::Category { levels: cats.levels, group, groups, fill, encoded: encoded_as }, missing)
                }
                ColumnKind::Date => {
                    let days = col.dates().ok_or_else(|| PrepError::NotDate(col.name.clone()))?;
                    let missing = train_rows.iter().filter(|&&r| days[r].is_nan()).count();
                    dated.push(col.name.clone());
                    (Coding::Date { fill: fill_value(fill, train_rows.iter().map(|&r| days[r])) }, missing)
                }
                ColumnKind::Identifier | ColumnKind::Text | ColumnKind::Empty => continue,
            };
            imputed += missing;
            steps.push(ColumnStep { column, coding, indicator: indicator && missing > 0 });
        }
        if steps.is_empty() {
            return Err(PrepError::NoFeatures);
        }
        let names: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
        let mut aggregates = Vec::new();
        let mut aggregate_names = Vec::new();
        for step in &spec.steps {
            let StepSpec::Aggregate { of, by, stat } = step else { continue };
            let (aggregate, name) = fit_aggregate(table, &steps, train_rows, of, by, *stat)?;
            aggregates.push(aggregate);
            aggregate_names.push(name);
        }
        let mut pipeline = Pipeline {
            columns: steps,
            aggregates,
            steps: Vec::new(),
            inputs: Vec::new(),
            names,
            report: PipelineReport { steps: Vec::new(), inputs: Vec::new() },
        };
        let output_names: Vec<String> = outputs.iter().map(|(name, _)| name.clone()).collect();
        pipeline.inputs = pipeline.column_inputs_info(&output_names, &aggregate_names);

        // Column steps' reports.
        let raw = pipeline.raw_rows(table, train_rows);
        let mut train = pipeline.column_inputs(&raw);
        let offsets = pipeline.offsets();
        let made = offsets.last().copied().unwrap_or(0);
        let indicators: Vec<usize> = (made..made + pipeline.columns.iter().filter(|c| c.indicator).count()).collect();
        let encoded_inputs: Vec<usize> = pipeline
            .columns
            .iter()
            .zip(&offsets)
            .filter(|(c, _)| {
                matches!(
                    &c.coding,
                    Coding::Category { encoded: Encoded::Ordinal | Encoded::Target(_), .. } | Coding::Date { .. }
                )
            })
            .flat_map(|(c, &at)| at..at + pipeline.width(c))
            .collect();
        let fill_name = match fill {
            Fill::Mean => "mean".to_string(),
            Fill::Median => "median".to_string(),
            Fill::MostFrequent => "most frequent value".to_string(),
            Fill::Constant(c) => crate::base::format_number(c),
        };
        let impute_summary = match imputed {
            0 => "No missing values in the training rows".to_string(),
            n => format!(
                "Imputed {n} missing training values ({fill_name} for numbers, most frequent otherwise){}",
                if indicator { ", each column with missing values flagged in a \"missing\" input" } else { "" }
            ),
        };
        let impute_examples = pipeline.impute_examples(&raw, &train, &offsets, &indicators);
        let how = match encoding {
            CategoryEncoding::OneHot => "one-hot encoded",
            CategoryEncoding::Ordinal => "ordinal encoded",
            CategoryEncoding::Target => "target encoded",
        };
        let mut encode_parts = Vec::new();
        if !encoded.is_empty() {
            encode_parts.push(format!("{how} {}", encoded.join(", ")));
        }
        if min_count > 1
            && pipeline
                .columns
                .iter()
                .any(|c| matches!(&c.coding, Coding::Category { groups, levels, .. } if groups.len() < levels.len()))
        {
            encode_parts.push(format!("levels in fewer than {min_count} training rows grouped as \"other\""));
        }
        if !dated.is_empty() {
            encode_parts.push(format!("split {} into {}", dated.join(", "), DATE_PARTS.join(", ")));
        }
        let encode_idle = encode_parts.is_empty();
        let encode_summary = if encode_idle {
            "No categories or dates to encode".to_string()
        } else {
            crate::base::capitalize(&encode_parts.join("; "))
        };
        let encode_examples: Vec<BeforeAfter> = encoded_inputs
            .into_iter()
            .take(MAX_EXAMPLES)
            .map(|i| BeforeAfter { before: None, after: Histogram::of(&pipeline.inputs[i].name(), &train[i]) })
            .collect();
        let first_aggregate = pipeline.inputs.len() - pipeline.aggregates.len();
        let mut aggregate_reports = aggregate_names
            .iter()
            .enumerate()
            .map(|(k, name)| StepReport {
                step: "aggregate".into(),
                summary: format!("Added {name}, learned on the training rows (a level unseen there gets the overall value)"),
                examples: vec![BeforeAfter { before: None, after: Histogram::of(name, &train[first_aggregate + k]) }],
                pca: None,
                idle: false,
            })
            .collect::<Vec<_>>()
            .into_iter();

        // Input steps, in order, each fitted on what the steps before it made.
        let mut reports = Vec::new();
        for step in &spec.steps {
            let report = match step {
                StepSpec::Impute { .. } => StepReport {
                    step: "impute".into(),
                    summary: impute_summary.clone(),
                    examples: impute_examples.clone(),
                    pca: None,
                    idle: imputed == 0,
                },
                StepSpec::Encode { .. } => StepReport {
                    step: "encode".into(),
                    summary: encode_summary.clone(),
                    examples: encode_examples.clone(),
                    pca: None,
                    idle: encode_idle,
                },
                StepSpec::Aggregate { .. } => {
                    aggregate_reports.next().ok_or_else(|| PrepError::ColumnSteps { step: "aggregate".into(), count: 0 })?
                }
                StepSpec::Scale { scaler, columns } => {
                    pipeline.add(input::fit_scale(*scaler, columns, &pipeline.inputs, &train)?, &mut train)
                }
                StepSpec::Bin { binning, bins, columns } => {
                    pipeline.add(input::fit_bin(*binning, *bins, columns, &pipeline.inputs, &train)?, &mut train)
                }
                StepSpec::Poly { columns } => pipeline.add(input::fit_poly(columns, &pipeline.inputs)?, &mut train),
                StepSpec::Pca { keep } => pipeline.add(input::fit_pca(*keep, &pipeline.inputs, &train)?, &mut train),
            };
            reports.push(report);
        }
        pipeline.report = PipelineReport { steps: reports, inputs: pipeline.inputs.iter().map(Input::name).collect() };
        Ok(pipeline)
    }

    /// Keeps a fitted input step, applies it to the training inputs, and says what it did.
    fn add(&mut self, fitted: input::Fitted, train: &mut Vec<Vec<f32>>) -> StepReport {
        let before = std::mem::take(train);
        let names: Vec<String> = self.inputs.iter().map(Input::name).collect();
        let examples_before: Vec<(Option<Histogram>, usize)> = fitted
            .changed
            .iter()
            .take(MAX_EXAMPLES)
            .map(|&(was, now)| (was.map(|i| Histogram::of(&names[i], &before[i])), now))
            .collect();
        *train = fitted.step.apply(before);
        let examples = examples_before
            .into_iter()
            .map(|(before, now)| BeforeAfter { before, after: Histogram::of(&fitted.inputs[now].name(), &train[now]) })
            .collect();
        let step = match &fitted.step {
            InputStep::Scale { .. } => "scale",
            InputStep::Bin { .. } => "bin",
            InputStep::Poly { .. } => "poly",
            InputStep::Pca { .. } => "pca",
        };
        self.steps.push(fitted.step);
        self.inputs = fitted.inputs;
        StepReport { step: step.into(), summary: fitted.summary, examples, pca: fitted.pca, idle: false }
    }

    /// The inputs the column steps make, in order: each column's own, then
    /// the missing indicators, then the aggregates.
    fn column_inputs_info(&self, outputs: &[String], aggregate_names: &[String]) -> Vec<Input> {
        let mut out = Vec::new();
        for step in &self.columns {
            let name = &self.names[step.column];
            let sources = vec![step.column];
            let input = |info: FeatureInfo, numeric: bool, plain: bool| Input {
                info,
                sources: sources.clone(),
                numeric,
                carries: None,
                plain,
            };
            match &step.coding {
                Coding::Number { .. } => out.push(Input {
                    carries: Some(Carried { column: step.column, center: 0.0, scale: 1.0 }),
                    ..input(FeatureInfo { column: name.clone(), encoding: Encoding::Value }, true, true)
                }),
                Coding::Flag { .. } => {
                    out.push(input(FeatureInfo { column: name.clone(), encoding: Encoding::Flag }, false, true))
                }
                Coding::Category { groups, encoded, .. } => match encoded {
                    Encoded::OneHot => out.extend(groups.iter().map(|g| {
                        input(FeatureInfo { column: name.clone(), encoding: Encoding::Level(g.clone()) }, false, false)
                    })),
                    Encoded::Ordinal => out.push(input(
                        FeatureInfo { column: format!("{name} (level number)"), encoding: Encoding::Value },
                        false,
                        false,
                    )),
                    Encoded::Target(_) => out.extend(outputs.iter().map(|o| {
                        input(FeatureInfo { column: format!("{name} ({o})"), encoding: Encoding::Value }, true, false)
                    })),
                },
                Coding::Date { .. } => out.extend(DATE_PARTS.iter().map(|part| {
                    input(FeatureInfo { column: format!("{name} ({part})"), encoding: Encoding::Value }, true, false)
                })),
            }
        }
        for step in self.columns.iter().filter(|s| s.indicator) {
            out.push(Input {
                info: FeatureInfo { column: format!("{} missing", self.names[step.column]), encoding: Encoding::Flag },
                sources: vec![step.column],
                numeric: false,
                carries: None,
                plain: false,
            });
        }
        for (a, name) in self.aggregates.iter().zip(aggregate_names) {
            out.push(Input {
                info: FeatureInfo { column: name.clone(), encoding: Encoding::Value },
                sources: vec![self.columns[a.by].column],
                numeric: true,
                carries: None,
                plain: false,
            });
        }
        out
    }

    /// Before and after imputation, for the inputs of columns with missing
    /// training values (and their indicators, after only).
    fn impute_examples(
        &self,
        raw: &RawRows,
        train: &[Vec<f32>],
        offsets: &[usize],
        indicators: &[usize],
    ) -> Vec<BeforeAfter> {
        let mut out = Vec::new();
        for (k, (step, &at)) in self.columns.iter().zip(offsets).enumerate() {
            let missing = (0..raw.n).any(|r| raw.columns[k].missing(r));
            if let (true, Coding::Number { .. }, RawColumn::Numbers(v)) = (missing, &step.coding, &raw.columns[k]) {
                let present: Vec<f32> = v.iter().copied().filter(|x| !x.is_nan()).collect();
                let name = self.inputs[at].name();
                out.push(BeforeAfter {
                    before: Some(Histogram::of(&name, &present)),
                    after: Histogram::of(&name, &train[at]),
                });
            }
        }
        out.extend(
            indicators
                .iter()
                .map(|&i| BeforeAfter { before: None, after: Histogram::of(&self.inputs[i].name(), &train[i]) }),
        );
        out.truncate(MAX_EXAMPLES);
        out
    }

    /// Where each column step's inputs start, and (last) where the indicators do.
    fn offsets(&self) -> Vec<usize> {
        let mut at = 0;
        let mut out = vec![0];
        for step in &self.columns {
            at += self.width(step);
            out.push(at);
        }
        out
    }

    /// How many inputs a column step makes (indicators aside).
    fn width(&self, step: &ColumnStep) -> usize {
        match &step.coding {
            Coding::Number { .. } | Coding::Flag { .. } => 1,
            Coding::Category { groups, encoded, .. } => match encoded {
                Encoded::OneHot => groups.len(),
                Encoded::Ordinal => 1,
                Encoded::Target(values) => values.first().map_or(1, Vec::len),
            },
            Coding::Date { .. } => DATE_PARTS.len(),
        }
    }

    /// Whether every index in a pipeline read from a file points where it
    /// must: steps at table columns it names, levels at groups, each input
    /// step at inputs there are at its place. A damaged file is refused here
    /// rather than panicking at its first row.
    pub fn check(&self) -> Result<(), PrepError> {
        let damaged = |why: String| Err(PrepError::DamagedPipeline(why));
        for (k, step) in self.columns.iter().enumerate() {
            if step.column >= self.names.len() || self.columns[..k].iter().any(|c| c.column == step.column) {
                return damaged(format!(
                    "column step {} reads column {} of {}, or twice",
                    k + 1,
                    step.column,
                    self.names.len()
                ));
            }
            if let Coding::Category { levels, group, groups, fill, encoded } = &step.coding {
                let width_ok = match encoded {
                    Encoded::Target(values) => {
                        values.len() == groups.len() && values.iter().all(|v| !v.is_empty() && v.len() == values[0].len())
                    }
                    Encoded::OneHot | Encoded::Ordinal => true,
                };
                if group.len() != levels.len()
                    || group.iter().any(|&g| g as usize >= groups.len())
                    || *fill as usize >= levels.len()
                    || !width_ok
                {
                    return damaged(format!("the levels of '{}' do not match their groups", self.names[step.column]));
                }
            }
        }
        if self
            .aggregates
            .iter()
            .any(|a| !matches!(self.columns.get(a.by), Some(ColumnStep { coding: Coding::Category { .. }, .. })))
        {
            return damaged("an aggregate groups by a step that is not a category".into());
        }
        let mut n =
            self.columns.iter().map(|c| self.width(c) + usize::from(c.indicator)).sum::<usize>() + self.aggregates.len();
        for (k, step) in self.steps.iter().enumerate() {
            let (inputs, fits) = match step {
                // No affine at all: a scaler of "none", which leaves its inputs be.
                InputStep::Scale { inputs, affine } => (inputs, affine.is_empty() || affine.len() == inputs.len()),
                InputStep::Bin { inputs, edges } => (inputs, edges.len() == inputs.len()),
                InputStep::Poly { inputs } => (inputs, true),
                InputStep::Pca { inputs, mean, components, rest } => (
                    inputs,
                    mean.len() == inputs.len()
                        && components.iter().all(|c| c.len() == inputs.len())
                        && rest.iter().all(|&i| i < n),
                ),
            };
            if !fits || inputs.iter().any(|&i| i >= n) {
                return damaged(format!("input step {} names inputs that are not there ({n} at that point)", k + 1));
            }
            n = match step {
                InputStep::Poly { inputs } => n + inputs.len() * (inputs.len() + 1) / 2,
                InputStep::Pca { components, rest, .. } => components.len() + rest.len(),
                InputStep::Scale { .. } | InputStep::Bin { .. } => n,
            };
        }
        let feature = |c: usize| self.columns.iter().any(|s| s.column == c);
        let sources_ok =
            self.inputs.iter().all(|i| i.sources.iter().all(|&c| feature(c)) && i.carries.is_none_or(|c| feature(c.column)));
        if n != self.inputs.len() || !sources_ok {
            return damaged(format!("the steps make {n} inputs, but {} are named", self.inputs.len()));
        }
        Ok(())
    }

    /// This pipeline reading `table`, which holds the columns it was fitted
    /// on, found by name in any order: a loaded model predicts on the table
    /// loaded. A column missing, of another kind, or (a category) with other
    /// levels is refused, every such column named, since its codes would
    /// mean other things. Call [`Pipeline::check`] first.
    pub fn on_table(&self, table: &Table) -> Result<Pipeline, PrepError> {
        let (mut missing, mut problems) = (Vec::new(), Vec::new());
        let mut moved = Vec::with_capacity(self.columns.len());
        for step in &self.columns {
            let name = &self.names[step.column];
            let Some(index) = table.column_index(name) else {
                missing.push(name.clone());
                continue;
            };
            let col = &table.columns[index];
            let why = match &step.coding {
                Coding::Number { .. } => col.numbers().is_none().then(|| "is not numeric here".to_string()),
                Coding::Date { .. } => col.dates().is_none().then(|| "holds no dates here".to_string()),
                Coding::Flag { .. } => col.booleans().is_none().then(|| "is not yes/no here".to_string()),
                Coding::Category { levels, .. } => {
                    let here = col.categories().levels;
                    (here != *levels)
                        .then(|| format!("has the levels {} here, the model knows {}", quoted(&here), quoted(levels)))
                }
            };
            match why {
                Some(why) => problems.push(format!("'{name}' {why}")),
                None => moved.push((step.column, index)),
            }
        }
        if !missing.is_empty() {
            let columns = if missing.len() == 1 { "column" } else { "columns" };
            problems.insert(0, format!("it has no {columns} {}", quoted(&missing)));
        }
        if !problems.is_empty() {
            return Err(PrepError::TableDiffers(problems.join("; ")));
        }
        let at = |old: usize| moved.iter().find(|(o, _)| *o == old).map_or(old, |&(_, new)| new);
        let mut pipeline = self.clone();
        for step in &mut pipeline.columns {
            step.column = at(step.column);
        }
        for input in &mut pipeline.inputs {
            input.sources.iter_mut().for_each(|c| *c = at(*c));
            if let Some(carried) = &mut input.carries {
                carried.column = at(carried.column);
            }
        }
        pipeline.names = table.columns.iter().map(|c| c.name.clone()).collect();
        Ok(pipeline)
    }

    /// One sentence on what was done, shown under the model: the steps'
    /// summaries, those with nothing to do left out.
    pub fn summary(&self) -> String {
        prep_summary(&self.report.steps)
    }

    /// What each step did, for the page.
    pub fn report(&self) -> &PipelineReport {
        &self.report
    }

    /// The model inputs, in order, named as the steps name them.
    pub fn features(&self) -> Vec<FeatureInfo> {
        self.inputs.iter().map(|i| i.info.clone()).collect()
    }

    /// The table columns each model input reads: one for most, two for a
    /// product, every combined column for a principal component.
    pub fn input_sources(&self) -> Vec<Vec<usize>> {
        self.inputs.iter().map(|i| i.sources.clone()).collect()
    }

    /// The feature columns, in order.
    pub fn feature_columns(&self) -> Vec<usize> {
        self.columns.iter().map(|c| c.column).collect()
    }

    /// Whether table column `column` is a numeric feature: what a boundary
    /// plot's axis or a numeric partial dependence grid runs over.
    pub fn is_number(&self, column: usize) -> bool {
        self.columns.iter().any(|c| c.column == column && matches!(c.coding, Coding::Number { .. }))
    }

    /// The raw value of numeric column `column` from the model input that
    /// carries it (scaled, perhaps): e.g. a centroid on a plot's axis. `None`
    /// where no input carries it any more (binned, or mixed into components):
    /// there is no honest way back.
    pub fn decode_value(&self, column: usize, encoded: &[f32]) -> Option<f64> {
        self.inputs.iter().zip(encoded).find_map(|(input, &v)| match input.carries {
            Some(c) if c.column == column => Some(v as f64 * c.scale + c.center),
            _ => None,
        })
    }

    /// Table rows `rows`' raw feature values, to change and encode.
    pub fn raw_rows(&self, table: &Table, rows: &[usize]) -> RawRows {
        let columns = self
            .columns
            .iter()
            .map(|step| {
                let col = &table.columns[step.column];
                let numbers = |v: Option<&[f32]>| {
                    RawColumn::Numbers(rows.iter().map(|&r| v.and_then(|v| v.get(r).copied()).unwrap_or(f32::NAN)).collect())
                };
                match step.coding {
                    Coding::Number { .. } => numbers(col.numbers()),
                    Coding::Date { .. } => numbers(col.dates()),
                    Coding::Flag { .. } => numbers(col.booleans().as_deref()),
                    Coding::Category { .. } => {
                        let codes = col.categories().codes;
                        RawColumn::Codes(rows.iter().map(|&r| codes.get(r).copied().unwrap_or(MISSING_CODE)).collect())
                    }
                }
            })
            .collect();
        RawRows { n: rows.len(), table_columns: self.feature_columns(), columns }
    }

    /// One row of raw values from feature values by column name. A column not
    /// in `values` (or given as a missing number) is missing, and so takes
    /// its typical value when encoded.
    pub fn raw_row(&self, values: &[(String, FeatureValue)]) -> Result<RawRows, PrepError> {
        let mut columns = Vec::with_capacity(self.columns.len());
        for step in &self.columns {
            let name = &self.names[step.column];
            let wrong = || PrepError::BadValue { column: name.clone() };
            let value = value_of(values, name);
            columns.push(match &step.coding {
                Coding::Number { .. } | Coding::Date { .. } => RawColumn::Numbers(vec![match value {
                    None => f32::NAN,
                    Some(FeatureValue::Number(v)) => *v as f32,
                    Some(_) => return Err(wrong()),
                }]),
                Coding::Flag { .. } => RawColumn::Numbers(vec![match value {
                    None => f32::NAN,
                    Some(FeatureValue::Flag(b)) => f32::from(u8::from(*b)),
                    Some(_) => return Err(wrong()),
                }]),
                Coding::Category { levels, .. } => RawColumn::Codes(vec![match value {
                    None => MISSING_CODE,
                    Some(FeatureValue::Level(l)) => levels
                        .iter()
                        .position(|x| x == l)
                        .ok_or_else(|| PrepError::UnknownLevel { column: name.clone(), level: l.clone() })?
                        as u32,
                    Some(_) => return Err(wrong()),
                }]),
            });
        }
        Ok(RawRows { n: 1, table_columns: self.feature_columns(), columns })
    }

    /// Sets feature column `column` to `value` in rows `rows` of `raw` (a
    /// partial dependence grid point), checked as [`Pipeline::raw_row`] checks it.
    pub fn set_value(
        &self,
        raw: &mut RawRows,
        column: usize,
        rows: std::ops::Range<usize>,
        value: &FeatureValue,
    ) -> Result<(), PrepError> {
        let Some((k, ones)) = self.raw_values(raw, column, std::slice::from_ref(value))? else { return Ok(()) };
        match (&mut raw.columns[k], ones[0]) {
            (RawColumn::Numbers(v), RawValue::Number(x)) => v[rows].fill(x),
            (RawColumn::Codes(v), RawValue::Code(x)) => v[rows].fill(x),
            _ => return Err(PrepError::BadValue { column: self.names[column].clone() }),
        }
        Ok(())
    }

    /// The raw inputs of an exported program, one per feature column, in
    /// the order of [`RawRows`]: numbers (flags as 0/1), or a category's
    /// level index with its levels listed.
    pub fn program_inputs(&self) -> Vec<InputDoc> {
        self.columns
            .iter()
            .map(|step| InputDoc {
                name: self.names[step.column].clone(),
                levels: match &step.coding {
                    Coding::Category { levels, .. } => Some(levels.clone()),
                    _ => None,
                },
            })
            .collect()
    }

    /// The fitted pipeline as program ops, from the raw inputs in registers
    /// `0..` (one per feature column, as [`Pipeline::program_inputs`]) to the
    /// model inputs; their registers, one per model input, in order. What
    /// [`Pipeline::encode`] does to one row, op for op.
    pub fn lower(&self, b: &mut Builder) -> Result<Vec<Reg>, NotLowered> {
        let mut out: Vec<Reg> = Vec::new();
        let level_table = |b: &mut Builder, what: &str, rows: Vec<Vec<f64>>| {
            let width = rows.first().map_or(0, Vec::len);
            (b.constant(what, Data::Real(rows.concat())), width)
        };
        for (k, step) in self.columns.iter().enumerate() {
            match &step.coding {
                Coding::Number { fill } | Coding::Flag { fill } => {
                    let dst = b.regs(1);
                    b.push(Op::Fill { src: k, dst, fill: *fill as f64 });
                    out.push(dst);
                }
                Coding::Category { levels, group, groups, fill, encoded } => {
                    let rows: Vec<Vec<f64>> = group
                        .iter()
                        .map(|&g| match encoded {
                            Encoded::OneHot => (0..groups.len() as u32).map(|h| f64::from(u8::from(h == g))).collect(),
                            Encoded::Ordinal => vec![g as f32 as f64],
                            Encoded::Target(values) => values[g as usize].iter().map(|&v| v as f64).collect(),
                        })
                        .collect();
                    let (table, width) = level_table(b, "levels", rows);
                    let dst = b.regs(width);
                    b.push(Op::Lookup { src: k, dst, table, levels: levels.len(), width, fill: *fill });
                    out.extend(dst..dst + width);
                }
                Coding::Date { .. } => {
                    return Err(NotLowered(format!(
                        "the date column \"{}\" cannot be exported as code yet; leave it out of the features to export",
                        self.names[step.column]
                    )))
                }
            }
        }
        for (k, step) in self.columns.iter().enumerate() {
            if step.indicator {
                let dst = b.regs(1);
                b.push(Op::Missing { src: k, dst });
                out.push(dst);
            }
        }
        for a in &self.aggregates {
            let Coding::Category { levels, fill, .. } = &self.columns[a.by].coding else { continue };
            let rows = (0..levels.len()).map(|l| vec![a.per_level.get(l).copied().unwrap_or(a.unseen) as f64]).collect();
            let (table, _) = level_table(b, "aggregate", rows);
            let dst = b.regs(1);
            b.push(Op::Lookup { src: a.by, dst, table, levels: levels.len(), width: 1, fill: *fill });
            out.push(dst);
        }
        for step in &self.steps {
            out = step.lower(b, out);
        }
        Ok(out)
    }

    /// Sets feature column `column` of each row `r` of `raw` to
    /// `choices[pick[r]]`, each choice checked once as [`Pipeline::raw_row`]
    /// checks it: a boundary grid's band axis, a level per cell.
    pub fn set_choices(
        &self,
        raw: &mut RawRows,
        column: usize,
        choices: &[FeatureValue],
        pick: &[usize],
    ) -> Result<(), PrepError> {
        let Some((k, ones)) = self.raw_values(raw, column, choices)? else { return Ok(()) };
        let bad = || PrepError::BadValue { column: self.names[column].clone() };
        if pick.len() != raw.n || pick.iter().any(|&p| p >= ones.len()) {
            return Err(bad());
        }
        match &mut raw.columns[k] {
            RawColumn::Numbers(v) => {
                for (slot, &p) in v.iter_mut().zip(pick) {
                    let RawValue::Number(x) = ones[p] else { return Err(bad()) };
                    *slot = x;
                }
            }
            RawColumn::Codes(v) => {
                for (slot, &p) in v.iter_mut().zip(pick) {
                    let RawValue::Code(x) = ones[p] else { return Err(bad()) };
                    *slot = x;
                }
            }
        }
        Ok(())
    }

    /// The place of feature column `column` in `raw`, and `values` as its raw
    /// values; `None` when `raw` does not hold the column.
    fn raw_values(
        &self,
        raw: &RawRows,
        column: usize,
        values: &[FeatureValue],
    ) -> Result<Option<(usize, Vec<RawValue>)>, PrepError> {
        let Some(k) = raw.table_columns.iter().position(|&c| c == column) else { return Ok(None) };
        let ones = values
            .iter()
            .map(|value| {
                let one = self.raw_row(&[(self.names[column].clone(), value.clone())])?;
                Ok(match &one.columns[k] {
                    RawColumn::Numbers(x) => RawValue::Number(x[0]),
                    RawColumn::Codes(x) => RawValue::Code(x[0]),
                })
            })
            .collect::<Result<_, PrepError>>()?;
        Ok(Some((k, ones)))
    }

    /// The model inputs of a batch of raw rows.
    pub fn encode(&self, raw: &RawRows) -> FeatureMatrix {
        let mut columns = self.column_inputs(raw);
        for step in &self.steps {
            columns = step.apply(columns);
        }
        FeatureMatrix::from_columns(raw.n, columns)
    }

    /// What the column steps make of raw rows, column-major.
    fn column_inputs(&self, raw: &RawRows) -> Vec<Vec<f32>> {
        let mut out: Vec<Vec<f32>> = Vec::new();
        let level = |step: &ColumnStep, codes: &[u32]| -> Vec<usize> {
            let Coding::Category { levels, fill, .. } = &step.coding else { return Vec::new() };
            codes
                .iter()
                .map(|&c| if c == MISSING_CODE || c as usize >= levels.len() { *fill as usize } else { c as usize })
                .collect()
        };
        for (step, values) in self.columns.iter().zip(&raw.columns) {
            match (&step.coding, values) {
                (Coding::Number { fill } | Coding::Flag { fill }, RawColumn::Numbers(v)) => {
                    out.push(v.iter().map(|&x| if x.is_nan() { *fill } else { x }).collect())
                }
                (Coding::Date { fill }, RawColumn::Numbers(v)) => {
                    let parts: Vec<[f32; 3]> = v.iter().map(|&x| date_parts(if x.is_nan() { *fill } else { x })).collect();
                    out.extend((0..DATE_PARTS.len()).map(|i| parts.iter().map(|p| p[i]).collect()));
                }
                (Coding::Category { group, groups, encoded, .. }, RawColumn::Codes(codes)) => {
                    let g: Vec<u32> = level(step, codes).into_iter().map(|l| group[l]).collect();
                    match encoded {
                        Encoded::OneHot => out.extend(
                            (0..groups.len() as u32).map(|k| g.iter().map(|&x| if x == k { 1.0 } else { 0.0 }).collect()),
                        ),
                        Encoded::Ordinal => out.push(g.iter().map(|&x| x as f32).collect()),
                        Encoded::Target(values) => {
                            let width = values.first().map_or(0, Vec::len);
                            out.extend((0..width).map(|k| g.iter().map(|&x| values[x as usize][k]).collect()));
                        }
                    }
                }
                // A raw column of the wrong kind is a bug in building it; its inputs read as missing.
                _ => out.extend((0..self.width(step)).map(|_| vec![f32::NAN; raw.n])),
            }
        }
        for (k, step) in self.columns.iter().enumerate() {
            if step.indicator {
                out.push((0..raw.n).map(|r| f32::from(u8::from(raw.columns[k].missing(r)))).collect());
            }
        }
        for a in &self.aggregates {
            let RawColumn::Codes(codes) = &raw.columns[a.by] else { continue };
            out.push(
                level(&self.columns[a.by], codes)
                    .into_iter()
                    .map(|l| a.per_level.get(l).copied().unwrap_or(a.unseen))
                    .collect(),
            );
        }
        out
    }

    /// Encodes `rows` of the table.
    pub fn transform(&self, table: &Table, rows: &[usize]) -> FeatureMatrix {
        self.encode(&self.raw_rows(table, rows))
    }

    /// Encodes feature values as one row of model inputs. A column not in
    /// `values` (or given as a missing number) takes its typical value, so
    /// `encode_row(&[])` is the typical row the boundary plot starts from.
    pub fn encode_row(&self, values: &[(String, FeatureValue)]) -> Result<Vec<f32>, PrepError> {
        let x = self.encode(&self.raw_row(values)?);
        Ok(x.columns().map(|c| c[0]).collect())
    }

    /// The boundary plot's slice controls: one per feature column, over its
    /// training range, starting at its typical value (the imputation's fill,
    /// the most frequent level).
    pub fn slice_controls(&self, table: &Table, train_rows: &[usize]) -> Vec<ColumnDomain> {
        self.columns
            .iter()
            .map(|step| {
                let column = self.names[step.column].clone();
                let range = |values: &[f32], fill: f32| {
                    train_rows
                        .iter()
                        .filter_map(|&r| values.get(r).copied().filter(|v| v.is_finite()))
                        .fold((fill as f64, fill as f64), |(lo, hi), v| (lo.min(v as f64), hi.max(v as f64)))
                };
                match &step.coding {
                    Coding::Number { fill } => {
                        let (min, max) = range(table.columns[step.column].numbers().unwrap_or(&[]), *fill);
                        ColumnDomain::Number { column, min, max, value: *fill as f64 }
                    }
                    Coding::Flag { fill } => ColumnDomain::Flag { column, value: *fill == 1.0 },
                    Coding::Category { levels, fill, .. } => {
                        ColumnDomain::Levels { column, levels: levels.clone(), value: levels[*fill as usize].clone() }
                    }
                    // A date slides over its days since 1970, the way the table stores it.
                    Coding::Date { fill } => {
                        let (min, max) = range(table.columns[step.column].dates().unwrap_or(&[]), *fill);
                        ColumnDomain::Number { column, min, max, value: *fill as f64 }
                    }
                }
            })
            .collect()
    }

    /// What table row `row` gives each feature column, missing values imputed
    /// as the model saw them, in the columns' own terms.
    pub fn row_values(&self, table: &Table, row: usize) -> FeatureValues {
        self.columns
            .iter()
            .map(|step| (self.names[step.column].clone(), self.values(step, table, &[row]).remove(0)))
            .collect()
    }

    /// What each of table rows `rows` gives feature column `column` (by
    /// name), as in [`Pipeline::row_values`]; `None` for a column that is not
    /// a feature.
    pub fn column_values(&self, table: &Table, column: &str, rows: &[usize]) -> Option<Vec<FeatureValue>> {
        let step = self.columns.iter().find(|s| self.names[s.column] == column)?;
        Some(self.values(step, table, rows))
    }

    /// What table rows `rows` give a step's column, missing imputed; the
    /// column is read once, however many rows.
    fn values(&self, step: &ColumnStep, table: &Table, rows: &[usize]) -> Vec<FeatureValue> {
        let col = &table.columns[step.column];
        let numbers = |v: Option<&[f32]>, fill: f32| -> Vec<FeatureValue> {
            rows.iter().map(|&r| FeatureValue::Number(fill_nan(v.and_then(|v| v.get(r).copied()), fill) as f64)).collect()
        };
        match &step.coding {
            Coding::Number { fill } => numbers(col.numbers(), *fill),
            Coding::Date { fill } => numbers(col.dates(), *fill),
            Coding::Flag { fill } => {
                let v = col.booleans();
                rows.iter()
                    .map(|&r| FeatureValue::Flag(fill_nan(v.as_ref().and_then(|v| v.get(r).copied()), *fill) == 1.0))
                    .collect()
            }
            Coding::Category { levels, fill, .. } => {
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

    /// `values` as a tree's splits read them: each input that is not its
    /// column's own value ("when (month)", "PC1", a scaled "age") added under
    /// its name with the value the model sees, and a level grouped as
    /// "other" said as "other", so a row's path through a tree can be traced.
    pub fn trace_values(&self, mut values: FeatureValues) -> FeatureValues {
        let Ok(encoded) = self.encode_row(&values) else { return values };
        for step in &self.columns {
            let Coding::Category { levels, group, groups, .. } = &step.coding else { continue };
            let name = &self.names[step.column];
            if let Some((_, FeatureValue::Level(l))) = values.iter_mut().find(|(c, _)| c == name) {
                if let Some(g) = levels.iter().position(|x| x == l).map(|i| &groups[group[i] as usize]) {
                    *l = g.clone();
                }
            }
        }
        for (input, &v) in self.inputs.iter().zip(&encoded) {
            let value = match input.info.encoding {
                _ if input.plain => continue,
                Encoding::Level(_) => continue,
                Encoding::Flag => FeatureValue::Flag(v == 1.0),
                Encoding::Value => FeatureValue::Number(v as f64),
            };
            let name = input.name();
            match values.iter_mut().find(|(c, _)| *c == name) {
                Some(slot) => slot.1 = value,
                None => values.push((name, value)),
            }
        }
        values
    }
}

/// The line under the model: what each step did, steps with nothing to do
/// left out (or said once, when no column step had anything to do).
pub fn prep_summary(steps: &[StepReport]) -> String {
    let column_step = |s: &StepReport| s.step == "impute" || s.step == "encode";
    let mut parts: Vec<String> = Vec::new();
    if steps.iter().filter(|s| column_step(s)).all(|s| s.idle) {
        parts.push("No imputation or encoding needed".to_string());
    }
    parts.extend(steps.iter().filter(|s| !s.idle).map(|s| s.summary.clone()));
    let lowered: Vec<String> = parts
        .iter()
        .enumerate()
        .map(|(k, p)| {
            if k == 0 {
                return p.clone();
            }
            let mut chars = p.chars();
            chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
        })
        .collect();
    format!("{}.", lowered.join("; "))
}

/// Target encoding's outputs over the training rows, named: the target's
/// mean (regression), the second class's share (two classes, as
/// scikit-learn's positive class), or each class's share.
fn target_outputs(target: &Target) -> Vec<(String, Vec<f64>)> {
    let share = |y: &[u32], k: usize| y.iter().map(|&c| f64::from(u8::from(c as usize == k))).collect();
    match target {
        Target::Classes { y, names } if names.len() == 2 => vec![(format!("share {}", names[1]), share(y, 1))],
        Target::Classes { y, names } => names.iter().enumerate().map(|(k, n)| (format!("share {n}"), share(y, k))).collect(),
        Target::Values(v) => vec![("mean target".to_string(), v.clone())],
        Target::Unlabeled { .. } => Vec::new(),
    }
}

/// Each level group's encoding per output, from the training rows' groups
/// `codes` and the outputs of [`target_outputs`].
///
/// As scikit-learn's `TargetEncoder(smooth="auto")` fitted on the training
/// rows and then asked to `transform` (not `fit_transform`): each group's
/// mean shrunk toward the overall mean by λ = n σ² / (n σ² + s / n), where σ²
/// is the output's variance, n the group's count and s its sum of squared
/// deviations from its own mean; an unseen group gets the overall mean.
/// The difference: scikit-learn's `fit_transform` cross-fits the training
/// rows (each fold's rows encoded by the other folds) so that a model does
/// not learn a row's own target through its encoding; here every training
/// row is encoded by all training rows, as the test rows are, so a level
/// with few rows lends the model a little of their targets (the shrinkage
/// damps it; the test score stays honest, as no test row takes part).
fn target_encoding(codes: &[u32], n_groups: usize, outputs: &[(String, Vec<f64>)]) -> Vec<Vec<f32>> {
    let mut encoding = vec![vec![0f32; outputs.len()]; n_groups];
    for (k, (_, y)) in outputs.iter().enumerate() {
        let n = y.len().max(1) as f64;
        let mean = y.iter().sum::<f64>() / n;
        let variance = y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
        let (mut count, mut sum) = (vec![0f64; n_groups], vec![0f64; n_groups]);
        for (&g, &v) in codes.iter().zip(y) {
            count[g as usize] += 1.0;
            sum[g as usize] += v;
        }
        let means: Vec<f64> = sum.iter().zip(&count).map(|(s, c)| s / c).collect();
        let mut squares = vec![0f64; n_groups];
        for (&g, &v) in codes.iter().zip(y) {
            squares[g as usize] += (v - means[g as usize]).powi(2);
        }
        for g in 0..n_groups {
            let lambda = variance * count[g] / (variance * count[g] + squares[g] / count[g]);
            encoding[g][k] =
                if count[g] == 0.0 || lambda.is_nan() { mean } else { lambda * means[g] + (1.0 - lambda) * mean } as f32;
        }
    }
    encoding
}

/// Level groups: each level its own group, or with `min_count` above 1 the
/// levels seen in fewer training rows grouped as one group "other" (last).
fn group_levels(levels: &[String], counts: &[usize], min_count: usize) -> (Vec<u32>, Vec<String>) {
    if min_count <= 1 || counts.iter().all(|&c| c >= min_count) {
        return ((0..levels.len() as u32).collect(), levels.to_vec());
    }
    let mut groups = Vec::new();
    let mut group = Vec::with_capacity(levels.len());
    let mut rare = Vec::new();
    for (i, level) in levels.iter().enumerate() {
        if counts[i] >= min_count {
            group.push(groups.len() as u32);
            groups.push(level.clone());
        } else {
            group.push(u32::MAX);
            rare.push(i);
        }
    }
    let other = groups.len() as u32;
    groups.push("other".to_string());
    for i in rare {
        group[i] = other;
    }
    (group, groups)
}

/// The numeric column `of`'s `stat` per level of category feature `by`, over
/// the training rows where `of` has a value (a missing `by` read as its
/// imputed level).
fn fit_aggregate(
    table: &Table,
    steps: &[ColumnStep],
    train_rows: &[usize],
    of: &str,
    by: &str,
    stat: GroupStat,
) -> Result<(Aggregate, String), PrepError> {
    let by_step = steps
        .iter()
        .position(|s| table.columns[s.column].name == by && matches!(s.coding, Coding::Category { .. }))
        .ok_or_else(|| PrepError::AggregateBy(by.to_string()))?;
    let Coding::Category { levels, fill, .. } = &steps[by_step].coding else {
        return Err(PrepError::AggregateBy(by.to_string()));
    };
    let values = table
        .column_index(of)
        .and_then(|i| table.columns[i].numbers())
        .filter(|_| of != by)
        .ok_or_else(|| PrepError::AggregateOf(of.to_string()))?;
    let codes = table.columns[steps[by_step].column].categories().codes;
    let mut per: Vec<Vec<f64>> = vec![Vec::new(); levels.len()];
    let mut all = Vec::new();
    for &r in train_rows {
        let v = values[r];
        if v.is_nan() {
            continue;
        }
        let c = codes[r];
        let l = if c == MISSING_CODE || c as usize >= levels.len() { *fill as usize } else { c as usize };
        per[l].push(v as f64);
        all.push(v as f64);
    }
    let of_stat = |v: &[f64]| -> Option<f32> {
        if v.is_empty() {
            return None;
        }
        Some(match stat {
            GroupStat::Mean => v.iter().sum::<f64>() / v.len() as f64,
            GroupStat::Count => v.len() as f64,
            GroupStat::Min => v.iter().copied().fold(f64::INFINITY, f64::min),
            GroupStat::Max => v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        } as f32)
    };
    // A level no training row has counts 0 rows; the other statistics fall back to all training rows'.
    let unseen = match stat {
        GroupStat::Count => 0.0,
        _ => of_stat(&all).unwrap_or(0.0),
    };
    let per_level = per.iter().map(|v| of_stat(v).unwrap_or(unseen)).collect();
    let stat_name = match stat {
        GroupStat::Mean => "mean",
        GroupStat::Count => "count",
        GroupStat::Min => "min",
        GroupStat::Max => "max",
    };
    Ok((Aggregate { by: by_step, per_level, unseen }, format!("{of} {stat_name} by {by}")))
}

/// The value missing numbers are filled with, from the present training values.
fn fill_value(fill: Fill, values: impl Iterator<Item = f32>) -> f32 {
    let present: Vec<f32> = values.filter(|v| !v.is_nan()).collect();
    match fill {
        Fill::Median => median(present.into_iter()),
        Fill::Mean if present.is_empty() => 0.0,
        Fill::Mean => (present.iter().map(|&v| v as f64).sum::<f64>() / present.len() as f64) as f32,
        // The smallest of the most frequent values, as scikit-learn picks it.
        Fill::MostFrequent => {
            let mut sorted = present;
            sorted.sort_unstable_by(f32::total_cmp);
            let mut best = (0usize, 0.0f32);
            let mut k = 0;
            while k < sorted.len() {
                let run = sorted[k..].iter().take_while(|&&v| v == sorted[k]).count();
                if run > best.0 {
                    best = (run, sorted[k]);
                }
                k += run;
            }
            best.1
        }
        Fill::Constant(c) => c as f32,
    }
}

fn fill_nan(v: Option<f32>, fill: f32) -> f32 {
    match v {
        Some(v) if !v.is_nan() => v,
        _ => fill,
    }
}

/// Median of the present values (0 if there are none), as scikit-learn's
/// `SimpleImputer(strategy="median")` computes it. The middle value is
/// selected, not sorted into place (a full sort of each column was most of
/// fitting the pipeline on a million rows); below it lie the values a sort
/// would put there, so the largest of them is the one before the middle.
fn median(values: impl Iterator<Item = f32>) -> f32 {
    let mut v: Vec<f32> = values.filter(|v| !v.is_nan()).collect();
    if v.is_empty() {
        return 0.0;
    }
    let (mid, even) = (v.len() / 2, v.len().is_multiple_of(2));
    let (below, &mut middle, _) = v.select_nth_unstable_by(mid, f32::total_cmp);
    match below.iter().copied().max_by(f32::total_cmp) {
        Some(before) if even => ((before as f64 + middle as f64) / 2.0) as f32,
        _ => middle,
    }
}

impl Histogram {
    /// Counts of `values` in [`HISTOGRAM_BINS`] equal-width bins over their range.
    pub fn of(name: &str, values: &[f32]) -> Histogram {
        let finite = values.iter().filter(|v| v.is_finite()).map(|&v| v as f64);
        let (min, max) = finite.clone().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
        let (min, max) = if min.is_finite() { (min, max) } else { (0.0, 0.0) };
        let mut counts = vec![0u32; HISTOGRAM_BINS];
        let width = (max - min) / HISTOGRAM_BINS as f64;
        for v in finite {
            let k = if width > 0.0 { ((v - min) / width) as usize } else { 0 };
            counts[k.min(HISTOGRAM_BINS - 1)] += 1;
        }
        Histogram { name: name.to_string(), min, max, counts }
    }
}

/// Up to eight levels, quoted, and how many more.
fn quoted(levels: &[String]) -> String {
    let shown: Vec<String> = levels.iter().take(8).map(|l| format!("'{l}'")).collect();
    match levels.len().saturating_sub(8) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

#[cfg(test)]
mod median_tests {
    use super::median;

    /// The selected median is the sorted one, bit for bit: odd and even
    /// counts, ties, signed zeros, missing values left out.
    #[test]
    fn the_selected_median_is_the_sorted_median() {
        let sorted_median = |values: &[f32]| {
            let mut v: Vec<f32> = values.iter().copied().filter(|v| !v.is_nan()).collect();
            v.sort_unstable_by(f32::total_cmp);
            let mid = v.len() / 2;
            match v.len() {
                0 => 0.0,
                n if n % 2 == 1 => v[mid],
                _ => ((v[mid - 1] as f64 + v[mid] as f64) / 2.0) as f32,
            }
        };
        let mut state = 7u64;
        for n in 0..60 {
            let values: Vec<f32> = (0..n)
                .map(|i| {
                    state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    match (state >> 60, i % 7) {
                        (_, 0) => f32::NAN,
                        (0..=2, _) => -0.0,
                        (3..=5, _) => 0.0,
                        (k, _) => (state >> 40) as f32 / 1e6 - k as f32,
                    }
                })
                .collect();
            assert_eq!(median(values.iter().copied()).to_bits(), sorted_median(&values).to_bits(), "{values:?}");
        }
    }
}
