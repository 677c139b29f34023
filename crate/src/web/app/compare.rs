//! Models side by side: the person ticks models, the worker trains each on the
//! same split, and the page shows a metrics table, small-multiple boundaries on
//! the same axes and slice, and score against cost with the Pareto front.

use wasm_bindgen::JsCast;
use web_sys::{
    Element, Event, HtmlCanvasElement, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTableRowElement, KeyboardEvent,
};

use super::form::{render_params, train_request};
use super::{report, set_busy, show_error, Shared};
use crate::base::{capitalize, FeatureValues, Task};
use crate::explain::{BoundaryView, ParetoView};
use crate::model;
use crate::session::{CompareReport, CompareRequest, ModelCard, Request};
use crate::web::canvas;
use crate::web::compare_table::{self, Sort, SortKey};
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
    for spec in model::CATALOG.iter().filter(|m| m.tasks.contains(&task)) {
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
    let buttons = by_id::<Element>("compare-results")?.query_selector_all("button[data-sort]")?;
    for i in 0..buttons.length() {
        let Some(button) = buttons.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
        let Some(key) = button.get_attribute("data-sort").as_deref().and_then(SortKey::from_id) else { continue };
        let app = app.clone();
        on::<Event>(&button.into(), "click", move |_| {
            let sort = Sort::clicked(app.borrow().compare_sort, key);
            app.borrow_mut().compare_sort = Some(sort);
            report(draw_table(&app));
        })?;
    }
    let app = app.clone();
    on::<Event>(&by_id::<Element>("pareto-measure")?.into(), "change", move |_| report(draw_pareto(&app)))
}

/// Sends the comparison of the ticked models, on the axes and slice of the
/// boundary being explored (if a model is trained).
pub(super) fn start(app: &Shared) -> JsResult<()> {
    let Some(base) = train_request(app)? else { return Ok(()) };
    let models = ticked()?;
    if models.is_empty() {
        show_error("Tick at least one model to compare.");
        return Ok(());
    }
    let (axes, slice) = shown_axes(app)?;
    show_error("");
    by_test_id::<web_sys::HtmlProgressElement>("progress")?.set_value(0.0);
    set_busy(app, true, "Comparing…");
    // Its models go to the helper workers, if any.
    super::pool::send_splittable(app, Request::Compare(CompareRequest { base, models, axes, slice }));
    Ok(())
}

/// The registry ids of the models ticked for comparison, in list order.
pub(super) fn ticked() -> JsResult<Vec<String>> {
    let boxes = by_id::<Element>("compare-models")?.query_selector_all("input:checked")?;
    Ok((0..boxes.length())
        .filter_map(|i| boxes.item(i).and_then(|n| n.dyn_into::<HtmlInputElement>().ok()).map(|b| b.value()))
        .collect())
}

/// The axes and slice of the boundary being explored, when a model is
/// trained: where a comparison's or an ensemble's small boundaries are drawn.
pub(super) fn shown_axes(app: &Shared) -> JsResult<(Option<(String, String)>, FeatureValues)> {
    let x = by_test_id::<HtmlSelectElement>("x-feature-select")?.value();
    let y = by_test_id::<HtmlSelectElement>("y-feature-select")?.value();
    let a = app.borrow();
    let trained = a.report.is_some() && !x.is_empty() && !y.is_empty();
    Ok((trained.then_some((x, y)), if trained { a.slice.clone() } else { Vec::new() }))
}

/// Shows a finished comparison, with the row of the ensemble on show (see
/// [`compare_table::new_comparison`]).
pub(super) fn show(app: &Shared, report: CompareReport) -> JsResult<()> {
    {
        let mut a = app.borrow_mut();
        let ensemble_on_show = a.ensembled.is_some();
        compare_table::new_comparison(&mut a.compared, report, ensemble_on_show);
    }
    draw(app)
}

