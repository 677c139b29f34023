//! The network diagram: one column of units per layer, inputs named on the left and
//! outputs on the right, every connection a line whose width and strength grow with
//! the size of its weight and whose color says its sign.
//!
//! A layer too tall to draw legibly shows only its [`MAX_UNITS`] units with the
//! largest outgoing weights (incoming, for the outputs) and says so under the layer,
//! so nothing is hidden silently.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{Color, RGBColor};

use super::legend::{draw_legend, Mark, ROW_HEIGHT};
use super::text::{anchor, draw_text, draw_title, fit, text_width, title_height, Font};
use super::theme::{ink, sign, size, Theme};
use super::RenderError;
use crate::base::format_count;
use crate::model::view::NetworkView;

/// Outer margin, CSS px.
const MARGIN: f64 = 16.0;
/// Narrowest diagram, CSS px.
const MIN_WIDTH: f64 = 480.0;
/// Vertical distance between units of a column, CSS px.
const PITCH: f64 = 22.0;
/// Radius of a unit, CSS px.
const RADIUS: f64 = 6.0;
/// Most units drawn per layer: beyond that the circles and names no longer read.
pub const MAX_UNITS: usize = 24;
/// Largest share of the width each side's names may take.
const LABEL_SHARE: f64 = 0.28;
/// Gap between a unit and its name, and between header rows, CSS px.
const GAP: f64 = 8.0;
/// Thinnest and thickest connection, CSS px.
const LINE_MIN: f64 = 0.6;
const LINE_MAX: f64 = 4.0;
/// Connections between two columns up to which lines keep their full width.
const DENSE_LINES: f64 = 48.0;

/// Pixel size (device px at `theme.scale`) of the diagram of `view` drawn into
/// `width` device px (widened to the narrowest legible diagram).
pub fn network_size(view: &NetworkView, theme: &Theme, width: u32) -> (u32, u32) {
    let width = (width as f64).max(theme.px(MIN_WIDTH));
    (width.ceil() as u32, Plan::new(view, theme, width).height.ceil() as u32)
}

/// Draws the network diagram of `view` into `area` (best at [`network_size`]).
pub fn draw_network<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &NetworkView,
    theme: &Theme,
) -> Result<(), RenderError> {
    area.fill(&WHITE)?;
    let width = area.dim_in_pixel().0 as f64;
    let plan = Plan::new(view, theme, width);
    let margin = theme.px(MARGIN);
    let below_title = draw_title(area, theme, &view.title, margin)?;
    let legend_top = below_title + theme.px(GAP);
    let entries = [
        (Mark::Square(sign::POSITIVE), "positive weight".to_string()),
        (Mark::Square(sign::NEGATIVE), "negative weight".to_string()),
    ];
    draw_legend(area, theme, &entries, (margin, legend_top), width - 2.0 * margin)?;
    let note_font = Font::new(size::SMALL, ink::MUTED);
    let mut notes = vec!["Line width and strength grow with |weight|, scaled within each layer.".to_string()];
    if plan.summarized {
        notes.push(format!("Layers over {MAX_UNITS} units show their {MAX_UNITS} units with the largest weights in total."));
    }
    for (i, note) in notes.iter().enumerate() {
        let note = fit(area, theme, note_font, note, width - 2.0 * margin)?;
        let y = legend_top + theme.px(ROW_HEIGHT + 2.0) + i as f64 * note_font.line_height(theme);
        draw_text(area, theme, note_font, &note, (margin, y), anchor(HPos::Left, VPos::Top))?;
    }
    if view.layers.len() < 2 {
        return Ok(());
    }

    // Room for the names: as wide as the widest, within a share of the width.
    let name_font = Font::new(size::BODY, ink::TEXT);
    let names = |layer: usize, all: &[String]| -> Vec<String> {
        plan.shown[layer].iter().map(|&u| all.get(u).cloned().unwrap_or_default()).collect()
    };
    let (inputs, outputs) = (names(0, &view.input_names), names(view.layers.len() - 1, &view.output_names));
    let widest = |texts: &[String]| -> Result<f64, RenderError> {
        texts.iter().try_fold(0.0f64, |m, t| Ok(m.max(text_width(area, theme, name_font, t)?)))
    };
    let gap = theme.px(GAP);
    let left_room = widest(&inputs)?.min(width * LABEL_SHARE);
    let right_room = widest(&outputs)?.min(width * LABEL_SHARE);
    let radius = theme.px(RADIUS);
    let x_first = margin + left_room + gap + radius;
    let x_last = (width - margin - right_room - gap - radius).max(x_first + 1.0);
    let step = (x_last - x_first) / (view.layers.len() - 1) as f64;
    let xs: Vec<f64> = (0..view.layers.len()).map(|l| x_first + l as f64 * step).collect();
    let ys: Vec<Vec<f64>> = plan.shown.iter().map(|units| plan.column_ys(units.len(), theme)).collect();

    plan.draw_captions(area, view, theme, &xs, width)?;
    plan.draw_connections(area, view, theme, &xs, &ys)?;
    for (l, units) in plan.shown.iter().enumerate() {
        let hidden = l > 0 && l + 1 < view.layers.len();
        let fill = if hidden { ink::WHITE } else { ink::TRACK };
        for &y in &ys[l][..units.len()] {
            let c = (xs[l].round() as i32, y.round() as i32);
            area.draw(&Circle::new(c, radius.round() as i32, theme.fill(fill)))?;
            area.draw(&Circle::new(c, radius.round() as i32, theme.stroke(1.0, ink::OUTLINE)))?;
        }
    }
    for (name, &y) in inputs.iter().zip(&ys[0]) {
        let name = fit(area, theme, name_font, name, left_room)?;
        draw_text(area, theme, name_font, &name, (xs[0] - radius - gap, y), anchor(HPos::Right, VPos::Center))?;
    }
    let last = view.layers.len() - 1;
    for (name, &y) in outputs.iter().zip(&ys[last]) {
        let name = fit(area, theme, name_font, name, right_room)?;
        draw_text(area, theme, name_font, &name, (xs[last] + radius + gap, y), anchor(HPos::Left, VPos::Center))?;
    }
    Ok(())
}

