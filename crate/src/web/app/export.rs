//! Taking things away from the page: any chart as PNG or SVG (the buttons
//! `canvas` gives every chart), the trained model's predictions for every row
//! as CSV (computed by the worker, `session::export`), and any "Numbers" table
//! copied (tab-separated, as spreadsheets paste) or saved as CSV. One listener
//! answers every such button, wherever it sits.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, Element, Event, HtmlCanvasElement};

use super::{send, show_error, Shared};
use crate::session::{PredictionsCsv, Request};
use crate::web::canvas;
use crate::web::dom::{self, create, on, JsResult};
use crate::web::export::{file_name, model_part, table_text};

/// Gives every "Numbers" table its "Copy" and "CSV" buttons and answers the
/// clicks on every export button of the page.
pub(super) fn wire(app: &Shared) -> JsResult<()> {
    let tables = dom::document().query_selector_all("details.numbers")?;
    for i in 0..tables.length() {
        if let Some(details) = tables.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            table_buttons(&details)?;
        }
    }
    let app = app.clone();
    on::<Event>(&dom::document().into(), "click", move |e| {
        let Some(button) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        let result = match button.get_attribute("data-testid").as_deref() {
            Some("export-png") => chart_of(&button).and_then(|c| download_png(&app, &c)),
            Some("export-svg") => chart_of(&button).and_then(|c| download_svg(&app, &c)),
            Some("export-predictions") => {
                send(&app, Request::Predictions);
                Ok(())
            }
            Some("numbers-csv") => table_of(&button).and_then(|t| download_table(&app, &t)),
            Some("numbers-copy") => table_of(&button).and_then(|t| copy_table(&button, &t)),
            _ => return,
        };
        if let Err(err) = result {
            show_error(&format!("Could not export: {}", err.as_string().unwrap_or_else(|| format!("{err:?}"))));
        }
    })
}

/// Saves the worker's predictions for every row; says which rows it could not predict.
pub(super) fn on_predictions(app: &Shared, predictions: PredictionsCsv) -> JsResult<()> {
    dom::save_text(&predictions.csv, "text/csv", &name(app, "predictions", "csv"))?;
    if predictions.unpredicted > 0 {
        show_error(&format!(
            "{} of the {} rows got no prediction (an input the pipeline could not fill); their prediction cells are empty.",
            crate::base::format_count(predictions.unpredicted),
            crate::base::format_count(predictions.rows)
        ));
    }
    Ok(())
}

/// A file name from the loaded dataset, the trained model and `view`.
fn name(app: &Shared, view: &str, extension: &str) -> String {
    let a = app.borrow();
    let dataset = a.summary.as_ref().map_or("", |s| s.name.as_str());
    let model = a.report.as_ref().map_or("", |r| model_part(&r.model_name));
    file_name(dataset, model, view, extension)
}

/// The canvas an export button belongs to: the one beside its bar.
fn chart_of(button: &Element) -> JsResult<HtmlCanvasElement> {
    button
        .parent_element()
        .and_then(|bar| bar.parent_element())
        .and_then(|b| b.query_selector(":scope > canvas").ok().flatten())
        .and_then(|c| c.dyn_into().ok())
        .ok_or_else(|| JsValue::from_str("this button has no chart beside it"))
}

fn download_png(app: &Shared, chart: &HtmlCanvasElement) -> JsResult<()> {
    let picture = canvas::export_png(chart)?;
    let file = name(app, &canvas::view_name(chart), "png");
    let saved = Closure::once_into_js(move |blob: JsValue| match blob.dyn_into::<Blob>() {
        Ok(blob) => {
            if let Err(e) = dom::save_blob(&blob, &file) {
                show_error(&format!("Could not save {file}: {e:?}"));
            }
        }
        Err(_) => show_error(&format!("The browser could not make {file}.")),
    });
    picture.to_blob(saved.unchecked_ref())
}

fn download_svg(app: &Shared, chart: &HtmlCanvasElement) -> JsResult<()> {
    let svg = canvas::export_svg(chart)?;
    dom::save_text(&svg, "image/svg+xml", &name(app, &canvas::view_name(chart), "svg"))
}

/// The table of a "Numbers" box a button sits in.
fn table_of(button: &Element) -> JsResult<Element> {
    button
        .closest("details.numbers")?
        .and_then(|d| d.query_selector("table").ok().flatten())
        .ok_or_else(|| JsValue::from_str("this button has no table beside it"))
}

/// A table's header and rows, as the page shows them.
fn cells(table: &Element) -> JsResult<(Vec<String>, Vec<Vec<String>>)> {
    let mut head = Vec::new();
    let mut rows = Vec::new();
    let trs = table.query_selector_all("tr")?;
    for i in 0..trs.length() {
        let Some(tr) = trs.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
        let texts: Vec<String> = {
            let cells = tr.query_selector_all("th, td")?;
            (0..cells.length()).filter_map(|j| cells.item(j)).map(|c| c.text_content().unwrap_or_default()).collect()
        };
        if head.is_empty() && tr.query_selector("td")?.is_none() {
            head = texts;
        } else {
            rows.push(texts);
        }
    }
    Ok((head, rows))
}

fn download_table(app: &Shared, table: &Element) -> JsResult<()> {
    let (head, rows) = cells(table)?;
    let text = table_text(&head, &rows, b',').map_err(|e| JsValue::from_str(&e))?;
    let view = table.get_attribute("data-testid").unwrap_or_else(|| "numbers".to_string());
    dom::save_text(&text, "text/csv", &name(app, &view, "csv"))
}

/// Copies a table tab-separated and says so on the button for a moment.
fn copy_table(button: &Element, table: &Element) -> JsResult<()> {
    let (head, rows) = cells(table)?;
    let text = table_text(&head, &rows, b'\t').map_err(|e| JsValue::from_str(&e))?;
    let written = dom::copy_text(&text)?;
    let (ok, failed) = (button.clone(), button.clone());
    let done = Closure::once(move |_: JsValue| ok.set_text_content(Some("Copied")));
    let refused = Closure::once(move |_: JsValue| {
        failed.set_text_content(Some("Copy"));
        show_error("The browser did not let the page copy; use CSV instead.");
    });
    let _ = written.then2(&done, &refused);
    // The promise calls one of them, once, later: they live as long as the page.
    done.forget();
    refused.forget();
    Ok(())
}

/// Adds "Copy" and "CSV" after a "Numbers" box's summary.
fn table_buttons(details: &Element) -> JsResult<()> {
    let bar: Element = create("div", None)?;
    bar.set_class_name("numbers-tools");
    for (id, label, what) in [
        ("numbers-copy", "Copy", "Copy this table, to paste into a spreadsheet"),
        ("numbers-csv", "CSV", "Download this table as a CSV file"),
    ] {
        let button: Element = create("button", Some(label))?;
        button.set_attribute("type", "button")?;
        button.set_attribute("data-testid", id)?;
        button.set_attribute("title", what)?;
        bar.append_child(&button)?;
    }
    let after_summary = details.query_selector("summary")?.and_then(|s| s.next_sibling());
    details.insert_before(&bar, after_summary.as_ref())?;
    Ok(())
}
