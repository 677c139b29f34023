//! Who the model fails and how it holds up: the class report, calibration,
//! worst rows (press one to trace it) and groups cards of the evaluation,
//! and the robustness cards (noise, a missing input, a shifted split with
//! its controls).

use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlElement, HtmlInputElement, HtmlOptionElement, HtmlSelectElement};

use super::{explore, report, send, set_busy, show_error, Shared};
use crate::explain::{Evaluation, GroupsView, NoiseView, RobustnessView, ShiftRule, ShiftView, WorstRowsView};
use crate::prep::ColumnDomain;
use crate::render;
use crate::session::{Request, GROUP_MARGIN};
use crate::web::dom::{self, by_id, by_test_id, create, fill_select, on, set_text, JsResult};
use crate::web::evaluation::{fill_table, importance_size, numbers_of, render, HALF, WIDE};
use crate::web::robust_tables::{
    calibration_table, class_report_table, groups_table, noise_table, shift_rule_text, worst_rows_table,
};

/// The cards this module fills, each shown only when its view exists.
const CARDS: [&str; 7] = [
    "class-report-card",
    "calibration-card",
    "worst-rows-card",
    "groups-card",
    "robustness-card",
    "missing-card",
    "shift-card",
];

pub(super) fn wire(app: &Shared) -> JsResult<()> {
    for id in ["groups-column", "groups-margin"] {
        let app = app.clone();
        on::<Event>(&by_test_id::<Element>(id)?.into(), "change", move |_| report(ask_groups(&app)))?;
    }
    {
        let app = app.clone();
        on::<Event>(&by_test_id::<Element>("shift-column")?.into(), "change", move |_| report(shift_controls(&app)))?;
    }
    let app = app.clone();
    on::<Event>(&by_test_id::<Element>("shift-run")?.into(), "click", move |_| report(ask_shift(&app)))
}

/// Draws every card of a trained model's evaluation this module owns.
pub(super) fn draw(app: &Shared) -> JsResult<()> {
    let a = app.borrow();
    let Some(report) = a.report.as_ref() else { return Ok(()) };
    let Evaluation { class_report, calibration, worst_rows, groups, robustness, .. } = &report.evaluation;
    let (noise, missing) = match robustness {
        Some(RobustnessView { noise, missing }) => (noise.as_ref(), Some(missing)),
        None => (None, None),
    };
    let shift_columns = shift_options(&report.slice);
    let shown = [
        ("class-report-card", class_report.is_some()),
        ("calibration-card", calibration.is_some()),
        ("worst-rows-card", worst_rows.is_some()),
        ("groups-card", groups.is_some()),
        ("robustness-card", noise.is_some()),
        ("missing-card", missing.is_some()),
        ("shift-card", robustness.is_some() && !shift_columns.is_empty()),
    ];
    for (card, is_shown) in shown {
        by_test_id::<HtmlElement>(card)?.set_hidden(!is_shown);
    }
    by_id::<HtmlElement>("robustness-title")?.set_hidden(robustness.is_none());
    if let Some(view) = class_report {
        let (head, rows) = class_report_table(view);
        fill_table(&by_test_id("class-report-table")?, &head, rows)?;
    }
    if let Some(view) = calibration {
        let label = format!("{}. {}", view.title, view.note);
        render(
            "calibration-canvas",
            view,
            HALF,
            render::calibration_size,
            render::draw_calibration,
            &label,
            calibration_table(view),
        )?;
    }
    if let Some(view) = worst_rows {
        draw_worst_rows(app, view)?;
    }
    if let Some(view) = groups {
        draw_groups(view)?;
    }
    if let Some(view) = noise {
        draw_noise_chart("robustness-canvas", view)?;
    }
    if let Some(view) = missing {
        let label = crate::web::alt::importance(view);
        let rows = view.items.iter().map(|(n, v)| vec![n.clone(), render_number(*v)]).collect();
        let head = vec!["feature".to_string(), view.measure.clone()];
        render("missing-canvas", view, HALF, importance_size, render::draw_importance, &label, (head, rows))?;
    }
    let options: Vec<(String, String)> =
        shift_columns.iter().map(|d| (d.column().to_string(), d.column().to_string())).collect();
    let kept = by_test_id::<HtmlSelectElement>("shift-column")?.value();
    let stays = options.iter().any(|(v, _)| *v == kept);
    fill_select(&by_test_id("shift-column")?, &options, stays.then_some(kept.as_str()))?;
    match &a.shift {
        Some(view) => draw_shift(view)?,
        None => clear_shift()?,
    }
    drop(a);
    // A redraw (a resize) keeps the threshold or levels the person set.
    if stays {
        Ok(())
    } else {
        shift_controls(app)
    }
}

