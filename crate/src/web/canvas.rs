//! Canvases sized for the screen: the backing store is the CSS size times the
//! device pixel ratio, so text and lines stay crisp on HiDPI screens, and the
//! renderers draw at that scale through plotters-canvas.
//!
//! Every chart is drawn through a [`Recording`] and kept with how to draw it
//! again (its layout size and a closure over its view): the "PNG" and "SVG"
//! buttons every chart gets ([`export_buttons`]) draw the same routine again,
//! at the export's scale on an offscreen canvas or through plotters' SVG
//! backend ([`export_png`], [`export_svg`]).
//!
//! In presentation mode (the page's root has the class `present`) every chart
//! is laid out for a card [`PRESENT_ZOOM`] times narrower and drawn that much
//! bigger: the same picture, text and all, fills the same card at a size a
//! projector's audience can read.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{Clamped, JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement, ImageData};

use super::alt;
use super::dom::{self, create, JsResult};
use crate::explain::{BoundaryView, PointView};
use crate::render::{self, PixelRect, PlotMapping, Recording, RenderError, Theme};

/// Browsers refuse canvases much beyond this many pixels per side.
const MAX_BACKING_SIDE: f64 = 16_000.0;

/// Narrowest chart, layout px: below this a chart would be no use, and a card
/// this narrow is a phone's, which scrolls sideways anyway.
const MIN_WIDTH: u32 = 200;

/// How much bigger presentation mode draws every chart (and the CSS the text).
pub const PRESENT_ZOOM: f64 = 1.4;

/// What every renderer draws on, on the page: a recording, played on the canvas.
pub type Area = DrawingArea<Recording, Shift>;

/// Exports are drawn at least at this pixel ratio, whatever the screen's.
const MIN_EXPORT_RATIO: f64 = 2.0;

/// How a chart draws itself at a theme's scale.
type Draw = dyn Fn(&Area, &Theme) -> Result<(), RenderError>;

/// A chart as the page drew it, kept to draw it again for an export.
struct Chart {
    /// Layout px.
    size: (u32, u32),
    draw: Box<Draw>,
    /// The boundary's grid, for the charts that have one.
    grid: Option<Grid>,
    /// What the chart shows, in words (`web::alt`): the canvas's text
    /// alternative, set every time it is drawn.
    label: String,
}

/// The boundary's RGBA grid as an image, and whether it is drawn crisp.
struct Grid {
    image: HtmlCanvasElement,
    crisp: bool,
}

thread_local! {
    /// The chart on each canvas, by canvas; a canvas gone from the page is dropped at the next draw.
    static CHARTS: RefCell<Vec<(HtmlCanvasElement, Rc<Chart>)>> = const { RefCell::new(Vec::new()) };
}

fn keep(canvas: &HtmlCanvasElement, chart: Rc<Chart>) {
    CHARTS.with_borrow_mut(|charts| {
        charts.retain(|(c, _)| c.is_connected() && c != canvas);
        charts.push((canvas.clone(), chart));
    });
}

fn chart_of(canvas: &HtmlCanvasElement) -> JsResult<Rc<Chart>> {
    CHARTS
        .with_borrow(|charts| charts.iter().find(|(c, _)| c == canvas).map(|(_, chart)| chart.clone()))
        .ok_or_else(|| JsValue::from_str("this chart has not been drawn yet"))
}

/// Draws `chart` on `canvas` at `scale` device px per layout px (the canvas
/// already that size): recorded, then played with the grid put in by `drawImage`.
fn paint(canvas: &HtmlCanvasElement, chart: &Chart, scale: f64) -> JsResult<()> {
    let size = (canvas.width(), canvas.height());
    let recording = render::record(size, |area| (chart.draw)(area, &Theme::new(scale))).map_err(js_error)?;
    let ctx = context(canvas)?;
    let failed = Cell::new(None);
    let backend =
        CanvasBackend::with_canvas_object(canvas.clone()).ok_or_else(|| JsValue::from_str("canvas has no 2D context"))?;
    let area = backend.into_drawing_area();
    area.draw(&recording.playback(|_: &mut CanvasBackend, rect: PixelRect| {
        if let Some(grid) = &chart.grid {
            if let Err(e) = paint_grid(&ctx, rect, grid) {
                failed.set(Some(e));
            }
        }
        Ok(())
    }))
    .map_err(|e| JsValue::from_str(&e.to_string()))?;
    area.present().map_err(|e| JsValue::from_str(&e.to_string()))?;
    failed.take().map_or(Ok(()), Err)
}

