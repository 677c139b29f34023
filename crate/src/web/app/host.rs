//! The page as an embed in a lesson: only the views its link names, with
//! an "open in full page" link, and driven by its host page's messages
//! (`web::embed` reads and checks them; here they are listened to, queued
//! behind the table or model they wait for, and answered).

use std::collections::VecDeque;

use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlAnchorElement, HtmlElement, HtmlInputElement, HtmlSelectElement, MessageEvent};

use super::{explore, form, load, FileLoad, Shared};
use crate::session::TrainReport;
use crate::web::dom::{by_id, by_test_id, document, on, JsResult};
use crate::web::embed::{self, Configure, HostCommand, HostMetrics, HostTable, PageMessage, WantedFile};
use crate::web::js::to_js;
use crate::web::link::Load;
use crate::web::state::{EmbedView, PageState};
use crate::web::text::metrics_text;

/// A host's messages not yet carried out, and what the first one waits for.
#[derive(Default)]
pub(super) struct HostLink {
    queue: VecDeque<HostCommand>,
    /// A table or a model the host asked for is on its way: later messages wait.
    waiting: bool,
    /// `ready` was posted (once).
    ready: bool,
}

/// The page's host window, when it is in a frame.
fn parent() -> Option<web_sys::Window> {
    let window = web_sys::window()?;
    let parent = window.parent().ok().flatten()?;
    (JsValue::from(parent.clone()) != JsValue::from(window)).then_some(parent)
}

/// Posts `message` to the host, if there is one. The target origin is `'*'`:
/// the page cannot know who embeds it, and says only scores and words.
fn post(message: &PageMessage) {
    if let (Some(parent), Ok(value)) = (parent(), to_js(message)) {
        let _ = parent.post_message(&value, "*");
    }
}

/// Shows only `views` (and the errors, and the link to the full page): the
/// page's root is marked `embed`, every shown element `data-embed-shown`
/// and each of its ancestors `data-embed-path`; the stylesheet hides the rest.
pub(super) fn embed_layout(app: &Shared, views: Vec<EmbedView>) -> JsResult<()> {
    let root = document().document_element().ok_or("the page has no root element")?;
    root.class_list().add_1("embed")?;
    let mut shown: Vec<Element> = vec![by_test_id("error-message")?, by_test_id("link-status")?, by_id("embed-full")?];
    for view in &views {
        let selectors: &[&str] = match view {
            EmbedView::Metrics => &["[data-testid=metrics]"],
            EmbedView::Boundary => &[
                "#boundary-title",
                "#boundary-canvas-box",
                "#boundary-empty",
                "#one-feature-box",
                "[data-testid=path-text]",
            ],
            EmbedView::Tree => &["#tree-card"],
            EmbedView::Model => &["#model-view-card"],
            EmbedView::Importance => &["#importance-card"],
        };
        for selector in selectors {
            if let Some(el) = document().query_selector(selector)? {
                shown.push(el);
            }
        }
    }
    for el in &shown {
        el.set_attribute("data-embed-shown", "")?;
        let mut up = el.parent_element();
        while let Some(parent) = up {
            parent.set_attribute("data-embed-path", "")?;
            up = parent.parent_element();
        }
    }
    by_id::<HtmlElement>("embed-full")?.set_hidden(false);
    app.borrow_mut().embed = Some(views);
    Ok(())
}

/// Points "open in full page" at the same state without the embed.
pub(super) fn update_full_link(state: &PageState) -> JsResult<()> {
    let window = web_sys::window().ok_or("no window")?;
    let url = web_sys::Url::new(&window.location().href()?)?;
    url.search_params().delete("embed");
    url.set_hash(&state.full_page().encode());
    by_id::<HtmlAnchorElement>("embed-full-link")?.set_href(&url.href());
    Ok(())
}

/// Listens to the host page. Only messages from the window that embeds the
/// page are read; any origin may embed it, so any such origin may drive it.
pub(super) fn wire(app: &Shared) -> JsResult<()> {
    let Some(host) = parent() else { return Ok(()) };
    let window = web_sys::window().ok_or("no window")?;
    let app = app.clone();
    let host: JsValue = host.into();
    on::<MessageEvent>(&window.into(), "message", move |e| {
        if e.source().map(JsValue::from).as_ref() != Some(&host) {
            return;
        }
        match embed::read(serde_wasm_bindgen::Deserializer::from(e.data())) {
            Ok(command) => {
                app.borrow_mut().host.queue.push_back(command);
                drain(&app);
            }
            Err(message) => post(&PageMessage::Error { message }),
        }
    })
}

/// The page has its first table (and the model its link trains, if any): the
/// host may send messages.
pub(super) fn ready(app: &Shared) {
    let first = !std::mem::replace(&mut app.borrow_mut().host.ready, true);
    if first {
        let needs_file = super::address::wanted_file(&app.borrow()).map(|(name, bytes)| WantedFile { name, bytes });
        post(&PageMessage::Ready { needs_file });
    }
    drain(app);
}

