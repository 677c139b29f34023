//! Linear coefficients as horizontal diverging bars: one panel per output (the
//! target, or each class's log-odds), inputs down the side sorted by total
//! weight, bars growing right for positive and left for negative weights in two
//! color-blind-safe colors, the number at each bar's end, and a shared scale so
//! panels compare at a glance. Several outputs sit side by side as small
//! multiples and wrap into further rows when the width runs out.

use std::cmp::Ordering;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{bottom_axis_height, draw_axis, fitting_ticks, nice_ticks, padded_range, to_pixel, Side};
use super::boundary::PixelRect;
use super::legend::{draw_legend, legend_rows, Mark, ROW_HEIGHT};
use super::text::{anchor, draw_text, draw_title, fit, text_width, title_height, truncate_chars, Font};
use super::theme::{class_color, ink, size, Theme};
use super::RenderError;
use crate::base::{format_count, format_number, format_significant};
use crate::model::view::CoefficientsView;

/// Outer margin, CSS px.
const MARGIN: f64 = 16.0;
/// Vertical pitch of the bars, CSS px.
const ROW: f64 = 20.0;
/// Thickness of a bar, CSS px.
const BAR: f64 = 13.0;
/// Gap between names, panels and labels, CSS px.
const GAP: f64 = 8.0;
/// Narrowest a panel may get before panels wrap to another row, CSS px.
const PANEL_MIN: f64 = 200.0;
/// Space between panels side by side, CSS px.
const PANEL_GAP: f64 = 20.0;
/// Room kept for input names at most, CSS px (longer names are ellipsized).
const NAMES_MAX: f64 = 170.0;
/// Input names longer than this many characters are cut with "…".
const NAME_CHARS: usize = 28;
/// Most inputs drawn; the rest (smallest weights) are counted in a note.
const MAX_INPUTS: usize = 30;

/// Bars of positive weights: Okabe–Ito blue.
fn positive() -> RGBColor {
    class_color(0)
}

/// Bars of negative weights: Okabe–Ito vermillion.
fn negative() -> RGBColor {
    class_color(5)
}

/// Size (device px) that shows every panel of `view` across `width` device px.
pub fn coefficients_size(view: &CoefficientsView, theme: &Theme, width: u32) -> (u32, u32) {
    let width = width as f64;
    let shown = view.inputs.len().min(MAX_INPUTS);
    let groups = view.outputs.len().div_ceil(panels_per_row(view.outputs.len(), width, theme)).max(1);
    let mut height = header_height(view, theme, width) + groups as f64 * group_height(shown, theme) + theme.px(MARGIN);
    if view.inputs.len() > shown {
        height += note_font().line_height(theme);
    }
    (width.round() as u32, height.ceil() as u32)
}

/// Title, gap, legend and gap, device px.
fn header_height(view: &CoefficientsView, theme: &Theme, width: f64) -> f64 {
    theme.px(MARGIN + GAP)
        + title_height(&view.title, theme, width, theme.px(MARGIN))
        + legend_rows(2, width - 2.0 * theme.px(MARGIN), theme) as f64 * theme.px(ROW_HEIGHT)
        + theme.px(GAP)
}

/// One row of panels: output name, intercept, bars, axis and unit, gap.
fn group_height(rows: usize, theme: &Theme) -> f64 {
    panel_header_height(theme) + theme.px(rows.max(1) as f64 * ROW) + bottom_axis_height(theme) + theme.px(GAP * 2.0)
}

fn panel_header_height(theme: &Theme) -> f64 {
    Font::new(size::BODY, ink::TEXT).line_height(theme) + note_font().line_height(theme) + theme.px(GAP / 2.0)
}

/// Panels side by side in `width` device px, for `outputs` outputs.
fn panels_per_row(outputs: usize, width: f64, theme: &Theme) -> usize {
    let room = width - theme.px(2.0 * MARGIN + NAMES_MAX + GAP);
    (((room + theme.px(PANEL_GAP)) / theme.px(PANEL_MIN + PANEL_GAP)).floor().max(1.0) as usize).min(outputs.max(1))
}

