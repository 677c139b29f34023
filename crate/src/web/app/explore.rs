//! Exploring a trained model: the slice controls under the boundary plot, the
//! pointer on the plot (press a point to trace that row, press elsewhere to
//! ask about that place, drag a point for a what-if), and the views a traced
//! row updates (tree path, contributions).

use web_sys::{
    Element, Event, HtmlCanvasElement, HtmlElement, HtmlInputElement, HtmlSelectElement, KeyboardEvent, MouseEvent,
    PointerEvent, WheelEvent,
};

use super::{report, send_latest, App, Shared};
use crate::base::{format_number, value_of, FeatureValue};
use crate::explain::PointView;
use crate::model::view::{ModelView, TreeView};
use crate::prep::ColumnDomain;
use crate::render::{TreeCamera, TreeFocus, TreeScene};
use crate::session::{AlongPick, Request};
use crate::web::cursor::PlotCursor;
use crate::web::dom::{self, by_id, by_test_id, create, fill_select, on, set_text, JsResult};
use crate::web::{canvas, evaluation};

/// How close (CSS px) a press must be to a drawn point to pick its row.
const HIT_RADIUS: f64 = 7.0;

/// How close (CSS px) a press must be to the traced row's mark on the plot
/// along one feature to take it: the white disc the cross sits on, and as
/// far either side of the line up to it.
const MARK_RADIUS: f64 = 11.0;

/// A tree with more nodes than this is traced as its path only, at first.
const SPINE_FROM_NODES: usize = 31;

/// Slice controls shown at once, the most important features first; the
/// rest fold under one line, so fifty pixel columns do not bury the few
/// that matter.
const SHOWN_CONTROLS: usize = 8;

/// Asks for the boundary over the chosen axes at the current slice; `live`
/// while a slider is still moving.
pub(super) fn request_boundary(app: &Shared, live: bool) -> JsResult<()> {
    let (x, y) = axes()?;
    if x.is_empty() || y.is_empty() || app.borrow().report.is_none() {
        return Ok(());
    }
    let slice = app.borrow().slice.clone();
    send_latest(app, Request::Boundary { x, y, slice, live, two_features: two_features()? });
    Ok(())
}

/// Whether the plot shows the model refitted on its two axes alone.
fn two_features() -> JsResult<bool> {
    Ok(by_test_id::<HtmlInputElement>("two-feature-model")?.checked())
}

fn axes() -> JsResult<(String, String)> {
    Ok((
        by_test_id::<HtmlSelectElement>("x-feature-select")?.value(),
        by_test_id::<HtmlSelectElement>("y-feature-select")?.value(),
    ))
}

/// The held features (not on an axis), the most important first.
fn held_controls(app: &Shared) -> JsResult<Vec<ColumnDomain>> {
    let (x, y) = axes()?;
    let controls = app.borrow().report.as_ref().map(|r| r.slice.clone()).unwrap_or_default();
    Ok(controls.into_iter().filter(|c| c.column() != x && c.column() != y).collect())
}

/// One control per feature column not on an axis, at its current slice value,
/// the most important first and the rest folded; moving one redraws the
/// boundary.
pub(super) fn render_slice_controls(app: &Shared) -> JsResult<()> {
    let container: Element = by_test_id("slice-controls")?;
    // A fold the person opened stays open when the controls are redrawn.
    let folded_open = container.query_selector("details.more-controls[open]")?.is_some();
    dom::clear(&container);
    let others = held_controls(app)?;
    let mut parent = container.clone();
    for (i, control) in others.iter().enumerate() {
        if i == SHOWN_CONTROLS {
            let fold: Element = create("details", None)?;
            fold.set_class_name("more-controls");
            fold.toggle_attribute_with_force("open", folded_open)?;
            let line: Element = create("summary", None)?;
            fold.append_child(&line)?;
            let inner: Element = create("div", None)?;
            inner.set_class_name("slice-controls");
            fold.append_child(&inner)?;
            container.append_child(&fold)?;
            parent = inner;
        }
        let label = slice_control(app, control)?;
        parent.append_child(&label)?;
    }
    mark_slice(app)
}

