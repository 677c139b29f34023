//! The page: steps on the left (data → target → model → train), views on the
//! right. State lives in one `App`; the worker does all the computing. This
//! module wires the page's events and answers the worker's messages; what to
//! send when is [`WorkerLink`]'s, and each part of the page has its own module.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    DragEvent, Element, Event, HtmlButtonElement, HtmlCanvasElement, HtmlElement, HtmlInputElement, HtmlProgressElement,
    HtmlSelectElement, MessageEvent, Worker, WorkerOptions,
};

use super::dom::{by_id, by_test_id, fill_select, on, set_text, JsResult};
use super::js::{self, panic_text};
use super::link::{Body, Ended, Load, Post, Purpose, WorkerLink};
use super::text::{cross_validation_text, fold_scores_label, fold_scores_view, ready_text};
use super::{canvas, compare_table, evaluation, input};
use crate::base::{capitalize, FeatureValues};
use crate::data::{TextEncoding, ToyEdit};
use crate::explain::PointView;
use crate::render::{self, PlotMapping};
use crate::session::{
    bundled, ColumnUse, CompareReport, DataSummary, Reply, Request, RequestId, Response, SessionError, TrainReport,
};

mod address;
mod code;
mod compare;
mod distill;
mod ensemble;
mod explore;
mod export;
mod features;
mod form;
mod host;
mod model_file;
mod nav;
mod offline;
mod pool;
mod robust;
mod search;
mod staged;
mod table;
mod toy;
mod views;

/// Trunk's loader shim for the worker binary.
const WORKER_URL: &str = "./worker_loader.js";
/// Widest the fold scores' strip is drawn, CSS px: a strip, not a full chart.
const CV_WIDTH: u32 = 560;

#[derive(Default)]
struct App {
    worker: Option<Worker>,
    link: WorkerLink<FileLoad>,
    summary: Option<DataSummary>,
    columns: Vec<ColumnUse>,
    report: Option<TrainReport>,
    /// Where the boundary plot landed on its canvas, for clicks.
    mapping: Option<PlotMapping>,
    /// The point the person clicked, marked on the boundary.
    inspected: Option<PointView>,
    busy: bool,
    /// A cross-validation follows the training being waited for.
    cross_validating: bool,
    /// A model is being trained: with helper workers its folds can come first.
    training: bool,
    /// The boundary's slice: the values the person set, by column.
    slice: FeatureValues,
    /// The table row whose own values the slice holds, since it was traced.
    slice_row: Option<usize>,
    /// The table row being dragged on the boundary plot.
    dragging: Option<usize>,
    /// The boundary plot's keyboard cursor, once the plot had focus.
    cursor: Option<crate::web::cursor::PlotCursor>,
    /// The last comparison of models.
    compared: Option<CompareReport>,
    /// The column the comparison table is sorted by, once the person chose one.
    compare_sort: Option<compare_table::Sort>,
    /// How the person framed the tree diagram.
    tree: explore::TreeFrame,
    /// The feature pipeline the person built; `None` while it is the model's default.
    pipeline: Option<crate::prep::PipelineSpec>,
    /// The last hyperparameter search and its trials.
    search: search::SearchState,
    /// The seed of the toy set on show; "New points" moves it on.
    toy_seed: u64,
    /// The last distillation's teacher and student, for the Pareto chart,
    /// while the student is the trained model.
    distilled: Option<crate::session::DistillSummary>,
    /// The trained model's last shifted split, for redraws.
    shift: Option<crate::explain::ShiftView>,
    /// The trained model as code, as last exported.
    code: Option<crate::session::CodeExport>,
    /// A link being opened (`address`), step by step.
    restore: Option<address::Restore>,
    /// What the address says now.
    written: address::Written,
    /// The request of the training in flight and its cross-validation
    /// (folds, how cut), which becomes `trained` when its model arrives.
    training_sent: Option<(crate::session::TrainRequest, Option<(usize, String)>)>,
    /// What trained the model on show, for the link.
    trained: Option<(crate::session::TrainRequest, Option<(usize, String)>)>,
    /// The ensemble in flight, with its base request, which becomes
    /// `trained` and `ensembled` when it arrives.
    ensemble_sent: Option<(crate::session::TrainRequest, crate::web::state::EnsembleLink)>,
    /// The ensemble on show (built on `trained`), for the link.
    ensembled: Option<crate::web::state::EnsembleLink>,
    /// The distillation in flight, which becomes `student` when it arrives.
    distill_sent: Option<crate::session::DistillRequest>,
    /// The student on show (distilled from `trained` or `ensembled`), for the link.
    student: Option<crate::session::DistillRequest>,
    /// The views shown, in an embed; `None` for the full page.
    embed: Option<Vec<crate::web::state::EmbedView>>,
    /// The host page's messages, in an embed.
    host: host::HostLink,
    /// What each precision the trained model was exported at scores and
    /// stores, for the Pareto chart (one per precision, the latest).
    quantized: Vec<crate::session::Quantization>,
    /// The evaluation views that follow the trained model's answer.
    staged: crate::web::staged::StagedViews,
    /// Helper workers for work that splits, and what each computes.
    pool: crate::web::pool::Pool<FileLoad>,
    /// The helpers' workers, by the pool's numbers (`None` once ended).
    helpers: Vec<Option<Worker>>,
}