fn note_font() -> Font {
    Font::new(size::SMALL, ink::MUTED)
}

/// Draws `view` into `area` (best [`coefficients_size`] for the area's width).
pub fn draw_coefficients<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &CoefficientsView,
    theme: &Theme,
) -> Result<(), RenderError> {
    area.fill(&WHITE)?;
    let width = area.dim_in_pixel().0 as f64;
    let margin = theme.px(MARGIN);
    let below_title = draw_title(area, theme, &view.title, margin)?;
    let legend_top = below_title + theme.px(GAP);
    let entries = [
        (Mark::Square(positive()), "positive weight".to_string()),
        (Mark::Square(negative()), "negative weight".to_string()),
    ];
    draw_legend(area, theme, &entries, (margin, legend_top), width - 2.0 * margin)?;
    let mut top = header_height(view, theme, width);
    let n_outputs = view.outputs.len().min(view.values.len());
    if view.inputs.is_empty() || n_outputs == 0 {
        return draw_text(
            area,
            theme,
            note_font(),
            "No coefficients to show.",
            (margin, top),
            anchor(HPos::Left, VPos::Top),
        );
    }

    let order = input_order(view);
    let shown = &order[..order.len().min(MAX_INPUTS)];
    let value = |output: usize, input: usize| view.values[output].get(input).copied().filter(|v| v.is_finite());
    let all = || (0..n_outputs).flat_map(|o| shown.iter().filter_map(move |&i| value(o, i)));
    let range = padded_range(all().fold(0.0, f64::min), all().fold(0.0, f64::max));

    let name_font = Font::new(size::BODY, ink::TEXT);
    let names: Vec<String> = shown.iter().map(|&i| truncate_chars(&view.inputs[i], NAME_CHARS)).collect();
    let widest_name =
        names.iter().map(|n| text_width(area, theme, name_font, n)).try_fold(0.0f64, |m, w| w.map(|w| m.max(w)))?;
    let names_width = widest_name.min(theme.px(NAMES_MAX));
    let per_row = panels_per_row(n_outputs, width, theme);
    let panels_left = margin + names_width + theme.px(GAP);
    let panel_width =
        ((width - margin - panels_left - (per_row - 1) as f64 * theme.px(PANEL_GAP)) / per_row as f64).max(1.0);
    // Room at both ends of every panel for the value labels, so they never leave it.
    let labels: Vec<Vec<String>> = (0..n_outputs)
        .map(|o| {
            shown.iter().map(|&i| value(o, i).map_or_else(|| "n/a".to_string(), |v| format_significant(v, 3))).collect()
        })
        .collect();
    let widest_label = labels
        .iter()
        .flatten()
        .map(|l| text_width(area, theme, note_font(), l))
        .try_fold(0.0f64, |m, w| w.map(|w| m.max(w)))?;
    let label_room = (widest_label + theme.px(5.0)).min(panel_width / 3.0);
    let rows_height = theme.px(shown.len() as f64 * ROW);

    for group in (0..n_outputs).collect::<Vec<_>>().chunks(per_row) {
        let bars_top = top + panel_header_height(theme);
        for (i, name) in names.iter().enumerate() {
            let mid = bars_top + theme.px((i as f64 + 0.5) * ROW);
            let name = fit(area, theme, name_font, name, names_width)?;
            draw_text(area, theme, name_font, &name, (panels_left - theme.px(GAP), mid), anchor(HPos::Right, VPos::Center))?;
        }
        for (slot, &output) in group.iter().enumerate() {
            let left = panels_left + slot as f64 * (panel_width + theme.px(PANEL_GAP));
            let header = fit(area, theme, name_font, &view.outputs[output], panel_width)?;
            draw_text(area, theme, name_font, &header, (left, top), anchor(HPos::Left, VPos::Top))?;
            let intercept = view.intercepts.get(output).map_or_else(|| "n/a".to_string(), |&b| format_significant(b, 3));
            let at = (left, top + name_font.line_height(theme));
            draw_text(area, theme, note_font(), &format!("intercept {intercept}"), at, anchor(HPos::Left, VPos::Top))?;
            let plot = PixelRect {
                x: (left + label_room).round() as i32,
                y: bars_top.round() as i32,
                width: (panel_width - 2.0 * label_room).max(1.0).round() as i32,
                height: rows_height.round() as i32,
            };
            let bars: Vec<Option<f64>> = shown.iter().map(|&i| value(output, i)).collect();
            draw_panel(area, theme, plot, range, &bars, &labels[output])?;
        }
        // The unit once per row of panels, centered under them.
        let span_right = panels_left + group.len() as f64 * (panel_width + theme.px(PANEL_GAP)) - theme.px(PANEL_GAP);
        let unit_top = bars_top + rows_height + bottom_axis_height(theme) - name_font.line_height(theme);
        let unit = fit(area, theme, name_font, &view.unit, span_right - panels_left)?;
        draw_text(
            area,
            theme,
            name_font,
            &unit,
            ((panels_left + span_right) / 2.0, unit_top),
            anchor(HPos::Center, VPos::Top),
        )?;
        top += group_height(shown.len(), theme);
    }
    if order.len() > shown.len() {
        let note = format!(
            "Showing the {} inputs with the largest weights; {} more are not shown.",
            shown.len(),
            format_count(order.len() - shown.len())
        );
        let note = fit(area, theme, note_font(), &note, width - 2.0 * margin)?;
        draw_text(area, theme, note_font(), &note, (margin, top - theme.px(GAP)), anchor(HPos::Left, VPos::Top))?;
    }
    Ok(())
}

