//! The tree diagram: every question the tree asks, how many training rows reached it and
//! what they looked like, so a person can follow any prediction from the root down.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::padded_range;
use super::legend::{draw_legend, draw_scale_legend, legend_rows, Mark, ROW_HEIGHT};
use super::text::{anchor, draw_text, fit, text_width, Font};
use super::theme::{class_color, ink, mix, sequential_color, size, Theme};
use super::tree_layout::{layout, spine_layout, Placed, Shape, TreeLayout, NODE_WIDTH};
use super::RenderError;
use crate::base::{format_count, format_number};
use crate::model::view::{NodeValue, SplitView, TreeView};

/// Outer margin, CSS px.
const MARGIN: f64 = 16.0;
/// Narrowest diagram, CSS px: room for the title and legend above a one-leaf tree.
const MIN_WIDTH: f64 = 560.0;
/// Vertical gap between rows of boxes, CSS px: room for the edges and their yes/no labels.
const ROW_GAP: f64 = 40.0;
/// Inner padding of a box, CSS px.
const PAD: f64 = 8.0;
/// Pitch of text lines inside a box, CSS px.
const LINE: f64 = 15.0;
/// Height of the class-mix / value bar in a box, CSS px.
const BAR: f64 = 8.0;
/// Widest legend, CSS px: on a very wide diagram the legend wraps near the left edge,
/// where the page's scroll view starts, instead of running off beyond it.
const LEGEND_MAX_WIDTH: f64 = 800.0;
/// Extra space between the question and the numbers under it, CSS px.
const HEADLINE_GAP: f64 = 4.0;

/// A row's path to mark on the diagram, root first (node indices of the view),
/// and whether to show only that path with every other branch folded (the
/// "spine" of a tree too big to read whole).
#[derive(Clone, Copy, Debug, Default)]
pub struct TreeFocus<'a> {
    pub path: &'a [usize],
    pub path_only: bool,
}

/// Pixel size (device px at `theme.scale`) the diagram of `view` needs; the page makes
/// a scrollable canvas this big. Known before drawing, as no text needs measuring.
pub fn tree_size(view: &TreeView, theme: &Theme, focus: TreeFocus) -> (u32, u32) {
    let plan = Plan::new(view, theme, focus);
    (plan.width.ceil() as u32, plan.height.ceil() as u32)
}

/// Horizontal centre of the root's box (device px at `theme.scale`) in a diagram
/// drawn at [`tree_size`], so the page can scroll a wide tree to its root.
pub fn tree_root_center(view: &TreeView, theme: &Theme, focus: TreeFocus) -> f64 {
    let plan = Plan::new(view, theme, focus);
    match plan.layout.nodes.first() {
        Some(_) => plan.left_edge(plan.width, theme) + theme.px(plan.layout.box_left(0) + NODE_WIDTH / 2.0),
        None => plan.width / 2.0,
    }
}

/// Draws the tree diagram of `view` into `area` (best at [`tree_size`]; a wider area
/// centers the tree, a smaller one crops it).
pub fn draw_tree<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &TreeView,
    theme: &Theme,
    focus: TreeFocus,
) -> Result<(), RenderError> {
    let plan = Plan::new(view, theme, focus);
    area.fill(&WHITE)?;
    let width = (area.dim_in_pixel().0 as f64).max(plan.width);
    plan.draw_header(area, view, theme, width)?;
    plan.draw_boxes(area, view, theme, plan.left_edge(width, theme))
}

/// Depth at which an ensemble's member trees are cut: two of them side by side still
/// fit a wide page at the diagram's full, readable size.
pub(crate) const MEMBER_DEPTH: usize = 2;

/// Size (device px) of a member tree as [`draw_member`] draws it.
pub(crate) fn member_size(view: &TreeView, theme: &Theme) -> (f64, f64) {
    let plan = Plan::member(view, theme);
    (plan.width, plan.height)
}