type Shared = Rc<RefCell<App>>;

/// The person's file, and the encoding they chose to read it in (else the
/// one its bytes show).
#[derive(Clone, Debug, PartialEq)]
struct FileLoad {
    file: web_sys::File,
    encoding: Option<TextEncoding>,
}

impl FileLoad {
    fn new(file: web_sys::File) -> Load<FileLoad> {
        Load::File(FileLoad { file, encoding: None })
    }
}

impl Load<FileLoad> {
    /// The table's name as the person knows it, to say which one failed.
    fn name(&self) -> String {
        match self {
            Load::Bundled(name) => name.clone(),
            Load::File(load) => load.file.name(),
            Load::Toy(toy) => toy.name(),
        }
    }
}

pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let text = panic_text(info);
        web_sys::console::error_1(&JsValue::from_str(&text));
        show_error(&format!("Something went wrong inside Micro Models ({text}). Please reload the page."));
    }));
    // index.html's check found no wasm SIMD (the page shows which browsers
    // run it): the worker's module would not compile, so start nothing.
    let no_simd = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .is_some_and(|html| html.has_attribute("data-no-simd"));
    if no_simd {
        return;
    }
    if let Err(e) = init() {
        show_error(&format!("The page could not start: {}", js_text(&e)));
    }
}

fn init() -> JsResult<()> {
    let app: Shared = Rc::new(RefCell::new(App { pool: pool::new(), ..App::default() }));
    address::opening(&app)?;
    spawn_worker(&app)?;

    let datasets: HtmlSelectElement = by_test_id("dataset-select")?;
    let mut options = vec![(String::new(), "Pick a bundled dataset…".to_string())];
    options.extend(bundled::NAMES.iter().map(|n| (n.to_string(), format!("{n}.csv"))));
    fill_select(&datasets, &options, None)?;
    form::fill_models()?;
    toy::wire(&app)?;

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
                model_file::open(&app, file);
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
                model_file::open(&app, file);
            }
        })?;
    }
    {
        let app = app.clone();
        on::<Event>(&by_test_id::<Element>("target-select")?.into(), "change", move |_| {
            report(table::on_target_change(&app));
        })?;
    }
    {
        let app = app.clone();
        let models: Element = by_test_id("model-select")?;
        on::<Event>(&models.into(), "change", move |_| report(form::render_params(&app)))?;
    }
    {
        let app = app.clone();
        on::<Event>(&by_test_id::<Element>("task-select")?.into(), "change", move |_| report(table::on_task_change(&app)))?;
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
    explore::wire_boundary_keys(&app)?;
    nav::wire()?;
    compare::wire(&app)?;
    ensemble::wire(&app)?;
    distill::wire(&app)?;
    code::wire(&app)?;
    search::wire(&app)?;
    robust::wire(&app)?;
    staged::wire(&app)?;
    export::wire(&app)?;
    model_file::wire(&app)?;
    table::wire_encoding(&app)?;
    explore::wire_spine_toggle(&app)?;
    explore::wire_slice_buttons(&app)?;
    explore::wire_tree(&app)?;
    wire_present(&app)?;
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
        on::<Event>(&window, "resize", move |_| redraw(&app))?;
    }
    features::wire(&app)?;
    address::wire(&app)?;
    host::wire(&app)?;
    form::render_params(&app)?;
    update_train_button(&app.borrow())?;
    Ok(())
}

