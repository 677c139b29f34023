//! Models side by side: the person ticks models, the worker trains each on the
//! same split, and the page shows a metrics table, small-multiple boundaries on
//! the same axes and slice, and score against cost with the Pareto front.

use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlCanvasElement, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTableRowElement};

use super::form::train_request;
use super::{report, send, set_busy, show_error, Shared};
use crate::base::{capitalize, format_count as thousands, format_significant, Task};
use crate::eval::Metrics;
use crate::explain::ParetoView;
use crate::model;
use crate::session::{CompareReport, CompareRequest, Compared, Request};
use crate::web::canvas;
use crate::web::dom::{self, append_text, by_id, by_test_id, create, on, set_text, JsResult};

/// A tick box per model that does the chosen task, all ticked; kept as the
/// person left them while the task stays the same.
pub(super) fn render_choices(task: Task) -> JsResult<()> {
    let container: Element = by_id("compare-models")?;
    if container.get_attribute("data-task").as_deref() == Some(task.name()) {
        return Ok(());
    }
    container.set_attribute("data-task", task.name())?;
    dom::clear(&container);
    for spec in model::REGISTRY.iter().filter(|m| m.tasks.contains(&task)) {
        let label: Element = create("label", None)?;
        let check: HtmlInputElement = create("input", None)?;
        check.set_type("checkbox");
        check.set_checked(true);
        check.set_value(spec.id);
        label.append_child(&check)?;
        append_text(&label, "span", spec.name)?;
        container.append_child(&label)?;
    }
    Ok(())
}

pub(super) fn wire(app: &Shared) -> JsResult<()> {
    {
        let app = app.clone();
        on::<Event>(&by_test_id::<Element>("compare-button")?.into(), "click", move |_| report(start(&app)))?;
    }
    let app = app.clone();
    on::<Event>(&by_id::<Element>("pareto-measure")?.into(), "change", move |_| report(draw_pareto(&app)))
}

/// Sends the comparison of the ticked models, on the axes and slice of the
/// boundary being explored (if a model is trained).
fn start(app: &Shared) -> JsResult<()> {
    let Some(base) = train_request(app)? else { return Ok(()) };
    let boxes = by_id::<Element>("compare-models")?.query_selector_all("input:checked")?;
    let models: Vec<String> = (0..boxes.length())
        .filter_map(|i| boxes.item(i).and_then(|n| n.dyn_into::<HtmlInputElement>().ok()).map(|b| b.value()))
        .collect();
    if models.is_empty() {
        show_error("Tick at least one model to compare.");
        return Ok(());
    }
    let x = by_test_id::<HtmlSelectElement>("x-feature-select")?.value();
    let y = by_test_id::<HtmlSelectElement>("y-feature-select")?.value();
    let (axes, slice) = {
        let a = app.borrow();
        let trained = a.report.is_some() && !x.is_empty() && !y.is_empty();
        (trained.then_some((x, y)), if trained { a.slice.clone() } else { Vec::new() })
    };
    show_error("");
    by_test_id::<web_sys::HtmlProgressElement>("progress")?.set_value(0.0);
    set_busy(app, true, "Comparing…");
    send(app, Request::Compare(CompareRequest { base, models, axes, slice }));
    Ok(())
}

/// Shows a finished comparison.
pub(super) fn show(app: &Shared, report: CompareReport) -> JsResult<()> {
    app.borrow_mut().compared = Some(report);
    draw(app)
}