/// The units each layer shows: all of them, or the [`MAX_UNITS`] whose outgoing
/// weights (incoming, for the output layer) are largest in total magnitude, in
/// their own order.
pub fn shown_units(view: &NetworkView, layer: usize) -> Vec<usize> {
    let n = view.layers.get(layer).copied().unwrap_or(0);
    if n <= MAX_UNITS {
        return (0..n).collect();
    }
    let mut strength = vec![0.0f64; n];
    if layer + 1 < view.layers.len() {
        for (k, w) in view.weights.get(layer).into_iter().flatten().enumerate() {
            strength[k % n] += w.abs() as f64;
        }
    } else if let Some(weights) = layer.checked_sub(1).and_then(|l| view.weights.get(l)) {
        let n_in = view.layers[layer - 1].max(1);
        for (k, w) in weights.iter().enumerate() {
            if let Some(s) = strength.get_mut(k / n_in) {
                *s += w.abs() as f64;
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| strength[b].total_cmp(&strength[a]).then(a.cmp(&b)));
    order.truncate(MAX_UNITS);
    order.sort_unstable();
    order
}

/// The diagram's geometry that does not depend on measuring text.
struct Plan {
    shown: Vec<Vec<usize>>,
    /// Whether some layer shows only part of its units.
    summarized: bool,
    /// Top of the layer captions, device px.
    captions_top: f64,
    /// Top of the tallest column, device px.
    body_top: f64,
    /// Height of the tallest column, device px.
    body_height: f64,
    height: f64,
}

impl Plan {
    fn new(view: &NetworkView, theme: &Theme, width: f64) -> Plan {
        let shown: Vec<Vec<usize>> = (0..view.layers.len()).map(|l| shown_units(view, l)).collect();
        let summarized = shown.iter().zip(&view.layers).any(|(s, &n)| s.len() < n);
        let small = Font::new(size::SMALL, ink::MUTED).line_height(theme);
        let note_lines = if summarized { 2.0 } else { 1.0 };
        let captions_top = theme.px(MARGIN + GAP + ROW_HEIGHT + 2.0 + GAP)
            + title_height(&view.title, theme, width, theme.px(MARGIN))
            + note_lines * small;
        let body_top = captions_top + 2.0 * small + theme.px(GAP);
        let tallest = shown.iter().map(Vec::len).max().unwrap_or(0);
        let body_height = theme.px(tallest as f64 * PITCH);
        let height = body_top + body_height + theme.px(MARGIN);
        Plan { shown, summarized, captions_top, body_top, body_height, height }
    }

    /// Centres of `count` units, the column centred on the tallest one.
    fn column_ys(&self, count: usize, theme: &Theme) -> Vec<f64> {
        let top = self.body_top + (self.body_height - theme.px(count as f64 * PITCH)) / 2.0;
        (0..count).map(|i| top + theme.px((i as f64 + 0.5) * PITCH)).collect()
    }

    /// "inputs" / "hidden layer 1" / "outputs" over each column, with its size or
    /// how much of it is shown; kept inside the canvas at both ends.
    fn draw_captions<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        view: &NetworkView,
        theme: &Theme,
        xs: &[f64],
        width: f64,
    ) -> Result<(), RenderError> {
        let (head, sub) = (Font::new(size::SMALL, ink::TEXT), Font::new(size::SMALL, ink::MUTED));
        let last = view.layers.len() - 1;
        let room = if last > 0 { (xs[1] - xs[0]) * 0.95 } else { width };
        for (l, (&n, shown)) in view.layers.iter().zip(&self.shown).enumerate() {
            let name = match l {
                0 => "inputs".to_string(),
                l if l == last => "outputs".to_string(),
                l => format!("hidden layer {l}"),
            };
            let count = if shown.len() < n {
                format!("showing {} of {}", shown.len(), format_count(n))
            } else {
                format!("{} unit{}", format_count(n), if n == 1 { "" } else { "s" })
            };
            for (i, (font, text)) in [(head, name), (sub, count)].into_iter().enumerate() {
                let text = fit(area, theme, font, &text, room)?;
                let half = text_width(area, theme, font, &text)? / 2.0;
                let margin = theme.px(MARGIN);
                let x = xs[l].clamp(margin + half, (width - margin - half).max(margin + half));
                let y = self.captions_top + i as f64 * font.line_height(theme);
                draw_text(area, theme, font, &text, (x, y), anchor(HPos::Center, VPos::Top))?;
            }
        }
        Ok(())
    }

    /// Every connection between shown units, weakest first so the strong ones lie on top.
    fn draw_connections<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        view: &NetworkView,
        theme: &Theme,
        xs: &[f64],
        ys: &[Vec<f64>],
    ) -> Result<(), RenderError> {
        for (l, weights) in view.weights.iter().enumerate().take(view.layers.len().saturating_sub(1)) {
            let n_in = view.layers[l];
            let largest = weights.iter().fold(0.0f32, |m, w| m.max(w.abs()));
            if largest <= 0.0 || !largest.is_finite() {
                continue;
            }
            let mut lines: Vec<(f32, usize, usize)> = Vec::new();
            for (b, &j) in self.shown[l + 1].iter().enumerate() {
                for (a, &i) in self.shown[l].iter().enumerate() {
                    if let Some(&w) = weights.get(j * n_in + i).filter(|w| w.is_finite()) {
                        lines.push((w, a, b));
                    }
                }
            }
            lines.sort_by(|x, y| x.0.abs().total_cmp(&y.0.abs()));
            // Many connections between two columns crowd each other: draw them thinner.
            let crowding = (DENSE_LINES / lines.len().max(1) as f64).sqrt().clamp(0.3, 1.0);
            for (w, a, b) in lines {
                let t = (w.abs() / largest) as f64;
                let color = if w >= 0.0 { sign::POSITIVE } else { sign::NEGATIVE };
                let style = line_style(theme, color, t, crowding);
                let ends = vec![
                    (xs[l].round() as i32, ys[l][a].round() as i32),
                    (xs[l + 1].round() as i32, ys[l + 1][b].round() as i32),
                ];
                area.draw(&PathElement::new(ends, style))?;
            }
        }
        Ok(())
    }
}