fn render_number(v: f64) -> String {
    crate::base::format_significant(v, 3)
}

/// Draws a noise view (one model's, or a comparison's) on canvas `id`.
pub(super) fn draw_noise_chart(id: &str, view: &NoiseView) -> JsResult<()> {
    let label = format!("{}. {}", view.curves.title, view.note);
    render(id, view, HALF, render::noise_size, render::draw_noise, &label, noise_table(view))
}

/// The worst rows as a table whose rows trace themselves when pressed, as the preview's do.
fn draw_worst_rows(app: &Shared, view: &WorstRowsView) -> JsResult<()> {
    set_text(&by_id::<Element>("worst-rows-note")?, &format!("{} Press a row to trace it.", view.note));
    let (head, rows) = worst_rows_table(view);
    let made = fill_table(&by_test_id("worst-rows-table")?, &head, rows)?;
    for (tr, w) in made.iter().zip(&view.rows) {
        explore::trace_on_press(app, tr, w.row)?;
    }
    Ok(())
}

fn draw_groups(view: &GroupsView) -> JsResult<()> {
    let options: Vec<(String, String)> = view.options.iter().map(|o| (o.clone(), o.clone())).collect();
    fill_select(&by_test_id("groups-column")?, &options, Some(&view.column))?;
    set_text(&by_test_id::<Element>("groups-warning")?, view.warning.as_deref().map_or("", |w| w));
    let (head, rows) = groups_table(view);
    fill_table(&by_test_id("groups-table")?, &head, rows).map(|_| ())
}

/// Groups for the column and margin the person picked.
fn ask_groups(app: &Shared) -> JsResult<()> {
    let column = by_test_id::<HtmlSelectElement>("groups-column")?.value();
    let points: f64 = by_test_id::<HtmlInputElement>("groups-margin")?.value().parse().unwrap_or(GROUP_MARGIN * 100.0);
    if !column.is_empty() && app.borrow().report.is_some() {
        send(app, Request::Groups { column, margin: points / 100.0 });
    }
    Ok(())
}

/// An answer to [`Request::Groups`].
pub(super) fn on_groups(app: &Shared, view: GroupsView) -> JsResult<()> {
    draw_groups(&view)?;
    if let Some(r) = app.borrow_mut().report.as_mut() {
        r.evaluation.groups = Some(view);
    }
    Ok(())
}

/// The feature columns a split can follow: numbers (by a threshold) and
/// categories (by levels). Yes/no columns are left out: their cells' own
/// words are not in the slice's domain.
fn shift_options(slice: &[ColumnDomain]) -> Vec<&ColumnDomain> {
    slice.iter().filter(|d| !matches!(d, ColumnDomain::Flag { .. })).collect()
}