/// Draws `view` cut at [`MEMBER_DEPTH`] under a one-line `caption`, centered in
/// `area`: the boxes of the tree diagram without its title and legend, which the
/// ensemble's view draws once for all its trees.
pub(crate) fn draw_member<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &TreeView,
    theme: &Theme,
    caption: &str,
) -> Result<(), RenderError> {
    let plan = Plan::member(view, theme);
    let width = area.dim_in_pixel().0 as f64;
    let font = Font::new(size::BODY, ink::TEXT);
    let caption = fit(area, theme, font, caption, width)?;
    draw_text(area, theme, font, &caption, (width / 2.0, 0.0), anchor(HPos::Center, VPos::Top))?;
    plan.draw_boxes(area, view, theme, ((width - theme.px(plan.layout.width())) / 2.0).max(0.0))
}

/// Everything about the diagram's geometry, computed once for sizing and for drawing.
struct Plan {
    layout: TreeLayout,
    regression: bool,
    /// Device px.
    width: f64,
    height: f64,
    /// Top of the first row of boxes, device px.
    tree_top: f64,
    /// Box height, CSS px.
    node_height: f64,
    /// The traced row's path, drawn in bold.
    path: Vec<usize>,
}

impl Plan {
    fn new(view: &TreeView, theme: &Theme, focus: TreeFocus) -> Plan {
        let layout = if focus.path_only && !focus.path.is_empty() {
            spine_layout(view, focus.path)
        } else {
            layout(view, usize::MAX)
        };
        let (regression, node_height) = node_geometry(view);
        let width = theme.px((layout.width() + 2.0 * MARGIN).max(MIN_WIDTH));
        let legend_rows = match (layout.nodes.is_empty(), regression) {
            (true, _) => 0,
            (false, true) => 1,
            (false, false) => legend_rows(class_count(view), legend_width(width, theme), theme),
        };
        let tree_top = theme.px(MARGIN)
            + Font::new(size::TITLE, ink::TEXT).line_height(theme)
            + Font::new(size::SMALL, ink::MUTED).line_height(theme)
            + theme.px(4.0 + legend_rows as f64 * ROW_HEIGHT + 16.0);
        let height = tree_top + theme.px(boxes_height(&layout, node_height) + MARGIN);
        Plan { layout, regression, width, height, tree_top, node_height, path: focus.path.to_vec() }
    }

    /// A member of an ensemble: a caption line above the boxes, no margins.
    fn member(view: &TreeView, theme: &Theme) -> Plan {
        let layout = layout(view, MEMBER_DEPTH);
        let (regression, node_height) = node_geometry(view);
        let width = theme.px(layout.width());
        let tree_top = Font::new(size::BODY, ink::TEXT).line_height(theme) + theme.px(8.0);
        let height = tree_top + theme.px(boxes_height(&layout, node_height));
        Plan { layout, regression, width, height, tree_top, node_height, path: Vec::new() }
    }