/// Says what the slice holds: its summary line (a traced row's values, or
/// none when the plot shows the model refitted on its axes), each control
/// away from its typical value marked (a traced row's, or moved by hand), the
/// folded rest counted, and "back to the typical row" offered when there is
/// somewhere to go back from.
fn mark_slice(app: &Shared) -> JsResult<()> {
    let others = held_controls(app)?;
    let refitted = two_features()?;
    let moved = |c: &ColumnDomain| value_of(&app.borrow().slice, c.column()).is_some_and(|v| *v != c.typical());
    let summary = match others.len() {
        0 => "Slice: the model uses only the two features on the axes.".to_string(),
        _ if refitted => "Slice: none. The model refitted on the two axes uses no other feature.".to_string(),
        n => {
            let features = if n == 1 { "the other feature".to_string() } else { format!("the other {n} features") };
            match app.borrow().slice_row {
                Some(row) => format!("Slice: {features}, held at row {}'s values", row + 1),
                None => format!("Slice: {features}, held at"),
            }
        }
    };
    set_text(&by_id::<Element>("slice-summary")?, &summary);
    let container: Element = by_test_id("slice-controls")?;
    container.toggle_attribute_with_force("hidden", refitted)?;
    let reset: HtmlElement = by_test_id("slice-reset")?;
    reset.set_hidden(refitted || others.is_empty());
    reset.toggle_attribute_with_force("disabled", !others.iter().any(moved))?;
    for control in &others {
        let Some(label) = container.query_selector(&format!("[data-column=\"{}\"]", css_escape(control.column())))? else {
            continue;
        };
        let is_moved = moved(control);
        label.class_list().toggle_with_force("moved", is_moved)?;
        let typical = control.typical().text();
        let title =
            if is_moved { format!("{}: moved from its typical value, {typical}", control.column()) } else { String::new() };
        label.set_attribute("title", &title)?;
    }
    if let Some(fold) = container.query_selector("details.more-controls > summary")? {
        let rest = others.get(SHOWN_CONTROLS..).unwrap_or_default();
        let line = match rest.iter().filter(|c| moved(c)).count() {
            0 => format!("{} more, held at their typical values (median or most common)", rest.len()),
            k => format!("{} more, {k} of them moved from their typical values", rest.len()),
        };
        set_text(&fold, &line);
    }
    Ok(())
}

