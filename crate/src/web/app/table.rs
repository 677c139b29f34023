//! The loaded table: its summary line, the column table (a row per column,
//! with the person's choices), the preview rows (press one to trace it) and
//! the target list, which sets the task it suggests.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlElement, HtmlInputElement, HtmlSelectElement};

use super::form::{render_params, selected_task};
use super::{explore, load, report, send, set_busy, views, FileLoad, Shared};
use crate::base::Task;
use crate::data::TextEncoding;
use crate::session::{task_hint, ColumnUpdate, ColumnUse, DataSummary, Request};
use crate::web::dom::{self, append_text, by_id, by_test_id, create, fill_select, on, set_text, JsResult};
use crate::web::link::Load;
use crate::web::text::summary_text;
use crate::web::{clustering, columns};

/// Fills the summary line, the column table, the preview and the target list.
pub(super) fn show(app: &Shared, summary: &DataSummary) -> JsResult<()> {
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
        explore::trace_on_press(app, &tr, row)?;
        for cell in cells {
            append_text(&tr, "td", cell)?.set_attribute("dir", "auto")?;
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
    apply_target(summary, &target.value(), None)?;
    // The suggested task may differ from the last table's: offer its models.
    render_params(app)
}

pub(super) fn show_summary_line(summary: &DataSummary) -> JsResult<()> {
    set_text(&by_test_id::<Element>("data-summary")?, &summary_text(summary));
    Ok(())
}

/// The encoding list beside the summary: shown for a file whose encoding
/// matters, at the encoding its table was read in.
pub(super) fn show_encoding(app: &Shared) -> JsResult<()> {
    let a = app.borrow();
    let decoding = a.summary.as_ref().map(|s| &s.decoding).filter(|d| a.link.loaded_file().is_some() && d.worth_checking());
    by_id::<HtmlElement>("encoding-row")?.set_hidden(decoding.is_none());
    if let Some(decoding) = decoding {
        let select: HtmlSelectElement = by_test_id("encoding-select")?;
        let labels: Vec<(String, String)> =
            TextEncoding::ALL.iter().map(|e| (e.label().to_string(), e.label().to_string())).collect();
        fill_select(&select, &labels, Some(decoding.encoding.label()))?;
    }
    Ok(())
}

/// Choosing an encoding reads the loaded file again in it, in the worker.
pub(super) fn wire_encoding(app: &Shared) -> JsResult<()> {
    let select: HtmlSelectElement = by_test_id("encoding-select")?;
    let app = app.clone();
    on::<Event>(&select.clone().into(), "change", move |_| {
        let file = app.borrow().link.loaded_file().map(|f| f.file.clone());
        if let Some(file) = file {
            load(&app, Load::File(FileLoad { file, encoding: TextEncoding::from_label(&select.value()) }));
        }
    })
}

/// The column table's hooks into the app: feature choices, kinds, missing tokens.
fn row_events(app: &Shared) -> columns::RowEvents {
    let (a, b, c) = (app.clone(), app.clone(), app.clone());
    columns::RowEvents {
        included: Rc::new(move |i, included| {
            if let Some(c) = a.borrow_mut().columns.get_mut(i) {
                c.included = included;
            }
            // The pipeline's steps offer the feature columns.
            report(super::features::render(&a));
        }),
        kind: Rc::new(move |i, kind| {
            if let Some(c) = b.borrow_mut().columns.get_mut(i) {
                c.kind = kind;
                c.included = kind.is_feature();
            }
            report(super::features::render(&b));
        }),
        missing: Rc::new(move |column, missing| {
            set_busy(&c, true, "Re-reading the column…");
            send(&c, Request::SetMissing { column, missing });
        }),
    }
}

/// A column re-read with other missing tokens: its row, the warnings and the
/// target's suggestion change; the person's other choices stay.
pub(super) fn on_column_retyped(app: &Shared, update: ColumnUpdate) -> JsResult<()> {
    let summary = {
        let mut a = app.borrow_mut();
        let use_ = ColumnUse::offered(&update.info.name, update.info.inferred);
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
    apply_target(&summary, &by_test_id::<HtmlSelectElement>("target-select")?.value(), None)?;
    views::clear()?;
    set_busy(app, false, "Column re-read. Press Train.");
    Ok(())
}

pub(super) fn on_target_change(app: &Shared) -> JsResult<()> {
    let a = app.borrow();
    if let Some(summary) = &a.summary {
        apply_target(summary, &by_test_id::<HtmlSelectElement>("target-select")?.value(), None)?;
    }
    drop(a);
    render_params(app)
}

/// Offers the targets the task can use (clustering: none, or a column to
/// compare with), marks the chosen one, and the models that do the task.
pub(super) fn on_task_change(app: &Shared) -> JsResult<()> {
    let a = app.borrow();
    if let Some(summary) = &a.summary {
        clustering::fill_targets(summary, selected_task()?)?;
        apply_target(summary, &by_test_id::<HtmlSelectElement>("target-select")?.value(), Some(selected_task()?))?;
    }
    drop(a);
    render_params(app)
}

/// Marks the target's row in the column table and sets the task: the one the
/// person `chosen` where the target can take it, else the one it suggests,
/// saying why (a clustering stays one: its target is only compared with).
fn apply_target(summary: &DataSummary, target: &str, chosen: Option<Task>) -> JsResult<()> {
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
        let (task, hint) = task_hint(&summary.columns[i], summary.n_rows, summary.suggested_task[i], chosen);
        by_test_id::<HtmlSelectElement>("task-select")?.set_value(task.name());
        set_text(&by_test_id::<Element>("task-hint")?, &hint.unwrap_or_default());
    }
    Ok(())
}
