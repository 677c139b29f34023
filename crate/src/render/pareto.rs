//! Test score against cost on a log scale, each model a labelled point, the
//! Pareto front drawn as a staircase: what each step up in accuracy costs.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{
    bottom_axis_height, draw_axis, draw_axis_labelled, fitting_ticks, left_axis_width, padded_range, to_pixel, Side,
};
use super::boundary::{draw_arrow, PixelRect};
use super::legend::{draw_legend, draw_legend_of, Mark, ROW_HEIGHT};
use super::text::{anchor, draw_text, draw_title, text_width, title_height, Font};
use super::theme::{class_color, ink, size, Theme};
use super::RenderError;
use crate::base::format_number;
use crate::explain::ParetoView;

/// Outer margin, CSS px.
const MARGIN: f64 = 16.0;
/// Radius of a model's point, CSS px.
const RADIUS: f64 = 6.0;

/// Size (device px) of the chart across `width` device px.
pub fn pareto_size(view: &ParetoView, theme: &Theme, width: u32) -> (u32, u32) {
    let plot = (width as f64 * 0.5).clamp(theme.px(220.0), theme.px(380.0));
    (
        width,
        (header_height(&view.title, theme, width as f64) + plot + bottom_axis_height(theme) + theme.px(MARGIN)).ceil()
            as u32,
    )
}

/// Room above the plot for the title and one legend row, device px (the
/// fold scores' strip shares it).
pub(crate) fn header_height(title: &str, theme: &Theme, width: f64) -> f64 {
    theme.px(MARGIN + 4.0 + 8.0) + title_height(title, theme, width, theme.px(MARGIN)) + theme.px(ROW_HEIGHT)
}