/// Whether the page is in presentation mode (its root has the class `present`).
pub fn presenting() -> bool {
    dom::document().document_element().is_some_and(|root| root.class_list().contains("present"))
}

/// CSS px per layout px of the charts: [`PRESENT_ZOOM`] in presentation mode, else 1.
pub fn chart_zoom() -> f64 {
    if presenting() {
        PRESENT_ZOOM
    } else {
        1.0
    }
}

/// Sizes `canvas` to `chart`'s layout size (CSS px times [`chart_zoom`]),
/// draws it, labels it for screen readers (an image with its words), keeps
/// it for exports and gives the canvas its export buttons.
fn draw_sized(canvas: &HtmlCanvasElement, chart: Chart) -> JsResult<()> {
    canvas.set_attribute("role", "img")?;
    canvas.set_attribute("aria-label", &chart.label)?;
    let (w, h) = chart.size;
    let zoom = chart_zoom();
    let css_w = w as f64 * zoom;
    let ratio = web_sys::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0).max(1.0);
    let scale = (ratio * zoom).min(MAX_BACKING_SIDE / w.max(h).max(1) as f64);
    canvas.set_width((w as f64 * scale).round() as u32);
    canvas.set_height((h as f64 * scale).round() as u32);
    let style = canvas.style();
    style.set_property("width", &format!("{css_w}px"))?;
    // The height follows the width, so a canvas the stylesheet shrinks to fit
    // its box keeps its aspect (and `device_pixel` its mapping).
    style.set_property("height", "auto")?;
    paint(canvas, &chart, scale)?;
    keep(canvas, Rc::new(chart));
    export_buttons(canvas)
}

/// A chart of `size` layout px drawn by `draw`, described by `label`, with no grid.
fn chart(size: (u32, u32), label: String, draw: impl Fn(&Area, &Theme) -> Result<(), RenderError> + 'static) -> Chart {
    Chart { size, draw: Box::new(draw), grid: None, label }
}

/// Width (layout px) available to a canvas: its parent's content width, over [`chart_zoom`].
fn available_width(canvas: &HtmlCanvasElement, max: u32) -> u32 {
    let parent = canvas.parent_element().map(|p| p.client_width()).unwrap_or(0).max(0) as f64;
    ((parent / chart_zoom()).floor() as u32).clamp(MIN_WIDTH, max.max(MIN_WIDTH))
}

/// Draws the boundary plot, with an inspected point marked if there is one;
/// returns where the plot landed (device pixels), to turn clicks into data.
/// Its text alternative says what the regions are (`alt::boundary`); the
/// path text says what a click found.
pub fn draw_boundary(canvas: &HtmlCanvasElement, view: &BoundaryView, marks: Option<&PointView>) -> JsResult<PlotMapping> {
    draw_grid_chart(canvas, view, marks, alt::boundary(view))
}

/// Draws a map on a boundary's grid and axes (the boundary plot, or where an
/// ensemble's members disagree), described by `label`.
pub fn draw_grid_chart(
    canvas: &HtmlCanvasElement,
    view: &BoundaryView,
    marks: Option<&PointView>,
    label: String,
) -> JsResult<PlotMapping> {
    let size = render::boundary_size(view, &Theme::new(1.0), available_width(canvas, 720));
    let banded = !(view.x.levels.is_empty() && view.y.levels.is_empty());
    let grid = Grid { image: grid_image(view)?, crisp: banded || view.grid_width >= crate::session::FULL_GRID };
    // Where the plot lands, as the page draws it (an export's lands elsewhere, unread).
    let mapping = Rc::new(Cell::new(None));
    let (view, marks, landed) = (view.clone(), marks.cloned(), mapping.clone());
    let draw = move |area: &Area, theme: &Theme| {
        let m = render::draw_boundary(area, &view, theme, render::mark_grid)?;
        if let Some(point) = &marks {
            render::draw_point_marks(area, &view, &m, point, theme)?;
        }
        landed.set(Some(m));
        Ok(())
    };
    draw_sized(canvas, Chart { size, draw: Box::new(draw), grid: Some(grid), label })?;
    mapping.take().ok_or_else(|| JsValue::from_str("the boundary was not drawn"))
}