/// `name` inside a double-quoted CSS attribute selector.
fn css_escape(name: &str) -> String {
    name.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The control of one held feature: a slider over its training range, or a
/// choice of its levels.
fn slice_control(app: &Shared, control: &ColumnDomain) -> JsResult<Element> {
    let column = control.column().to_string();
    let current = value_of(&app.borrow().slice, &column).cloned().unwrap_or_else(|| control.typical());
    let label: Element = create("label", None)?;
    label.set_class_name("slice-control");
    label.set_attribute("data-column", &column)?;
    let name: Element = create("span", None)?;
    name.set_class_name("name");
    set_text(&name, &column);
    name.set_attribute("title", &column)?;
    name.set_attribute("dir", "auto")?;
    label.append_child(&name)?;
    match control {
        ColumnDomain::Number { min, max, .. } => {
            let input: HtmlInputElement = create("input", None)?;
            input.set_type("range");
            input.set_attribute("aria-label", &column)?;
            input.set_min(&min.to_string());
            input.set_max(&max.to_string());
            input.set_step(&if max > min { ((max - min) / 200.0).to_string() } else { "any".to_string() });
            let value = match current {
                FeatureValue::Number(v) => v,
                _ => *min,
            };
            input.set_value(&value.to_string());
            let shown: Element = create("output", None)?;
            set_text(&shown, &format_number(value));
            label.append_child(&input)?;
            label.append_child(&shown)?;
            // While the slider moves ("input") the boundary follows live; when
            // it is let go ("change") the full-size boundary is drawn.
            for (event, live) in [("input", true), ("change", false)] {
                let app = app.clone();
                let (input2, column, shown) = (input.clone(), column.clone(), shown.clone());
                on::<Event>(&input.clone().into(), event, move |_| {
                    let Ok(v) = input2.value().parse::<f64>() else { return };
                    set_text(&shown, &format_number(v));
                    set_slice(&app, &column, FeatureValue::Number(v), live);
                })?;
            }
        }
        ColumnDomain::Flag { .. } | ColumnDomain::Levels { .. } => {
            let options: Vec<String> = match control {
                ColumnDomain::Levels { levels, .. } => levels.clone(),
                _ => vec!["false".to_string(), "true".to_string()],
            };
            let select: HtmlSelectElement = create("select", None)?;
            select.set_attribute("aria-label", &column)?;
            let pairs: Vec<(String, String)> = options.iter().map(|o| (o.clone(), o.clone())).collect();
            fill_select(&select, &pairs, Some(&current.text()))?;
            label.append_child(&select)?;
            let app = app.clone();
            let (select2, column) = (select.clone(), column.clone());
            let flag = matches!(control, ColumnDomain::Flag { .. });
            on::<Event>(&select.into(), "change", move |_| {
                let v = select2.value();
                let value = if flag { FeatureValue::Flag(v == "true") } else { FeatureValue::Level(v) };
                set_slice(&app, &column, value, false);
            })?;
        }
    }
    Ok(label)
}

fn set_slice(app: &Shared, column: &str, value: FeatureValue, live: bool) {
    {
        let mut a = app.borrow_mut();
        a.slice_row = None;
        match a.slice.iter_mut().find(|(c, _)| c == column) {
            Some(slot) => slot.1 = value,
            None => a.slice.push((column.to_string(), value)),
        }
    }
    report(mark_slice(app).and_then(|_| request_boundary(app, live)));
}

/// Press on a point: trace its row (and drag it for a what-if). Press
/// elsewhere: ask what the model predicts at that place of the slice.
/// On the plot along one feature, a press traces the row nearest along it,
/// and a press on the traced row's mark drags it along the feature (a
/// what-if). Either way the keyboard cursor moves to the place pressed, out
/// of sight until a key is used.
pub(super) fn wire_boundary_pointer(app: &Shared) -> JsResult<()> {
    for plot in [Plot::Boundary, Plot::Along] {
        let canvas: HtmlCanvasElement = by_test_id(plot.canvas())?;
        {
            let (app, canvas2) = (app.clone(), canvas.clone());
            on::<MouseEvent>(&canvas.clone().into(), "pointerdown", move |e| {
                let at = canvas::device_pixel(&canvas2, e.offset_x() as f64, e.offset_y() as f64);
                pointer_took_over(&app, plot, at);
                let dragging = press(&app, plot, &canvas2, at, e.shift_key());
                app.borrow_mut().dragging = dragging;
            })?;
        }
        {
            let (app, canvas2) = (app.clone(), canvas.clone());
            on::<MouseEvent>(&canvas.clone().into(), "pointermove", move |e| {
                let at = canvas::device_pixel(&canvas2, e.offset_x() as f64, e.offset_y() as f64);
                let dragging = app.borrow().dragging;
                let Some(row) = dragging else {
                    // The traced row's mark on the plot along one feature can be taken.
                    if plot == Plot::Along {
                        let over = mark_hit(&app.borrow(), &canvas2, at).is_some();
                        let _ = canvas2.style().set_property("cursor", if over { "grab" } else { "" });
                    }
                    return;
                };
                if e.buttons() & 1 == 0 {
                    app.borrow_mut().dragging = None;
                    return;
                }
                // Copied out first: the request below borrows the app mutably.
                let mapping = app.borrow().mapping;
                if let Some(at) = mapping.and_then(|m| m.to_data(at.0, at.1)) {
                    report(inspect(&app, Some(at), Some(row)));
                }
            })?;
        }
        for event in ["pointerup", "pointerleave"] {
            let app = app.clone();
            on::<MouseEvent>(&canvas.clone().into(), event, move |_| app.borrow_mut().dragging = None)?;
        }
    }
    Ok(())
}

/// A pointer pressed `plot` at device pixel `at`: the keyboard cursor hides
/// (it shows only while the keyboard is used) and moves to the place
/// pressed, so the arrows go on from there.
fn pointer_took_over(app: &Shared, plot: Plot, at: (f64, f64)) {
    if let Ok(mark) = by_id::<HtmlElement>(plot.cursor_mark()) {
        mark.set_hidden(true);
    }
    let mut a = app.borrow_mut();
    if let Some((x, y)) = a.mapping.and_then(|m| m.to_data(at.0, at.1)) {
        a.cursor = Some(PlotCursor { x, y });
    }
}

/// The traced row whose mark on the plot along one feature is under device
/// pixel `at`: its cross on the curve, or the line from the axis up to it.
/// A press there takes the row, to drag it along the feature.
fn mark_hit(a: &App, canvas: &HtmlCanvasElement, at: (f64, f64)) -> Option<usize> {
    let point = a.inspected.as_ref()?;
    let mapping = a.mapping?;
    let (px, py) = mapping.to_pixel(point.x, point.y);
    let reach = MARK_RADIUS * canvas.width() as f64 / canvas.client_width().max(1) as f64;
    let bottom = (mapping.rect.y + mapping.rect.height) as f64;
    let on_mark = (px - at.0).abs() <= reach && at.1 >= py - reach && at.1 <= bottom + reach;
    on_mark.then_some(point.row).flatten()
}

/// The plot the pointer and the keyboard act on: the boundary over two
/// features, or the prediction along the model's only feature. One of them
/// is on the page at a time, and `App::mapping` says where it landed.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Plot {
    Boundary,
    Along,
}

