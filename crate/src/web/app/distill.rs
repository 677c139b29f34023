//! Distillation and counterfactuals on the page. The distil card names the
//! teacher (the trained model, or the one an earlier distillation kept), lets
//! the person pick a student and send it; the student comes back as the
//! trained model, with a sentence on what it costs and saves. Under the
//! boundary plot, a traced row can ask what would change its answer; the
//! answer is a sentence and an arrow on the plot.

use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlButtonElement, HtmlElement, HtmlInputElement, HtmlSelectElement};

use super::{send, set_busy, show_error, Shared};
use crate::eval::Metrics;
use crate::prep::ColumnDomain;
use crate::session::{CounterfactualView, DistillReport, DistillRequest, Request, Student};
use crate::web::dom::{self, append_text, by_id, by_test_id, create, on, set_text, JsResult};
use crate::web::text::distill_text;
use crate::web::{canvas, evaluation};

pub(super) fn wire(app: &Shared) -> JsResult<()> {
    {
        let app = app.clone();
        on::<Event>(&by_test_id::<Element>("distill-run")?.into(), "click", move |_| super::report(start(&app)))?;
    }
    on::<Event>(&by_test_id::<Element>("distill-student")?.into(), "change", move |_| {
        super::report(show_student_controls())
    })?;
    let app = app.clone();
    on::<Event>(&by_test_id::<Element>("counterfactual-button")?.into(), "click", move |_| {
        super::report(ask_counterfactual(&app))
    })
}

/// The depth control for a tree student, the units control for a network.
fn show_student_controls() -> JsResult<()> {
    let student = by_test_id::<HtmlSelectElement>("distill-student")?.value();
    by_id::<HtmlElement>("distill-depth-label")?.set_hidden(student != "tree");
    by_id::<HtmlElement>("distill-hidden-label")?.set_hidden(student != "mlp");
    Ok(())
}

/// A whole number from an input, or `None` (said to the person) when it is not one.
fn whole(id: &str, what: &str) -> JsResult<Option<usize>> {
    let value = by_id::<HtmlInputElement>(id)?.value();
    match value.trim().parse::<usize>() {
        Ok(n) => Ok(Some(n)),
        Err(_) => {
            show_error(&format!("The {what} must be a whole number, not '{value}'."));
            Ok(None)
        }
    }
}

/// Sends the distillation the controls describe; the worker checks the ranges.
fn start(app: &Shared) -> JsResult<()> {
    let student = match by_test_id::<HtmlSelectElement>("distill-student")?.value().as_str() {
        "tree" => match whole("distill-depth", "tree's depth")? {
            Some(max_depth) => Student::Tree { max_depth },
            None => return Ok(()),
        },
        "mlp" => match whole("distill-hidden", "number of hidden units")? {
            Some(hidden) => Student::Mlp { hidden },
            None => return Ok(()),
        },
        _ => Student::Logistic,
    };
    let Some(synthetic_rows) = whole("distill-rows", "number of synthetic rows")? else { return Ok(()) };
    let seed = by_id::<HtmlInputElement>("seed")?.value().trim().parse().unwrap_or(0);
    show_error("");
    by_test_id::<web_sys::HtmlProgressElement>("progress")?.set_value(0.0);
    set_busy(app, true, "Distilling…");
    let request = DistillRequest { student, synthetic_rows, seed };
    app.borrow_mut().distill_sent = Some(request.clone());
    send(app, Request::Distill(request));
    Ok(())
}

/// Distils the student a link names: the card's controls (and the seed)
/// set as the person set them, then sent as by the button.
pub(super) fn apply(app: &Shared, request: &DistillRequest) -> JsResult<()> {
    let kind = match request.student {
        Student::Tree { max_depth } => {
            by_id::<HtmlInputElement>("distill-depth")?.set_value(&max_depth.to_string());
            "tree"
        }
        Student::Logistic => "logistic",
        Student::Mlp { hidden } => {
            by_id::<HtmlInputElement>("distill-hidden")?.set_value(&hidden.to_string());
            "mlp"
        }
    };
    by_test_id::<HtmlSelectElement>("distill-student")?.set_value(kind);
    by_id::<HtmlInputElement>("distill-rows")?.set_value(&request.synthetic_rows.to_string());
    by_id::<HtmlInputElement>("seed")?.set_value(&request.seed.to_string());
    show_student_controls()?;
    start(app)
}

/// After a training: the new model is the teacher, and no student is shown.
pub(super) fn on_trained(app: &Shared) -> JsResult<()> {
    let teacher = app.borrow().report.as_ref().map(|r| r.model_name.clone());
    let summary: Element = by_test_id("distill-summary")?;
    set_text(&summary, "");
    show_teacher(teacher.as_deref(), &app.borrow().report.as_ref().map(|r| r.metrics.clone()))
}

/// Names the teacher; a clustering teaches nothing.
fn show_teacher(teacher: Option<&str>, metrics: &Option<Metrics>) -> JsResult<()> {
    let clustering = matches!(metrics, Some(Metrics::Clustering { .. }));
    let text = match teacher {
        None => "none yet: train a model first".to_string(),
        Some(_) if clustering => "a clustering has no answers to teach; train a model that predicts a target".to_string(),
        Some(name) => name.to_string(),
    };
    set_text(&by_test_id::<Element>("distill-teacher")?, &text);
    by_test_id::<HtmlButtonElement>("distill-run")?.set_disabled(teacher.is_none() || clustering);
    Ok(())
}