/// Draws the table, the boundaries and the Pareto chart of the comparison.
pub(super) fn draw(app: &Shared) -> JsResult<()> {
    draw_table(app)?;
    let a = app.borrow();
    let Some(report) = a.compared.as_ref() else { return Ok(()) };
    let grid: Element = by_id("compare-boundaries")?;
    dom::clear(&grid);
    for (row, view) in report.rows.iter().filter_map(|r| Some((r, r.outcome.as_ref().ok()?.boundary.as_ref()?))) {
        small_boundary(&grid, &row.name, &row.model, view)?;
    }
    // Every model's noise curve on one chart, drawn by the robustness card's renderer.
    let noise = report.noise.clone();
    drop(a);
    by_id::<HtmlElement>("compare-noise-box")?.set_hidden(noise.is_none());
    by_id::<HtmlElement>("compare-noise-numbers-box")?.set_hidden(noise.is_none());
    if let Some(view) = &noise {
        super::robust::draw_noise_chart("compare-robustness-canvas", view)?;
    }
    draw_pareto(app)
}

/// One small boundary of a set drawn on the same axes and slice, added to `grid`.
pub(super) fn small_boundary(grid: &Element, name: &str, model: &str, view: &BoundaryView) -> JsResult<()> {
    let cell: Element = create("div", None)?;
    cell.set_class_name("canvas-box");
    let canvas: HtmlCanvasElement = create("canvas", None)?;
    canvas.set_attribute("data-model", model)?;
    canvas.set_attribute("data-view", &format!("boundary-{model}"))?;
    cell.append_child(&canvas)?;
    grid.append_child(&cell)?;
    // Its words name the model, as the small multiple's title does.
    let said = crate::web::alt::boundary(view);
    let label = if view.title.starts_with(name) { said } else { format!("{name}: {said}") };
    canvas::draw_grid_chart(&canvas, view, None, label)?;
    Ok(())
}

/// The table in the person's order: each model's scores with their ± range
/// and test rows, whether the noise lets one be called best, why a model
/// learned nothing; a row makes its model the current one.
fn draw_table(app: &Shared) -> JsResult<()> {
    let a = app.borrow();
    let Some(compared) = a.compared.as_ref() else { return Ok(()) };
    by_id::<HtmlElement>("compare-results")?.set_hidden(false);
    let body: Element = by_test_id("compare-table")?;
    dom::clear(&body);
    let standings = compare_table::row_standings(compared);
    for i in compare_table::order(compared, a.compare_sort) {
        let row = &compared.rows[i];
        let tr: HtmlTableRowElement = create("tr", None)?;
        tr.set_attribute("data-model", &row.model)?;
        tr.set_attribute("tabindex", "0")?;
        tr.set_title(&format!("Make {} the current model and train it", row.name));
        let name = append_text(&tr, "th", &row.name)?;
        if let Some((label, why)) = compare_table::standing_text(standings[i]) {
            tr.set_class_name(if label == "best" { "best" } else { "tied" });
            append_text(&name, "span", label)?.set_attribute("title", why)?;
        }
        match &row.outcome {
            Ok(c) => {
                for cell in compare_table::cells(c) {
                    append_text(&tr, "td", &cell)?;
                }
            }
            Err(e) => {
                let td = tr.insert_cell()?;
                td.set_attribute("colspan", "7")?;
                td.set_class_name("failed");
                set_text(&td, &e.to_string());
            }
        }
        let model = row.model.clone();
        let (on_click, on_key) = (app.clone(), app.clone());
        let clicked = model.clone();
        on::<Event>(&tr.clone().into(), "click", move |_| report(make_current(&on_click, &clicked)))?;
        on::<KeyboardEvent>(&tr.clone().into(), "keydown", move |e| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                report(make_current(&on_key, &model));
            }
        })?;
        body.append_child(&tr)?;
        if let Some(why) = row.outcome.as_ref().ok().and_then(|c| c.learned_nothing.as_deref()) {
            let note: HtmlTableRowElement = create("tr", None)?;
            note.set_class_name("why");
            let td = note.insert_cell()?;
            td.set_attribute("colspan", "8")?;
            set_text(&td, &format!("⚠ {why}"));
            body.append_child(&note)?;
        }
    }
    set_text(&by_id::<Element>("compare-score-head")?, &compare_table::score_name(compared));
    set_text(&by_test_id::<Element>("compare-note")?, &compare_table::note(compared));
    let heads = by_id::<Element>("compare-results")?.query_selector_all("th[aria-sort]")?;
    for i in 0..heads.length() {
        let Some(th) = heads.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
        let key = th.query_selector("button")?.and_then(|b| b.get_attribute("data-sort"));
        if let Some(key) = key.as_deref().and_then(SortKey::from_id) {
            th.set_attribute("aria-sort", Sort::aria(a.compare_sort, key))?;
        }
    }
    Ok(())
}