/// Draws the prediction along a model's only feature at most `max_width`
/// wide, with a traced row marked if there is one; returns where the plot
/// landed (device px), to turn a press into a value of the feature.
pub fn draw_one_feature(
    canvas: &HtmlCanvasElement,
    view: &crate::explain::OneFeatureView,
    traced: Option<&PointView>,
    max_width: u32,
) -> JsResult<Option<PlotMapping>> {
    let size = render::one_feature_size(view, &Theme::new(1.0), available_width(canvas, max_width));
    let mapping = Rc::new(Cell::new(None));
    let (view, traced, landed) = (view.clone(), traced.cloned(), mapping.clone());
    let label = alt::one_feature(&view);
    let draw = move |area: &Area, theme: &Theme| {
        landed.set(render::draw_one_feature(area, &view, traced.as_ref(), theme)?);
        Ok(())
    };
    draw_sized(canvas, Chart { size, draw: Box::new(draw), grid: None, label })?;
    Ok(mapping.take())
}

/// The device pixel under a mouse event's CSS offset on `canvas`.
pub fn device_pixel(canvas: &HtmlCanvasElement, offset_x: f64, offset_y: f64) -> (f64, f64) {
    let css_width = canvas.client_width().max(1) as f64;
    let ratio = canvas.width() as f64 / css_width;
    (offset_x * ratio, offset_y * ratio)
}

/// A pointer event's place on `canvas` in layout px (what the renderers measure in).
pub fn layout_point(offset_x: f64, offset_y: f64) -> (f64, f64) {
    let zoom = chart_zoom();
    (offset_x / zoom, offset_y / zoom)
}

/// The width (layout px) a tree diagram gets: all its box offers, the canvas never more.
pub fn tree_width(canvas: &HtmlCanvasElement) -> f64 {
    available_width(canvas, u32::MAX) as f64
}

/// Draws a tree `scene` with its boxes where `camera` puts them.
pub fn draw_tree(
    canvas: &HtmlCanvasElement,
    view: &crate::model::view::TreeView,
    scene: &render::TreeScene,
    camera: render::TreeCamera,
) -> JsResult<()> {
    let label = scene.describe(view);
    let (view, scene) = (view.clone(), scene.clone());
    let size = scene.size(&Theme::new(1.0));
    draw_sized(canvas, chart(size, label, move |area, theme| render::draw_tree_scene(area, &view, theme, &scene, camera)))
}

pub fn draw_contributions(canvas: &HtmlCanvasElement, view: &crate::explain::ContributionsView) -> JsResult<()> {
    let w = available_width(canvas, 720);
    let h = render::contributions_height(view, &Theme::new(1.0), w);
    let view = view.clone();
    draw_sized(
        canvas,
        chart((w, h), alt::contributions(&view), move |area, theme| render::draw_contributions(area, &view, theme)),
    )
}

/// Draws a model's own view at the width its card offers.
pub fn draw_model_view(canvas: &HtmlCanvasElement, view: &crate::model::view::ModelView) -> JsResult<()> {
    let width = available_width(canvas, 1400);
    let size = render::model_view_size(view, &Theme::new(1.0), width);
    let view = view.clone();
    draw_sized(canvas, chart(size, alt::model_view(&view), move |area, theme| render::draw_model_view(area, &view, theme)))
}

pub fn draw_pareto(canvas: &HtmlCanvasElement, view: &crate::explain::ParetoView) -> JsResult<()> {
    let w = available_width(canvas, 760);
    let size = render::pareto_size(view, &Theme::new(1.0), w);
    let view = view.clone();
    draw_sized(canvas, chart(size, alt::pareto(&view), move |area, theme| render::draw_pareto(area, &view, theme)))
}

/// Draws a view at the width its card offers (at most `max_width` CSS px), at
/// the size its renderer asks for, described by `label`: one helper for
/// every evaluation view.
pub fn draw_view<V: Clone + 'static>(
    canvas: &HtmlCanvasElement,
    view: &V,
    max_width: u32,
    size: fn(&V, &Theme, u32) -> (u32, u32),
    draw: fn(&Area, &V, &Theme) -> Result<(), RenderError>,
    label: String,
) -> JsResult<()> {
    let width = available_width(canvas, max_width);
    let size = size(view, &Theme::new(1.0), width);
    let view = view.clone();
    draw_sized(canvas, chart(size, label, move |area, theme| draw(area, &view, theme)))
}

pub fn draw_importance(canvas: &HtmlCanvasElement, view: &crate::explain::ImportanceView) -> JsResult<()> {
    let w = available_width(canvas, 720);
    let h = render::importance_height(view, &Theme::new(1.0), w);
    let view = view.clone();
    draw_sized(canvas, chart((w, h), alt::importance(&view), move |area, theme| render::draw_importance(area, &view, theme)))
}

