//! The column table: a row per column (use, name, type, missing) and, under a
//! column that needs a word, a note row saying why it is not a feature by
//! default and which tokens were read as missing, each with a button that
//! undoes it (or redoes it), column by column.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlButtonElement, HtmlInputElement, HtmlSelectElement, HtmlTableRowElement};

use super::dom::{create, fill_select, on, set_text, JsResult};
use crate::base::format_count as thousands;
use crate::data::{ColumnInfo, ColumnKind};
use crate::session::ColumnUse;

/// What the rows report back to the page.
#[derive(Clone)]
pub struct RowEvents {
    /// Column index and whether it is now a feature.
    pub included: Rc<dyn Fn(usize, bool)>,
    /// Column index and the kind the person chose.
    pub kind: Rc<dyn Fn(usize, ColumnKind)>,
    /// Column name and the tokens it should now read as missing.
    pub missing: Rc<dyn Fn(String, Vec<String>)>,
}

/// The row of column `index` and its note row, if it has one, as `use_` has it.
pub fn rows(index: usize, info: &ColumnInfo, use_: &ColumnUse, events: &RowEvents) -> JsResult<Vec<Element>> {
    let row: HtmlTableRowElement = create("tr", None)?;
    row.set_attribute("data-column", &info.name)?;
    row.set_attribute("data-index", &index.to_string())?;
    row.set_attribute("data-type", info.inferred.label())?;

    let check: HtmlInputElement = create("input", None)?;
    check.set_type("checkbox");
    check.set_checked(use_.included);
    set_why(&row, &check, use_.kind)?;
    row.insert_cell()?.append_child(&check)?;

    let name_cell = row.insert_cell()?;
    set_text(&name_cell, &info.name);
    name_cell.set_attribute("title", &info.name)?;
    // Right-to-left names (Arabic, Hebrew) read in their own direction.
    name_cell.set_attribute("dir", "auto")?;
    name_cell.set_class_name("name");

    let kind_select: HtmlSelectElement = create("select", None)?;
    kind_select.set_attribute("aria-label", &format!("type of {}", info.name))?;
    let kinds: Vec<(String, String)> = info.allowed.iter().map(|k| (k.label().to_string(), k.label().to_string())).collect();
    fill_select(&kind_select, &kinds, Some(use_.kind.label()))?;
    row.insert_cell()?.append_child(&kind_select)?;

    let missing = row.insert_cell()?;
    set_text(&missing, &thousands(info.missing));
    missing.set_class_name("count");

    {
        let included = events.included.clone();
        let box_ = check.clone();
        on::<Event>(&check.into(), "change", move |_| included(index, box_.checked()))?;
    }
    {
        let chosen = events.kind.clone();
        let select = kind_select.clone();
        let allowed = info.allowed.clone();
        let row = row.clone();
        on::<Event>(&kind_select.into(), "change", move |_| {
            let Some(kind) = allowed.iter().copied().find(|k| k.label() == select.value()) else { return };
            chosen(index, kind);
            if let Some(check) =
                row.query_selector("input").ok().flatten().and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
            {
                check.set_checked(kind.is_feature());
                let _ = set_why(&row, &check, kind);
            }
        })?;
    }

    let mut out = vec![row.into()];
    if let Some(note) = note_row(index, info, events)? {
        out.push(note);
    }
    Ok(out)
}

/// The checkbox's title: why a column of this kind is not a feature by default,
/// kept on the row too, for when it stops being the target.
fn set_why(row: &Element, check: &HtmlInputElement, kind: ColumnKind) -> JsResult<()> {
    let why = kind.why_excluded().unwrap_or("Use this column as a feature");
    row.set_attribute("data-why", why)?;
    check.set_title(why);
    // A screen reader names the column, not only "checkbox".
    let name = row.get_attribute("data-column").unwrap_or_default();
    check.set_attribute("aria-label", &format!("Use {name} as a feature"))?;
    Ok(())
}

/// "Not a feature by default: a date…" and "12 '?' read as missing [keep as value]".
fn note_row(index: usize, info: &ColumnInfo, events: &RowEvents) -> JsResult<Option<Element>> {
    let reason = info.inferred.why_excluded();
    if reason.is_none() && info.tokens.is_empty() {
        return Ok(None);
    }
    let row: HtmlTableRowElement = create("tr", None)?;
    row.set_class_name("column-note");
    row.set_attribute("data-note-for", &index.to_string())?;
    let cell = row.insert_cell()?;
    cell.set_attribute("colspan", "4")?;
    if let Some(reason) = reason {
        let line: Element = create("span", Some(reason))?;
        line.set_class_name("reason");
        cell.append_child(&line)?;
    }
    for token in &info.tokens {
        let line: Element = create("span", None)?;
        line.set_class_name("token");
        line.set_attribute("data-token", &token.token)?;
        line.set_attribute("data-missing", if token.missing { "true" } else { "false" })?;
        let said = if token.missing {
            format!("{} '{}' read as missing ", thousands(token.count), token.token)
        } else {
            format!("{} '{}' kept as a value ", thousands(token.count), token.token)
        };
        let words: Element = create("span", Some(&said))?;
        words.set_attribute("dir", "auto")?;
        line.append_child(&words)?;
        let button: HtmlButtonElement =
            create("button", Some(if token.missing { "keep as value" } else { "read as missing" }))?;
        button.set_type("button");
        button.set_title(&format!(
            "Re-read column '{}' with '{}' as {}",
            info.name,
            token.token,
            if token.missing { "a value" } else { "missing" }
        ));
        // The column's new missing set: this token flipped, the others as they are.
        let missing: Vec<String> = info
            .tokens
            .iter()
            .filter(|t| if t.token == token.token { !t.missing } else { t.missing })
            .map(|t| t.token.clone())
            .collect();
        let name = info.name.clone();
        let send = events.missing.clone();
        on::<Event>(&button.clone().into(), "click", move |_| send(name.clone(), missing.clone()))?;
        line.append_child(&button)?;
        cell.append_child(&line)?;
    }
    Ok(Some(row.into()))
}

/// Puts the rows of column `index` in place of its old ones.
pub fn replace(body: &Element, index: usize, new_rows: &[Element]) -> JsResult<()> {
    let Some(old) = body.query_selector(&format!("tr[data-index=\"{index}\"]"))? else { return Ok(()) };
    if let Some(note) = body.query_selector(&format!("tr[data-note-for=\"{index}\"]"))? {
        note.remove();
    }
    for row in new_rows {
        body.insert_before(row, Some(&old))?;
    }
    old.remove();
    Ok(())
}