/// Inputs by their total |weight| over the outputs, largest first (ties keep the
/// inputs' own order; weights that are not numbers count as zero).
fn input_order(view: &CoefficientsView) -> Vec<usize> {
    let total = |i: usize| -> f64 {
        view.values.iter().filter_map(|row| row.get(i)).filter(|v| v.is_finite()).map(|v| v.abs()).sum()
    };
    let mut order: Vec<usize> = (0..view.inputs.len()).collect();
    order.sort_by(|&a, &b| total(b).partial_cmp(&total(a)).unwrap_or(Ordering::Equal));
    order
}

/// Ticks for a panel `length` device px wide. Narrow panels can get a lone "0"
/// from the shared spacing rule; a third tick is added when its labels still fit,
/// so every panel shows a scale.
fn panel_ticks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    range: (f64, f64),
    length: f64,
) -> Result<Vec<f64>, RenderError> {
    let ticks = fitting_ticks(area, theme, range, length, Side::Bottom)?;
    if ticks.len() >= 3 {
        return Ok(ticks);
    }
    for target in [4, 3] {
        let denser = nice_ticks(range, target);
        let widest = denser
            .iter()
            .map(|&t| text_width(area, theme, note_font(), &format_number(t)))
            .try_fold(0.0f64, |m, w| w.map(|w| m.max(w)))?;
        if denser.len() > ticks.len() && denser.len() as f64 * (widest + theme.px(GAP)) <= length {
            return Ok(denser);
        }
    }
    Ok(ticks)
}

