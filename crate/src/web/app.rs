//! The page: steps on the left (data → target → model → train), views on the
//! right. State lives in one `App`; the worker does all the computing.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    DragEvent, Element, Event, HtmlButtonElement, MouseEvent, HtmlCanvasElement, HtmlElement, HtmlInputElement, HtmlSelectElement,
    HtmlTableRowElement, MessageEvent, Worker, WorkerOptions,
};

use super::dom::{self, append_text, by_id, by_test_id, create, fill_select, on, set_text, JsResult};
use super::{canvas, clustering, from_js, panic_text, to_js};
use crate::eval::Metrics;
use crate::explain::{capitalize, format_count as thousands, format_number, format_significant, ModelView, Task};
use crate::model::{self, ParamKind, ParamValue, ParamValues};
use crate::render::PlotMapping;
use crate::explain::PointView;
use crate::session::{bundled, ColumnUse, DataSummary, Request, Response, TrainReport, TrainRequest};

/// Trunk's loader shim for the worker binary.
const WORKER_URL: &str = "./worker_loader.js";

#[derive(Default)]
struct App {
    worker: Option<Worker>,
    ready: bool,
    /// Sent once the worker is ready (a request sent earlier would be lost).
    queued: Vec<Request>,
    /// The last load that succeeded, replayed into a fresh worker after a crash.
    last_load: Option<Request>,
    /// A load in flight, which becomes `last_load` when it succeeds.
    pending_load: Option<Request>,
    summary: Option<DataSummary>,
    columns: Vec<ColumnUse>,
    report: Option<TrainReport>,
    /// Where the boundary plot landed on its canvas, for clicks.
    mapping: Option<PlotMapping>,
    /// The point the person clicked, marked on the boundary.
    inspected: Option<PointView>,
    busy: bool,
}

type Shared = Rc<RefCell<App>>;

pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let text = panic_text(info);
        web_sys::console::error_1(&JsValue::from_str(&text));
        show_error(&format!("Something went wrong inside Micro Models ({text}). Please reload the page."));
    }));
    if let Err(e) = init() {
        show_error(&format!("The page could not start: {}", js_text(&e)));
    }
}

