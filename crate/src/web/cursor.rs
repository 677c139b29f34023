//! The keyboard cursor of the boundary plot and of the plot along one
//! feature: a place on the plot, in the axes' units, that the arrow keys
//! move and Enter traces as a click would. What
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
    /// Shift, kept inside the ranges; `None` for a key that is no arrow, or
    /// for up and down on a plot whose only axis to move along is `x` (`y`
    /// is `None`: the plot along one feature), where they scroll the page.
    pub fn moved(self, key: &str, big: bool, x: (f64, f64), y: Option<(f64, f64)>) -> Option<Self> {
        let step = if big { BIG_STEP } else { STEP };
        let go = |v: f64, d: f64, (lo, hi): (f64, f64)| (v + d * step * (hi - lo)).clamp(lo.min(hi), lo.max(hi));
        match key {
            "ArrowLeft" => Some(PlotCursor { x: go(self.x, -1.0, x), ..self }),
            "ArrowRight" => Some(PlotCursor { x: go(self.x, 1.0, x), ..self }),
            "ArrowDown" => y.map(|y| PlotCursor { y: go(self.y, -1.0, y), ..self }),
            "ArrowUp" => y.map(|y| PlotCursor { y: go(self.y, 1.0, y), ..self }),
            _ => None,
        }
    }

    /// Where the cursor is, in the axes' words: "flipper_length_mm 206,
    /// island Dream"; along one feature (`y` is `None`) only its value, and
    /// Enter traces the row nearest to it.
    pub fn describe(&self, x: &AxisView, y: Option<&AxisView>) -> String {
        match y {
            Some(y) => format!("Cursor at {}, {}. Enter traces this place.", place(x, self.x), place(y, self.y)),
            None => format!("Cursor at {}. Enter traces the row nearest to it.", place(x, self.x)),
        }
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
        assert_eq!(c.moved("ArrowRight", false, x, Some(y)), Some(PlotCursor { x: 201.5, y: 45.0 }));
        assert_eq!(c.moved("ArrowUp", false, x, Some(y)), Some(PlotCursor { x: 200.0, y: 45.75 }));
        assert_eq!(c.moved("ArrowDown", true, x, Some(y)), Some(PlotCursor { x: 200.0, y: 41.25 }));
        assert_eq!(c.moved("Enter", false, x, Some(y)), None);
        let mut far = c;
        for _ in 0..20 {
            far = far.moved("ArrowLeft", true, x, Some(y)).unwrap_or(far);
        }
        assert_eq!(far.x, 170.0, "the cursor stops at the plot's edge");
    }

    #[test]
    fn along_one_feature_only_left_and_right_move_the_cursor() {
        let c = PlotCursor { x: 30.0, y: 0.5 };
        assert_eq!(c.moved("ArrowRight", true, (0.0, 80.0), None), Some(PlotCursor { x: 40.0, y: 0.5 }));
        assert_eq!(c.moved("ArrowUp", false, (0.0, 80.0), None), None, "up and down are left to the page");
        assert_eq!(c.moved("ArrowDown", false, (0.0, 80.0), None), None);
        let age = AxisView { name: "age".into(), min: -1.5, max: 75.5, levels: Vec::new() };
        assert_eq!(c.describe(&age, None), "Cursor at age 30. Enter traces the row nearest to it.");
    }

    #[test]
    fn the_cursor_says_its_place_in_the_axes_words() {
        let x = AxisView { name: "flipper_length_mm".into(), min: 170.0, max: 230.0, levels: Vec::new() };
        let y = AxisView { name: "island".into(), min: -0.5, max: 1.5, levels: vec!["Biscoe".into(), "Dream".into()] };
        let c = PlotCursor { x: 206.04, y: 1.3 };
        assert_eq!(c.describe(&x, Some(&y)), "Cursor at flipper_length_mm 206, island Dream. Enter traces this place.");
    }
}
