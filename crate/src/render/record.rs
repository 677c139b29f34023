//! A drawing kept as the list of calls a renderer made, to be played again on
//! any backend: the page's canvas, an offscreen canvas at another scale, or
//! plotters' SVG backend for a file. The renderers stay generic over
//! `DrawingBackend`; a [`Recording`] is one more backend, with no lifetime, so
//! the page can keep one function per view for every way out.
//!
//! The boundary plot's grid is not drawn by plotters (on the page it is one
//! `drawImage`): [`GridImage`] marks where it goes, and whoever plays the
//! recording puts the image there.

use std::cell::RefCell;
use std::rc::Rc;

use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::{DrawingBackend, IntoDrawingArea, SVGBackend};
use plotters::style::text_anchor::Pos;
use plotters::style::{FontDesc, FontFamily, FontStyle, FontTransform, TextStyle};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind};

use super::{PixelRect, RenderError};

/// A stroke or fill as the backend got it.
#[derive(Clone, Copy)]
struct Stroke {
    color: BackendColor,
    width: u32,
}

impl Stroke {
    fn of<S: BackendStyle>(style: &S) -> Stroke {
        Stroke { color: style.color(), width: style.stroke_width() }
    }
}

impl BackendStyle for Stroke {
    fn color(&self) -> BackendColor {
        self.color
    }
    fn stroke_width(&self) -> u32 {
        self.width
    }
}

/// A text call with everything the backends read of its style.
struct Text {
    text: String,
    pos: BackendCoord,
    family: String,
    size: f64,
    style: FontStyle,
    transform: FontTransform,
    color: BackendColor,
    anchor: Pos,
}

/// One call a renderer made.
enum Op {
    Pixel(BackendCoord, BackendColor),
    Line(BackendCoord, BackendCoord, Stroke),
    Rect(BackendCoord, BackendCoord, Stroke, bool),
    Path(Vec<BackendCoord>, Stroke),
    Circle(BackendCoord, u32, Stroke, bool),
    Polygon(Vec<BackendCoord>, Stroke),
    Text(Box<Text>),
    /// Where the boundary's grid image goes.
    Grid(PixelRect),
}

/// A drawing of `size` device pixels, as the list of its calls. Clones share
/// the list: plotters keeps the backend it draws on, so [`record`] keeps a clone.
#[derive(Clone)]
pub struct Recording {
    size: (u32, u32),
    ops: Rc<RefCell<Vec<Op>>>,
}

/// Recording never fails; plotters wants an error type all the same.
pub type Never = std::convert::Infallible;

impl Recording {
    pub fn new(size: (u32, u32)) -> Recording {
        Recording { size, ops: Rc::default() }
    }

    fn push(&mut self, op: Op) {
        self.ops.borrow_mut().push(op);
    }

    /// Whether a renderer put a grid image in this drawing.
    pub fn has_grid(&self) -> bool {
        self.ops.borrow().iter().any(|op| matches!(op, Op::Grid(_)))
    }