fn init() -> JsResult<()> {
    let app: Shared = Rc::new(RefCell::new(App::default()));
    spawn_worker(&app)?;

    let datasets: HtmlSelectElement = by_test_id("dataset-select")?;
    let mut options = vec![(String::new(), "Pick a bundled dataset…".to_string())];
    options.extend(bundled::NAMES.iter().map(|n| (n.to_string(), format!("{n}.csv"))));
    fill_select(&datasets, &options, None)?;
    let models: HtmlSelectElement = by_test_id("model-select")?;
    let model_options: Vec<(String, String)> = model::REGISTRY.iter().map(|m| (m.id.to_string(), m.name.to_string())).collect();
    fill_select(&models, &model_options, None)?;
    // Say on each option which tasks it does, for people (title) and embedding pages.
    let options = models.options();
    for (i, spec) in model::REGISTRY.iter().enumerate() {
        if let Some(option) = options.item(i as u32) {
            let tasks: Vec<&str> = spec.tasks.iter().map(|&t| t.name()).collect();
            option.set_attribute("data-tasks", &tasks.join(" "))?;
        }
    }

    {
        let app = app.clone();
        on::<Event>(&datasets.clone().into(), "change", move |_| {
            let name = datasets.value();
            if !name.is_empty() {
                load(&app, Request::LoadBundled { name });
            }
        })?;
    }
    let file_input: HtmlInputElement = by_test_id("file-input")?;
    {
        let app = app.clone();
        let input = file_input.clone();
        on::<Event>(&file_input.into(), "change", move |_| {
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                read_file(&app, file);
            }
            input.set_value("");
        })?;
    }
    let drop_zone: HtmlElement = by_test_id("drop-zone")?;
    {
        let zone = drop_zone.clone();
        on::<DragEvent>(&drop_zone.clone().into(), "dragover", move |e| {
            e.prevent_default();
            let _ = zone.class_list().add_1("dragging");
        })?;
        let zone = drop_zone.clone();
        on::<DragEvent>(&drop_zone.clone().into(), "dragleave", move |_| {
            let _ = zone.class_list().remove_1("dragging");
        })?;
        let app = app.clone();
        let zone = drop_zone.clone();
        on::<DragEvent>(&drop_zone.into(), "drop", move |e| {
            e.prevent_default();
            let _ = zone.class_list().remove_1("dragging");
            if let Some(file) = e.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
                read_file(&app, file);
            }
        })?;
    }
    {
        let app = app.clone();
        on::<Event>(&by_test_id::<Element>("target-select")?.into(), "change", move |_| {
            report(on_target_change(&app));
        })?;
    }
    {
        let app = app.clone();
        on::<Event>(&models.clone().into(), "change", move |_| report(render_params(&app)))?;
    }
    {
        let app = app.clone();
        on::<Event>(&by_test_id::<Element>("task-select")?.into(), "change", move |_| report(on_task_change(&app)))?;
    }
    {
        let app = app.clone();
        on::<Event>(&by_test_id::<Element>("train-button")?.into(), "click", move |_| report(train(&app)))?;
    }
    {
        let seed: HtmlInputElement = by_id("seed")?;
        on::<Event>(&by_id::<Element>("new-seed")?.into(), "click", move |_| {
            let mut bytes = [0u8; 4];
            if getrandom::fill(&mut bytes).is_ok() {
                seed.set_value(&u32::from_le_bytes(bytes).to_string());
            }
        })?;
    }
    {
        let app = app.clone();
        let canvas: HtmlCanvasElement = by_test_id("boundary-canvas")?;
        on::<MouseEvent>(&canvas.clone().into(), "click", move |e| {
            let (px, py) = canvas::device_pixel(&canvas, e.offset_x() as f64, e.offset_y() as f64);
            let at = app.borrow().mapping.and_then(|m| m.to_data(px, py));
            if let Some(at) = at {
                report(inspect(&app, at));
            }
        })?;
    }
    for id in ["x-feature-select", "y-feature-select"] {
        let app = app.clone();
        on::<Event>(&by_test_id::<Element>(id)?.into(), "change", move |_| report(request_boundary(&app)))?;
    }
    {
        let app = app.clone();
        let window: web_sys::EventTarget = web_sys::window().ok_or("no window")?.into();
        on::<Event>(&window, "resize", move |_| {
            let a = app.borrow();
            if let Some(r) = a.report.as_ref() {
                let mapping = draw_report(r, a.inspected.as_ref());
                drop(a);
                match mapping {
                    Ok(m) => app.borrow_mut().mapping = m,
                    Err(e) => report(Err(e)),
                }
            }
        })?;
    }
    render_params(&app)?;
    update_train_button(&app.borrow())?;
    Ok(())
}

/// Starts a worker and routes its messages. A crashed worker is replaced, and
/// the last good table is loaded into the new one, so nothing is lost.
fn spawn_worker(app: &Shared) -> JsResult<()> {
    let options = WorkerOptions::new();
    let worker = Worker::new_with_options(WORKER_URL, &options)?;
    {
        let app = app.clone();
        on::<MessageEvent>(&worker.clone().into(), "message", move |e| match from_js::<Response>(e.data()) {
            Ok(response) => report(on_response(&app, response)),
            Err(e) => show_error(&format!("The worker sent an unreadable message: {}", js_text(&e))),
        })?;
    }
    on::<Event>(&worker.clone().into(), "error", move |_| {
        show_error("The computing worker failed to start or crashed. Please reload the page.");
    })?;
    let mut a = app.borrow_mut();
    a.worker = Some(worker);
    a.ready = false;
    Ok(())
}

fn send(app: &Shared, request: Request) {
    let mut a = app.borrow_mut();
    if !a.ready {
        a.queued.push(request);
        return;
    }
    let posted = a.worker.as_ref().map(|w| to_js(&request).and_then(|v| w.post_message(&v)));
    if let Some(Err(e)) = posted {
        drop(a);
        show_error(&format!("Could not reach the worker: {}", js_text(&e)));
    }
}

fn load(app: &Shared, request: Request) {
    app.borrow_mut().pending_load = Some(request.clone());
    set_busy(app, true, "Reading the table…");
    send(app, request);
}

fn read_file(app: &Shared, file: web_sys::File) {
    let app = app.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let name = file.name();
        match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
            Ok(buffer) => {
                let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                let _ = by_test_id::<HtmlSelectElement>("dataset-select").map(|s| s.set_value(""));
                load(&app, Request::Load { name, bytes });
            }
            Err(e) => show_error(&format!("Could not read '{name}': {}", js_text(&e))),
        }
    });
}

