//! "Export as code": the trained pipeline and model as one program
//! (`base::program`), emitted as dependency-free Rust, C or JavaScript.

use serde::{Deserialize, Serialize};

use super::{SessionError, Trained};
use crate::base::program::{emit, Answer, Builder, Language, Output, Precision, Program};
use crate::base::{accuracy, r2_score, Target};
use crate::data::Table;
use crate::model::Predictions;

/// The trained model as code, as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodeExport {
    pub language: Language,
    /// The file's name ("iris_tree.rs").
    pub file_name: String,
    pub code: String,
    /// C's header, `model.h`; `None` for the other languages.
    pub header: Option<String>,
    /// Bytes of the code (and header).
    pub bytes: usize,
    /// How the learned numbers are stored in it.
    pub precision: Precision,
    /// Bytes of its constant arrays, as stored.
    pub constant_bytes: usize,
    /// The largest working buffer the function needs, in bytes.
    pub ram_bytes: usize,
    /// Flash the C function and its constants take on a 32-bit target,
    /// estimated (`Program::flash_bytes_estimate`): the page has no compiler.
    #[serde(default)]
    pub flash_bytes: usize,
    /// What storing the numbers in fewer bits costs, for a quantized export.
    pub quantization: Option<Quantization>,
}

/// A quantized program against the exact one, on the test rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quantization {
    pub precision: Precision,
    /// "accuracy" or "R²".
    pub measure: String,
    /// The test score of the exact program (the page's) and of the quantized one.
    pub score_before: f64,
    pub score_after: f64,
    /// Bytes of the constants, exact and quantized.
    pub bytes_before: usize,
    pub bytes_after: usize,
}

/// The trained pipeline and model as one program.
pub(super) fn program(trained: &Trained) -> Result<Program, SessionError> {
    let not_lowered = |e: crate::base::program::NotLowered| SessionError::NotExportable(e.0);
    let mut b = Builder::new(trained.pipeline.program_inputs());
    let inputs = trained.pipeline.lower(&mut b).map_err(not_lowered)?;
    let inputs = b.contiguous(&inputs);
    let src = trained.model.lower(&mut b, inputs).map_err(not_lowered)?;
    let output = match &trained.data.target {
        Target::Classes { names, .. } => Output::Classes { src, names: names.clone() },
        Target::Values(_) => Output::Value { src, name: trained.target_name.clone() },
        Target::Unlabeled { .. } => {
            let k = trained.model.centroids().map_or(0, |c| c.len());
            Output::Cluster { src, k }
        }
    };
    Ok(b.finish(output))
}

/// The trained model as code in `language`, its learned numbers stored at
/// `precision`, its file named after the target and model ("species_decision_tree.rs").
pub(super) fn export(
    table: &Table,
    trained: &Trained,
    language: Language,
    precision: Precision,
) -> Result<CodeExport, SessionError> {
    let exact = program(trained)?;
    let stored = exact.quantized(precision);
    let quantization = match precision {
        Precision::F32 => None,
        _ => Some(quantization(table, trained, &exact, &stored, precision)?),
    };
    let source = emit(&stored, language);
    let stem: String = format!("{}_{}", trained.target_name, trained.request.model)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
        .collect();
    Ok(CodeExport {
        language,
        file_name: format!("{stem}.{}", language.extension()),
        bytes: source.bytes(),
        code: source.code,
        header: source.header,
        precision,
        constant_bytes: stored.constant_bytes(),
        ram_bytes: stored.ram_bytes(),
        flash_bytes: stored.flash_bytes_estimate(),
        quantization,
    })
}

/// The exact and the quantized program scored on the test rows.
fn quantization(
    table: &Table,
    trained: &Trained,
    exact: &Program,
    stored: &Program,
    precision: Precision,
) -> Result<Quantization, SessionError> {
    let (rows, _) = test_rows(table, trained)?;
    let truth = trained.data.target.select_rows(&trained.split.test);
    let exact_answers = exact.run_rows(&rows);
    let score = |p: &Program| {
        let answers = p.run_rows(&rows);
        match &truth {
            Target::Classes { y, .. } => {
                let labels: Vec<u32> =
                    answers.iter().map(|a| if let Answer::Class { label, .. } = a { *label } else { u32::MAX }).collect();
                accuracy(y, &labels)
            }
            Target::Values(v) => {
                let values: Vec<f64> =
                    answers.iter().map(|a| if let Answer::Value(x) = a { f64::from(*x) } else { f64::NAN }).collect();
                r2_score(v, &values)
            }
            // No truth to score against: the share of test rows that keep the exact program's cluster.
            Target::Unlabeled { .. } => {
                let same = answers.iter().zip(&exact_answers).filter(|(a, b)| a == b).count();
                same as f64 / answers.len().max(1) as f64
            }
        }
    };
    let measure = match truth {
        Target::Classes { .. } => "accuracy",
        Target::Values(_) => "R²",
        Target::Unlabeled { .. } => "agreement with the exact clusters",
    };
    Ok(Quantization {
        precision,
        measure: measure.to_string(),
        score_before: score(exact),
        score_after: score(stored),
        bytes_before: exact.constant_bytes(),
        bytes_after: stored.constant_bytes(),
    })
}

/// The test rows as the exported code takes them (raw values, a category as
/// its level's index, NaN when missing) and the page's predictions for them:
/// what the code must give back.
pub(super) fn test_rows(table: &Table, trained: &Trained) -> Result<(Vec<Vec<f32>>, Predictions), SessionError> {
    let rows: Vec<usize> = trained.split.test.iter().map(|&i| trained.rows[i]).collect();
    let raw = trained.pipeline.raw_rows(table, &rows);
    let predictions = trained.model.predict(&trained.pipeline.encode(&raw))?;
    Ok(((0..raw.len()).map(|r| raw.row(r)).collect(), predictions))
}

#[cfg(test)]
mod tests;
