//! "Export as code": the trained pipeline and model as one program
//! (`base::program`), emitted as dependency-free Rust, C or JavaScript.

use serde::{Deserialize, Serialize};

use super::{SessionError, Trained};
use crate::base::program::{emit, Builder, Language, Output, Program};
use crate::base::Target;
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
            return Err(SessionError::NotExportable("a clustering cannot be exported as code yet".to_string()))
        }
    };
    Ok(b.finish(output))
}

/// The trained model as code in `language`, its file named after the target
/// and model ("species_tree.rs").
pub(super) fn export(trained: &Trained, language: Language) -> Result<CodeExport, SessionError> {
    let source = emit(&program(trained)?, language);
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