    /// Edges and boxes, with the laid-out tree's left edge at `left` (device px).
    fn draw_boxes<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        view: &TreeView,
        theme: &Theme,
        left: f64,
    ) -> Result<(), RenderError> {
        let boxes: Vec<(f64, f64)> = (0..self.layout.nodes.len())
            .map(|i| (left + theme.px(self.layout.box_left(i)), self.row_top(self.layout.nodes[i].depth, theme)))
            .collect();
        let nodes = &self.layout.nodes;
        for (i, node) in nodes.iter().enumerate() {
            if let Shape::Split { left, right } = node.shape {
                let traced = [left, right].map(|c| self.on_path(node.node) && self.on_path(nodes[c].node));
                self.draw_edges(area, theme, boxes[i], [boxes[left], boxes[right]], traced)?;
            }
        }
        for (node, &corner) in self.layout.nodes.iter().zip(&boxes) {
            self.draw_node(area, view, theme, node, corner)?;
        }
        Ok(())
    }

    fn on_path(&self, node: usize) -> bool {
        self.path.contains(&node)
    }

    /// Where the laid-out tree starts in an area `width` device px wide: centered,
    /// but never closer than the margin to the left edge.
    fn left_edge(&self, width: f64, theme: &Theme) -> f64 {
        ((width - theme.px(self.layout.width())) / 2.0).max(theme.px(MARGIN))
    }

    fn row_top(&self, depth: usize, theme: &Theme) -> f64 {
        self.tree_top + theme.px(depth as f64 * (self.node_height + ROW_GAP))
    }

    /// Title (with the cut, if any), a line on how to read the diagram, and the legend.
    fn draw_header<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        view: &TreeView,
        theme: &Theme,
        width: f64,
    ) -> Result<(), RenderError> {
        let l = &self.layout;
        let margin = theme.px(MARGIN);
        let inner = width - 2.0 * margin;
        // Only the target name gives way when space is short: the cut must stay visible.
        let title_font = Font::new(size::TITLE, ink::TEXT);
        let prefix = "Decision tree for ";
        let suffix = if l.path_only {
            " — the traced path only".to_string()
        } else if l.is_collapsed() {
            format!(" — showing depth ≤ {} of {}", l.shown_depth, l.full_depth)
        } else {
            String::new()
        };
        let fixed = text_width(area, theme, title_font, prefix)? + text_width(area, theme, title_font, &suffix)?;
        let name = fit(area, theme, title_font, &view.target_name, inner - fixed)?;
        let top_left = anchor(HPos::Left, VPos::Top);
        draw_text(area, theme, title_font, &format!("{prefix}{name}{suffix}"), (margin, margin), top_left)?;
        let sub_font = Font::new(size::SMALL, ink::MUTED);
        let sub_top = margin + title_font.line_height(theme);
        let count = |n: usize, one: &str, many: &str| format!("{} {}", format_count(n), if n == 1 { one } else { many });
        let about = if l.nodes.is_empty() {
            "This tree has no nodes to show.".to_string()
        } else {
            format!(
                "{}, {}, depth {}. {}",
                count(l.total_nodes, "node", "nodes"),
                count(l.total_leaves, "leaf", "leaves"),
                l.full_depth,
                if self.path.is_empty() {
                    "Each box asks a question: yes goes left, no goes right."
                } else {
                    "Yes goes left, no goes right. Bold: the traced row's path."
                }
            )
        };
        draw_text(area, theme, sub_font, &fit(area, theme, sub_font, &about, inner)?, (margin, sub_top), top_left)?;
        let legend_top = sub_top + sub_font.line_height(theme) + theme.px(4.0);
        if l.nodes.is_empty() {
            Ok(())
        } else if self.regression {
            draw_scale_legend(area, theme, &view.target_name, view.target_range, (margin, legend_top), inner)
        } else {
            let entries: Vec<(Mark, String)> =
                (0..class_count(view)).map(|i| (Mark::Square(class_color(i)), class_name(view, i))).collect();
            draw_legend(area, theme, &entries, (margin, legend_top), legend_width(width, theme))
        }
    }

    /// Elbow connectors from a split to its children, labelled yes (left) and no (right);
    /// a `traced` one in bold.
    fn draw_edges<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
        parent: (f64, f64),
        children: [(f64, f64); 2],
        traced: [bool; 2],
    ) -> Result<(), RenderError> {
        let half = theme.px(NODE_WIDTH / 2.0);
        let px = (parent.0 + half).round() as i32;
        let bottom = (parent.1 + theme.px(self.node_height)).round() as i32;
        let elbow = bottom + theme.ipx(ROW_GAP / 2.0);
        let label_font = Font::new(size::SMALL, ink::MUTED);
        let lift = elbow as f64 - theme.px(3.0);
        // The traced edge last, so the thin one never crosses it.
        let mut order = [0, 1];
        if traced[0] {
            order.swap(0, 1);
        }
        for i in order {
            let ((x, top), (label, side)) = (children[i], [("yes", -1.0), ("no", 1.0)][i]);
            let line = if traced[i] { theme.stroke(3.0, ink::TEXT) } else { theme.stroke(1.25, ink::EDGE) };
            let cx = (x + half).round() as i32;
            let path = vec![(px, bottom), (px, elbow), (cx, elbow), (cx, top.round() as i32)];
            area.draw(&PathElement::new(path, line))?;
            let h = if side < 0.0 { HPos::Right } else { HPos::Left };
            let at = (px as f64 + side * theme.px(6.0), lift);
            draw_text(area, theme, label_font, label, at, anchor(h, VPos::Bottom))?;
        }
        Ok(())
    }

    /// One box: the question (or the prediction, for a leaf), the row count, and a bar
    /// showing the class mix (or the mean within the target's range).
    fn draw_node<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        view: &TreeView,
        theme: &Theme,
        placed: &Placed,
        (x, y): (f64, f64),
    ) -> Result<(), RenderError> {
        let Some(node) = view.nodes.get(placed.node) else { return Ok(()) };
        let (w, h) = (theme.px(NODE_WIDTH), theme.px(self.node_height));
        let corners = |dx: f64| {
            [((x + dx).round() as i32, (y + dx).round() as i32), ((x + w + dx).round() as i32, (y + h + dx).round() as i32)]
        };
        let tint = self.value_color(view, &node.value);
        let (fill, border, border_width) = match placed.shape {
            _ if self.on_path(placed.node) => {
                (if placed.shape == Shape::Leaf { mix(ink::WHITE, tint, 0.25) } else { ink::WHITE }, ink::TEXT, 3.0)
            }
            Shape::Leaf => (mix(ink::WHITE, tint, 0.12), tint, 2.0),
            Shape::Split { .. } => (ink::WHITE, ink::EDGE, 1.0),
            Shape::Collapsed { .. } => {
                // A second card peeking out behind: there is more below this one.
                area.draw(&Rectangle::new(corners(theme.px(3.0)), theme.fill(ink::TRACK)))?;
                area.draw(&Rectangle::new(corners(theme.px(3.0)), theme.stroke(1.0, ink::EDGE)))?;
                (ink::WHITE, ink::EDGE, 1.0)
            }
        };
        area.draw(&Rectangle::new(corners(0.0), theme.fill(fill)))?;
        area.draw(&Rectangle::new(corners(0.0), theme.stroke(border_width, border)))?;

        let inner = w - theme.px(2.0 * PAD);
        let center_x = x + w / 2.0;
        let line = theme.px(LINE);
        let text = Font::new(size::BODY, ink::TEXT);
        let muted = Font::new(size::SMALL, ink::MUTED);
        let headline: Vec<(String, Font)> = match (&placed.shape, &node.split) {
            (Shape::Split { .. }, Some(split)) => {
                question_lines(area, theme, text, split, inner)?.into_iter().map(|s| (s, text)).collect()
            }
            (Shape::Collapsed { hidden }, Some(split)) => vec![
                (fit(area, theme, text, &split.branch_texts().0, inner)?, text),
                (format!("+ {} more nodes", format_count(*hidden)), muted),
            ],
            _ => vec![(fit(area, theme, text, &self.prediction(view, &node.value), inner)?, text)],
        };
        // The headline block is two lines tall; a single line sits in its middle.
        let block_top = y + theme.px(PAD) + (2.0 - headline.len() as f64) * line / 2.0;
        let centered = anchor(HPos::Center, VPos::Center);
        for (i, (s, font)) in headline.iter().enumerate() {
            draw_text(area, theme, *font, s, (center_x, block_top + (i as f64 + 0.5) * line), centered)?;
        }
        let mut row_y = y + theme.px(PAD + HEADLINE_GAP) + 2.5 * line;
        draw_text(area, theme, muted, &format!("n = {}", format_count(node.n_samples)), (center_x, row_y), centered)?;
        if let NodeValue::Mean { mean } = node.value {
            row_y += line;
            draw_text(area, theme, muted, &format!("mean {}", format_number(mean)), (center_x, row_y), centered)?;
        }
        let bar_top = row_y + line / 2.0 + theme.px(4.0);
        draw_value_bar(area, theme, &node.value, view.target_range, (x + theme.px(PAD), bar_top), (inner, theme.px(BAR)))
    }

    /// The color a node's prediction stands for: its majority class, or its mean on viridis.
    fn value_color(&self, view: &TreeView, value: &NodeValue) -> RGBColor {
        match value {
            NodeValue::Classes { .. } => class_color(value.majority().unwrap_or(0)),
            NodeValue::Mean { mean } => sequential_color(range_position(view.target_range, *mean)),
        }
    }

    /// What a leaf predicts, in words.
    fn prediction(&self, view: &TreeView, value: &NodeValue) -> String {
        match value {
            NodeValue::Classes { .. } => format!("predict {}", class_name(view, value.majority().unwrap_or(0))),
            NodeValue::Mean { mean } => format!("predict {}", format_number(*mean)),
        }
    }
}

