//! The ensemble panel under the comparison: the ticked models combined by a
//! vote, an average or a stack. The ensemble becomes the trained model (the
//! results card explains it as any model); the panel shows how much each
//! member counts, each member's boundary beside the ensemble's on the same
//! axes and slice, and where the members disagree; the ensemble joins the
//! comparison table and the Pareto chart as a row of its own.

use web_sys::{Element, Event, HtmlCanvasElement, HtmlElement, HtmlInputElement, HtmlSelectElement};

use super::form::train_request;
use super::{compare, send, set_busy, show_error, show_trained, Shared};
use crate::base::Task;
use crate::explain::ImportanceView;
use crate::model::ensemble::{candidates, default_meta, EnsembleKind, STACK_FOLDS};
use crate::session::{EnsembleReport, EnsembleRequest, Request};
use crate::web::dom::{self, by_id, by_test_id, fill_select, on, set_text, JsResult};
use crate::web::input;
use crate::web::state::EnsembleLink;
use crate::web::text::ensemble_text;
use crate::web::{canvas, compare_table};

/// The kinds that fit `task`, and the meta models a stack may use; the
/// panel hides for a clustering, which has no shared classes to vote on.
pub(super) fn render_choices(task: Task) -> JsResult<()> {
    let panel: HtmlElement = by_test_id("ensemble-panel")?;
    panel.set_hidden(task == Task::Clustering);
    let kinds: &[(&str, &str)] = match task {
        Task::Regression => &[("average", "average"), ("stack", "stack")],
        _ => &[("vote", "vote"), ("stack", "stack")],
    };
    let kind: HtmlSelectElement = by_test_id("ensemble-kind")?;
    let keep = kind.value();
    let options: Vec<(String, String)> = kinds.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect();
    fill_select(&kind, &options, Some(keep.as_str()).filter(|k| kinds.iter().any(|(v, _)| v == k)))?;
    let metas: Vec<(String, String)> = candidates(task).map(|m| (m.id.to_string(), m.name.to_string())).collect();
    fill_select(&by_id("ensemble-meta")?, &metas, Some(default_meta(task)))?;
    show_kind_controls()
}

/// The hard/soft choice for a vote, the meta model for a stack, weights for both but a stack.
fn show_kind_controls() -> JsResult<()> {
    let kind = by_test_id::<HtmlSelectElement>("ensemble-kind")?.value();
    by_id::<HtmlElement>("ensemble-vote-box")?.set_hidden(kind != "vote");
    by_id::<HtmlElement>("ensemble-meta-box")?.set_hidden(kind != "stack");
    by_id::<HtmlElement>("ensemble-weights-box")?.set_hidden(kind == "stack");
    Ok(())
}

pub(super) fn wire(app: &Shared) -> JsResult<()> {
    on::<Event>(&by_test_id::<Element>("ensemble-kind")?.into(), "change", |_| super::report(show_kind_controls()))?;
    let app = app.clone();
    on::<Event>(&by_test_id::<Element>("ensemble-build")?.into(), "click", move |_| super::report(start(&app)))
}

/// Sends the ensemble of the models ticked for comparison.
fn start(app: &Shared) -> JsResult<()> {
    let Some(base) = train_request(app)? else { return Ok(()) };
    // A verdict on the searched settings is about the model trained by hand, not this one.
    super::search::forget_applied(app);
    let members = compare::ticked()?;
    let kind = match by_test_id::<HtmlSelectElement>("ensemble-kind")?.value().as_str() {
        "stack" => {
            EnsembleKind::Stack { meta: Some(by_id::<HtmlSelectElement>("ensemble-meta")?.value()), folds: STACK_FOLDS }
        }
        "average" => EnsembleKind::Average,
        _ => EnsembleKind::Vote { soft: by_id::<HtmlSelectElement>("ensemble-vote")?.value() == "soft" },
    };
    let weights = match kind {
        EnsembleKind::Stack { .. } => None,
        _ => match input::weights(&by_id::<HtmlInputElement>("ensemble-weights")?.value()) {
            Ok(w) => w,
            Err(why) => {
                show_error(&why);
                return Ok(());
            }
        },
    };
    let (axes, slice) = compare::shown_axes(app)?;
    let link = EnsembleLink { members: members.clone(), kind: kind.clone(), weights: weights.clone() };
    app.borrow_mut().ensemble_sent = Some((base.clone(), link));
    show_error("");
    by_test_id::<web_sys::HtmlProgressElement>("progress")?.set_value(0.0);
    set_busy(app, true, "Building the ensemble…");
    send(app, Request::Ensemble(EnsembleRequest { base, members, kind, weights, axes, slice }));
    Ok(())
}