    /// The drawing as an element to draw on any area, calling `grid` with
    /// the backend where the grid image goes.
    pub fn playback<F>(&self, grid: F) -> Playback<'_, F> {
        Playback { recording: self, grid, font_scale: 1.0 }
    }

    /// The drawing as an SVG document through plotters' SVG backend, the grid
    /// (if any) as an `<image>` of `grid_href` (a PNG data URL), stretched
    /// over its rectangle; `crisp` keeps its cells sharp.
    pub fn to_svg(&self, grid_href: Option<&str>, crisp: bool) -> Result<String, RenderError> {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, self.size).into_drawing_area();
            // The SVG backend writes only plotters' elements: the grid goes in as
            // a rectangle of a colour no renderer uses, swapped for the image below.
            let playback = Playback {
                font_scale: SVG_FONT_SCALE,
                ..self.playback(|b: &mut SVGBackend, r: PixelRect| {
                    b.draw_rect((r.x, r.y), (r.x + r.width, r.y + r.height), &MARKER, true)
                })
            };
            area.draw(&playback)?;
            area.present()?;
        }
        let marker = format!("fill=\"#{:02X}{:02X}{:02X}\"", MARKER.rgb.0, MARKER.rgb.1, MARKER.rgb.2);
        let ops = self.ops.borrow();
        let mut grids = ops.iter().filter_map(|op| match op {
            Op::Grid(rect) => Some(*rect),
            _ => None,
        });
        let mut out = String::with_capacity(svg.len());
        let mut rest = svg.as_str();
        while let Some(at) = rest.find(&marker) {
            let (Some(start), Some(len), Some(rect)) = (rest[..at].rfind("<rect"), rest[at..].find("/>"), grids.next())
            else {
                return Err(RenderError::Backend("the grid's place in the SVG was lost".into()));
            };
            let href = grid_href.ok_or_else(|| RenderError::Backend("the grid has no image to embed".into()))?;
            out.push_str(&rest[..start]);
            out.push_str(&format!(
                "<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"none\"{} href=\"{}\"/>",
                rect.x,
                rect.y,
                rect.width,
                rect.height,
                if crisp { " style=\"image-rendering:pixelated\"" } else { "" },
                href
            ));
            rest = &rest[at + len + 2..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// plotters' SVG backend writes a font's size over 1.24 (plotters-svg 0.3.7),
/// the canvas backend the size itself: the SVG's text is played this much
/// bigger, so it is as big as the canvas's and fits the room measured for it.
const SVG_FONT_SCALE: f64 = 1.24;

/// The stand-in colour of the grid in [`Recording::to_svg`]: no renderer draws it.
const MARKER: BackendColor = BackendColor { alpha: 1.0, rgb: (1, 2, 3) };

impl DrawingBackend for Recording {
    type ErrorType = Never;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Never>> {
        Ok(())
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<Never>> {
        self.push(Op::Pixel(point, color));
        Ok(())
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.push(Op::Line(from, to, Stroke::of(style)));
        Ok(())
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.push(Op::Rect(upper_left, bottom_right, Stroke::of(style), fill));
        Ok(())
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.push(Op::Path(path.into_iter().collect(), Stroke::of(style)));
        Ok(())
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.push(Op::Circle(center, radius, Stroke::of(style), fill));
        Ok(())
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.push(Op::Polygon(vert.into_iter().collect(), Stroke::of(style)));
        Ok(())
    }
    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Never>> {
        self.push(Op::Text(Box::new(Text {
            text: text.to_string(),
            pos,
            family: style.family().as_str().to_string(),
            size: style.size(),
            style: style.style(),
            transform: style.transform(),
            color: style.color(),
            anchor: style.anchor(),
        })));
        Ok(())
    }
}

/// A [`Recording`] played on whatever area draws it ([`Recording::playback`]).
pub struct Playback<'a, F> {
    recording: &'a Recording,
    grid: F,
    /// How much bigger than recorded text is played.
    font_scale: f64,
}

impl<'b, F> PointCollection<'b, (i32, i32)> for &'b Playback<'_, F> {
    type Point = (i32, i32);
    type IntoIter = std::iter::Once<(i32, i32)>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once((0, 0))
    }
}

impl<DB, F> Drawable<DB> for Playback<'_, F>
where
    DB: DrawingBackend,
    F: Fn(&mut DB, PixelRect) -> Result<(), DrawingErrorKind<DB::ErrorType>>,
{
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        _pos: I,
        backend: &mut DB,
        _parent: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        for op in self.recording.ops.borrow().iter() {
            match op {
                Op::Pixel(at, color) => backend.draw_pixel(*at, *color)?,
                Op::Line(from, to, stroke) => backend.draw_line(*from, *to, stroke)?,
                Op::Rect(from, to, stroke, fill) => backend.draw_rect(*from, *to, stroke, *fill)?,
                Op::Path(points, stroke) => backend.draw_path(points.iter().copied(), stroke)?,
                Op::Circle(at, radius, stroke, fill) => backend.draw_circle(*at, *radius, stroke, *fill)?,
                Op::Polygon(points, stroke) => backend.fill_polygon(points.iter().copied(), stroke)?,
                Op::Text(text) => {
                    let font =
                        FontDesc::new(FontFamily::from(text.family.as_str()), text.size * self.font_scale, text.style)
                            .transform(text.transform.clone());
                    let style = TextStyle { font, color: text.color, pos: text.anchor };
                    backend.draw_text(&text.text, &style, text.pos)?
                }
                Op::Grid(rect) => (self.grid)(backend, *rect)?,
            }
        }
        Ok(())
    }
}

/// Where the boundary's grid image goes, drawn on a [`Recording`] as a mark
/// that its player fills ([`Recording::playback`]'s `grid`).
pub struct GridImage(pub PixelRect);

impl<'a> PointCollection<'a, (i32, i32)> for &'a GridImage {
    type Point = (i32, i32);
    type IntoIter = std::iter::Once<(i32, i32)>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once((self.0.x, self.0.y))
    }
}

impl Drawable<Recording> for GridImage {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        _pos: I,
        backend: &mut Recording,
        _parent: (u32, u32),
    ) -> Result<(), DrawingErrorKind<Never>> {
        backend.push(Op::Grid(self.0));
        Ok(())
    }
}

/// Marks the grid's place on a recording (the boundary's `paint_grid` on the page).
pub fn mark_grid(area: &DrawingArea<Recording, Shift>, rect: PixelRect) -> Result<(), RenderError> {
    area.draw(&GridImage(rect)).map_err(RenderError::from)
}

/// Records what `draw` draws on a `size` drawing.
pub fn record(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<Recording, Shift>) -> Result<(), RenderError>,
) -> Result<Recording, RenderError> {
    let recording = Recording::new(size);
    let area = recording.clone().into_drawing_area();
    draw(&area)?;
    area.present()?;
    Ok(recording)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use plotters::prelude::*;

    /// The SVG's text is as big as the canvas's: a 20 px font is written as
    /// `font-size="20"`, not plotters' 20 / 1.24.
    #[test]
    fn svg_text_keeps_the_canvas_size() {
        crate::render::golden::register_test_font();
        let recording = record((200, 100), |area| {
            area.draw_text("Title", &TextStyle::from(("sans-serif", 20.0).into_font()).color(&BLACK), (10, 10))?;
            Ok(())
        })
        .unwrap();
        let svg = recording.to_svg(None, false).unwrap();
        assert!(svg.contains("font-size=\"20\""), "{svg}");
        assert!(svg.contains(">\nTitle\n</text>"), "{svg}");
    }
}