fn on_response(app: &Shared, response: Response) -> JsResult<()> {
    match response {
        Response::Ready => {
            let queued = {
                let mut a = app.borrow_mut();
                a.ready = true;
                let mut queued: Vec<Request> = a.last_load.iter().cloned().collect();
                queued.append(&mut a.queued);
                queued
            };
            if queued.is_empty() && app.borrow().summary.is_none() {
                // Open on a small real dataset rather than an empty page.
                by_test_id::<HtmlSelectElement>("dataset-select")?.set_value("iris");
                load(app, Request::LoadBundled { name: "iris".into() });
            }
            for request in queued {
                send(app, request);
            }
        }
        Response::Progress { done, total, what } => {
            let percent = (done * 100).checked_div(total).unwrap_or(0);
            by_test_id::<web_sys::HtmlProgressElement>("progress")?.set_value(percent as f64);
            set_text(&by_id::<Element>("progress-text")?, &format!("{}… {percent}%", capitalize(&what)));
        }
        Response::Loaded(summary) => {
            show_error("");
            {
                let mut a = app.borrow_mut();
                // A replay after a crash has no pending load; keep the one replayed.
                if let Some(load) = a.pending_load.take() {
                    a.last_load = Some(load);
                }
                a.columns = summary
                    .columns
                    .iter()
                    .map(|c| ColumnUse { name: c.name.clone(), kind: c.inferred, included: c.inferred.is_feature() })
                    .collect();
                a.report = None;
            }
            show_summary(app, &summary)?;
            app.borrow_mut().summary = Some(summary);
            clear_views()?;
            set_busy(app, false, "Loaded. Press Train.");
        }
        Response::Trained(report) => {
            show_error("");
            app.borrow_mut().inspected = None;
            app.borrow_mut().mapping = draw_report(&report, None)?;
            app.borrow_mut().report = Some(*report);
            by_test_id::<web_sys::HtmlProgressElement>("progress")?.set_value(100.0);
            set_busy(app, false, "Trained.");
        }
        Response::Boundary(view) => {
            let mapping = canvas::draw_boundary(&by_test_id("boundary-canvas")?, &view, None)?;
            set_text(&by_test_id::<Element>("path-text")?, "");
            let mut a = app.borrow_mut();
            a.mapping = Some(mapping);
            a.inspected = None;
            if let Some(r) = a.report.as_mut() {
                r.boundary = Some(view);
            }
            drop(a);
            set_busy(app, false, "");
        }
        Response::Inspected(point) => {
            set_text(&by_test_id::<Element>("path-text")?, &point.text);
            let view = app.borrow().report.as_ref().and_then(|r| r.boundary.clone());
            if let Some(view) = view {
                let mapping = canvas::draw_boundary(&by_test_id("boundary-canvas")?, &view, Some(&point))?;
                app.borrow_mut().mapping = Some(mapping);
            }
            app.borrow_mut().inspected = Some(point);
        }
        Response::Failed(error) => {
            let crashed = matches!(error, crate::session::SessionError::Internal(_));
            // Name the file a load failed on; the table already loaded stays.
            let failed_file = match app.borrow_mut().pending_load.take() {
                Some(Request::Load { name, .. }) | Some(Request::LoadBundled { name }) => Some(name),
                _ => None,
            };
            match failed_file {
                Some(name) => show_error(&format!("{name}: {error}")),
                None => show_error(&error.to_string()),
            }
            set_busy(app, false, "");
            if crashed {
                // The worker's module is dead after a panic: start a new one.
                if let Some(w) = app.borrow_mut().worker.take() {
                    w.terminate();
                }
                spawn_worker(app)?;
            }
        }
    }
    Ok(())
}

fn set_busy(app: &Shared, busy: bool, status: &str) {
    app.borrow_mut().busy = busy;
    if let Ok(el) = by_id::<Element>("progress-text") {
        set_text(&el, status);
    }
    let _ = update_train_button(&app.borrow());
}

fn update_train_button(a: &App) -> JsResult<()> {
    by_test_id::<HtmlButtonElement>("train-button")?.set_disabled(a.busy || a.summary.is_none());
    Ok(())
}