/// A student arrived: it is shown as the trained model (by the caller), its
/// summary here, and both on the Pareto chart.
pub(super) fn on_distilled(app: &Shared, report: &DistillReport) -> JsResult<()> {
    set_text(&by_test_id::<Element>("distill-summary")?, &distill_text(&report.summary));
    show_teacher(Some(&report.summary.teacher), &Some(report.summary.teacher_metrics.clone()))?;
    app.borrow_mut().distilled = Some(report.summary.clone());
    set_busy(app, false, "Distilled.");
    super::compare::draw_pareto(app)
}

/// After a trace: the counterfactual box for a classifier's row traced at its
/// own place, with a tick box per numeric feature (all allowed at first, the
/// person's choice kept while the model's features stay the same).
pub(super) fn offer_counterfactual(app: &Shared, row: Option<usize>) -> JsResult<()> {
    let a = app.borrow();
    // The numeric axes only: a counterfactual moves numbers, not levels.
    let features: Option<Vec<String>> =
        a.report.as_ref().filter(|r| matches!(r.metrics, Metrics::Classification { .. })).map(|r| {
            let numeric = |n: &String| r.slice.iter().any(|c| c.column() == n && matches!(c, ColumnDomain::Number { .. }));
            r.axis_options.iter().filter(|n| numeric(n)).cloned().collect()
        });
    let boxed: HtmlElement = by_id("counterfactual-box")?;
    set_text(&by_test_id::<Element>("counterfactual-text")?, "");
    // A model of categories alone has nothing a counterfactual may move.
    let (Some(features), Some(_)) = (features.filter(|f| !f.is_empty()), row) else {
        boxed.set_hidden(true);
        return Ok(());
    };
    boxed.set_hidden(false);
    let container: Element = by_id("counterfactual-features")?;
    let names = features.join("\u{1f}");
    if container.get_attribute("data-features").as_deref() != Some(names.as_str()) {
        container.set_attribute("data-features", &names)?;
        dom::clear(&container);
        for name in &features {
            let label: Element = create("label", None)?;
            let check: HtmlInputElement = create("input", None)?;
            check.set_type("checkbox");
            check.set_checked(true);
            check.set_value(name);
            label.append_child(&check)?;
            append_text(&label, "span", name)?;
            container.append_child(&label)?;
        }
    }
    Ok(())
}

/// Asks for the traced row's counterfactual, over the ticked features.
fn ask_counterfactual(app: &Shared) -> JsResult<()> {
    let Some(row) = app.borrow().inspected.as_ref().and_then(|p| p.row) else { return Ok(()) };
    let boxes = by_id::<Element>("counterfactual-features")?.query_selector_all("input:checked")?;
    let allowed: Vec<String> = (0..boxes.length())
        .filter_map(|i| boxes.item(i).and_then(|n| n.dyn_into::<HtmlInputElement>().ok()).map(|b| b.value()))
        .collect();
    if allowed.is_empty() {
        set_text(&by_test_id::<Element>("counterfactual-text")?, "Tick at least one feature that may change.");
        return Ok(());
    }
    let (x, y) = plot_axes(app)?;
    set_text(&by_test_id::<Element>("counterfactual-text")?, "Looking for the smallest change…");
    send(app, Request::Counterfactual { row, x, y, allowed });
    Ok(())
}

/// The axes the counterfactual's arrow is drawn on: the boundary plot's, or
/// the only feature twice on the plot along it.
fn plot_axes(app: &Shared) -> JsResult<(String, String)> {
    let along = app.borrow().report.as_ref().and_then(|r| r.one_feature.as_ref().map(|v| v.feature.name.clone()));
    Ok(match along {
        Some(feature) => (feature.clone(), feature),
        None => (
            by_test_id::<HtmlSelectElement>("x-feature-select")?.value(),
            by_test_id::<HtmlSelectElement>("y-feature-select")?.value(),
        ),
    })
}

/// Says the counterfactual and draws its arrow from the traced row: on the
/// boundary plot, to the place the change takes it; along one feature, along
/// the feature at the height of the row's prediction.
pub(super) fn show_counterfactual(app: &Shared, view: CounterfactualView) -> JsResult<()> {
    let mut text = view.text.clone();
    let (x, y) = plot_axes(app)?;
    if view.arrow.is_none() {
        text.push_str(" Neither axis changes, so the plot shows no arrow.");
    } else if view.changes.iter().any(|c| c.column != x && c.column != y) {
        text.push_str(" The arrow shows the change along the two axes; the plot's ground is drawn with the other features as they are now.");
    }
    set_text(&by_test_id::<Element>("counterfactual-text")?, &text);
    let (point, boundary, along) = {
        let mut a = app.borrow_mut();
        let along = a.report.as_ref().and_then(|r| r.one_feature.clone());
        let Some(point) = a.inspected.as_mut().filter(|p| p.row == Some(view.row)) else { return Ok(()) };
        point.counterfactual = match along {
            Some(_) => view.arrow.map(|(_, to)| (to.0, point.y)),
            None => view.arrow.map(|(_, to)| to),
        };
        let point = point.clone();
        (point, a.report.as_ref().and_then(|r| r.boundary.clone()), along)
    };
    let mapping = match (along, boundary) {
        (Some(along), _) => evaluation::draw_one_feature(&along, Some(&point))?,
        (None, Some(boundary)) => Some(canvas::draw_boundary(&by_test_id("boundary-canvas")?, &boundary, Some(&point))?),
        (None, None) => return Ok(()),
    };
    app.borrow_mut().mapping = mapping;
    Ok(())
}