/// A connection of relative size `t` (0..=1): faint and thin when small, strong and
/// thick when large; `crowding` (0..=1) narrows the thickest line between busy columns.
fn line_style(theme: &Theme, color: RGBColor, t: f64, crowding: f64) -> ShapeStyle {
    let t = t.clamp(0.0, 1.0);
    let widest = (LINE_MAX * crowding).max(LINE_MIN);
    let width = theme.px(LINE_MIN + (widest - LINE_MIN) * t).round().max(1.0) as u32;
    // Opacity grows with t², so the few large weights stand out from the many small ones.
    ShapeStyle { color: color.mix(0.1 + 0.85 * t * t), filled: false, stroke_width: width }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic spread of positive and negative weights of varied size.
    fn weights(n_in: usize, n_out: usize, salt: f32) -> Vec<f32> {
        (0..n_in * n_out).map(|k| ((k as f32 * 1.7 + salt).sin() * 2.3).powi(3) / 6.0).collect()
    }

    fn iris() -> NetworkView {
        NetworkView {
            title: "Neural network 4 → 8 → 3 (relu hidden units)".into(),
            layers: vec![4, 8, 3],
            input_names: vec!["sepal_length".into(), "sepal_width".into(), "petal_length".into(), "petal_width".into()],
            output_names: vec!["setosa".into(), "versicolor".into(), "virginica".into()],
            weights: vec![weights(4, 8, 0.3), weights(8, 3, 1.1)],
        }
    }

    fn wide() -> NetworkView {
        let mut inputs: Vec<String> =
            ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5"].iter().map(|s| s.to_string()).collect();
        inputs.push("blood_sugar_level_after_fasting_mg_per_dl".into());
        NetworkView {
            title: "Neural network 10 → 64 → 32 → 1 (tanh hidden units)".into(),
            layers: vec![10, 64, 32, 1],
            input_names: inputs,
            output_names: vec!["progression".into()],
            weights: vec![weights(10, 64, 0.0), weights(64, 32, 0.5), weights(32, 1, 2.0)],
        }
    }

    #[test]
    fn wide_layers_show_the_units_with_the_largest_weights() {
        let view = wide();
        assert_eq!(shown_units(&view, 0), (0..10).collect::<Vec<_>>());
        let shown = shown_units(&view, 1);
        assert_eq!(shown.len(), MAX_UNITS);
        // Every hidden unit left out sends less weight onward than every one shown.
        let out = |u: usize| (0..32).map(|j| view.weights[1][j * 64 + u].abs()).sum::<f32>();
        let weakest_shown = shown.iter().map(|&u| out(u)).fold(f32::INFINITY, f32::min);
        assert!((0..64).filter(|u| !shown.contains(u)).all(|u| out(u) <= weakest_shown));
        assert_eq!(shown_units(&view, 3), vec![0]);
        // Malformed views (missing weights) draw what they can instead of panicking.
        let broken = NetworkView { weights: vec![], ..wide() };
        assert_eq!(shown_units(&broken, 1).len(), MAX_UNITS);
    }

    #[test]
    fn height_follows_the_tallest_shown_column() {
        let theme = Theme::default();
        let (_, small) = network_size(&iris(), &theme, 720);
        let (_, big) = network_size(&wide(), &theme, 720);
        // 16 more units in the tallest column, and a line saying the wide layers are summarized.
        let note = Font::new(size::SMALL, ink::MUTED).line_height(&theme);
        assert_eq!(big - small, ((MAX_UNITS - 8) as f64 * PITCH + note) as u32);
        assert_eq!(network_size(&iris(), &theme, 100).0, MIN_WIDTH as u32);
        let (w2, h2) = network_size(&iris(), &Theme::new(2.0), 1440);
        assert_eq!((w2, h2), (1440, 2 * small));
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod goldens {
        use super::*;
        use crate::render::golden::assert_golden;

        #[test]
        fn network_golden() {
            let (view, theme) = (iris(), Theme::default());
            assert_golden("network_iris", network_size(&view, &theme, 720), |area| draw_network(area, &view, &theme));
        }

        #[test]
        fn wide_network_golden() {
            let (view, theme) = (wide(), Theme::default());
            assert_golden("network_wide", network_size(&view, &theme, 720), |area| draw_network(area, &view, &theme));
        }
    }
}