/// Fills the summary line, the column table, the preview and the target list.
fn show_summary(app: &Shared, summary: &DataSummary) -> JsResult<()> {
    let mut line = format!("{} rows × {} columns · {}", thousands(summary.n_rows), thousands(summary.n_cols), summary.name);
    for w in &summary.warnings {
        line.push_str(&format!(" · ⚠ {w}"));
    }
    set_text(&by_test_id::<Element>("data-summary")?, &line);

    let body: Element = by_id("column-rows")?;
    dom::clear(&body);
    for (i, info) in summary.columns.iter().enumerate() {
        let row: HtmlTableRowElement = create("tr", None)?;
        row.set_attribute("data-column", &info.name)?;
        row.set_attribute("data-type", info.inferred.label())?;

        let use_cell = row.insert_cell()?;
        let check: HtmlInputElement = create("input", None)?;
        check.set_type("checkbox");
        check.set_checked(info.inferred.is_feature());
        check.set_title("Use this column as a feature");
        use_cell.append_child(&check)?;

        let name_cell = row.insert_cell()?;
        set_text(&name_cell, &info.name);
        name_cell.set_attribute("title", &info.name)?;
        name_cell.set_class_name("name");

        let kind_select: HtmlSelectElement = create("select", None)?;
        kind_select.set_attribute("aria-label", &format!("type of {}", info.name))?;
        let kinds: Vec<(String, String)> = info.allowed.iter().map(|k| (k.label().to_string(), k.label().to_string())).collect();
        fill_select(&kind_select, &kinds, Some(info.inferred.label()))?;
        row.insert_cell()?.append_child(&kind_select)?;

        let missing = row.insert_cell()?;
        set_text(&missing, &thousands(info.missing));
        missing.set_class_name("count");
        body.append_child(&row)?;

        {
            let app = app.clone();
            let check2 = check.clone();
            on::<Event>(&check.into(), "change", move |_| {
                if let Some(c) = app.borrow_mut().columns.get_mut(i) {
                    c.included = check2.checked();
                }
            })?;
        }
        {
            let app = app.clone();
            let select = kind_select.clone();
            let allowed = info.allowed.clone();
            let row = row.clone();
            on::<Event>(&kind_select.into(), "change", move |_| {
                let Some(kind) = allowed.iter().copied().find(|k| k.label() == select.value()) else { return };
                if let Some(c) = app.borrow_mut().columns.get_mut(i) {
                    c.kind = kind;
                    c.included = kind.is_feature();
                }
                if let Some(check) = row.query_selector("input").ok().flatten().and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) {
                    check.set_checked(kind.is_feature());
                }
            })?;
        }
    }

    // Preview of the first rows.
    let preview: Element = by_id("preview")?;
    dom::clear(&preview);
    let head: Element = create("tr", None)?;
    for info in &summary.columns {
        append_text(&head, "th", &info.name)?;
    }
    preview.append_child(&head)?;
    for cells in &summary.preview {
        let tr: Element = create("tr", None)?;
        for cell in cells {
            append_text(&tr, "td", cell)?;
        }
        preview.append_child(&tr)?;
    }

    let target: HtmlSelectElement = by_test_id("target-select")?;
    let names: Vec<(String, String)> = summary.columns.iter().map(|c| (c.name.clone(), c.name.clone())).collect();
    fill_select(&target, &names, summary.columns.get(summary.default_target).map(|c| c.name.as_str()))?;
    if selected_task()? == Task::Clustering {
        // A new table keeps the person's clustering, without a compared column.
        clustering::fill_targets(summary, Task::Clustering)?;
    }
    apply_target(summary, &target.value())?;
    Ok(())
}

fn on_target_change(app: &Shared) -> JsResult<()> {
    let a = app.borrow();
    if let Some(summary) = &a.summary {
        apply_target(summary, &by_test_id::<HtmlSelectElement>("target-select")?.value())?;
    }
    drop(a);
    render_params(app)
}

/// Offers the targets the task can use (clustering: none, or a column to
/// compare with), marks the chosen one, and the models that do the task.
fn on_task_change(app: &Shared) -> JsResult<()> {
    let a = app.borrow();
    if let Some(summary) = &a.summary {
        clustering::fill_targets(summary, selected_task()?)?;
        apply_target(summary, &by_test_id::<HtmlSelectElement>("target-select")?.value())?;
    }
    drop(a);
    render_params(app)
}