fn context(canvas: &HtmlCanvasElement) -> JsResult<CanvasRenderingContext2d> {
    canvas.get_context("2d")?.ok_or_else(|| JsValue::from_str("canvas has no 2D context"))?.dyn_into().map_err(JsValue::from)
}

/// The boundary's RGBA grid as an image the size of the grid.
fn grid_image(view: &BoundaryView) -> JsResult<HtmlCanvasElement> {
    let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&view.rgba), view.grid_width, view.grid_height)?;
    let grid: HtmlCanvasElement = create("canvas", None)?;
    grid.set_width(view.grid_width);
    grid.set_height(view.grid_height);
    context(&grid)?.put_image_data(&image, 0.0, 0.0)?;
    Ok(grid)
}

/// Puts the boundary's grid into the plot area in one `drawImage`
/// (plotters-canvas would issue a `fillRect` per pixel).
fn paint_grid(ctx: &CanvasRenderingContext2d, rect: PixelRect, grid: &Grid) -> JsResult<()> {
    // A full grid is drawn crisp; a coarser one (a live slider, a small
    // multiple) smoothed, so its cells do not read as false detail. Bands are
    // always crisp: their edges are the levels'.
    ctx.set_image_smoothing_enabled(!grid.crisp);
    ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
        &grid.image,
        rect.x as f64,
        rect.y as f64,
        rect.width as f64,
        rect.height as f64,
    )
}

fn js_error(e: RenderError) -> JsValue {
    JsValue::from_str(&e.to_string())
}

/// The chart on `canvas` drawn again at the device's pixel ratio (at least
/// [`MIN_EXPORT_RATIO`]) times the chart zoom, on an offscreen canvas: the
/// PNG's pixels. Its width and height are the canvas's CSS size times that ratio.
pub fn export_png(canvas: &HtmlCanvasElement) -> JsResult<HtmlCanvasElement> {
    let chart = chart_of(canvas)?;
    let (w, h) = chart.size;
    let ratio = web_sys::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0).max(MIN_EXPORT_RATIO);
    let scale = (ratio * chart_zoom()).min(MAX_BACKING_SIDE / w.max(h).max(1) as f64);
    let out: HtmlCanvasElement = create("canvas", None)?;
    out.set_width((w as f64 * scale).round() as u32);
    out.set_height((h as f64 * scale).round() as u32);
    paint(&out, &chart, scale)?;
    Ok(out)
}

/// The chart on `canvas` drawn again through plotters' SVG backend at its
/// layout size, the boundary's grid embedded as a PNG image.
pub fn export_svg(canvas: &HtmlCanvasElement) -> JsResult<String> {
    let chart = chart_of(canvas)?;
    let recording = render::record(chart.size, |area| (chart.draw)(area, &Theme::new(1.0))).map_err(js_error)?;
    let href = chart.grid.as_ref().map(|g| g.image.to_data_url()).transpose()?;
    recording.to_svg(href.as_deref(), chart.grid.as_ref().is_some_and(|g| g.crisp)).map_err(js_error)
}

/// The view a canvas shows, for its buttons and file names: its `data-view`,
/// else its test id without `-canvas`.
pub fn view_name(canvas: &Element) -> String {
    canvas
        .get_attribute("data-view")
        .or_else(|| canvas.get_attribute("data-testid").map(|id| id.trim_end_matches("-canvas").to_string()))
        .unwrap_or_else(|| "chart".to_string())
}

/// Gives a drawn canvas its "PNG" and "SVG" buttons, once, in a bar above it
/// (`app::export` answers their clicks).
fn export_buttons(canvas: &HtmlCanvasElement) -> JsResult<()> {
    let Some(parent) = canvas.parent_element() else { return Ok(()) };
    let view = view_name(canvas);
    if let Some(bar) = parent.query_selector(":scope > .export-bar")? {
        // A box whose canvas now shows another view (the Compare grid) renames its buttons.
        for button in [bar.first_element_child(), bar.last_element_child()].into_iter().flatten() {
            button.set_attribute("data-view", &view)?;
        }
        return Ok(());
    }
    let bar: Element = create("div", None)?;
    bar.set_class_name("export-bar");
    for (id, label, what) in [("export-png", "PNG", "a PNG picture"), ("export-svg", "SVG", "an SVG drawing")] {
        let button: Element = create("button", Some(label))?;
        button.set_attribute("type", "button")?;
        button.set_attribute("data-testid", id)?;
        button.set_attribute("data-view", &view)?;
        button.set_attribute("title", &format!("Download this chart as {what}"))?;
        bar.append_child(&button)?;
    }
    parent.insert_before(&bar, Some(canvas))?;
    Ok(())
}