/// The class mix of a node as a stacked bar, or its mean as a bar filled up to
/// its place in the target's `range`: the tree's boxes and the leaf chart share it.
pub(crate) fn draw_value_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    value: &NodeValue,
    range: (f64, f64),
    (x, y): (f64, f64),
    (width, height): (f64, f64),
) -> Result<(), RenderError> {
    let (top, bottom) = (y.round() as i32, (y + height).round() as i32);
    let span = |from: f64, to: f64| [((x + from).round() as i32, top), ((x + to).round() as i32, bottom)];
    area.draw(&Rectangle::new(span(0.0, width), theme.fill(ink::TRACK)))?;
    match value {
        NodeValue::Classes { counts } => {
            let clean = |c: f64| if c.is_finite() && c > 0.0 { c } else { 0.0 };
            let total: f64 = counts.iter().map(|&c| clean(c)).sum();
            if total > 0.0 {
                let mut done = 0.0;
                for (i, &c) in counts.iter().enumerate() {
                    let from = done / total * width;
                    done += clean(c);
                    area.draw(&Rectangle::new(span(from, done / total * width), theme.fill(class_color(i))))?;
                }
            }
        }
        NodeValue::Mean { mean } => {
            let t = range_position(range, *mean);
            if t.is_finite() {
                area.draw(&Rectangle::new(span(0.0, t * width), theme.fill(sequential_color(t))))?;
            }
        }
    }
    Ok(())
}

