//! The page: steps on the left (data → target → model → train), views on the
//! right. State lives in one `App`; the worker does all the computing.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    DragEvent, Element, Event, HtmlButtonElement, HtmlCanvasElement, HtmlElement, HtmlInputElement, HtmlSelectElement,
    MessageEvent, MouseEvent, Worker, WorkerOptions,
};

use super::dom::{self, append_text, by_id, by_test_id, create, fill_select, on, set_text, JsResult};
use super::js::{from_js, panic_text, to_js};
use super::link::{Load, Post, WorkerLink};
use super::text::{card_text, metrics_text, summary_text};
use super::{canvas, clustering, columns, evaluation, input};
use crate::base::{capitalize, format_count as thousands, format_number, format_significant, FeatureValues, Task};
use crate::eval::Metrics;
use crate::explain::PointView;
use crate::model::view::ModelView;
use crate::model::{self, ParamKind, ParamValues};
use crate::render::PlotMapping;
use crate::session::{
    bundled, task_hint, ColumnUpdate, ColumnUse, CompareReport, DataSummary, Request, Response, TrainReport, TrainRequest,
};

mod compare;
mod explore;

/// Trunk's loader shim for the worker binary.
const WORKER_URL: &str = "./worker_loader.js";

#[derive(Default)]
struct App {
    worker: Option<Worker>,
    link: WorkerLink<web_sys::File>,
    summary: Option<DataSummary>,
    columns: Vec<ColumnUse>,
    report: Option<TrainReport>,
    /// Where the boundary plot landed on its canvas, for clicks.
    mapping: Option<PlotMapping>,
    /// The point the person clicked, marked on the boundary.
    inspected: Option<PointView>,
    busy: bool,
    /// The boundary's slice: the values the person set, by column.
    slice: FeatureValues,
    /// The table row being dragged on the boundary plot.
    dragging: Option<usize>,
    /// The last comparison of models.
    compared: Option<CompareReport>,
}

type Shared = Rc<RefCell<App>>;