/// Draws the table, the boundaries and the Pareto chart of the comparison.
pub(super) fn draw(app: &Shared) -> JsResult<()> {
    let a = app.borrow();
    let Some(report) = a.compared.as_ref() else { return Ok(()) };
    by_id::<HtmlElement>("compare-results")?.set_hidden(false);
    let body: Element = by_test_id("compare-table")?;
    dom::clear(&body);
    let best = report.rows.iter().filter_map(|r| r.outcome.as_ref().ok().map(test_score)).fold(f64::NEG_INFINITY, f64::max);
    for row in &report.rows {
        let tr: HtmlTableRowElement = create("tr", None)?;
        tr.set_attribute("data-model", &row.model)?;
        append_text(&tr, "th", &row.name)?;
        match &row.outcome {
            Ok(c) => {
                let (test, train) = scores(c);
                let cells = [
                    format!("{test:.3}"),
                    format!("{train:.3}"),
                    thousands(c.card.n_parameters),
                    thousands(c.card.bytes),
                    format_significant(c.card.micros_per_row, 2),
                    format_significant(c.fit_ms, 2),
                ];
                for cell in cells {
                    append_text(&tr, "td", &cell)?;
                }
                if test_score(c) == best {
                    tr.set_class_name("best");
                    tr.set_title("best test score");
                }
            }
            Err(e) => {
                let td = tr.insert_cell()?;
                td.set_attribute("colspan", "6")?;
                td.set_class_name("failed");
                set_text(&td, &e.to_string());
            }
        }
        body.append_child(&tr)?;
    }
    set_text(&by_id::<Element>("compare-score-head")?, &score_name(report));

    let grid: Element = by_id("compare-boundaries")?;
    dom::clear(&grid);
    for (row, view) in report.rows.iter().filter_map(|r| Some((r, r.outcome.as_ref().ok()?.boundary.as_ref()?))) {
        let cell: Element = create("div", None)?;
        cell.set_class_name("canvas-box");
        let canvas: HtmlCanvasElement = create("canvas", None)?;
        canvas.set_attribute("role", "img")?;
        canvas.set_attribute(
            "aria-label",
            &format!("{}: decision boundary over {} and {}", row.name, view.x.name, view.y.name),
        )?;
        canvas.set_attribute("data-model", &row.model)?;
        cell.append_child(&canvas)?;
        grid.append_child(&cell)?;
        canvas::draw_boundary(&canvas, view, None)?;
    }
    drop(a);
    draw_pareto(app)
}

/// Test score against the chosen cost, with the front named for screen readers.
fn draw_pareto(app: &Shared) -> JsResult<()> {
    let a = app.borrow();
    let Some(report) = a.compared.as_ref() else { return Ok(()) };
    let measure = by_id::<HtmlSelectElement>("pareto-measure")?.value();
    let (cost_name, cost): (&str, fn(&Compared) -> f64) = match measure.as_str() {
        "bytes" => ("serialized size, bytes", |c| c.card.bytes as f64),
        "micros" => ("inference time per row, µs", |c| c.card.micros_per_row),
        _ => ("parameters", |c| c.card.n_parameters as f64),
    };
    let score = score_name(report);
    let models = report
        .rows
        .iter()
        .filter_map(|r| r.outcome.as_ref().ok().map(|c| (r.name.clone(), cost(c), test_score(c))))
        .collect();
    let view = ParetoView::new(
        format!("{} against {cost_name}", capitalize(&score)),
        format!("{cost_name} (log scale)"),
        score,
        models,
    );
    let canvas: HtmlCanvasElement = by_test_id("pareto-canvas")?;
    canvas.set_attribute(
        "aria-label",
        &format!("{}. On the Pareto front, cheapest first: {}.", view.title, view.front_names().join(", ")),
    )?;
    canvas::draw_pareto(&canvas, &view)
}

/// The test score, then the training score (higher is better). A clustering
/// has no score on held-out rows: its silhouette stands in, on the training rows.
fn scores(c: &Compared) -> (f64, f64) {
    match c.metrics {
        Metrics::Classification { test_accuracy, train_accuracy, .. } => (test_accuracy, train_accuracy),
        Metrics::Regression { test_r2, train_r2, .. } => (test_r2, train_r2),
        Metrics::Clustering { silhouette, .. } => (silhouette.unwrap_or(f64::NAN), f64::NAN),
    }
}

fn test_score(c: &Compared) -> f64 {
    scores(c).0
}

fn score_name(report: &CompareReport) -> String {
    let name = report.rows.iter().find_map(|r| match r.outcome.as_ref().ok()?.metrics {
        Metrics::Classification { .. } => Some("test accuracy"),
        Metrics::Regression { .. } => Some("test R²"),
        Metrics::Clustering { .. } => Some("silhouette"),
    });
    name.unwrap_or("test score").to_string()
}