impl Plot {
    fn canvas(self) -> &'static str {
        match self {
            Plot::Boundary => "boundary-canvas",
            Plot::Along => "one-feature-canvas",
        }
    }

    /// The id of the keyboard cursor's mark over the plot.
    fn cursor_mark(self) -> &'static str {
        match self {
            Plot::Boundary => "boundary-cursor",
            Plot::Along => "one-feature-cursor",
        }
    }
}

/// A press on a plot at device pixel `at` (a click, or Enter on the
/// keyboard cursor). Along one feature it takes the traced row's mark if it
/// is there (returned, to drag), or traces the row nearest to that value.
/// On the boundary, on a toy set it may add a point (or with `shift`
/// remove one); else it traces the row of a point under it, or asks about
/// the place. Returns the row pressed on, which a pointer may go on to drag.
fn press(app: &Shared, plot: Plot, canvas: &HtmlCanvasElement, at: (f64, f64), shift: bool) -> Option<usize> {
    let place = app.borrow().mapping.and_then(|m| m.to_data(at.0, at.1));
    if plot == Plot::Along {
        let grabbed = mark_hit(&app.borrow(), canvas, at);
        if grabbed.is_none() {
            if let Some((x, _)) = place {
                report(inspect(app, Some((x, 0.0)), None));
            }
        }
        return grabbed;
    }
    let ratio = canvas.width() as f64 / canvas.client_width().max(1) as f64;
    let hit = hit_row(&app.borrow(), at, HIT_RADIUS * ratio);
    let edit = axes().and_then(|(x, y)| super::toy::edit_at(shift, hit, place, (&x, &y)));
    if let Ok(Some(edit)) = edit {
        super::edit_toy(app, edit);
        return None;
    }
    match (hit, place) {
        (Some(row), _) => report(inspect(app, None, Some(row))),
        (None, Some(place)) => report(inspect(app, Some(place), None)),
        (None, None) => {}
    }
    hit
}

/// The keyboard on the boundary plot: the arrows move a cursor over it
/// (Shift for bigger steps), Enter or space presses there as a click does;
/// the cursor's place goes to a live region. The cursor shows while the
/// keyboard is used: on a focus by Tab, at a key, never on a click (which
/// moves it, out of sight). Tab leaves as from any control.
/// On the plot along one feature only left and right move the cursor, and
/// Enter traces the row nearest to it.
pub(super) fn wire_boundary_keys(app: &Shared) -> JsResult<()> {
    for plot in [Plot::Boundary, Plot::Along] {
        let canvas: HtmlCanvasElement = by_test_id(plot.canvas())?;
        {
            let (app, canvas2) = (app.clone(), canvas.clone());
            on::<KeyboardEvent>(&canvas.clone().into(), "keydown", move |e| {
                let Some(mapping) = app.borrow().mapping else { return };
                let cursor = app.borrow().cursor.unwrap_or_else(|| PlotCursor::middle(mapping.x, mapping.y));
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    let at = mapping.to_pixel(cursor.x, cursor.y);
                    // The keyboard presses where its cursor is: the cursor shows.
                    report(show_cursor(&app, plot));
                    press(&app, plot, &canvas2, at, e.shift_key());
                    return;
                }
                let y = (plot == Plot::Boundary).then_some(mapping.y);
                let Some(moved) = cursor.moved(&e.key(), e.shift_key(), mapping.x, y) else { return };
                // The arrows move the cursor, not the page.
                e.prevent_default();
                app.borrow_mut().cursor = Some(moved);
                report(show_cursor(&app, plot));
            })?;
        }
        {
            // Shown when the keyboard brought the focus (Tab), as a focus ring
            // is: not when a click did, which put the cursor where it pressed.
            let (app, canvas2) = (app.clone(), canvas.clone());
            on::<Event>(&canvas.clone().into(), "focus", move |_| {
                if canvas2.matches(":focus-visible").unwrap_or(true) {
                    report(show_cursor(&app, plot));
                }
            })?;
        }
        on::<Event>(&canvas.into(), "blur", move |_| {
            if let Ok(mark) = by_id::<HtmlElement>(plot.cursor_mark()) {
                mark.set_hidden(true);
            }
        })?;
    }
    Ok(())
}