/// Draws every chart anew, at the page's new size or text size.
fn redraw(app: &Shared) {
    if app.borrow().report.is_some() {
        report(views::draw(app));
    }
    report(compare::draw(app));
    report(search::draw(app));
}

/// Presentation mode, for a projector: the page's text and every chart larger.
/// `?present` in the address opens the page in it; the button toggles it and
/// keeps the address in step, so the link shared is the view shown.
fn wire_present(app: &Shared) -> JsResult<()> {
    let window = web_sys::window().ok_or("no window")?;
    let url = web_sys::Url::new(&window.location().href()?)?;
    set_present(url.search_params().has("present"))?;
    let app = app.clone();
    on::<Event>(&by_test_id::<Element>("present-toggle")?.into(), "click", move |_| {
        let on = !canvas::presenting();
        report(set_present(on).and_then(|_| remember_present(on)));
        redraw(&app);
    })
}

fn set_present(on: bool) -> JsResult<()> {
    let root = super::dom::document().document_element().ok_or("the page has no root element")?;
    root.class_list().toggle_with_force("present", on)?;
    by_test_id::<Element>("present-toggle")?.set_attribute("aria-pressed", if on { "true" } else { "false" })
}

/// Writes presentation mode into the address (`?present`), without a reload.
fn remember_present(on: bool) -> JsResult<()> {
    let window = web_sys::window().ok_or("no window")?;
    let url = web_sys::Url::new(&window.location().href()?)?;
    let params = url.search_params();
    params.delete("present");
    let mut search: Vec<String> = params.to_string().as_string().into_iter().filter(|s| !s.is_empty()).collect();
    if on {
        search.push("present".to_string());
    }
    url.set_search(&search.join("&"));
    window.history()?.replace_state_with_url(&JsValue::NULL, "", Some(&url.href()))
}

/// Starts a worker (or takes over the one `index.html` started early) and
/// routes its messages. A crashed worker is replaced, and the last good table
/// is loaded into the new one, so nothing is lost.
fn spawn_worker(app: &Shared) -> JsResult<()> {
    let (worker, held) = match offline::early_worker() {
        Some(early) => early,
        None => (Worker::new_with_options(WORKER_URL, &WorkerOptions::new())?, js_sys::Array::new()),
    };
    {
        let app = app.clone();
        on::<MessageEvent>(&worker.clone().into(), "message", move |e| on_worker_message(&app, e.data()))?;
    }
    on::<Event>(&worker.clone().into(), "error", move |_| on_worker_error())?;
    {
        let mut a = app.borrow_mut();
        a.worker = Some(worker);
        a.link.worker_started();
    }
    // What the early worker said before this module listened, in order.
    for event in held.iter() {
        match event.dyn_into::<MessageEvent>() {
            Ok(message) => on_worker_message(app, message.data()),
            Err(_) => on_worker_error(),
        }
    }
    Ok(())
}

fn on_worker_message(app: &Shared, data: JsValue) {
    match js::read_reply(&data) {
        Ok(reply) => report(on_reply(app, reply)),
        Err(e) => show_error(&format!("The worker sent an unreadable message: {e}")),
    }
}

fn on_worker_error() {
    show_error("The computing worker failed to start or crashed. Please reload the page.");
}

/// Posts what the link lets through to the worker: every reply it causes
/// comes back with its id.
fn post(app: &Shared, posts: impl IntoIterator<Item = Post<FileLoad>>) {
    for post in posts {
        let posted = app.borrow().worker.as_ref().map(|w| post_to(w, post.id, &post.body));
        if let Some(Err(e)) = posted {
            show_error(&format!("Could not reach the worker: {e}"));
        }
    }
}