/// One output's bars in `plot`, with its axis, zero line and value labels.
fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    plot: PixelRect,
    range: (f64, f64),
    bars: &[Option<f64>],
    labels: &[String],
) -> Result<(), RenderError> {
    let ticks = panel_ticks(area, theme, range, plot.width as f64)?;
    draw_axis(area, theme, plot, Side::Bottom, (range, &ticks), "", true)?;
    let x_at = |v: f64| to_pixel(v, range, plot.x as f64, plot.width as f64);
    let zero = x_at(0.0);
    for (i, (bar, label)) in bars.iter().zip(labels).enumerate() {
        let mid = plot.y as f64 + theme.px((i as f64 + 0.5) * ROW);
        let (y0, y1) = ((mid - theme.px(BAR / 2.0)).round() as i32, (mid + theme.px(BAR / 2.0)).round() as i32);
        let v = bar.unwrap_or(0.0);
        let end = x_at(v);
        if (end - zero).abs() >= 0.5 {
            let color = if v > 0.0 { positive() } else { negative() };
            area.draw(&Rectangle::new(
                [(zero.min(end).round() as i32, y0), (zero.max(end).round() as i32, y1)],
                theme.fill(color),
            ))?;
        }
        let (x, h) = if v < 0.0 { (end - theme.px(4.0), HPos::Right) } else { (end + theme.px(4.0), HPos::Left) };
        draw_text(area, theme, note_font(), label, (x, mid), anchor(h, VPos::Center))?;
    }
    let zero = zero.round() as i32;
    area.draw(&PathElement::new(vec![(zero, plot.y), (zero, plot.y + plot.height)], theme.stroke(1.0, ink::AXIS)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ridge on diabetes, rounded.
    fn diabetes() -> CoefficientsView {
        CoefficientsView {
            title: "Ridge regression coefficients".into(),
            outputs: vec!["progression".into()],
            inputs: ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"].iter().map(|s| s.to_string()).collect(),
            values: vec![vec![-0.61, -12.6, 24.4, 14.6, -32.4, 20.3, 2.93, 5.66, 37.1, 2.1]],
            intercepts: vec![154.0],
            unit: "change in progression per standard deviation of the input".into(),
        }
    }

    /// Multinomial logistic regression on penguins, rounded.
    fn penguins() -> CoefficientsView {
        CoefficientsView {
            title: "Logistic regression coefficients".into(),
            outputs: vec!["log-odds of Adelie".into(), "log-odds of Chinstrap".into(), "log-odds of Gentoo".into()],
            inputs: vec![
                "bill_length_mm".into(),
                "bill_depth_mm".into(),
                "flipper_length_mm".into(),
                "body_mass_g".into(),
                "island = Dream".into(),
                "sex = male".into(),
                "a_very_long_column_name_that_keeps_going_on".into(),
            ],
            values: vec![
                vec![-2.71, 1.12, -0.48, -0.33, -0.52, 0.41, 0.002],
                vec![2.45, -0.12, -0.21, -0.98, 1.31, -0.22, 0.0],
                vec![0.26, -1.0, 0.69, 1.31, -0.79, -0.19, -0.002],
            ],
            intercepts: vec![0.81, -0.96, 0.15],
            unit: "change in log-odds per standard deviation of the input (per 0 → 1 for yes/no and category inputs)".into(),
        }
    }

    #[test]
    fn panels_wrap_when_narrow_and_sizes_scale() {
        let theme = Theme::default();
        let view = penguins();
        assert_eq!(panels_per_row(3, 900.0, &theme), 3);
        assert_eq!(panels_per_row(3, 500.0, &theme), 1);
        assert_eq!(panels_per_row(1, 2000.0, &theme), 1);
        let (_, wide) = coefficients_size(&view, &theme, 900);
        let (_, narrow) = coefficients_size(&view, &theme, 450);
        assert!(narrow > 2 * wide - 200, "{wide} {narrow}");
        let (w2, h2) = coefficients_size(&view, &Theme::new(2.0), 1800);
        assert_eq!((w2, h2), (1800, 2 * wide));
        // Many inputs: only the largest weights are drawn.
        let mut many = diabetes();
        many.inputs = (0..64).map(|i| format!("pixel_{i}")).collect();
        many.values = vec![(0..64).map(|i| i as f64).collect()];
        assert_eq!(input_order(&many)[0], 63);
        let (_, tall) = coefficients_size(&many, &theme, 600);
        let mut thirty = many.clone();
        thirty.inputs.truncate(30);
        thirty.values[0].truncate(30);
        assert!(tall > coefficients_size(&thirty, &theme, 600).1);
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod goldens {
        use super::*;
        use crate::render::golden::assert_golden;

        #[test]
        fn regression_coefficients_golden() {
            let view = diabetes();
            let theme = Theme::default();
            assert_golden("coefficients_regression", coefficients_size(&view, &theme, 560), |area| {
                draw_coefficients(area, &view, &theme)
            });
        }

        #[test]
        fn three_class_coefficients_golden() {
            let view = penguins();
            let theme = Theme::default();
            assert_golden("coefficients_classes", coefficients_size(&view, &theme, 900), |area| {
                draw_coefficients(area, &view, &theme)
            });
        }
    }
}