/// Marks the target's row in the column table and sets the task it suggests
/// (a clustering stays one: its target is only compared with).
fn apply_target(summary: &DataSummary, target: &str) -> JsResult<()> {
    let rows = by_id::<Element>("column-rows")?.children();
    for i in 0..rows.length() {
        if let Some(row) = rows.item(i) {
            let is_target = row.get_attribute("data-column").as_deref() == Some(target);
            row.class_list().toggle_with_force("target", is_target)?;
            // The target is never a feature; its box says so instead of lying.
            if let Some(check) = row.query_selector("input")?.and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) {
                check.set_disabled(is_target);
                check.set_title(if is_target { "This is the target" } else { "Use this column as a feature" });
            }
        }
    }
    if let Some(i) = summary.columns.iter().position(|c| c.name == target).filter(|_| selected_task().ok() != Some(Task::Clustering)) {
        by_test_id::<HtmlSelectElement>("task-select")?.set_value(summary.suggested_task[i].name());
    }
    Ok(())
}


fn selected_task() -> JsResult<Task> {
    Ok(match by_test_id::<HtmlSelectElement>("task-select")?.value().as_str() {
        "regression" => Task::Regression,
        "clustering" => Task::Clustering,
        _ => Task::Classification,
    })
}

/// Offers only the models that do the chosen task, then builds the chosen
/// model's controls from its hyperparameter specs.
fn render_params(_app: &Shared) -> JsResult<()> {
    let task = selected_task()?;
    let select: HtmlSelectElement = by_test_id("model-select")?;
    let options = select.options();
    for i in 0..options.length() {
        if let Some(option) = options.item(i).and_then(|o| o.dyn_into::<web_sys::HtmlOptionElement>().ok()) {
            let does_task = model::find(&option.value()).is_some_and(|m| m.tasks.contains(&task));
            option.set_disabled(!does_task);
            option.set_title(if does_task { "" } else { "This model does not do this task." });
        }
    }
    if !model::find(&select.value()).is_some_and(|m| m.tasks.contains(&task)) {
        if let Some(first) = model::REGISTRY.iter().find(|m| m.tasks.contains(&task)) {
            select.set_value(first.id);
        }
    }
    let Some(spec) = model::find(&select.value()) else { return Ok(()) };
    let container: Element = by_id("params")?;
    dom::clear(&container);
    for p in (spec.params)(selected_task()?) {
        let label: Element = create("label", None)?;
        label.set_class_name("param");
        label.set_attribute("title", p.help)?;
        append_text(&label, "span", p.label)?;
        let control: Element = match &p.kind {
            ParamKind::Int { min, max, default } => {
                let input: HtmlInputElement = create("input", None)?;
                input.set_type("number");
                input.set_min(&min.to_string());
                input.set_max(&max.to_string());
                input.set_value(&default.to_string());
                input.into()
            }
            ParamKind::Float { min, max, default, .. } => {
                let input: HtmlInputElement = create("input", None)?;
                input.set_type("number");
                input.set_min(&min.to_string());
                input.set_max(&max.to_string());
                input.set_step("any");
                input.set_value(&default.to_string());
                input.into()
            }
            ParamKind::Choice { options, default } => {
                let select: HtmlSelectElement = create("select", None)?;
                let opts: Vec<(String, String)> = options.iter().map(|o| (o.to_string(), o.to_string())).collect();
                fill_select(&select, &opts, Some(default))?;
                select.into()
            }
        };
        control.set_attribute("data-param", p.key)?;
        label.append_child(&control)?;
        append_text(&label, "small", p.help)?;
        container.append_child(&label)?;
    }
    Ok(())
}

/// Reads the controls back as typed values; a blank or unreadable number is
/// reported by name instead of being guessed.
fn read_params(model_id: &str, task: Task) -> JsResult<ParamValues> {
    let spec = model::find(model_id).ok_or("unknown model")?;
    let container: Element = by_id("params")?;
    let mut values = ParamValues::new();
    for p in (spec.params)(task) {
        let Some(el) = container.query_selector(&format!("[data-param=\"{}\"]", p.key))? else { continue };
        let raw = dom::input_value(&el).unwrap_or_default();
        let bad = || JsValue::from_str(&format!("Setting '{}' needs a number, but it is '{raw}'.", p.label));
        let value = match p.kind {
            ParamKind::Int { .. } => ParamValue::Int(raw.trim().parse::<i64>().map_err(|_| bad())?),
            ParamKind::Float { .. } => ParamValue::Float(raw.trim().parse::<f64>().map_err(|_| bad())?),
            ParamKind::Choice { .. } => ParamValue::Choice(raw.clone()),
        };
        values.insert(p.key.to_string(), value);
    }
    Ok(values)
}