/// Posts one message to a worker (the primary or a helper): a request as
/// postcard bytes, a file's load as its bytes and the `File` handle beside
/// them (`session::wire`), the bytes' buffer transferred.
fn post_to(worker: &Worker, id: RequestId, body: &Body<FileLoad>) -> Result<(), String> {
    let out = match body {
        Body::Request(request) => js::request_message(id, request),
        Body::File(load) => js::file_message(id, &load.file, load.encoding),
    }?;
    worker.post_message_with_transfer(&out.message, &out.transfer).map_err(|e| js_text(&e))
}

fn send(app: &Shared, request: Request) {
    let now = app.borrow_mut().link.send(request);
    post(app, now);
}

/// Adds or removes a point of the toy set loaded; the link keeps the edit,
/// once made, for a fresh worker after a crash.
fn edit_toy(app: &Shared, edit: ToyEdit) {
    let now = app.borrow_mut().link.edit_toy(edit);
    post(app, now);
}

/// Sends a request that follows the pointer (see [`WorkerLink::send_latest`]).
fn send_latest(app: &Shared, request: Request) {
    let now = app.borrow_mut().link.send_latest(request);
    post(app, now);
}

fn load(app: &Shared, load: Load<FileLoad>) {
    // One picker names the table on show: the others go back to their prompt.
    if !matches!(load, Load::Bundled(_)) {
        let _ = by_test_id::<HtmlSelectElement>("dataset-select").map(|s| s.set_value(""));
    }
    if !matches!(load, Load::Toy(_)) {
        let _ = by_test_id::<HtmlSelectElement>("toy-select").map(|s| s.set_value(""));
        let _ = toy::offer_classes(&[]);
    }
    let now = app.borrow_mut().link.load(load);
    // The last file's message goes; this one will say its own if it fails.
    show_error("");
    set_busy(app, true, "Reading the table…");
    post(app, now);
}

fn train(app: &Shared) -> JsResult<()> {
    app.borrow_mut().training_sent = None;
    pool::forget(app);
    // The last model's views still to come are not asked for: the worker
    // would compute them for the new model before its answer.
    staged::forget(app)?;
    search::forget_applied(app);
    let Some(request) = form::train_request(app)? else { return Ok(()) };
    show_error("");
    by_test_id::<HtmlProgressElement>("progress")?.set_value(0.0);
    set_busy(app, true, "Training…");
    set_text(&by_test_id::<Element>("cv-summary")?, "");
    by_test_id::<HtmlElement>("cv-canvas")?.set_hidden(true);
    let k: usize = by_test_id::<HtmlSelectElement>("cv-folds")?.value().parse().unwrap_or(0);
    // The worker answers in order: the model first, then its folds' scores.
    let folding = input::folding(&by_test_id::<HtmlSelectElement>("cv-split")?.value());
    let cross_validate = (k > 0).then(|| Request::CrossValidate { request: request.clone(), k, folding });
    let split = by_test_id::<HtmlSelectElement>("cv-split")?.value();
    app.borrow_mut().training_sent = Some((request.clone(), (k > 0).then_some((k, split))));
    app.borrow_mut().training = true;
    send(app, Request::Train(request.clone()));
    match cross_validate {
        Some(cv) => {
            app.borrow_mut().cross_validating = true;
            // Its folds go to the helper workers, if any, while the primary trains.
            pool::send_splittable(app, cv);
        }
        // Without one, the helpers refit the learning curve meanwhile.
        None => pool::curve(app, &request),
    }
    Ok(())
}

/// Stops a long load or training: the worker is ended and a fresh one reloads
/// the table loaded before, so nothing the person had is lost.
fn cancel(app: &Shared) -> JsResult<()> {
    // Only helpers compute (a search, a comparison): they alone stop.
    if pool::only_helpers_busy(app) {
        return pool::stop(app);
    }
    let kept = {
        let mut a = app.borrow_mut();
        let kept = a.link.cancel();
        a.cross_validating = false;
        a.training = false;
        if let Some(w) = a.worker.take() {
            w.terminate();
        }
        kept
    };
    spawn_worker(app)?;
    pool::end_all(app);
    // The new worker has no model: the views it would have followed are gone.
    staged::forget(app)?;
    by_test_id::<HtmlProgressElement>("progress")?.set_value(0.0);
    set_busy(app, false, "Canceled.");
    search::on_stopped(app, kept)
}