impl Load<web_sys::File> {
    /// The table's name as the person knows it, to say which one failed.
    fn name(&self) -> String {
        match self {
            Load::Bundled(name) => name.clone(),
            Load::File(file) => file.name(),
        }
    }
}

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
    let model_options: Vec<(String, String)> =
        model::REGISTRY.iter().map(|m| (m.id.to_string(), m.name.to_string())).collect();
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
                load(&app, Load::Bundled(name));
            }
        })?;
    }
    let file_input: HtmlInputElement = by_test_id("file-input")?;
    {
        let app = app.clone();
        let input = file_input.clone();
        on::<Event>(&file_input.into(), "change", move |_| {
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                load(&app, Load::File(file));
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
                load(&app, Load::File(file));
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
        let app = app.clone();
        on::<Event>(&by_test_id::<Element>("cancel-button")?.into(), "click", move |_| report(cancel(&app)))?;
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
    explore::wire_boundary_pointer(&app)?;
    compare::wire(&app)?;
    explore::wire_spine_toggle(&app)?;
    {
        let app = app.clone();
        evaluation::init(move |feature| send(&app, Request::PartialDependence { feature }))?;
    }
    for id in ["x-feature-select", "y-feature-select"] {
        let app = app.clone();
        on::<Event>(&by_test_id::<Element>(id)?.into(), "change", move |_| {
            report(explore::render_slice_controls(&app).and_then(|_| explore::request_boundary(&app, false)))
        })?;
    }
    {
        let app = app.clone();
        let window: web_sys::EventTarget = web_sys::window().ok_or("no window")?.into();
        on::<Event>(&window, "resize", move |_| {
            if app.borrow().report.is_some() {
                report(draw_report(&app));
            }
            report(compare::draw(&app));
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
    a.link.worker_started();
    Ok(())
}

/// Posts what the link lets through to the worker.
fn post(app: &Shared, posts: impl IntoIterator<Item = Post<web_sys::File>>) {
    for post in posts {
        let posted = app.borrow().worker.as_ref().map(|w| match &post {
            Post::Request(request) => to_js(request).and_then(|v| w.post_message(&v)),
            Post::File(file) => w.post_message(file),
        });
        if let Some(Err(e)) = posted {
            show_error(&format!("Could not reach the worker: {}", js_text(&e)));
        }
    }
}

fn send(app: &Shared, request: Request) {
    let now = app.borrow_mut().link.send(request);
    post(app, now.map(Post::Request));
}

/// Sends a request that follows the pointer (see [`WorkerLink::send_latest`]).
fn send_latest(app: &Shared, request: Request) {
    let now = app.borrow_mut().link.send_latest(request);
    post(app, now.map(Post::Request));
}

/// An answer to a [`send_latest`] request arrived: the newest waiting one goes.
fn following_answered(app: &Shared) {
    let next = app.borrow_mut().link.following_answered();
    post(app, next.map(Post::Request));
}

fn load(app: &Shared, load: Load<web_sys::File>) {
    if matches!(load, Load::File(_)) {
        let _ = by_test_id::<HtmlSelectElement>("dataset-select").map(|s| s.set_value(""));
    }
    let now = app.borrow_mut().link.load(load);
    // The last file's message goes; this one will say its own if it fails.
    show_error("");
    set_busy(app, true, "Reading the table…");
    post(app, now);
}

/// Stops a long load or training: the worker is ended and a fresh one reloads
/// the table loaded before, so nothing the person had is lost.
fn cancel(app: &Shared) -> JsResult<()> {
    {
        let mut a = app.borrow_mut();
        a.link.cancel();
        if let Some(w) = a.worker.take() {
            w.terminate();
        }
    }
    spawn_worker(app)?;
    by_test_id::<web_sys::HtmlProgressElement>("progress")?.set_value(0.0);
    set_busy(app, false, "Canceled.");
    Ok(())
}

fn on_response(app: &Shared, response: Response) -> JsResult<()> {
    match response {
        Response::Ready => {
            let opening = {
                let a = app.borrow();
                a.summary.is_none() && !a.link.has_table()
            };
            if opening {
                // Open on a small real dataset rather than an empty page.
                by_test_id::<HtmlSelectElement>("dataset-select")?.set_value("iris");
                load(app, Load::Bundled("iris".into()));
            }
            let posts = app.borrow_mut().link.ready();
            post(app, posts);
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
                a.link.loaded();
                a.columns = summary
                    .columns
                    .iter()
                    .map(|c| ColumnUse { name: c.name.clone(), kind: c.inferred, included: c.inferred.is_feature() })
                    .collect();
                a.report = None;
                a.compared = None;
            }
            show_summary(app, &summary)?;
            app.borrow_mut().summary = Some(summary);
            clear_views()?;
            by_test_id::<web_sys::HtmlProgressElement>("progress")?.set_value(100.0);
            // A replayed table may have a new file still coming after it.
            if !app.borrow().link.loading() {
                set_busy(app, false, "Loaded. Press Train.");
            }
        }
        Response::Trained(report) => {
            show_error("");
            {
                let mut a = app.borrow_mut();
                a.inspected = None;
                a.report = Some(*report);
            }
            explore::reset_for_report(app)?;
            draw_report(app)?;
            explore::render_slice_controls(app)?;
            by_test_id::<web_sys::HtmlProgressElement>("progress")?.set_value(100.0);
            set_busy(app, false, "Trained.");
        }
        Response::Compared(report) => {
            show_error("");
            by_test_id::<web_sys::HtmlProgressElement>("progress")?.set_value(100.0);
            set_busy(app, false, "Compared.");
            compare::show(app, *report)?;
        }
        Response::Boundary(view) => {
            following_answered(app);
            let mapping = canvas::draw_boundary(&by_test_id("boundary-canvas")?, &view, None)?;
            set_text(&by_test_id::<Element>("path-text")?, "");
            by_id::<HtmlElement>("contributions-box")?.set_hidden(true);
            let traced = {
                let mut a = app.borrow_mut();
                a.mapping = Some(mapping);
                if let Some(r) = a.report.as_mut() {
                    r.boundary = Some(view);
                }
                a.inspected.take().is_some_and(|p| !p.path.is_empty())
            };
            if traced {
                explore::draw_tree(app)?;
            }
        }
        Response::PartialDependence(view) => {
            evaluation::draw_partial_dependence(&view)?;
            if let Some(r) = app.borrow_mut().report.as_mut() {
                r.evaluation.partial_dependence = Some(view);
            }
        }
        Response::Inspected(point) => {
            following_answered(app);
            explore::show_inspected(app, point)?;
        }
        Response::ColumnRetyped(update) => on_column_retyped(app, update)?,
        Response::Failed(error) => {
            following_answered(app);
            let crashed = matches!(error, crate::session::SessionError::Internal(_));
            // Name the file a load failed on; the table already loaded stays.
            let failed = app.borrow_mut().link.failed();
            match failed {
                Some(load) => show_error(&format!("{}: {error}", load.name())),
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
    if let Ok(button) = by_test_id::<HtmlElement>("cancel-button") {
        button.set_hidden(!busy);
    }
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
    show_summary_line(summary)?;

    let body: Element = by_id("column-rows")?;
    dom::clear(&body);
    let events = row_events(app);
    let uses = app.borrow().columns.clone();
    for (i, (info, use_)) in summary.columns.iter().zip(&uses).enumerate() {
        for row in columns::rows(i, info, use_, &events)? {
            body.append_child(&row)?;
        }
    }

    // Preview of the first rows.
    let preview: Element = by_id("preview")?;
    dom::clear(&preview);
    let head: Element = create("tr", None)?;
    for info in &summary.columns {
        let th = append_text(&head, "th", &info.name)?;
        th.set_attribute("title", &info.name)?;
        th.set_attribute("dir", "auto")?;
    }
    preview.append_child(&head)?;
    for (row, cells) in summary.preview.iter().enumerate() {
        let tr: Element = create("tr", None)?;
        tr.set_attribute("data-row", &row.to_string())?;
        tr.set_attribute("title", "Trace this row through the trained model")?;
        for cell in cells {
            append_text(&tr, "td", cell)?.set_attribute("dir", "auto")?;
        }
        preview.append_child(&tr)?;
        let app = app.clone();
        on::<MouseEvent>(&tr.into(), "click", move |_| report(explore::inspect(&app, None, Some(row))))?;
    }

    let target: HtmlSelectElement = by_test_id("target-select")?;
    let names: Vec<(String, String)> = summary.columns.iter().map(|c| (c.name.clone(), c.name.clone())).collect();
    fill_select(&target, &names, summary.columns.get(summary.default_target).map(|c| c.name.as_str()))?;
    if selected_task()? == Task::Clustering {
        // A new table keeps the person's clustering, without a compared column.
        clustering::fill_targets(summary, Task::Clustering)?;
    }
    apply_target(summary, &target.value())?;
    // The suggested task may differ from the last table's: offer its models.
    render_params(app)
}

fn show_summary_line(summary: &DataSummary) -> JsResult<()> {
    set_text(&by_test_id::<Element>("data-summary")?, &summary_text(summary));
    Ok(())
}

/// The column table's hooks into the app: feature choices, kinds, missing tokens.
fn row_events(app: &Shared) -> columns::RowEvents {
    let (a, b, c) = (app.clone(), app.clone(), app.clone());
    columns::RowEvents {
        included: Rc::new(move |i, included| {
            if let Some(c) = a.borrow_mut().columns.get_mut(i) {
                c.included = included;
            }
        }),
        kind: Rc::new(move |i, kind| {
            if let Some(c) = b.borrow_mut().columns.get_mut(i) {
                c.kind = kind;
                c.included = kind.is_feature();
            }
        }),
        missing: Rc::new(move |column, missing| {
            set_busy(&c, true, "Re-reading the column…");
            send(&c, Request::SetMissing { column, missing });
        }),
    }
}

/// A column re-read with other missing tokens: its row, the warnings and the
/// target's suggestion change; the person's other choices stay.
fn on_column_retyped(app: &Shared, update: ColumnUpdate) -> JsResult<()> {
    let summary = {
        let mut a = app.borrow_mut();
        let use_ = ColumnUse {
            name: update.info.name.clone(),
            kind: update.info.inferred,
            included: update.info.inferred.is_feature(),
        };
        if let Some(c) = a.columns.get_mut(update.index) {
            *c = use_;
        }
        a.report = None;
        let Some(summary) = a.summary.as_mut() else { return Ok(()) };
        if let Some(c) = summary.columns.get_mut(update.index) {
            *c = update.info.clone();
        }
        if let Some(t) = summary.suggested_task.get_mut(update.index) {
            *t = update.suggested_task;
        }
        summary.warnings = update.warnings;
        summary.clone()
    };
    let use_ = app.borrow().columns.get(update.index).cloned();
    if let Some(use_) = use_ {
        let rows = columns::rows(update.index, &update.info, &use_, &row_events(app))?;
        columns::replace(&by_id("column-rows")?, update.index, &rows)?;
    }
    show_summary_line(&summary)?;
    apply_target(&summary, &by_test_id::<HtmlSelectElement>("target-select")?.value())?;
    clear_views()?;
    set_busy(app, false, "Column re-read. Press Train.");
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
                let why = row.get_attribute("data-why").unwrap_or_default();
                check.set_title(if is_target { "This is the target" } else { &why });
            }
        }
    }
    if let Some(i) =
        summary.columns.iter().position(|c| c.name == target).filter(|_| selected_task().ok() != Some(Task::Clustering))
    {
        by_test_id::<HtmlSelectElement>("task-select")?.set_value(summary.suggested_task[i].name());
        let hint = task_hint(&summary.columns[i], summary.suggested_task[i]).unwrap_or_default();
        set_text(&by_test_id::<Element>("task-hint")?, &hint);
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
    compare::render_choices(task)?;
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
        let value = input::param_value(&p, &raw).map_err(|e| JsValue::from_str(&e))?;
        values.insert(p.key.to_string(), value);
    }
    Ok(values)
}

/// The training request the controls describe, or `None` after showing the
/// person what to fix.
fn train_request(app: &Shared) -> JsResult<Option<TrainRequest>> {
    let model = by_test_id::<HtmlSelectElement>("model-select")?.value();
    let task = selected_task()?;
    let params = match read_params(&model, task) {
        Ok(p) => p,
        Err(e) => {
            show_error(&js_text(&e));
            return Ok(None);
        }
    };
    let seed = match input::seed(&by_id::<HtmlInputElement>("seed")?.value()) {
        Ok(seed) => seed,
        Err(e) => {
            show_error(&e);
            return Ok(None);
        }
    };
    Ok(Some(TrainRequest {
        target: by_test_id::<HtmlSelectElement>("target-select")?.value(),
        task,
        columns: app.borrow().columns.clone(),
        model,
        params,
        seed,
    }))
}

fn train(app: &Shared) -> JsResult<()> {
    let Some(request) = train_request(app)? else { return Ok(()) };
    show_error("");
    by_test_id::<web_sys::HtmlProgressElement>("progress")?.set_value(0.0);
    set_busy(app, true, "Training…");
    send(app, Request::Train(request));
    Ok(())
}

/// Draws every view of the trained model and writes its numbers; remembers
/// where the boundary plot landed, for the pointer.
fn draw_report(app: &Shared) -> JsResult<()> {
    let a = app.borrow();
    let Some(report) = a.report.as_ref() else { return Ok(()) };
    let inspected = a.inspected.as_ref();
    by_id::<Element>("views")?.class_list().add_1("trained")?;
    set_text(&by_test_id::<Element>("metrics")?, &metrics_text(&report.metrics));
    // A clustering has regions of clusters, not decisions about a target.
    let clusters = matches!(report.metrics, Metrics::Clustering { .. });
    set_text(
        &by_id::<Element>("boundary-title")?,
        if clusters { "Clusters over two features" } else { "Decision boundary" },
    );
    set_text(&by_id::<Element>("prep-summary")?, &report.prep_summary);
    set_text(&by_test_id::<Element>("model-card")?, &card_text(&report.model_name, &report.card));

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
    // A tree is drawn in its own scrollable card (with a traced path, if any);
    // any other view of the model's own in the model-view card.
    let has_tree = report.views.iter().any(|v| matches!(v, ModelView::Tree(_)));
    by_id::<HtmlElement>("tree-card")?.set_hidden(!has_tree);
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
    evaluation::draw(&report.evaluation)?;
    drop(a);
    app.borrow_mut().mapping = mapping;
    explore::draw_tree(app)
}

/// Blanks the views when a new table replaces the one they explained.
fn clear_views() -> JsResult<()> {
    by_id::<Element>("views")?.class_list().remove_1("trained")?;
    by_id::<HtmlElement>("compare-results")?.set_hidden(true);
    dom::clear(&by_id::<Element>("more-views")?);
    set_text(&by_test_id::<Element>("metrics")?, "");
    set_text(&by_id::<Element>("prep-summary")?, "");
    set_text(&by_test_id::<Element>("model-card")?, "");
    set_text(&by_test_id::<Element>("path-text")?, "");
    dom::clear(&by_test_id::<Element>("slice-controls")?);
    by_id::<HtmlElement>("contributions-box")?.set_hidden(true);
    for id in ["boundary-canvas", "tree-canvas", "importance-canvas", "model-view-canvas"] {
        let canvas: HtmlCanvasElement = by_test_id(id)?;
        canvas.set_width(0);
        canvas.set_height(0);
        canvas.style().set_property("height", "0")?;
    }
    fill_select(&by_test_id("x-feature-select")?, &[], None)?;
    fill_select(&by_test_id("y-feature-select")?, &[], None)?;
    evaluation::clear_all()
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
