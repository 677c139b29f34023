//! Ensembles in the session: an [`EnsembleRequest`] is checked, fitted as one
//! model over one pipeline, and kept as the session's trained model, so the
//! boundary, tracing, what-if, partial dependence and importance explain it
//! as any model. Its report adds each member's scores, card and boundary on
//! the same axes and slice, how much each member counts, and where they
//! disagree.

use super::boundary::{self, Shown};
use super::{
    fit_as, micros_per_row, score, Clock, CompareRow, Compared, EnsembleReport, EnsembleRequest, Learner, MemberReport,
    ModelCard, Response, Session, SessionError, TrainRequest, Trained,
};
use crate::base::{FeatureValue, Progress, Scaling};
use crate::data::Table;
use crate::model::ensemble::{EnsembleParams, Member};
use crate::model::ParamValues;
use crate::prep::PipelineSpec;

/// An ensemble's pipeline: the request's own, else the default, standard
/// scaled when any member wants scaling (every member sees the same inputs);
/// with a sentence for the pipeline summary saying which and why.
pub(super) fn pipeline_spec(req: &TrainRequest, params: &EnsembleParams) -> (PipelineSpec, Option<String>) {
    if let Some(spec) = &req.pipeline {
        return (spec.clone(), Some("Every member of the ensemble sees these same inputs.".to_string()));
    }
    let scaling = params.scaling();
    let wanting: Vec<&str> =
        params.members().iter().filter(|m| m.spec.scaling == Scaling::Standardize).map(|m| m.spec.name).collect();
    let note = match scaling {
        Scaling::Standardize => format!(
            "Every member of the ensemble sees the same inputs, standard-scaled because {} {} scaled inputs.",
            wanting.join(", "),
            if wanting.len() == 1 { "wants" } else { "want" }
        ),
        Scaling::None => "Every member of the ensemble sees the same inputs; none of them wants scaling.".to_string(),
    };
    (PipelineSpec::default_for(scaling), Some(note))
}

impl Session {
    /// Fits the ensemble `req` asks for on its base request's split, makes it
    /// the trained model, and reports it with its members.
    pub(super) fn ensemble(&mut self, req: &EnsembleRequest, progress: &mut dyn Progress) -> Result<Response, SessionError> {
        let table = self.table.as_ref().ok_or(SessionError::NoTable)?;
        let members = req
            .members
            .iter()
            .map(|id| {
                let params = if *id == req.base.model { req.base.params.clone() } else { ParamValues::new() };
                (id.clone(), params)
            })
            .collect();
        let params = EnsembleParams::new(req.base.task, members, &req.kind, req.weights.clone())?;
        let fitted = fit_as(table, &req.base, Learner::Ensemble(&params), self.clock, progress, None)?;
        let (metrics, card, fit_ms, learned_nothing) =
            (fitted.metrics.clone(), fitted.card.clone(), fitted.fit_ms, fitted.learned_nothing.clone());
        let trained_report = self.install(fitted, super::Staging::Whole { learning_curve: None }, progress)?;

        let table = self.table.as_ref().ok_or(SessionError::NoTable)?;
        let trained = self.trained.as_ref().ok_or(SessionError::NotTrained)?;
        let ensemble =
            trained.model.ensemble().ok_or_else(|| SessionError::Internal("the ensemble was just trained".into()))?;
        let axes = req.axes.clone().or_else(|| match trained_report.axis_options.as_slice() {
            [x, y, ..] => Some((x.clone(), y.clone())),
            _ => None,
        });
        let axes = axes.as_ref().map(|(x, y)| (x.as_str(), y.as_str()));
        let members = ensemble
            .members()
            .iter()
            .map(|m| member_report(table, trained, m, axes, &req.slice, self.clock))
            .collect::<Result<Vec<_>, _>>()?;
        let (boundary, disagreement) = match axes {
            Some((x, y)) => (
                Some(boundary::compute(table, trained, x, y, &req.slice, boundary::SMALL_GRID)?),
                Some(boundary::disagreement(table, trained, ensemble, x, y, &req.slice, boundary::SMALL_GRID)?),
            ),
            None => (None, None),
        };
        let trust = ensemble.trust(&trained.data.target, &trained.target_name);
        let row = CompareRow {
            model: CompareRow::ENSEMBLE.to_string(),
            name: trained_report.model_name.clone(),
            outcome: Ok(Compared {
                metrics,
                card,
                fit_ms,
                boundary,
                learned_nothing,
                noise: super::robust::noise_of_all(table, trained)?,
            }),
        };
        Ok(Response::Ensembled(Box::new(EnsembleReport { trained: trained_report, members, trust, row, disagreement })))
    }
}

/// A member as fitted inside the ensemble: its scores on the same split, its
/// card, and its boundary on the ensemble's axes and slice.
fn member_report(
    table: &Table,
    trained: &Trained,
    member: &Member,
    axes: Option<(&str, &str)>,
    slice: &[(String, FeatureValue)],
    clock: Clock,
) -> Result<MemberReport, SessionError> {
    let model = member.model.as_ref();
    let metrics = score(model, &trained.data, &trained.split, trained.seed)?.metrics;
    let card = ModelCard {
        n_parameters: model.n_parameters(),
        bytes: model.to_bytes().len(),
        micros_per_row: micros_per_row(model, &trained.data.x, clock)?,
    };
    let name = member.spec.spec.name;
    let boundary = match axes {
        Some((x, y)) => {
            Some(boundary::compute_for(table, trained, Shown { model, name }, x, y, slice, boundary::SMALL_GRID)?)
        }
        None => None,
    };
    Ok(MemberReport { model: member.spec.spec.id.to_string(), name: name.to_string(), metrics, card, boundary })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
