//! The confusion matrix as a grid of cells: true class down the side, predicted
//! class along the bottom, each cell with its count and colored by its share of
//! the true class's rows (so a rare class's misses show as clearly as a common one's).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::FontTransform;

use super::axis::{bottom_axis_height, draw_category_axis};
use super::boundary::PixelRect;
use super::legend::{draw_scale_legend, ROW_HEIGHT};
use super::text::{anchor, draw_text, draw_text_turned, draw_title, fit, text_width, title_height, Font};
use super::theme::{ink, sequential_color, size, Theme};
use super::RenderError;
use crate::base::format_count;
use crate::explain::ConfusionView;

/// Outer margin, CSS px.
const MARGIN: f64 = 16.0;
/// Gap between blocks, CSS px.
const GAP: f64 = 8.0;
/// Side of a cell, CSS px: as big as the width allows within these.
const CELL: (f64, f64) = (22.0, 64.0);
/// Room for the class names left of the rows, CSS px (names are ellipsized to it).
const ROW_NAMES: f64 = 110.0;
/// Viridis is dark below this share: the count is written in white there.
const DARK_BELOW: f64 = 0.55;

/// Side of a cell (device px) for `classes` across `width` device px.
fn cell_side(classes: usize, theme: &Theme, width: f64) -> f64 {
    let room = width - theme.px(2.0 * MARGIN + ROW_NAMES + GAP) - name_font().line_height(theme);
    (room / classes.max(1) as f64).clamp(theme.px(CELL.0), theme.px(CELL.1)).floor()
}

/// Title and legend above the grid, device px.
fn header_height(view: &ConfusionView, theme: &Theme, width: f64) -> f64 {
    theme.px(MARGIN + 4.0 + GAP + ROW_HEIGHT) + title_height(&view.title, theme, width, theme.px(MARGIN))
}

/// Size (device px) of the matrix across `width` device px.
pub fn confusion_size(view: &ConfusionView, theme: &Theme, width: u32) -> (u32, u32) {
    let k = view.classes.len().max(1) as f64;
    let grid = cell_side(view.classes.len(), theme, width as f64) * k;
    (width, (header_height(view, theme, width as f64) + grid + bottom_axis_height(theme) + theme.px(MARGIN)).ceil() as u32)
}

fn name_font() -> Font {
    Font::new(size::BODY, ink::TEXT)
}

/// Draws the matrix (best at [`confusion_size`]).
pub fn draw_confusion<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &ConfusionView,
    theme: &Theme,
) -> Result<(), RenderError> {
    area.fill(&WHITE)?;
    let width = area.dim_in_pixel().0 as f64;
    let margin = theme.px(MARGIN);
    let below_title = draw_title(area, theme, &view.title, margin)?;
    let legend_top = below_title + theme.px(4.0);
    draw_scale_legend(
        area,
        theme,
        "share of the true class's rows",
        (0.0, 1.0),
        (margin, legend_top),
        width - 2.0 * margin,
    )?;
    let k = view.classes.len();
    if k == 0 {
        return Ok(());
    }

    let cell = cell_side(k, theme, width);
    let top = header_height(view, theme, width);
    let grid_left = margin + name_font().line_height(theme) + theme.px(ROW_NAMES + GAP);
    let plot = PixelRect {
        x: grid_left.round() as i32,
        y: top.round() as i32,
        width: (cell * k as f64) as i32,
        height: (cell * k as f64) as i32,
    };
    draw_category_axis(area, theme, plot, &view.classes, &format!("predicted {}", view.target))?;

    // True classes down the left, with the axis name turned along them.
    let names_right = grid_left - theme.px(GAP);
    let names_left = margin + name_font().line_height(theme);
    for (i, class) in view.classes.iter().enumerate() {
        let name = fit(area, theme, name_font(), class, names_right - names_left)?;
        let mid = top + (i as f64 + 0.5) * cell;
        draw_text(area, theme, name_font(), &name, (names_right, mid), anchor(HPos::Right, VPos::Center))?;
    }
    let axis_name = fit(area, theme, name_font(), &format!("true {}", view.target), plot.height as f64)?;
    let at = (margin, top + plot.height as f64 / 2.0);
    draw_text_turned(area, theme, name_font(), &axis_name, at, anchor(HPos::Center, VPos::Top), FontTransform::Rotate270)?;

    let count_font = |dark: bool| Font::new(size::BODY, if dark { ink::WHITE } else { ink::TEXT });
    for (i, row) in view.counts.iter().enumerate().take(k) {
        let total = row.iter().sum::<usize>();
        for (j, &count) in row.iter().enumerate().take(k) {
            let share = if total > 0 { count as f64 / total as f64 } else { 0.0 };
            let (x0, y0) = (grid_left + j as f64 * cell, top + i as f64 * cell);
            let corners = [(x0.round() as i32, y0.round() as i32), ((x0 + cell).round() as i32, (y0 + cell).round() as i32)];
            area.draw(&Rectangle::new(corners, theme.fill(sequential_color(share))))?;
            area.draw(&Rectangle::new(corners, theme.stroke(1.0, ink::WHITE)))?;
            let label = format_count(count);
            let font = count_font(share < DARK_BELOW);
            // Counts that do not fit a small cell are left to the text alternative.
            if text_width(area, theme, font, &label)? <= cell - theme.px(4.0) {
                draw_text(
                    area,
                    theme,
                    font,
                    &label,
                    (x0 + cell / 2.0, y0 + cell / 2.0),
                    anchor(HPos::Center, VPos::Center),
                )?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iris() -> ConfusionView {
        ConfusionView {
            title: "Confusion matrix on the 30 test rows".into(),
            target: "species".into(),
            classes: vec!["setosa".into(), "versicolor".into(), "virginica".into()],
            counts: vec![vec![10, 0, 0], vec![0, 9, 1], vec![0, 2, 8]],
        }
    }

    #[test]
    fn cells_shrink_with_classes_and_stop_at_a_floor() {
        let theme = Theme::default();
        let (_, three) = confusion_size(&iris(), &theme, 560);
        let mut ten = iris();
        ten.classes = (0..10).map(|d| d.to_string()).collect();
        let (_, h10) = confusion_size(&ten, &theme, 560);
        assert!(h10 > three, "{h10} {three}");
        assert_eq!(cell_side(200, &theme, 560.0), CELL.0);
        assert_eq!(cell_side(2, &theme, 5600.0), CELL.1);
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod goldens {
        use super::*;
        use crate::render::golden::assert_golden;

        #[test]
        fn confusion_golden() {
            let view = iris();
            let theme = Theme::default();
            assert_golden("confusion_iris", confusion_size(&view, &theme, 560), |area| draw_confusion(area, &view, &theme));
        }

        #[test]
        fn confusion_digits_golden() {
            let mut counts = vec![vec![0usize; 10]; 10];
            for (d, row) in counts.iter_mut().enumerate() {
                row[d] = 30 + d;
                row[(d + 3) % 10] = d % 4;
                row[(d + 7) % 10] = 1;
            }
            let view = ConfusionView {
                title: "Confusion matrix on the 360 test rows".into(),
                target: "digit".into(),
                classes: (0..10).map(|d| d.to_string()).collect(),
                counts,
            };
            let theme = Theme::default();
            assert_golden("confusion_digits", confusion_size(&view, &theme, 560), |area| {
                draw_confusion(area, &view, &theme)
            });
        }
    }
}
