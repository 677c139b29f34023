//! A tree's leaves as bars: length is the training rows a leaf holds, the fill
//! is what they are (class mix, or the mean on the target's scale).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::legend::{draw_legend, draw_scale_legend, legend_rows, Mark, ROW_HEIGHT};
use super::text::{anchor, draw_text, draw_title, fit, text_width, title_height, Font};
use super::theme::{class_color, ink, size, Theme};
use super::tree::draw_value_bar;
use super::RenderError;
use crate::base::{format_count, format_number};
use crate::model::view::{LeavesView, NodeValue};

/// Outer margin, CSS px.
const MARGIN: f64 = 16.0;
/// Vertical pitch of the bars, CSS px.
const ROW: f64 = 20.0;
/// Thickness of a bar, CSS px.
const BAR: f64 = 12.0;
/// Gap between labels and bars, CSS px.
const GAP: f64 = 8.0;

/// Size (device px) that shows every bar across `width` device px.
pub fn leaves_size(view: &LeavesView, theme: &Theme, width: u32) -> (u32, u32) {
    let rows = view.leaves.len() as f64 + if view.hidden > 0 { 1.0 } else { 0.0 };
    let height = header_height(view, theme, width as f64) + theme.px(rows * ROW + MARGIN);
    (width, height.ceil() as u32)
}

fn header_height(view: &LeavesView, theme: &Theme, width: f64) -> f64 {
    let legend =
        if view.class_names.is_empty() { 1 } else { legend_rows(view.class_names.len(), legend_width(theme, width), theme) };
    theme.px(MARGIN + 4.0 + GAP)
        + title_height(&view.title, theme, width, theme.px(MARGIN))
        + legend as f64 * theme.px(ROW_HEIGHT)
}

fn legend_width(theme: &Theme, width: f64) -> f64 {
    (width - 2.0 * theme.px(MARGIN)).max(1.0)
}

/// Draws `view` into `area` (best at [`leaves_size`]).
pub fn draw_leaves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &LeavesView,
    theme: &Theme,
) -> Result<(), RenderError> {
    area.fill(&WHITE)?;
    let width = area.dim_in_pixel().0 as f64;
    let margin = theme.px(MARGIN);
    let below_title = draw_title(area, theme, &view.title, margin)?;
    let legend_top = below_title + theme.px(4.0);
    if view.class_names.is_empty() {
        draw_scale_legend(
            area,
            theme,
            &view.target_name,
            view.target_range,
            (margin, legend_top),
            legend_width(theme, width),
        )?;
    } else {
        let entries: Vec<(Mark, String)> =
            view.class_names.iter().enumerate().map(|(i, n)| (Mark::Square(class_color(i)), n.clone())).collect();
        draw_legend(area, theme, &entries, (margin, legend_top), legend_width(theme, width))?;
    }

    let label_font = Font::new(size::BODY, ink::TEXT);
    let count_font = Font::new(size::SMALL, ink::MUTED);
    let labels: Vec<String> = view.leaves.iter().map(|l| prediction(view, &l.value)).collect();
    let counts: Vec<String> = view.leaves.iter().map(|l| format!("n = {}", format_count(l.n_samples))).collect();
    let widest = |font: Font, texts: &[String]| {
        texts.iter().map(|t| text_width(area, theme, font, t)).try_fold(0.0f64, |m, w| w.map(|w| m.max(w)))
    };
    let label_room = widest(label_font, &labels)?.min(width * 0.35);
    let count_room = widest(count_font, &counts)?;
    let bar_left = margin + label_room + theme.px(GAP);
    let bar_room = (width - margin - count_room - theme.px(GAP) - bar_left).max(1.0);
    let most = view.leaves.iter().map(|l| l.n_samples).max().unwrap_or(1).max(1) as f64;
    let top = header_height(view, theme, width);
    for (i, ((leaf, label), count)) in view.leaves.iter().zip(&labels).zip(&counts).enumerate() {
        let mid = top + theme.px((i as f64 + 0.5) * ROW);
        let label = fit(area, theme, label_font, label, label_room)?;
        draw_text(area, theme, label_font, &label, (bar_left - theme.px(GAP), mid), anchor(HPos::Right, VPos::Center))?;
        let length = (leaf.n_samples as f64 / most * bar_room).max(theme.px(2.0));
        let corner = (bar_left, mid - theme.px(BAR / 2.0));
        draw_value_bar(area, theme, &leaf.value, view.target_range, corner, (length, theme.px(BAR)))?;
        draw_text(
            area,
            theme,
            count_font,
            count,
            (bar_left + length + theme.px(5.0), mid),
            anchor(HPos::Left, VPos::Center),
        )?;
    }
    if view.hidden > 0 {
        let mid = top + theme.px((view.leaves.len() as f64 + 0.5) * ROW);
        let note = format!("… and {} smaller leaves", format_count(view.hidden));
        draw_text(area, theme, count_font, &note, (bar_left, mid), anchor(HPos::Left, VPos::Center))?;
    }
    Ok(())
}

/// A leaf's prediction in words: its majority class, or its mean.
fn prediction(view: &LeavesView, value: &NodeValue) -> String {
    match value {
        NodeValue::Classes { .. } => {
            let class = value.majority().unwrap_or(0);
            view.class_names.get(class).cloned().unwrap_or_else(|| format!("class {class}"))
        }
        NodeValue::Mean { mean } => format!("mean {}", format_number(*mean)),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::model::view::LeafView;
    use crate::render::golden::assert_golden;

    #[test]
    fn leaves_golden() {
        let leaf = |counts: [f64; 3], depth| LeafView {
            n_samples: counts.iter().sum::<f64>() as usize,
            value: NodeValue::Classes { counts: counts.to_vec() },
            depth,
        };
        let view = LeavesView {
            title: "Where the training rows end up (6 leaves, left to right)".into(),
            class_names: vec!["Adelie".into(), "Gentoo".into(), "Chinstrap".into()],
            target_name: "species".into(),
            target_range: (0.0, 0.0),
            leaves: vec![
                leaf([103.0, 0.0, 0.0], 4),
                leaf([4.0, 0.0, 1.0], 4),
                leaf([1.0, 0.0, 47.0], 3),
                leaf([0.0, 95.0, 1.0], 2),
                leaf([2.0, 0.0, 0.0], 3),
                leaf([0.0, 0.0, 2.0], 3),
            ],
            hidden: 0,
            total: 6,
        };
        let theme = Theme::default();
        assert_golden("leaves", leaves_size(&view, &theme, 560), |area| draw_leaves(area, &view, &theme));
    }
}
