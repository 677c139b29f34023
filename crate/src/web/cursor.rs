//! The boundary plot's keyboard cursor: a place on the plot, in the axes'
//! units, that the arrow keys move and Enter traces as a click would. What
//! it says of its place goes to a live region, so a screen reader follows it.

use crate::base::format_significant;
use crate::explain::AxisView;

/// An arrow key moves the cursor this share of the axis; Shift, [`BIG_STEP`].
pub const STEP: f64 = 1.0 / 40.0;
/// Share of the axis a Shift + arrow moves the cursor.
pub const BIG_STEP: f64 = 1.0 / 8.0;

/// A place on the plot, in the axes' units (a band's level at its index).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlotCursor {
    pub x: f64,
    pub y: f64,
}

impl PlotCursor {
    /// The middle of the plot whose data ranges are `x` and `y`.
    pub fn middle(x: (f64, f64), y: (f64, f64)) -> Self {
        PlotCursor { x: (x.0 + x.1) / 2.0, y: (y.0 + y.1) / 2.0 }
    }

    /// The cursor moved by arrow `key` (a `KeyboardEvent.key`), a big step with
    /// Shift, kept inside the ranges; `None` for a key that is no arrow.
    pub fn moved(self, key: &str, big: bool, x: (f64, f64), y: (f64, f64)) -> Option<Self> {
        let step = if big { BIG_STEP } else { STEP };
        let (dx, dy) = match key {
            "ArrowLeft" => (-1.0, 0.0),
            "ArrowRight" => (1.0, 0.0),
            "ArrowDown" => (0.0, -1.0),
            "ArrowUp" => (0.0, 1.0),
            _ => return None,
        };
        let go = |v: f64, d: f64, (lo, hi): (f64, f64)| (v + d * step * (hi - lo)).clamp(lo.min(hi), lo.max(hi));
        Some(PlotCursor { x: go(self.x, dx, x), y: go(self.y, dy, y) })
    }

    /// Where the cursor is, in the axes' words: "flipper_length_mm 206, island Dream".
    pub fn describe(&self, x: &AxisView, y: &AxisView) -> String {
        format!("Cursor at {}, {}. Enter traces this place.", place(x, self.x), place(y, self.y))
    }
}

/// A value along `axis`: the band's level, or the number.
fn place(axis: &AxisView, v: f64) -> String {
    if axis.levels.is_empty() {
        return format!("{} {}", axis.name, format_significant(v, 3));
    }
    let band = v.round().clamp(0.0, (axis.levels.len() - 1) as f64) as usize;
    format!("{} {}", axis.name, axis.levels[band])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_move_a_fortieth_of_the_axis_and_stay_on_the_plot() {
        let (x, y) = ((170.0, 230.0), (30.0, 60.0));
        let c = PlotCursor::middle(x, y);
        assert_eq!(c, PlotCursor { x: 200.0, y: 45.0 });
        assert_eq!(c.moved("ArrowRight", false, x, y), Some(PlotCursor { x: 201.5, y: 45.0 }));
        assert_eq!(c.moved("ArrowUp", false, x, y), Some(PlotCursor { x: 200.0, y: 45.75 }));
        assert_eq!(c.moved("ArrowDown", true, x, y), Some(PlotCursor { x: 200.0, y: 41.25 }));
        assert_eq!(c.moved("Enter", false, x, y), None);
        let mut far = c;
        for _ in 0..20 {
            far = far.moved("ArrowLeft", true, x, y).unwrap_or(far);
        }
        assert_eq!(far.x, 170.0, "the cursor stops at the plot's edge");
    }

    #[test]
    fn the_cursor_says_its_place_in_the_axes_words() {
        let x = AxisView { name: "flipper_length_mm".into(), min: 170.0, max: 230.0, levels: Vec::new() };
        let y = AxisView { name: "island".into(), min: -0.5, max: 1.5, levels: vec!["Biscoe".into(), "Dream".into()] };
        let c = PlotCursor { x: 206.04, y: 1.3 };
        assert_eq!(c.describe(&x, &y), "Cursor at flipper_length_mm 206, island Dream. Enter traces this place.");
    }
}