/// Builds the ensemble a link names, its members ticked already: the
/// panel's controls set as the person set them, then sent as by the button.
pub(super) fn apply(app: &Shared, link: &EnsembleLink) -> JsResult<()> {
    let (kind, vote) = match &link.kind {
        EnsembleKind::Vote { soft } => ("vote", if *soft { "soft" } else { "hard" }),
        EnsembleKind::Average => ("average", "soft"),
        EnsembleKind::Stack { meta, .. } => {
            if let Some(meta) = meta {
                by_id::<HtmlSelectElement>("ensemble-meta")?.set_value(meta);
            }
            ("stack", "soft")
        }
    };
    by_test_id::<HtmlSelectElement>("ensemble-kind")?.set_value(kind);
    by_id::<HtmlSelectElement>("ensemble-vote")?.set_value(vote);
    let weights = link.weights.iter().flatten().map(f64::to_string).collect::<Vec<_>>().join(", ");
    by_id::<HtmlInputElement>("ensemble-weights")?.set_value(&weights);
    show_kind_controls()?;
    start(app)
}

/// Shows a built ensemble: as the trained model, in the panel, and as a row
/// of the comparison.
pub(super) fn show(app: &Shared, report: EnsembleReport) -> JsResult<()> {
    let EnsembleReport { trained, members, trust, row, disagreement } = report;
    set_text(&by_test_id::<Element>("ensemble-summary")?, &ensemble_text(&trained.model_name, &trained.metrics, &members));
    by_id::<HtmlElement>("ensemble-results")?.set_hidden(false);
    let weights: HtmlCanvasElement = by_test_id("ensemble-weights-canvas")?;
    weights.set_hidden(trust.is_none());
    if let Some(trust) = &trust {
        canvas::draw_importance(&weights, &ImportanceView::of_members(trust))?;
    }
    let grid: Element = by_id("ensemble-boundaries")?;
    dom::clear(&grid);
    let ensemble_boundary = row.outcome.as_ref().ok().and_then(|c| c.boundary.as_ref());
    let small = ensemble_boundary.map(|b| (trained.model_name.as_str(), row.model.as_str(), b)).into_iter();
    let of_members = members.iter().filter_map(|m| Some((m.name.as_str(), m.model.as_str(), m.boundary.as_ref()?)));
    for (name, model, view) in small.chain(of_members) {
        compare::small_boundary(&grid, name, model, view)?;
    }
    let map: HtmlCanvasElement = by_test_id("disagreement-canvas")?;
    map.set_hidden(disagreement.is_none());
    if let Some(view) = &disagreement {
        canvas::draw_grid_chart(&map, view, None, format!("{}. {}", view.title, view.note))?;
    }
    {
        // The ensemble joins the comparison as a row; a rebuilt one of the same name replaces it.
        compare_table::add_ensemble(&mut app.borrow_mut().compared, row);
    }
    compare::draw(app)?;
    show_trained(app, trained, "Ensemble built.")
}

/// Forgets a shown ensemble when a new table makes it stale.
pub(super) fn clear() -> JsResult<()> {
    by_id::<HtmlElement>("ensemble-results")?.set_hidden(true);
    dom::clear(&by_id::<Element>("ensemble-boundaries")?);
    Ok(())
}
