//! An ensemble's member trees as small multiples: the first few trees side by side,
//! each cut to its top questions, under one title and one legend, so a person sees
//! how the trees differ and what they agree on.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::legend::{draw_legend, draw_scale_legend, legend_rows, Mark, ROW_HEIGHT};
use super::text::{anchor, draw_text, draw_title, fit, title_height, Font};
use super::theme::{class_color, ink, size, Theme};
use super::tree::{class_count, class_name, draw_member, member_size, MEMBER_DEPTH};
use super::RenderError;
use crate::base::format_count;
use crate::model::view::{NodeValue, TreeView};

/// Outer margin, CSS px.
const MARGIN: f64 = 16.0;
/// Smallest scale of a member tree shrunk to fit a narrow area: its text stays
/// at 10 px or more.
const MIN_MEMBER_ZOOM: f64 = 10.0 / size::SMALL;
/// Space between member trees, CSS px.
const GAP: f64 = 32.0;

/// Size (device px at `theme.scale`) of the view for an area `width` device px wide:
/// two trees a row when they fit, else one; never narrower than one tree.
pub fn trees_size(title: &str, trees: &[TreeView], theme: &Theme, width: u32) -> (u32, u32) {
    let grid = Grid::new(title, trees, theme, width as f64);
    (grid.width.ceil() as u32, grid.height.ceil() as u32)
}

/// Draws `title`, a legend and the member `trees` in a grid (best at [`trees_size`]).
pub fn draw_trees<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    trees: &[TreeView],
    theme: &Theme,
) -> Result<(), RenderError> {
    area.fill(&WHITE)?;
    let grid = Grid::new(title, trees, theme, area.dim_in_pixel().0 as f64);
    let margin = theme.px(MARGIN);
    let inner = grid.width - 2.0 * margin;
    let top_left = anchor(HPos::Left, VPos::Top);
    let sub_top = draw_title(area, theme, title, margin)?;
    let sub_font = Font::new(size::SMALL, ink::MUTED);
    let about = match trees.len() {
        0 => "There are no trees to show.".to_string(),
        n => format!(
            "The first {n} of its trees, each cut at depth {MEMBER_DEPTH}. Each box asks a question: yes goes left, no goes right."
        ),
    };
    draw_text(area, theme, sub_font, &fit(area, theme, sub_font, &about, inner)?, (margin, sub_top), top_left)?;
    let legend_top = sub_top + sub_font.line_height(theme) + theme.px(4.0);
    if let Some(first) = trees.first() {
        if grid.regression {
            draw_scale_legend(area, theme, &first.target_name, first.target_range, (margin, legend_top), inner)?;
        } else {
            let entries: Vec<(Mark, String)> =
                (0..class_count(first)).map(|i| (Mark::Square(class_color(i)), class_name(first, i))).collect();
            draw_legend(area, theme, &entries, (margin, legend_top), inner)?;
        }
    }
    for (i, tree) in trees.iter().enumerate() {
        let (col, row) = (i % grid.columns, i / grid.columns);
        let x = margin + col as f64 * (grid.cell.0 + theme.px(GAP));
        let y = grid.top + row as f64 * (grid.cell.1 + theme.px(GAP));
        let cell = area
            .clone()
            .shrink((x.round() as i32, y.round() as i32), (grid.cell.0.round() as u32, grid.cell.1.round() as u32));
        draw_member(&cell, tree, &grid.member_theme(theme), &caption(i, tree))?;
    }
    Ok(())
}

impl Grid {
    /// The theme the members are drawn in.
    fn member_theme(&self, theme: &Theme) -> Theme {
        Theme { scale: theme.ratio() * self.member_zoom, ..*theme }
    }
}

/// "tree 2 · 57 nodes, depth 9": which tree, and how much of it the cut hides.
fn caption(i: usize, tree: &TreeView) -> String {
    let depth = tree.nodes.iter().map(|n| n.depth).max().unwrap_or(0);
    format!("tree {} · {} nodes, depth {depth}", i + 1, format_count(tree.nodes.len()))
}

/// Where the header ends and the member trees go, device px.
struct Grid {
    regression: bool,
    columns: usize,
    /// Width and height of one member's cell.
    cell: (f64, f64),
    /// Scale of the members, at most 1: shrunk so one fits a narrow area.
    member_zoom: f64,
    /// Top of the first row of trees.
    top: f64,
    width: f64,
    height: f64,
}