/// Draws `view` into `area` (best at [`pareto_size`]).
pub fn draw_pareto<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &ParetoView,
    theme: &Theme,
) -> Result<(), RenderError> {
    area.fill(&WHITE)?;
    let (width, height) = area.dim_in_pixel();
    let (width, height) = (width as f64, height as f64);
    let margin = theme.px(MARGIN);
    let below_title = draw_title(area, theme, &view.title, margin)?;
    let front_color = class_color(0);
    let code_color = class_color(1);
    let mut legend =
        vec![(Mark::Train(front_color), "Pareto front".to_string()), (Mark::Train(ink::TRACK), "beaten".to_string())];
    let legend_at = (margin, below_title + theme.px(4.0));
    if view.points.iter().any(|p| p.exported) {
        // Wider cells, so that the third entry's words fit beside the two.
        legend.push((Mark::Faded { color: code_color, test: false }, "exported code".to_string()));
        draw_legend_of(area, theme, &legend, legend_at, width - 2.0 * margin, 150.0)?;
    } else {
        draw_legend(area, theme, &legend, legend_at, width - 2.0 * margin)?;
    }

    let points: Vec<_> = view.points.iter().filter(|p| p.cost > 0.0 && p.cost.is_finite() && p.score.is_finite()).collect();
    let logs = || points.iter().map(|p| p.cost.log10());
    let (lo, hi) = (logs().fold(f64::INFINITY, f64::min), logs().fold(f64::NEG_INFINITY, f64::max));
    // Whole decades around the points, so the ticks are 1, 10, 100, …
    let x_range = if lo.is_finite() { (lo.floor() - 0.15, hi.ceil() + 0.15) } else { (0.0, 1.0) };
    let scores = || points.iter().map(|p| p.score);
    let (low, high) = padded_range(scores().fold(f64::INFINITY, f64::min), scores().fold(f64::NEG_INFINITY, f64::max));
    // Room above for the top label and below for the lowest point.
    let room = (high - low) * 0.12;
    let y_range = (low - room, high + room);

    let top = header_height(&view.title, theme, width);
    let plot_bottom = height - margin - bottom_axis_height(theme);
    let y_ticks = fitting_ticks(area, theme, y_range, plot_bottom - top, Side::Left)?;
    let left = margin + left_axis_width(area, theme, &y_ticks)?;
    let plot = PixelRect {
        x: left.round() as i32,
        y: top.round() as i32,
        width: (width - margin - left).max(1.0).round() as i32,
        height: (plot_bottom - top).max(1.0).round() as i32,
    };
    let decades: Vec<f64> = ((x_range.0.ceil() as i32)..=(x_range.1.floor() as i32)).map(f64::from).collect();
    draw_axis_labelled(area, theme, plot, Side::Bottom, (x_range, &decades), &view.x_label, true, &|t| {
        format_number(10f64.powf(t))
    })?;
    draw_axis(area, theme, plot, Side::Left, (y_range, &y_ticks), &view.y_label, true)?;

    let at = |cost: f64, score: f64| {
        (
            to_pixel(cost.log10(), x_range, plot.x as f64, plot.width as f64),
            to_pixel(score, y_range, (plot.y + plot.height) as f64, -(plot.height as f64)),
        )
    };
    // The front as a staircase from the cheapest model up to the best.
    let mut front: Vec<_> = points.iter().filter(|p| p.on_front).collect();
    front.sort_by(|a, b| a.cost.total_cmp(&b.cost));
    let mut stairs = Vec::new();
    for (i, p) in front.iter().enumerate() {
        let (x, y) = at(p.cost, p.score);
        if i > 0 {
            let (_, prev_y) = at(front[i - 1].cost, front[i - 1].score);
            stairs.push((x.round() as i32, prev_y.round() as i32));
        }
        stairs.push((x.round() as i32, y.round() as i32));
    }
    area.draw(&PathElement::new(stairs, theme.stroke(2.0, front_color)))?;
    // Teacher → student arrows, from rim to rim of their points.
    for &(from, to) in &view.arrows {
        let (Some(a), Some(b)) = (view.points.get(from), view.points.get(to)) else { continue };
        let (a, b) = (at(a.cost, a.score), at(b.cost, b.score));
        let length = (b.0 - a.0).hypot(b.1 - a.1);
        let rim = theme.px(RADIUS + 3.0);
        if length > 2.0 * rim {
            let (ux, uy) = ((b.0 - a.0) / length, (b.1 - a.1) / length);
            draw_arrow(area, (a.0 + ux * rim, a.1 + uy * rim), (b.0 - ux * rim, b.1 - uy * rim), theme)?;
        }
    }

    // Points, then labels above them (clear of the staircase through their centers),
    // each moved below, or further out, while it would cover an earlier one.
    let label_font = Font::new(size::BODY, ink::TEXT);
    let line = label_font.line_height(theme);
    let mut taken: Vec<(f64, f64, f64, f64)> = Vec::new();
    for p in &points {
        let (x, y) = at(p.cost, p.score);
        // Exported code is a hollow ring in its own color, with the front's dot inside when on the front.
        let (fill, outline, stroke) = match (p.exported, p.on_front) {
            (true, _) => (WHITE, code_color, 2.5),
            (false, true) => (front_color, ink::OUTLINE, 1.5),
            (false, false) => (WHITE, ink::AXIS, 1.5),
        };
        let center = (x.round() as i32, y.round() as i32);
        area.draw(&Circle::new(center, theme.ipx(RADIUS), theme.fill(fill)))?;
        area.draw(&Circle::new(center, theme.ipx(RADIUS), theme.stroke(stroke, outline)))?;
        if p.exported && p.on_front {
            area.draw(&Circle::new(center, theme.ipx(RADIUS * 0.45), theme.fill(front_color)))?;
        }
    }
    for p in &points {
        let (x, y) = at(p.cost, p.score);
        let w = text_width(area, theme, label_font, &p.name)?;
        let right_side = x + theme.px(RADIUS) + w <= (plot.x + plot.width) as f64;
        let lx = if right_side { x + theme.px(RADIUS) } else { x - theme.px(RADIUS) - w };
        // An arrow's head comes in from above: its point's label goes below.
        let target = view.arrows.iter().any(|&(_, to)| view.points.get(to).is_some_and(|q| std::ptr::eq(q, *p)));
        let (above, below) = (y - theme.px(RADIUS) - line, y + theme.px(RADIUS));
        let (near, far) = if target { (below, above) } else { (above, below) };
        // Its own side, then a line further out, then the other side: the
        // first place clear of earlier labels and inside the plot (a label
        // pushed up out of it would cover the legend).
        let out = if target { line } else { -line };
        let places = [near, near + out, far, far - out, near + 2.0 * out, far - 2.0 * out];
        let free = |ly: f64| !taken.iter().any(|&(a, b, c, d)| lx < c && lx + w > a && ly < d && ly + line > b);
        let inside = |ly: f64| ly >= plot.y as f64 && ly + line <= (plot.y + plot.height) as f64;
        let ly = places
            .iter()
            .copied()
            .find(|&ly| free(ly) && inside(ly))
            .or_else(|| places.iter().copied().find(|&ly| free(ly)))
            .unwrap_or(near);
        taken.push((lx, ly, lx + w, ly + line));
        draw_text(area, theme, label_font, &p.name, (lx, ly), anchor(HPos::Left, VPos::Top))?;
    }
    Ok(())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::render::golden::assert_golden;

    #[test]
    fn pareto_golden() {
        let view = ParetoView::new(
            "Test accuracy against size — penguins".into(),
            "parameters (log scale)".into(),
            "test accuracy".into(),
            vec![
                ("Decision tree (CART)".into(), 53.0, 0.957),
                ("Random forest".into(), 9_120.0, 0.986),
                ("Logistic regression".into(), 33.0, 0.971),
                ("k-nearest neighbours".into(), 2_475.0, 0.957),
                ("Naive Bayes".into(), 63.0, 0.942),
                ("Histogram gradient boosting".into(), 14_380.0, 0.971),
            ],
        );
        let theme = Theme::default();
        assert_golden("pareto", pareto_size(&view, &theme, 640), |area| draw_pareto(area, &view, &theme));
    }

    /// On a phone's card (340 px): the best model's label would be pushed up
    /// into the legend by its neighbour's; it goes below its point instead.
    #[test]
    fn pareto_narrow_golden() {
        let view = ParetoView::new(
            "Test accuracy against parameters".into(),
            "parameters (log scale)".into(),
            "test accuracy".into(),
            vec![
                ("Decision tree (CART)".into(), 53.0, 0.957),
                ("Logistic regression".into(), 33.0, 0.986),
                ("k-nearest neighbours".into(), 2_900.0, 0.986),
            ],
        );
        let theme = Theme::default();
        assert_golden("pareto_narrow", pareto_size(&view, &theme, 340), |area| draw_pareto(area, &view, &theme));
    }

    /// A distillation: the forest (teacher) and the depth-4 tree learned from
    /// it, joined by an arrow from teacher to student.
    #[test]
    fn pareto_distilled_golden() {
        let mut view = ParetoView::new(
            "Test accuracy against serialized size, bytes".into(),
            "serialized size, bytes (log scale)".into(),
            "test accuracy".into(),
            vec![
                ("Random forest (teacher)".into(), 91_000.0, 0.986),
                ("Depth-4 decision tree (student)".into(), 420.0, 0.971),
            ],
        );
        view.arrows.push((0, 1));
        let theme = Theme::default();
        assert_golden("pareto_distilled", pareto_size(&view, &theme, 640), |area| draw_pareto(area, &view, &theme));
    }

    /// Compared models and the trained forest exported as code at f32,
    /// f16 and int8: hollow points at its constants' bytes, named by precision.
    #[test]
    fn pareto_quantized_golden() {
        let mut view = ParetoView::new(
            "Accuracy against serialized size, bytes".into(),
            "bytes: serialized model, or the code's constants (log scale)".into(),
            "accuracy".into(),
            vec![
                ("Decision tree (CART)".into(), 1_450.0, 0.942),
                ("Random forest".into(), 38_000.0, 0.957),
                ("Logistic regression".into(), 420.0, 0.93),
                ("code f32".into(), 64_216.0, 0.957),
                ("code f16".into(), 27_136.0, 0.957),
                ("code int8".into(), 23_368.0, 0.957),
            ],
        );
        view.points[3..].iter_mut().for_each(|p| p.exported = true);
        let theme = Theme::default();
        assert_golden("pareto_quantized", pareto_size(&view, &theme, 640), |area| draw_pareto(area, &view, &theme));
    }
}