/// Shows the threshold for a numeric column (at its training median) or the
/// levels for a categorical one (the first ticked).
fn shift_controls(app: &Shared) -> JsResult<()> {
    let a = app.borrow();
    let Some(report) = a.report.as_ref() else { return Ok(()) };
    let column = by_test_id::<HtmlSelectElement>("shift-column")?.value();
    let domain = report.slice.iter().find(|d| d.column() == column);
    let side: HtmlElement = by_test_id("shift-side")?;
    let threshold: HtmlInputElement = by_test_id("shift-threshold")?;
    let levels: HtmlSelectElement = by_test_id("shift-levels")?;
    let numeric = matches!(domain, Some(ColumnDomain::Number { .. }));
    side.set_hidden(!numeric);
    threshold.set_hidden(!numeric);
    levels.set_hidden(numeric);
    match domain {
        Some(ColumnDomain::Number { min, max, value, .. }) => {
            threshold.set_min(&min.to_string());
            threshold.set_max(&max.to_string());
            threshold.set_value(&crate::base::format_significant(*value, 4).replace(',', ""));
        }
        Some(ColumnDomain::Levels { levels: names, .. }) => {
            dom::clear(&levels);
            for (i, name) in names.iter().enumerate() {
                let option: HtmlOptionElement = create("option", Some(name))?;
                option.set_value(name);
                option.set_selected(i == 0);
                levels.append_child(&option)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Sends the shifted split the controls describe.
fn ask_shift(app: &Shared) -> JsResult<()> {
    if app.borrow().report.is_none() {
        return Ok(());
    }
    let column = by_test_id::<HtmlSelectElement>("shift-column")?.value();
    let levels: HtmlSelectElement = by_test_id("shift-levels")?;
    let rule = if levels.hidden() {
        let threshold: f64 = match by_test_id::<HtmlInputElement>("shift-threshold")?.value().trim().parse() {
            Ok(v) => v,
            Err(_) => {
                show_error("Type a number as the threshold of the shifted split.");
                return Ok(());
            }
        };
        match by_test_id::<HtmlSelectElement>("shift-side")?.value().as_str() {
            "above" => ShiftRule::Above(threshold),
            _ => ShiftRule::Below(threshold),
        }
    } else {
        let options = levels.selected_options();
        let picked = (0..options.length())
            .filter_map(|i| options.item(i).and_then(|o| o.dyn_into::<HtmlOptionElement>().ok()).map(|o| o.value()))
            .collect();
        ShiftRule::Levels(picked)
    };
    show_error("");
    set_busy(app, true, &format!("Training the shifted split ({})…", shift_rule_text(&column, &rule)));
    send(app, Request::Shift { column, rule });
    Ok(())
}

/// An answer to [`Request::Shift`]: kept for redraws, and drawn.
pub(super) fn on_shifted(app: &Shared, view: ShiftView) -> JsResult<()> {
    set_busy(app, false, "Shifted split trained.");
    draw_shift(&view)?;
    app.borrow_mut().shift = Some(view);
    Ok(())
}

/// The sentence, the two bars and their numbers.
fn draw_shift(view: &ShiftView) -> JsResult<()> {
    set_text(&by_test_id::<Element>("shift-text")?, &view.sentence);
    let head = vec!["split".to_string(), view.bars.measure.clone(), "training rows".to_string(), "test rows".to_string()];
    let name = |i: usize| view.bars.items.get(i).map_or(String::new(), |item| item.0.clone());
    let n = crate::base::format_count;
    let rows = vec![
        vec![name(0), render_number(view.ordinary), String::new(), String::new()],
        vec![name(1), render_number(view.shifted), n(view.n_train), n(view.n_test)],
    ];
    render("shift-canvas", &view.bars, WIDE, importance_size, render::draw_importance, &view.sentence, (head, rows))
}

/// Blanks the cards when a new table replaces the model they explained.
pub(super) fn clear() -> JsResult<()> {
    for card in CARDS {
        by_test_id::<HtmlElement>(card)?.set_hidden(true);
    }
    by_id::<HtmlElement>("robustness-title")?.set_hidden(true);
    for id in ["class-report-table", "worst-rows-table", "groups-table"] {
        dom::clear(&by_test_id::<Element>(id)?);
    }
    for id in ["calibration-canvas", "robustness-canvas", "missing-canvas"] {
        blank(id)?;
    }
    set_text(&by_test_id::<Element>("groups-warning")?, "");
    clear_shift()
}

fn blank(canvas_id: &str) -> JsResult<()> {
    let canvas: web_sys::HtmlCanvasElement = by_test_id(canvas_id)?;
    canvas.set_width(0);
    canvas.set_height(0);
    canvas.style().set_property("height", "0")?;
    dom::clear(&numbers_of(canvas_id)?);
    Ok(())
}

/// No shifted split yet for the model shown.
fn clear_shift() -> JsResult<()> {
    set_text(&by_test_id::<Element>("shift-text")?, "");
    blank("shift-canvas")
}