/// Chooses `model` in the model list and trains it: the comparison's row
/// becomes the model explored above.
fn make_current(app: &Shared, model: &str) -> JsResult<()> {
    if model::catalog::find(model).is_none() {
        // An ensemble's row: it is built in its own panel, not from the model list.
        by_test_id::<Element>("ensemble-panel")?.scroll_into_view();
        return Ok(());
    }
    let select: HtmlSelectElement = by_test_id("model-select")?;
    if select.value() != model {
        select.set_value(model);
        render_params(app)?;
    }
    by_test_id::<Element>("model-select")?.scroll_into_view();
    super::train(app)
}

/// Test score against the chosen cost, with the front named for screen
/// readers: the compared models, and a distillation's teacher and student
/// joined by an arrow. Hidden while there is neither.
pub(super) fn draw_pareto(app: &Shared) -> JsResult<()> {
    let a = app.borrow();
    let boxed: HtmlElement = by_id("pareto-box")?;
    boxed.set_hidden(a.compared.is_none() && a.distilled.is_none() && a.quantized.is_empty());
    if boxed.hidden() {
        return Ok(());
    }
    let measure = by_id::<HtmlSelectElement>("pareto-measure")?.value();
    let (cost_name, cost): (&str, fn(&ModelCard) -> f64) = match measure.as_str() {
        "bytes" => ("serialized size, bytes", |c| c.bytes as f64),
        "micros" => ("inference time per row, µs", |c| c.micros_per_row),
        _ => ("parameters", |c| c.n_parameters as f64),
    };
    let mut models: Vec<(String, f64, f64)> = Vec::new();
    let mut score = None;
    if let Some(report) = a.compared.as_ref() {
        score = Some(compare_table::score_name(report));
        models.extend(report.rows.iter().filter_map(|r| {
            r.outcome.as_ref().ok().map(|c| (r.name.clone(), cost(&c.card), compare_table::metric_scores(&c.metrics).0))
        }));
    }
    let mut arrow = None;
    if let Some(d) = a.distilled.as_ref() {
        score.get_or_insert_with(|| compare_table::metric_name(&d.teacher_metrics).to_string());
        let teacher =
            (format!("{} (teacher)", d.teacher), cost(&d.teacher_card), compare_table::metric_scores(&d.teacher_metrics).0);
        let student = (
            format!("{} (student)", capitalize(&d.student)),
            cost(&d.student_card),
            compare_table::metric_scores(&d.student_metrics).0,
        );
        arrow = Some((models.len(), models.len() + 1));
        models.extend([teacher, student]);
    }
    // The trained model as code, exact and at each precision it was exported
    // at: its test score and the bytes of its constants (against bytes only).
    let exported_from = models.len();
    // (A clustering's "score" is agreement with its own exact clusters: not comparable.)
    let scored = a.report.as_ref().is_some_and(|r| !matches!(r.metrics, crate::eval::Metrics::Clustering { .. }));
    if let (true, Some(first), "bytes") = (scored, a.quantized.first(), measure.as_str()) {
        score.get_or_insert_with(|| first.measure.clone());
        models.push(("code f32".to_string(), first.bytes_before as f64, first.score_before));
        models
            .extend(a.quantized.iter().map(|q| (format!("code {}", q.precision.id()), q.bytes_after as f64, q.score_after)));
    }
    let score = score.unwrap_or_else(|| "test score".to_string());
    let axis = match models.len() > exported_from {
        true => "bytes: serialized model, or the code's constants",
        false => cost_name,
    };
    let mut view =
        ParetoView::new(format!("{} against {cost_name}", capitalize(&score)), format!("{axis} (log scale)"), score, models);
    view.arrows.extend(arrow);
    view.points[exported_from..].iter_mut().for_each(|p| p.exported = true);
    canvas::draw_pareto(&by_test_id("pareto-canvas")?, &view)
}
