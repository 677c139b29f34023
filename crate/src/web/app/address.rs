//! The page's state in its address (`web::state` says what and how): read
//! when the page opens and when the browser steps back or forward, written
//! after every training (a new history entry) and every change of what is
//! explored (the same entry), and offered as "Copy link" and, for a lesson
//! page, as an `<iframe>` snippet.
//!
//! Opening a link is a short walk, one answer of the worker at a time: load
//! the table (or, for the person's own file, ask for it and check its
//! fingerprint), add and remove a toy set's points by hand as the link's
//! edits say, set the controls and train (or build the link's ensemble),
//! distil its student, set the axes, slice or traced row, and compare; then
//! the address is written back as the page now is.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

use super::{explore, form, load, report, App, FileLoad, Shared};
use crate::model;
use crate::session::DataSummary;
use crate::web::dom::{by_id, by_test_id, copy_text, on, set_text, JsResult};
use crate::web::history::{self, Write};
use crate::web::link::Load;
use crate::web::state::{ask_for_file, iframe_snippet, slice_text, training_of, EmbedView, PageState, Source, Training};

/// A link being opened, and which answer it waits for.
pub(super) struct Restore {
    state: PageState,
    stage: Stage,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Its table (or the person's file, asked for).
    Loading,
    /// Its toy set's points, added and removed in order.
    Editing,
    /// Its model, or its ensemble.
    Training,
    /// Its student, distilled from the model trained.
    Distilling,
    /// The boundary at the link's axes and slice, or its traced row.
    Exploring,
    Comparing,
}

pub(super) use crate::web::history::{Entry, Written};

fn window() -> JsResult<web_sys::Window> {
    web_sys::window().ok_or_else(|| "no window".into())
}

fn fragment() -> JsResult<String> {
    window()?.location().hash()
}

/// Whether the page is in an `<iframe>` (its host gets messages) or opened
/// as an embed (`?embed`).
pub(super) fn embed_query() -> JsResult<Option<String>> {
    let url = web_sys::Url::new(&window()?.location().href()?)?;
    Ok(url.search_params().get("embed"))
}

/// Shows what a link said went wrong, or asks for a file; empty clears it.
pub(super) fn say(text: &str) {
    if let Ok(el) = by_test_id::<Element>("link-status") {
        set_text(&el, text);
    }
}

/// Reads the address the page opened with: a link's state to open once the
/// worker is ready, its embed views, or what is wrong with it.
pub(super) fn opening(app: &Shared) -> JsResult<()> {
    let mut views =
        embed_query()?.map(|raw| crate::web::state::embed_views(&raw).unwrap_or_else(|_| EmbedView::DEFAULT.to_vec()));
    match PageState::decode(&fragment()?) {
        Ok(Some(state)) => {
            if state.embed.is_some() {
                views = state.embed.clone();
            }
            app.borrow_mut().restore = Some(Restore { state, stage: Stage::Loading });
        }
        Ok(None) => {}
        Err(e) => say(&e.to_string()),
    }
    if let Some(views) = views {
        super::host::embed_layout(app, views)?;
    }
    Ok(())
}

/// The worker is ready: the link's table is asked for. `false` when there
/// is no link to open (the page opens on its usual dataset).
pub(super) fn on_ready(app: &Shared) -> bool {
    let source = match app.borrow().restore.as_ref() {
        Some(r) if r.stage == Stage::Loading => r.state.source.clone(),
        _ => return false,
    };
    match source {
        Source::Bundled(name) => {
            let _ = by_test_id::<HtmlSelectElement>("dataset-select").map(|s| s.set_value(&name));
            load(app, Load::Bundled(name));
        }
        Source::Toy { spec, .. } => {
            report(super::toy::show(app, &spec));
            load(app, Load::Toy(spec));
        }
        Source::File { .. } => {
            say(&ask_for_file(&source).unwrap_or_default());
            // A host page hears that the page waits for a file it may post.
            super::host::ready(app);
        }
    }
    true
}

/// The person's file a link being opened waits for (its name and size),
/// before anything else it does.
pub(super) fn wanted_file(a: &App) -> Option<(String, u64)> {
    match a.restore.as_ref().filter(|r| r.stage == Stage::Loading)?.state.source {
        Source::File { ref name, bytes, .. } => Some((name.clone(), bytes)),
        _ => None,
    }
}

/// The source of the table on show, as a link names it.
fn source(app: &Shared) -> Option<Source> {
    let a = app.borrow();
    let summary = a.summary.as_ref()?;
    Some(match a.link.last_load()? {
        Load::Bundled(name) => Source::Bundled(name.clone()),
        Load::Toy(spec) => Source::Toy { spec: spec.clone(), edits: summary.toy_edits.clone() },
        Load::File(FileLoad { file, .. }) => {
            Source::File { name: file.name(), bytes: summary.n_bytes, hash: summary.content_hash.clone() }
        }
    })
}

/// A table was loaded (`entry` is [`Entry::Loaded`]) or the one on show
/// came back in a fresh worker ([`Entry::Replayed`]): a link waiting for its
/// table sets its controls and trains (its own file only once the
/// fingerprint matches); otherwise the address names the table. A replayed
/// table is never a link's own: a link still waiting for its table waits
/// (it comes next), and a link further on stops, its model lost with the
/// worker.
pub(super) fn on_loaded(app: &Shared, summary: &DataSummary, entry: Entry) -> JsResult<()> {
    let waiting = app.borrow().restore.as_ref().is_some_and(|r| r.stage == Stage::Loading);
    if waiting && entry == Entry::Replayed {
        return Ok(());
    }
    if !waiting {
        app.borrow_mut().restore = None;
        return remember(app, entry);
    }
    let state = app.borrow().restore.as_ref().map(|r| r.state.clone()).ok_or("no link to open")?;
    if let Source::File { .. } = &state.source {
        let name = app.borrow().link.loaded_file().map(|f| f.file.name()).unwrap_or_else(|| summary.name.clone());
        if let Err(e) = state.check_file(&name, summary.n_bytes, &summary.content_hash) {
            // The file stays loaded, as any file; the link waits for its own.
            say(&e.to_string());
            return remember(app, Entry::Loaded);
        }
    }
    say("");
    if let Source::Toy { edits, .. } = &state.source {
        if !edits.is_empty() {
            // The worker takes them in order, each as a click would.
            set_stage(app, Stage::Editing);
            for edit in edits {
                super::edit_toy(app, edit.clone());
            }
            return Ok(());
        }
    }
    train_link(app, &state, summary)
}

/// A toy set's point was added or removed: `true` when a link being opened
/// made the edit, which trains the link's model after its last one.
pub(super) fn on_toy_edited(app: &Shared, summary: &DataSummary) -> JsResult<bool> {
    if stage(app) != Some(Stage::Editing) {
        return Ok(false);
    }
    let state = app.borrow().restore.as_ref().map(|r| r.state.clone()).ok_or("no link to open")?;
    let done = match &state.source {
        Source::Toy { edits, .. } => summary.toy_edits.len() >= edits.len(),
        _ => true,
    };
    if done {
        train_link(app, &state, summary)?;
    }
    Ok(true)
}

/// The link's table is ready: its controls are set and its model trained,
/// or its ensemble built.
fn train_link(app: &Shared, state: &PageState, summary: &DataSummary) -> JsResult<()> {
    let request = match state.request(&summary.columns) {
        Ok(Some(request)) => request,
        Ok(None) => return finish(app),
        Err(e) => {
            say(&e.to_string());
            app.borrow_mut().restore = None;
            return remember(app, Entry::Loaded);
        }
    };
    form::apply_request(app, &request)?;
    let (folds, split) = state
        .training
        .as_ref()
        .and_then(|t| t.cross_validation.clone())
        .map_or(("0".to_string(), None), |(k, split)| (k.to_string(), Some(split)));
    by_test_id::<HtmlSelectElement>("cv-folds")?.set_value(&folds);
    if let Some(split) = split {
        by_test_id::<HtmlSelectElement>("cv-split")?.set_value(&split);
    }
    set_stage(app, Stage::Training);
    let sent = match state.training.as_ref().and_then(|t| t.ensemble.as_ref()) {
        Some(ensemble) => {
            app.borrow_mut().ensemble_sent = None;
            tick(&ensemble.members)?;
            super::ensemble::apply(app, ensemble)?;
            app.borrow().ensemble_sent.is_some()
        }
        None => {
            super::train(app)?;
            app.borrow().training_sent.is_some()
        }
    };
    if !sent {
        // The controls refused the link's settings, and said why.
        app.borrow_mut().restore = None;
    }
    Ok(())
}

/// Ticks exactly `models` among those offered for comparison (an
/// ensemble's members are the models ticked).
fn tick(models: &[String]) -> JsResult<()> {
    let boxes = by_id::<Element>("compare-models")?.query_selector_all("input[type=checkbox]")?;
    for i in 0..boxes.length() {
        if let Some(check) = boxes.item(i).and_then(|n| n.dyn_into::<HtmlInputElement>().ok()) {
            check.set_checked(models.contains(&check.value()));
        }
    }
    Ok(())
}

fn set_stage(app: &Shared, stage: Stage) {
    if let Some(r) = app.borrow_mut().restore.as_mut() {
        r.stage = stage;
    }
}

fn stage(app: &Shared) -> Option<Stage> {
    app.borrow().restore.as_ref().map(|r| r.stage)
}

/// A model was trained (an ensemble built, a student distilled): a link
/// being opened distils its student, then sets its axes, slice and traced
/// row; otherwise the training gets its history entry.
pub(super) fn on_trained(app: &Shared) -> JsResult<()> {
    let step = stage(app);
    if !matches!(step, Some(Stage::Training | Stage::Distilling)) {
        app.borrow_mut().restore = None;
        return remember(app, Entry::Push);
    }
    let state = app.borrow().restore.as_ref().map(|r| r.state.clone()).ok_or("no link to open")?;
    let student = state.training.as_ref().and_then(|t| t.student.clone());
    if let (Some(Stage::Training), Some(student)) = (step, student) {
        set_stage(app, Stage::Distilling);
        app.borrow_mut().distill_sent = None;
        super::distill::apply(app, &student)?;
        if app.borrow().distill_sent.is_none() {
            app.borrow_mut().restore = None;
        }
        return Ok(());
    }
    set_stage(app, Stage::Exploring);
    let e = &state.exploration;
    if let Some((x, y)) = &e.axes {
        for (id, name) in [("x-feature-select", x), ("y-feature-select", y)] {
            let select: HtmlSelectElement = by_test_id(id)?;
            select.set_value(name);
            if &select.value() != name {
                say(&format!(
                    "This link's boundary axis '{name}' is not a feature of this model; the plot shows its usual axes."
                ));
                return compare_step(app);
            }
        }
    }
    by_test_id::<HtmlInputElement>("two-feature-model")?.set_checked(e.two_features);
    let controls = app.borrow().report.as_ref().map(|r| r.slice.clone()).unwrap_or_default();
    match state.slice(&controls) {
        Ok(slice) => app.borrow_mut().slice = slice,
        Err(err) => say(&err.to_string()),
    }
    explore::render_slice_controls(app)?;
    match e.traced {
        Some(row) => explore::inspect(app, None, Some(row)),
        None if e.axes.is_some() || e.two_features || !e.slice.is_empty() => explore::request_boundary(app, false),
        None => compare_step(app),
    }
}

/// The boundary or a traced row arrived: a link being opened compares its
/// models next; otherwise the address follows what is explored.
pub(super) fn on_explored(app: &Shared) -> JsResult<()> {
    match stage(app) {
        Some(Stage::Exploring) => compare_step(app),
        Some(_) => Ok(()),
        None => remember(app, Entry::Replace),
    }
}

fn compare_step(app: &Shared) -> JsResult<()> {
    let compared = app.borrow().restore.as_ref().map(|r| r.state.compared.clone()).unwrap_or_default();
    if compared.is_empty() {
        return finish(app);
    }
    tick(&compared)?;
    set_stage(app, Stage::Comparing);
    super::compare::start(app)
}

/// A comparison arrived.
pub(super) fn on_compared(app: &Shared) -> JsResult<()> {
    match stage(app) {
        Some(Stage::Comparing) => finish(app),
        Some(_) => Ok(()),
        None => remember(app, Entry::Replace),
    }
}

/// The worker refused something: a link being opened stops where it is.
pub(super) fn on_failed(app: &Shared) {
    let restoring = app.borrow_mut().restore.take().is_some();
    if restoring {
        super::host::ready(app);
    }
}

/// The link is open: the address now says the page as it is.
fn finish(app: &Shared) -> JsResult<()> {
    app.borrow_mut().restore = None;
    remember(app, Entry::Replace)?;
    super::host::ready(app);
    Ok(())
}

/// The page's state now, as a link.
pub(super) fn current(app: &Shared) -> JsResult<Option<PageState>> {
    let Some(source) = source(app) else { return Ok(None) };
    let a = app.borrow();
    let columns = a.summary.as_ref().map(|s| s.columns.clone()).unwrap_or_default();
    let training = a.trained.as_ref().map(|(req, cv)| Training {
        ensemble: a.ensembled.clone(),
        student: a.student.clone(),
        ..training_of(req, &columns, cv.clone())
    });
    let mut state =
        PageState { source, training, exploration: Default::default(), compared: Vec::new(), embed: a.embed.clone() };
    if let Some(report) = a.report.as_ref().filter(|_| state.training.is_some()) {
        let e = &mut state.exploration;
        e.axes = report.boundary.as_ref().map(|b| (b.x.name.clone(), b.y.name.clone()));
        e.two_features = by_test_id::<HtmlInputElement>("two-feature-model")?.checked();
        e.traced = a.slice_row;
        if a.slice_row.is_none() {
            e.slice = slice_text(&a.slice);
        }
        state.compared = a
            .compared
            .iter()
            .flat_map(|c| &c.rows)
            .filter(|r| model::catalog::find(&r.model).is_some())
            .map(|r| r.model.clone())
            .collect();
    }
    Ok(Some(state))
}

/// Writes the page's state into the address, in the history as
/// [`history::write`] decides for `entry` (an embed never adds entries:
/// they would be its host page's).
pub(super) fn remember(app: &Shared, entry: Entry) -> JsResult<()> {
    let Some(state) = current(app)? else { return Ok(()) };
    let fragment = format!("#{}", state.encode());
    let trained = state.training.is_some();
    let write = {
        let a = app.borrow();
        history::write(entry, &a.written, &fragment, a.embed.is_some())
    };
    let window = window()?;
    let url = web_sys::Url::new(&window.location().href()?)?;
    url.set_hash(&fragment);
    let history = window.history()?;
    match write {
        Write::Push => history.push_state_with_url(&JsValue::NULL, "", Some(&url.href()))?,
        Write::Replace => history.replace_state_with_url(&JsValue::NULL, "", Some(&url.href()))?,
        Write::Nothing => {}
    }
    app.borrow_mut().written = Written { fragment, trained };
    super::host::update_full_link(&state)?;
    update_snippet(app)
}

/// The browser stepped back or forward, or the person changed the address:
/// its state is opened (retrained) unless it is the one on show.
fn on_address_changed(app: &Shared) -> JsResult<()> {
    let fragment = fragment()?;
    if app.borrow().written.fragment == fragment {
        return Ok(());
    }
    let mut state = match PageState::decode(&fragment) {
        Ok(Some(state)) => state,
        Ok(None) => return Ok(()),
        Err(e) => {
            say(&e.to_string());
            return Ok(());
        }
    };
    say("");
    // An embed keeps its views whatever the address says.
    state.embed = app.borrow().embed.clone();
    let same_table = source(app).as_ref() == Some(&state.source);
    app.borrow_mut().written = Written { fragment, trained: state.training.is_some() };
    let untrained = state.training.is_none();
    app.borrow_mut().restore = Some(Restore { state, stage: Stage::Loading });
    if !same_table {
        on_ready(app);
        return Ok(());
    }
    if untrained {
        // The entry of the table before anything was trained on it.
        app.borrow_mut().report = None;
        app.borrow_mut().trained = None;
        super::views::clear()?;
    }
    let summary = app.borrow().summary.clone();
    match summary {
        Some(summary) => on_loaded(app, &summary, Entry::Loaded),
        None => Ok(()),
    }
}

/// "Copy link", the embed snippet, and the browser's back and forward.
pub(super) fn wire(app: &Shared) -> JsResult<()> {
    for event in ["popstate", "hashchange"] {
        let app = app.clone();
        on::<Event>(&window()?.into(), event, move |_| report(on_address_changed(&app)))?;
    }
    on::<Event>(&by_test_id::<Element>("copy-link")?.into(), "click", move |_| {
        let href = window().and_then(|w| w.location().href()).unwrap_or_default();
        copy(&href, "Link copied.", "share-status");
    })?;
    {
        let app = app.clone();
        on::<Event>(&by_test_id::<Element>("embed-button")?.into(), "click", move |_| {
            let open = by_id::<HtmlElement>("embed-box").map(|b| b.hidden()).unwrap_or(false);
            let _ = by_id::<HtmlElement>("embed-box").map(|b| b.set_hidden(!open));
            let _ = by_test_id::<Element>("embed-button").map(|b| b.set_attribute("aria-expanded", &open.to_string()));
            report(update_snippet(&app));
        })?;
    }
    let boxes = by_id::<Element>("embed-views")?.query_selector_all("input[type=checkbox]")?;
    for i in 0..boxes.length() {
        let Some(check) = boxes.item(i) else { continue };
        let app = app.clone();
        on::<Event>(&check, "change", move |_| report(update_snippet(&app)))?;
    }
    on::<Event>(&by_id::<Element>("embed-copy")?.into(), "click", move |_| {
        let text = by_test_id::<HtmlTextAreaElement>("embed-snippet").map(|t| t.value()).unwrap_or_default();
        copy(&text, "Snippet copied.", "embed-status");
    })
}

/// Puts `text` on the clipboard and says so in `status`, or, where the
/// browser refuses (a sandboxed frame, no permission), says to copy it by hand.
fn copy(text: &str, done: &'static str, status: &'static str) {
    let say = move |words: &str| {
        if let Ok(el) = by_id::<Element>(status) {
            set_text(&el, words);
        }
    };
    let Ok(promise) = copy_text(text) else {
        say("This browser does not let the page copy: select the address and copy it.");
        return;
    };
    let ok = Closure::once(move |_: JsValue| say(done));
    let refused = Closure::once(move |_: JsValue| {
        if let Ok(el) = by_id::<Element>(status) {
            set_text(&el, "The browser refused to copy: select the text and copy it by hand.");
        }
    });
    let _ = promise.then2(&ok, &refused);
    ok.forget();
    refused.forget();
}

/// The views ticked for an embed.
fn ticked_views() -> JsResult<Vec<EmbedView>> {
    let boxes = by_id::<Element>("embed-views")?.query_selector_all("input:checked")?;
    Ok((0..boxes.length())
        .filter_map(|i| boxes.item(i)?.dyn_into::<HtmlInputElement>().ok())
        .filter_map(|b| EmbedView::from_id(&b.value()))
        .collect())
}

/// The `<iframe>` snippet for the page as it is and the views ticked.
fn update_snippet(app: &Shared) -> JsResult<()> {
    if by_id::<HtmlElement>("embed-box")?.hidden() {
        return Ok(());
    }
    let Some(mut state) = current(app)? else { return Ok(()) };
    state.embed = Some(ticked_views()?);
    let page = {
        let url = web_sys::Url::new(&window()?.location().href()?)?;
        format!("{}{}", url.origin(), url.pathname())
    };
    let title = {
        let a = app.borrow();
        let model = a.report.as_ref().map_or("Micro Models".to_string(), |r| r.model_name.clone());
        let data = a.summary.as_ref().map_or(String::new(), |s| format!(" on {}", s.name));
        format!("Micro Models: {model}{data}")
    };
    by_test_id::<HtmlTextAreaElement>("embed-snippet")?.set_value(&iframe_snippet(&page, &state, &title));
    Ok(())
}