/// Where `mean` lies in the (padded) target range, 0..=1 (NaN for a NaN mean).
pub(crate) fn range_position(range: (f64, f64), mean: f64) -> f64 {
    let (lo, hi) = padded_range(range.0, range.1);
    ((mean - lo) / (hi - lo)).clamp(0.0, 1.0)
}

/// The left branch's condition on one line if it fits, else the column name on the first
/// line and the comparison on the second, so the threshold is never the part cut off.
fn question_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    font: Font,
    split: &SplitView,
    max_width: f64,
) -> Result<Vec<String>, RenderError> {
    let condition = split.branch_texts().0;
    let one_line = fit(area, theme, font, &condition, max_width)?;
    if one_line == condition {
        return Ok(vec![condition]);
    }
    let comparison = condition.strip_prefix(split.feature.as_str()).unwrap_or(&condition).trim();
    Ok(vec![fit(area, theme, font, &split.feature, max_width)?, fit(area, theme, font, comparison, max_width)?])
}

/// Whether `view` is a regression tree, and the height of its boxes (CSS px).
fn node_geometry(view: &TreeView) -> (bool, f64) {
    let regression = view.nodes.first().is_some_and(|n| matches!(n.value, NodeValue::Mean { .. }));
    // Text lines: the question (two lines), "n = …", and for regression "mean …".
    let lines = if regression { 4.0 } else { 3.0 };
    (regression, 2.0 * PAD + lines * LINE + HEADLINE_GAP + 4.0 + BAR)
}

/// Height (CSS px) of the laid-out rows of boxes and the gaps between them.
fn boxes_height(layout: &TreeLayout, node_height: f64) -> f64 {
    let rows = layout.rows() as f64;
    (rows * node_height + (rows - 1.0).max(0.0) * ROW_GAP).max(0.0)
}

/// Room for the legend in a diagram `width` device px wide.
fn legend_width(width: f64, theme: &Theme) -> f64 {
    (width - theme.px(2.0 * MARGIN)).min(theme.px(LEGEND_MAX_WIDTH))
}

/// Classes to show in the legend: the named ones, or as many as the root counts.
pub(crate) fn class_count(view: &TreeView) -> usize {
    let counted = match view.nodes.first().map(|n| &n.value) {
        Some(NodeValue::Classes { counts }) => counts.len(),
        _ => 0,
    };
    view.class_names.len().max(counted)
}

pub(crate) fn class_name(view: &TreeView, i: usize) -> String {
    view.class_names.get(i).cloned().unwrap_or_else(|| format!("class {i}"))
}

#[cfg(test)]
mod tests;