impl Grid {
    fn new(title: &str, trees: &[TreeView], theme: &Theme, available: f64) -> Grid {
        let regression =
            trees.first().and_then(|t| t.nodes.first()).is_some_and(|n| matches!(n.value, NodeValue::Mean { .. }));
        let (margin, gap) = (theme.px(MARGIN), theme.px(GAP));
        let full =
            trees.iter().map(|t| member_size(t, theme)).fold((0.0f64, 0.0f64), |(w, h), (tw, th)| (w.max(tw), h.max(th)));
        // One member shrinks (to a floor) rather than push the view past its area.
        let member_zoom = ((available - 2.0 * margin) / full.0.max(1.0)).clamp(MIN_MEMBER_ZOOM, 1.0);
        let zoomed = Theme { scale: theme.ratio() * member_zoom, ..*theme };
        let cell =
            trees.iter().map(|t| member_size(t, &zoomed)).fold((0.0f64, 0.0f64), |(w, h), (tw, th)| (w.max(tw), h.max(th)));
        let columns = if trees.len() > 1 && 2.0 * cell.0 + gap + 2.0 * margin <= available { 2 } else { 1 };
        let width = available.max(columns as f64 * cell.0 + (columns - 1) as f64 * gap + 2.0 * margin);
        let legend = match trees.first() {
            None => 0,
            Some(_) if regression => 1,
            Some(first) => legend_rows(class_count(first), width - 2.0 * margin, theme),
        };
        let top = margin
            + title_height(title, theme, width, margin)
            + Font::new(size::SMALL, ink::MUTED).line_height(theme)
            + theme.px(4.0 + legend as f64 * ROW_HEIGHT + 16.0);
        let rows = trees.len().div_ceil(columns);
        let height = top + rows as f64 * cell.1 + rows.saturating_sub(1) as f64 * gap + margin;
        Grid { regression, columns, cell, member_zoom, top, width, height }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::base::SplitRule;
    use crate::model::view::{SplitView, TreeNodeView};
    use crate::render::golden::assert_golden;

    fn node(split: Option<(&str, f64, usize, usize)>, counts: [f64; 3], depth: usize) -> TreeNodeView {
        TreeNodeView {
            split: split.map(|(f, t, left, right)| SplitView {
                feature: f.into(),
                rule: SplitRule::AtMost { threshold: t },
                left,
                right,
            }),
            n_samples: counts.iter().sum::<f64>() as usize,
            value: NodeValue::Classes { counts: counts.to_vec() },
            depth,
        }
    }

    /// A bootstrap tree on iris: four levels deep, so the member view cuts it.
    fn member(first: &str, cut: f64, second: &str) -> TreeView {
        TreeView {
            nodes: vec![
                node(Some((first, cut, 1, 2)), [38.0, 44.0, 38.0], 0),
                node(None, [38.0, 0.0, 0.0], 1),
                node(Some((second, 1.75, 3, 4)), [0.0, 44.0, 38.0], 1),
                node(Some(("petal_length", 4.95, 5, 6)), [0.0, 42.0, 5.0], 2),
                node(None, [0.0, 2.0, 33.0], 2),
                node(None, [0.0, 41.0, 1.0], 3),
                node(Some(("sepal_length", 6.05, 7, 8)), [0.0, 1.0, 4.0], 3),
                node(None, [0.0, 1.0, 0.0], 4),
                node(None, [0.0, 0.0, 4.0], 4),
            ],
            class_names: vec!["setosa".into(), "versicolor".into(), "virginica".into()],
            target_name: "species".into(),
            target_range: (0.0, 0.0),
        }
    }

    fn forest() -> Vec<TreeView> {
        vec![
            member("petal_length", 2.45, "petal_width"),
            member("petal_width", 0.8, "petal_length"),
            member("petal_length", 2.6, "petal_length"),
            member("petal_width", 0.75, "petal_width"),
        ]
    }

    const TITLE: &str = "Random forest of 100 trees for species · out-of-bag accuracy 0.95";

    #[test]
    fn two_columns_when_they_fit_else_one() {
        let theme = Theme::default();
        let (cell, _) = member_size(&forest()[0], &theme);
        let (w, h2) = trees_size(TITLE, &forest(), &theme, 1400);
        assert_eq!(w, 1400);
        let (w1, h1) = trees_size(TITLE, &forest(), &theme, 700);
        assert!(h1 > h2 && w1 as f64 >= cell, "one column is taller: {h1} vs {h2}");
        // Narrower than one member: the members shrink to fit (a projector's zoomed page).
        let (w, _) = trees_size(TITLE, &forest(), &theme, 520);
        assert_eq!(w, 520);
        assert!(trees_size(TITLE, &[], &theme, 600).1 > 0);
    }

    #[test]
    fn forest_golden() {
        let theme = Theme::default();
        let trees = forest();
        assert_golden("trees_forest", trees_size(TITLE, &trees, &theme, 1240), |area| {
            draw_trees(area, TITLE, &trees, &theme)
        });
    }
}