/// Puts the cursor's mark where the cursor is on `plot` (the plot's middle
/// at first) and says its place in the live region.
fn show_cursor(app: &Shared, plot: Plot) -> JsResult<()> {
    let (mapping, cursor, axes) = {
        let a = app.borrow();
        let Some(mapping) = a.mapping else { return Ok(()) };
        let axes = a.report.as_ref().and_then(|r| match plot {
            Plot::Boundary => r.boundary.as_ref().map(|b| (b.x.clone(), Some(b.y.clone()))),
            Plot::Along => r.one_feature.as_ref().map(|f| (f.feature.clone(), None)),
        });
        // A cursor left off the plot (its axes changed since) starts again in the middle.
        let on_plot = |c: &PlotCursor| mapping.contains(c.x, c.y);
        (mapping, a.cursor.filter(on_plot).unwrap_or_else(|| PlotCursor::middle(mapping.x, mapping.y)), axes)
    };
    app.borrow_mut().cursor = Some(cursor);
    let canvas: HtmlCanvasElement = by_test_id(plot.canvas())?;
    let ratio = canvas.width() as f64 / canvas.client_width().max(1) as f64;
    let (px, py) = mapping.to_pixel(cursor.x, cursor.y);
    let mark: HtmlElement = by_id(plot.cursor_mark())?;
    let style = mark.style();
    style.set_property("left", &format!("{}px", canvas.offset_left() as f64 + px / ratio))?;
    style.set_property("top", &format!("{}px", canvas.offset_top() as f64 + py / ratio))?;
    mark.set_hidden(false);
    if let Some((x, y)) = axes {
        set_text(&by_id::<Element>("boundary-cursor-text")?, &cursor.describe(&x, y.as_ref()));
    }
    Ok(())
}

/// The table row of the drawn point nearest to device pixel `at`, within `radius`.
fn hit_row(a: &App, at: (f64, f64), radius: f64) -> Option<usize> {
    let mapping = a.mapping?;
    let points = &a.report.as_ref()?.boundary.as_ref()?.points;
    let mut best: Option<(f64, usize)> = None;
    for ((&x, &y), &row) in points.x.iter().zip(&points.y).zip(&points.rows) {
        let (px, py) = mapping.to_pixel(x as f64, y as f64);
        let d = (px - at.0).hypot(py - at.1);
        if d <= radius && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, row as usize));
        }
    }
    best.map(|(_, row)| row)
}

/// Asks the worker about table row `row` (at `at` if moved there), or about
/// the place `at` on the current slice. On the plot along the model's only
/// feature: about row `row` (moved to `at`'s x if given), or the row nearest
/// along it to `at`'s x.
pub(super) fn inspect(app: &Shared, at: Option<(f64, f64)>, row: Option<usize>) -> JsResult<()> {
    let along = app.borrow().report.as_ref().and_then(|r| r.one_feature.as_ref().map(|v| v.feature.name.clone()));
    if let Some(feature) = along {
        let pick = match (row, at) {
            (Some(row), Some((to, _))) => AlongPick::Moved { row, to },
            (Some(row), None) => AlongPick::Row(row),
            (None, Some((x, _))) => AlongPick::Nearest(x),
            (None, None) => return Ok(()),
        };
        send_latest(app, Request::TraceAlong { feature, pick });
        return Ok(());
    }
    let (x, y) = axes()?;
    if app.borrow().report.is_some() && !x.is_empty() && !y.is_empty() {
        let slice = app.borrow().slice.clone();
        send_latest(app, Request::Inspect { x, y, at, row, slice, two_features: two_features()? });
    }
    Ok(())
}

/// Shows what the worker said about an inspected point: the words, the mark on
/// the boundary, the path through the tree, a linear model's contributions.
pub(super) fn show_inspected(app: &Shared, mut point: PointView) -> JsResult<()> {
    set_text(&by_test_id::<Element>("path-text")?, &point.text);
    // A row traced at its own place (on the boundary, its plot comes along)
    // can ask what would change its answer; a row dragged away cannot.
    let along = app.borrow().report.as_ref().is_some_and(|r| r.one_feature.is_some());
    let own_place = !point.what_if && (along || point.boundary.is_some());
    super::distill::offer_counterfactual(app, point.row.filter(|_| own_place))?;
    // A traced row moved the slice to its own values: its plot replaces the
    // one shown, and the controls show where they moved.
    if let Some(view) = point.boundary.take() {
        {
            let mut a = app.borrow_mut();
            a.slice = view.slice.clone();
            a.slice_row = point.row;
            if let Some(r) = a.report.as_mut() {
                r.boundary = Some(*view);
            }
        }
        render_slice_controls(app)?;
    }
    let (view, along) = match app.borrow().report.as_ref() {
        Some(r) => (r.boundary.clone(), r.one_feature.clone()),
        None => (None, None),
    };
    if let Some(view) = along {
        let mapping = evaluation::draw_one_feature(&view, Some(&point))?;
        app.borrow_mut().mapping = mapping;
    } else if let Some(view) = view {
        let mapping = canvas::draw_boundary(&by_test_id("boundary-canvas")?, &view, Some(&point))?;
        app.borrow_mut().mapping = Some(mapping);
    }
    let contributions: HtmlElement = by_id("contributions-box")?;
    contributions.set_hidden(point.contributions.is_none());
    if let Some(c) = &point.contributions {
        canvas::draw_contributions(&by_test_id("contributions-canvas")?, c)?;
    }
    app.borrow_mut().inspected = Some(point);
    draw_tree(app)
}

