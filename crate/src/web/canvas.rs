//! Canvases sized for the screen: the backing store is the CSS size times the
//! device pixel ratio, so text and lines stay crisp on HiDPI screens, and the
//! renderers draw at that scale through plotters-canvas.
//!
//! In presentation mode (the page's root has the class `present`) every chart
//! is laid out for a card [`PRESENT_ZOOM`] times narrower and drawn that much
//! bigger: the same picture, text and all, fills the same card at a size a
//! projector's audience can read.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{Clamped, JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use super::dom::{self, create, JsResult};
use crate::explain::{BoundaryView, PointView};
use crate::render::{self, PixelRect, PlotMapping, RenderError, Theme};

/// Browsers refuse canvases much beyond this many pixels per side.
const MAX_BACKING_SIDE: f64 = 16_000.0;

/// Narrowest chart, layout px: below this a chart would be no use, and a card
/// this narrow is a phone's, which scrolls sideways anyway.
const MIN_WIDTH: u32 = 200;

/// How much bigger presentation mode draws every chart (and the CSS the text).
pub const PRESENT_ZOOM: f64 = 1.4;

pub type Area = DrawingArea<CanvasBackend, Shift>;

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

/// Sizes `canvas` to a `w × h` layout px chart (CSS px times [`chart_zoom`]) and
/// draws on it with `draw`.
fn draw_sized(
    canvas: &HtmlCanvasElement,
    w: u32,
    h: u32,
    draw: impl FnOnce(&Area, &Theme) -> Result<(), RenderError>,
) -> JsResult<()> {
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
    let backend =
        CanvasBackend::with_canvas_object(canvas.clone()).ok_or_else(|| JsValue::from_str("canvas has no 2D context"))?;
    let area = backend.into_drawing_area();
    let theme = Theme::new(scale);
    draw(&area, &theme).map_err(|e| JsValue::from_str(&e.to_string()))?;
    area.present().map_err(|e| JsValue::from_str(&e.to_string()))
}

/// Width (layout px) available to a canvas: its parent's content width, over [`chart_zoom`].
fn available_width(canvas: &HtmlCanvasElement, max: u32) -> u32 {
    let parent = canvas.parent_element().map(|p| p.client_width()).unwrap_or(0).max(0) as f64;
    ((parent / chart_zoom()).floor() as u32).clamp(MIN_WIDTH, max.max(MIN_WIDTH))
}

/// Draws the boundary plot, with an inspected point marked if there is one;
/// returns where the plot landed (device pixels), to turn clicks into data.
pub fn draw_boundary(canvas: &HtmlCanvasElement, view: &BoundaryView, marks: Option<&PointView>) -> JsResult<PlotMapping> {
    // What the picture shows, for screen readers; the path text says what a click found.
    canvas.set_attribute("aria-label", &super::text::boundary_label(view))?;
    let (w, h) = render::boundary_size(view, &Theme::new(1.0), available_width(canvas, 720));
    let ctx = context(canvas)?;
    let mut mapping = None;
    draw_sized(canvas, w, h, |area, theme| {
        let m = render::draw_boundary(area, view, theme, |_, rect| paint_grid(&ctx, rect, view).map_err(js_render_error))?;
        if let Some(point) = marks {
            render::draw_point_marks(area, view, &m, point, theme)?;
        }
        mapping = Some(m);
        Ok(())
    })?;
    mapping.ok_or_else(|| JsValue::from_str("the boundary was not drawn"))
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
    canvas.set_attribute("aria-label", &scene.describe(view))?;
    let (w, h) = scene.size(&Theme::new(1.0));
    draw_sized(canvas, w, h, |area, theme| render::draw_tree_scene(area, view, theme, scene, camera))
}