fn train(app: &Shared) -> JsResult<()> {
    let model = by_test_id::<HtmlSelectElement>("model-select")?.value();
    let task = selected_task()?;
    let params = match read_params(&model, task) {
        Ok(p) => p,
        Err(e) => {
            show_error(&js_text(&e));
            return Ok(());
        }
    };
    let seed_text = by_id::<HtmlInputElement>("seed")?.value();
    let Ok(seed) = seed_text.trim().parse::<u32>() else {
        show_error(&format!("The seed must be a whole number from 0 to 4294967295, not '{seed_text}'."));
        return Ok(());
    };
    let request = TrainRequest {
        target: by_test_id::<HtmlSelectElement>("target-select")?.value(),
        task,
        columns: app.borrow().columns.clone(),
        model,
        params,
        seed: seed as u64,
    };
    show_error("");
    by_test_id::<web_sys::HtmlProgressElement>("progress")?.set_value(0.0);
    set_busy(app, true, "Training…");
    send(app, Request::Train(request));
    Ok(())
}

fn request_boundary(app: &Shared) -> JsResult<()> {
    let x = by_test_id::<HtmlSelectElement>("x-feature-select")?.value();
    let y = by_test_id::<HtmlSelectElement>("y-feature-select")?.value();
    if x.is_empty() || y.is_empty() || app.borrow().report.is_none() {
        return Ok(());
    }
    send(app, Request::Boundary { x, y });
    Ok(())
}

/// Draws every view of a trained model and writes its numbers; returns where
/// the boundary plot landed, if there is one.
fn draw_report(report: &TrainReport, inspected: Option<&PointView>) -> JsResult<Option<PlotMapping>> {
    by_id::<Element>("views")?.class_list().add_1("trained")?;
    set_text(&by_test_id::<Element>("metrics")?, &metrics_text(&report.metrics));
    set_text(&by_id::<Element>("prep-summary")?, &report.prep_summary);
    set_text(&by_test_id::<Element>("model-card")?, &card_text(report));

    let options: Vec<(String, String)> = report.axis_options.iter().map(|n| (n.clone(), n.clone())).collect();
    let (x, y) = match &report.boundary {
        Some(b) => (Some(b.x.name.as_str()), Some(b.y.name.as_str())),
        None => (None, None),
    };
    fill_select(&by_test_id("x-feature-select")?, &options, x)?;
    fill_select(&by_test_id("y-feature-select")?, &options, y)?;

    let boundary_canvas: HtmlCanvasElement = by_test_id("boundary-canvas")?;
    let boundary_note: Element = by_id("boundary-empty")?;
    if inspected.is_none() {
        set_text(&by_test_id::<Element>("path-text")?, "");
    }
    let mapping = match &report.boundary {
        Some(view) => {
            set_text(&boundary_note, "");
            Some(canvas::draw_boundary(&boundary_canvas, view, inspected)?)
        }
        None => {
            set_text(&boundary_note, "The boundary plot needs at least two numeric features; this model has fewer.");
            None
        }
    };
    // A tree is drawn in its own scrollable card; any other view of the model's
    // own in the model-view card (a single tree has no other).
    let tree = report.views.iter().find_map(|v| match v {
        ModelView::Tree(tree) => Some(tree),
        _ => None,
    });
    by_id::<HtmlElement>("tree-card")?.set_hidden(tree.is_none());
    if let Some(tree) = tree {
        let tree_canvas: HtmlCanvasElement = by_test_id("tree-canvas")?;
        canvas::draw_tree(&tree_canvas, tree)?;
        // Start a wide tree scrolled to its root (a wide tree is wider than the box).
        if let Some(scroller) = tree_canvas.parent_element() {
            let root = crate::render::tree_root_center(tree, &crate::render::Theme::new(1.0));
            scroller.set_scroll_left((root - scroller.client_width() as f64 / 2.0).max(0.0) as i32);
        }
    }
    // The first other view goes to model-view-canvas, any further ones (an
    // MLP's loss curve after its network) to canvases below it.
    let mut own_views = report.views.iter().filter(|v| !matches!(v, ModelView::Tree(_)));
    let first = own_views.next();
    by_id::<HtmlElement>("model-view-card")?.set_hidden(first.is_none());
    if let Some(view) = first {
        canvas::draw_model_view(&by_test_id("model-view-canvas")?, view)?;
    }
    let more: Element = by_id("more-views")?;
    dom::clear(&more);
    for view in own_views {
        let box_: Element = create("div", None)?;
        box_.set_class_name("canvas-box more-view");
        let extra: HtmlCanvasElement = create("canvas", None)?;
        extra.set_attribute("role", "img")?;
        extra.set_attribute("aria-label", "another view of the model")?;
        box_.append_child(&extra)?;
        more.append_child(&box_)?;
        canvas::draw_model_view(&extra, view)?;
    }
    by_id::<HtmlElement>("importance-card")?.set_hidden(report.importance.is_none());
    if let Some(importance) = &report.importance {
        canvas::draw_importance(&by_test_id("importance-canvas")?, importance)?;
    }
    Ok(mapping)
}