/// How the person framed the tree diagram: the folded branches they opened,
/// and their camera, with the width it was set for (a new width, from a resized
/// window or presentation mode, starts fitted again).
#[derive(Default)]
pub(super) struct TreeFrame {
    opened: Vec<usize>,
    camera: Option<(f64, TreeCamera)>,
    /// Pointers down on the canvas (id, layout px: where it went down, then,
    /// once dragging, where it last moved), for drags and pinches.
    pointers: Vec<(i32, (f64, f64))>,
    /// Whether the pointers moved since they went down (then a release is no click).
    moved: bool,
}

/// Zoom step of the buttons.
const ZOOM_STEP: f64 = 1.25;
/// Layout px an arrow key moves the tree.
const KEY_PAN: f64 = 40.0;
/// Layout px a pointer may wander and still count as a click.
const CLICK_SLOP: f64 = 4.0;

/// Calls `f` with the report's tree, its scene on the tree canvas as the
/// person framed it, and the camera on it; `None` without a tree.
fn with_tree_scene<R>(
    app: &Shared,
    f: impl FnOnce(&TreeView, &TreeScene, TreeCamera, &HtmlCanvasElement) -> JsResult<R>,
) -> JsResult<Option<R>> {
    let a = app.borrow();
    let Some(tree) = a.report.as_ref().and_then(|r| {
        r.views.iter().find_map(|v| match v {
            ModelView::Tree(tree) => Some(tree),
            _ => None,
        })
    }) else {
        return Ok(None);
    };
    let path: &[usize] = a.inspected.as_ref().map_or(&[], |p| &p.path);
    let path_only = by_test_id::<HtmlInputElement>("spine-toggle")?.checked() && !path.is_empty();
    let focus = TreeFocus { path, path_only, opened: &a.tree.opened };
    let canvas: HtmlCanvasElement = by_test_id("tree-canvas")?;
    let width = canvas::tree_width(&canvas);
    let scene = TreeScene::fitted(tree, focus, width);
    let camera = match a.tree.camera {
        // Kept, but clamped to the scene as it is now (a path traced or a fold opened since).
        Some((w, camera)) if w == width => scene.pan(camera, (0.0, 0.0)),
        _ => scene.fit(),
    };
    f(tree, &scene, camera, &canvas).map(Some)
}

/// Draws the report's tree (if it has one), with the inspected row's path
/// marked, the path only when the person asked for it, framed as they left it.
pub(super) fn draw_tree(app: &Shared) -> JsResult<()> {
    let path_shown = app.borrow().inspected.as_ref().is_some_and(|p| !p.path.is_empty());
    by_id::<HtmlElement>("spine-label")?.set_hidden(!path_shown);
    with_tree_scene(app, |tree, scene, camera, canvas| canvas::draw_tree(canvas, tree, scene, camera)).map(|_| ())
}

/// Moves the tree's camera by `change` and redraws.
fn move_camera(app: &Shared, change: impl FnOnce(&TreeScene, TreeCamera) -> TreeCamera) -> JsResult<()> {
    let moved = with_tree_scene(app, |_, scene, camera, canvas| Ok((canvas::tree_width(canvas), change(scene, camera))))?;
    if let Some(camera) = moved {
        app.borrow_mut().tree.camera = Some(camera);
    }
    draw_tree(app)
}

/// Opens the folded branch `find` picks (under a click, or the first one for
/// Enter), if any, keeping its box where it was.
fn open_fold(app: &Shared, find: impl FnOnce(&TreeScene, TreeCamera) -> Option<usize>) -> JsResult<()> {
    let hit = with_tree_scene(app, |_, scene, camera, canvas| {
        Ok(find(scene, camera).map(|node| (node, scene.node_center(camera, node), canvas::tree_width(canvas), camera)))
    })?
    .flatten();
    let Some((node, Some(before), width, camera)) = hit else { return Ok(()) };
    {
        let mut a = app.borrow_mut();
        a.tree.opened.push(node);
        a.tree.camera = Some((width, camera));
    }
    move_camera(app, |scene, camera| match scene.node_center(camera, node) {
        Some(after) => scene.pan(camera, (before.0 - after.0, before.1 - after.1)),
        None => camera,
    })
}