pub fn draw_contributions(canvas: &HtmlCanvasElement, view: &crate::explain::ContributionsView) -> JsResult<()> {
    use crate::base::format_significant;
    let parts: Vec<String> = view.items.iter().map(|(name, c)| format!("{name}: {}", format_significant(*c, 3))).collect();
    canvas.set_attribute(
        "aria-label",
        &format!(
            "{}. Intercept {}; {}; total {}.",
            view.title,
            format_significant(view.intercept, 3),
            parts.join("; "),
            format_significant(view.total, 3)
        ),
    )?;
    let w = available_width(canvas, 720);
    let h = render::contributions_height(view, &Theme::new(1.0), w);
    draw_sized(canvas, w, h, |area, theme| render::draw_contributions(area, view, theme))
}

/// Draws a model's own view at the width its card offers.
pub fn draw_model_view(canvas: &HtmlCanvasElement, view: &crate::model::view::ModelView) -> JsResult<()> {
    let width = available_width(canvas, 1400);
    let (w, h) = render::model_view_size(view, &Theme::new(1.0), width);
    draw_sized(canvas, w, h, |area, theme| render::draw_model_view(area, view, theme))
}

pub fn draw_pareto(canvas: &HtmlCanvasElement, view: &crate::explain::ParetoView) -> JsResult<()> {
    let w = available_width(canvas, 760);
    let (w, h) = render::pareto_size(view, &Theme::new(1.0), w);
    draw_sized(canvas, w, h, |area, theme| render::draw_pareto(area, view, theme))
}

/// Draws a view at the width its card offers (at most `max_width` CSS px), at
/// the size its renderer asks for: one helper for every evaluation view.
pub fn draw_view<V>(
    canvas: &HtmlCanvasElement,
    view: &V,
    max_width: u32,
    size: fn(&V, &Theme, u32) -> (u32, u32),
    draw: fn(&Area, &V, &Theme) -> Result<(), RenderError>,
) -> JsResult<()> {
    let width = available_width(canvas, max_width);
    let (w, h) = size(view, &Theme::new(1.0), width);
    draw_sized(canvas, w, h, |area, theme| draw(area, view, theme))
}

pub fn draw_importance(canvas: &HtmlCanvasElement, view: &crate::explain::ImportanceView) -> JsResult<()> {
    let w = available_width(canvas, 720);
    let h = render::importance_height(view, &Theme::new(1.0), w);
    draw_sized(canvas, w, h, |area, theme| render::draw_importance(area, view, theme))
}

fn context(canvas: &HtmlCanvasElement) -> JsResult<CanvasRenderingContext2d> {
    canvas.get_context("2d")?.ok_or_else(|| JsValue::from_str("canvas has no 2D context"))?.dyn_into().map_err(JsValue::from)
}

/// Puts the boundary's RGBA grid into the plot area in one `drawImage`
/// (plotters-canvas would issue a `fillRect` per pixel).
fn paint_grid(ctx: &CanvasRenderingContext2d, rect: PixelRect, view: &BoundaryView) -> JsResult<()> {
    let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&view.rgba), view.grid_width, view.grid_height)?;
    let grid: HtmlCanvasElement = create("canvas", None)?;
    grid.set_width(view.grid_width);
    grid.set_height(view.grid_height);
    context(&grid)?.put_image_data(&image, 0.0, 0.0)?;
    // A full grid is drawn crisp; a coarser one (a live slider, a small
    // multiple) smoothed, so its cells do not read as false detail. Bands
    // never are: their edges are the levels'.
    let banded = !(view.x.levels.is_empty() && view.y.levels.is_empty());
    ctx.set_image_smoothing_enabled(!banded && view.grid_width < crate::session::FULL_GRID);
    ctx.draw_image_with_html_canvas_element_and_dw_and_dh(
        &grid,
        rect.x as f64,
        rect.y as f64,
        rect.width as f64,
        rect.height as f64,
    )
}

fn js_render_error(e: JsValue) -> RenderError {
    RenderError::Backend(e.as_string().unwrap_or_else(|| format!("{e:?}")))
}