/// Asks the worker what the model predicts at `at` on the boundary plot.
fn inspect(app: &Shared, at: (f64, f64)) -> JsResult<()> {
    let x = by_test_id::<HtmlSelectElement>("x-feature-select")?.value();
    let y = by_test_id::<HtmlSelectElement>("y-feature-select")?.value();
    if app.borrow().report.is_some() && !x.is_empty() && !y.is_empty() {
        send(app, Request::Inspect { x, y, at });
    }
    Ok(())
}

/// The "micro" in micro models: what it learned, what it weighs, how fast it is.
fn card_text(report: &TrainReport) -> String {
    let card = &report.card;
    format!(
        "{}: {} parameters · {} bytes · {} µs per row",
        report.model_name,
        thousands(card.n_parameters),
        thousands(card.bytes),
        format_significant(card.micros_per_row, 2)
    )
}

fn metrics_text(metrics: &Metrics) -> String {
    let s = |v: f64| format_number(v);
    match *metrics {
        Metrics::Classification { train_accuracy, test_accuracy, n_train, n_test } => format!(
            "Test accuracy {:.3} · train accuracy {:.3} · {} training rows, {} test rows",
            test_accuracy,
            train_accuracy,
            thousands(n_train),
            thousands(n_test)
        ),
        Metrics::Regression { train_r2, test_r2, train_mae, test_mae, n_train, n_test } => format!(
            "Test R² {:.3} · MAE {} · train R² {:.3} · MAE {} · {} training rows, {} test rows",
            test_r2,
            s(test_mae),
            train_r2,
            s(train_mae),
            thousands(n_train),
            thousands(n_test)
        ),
        Metrics::Clustering { train_inertia, test_inertia, n_clusters, silhouette, ref agreement, n_train, n_test } => {
            clustering::metrics_text(train_inertia, test_inertia, n_clusters, silhouette, agreement.as_ref(), (n_train, n_test))
        }
    }
}

/// Blanks the views when a new table replaces the one they explained.
fn clear_views() -> JsResult<()> {
    by_id::<Element>("views")?.class_list().remove_1("trained")?;
    dom::clear(&by_id::<Element>("more-views")?);
    set_text(&by_test_id::<Element>("metrics")?, "");
    set_text(&by_id::<Element>("prep-summary")?, "");
    set_text(&by_test_id::<Element>("model-card")?, "");
    set_text(&by_test_id::<Element>("path-text")?, "");
    for id in ["boundary-canvas", "tree-canvas", "importance-canvas", "model-view-canvas"] {
        let canvas: HtmlCanvasElement = by_test_id(id)?;
        canvas.set_width(0);
        canvas.set_height(0);
        canvas.style().set_property("height", "0")?;
    }
    fill_select(&by_test_id("x-feature-select")?, &[], None)?;
    fill_select(&by_test_id("y-feature-select")?, &[], None)?;
    Ok(())
}

fn show_error(message: &str) {
    if let Ok(el) = by_test_id::<Element>("error-message") {
        set_text(&el, message);
    }
}

/// Shows a DOM failure instead of dropping it.
fn report(result: JsResult<()>) {
    if let Err(e) = result {
        show_error(&format!("The page hit a problem: {}", js_text(&e)));
    }
}

fn js_text(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| format!("{e:?}"))
}