/// Makes `trained` the model explored: every view drawn anew, the slice's
/// controls rebuilt, and `done` said unless a cross-validation follows.
fn show_trained(app: &Shared, trained: TrainReport, done: &str) -> JsResult<()> {
    show_error("");
    model_file::forget();
    {
        let mut a = app.borrow_mut();
        a.inspected = None;
        a.shift = None;
        a.report = Some(trained);
    }
    explore::reset_for_report(app)?;
    views::draw(app)?;
    explore::render_slice_controls(app)?;
    search::on_trained(app)?;
    distill::offer_counterfactual(app, None)?;
    by_test_id::<HtmlProgressElement>("progress")?.set_value(100.0);
    let cross_validating = app.borrow().cross_validating;
    set_busy(app, cross_validating, if cross_validating { "Trained; cross-validating…" } else { done });
    // An embed never takes the keyboard's focus from its host page.
    match app.borrow().embed {
        Some(_) => Ok(()),
        None => nav::show_results(),
    }
}

/// Routes a reply by the request it answers ([`WorkerLink`] knows what each
/// id was for): progress to the view's line or the page's bar, a search's
/// trials to the search, a failure to the part of the page that asked.
fn on_reply(app: &Shared, Reply { id, response }: Reply) -> JsResult<()> {
    // Ids start at 1: 0 is no request's (`Ready`).
    let id = id.unwrap_or_default();
    match response {
        Response::Progress { done, total, what } => return progress(app, id, done, total, &what),
        Response::SearchTrial(trial) => return search::on_trial(app, id, trial),
        Response::Failed(error) => {
            let ended = app.borrow_mut().link.failed(id);
            return on_failed(app, ended, error);
        }
        Response::Ready => {}
        _ => {
            // A load answered becomes the table to replay; a pointer's answer
            // lets the newest request waiting behind it go.
            let ended = app.borrow_mut().link.answered(id);
            match ended {
                Ended::Following(next) => post(app, next),
                // A fresh worker took back a point the person had clicked:
                // the table on show again, not a new click to retrain on.
                Ended::Replay => {
                    if let Response::ToyEdited(summary) = response {
                        return toy::replayed(app, summary);
                    }
                    // Or the table on show: not a new table, no history entry.
                    return respond(app, response, address::Entry::Replayed);
                }
                _ => {}
            }
        }
    }
    on_response(app, response)
}

/// Progress of request `id`: a view's on its own line, another request's on
/// the page's bar, a replaced worker's nowhere.
fn progress(app: &Shared, id: RequestId, done: u64, total: u64, what: &str) -> JsResult<()> {
    let percent = (done * 100).checked_div(total).unwrap_or(0);
    let purpose = app.borrow().link.purpose(id).cloned();
    match purpose {
        Some(Purpose::View(part)) => staged::progress(app, &part, percent),
        Some(_) => show_progress(done, total, what),
        None => Ok(()),
    }
}

/// Progress on the page's bar, with what is being done.
fn show_progress(done: u64, total: u64, what: &str) -> JsResult<()> {
    let percent = (done * 100).checked_div(total).unwrap_or(0);
    by_test_id::<HtmlProgressElement>("progress")?.set_value(percent as f64);
    set_text(&by_id::<Element>("progress-text")?, &format!("{}… {percent}%", capitalize(what)));
    Ok(())
}

/// The worker failed a request. A refused view fails on its own line and the
/// next view is asked for; a failed load names its file (the table loaded
/// before stays); a failed search keeps the trials that ended. A panic
/// (`Internal`) killed the worker: a fresh one replaces it.
fn on_failed(app: &Shared, ended: Ended<FileLoad>, error: SessionError) -> JsResult<()> {
    let crashed = matches!(error, SessionError::Internal(_));
    let reason = error.to_string();
    match ended {
        Ended::View(part) if !crashed => return staged::failed(app, &part, &reason),
        Ended::Following(ref next) => post(app, next.clone()),
        Ended::Piece if !crashed && pool::view_failed(app, &reason)? => return Ok(()),
        Ended::Piece => pool::primary_failed(app)?,
        _ => {}
    }
    {
        let mut a = app.borrow_mut();
        a.cross_validating = false;
        a.training = false;
        a.ensemble_sent = None;
        a.distill_sent = None;
    }
    address::on_failed(app);
    host::on_failed(app, &reason);
    match &ended {
        Ended::Load(Some(load)) => {
            show_error(&format!("{}: {error}", load.name()));
            // The table read before stays, and so does the encoding it was read in.
            table::show_encoding(app)?;
        }
        _ => show_error(&reason),
    }
    set_busy(app, false, "");
    if let Ended::Search(kept) = ended {
        search::on_stopped(app, kept)?;
    }
    if crashed {
        // The fresh worker has no model: the views still to come are not asked for.
        staged::crashed(app, &reason)?;
        // A search queued behind the crash will never run; one that ran keeps its trials.
        let kept = app.borrow_mut().link.stop_search();
        search::on_stopped(app, kept)?;
        // The worker's module is dead after a panic: start a new one.
        if let Some(w) = app.borrow_mut().worker.take() {
            w.terminate();
        }
        spawn_worker(app)?;
    }
    Ok(())
}