/// The tree's buttons (zoom in, out, fit), and the pointer on its canvas: drag
/// to pan, pinch or Ctrl + wheel to zoom, click a folded branch to open it.
pub(super) fn wire_tree(app: &Shared) -> JsResult<()> {
    let canvas: HtmlCanvasElement = by_test_id("tree-canvas")?;
    for (id, factor) in [("tree-zoom-in", ZOOM_STEP), ("tree-zoom-out", 1.0 / ZOOM_STEP)] {
        let (app, canvas) = (app.clone(), canvas.clone());
        on::<Event>(&by_test_id::<Element>(id)?.into(), "click", move |_| {
            let middle = canvas::layout_point(canvas.client_width() as f64 / 2.0, canvas.client_height() as f64 / 2.0);
            report(move_camera(&app, |scene, camera| scene.zoom(camera, factor, middle)));
        })?;
    }
    {
        let app = app.clone();
        on::<Event>(&by_test_id::<Element>("tree-fit")?.into(), "click", move |_| {
            app.borrow_mut().tree = TreeFrame::default();
            report(draw_tree(&app));
        })?;
    }
    {
        let app = app.clone();
        on::<WheelEvent>(&canvas.clone().into(), "wheel", move |e| {
            // A plain wheel scrolls the page; a pinch on a touchpad arrives as Ctrl + wheel.
            if !(e.ctrl_key() || e.meta_key()) {
                return;
            }
            e.prevent_default();
            let at = canvas::layout_point(e.offset_x() as f64, e.offset_y() as f64);
            let factor = (-e.delta_y() * 0.01).clamp(-0.5, 0.5).exp();
            report(move_camera(&app, |scene, camera| scene.zoom(camera, factor, at)));
        })?;
    }
    {
        let (app, canvas2) = (app.clone(), canvas.clone());
        on::<PointerEvent>(&canvas.clone().into(), "pointerdown", move |e| {
            let _ = canvas2.set_pointer_capture(e.pointer_id());
            let at = canvas::layout_point(e.offset_x() as f64, e.offset_y() as f64);
            let mut a = app.borrow_mut();
            a.tree.pointers.retain(|(id, _)| *id != e.pointer_id());
            a.tree.pointers.push((e.pointer_id(), at));
            a.tree.moved = false;
        })?;
    }
    {
        let app = app.clone();
        on::<PointerEvent>(&canvas.clone().into(), "pointermove", move |e| {
            let at = canvas::layout_point(e.offset_x() as f64, e.offset_y() as f64);
            let (before, others) = {
                let a = app.borrow();
                let Some(&(_, before)) = a.tree.pointers.iter().find(|(id, _)| *id == e.pointer_id()) else { return };
                let others: Vec<(f64, f64)> =
                    a.tree.pointers.iter().filter(|(id, _)| *id != e.pointer_id()).map(|&(_, p)| p).collect();
                (before, others)
            };
            let (dx, dy) = (at.0 - before.0, at.1 - before.1);
            {
                // Until the pointer leaves the slop, it stays where it went down:
                // a slow drag adds up, and a press that wobbles is still a click.
                let mut a = app.borrow_mut();
                if !a.tree.moved && dx.hypot(dy) <= CLICK_SLOP {
                    return;
                }
                a.tree.moved = true;
                if let Some(p) = a.tree.pointers.iter_mut().find(|(id, _)| *id == e.pointer_id()) {
                    p.1 = at;
                }
            }
            match others.first() {
                // Two fingers: zoom by how far apart they moved, about their middle.
                Some(&other) => {
                    let spread = |p: (f64, f64)| (p.0 - other.0).hypot(p.1 - other.1).max(1.0);
                    let middle = ((at.0 + other.0) / 2.0, (at.1 + other.1) / 2.0);
                    report(move_camera(&app, |scene, camera| scene.zoom(camera, spread(at) / spread(before), middle)));
                }
                None => report(move_camera(&app, |scene, camera| scene.pan(camera, (dx, dy)))),
            }
        })?;
    }
    for event in ["pointerup", "pointercancel"] {
        let app = app.clone();
        on::<PointerEvent>(&canvas.clone().into(), event, move |e| {
            let at = canvas::layout_point(e.offset_x() as f64, e.offset_y() as f64);
            let click = {
                let mut a = app.borrow_mut();
                let was_down = a.tree.pointers.iter().any(|(id, _)| *id == e.pointer_id());
                a.tree.pointers.retain(|(id, _)| *id != e.pointer_id());
                was_down && !a.tree.moved && a.tree.pointers.is_empty() && e.type_() == "pointerup"
            };
            if click {
                report(open_fold(&app, |scene, camera| scene.folded_at(camera, at)));
            }
        })?;
    }
    // The keyboard does what the pointer does: arrows pan, + and − zoom,
    // Enter opens the first folded branch, 0 fits the tree again.
    let canvas2 = canvas.clone();
    let app = app.clone();
    on::<KeyboardEvent>(&canvas.into(), "keydown", move |e| {
        let middle = canvas::layout_point(canvas2.client_width() as f64 / 2.0, canvas2.client_height() as f64 / 2.0);
        let pan = |by: (f64, f64)| move |scene: &TreeScene, camera| scene.pan(camera, by);
        let done = match e.key().as_str() {
            "ArrowLeft" => move_camera(&app, pan((KEY_PAN, 0.0))),
            "ArrowRight" => move_camera(&app, pan((-KEY_PAN, 0.0))),
            "ArrowUp" => move_camera(&app, pan((0.0, KEY_PAN))),
            "ArrowDown" => move_camera(&app, pan((0.0, -KEY_PAN))),
            "+" | "=" => move_camera(&app, |scene, camera| scene.zoom(camera, ZOOM_STEP, middle)),
            "-" => move_camera(&app, |scene, camera| scene.zoom(camera, 1.0 / ZOOM_STEP, middle)),
            "0" => {
                app.borrow_mut().tree = TreeFrame::default();
                draw_tree(&app)
            }
            "Enter" | " " => open_fold(&app, |scene, _| scene.first_folded()),
            _ => return,
        };
        e.prevent_default();
        report(done);
    })
}

