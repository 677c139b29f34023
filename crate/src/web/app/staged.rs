//! The evaluation views that follow a model's answer, on the page: asked for
//! one at a time ([`StagedViews`]), each line of `views-status` saying where
//! its view stands, and `views-cancel` to stop asking. Stopping never touches
//! the worker, so the model, its boundary and tracing stay. The learning
//! curve may be the helper workers' (asked for with the training,
//! `super::pool::curve`): stopping then ends them.

use web_sys::{Element, Event, HtmlElement};

use super::Shared;
use crate::explain::{EvaluationPart, EvaluationPiece};
use crate::web::dom::{append_text, by_id, by_test_id, clear, on, JsResult};
use crate::web::evaluation;
use crate::web::staged::StagedViews;
use crate::web::text::staged_view_text;

pub(super) fn wire(app: &Shared) -> JsResult<()> {
    let app = app.clone();
    on::<Event>(&by_test_id::<Element>("views-cancel")?.into(), "click", move |_| {
        let helpers = app.borrow_mut().staged.stop();
        if helpers {
            super::pool::end_all(&app);
        }
        super::report(show(&app));
    })
}

/// A new model is on show: the views its answer left pending (none for a
/// distilled student, an ensemble or a model file, which come whole) are
/// asked for, the first now.
pub(super) fn start(app: &Shared) -> JsResult<()> {
    let pending = app.borrow().report.as_ref().map(|r| r.pending.clone()).unwrap_or_default();
    let early = app.borrow_mut().staged.begin(&pending);
    for piece in early {
        draw(app, piece)?;
    }
    ask_next(app)
}

/// Asks for the next waiting view, if none is computing.
fn ask_next(app: &Shared) -> JsResult<()> {
    let next = app.borrow_mut().staged.ask();
    if let Some(part) = next {
        let now = app.borrow_mut().link.evaluate(part);
        super::post(app, now);
    }
    show(app)
}

/// A view arrived: put in the report and drawn when it is the one asked for
/// (one asked for an earlier model is dropped), then the next is asked for.
pub(super) fn arrived(app: &Shared, piece: EvaluationPiece) -> JsResult<()> {
    if !app.borrow_mut().staged.arrived(&piece.part()) {
        return Ok(());
    }
    draw(app, piece)?;
    ask_next(app)
}

/// The view the helpers computed: drawn when the model's answer is on show
/// (held until it is; dropped when stopped).
pub(super) fn pooled_arrived(app: &Shared, piece: EvaluationPiece) -> JsResult<()> {
    let now = app.borrow_mut().staged.pooled_arrived(piece);
    if let Some(piece) = now {
        draw(app, piece)?;
    }
    show(app)
}

/// The helpers ended without their view: the worker is asked for it as for
/// any view before the model's answer, or its line says `reason` (stopped,
/// when `None`) after it.
pub(super) fn pool_ended(app: &Shared, reason: Option<&str>) -> JsResult<()> {
    if app.borrow_mut().staged.pool_ended(reason) {
        show(app)?;
    }
    Ok(())
}

/// The helpers' progress on their view, on its line.
pub(super) fn helpers_progress(app: &Shared, percent: u64) -> JsResult<()> {
    if app.borrow_mut().staged.helpers_progress(percent) {
        show(app)?;
    }
    Ok(())
}

/// `piece` put in the report and drawn.
fn draw(app: &Shared, piece: EvaluationPiece) -> JsResult<()> {
    let part = piece.part();
    if let Some(report) = app.borrow_mut().report.as_mut() {
        report.pending.retain(|p| *p != part);
        report.evaluation.apply(piece);
    }
    {
        let a = app.borrow();
        if let Some(report) = a.report.as_ref() {
            evaluation::draw(&report.evaluation)?;
        }
    }
    super::robust::draw(app)
}

/// The worker refused view `part`: its line says why, and the next view is
/// asked for.
pub(super) fn failed(app: &Shared, part: &EvaluationPart, reason: &str) -> JsResult<()> {
    if app.borrow_mut().staged.failed(part, reason) {
        ask_next(app)
    } else {
        Ok(())
    }
}

/// The worker crashed: the view it computed, and those after it, are not
/// asked for (the fresh worker has no model).
pub(super) fn crashed(app: &Shared, reason: &str) -> JsResult<()> {
    let helpers = app.borrow_mut().staged.crashed(reason);
    if helpers {
        super::pool::end_all(app);
    }
    show(app)
}

/// The worker's progress on view `part`, on that view's line.
pub(super) fn progress(app: &Shared, part: &EvaluationPart, percent: u64) -> JsResult<()> {
    if app.borrow_mut().staged.progress(part, percent) {
        show(app)?;
    }
    Ok(())
}

/// No views to follow (a new table, a new training on its way).
pub(super) fn forget(app: &Shared) -> JsResult<()> {
    app.borrow_mut().staged = StagedViews::default();
    show(app)
}

/// One line per pending view, and the stop button while any is to come.
fn show(app: &Shared) -> JsResult<()> {
    let a = app.borrow();
    let list: Element = by_test_id("views-status")?;
    clear(&list);
    for (part, state) in a.staged.parts() {
        append_text(&list, "li", &staged_view_text(part, state, a.staged.percent_of(state)))?;
    }
    let staged = !a.staged.parts().is_empty();
    by_id::<HtmlElement>("staged-views")?.set_hidden(!staged);
    by_test_id::<HtmlElement>("views-cancel")?.set_hidden(!a.staged.busy());
    // The evaluation section's title shows over the lines of views to come,
    // even before any of its cards has a view.
    if staged {
        by_id::<HtmlElement>("evaluation-title")?.set_hidden(false);
    }
    Ok(())
}