/// What each answer does on the page, once [`on_reply`] has routed it.
fn on_response(app: &Shared, response: Response) -> JsResult<()> {
    respond(app, response, address::Entry::Loaded)
}

/// [`on_response`], with a table in the answer written into the browser's
/// history as `table`: [`address::Entry::Loaded`] for a table the person
/// asked for, [`address::Entry::Replayed`] for the one on show given back
/// to a fresh worker.
fn respond(app: &Shared, response: Response, table: address::Entry) -> JsResult<()> {
    match response {
        Response::Ready => {
            let opening = {
                let a = app.borrow();
                a.summary.is_none() && !a.link.has_table()
            };
            if opening && !address::on_ready(app) {
                // Open on a small real dataset rather than an empty page.
                by_test_id::<HtmlSelectElement>("dataset-select")?.set_value("iris");
                load(app, Load::Bundled("iris".into()));
            }
            let posts = app.borrow_mut().link.ready();
            post(app, posts);
        }
        Response::Loaded(summary) => {
            show_error("");
            {
                let mut a = app.borrow_mut();
                a.columns = summary.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect();
                a.report = None;
                a.compared = None;
                a.distilled = None;
                // Another table's pipeline names other columns.
                a.pipeline = None;
            }
            pool::table_changed(app);
            table::show(app, &summary)?;
            views::clear()?;
            staged::forget(app)?;
            model_file::forget();
            ensemble::clear()?;
            compare::draw_pareto(app)?;
            distill::on_trained(app)?;
            set_text(&by_id::<Element>("results-hint")?, &ready_text(&summary));
            fill_select(&by_test_id("cv-split")?, &input::folding_options(&summary.columns), None)?;
            app.borrow_mut().summary = Some(summary);
            table::show_encoding(app)?;
            by_test_id::<HtmlProgressElement>("progress")?.set_value(100.0);
            // A replayed table may have a new file still coming after it.
            if !app.borrow().link.loading() {
                set_busy(app, false, "Loaded. Press Train.");
            }
            {
                let mut a = app.borrow_mut();
                a.trained = None;
                a.ensembled = None;
                a.student = None;
            }
            let summary = app.borrow().summary.clone();
            if let Some(summary) = summary {
                address::on_loaded(app, &summary, table)?;
            }
            host::on_loaded(app);
            if app.borrow().restore.is_none() {
                host::ready(app);
            }
        }
        Response::ToyEdited(summary) => {
            pool::unshared(app);
            toy::edited(app, summary)?
        }
        Response::Trained(trained) => {
            // Folds computed by helpers may have come before the model.
            let cross_validated = {
                let mut a = app.borrow_mut();
                a.distilled = None;
                a.training = false;
                // The last training sent, not taken: a toy set's clicks retrain
                // at once, and answers of earlier trainings may still come first.
                a.trained = a.training_sent.clone();
                a.ensembled = None;
                a.student = None;
                a.trained.as_ref().is_some_and(|(_, cv)| cv.is_some()) && !a.cross_validating
            };
            let report = (*trained).clone();
            show_trained(app, *trained, if cross_validated { "Trained and cross-validated." } else { "Trained." })?;
            staged::start(app)?;
            distill::on_trained(app)?;
            code::on_trained(app)?;
            compare::draw_pareto(app)?;
            address::on_trained(app)?;
            host::on_trained(app, &report);
        }
        Response::Ensembled(report) => {
            show_error("");
            {
                // The ensemble's base request is what the link trains it on.
                let mut a = app.borrow_mut();
                a.distilled = None;
                let sent = a.ensemble_sent.take();
                a.trained = sent.as_ref().map(|(base, _)| (base.clone(), None));
                a.ensembled = sent.map(|(_, link)| link);
                a.student = None;
            }
            ensemble::show(app, *report)?;
            staged::forget(app)?;
            distill::on_trained(app)?;
            code::on_trained(app)?;
            address::on_trained(app)?;
        }
        Response::Distilled(distilled) => {
            let distilled = *distilled;
            {
                let mut a = app.borrow_mut();
                a.student = a.distill_sent.take();
            }
            show_trained(app, distilled.student.clone(), "Distilled.")?;
            staged::forget(app)?;
            distill::on_distilled(app, &distilled)?;
            code::on_trained(app)?;
            address::on_trained(app)?;
        }
        Response::Code(code) => code::on_code(app, *code)?,
        Response::Counterfactual(view) => distill::show_counterfactual(app, view)?,
        Response::Compared(compared) => {
            show_error("");
            by_test_id::<HtmlProgressElement>("progress")?.set_value(100.0);
            set_busy(app, false, "Compared.");
            compare::show(app, *compared)?;
            address::on_compared(app)?;
        }
        Response::Boundary(view) => {
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
            address::on_explored(app)?;
        }
        Response::PartialDependence(view) => {
            evaluation::draw_partial_dependence(&view)?;
            if let Some(r) = app.borrow_mut().report.as_mut() {
                r.evaluation.partial_dependence = Some(view);
            }
        }
        Response::Evaluated(piece) => staged::arrived(app, *piece)?,
        Response::PieceDone(done) => pool::primary_done(app, done),
        Response::Inspected(point) => {
            explore::show_inspected(app, point)?;
            address::on_explored(app)?;
        }
        Response::CrossValidated(cv) => {
            app.borrow_mut().cross_validating = false;
            set_text(&by_test_id::<Element>("cv-summary")?, &cross_validation_text(&cv));
            let strip: HtmlCanvasElement = by_test_id("cv-canvas")?;
            // Shown before it is drawn: a hidden canvas has no width to draw at.
            strip.set_hidden(false);
            canvas::draw_view(
                &strip,
                &fold_scores_view(&cv),
                CV_WIDTH,
                render::fold_scores_size,
                render::draw_fold_scores,
                fold_scores_label(&cv),
            )?;
            by_test_id::<HtmlProgressElement>("progress")?.set_value(100.0);
            // With helper workers the folds can come before the model.
            if app.borrow().training {
                set_busy(app, true, "Cross-validated; training…");
            } else {
                set_busy(app, false, "Trained and cross-validated.");
            }
        }
        Response::Searched(searched) => search::on_searched(app, searched)?,
        Response::ColumnRetyped(update) => {
            pool::unshared(app);
            table::on_column_retyped(app, update)?
        }
        Response::Groups(view) => robust::on_groups(app, view)?,
        Response::Shifted(view) => robust::on_shifted(app, view)?,
        Response::Predictions(predictions) => export::on_predictions(app, predictions)?,
        Response::ModelSaved(saved) => model_file::download(&saved)?,
        Response::ModelLoaded(loaded) => {
            // A model file's request trains the same model again: the link holds it.
            {
                let mut a = app.borrow_mut();
                a.trained = Some((loaded.request.clone(), None));
                a.ensembled = None;
                a.student = None;
            }
            model_file::on_loaded(app, *loaded)?;
            staged::forget(app)?;
            address::remember(app, address::Entry::Push)?;
        }
        // Routed by `on_reply` before they come here.
        Response::Progress { .. } | Response::SearchTrial(_) | Response::Failed(_) => {}
    }
    Ok(())
}

/// Marks the page busy (or not): the cancel button, the status line and
/// whether Train can be pressed follow it.
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
    let disabled = a.busy || a.summary.is_none();
    by_test_id::<HtmlButtonElement>("train-button")?.set_disabled(disabled);
    if !disabled {
        offline::ready_to_train();
    }
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
