//! The trained model as a file: "Download model" saves the worker's model
//! file, and a `.json` file picked or dropped on the data step (or any file
//! whose text starts with `{`) is read as one and loaded; the page's controls
//! then show what trained it.

use wasm_bindgen::prelude::*;
use web_sys::{Element, Event, HtmlInputElement};

use super::{form, report, send, set_busy, show_error, show_trained, Shared};
use crate::session::{LoadedModel, Request, SavedModel};
use crate::web::dom::{by_test_id, on, set_text, JsResult};

pub(super) fn wire(app: &Shared) -> JsResult<()> {
    {
        let app = app.clone();
        on::<Event>(&by_test_id::<Element>("export-model")?.into(), "click", move |_| {
            show_error("");
            send(&app, Request::SaveModel);
        })?;
    }
    let input: HtmlInputElement = by_test_id("model-file-input")?;
    let app = app.clone();
    let picked = input.clone();
    on::<Event>(&input.into(), "change", move |_| {
        if let Some(file) = picked.files().and_then(|f| f.get(0)) {
            read(&app, &file);
        }
        picked.set_value("");
    })
}

/// What a file's name says it is; an unusual name is told by the file's
/// first characters.
enum Kind {
    Model,
    Table,
    Unsure,
}

fn kind(name: &str) -> Kind {
    let name = name.to_lowercase();
    if name.ends_with(".json") {
        Kind::Model
    } else if [".csv", ".tsv", ".txt"].iter().any(|ext| name.ends_with(ext)) {
        Kind::Table
    } else {
        Kind::Unsure
    }
}

/// `blob`'s text, given to `then` once read (the page thread reads it: a
/// model file is small).
fn text_of(blob: &web_sys::Blob, then: impl FnOnce(String) + 'static) {
    let done = Closure::once(move |text: JsValue| then(text.as_string().unwrap_or_default()));
    let failed = Closure::once(|e: JsValue| show_error(&format!("The file could not be read: {}", super::js_text(&e))));
    let _ = blob.text().then2(&done, &failed);
    done.forget();
    failed.forget();
}

/// Reads `file` as a model file and sends it to the worker.
fn read(app: &Shared, file: &web_sys::File) {
    let app = app.clone();
    show_error("");
    set_busy(&app, true, "Reading the model file…");
    text_of(file, move |json| send(&app, Request::LoadModel { json }));
}

/// Offers the saved file for download.
pub(super) fn download(saved: &SavedModel) -> JsResult<()> {
    crate::web::dom::save_text(&saved.json, "application/json", &saved.file_name)
}

/// A model file was loaded: the controls show what trained it, then every
/// view, as after training.
pub(super) fn on_loaded(app: &Shared, loaded: LoadedModel) -> JsResult<()> {
    form::apply_request(app, &loaded.request)?;
    {
        let mut a = app.borrow_mut();
        a.distilled = None;
        a.compared = None;
    }
    let said = format!("Loaded the model file: {}, trained on '{}'.", loaded.report.model_name, loaded.dataset);
    show_trained(app, loaded.report, "Model loaded.")?;
    let status = match &loaded.note {
        Some(note) => format!("{said} {note}"),
        None => said,
    };
    set_text(&by_test_id::<Element>("model-file-status")?, &status);
    report(super::distill::on_trained(app));
    super::compare::draw_pareto(app)
}

/// The status line about a loaded model file is about the model on show:
/// cleared when another is trained or a table is loaded.
pub(super) fn forget() {
    if let Ok(el) = by_test_id::<Element>("model-file-status") {
        set_text(&el, "");
    }
}

/// Whether a file's first characters are a model file's (JSON), not a table's.
fn is_model_text(head: &str) -> bool {
    head.trim_start_matches('\u{feff}').trim_start().starts_with('{')
}

/// Opens a file the person dropped or picked: a model file by its name
/// (`.json`), a table by its name (`.csv`, `.tsv`, `.txt`), any other by
/// its first characters.
pub(super) fn open(app: &Shared, file: web_sys::File) {
    match kind(&file.name()) {
        Kind::Model => read(app, &file),
        Kind::Table => super::load(app, super::FileLoad::new(file)),
        Kind::Unsure => match file.slice_with_i32_and_i32(0, 64) {
            Ok(head) => {
                let app = app.clone();
                text_of(&head, move |head| {
                    if is_model_text(&head) {
                        read(&app, &file)
                    } else {
                        super::load(&app, super::FileLoad::new(file))
                    }
                })
            }
            Err(_) => super::load(app, super::FileLoad::new(file)),
        },
    }
}