/// Carries out the host's messages in order, until one waits for the worker.
fn drain(app: &Shared) {
    loop {
        let next = {
            let mut a = app.borrow_mut();
            // A link being opened finishes first, unless it waits for a file the host may post.
            let opening = a.restore.is_some() && super::address::wanted_file(&a).is_none();
            if a.host.waiting || !a.host.ready || opening {
                return;
            }
            a.host.queue.pop_front()
        };
        let Some(command) = next else { return };
        if let Err(message) = carry_out(app, command) {
            post(&PageMessage::Error { message });
        }
    }
}

fn js_message(e: JsValue) -> String {
    super::js_text(&e)
}

fn carry_out(app: &Shared, command: HostCommand) -> Result<(), String> {
    match command {
        HostCommand::SetDataset(table) => {
            let what = match table {
                HostTable::Bundled(name) => {
                    let _ = by_test_id::<HtmlSelectElement>("dataset-select").map(|s| s.set_value(&name));
                    Load::Bundled(name)
                }
                HostTable::Toy(spec) => Load::Toy(spec),
                HostTable::Csv { name, text } => {
                    let parts = js_sys::Array::of1(&JsValue::from_str(&text));
                    let file = web_sys::File::new_with_str_sequence(&parts, &name).map_err(js_message)?;
                    FileLoad::new(file)
                }
            };
            app.borrow_mut().host.waiting = true;
            load(app, what);
            Ok(())
        }
        HostCommand::Configure(c) => configure(app, &c).map_err(js_message)?,
        HostCommand::Train => {
            super::train(app).map_err(js_message)?;
            if app.borrow().training_sent.is_none() {
                let said = by_test_id::<Element>("error-message").ok().and_then(|e| e.text_content()).unwrap_or_default();
                return Err(format!("Could not train: {said}"));
            }
            app.borrow_mut().host.waiting = true;
            Ok(())
        }
        HostCommand::Trace(row) => {
            if app.borrow().report.is_none() {
                return Err("Nothing is trained yet: post {type: 'train'} first.".to_string());
            }
            let rows = app.borrow().summary.as_ref().map_or(0, |s| s.n_rows);
            if row >= rows {
                return Err(format!("The table has {rows} rows; there is no row {}.", row + 1));
            }
            explore::inspect(app, None, Some(row)).map_err(js_message)
        }
    }
}

/// Sets the controls a `configure` names, each checked first.
fn configure(app: &Shared, c: &Configure) -> JsResult<Result<(), String>> {
    let Some(summary) = app.borrow().summary.clone() else {
        return Ok(Err("No table is loaded yet: post set-dataset first.".to_string()));
    };
    if let Some(task) = c.task {
        by_test_id::<HtmlSelectElement>("task-select")?.set_value(task.name());
        super::table::on_task_change(app)?;
    }
    if let Some(target) = &c.target {
        if !summary.columns.iter().any(|col| &col.name == target) {
            let names: Vec<&str> = summary.columns.iter().map(|col| col.name.as_str()).collect();
            return Ok(Err(format!("The table has no column '{target}' (it has {}).", names.join(", "))));
        }
        by_test_id::<HtmlSelectElement>("target-select")?.set_value(target);
        super::table::on_target_change(app)?;
    }
    let task = form::selected_task()?;
    let select: HtmlSelectElement = by_test_id("model-select")?;
    if let Some(model) = &c.model {
        if !crate::model::catalog::find(model).is_some_and(|m| m.tasks.contains(&task)) {
            return Ok(Err(format!("The model '{model}' does not do {}.", task.name())));
        }
        if select.value() != *model {
            select.set_value(model);
            form::render_params(app)?;
        }
    }
    match c.params(&select.value(), task) {
        Ok(values) => form::set_params(&values)?,
        Err(message) => return Ok(Err(message)),
    }
    if let Some(seed) = c.seed {
        by_id::<HtmlInputElement>("seed")?.set_value(&seed.to_string());
    }
    if let Some(percent) = c.test_percent {
        by_test_id::<HtmlSelectElement>("test-share")?.set_value(&percent.to_string());
    }
    Ok(Ok(()))
}

/// A table arrived: a host's message waiting for it goes on.
pub(super) fn on_loaded(app: &Shared) {
    app.borrow_mut().host.waiting = false;
    drain(app);
}

/// A model was trained: the host hears its scores, and the next message goes.
pub(super) fn on_trained(app: &Shared, report: &TrainReport) {
    let model = app.borrow().trained.as_ref().map(|(r, _)| r.model.clone()).unwrap_or_default();
    post(&PageMessage::Trained {
        model,
        name: report.model_name.clone(),
        metrics: HostMetrics::of(&report.metrics),
        text: metrics_text(&report.metrics, report.left_out.as_ref(), report.learned_nothing.as_deref()),
    });
    app.borrow_mut().host.waiting = false;
    drain(app);
}

/// The worker refused: the host hears why, and the next message goes.
pub(super) fn on_failed(app: &Shared, message: &str) {
    post(&PageMessage::Error { message: message.to_string() });
    app.borrow_mut().host.waiting = false;
    drain(app);
}