/// A new report: the slice starts at every column's typical value, and a big
/// tree is traced as its path only. The slice controls follow once the axes are set.
pub(super) fn reset_for_report(app: &Shared) -> JsResult<()> {
    let nodes = {
        let mut a = app.borrow_mut();
        a.slice.clear();
        a.slice_row = None;
        a.dragging = None;
        a.cursor = None;
        a.tree = TreeFrame::default();
        a.report.as_ref().and_then(|r| {
            r.views.iter().find_map(|v| match v {
                ModelView::Tree(tree) => Some(tree.nodes.len()),
                _ => None,
            })
        })
    };
    by_test_id::<HtmlInputElement>("spine-toggle")?.set_checked(nodes.is_some_and(|n| n > SPINE_FROM_NODES));
    by_test_id::<HtmlInputElement>("two-feature-model")?.set_checked(false);
    by_id::<HtmlElement>("contributions-box")?.set_hidden(true);
    Ok(())
}

/// "Back to the typical row" puts every held feature back at its typical
/// value; the "these two features only" switch shows the model refitted on
/// the axes, or the full model again.
pub(super) fn wire_slice_buttons(app: &Shared) -> JsResult<()> {
    {
        let app = app.clone();
        on::<Event>(&by_test_id::<Element>("slice-reset")?.into(), "click", move |_| {
            {
                let mut a = app.borrow_mut();
                a.slice.clear();
                a.slice_row = None;
            }
            report(render_slice_controls(&app).and_then(|_| request_boundary(&app, false)));
        })?;
    }
    let app = app.clone();
    on::<Event>(&by_test_id::<Element>("two-feature-model")?.into(), "change", move |_| {
        report(render_slice_controls(&app).and_then(|_| request_boundary(&app, false)));
    })
}

/// The spine toggle redraws the tree, fitted anew.
pub(super) fn wire_spine_toggle(app: &Shared) -> JsResult<()> {
    let app = app.clone();
    on::<Event>(&by_test_id::<Element>("spine-toggle")?.into(), "change", move |_| {
        app.borrow_mut().tree.camera = None;
        report(draw_tree(&app))
    })
}

/// Makes table row `tr` trace table row `row` when pressed: by a click, or
/// reached by Tab and pressed with Enter or space. The preview and the worst
/// rows' table share it.
pub(super) fn trace_on_press(app: &Shared, tr: &Element, row: usize) -> JsResult<()> {
    tr.set_attribute("data-row", &row.to_string())?;
    tr.set_attribute("title", "Trace this row through the trained model")?;
    tr.set_attribute("tabindex", "0")?;
    {
        let app = app.clone();
        on::<MouseEvent>(tr, "click", move |_| report(inspect(&app, None, Some(row))))?;
    }
    let app = app.clone();
    on::<KeyboardEvent>(tr, "keydown", move |e| {
        if e.key() == "Enter" || e.key() == " " {
            e.prevent_default();
            report(inspect(&app, None, Some(row)));
        }
    })
}
