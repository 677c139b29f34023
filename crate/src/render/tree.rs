//! The tree diagram: every question the tree asks, how many training rows reached it and
//! what they looked like, so a person can follow any prediction from the root down.
//!
//! On the page a diagram opens fitted to its card ([`TreeScene::fitted`]): its text
//! shrinks down to a readable floor, and past that the deepest branches are folded
//! into boxes marked "+ N more nodes" that open on a click. A [`TreeCamera`] zooms
//! and pans the boxes under a header (title, reading line, legend) that stays put,
//! so the title is never cut, however the tree is moved.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::padded_range;
use super::legend::{draw_legend, draw_scale_legend, legend_rows, Mark, ROW_HEIGHT};
use super::text::{anchor, draw_text, draw_title, fit, title_height, wrap, Font};
use super::theme::{class_color, ink, mix, sequential_color, size, Theme};
use super::tree_layout::{cut_layout, layout, spine_layout, Placed, Shape, TreeLayout, MAX_SLOTS, NODE_WIDTH, SLOT};
use super::RenderError;
use crate::base::{format_count, format_number};
use crate::model::view::{NodeValue, SplitView, TreeView};

/// Outer margin, CSS px.
const MARGIN: f64 = 16.0;
/// Narrowest diagram, CSS px: room for the title and legend above a one-leaf tree.
const MIN_WIDTH: f64 = 560.0;
/// Vertical gap between rows of boxes, CSS px: room for the edges and their yes/no labels.
const ROW_GAP: f64 = 44.0;
/// Inner padding of a box, CSS px.
const PAD: f64 = 8.0;
/// Pitch of text lines inside a box, CSS px.
const LINE: f64 = 19.0;
/// Height of the class-mix / value bar in a box, CSS px.
const BAR: f64 = 8.0;
/// Widest legend, CSS px: on a very wide diagram the legend stays near the left edge.
const LEGEND_MAX_WIDTH: f64 = 800.0;
/// Extra space between the question and the numbers under it, CSS px.
const HEADLINE_GAP: f64 = 4.0;
/// The "+ N nodes" marker under a folded branch: its gap from the box, width
/// and height, CSS px (it fits in the row gap, where no edge runs from a fold).
const FOLD_GAP: f64 = 6.0;
const FOLD_WIDTH: f64 = 110.0;
const FOLD_HEIGHT: f64 = 24.0;
/// Smallest text (CSS px) a fitted diagram opens with: below this it folds branches
/// instead of shrinking further. (The person can still zoom in or out.)
const MIN_FIT_TEXT: f64 = 10.0;
/// Zoom limits for the person's zooming: far enough out to see the shape of an
/// opened-up tree, far enough in to read it from the back of a room.
const MIN_ZOOM: f64 = 0.3;
const MAX_ZOOM: f64 = 4.0;

/// A row's path to mark on the diagram, root first (node indices of the view),
/// whether to show only that path with every other branch folded (the "spine"
/// of a tree too big to read whole), and the folded branches the person opened.
#[derive(Clone, Copy, Debug, Default)]
pub struct TreeFocus<'a> {
    pub path: &'a [usize],
    pub path_only: bool,
    pub opened: &'a [usize],
}

/// Pixel size (device px at `theme.scale`) the whole diagram of `view` needs
/// unfolded (up to the layout's cap), at full size. Known before drawing.
pub fn tree_size(view: &TreeView, theme: &Theme, focus: TreeFocus) -> (u32, u32) {
    TreeScene::natural(view, focus).size(theme)
}

/// Draws the whole diagram of `view` at full size into `area` (best at [`tree_size`];
/// a wider area centers the tree).
pub fn draw_tree<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &TreeView,
    theme: &Theme,
    focus: TreeFocus,
) -> Result<(), RenderError> {
    let scene = TreeScene::natural(view, focus);
    draw_tree_scene(area, view, theme, &scene, scene.fit())
}

/// Where the boxes of a diagram are shown: their scale, and the place (CSS px,
/// from the left of the canvas and from the bottom of the header) of the top
/// left corner of their extent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TreeCamera {
    pub zoom: f64,
    pub x: f64,
    pub y: f64,
}

/// A diagram laid out for a canvas of a given width: what is folded, how tall
/// the header is, and the zoom at which the boxes fit. All lengths in CSS px.
#[derive(Clone)]
pub struct TreeScene {
    plan: Plan,
    width: f64,
    header: f64,
    fit_zoom: f64,
}

impl TreeScene {
    /// The diagram for a card `width` CSS px wide: at full size when it fits, else
    /// shrunk until its smallest text reaches a floor of 10 px, and past that with
    /// its deepest branches folded (except those in `focus.opened` or on its path).
    pub fn fitted(view: &TreeView, focus: TreeFocus, width: f64) -> TreeScene {
        let width = if width.is_finite() { width.max(1.0) } else { MIN_WIDTH };
        let floor = min_fit_zoom();
        let slots = ((width / floor - 2.0 * MARGIN + (SLOT - NODE_WIDTH)) / SLOT).floor();
        let plan = Plan::new(view, focus, (slots.max(1.0) as usize).min(MAX_SLOTS));
        let natural = plan.layout.width() + 2.0 * MARGIN;
        let fit_zoom = (width / natural).clamp(floor, 1.0);
        TreeScene { header: header_height(view, &plan, &Theme::default(), width), plan, width, fit_zoom }
    }

    /// The whole diagram at full size, as wide as it needs.
    fn natural(view: &TreeView, focus: TreeFocus) -> TreeScene {
        let plan = Plan::new(view, focus, MAX_SLOTS);
        let width = (plan.layout.width() + 2.0 * MARGIN).max(MIN_WIDTH);
        TreeScene { header: header_height(view, &plan, &Theme::default(), width), plan, width, fit_zoom: 1.0 }
    }

    /// Canvas size in device px at `theme.scale`: the card's width, and the
    /// header over the boxes at the fitting zoom.
    pub fn size(&self, theme: &Theme) -> (u32, u32) {
        let height = self.header + self.fit_zoom * (self.plan.boxes_height() + MARGIN);
        (theme.px(self.width).ceil() as u32, theme.px(height).ceil() as u32)
    }

    /// What the diagram shows, in words: its title and how to read it (the
    /// canvas's text alternative).
    pub fn describe(&self, view: &TreeView) -> String {
        let (title, about) = self.plan.header_text(view);
        let first = view.first_question().map_or(String::new(), |q| format!(" First question: {q}."));
        format!("{title}. {about}{first}")
    }

    /// The camera that shows the boxes fitted and centered.
    pub fn fit(&self) -> TreeCamera {
        let zoom = self.fit_zoom;
        self.clamp(TreeCamera { zoom, x: (self.width - zoom * self.plan.layout.width()) / 2.0, y: 0.0 })
    }

    /// `camera` zoomed by `factor` about the canvas point `about` (CSS px), which stays put.
    pub fn zoom(&self, camera: TreeCamera, factor: f64, about: (f64, f64)) -> TreeCamera {
        let factor = if factor.is_finite() && factor > 0.0 { factor } else { 1.0 };
        let zoom = (camera.zoom * factor).clamp(MIN_ZOOM.min(self.fit_zoom), MAX_ZOOM);
        let k = zoom / camera.zoom;
        let (ax, ay) = (about.0, about.1 - self.header);
        self.clamp(TreeCamera { zoom, x: ax - (ax - camera.x) * k, y: ay - (ay - camera.y) * k })
    }

    /// `camera` moved by `by` (CSS px).
    pub fn pan(&self, camera: TreeCamera, by: (f64, f64)) -> TreeCamera {
        self.clamp(TreeCamera { x: camera.x + by.0, y: camera.y + by.1, ..camera })
    }

    /// The first folded branch (node index of the view) in reading order,
    /// shallowest first, then left to right: what Enter opens on the diagram.
    pub fn first_folded(&self) -> Option<usize> {
        let l = &self.plan.layout;
        (0..l.nodes.len())
            .filter(|&i| matches!(l.nodes[i].shape, Shape::Collapsed { .. }))
            .min_by(|&a, &b| {
                let place = |i: usize| (l.nodes[i].depth, l.box_left(i));
                let (pa, pb) = (place(a), place(b));
                pa.0.cmp(&pb.0).then(pa.1.total_cmp(&pb.1))
            })
            .map(|i| l.nodes[i].node)
    }

    /// The folded branch (node index of the view) whose box is under the canvas
    /// point `at` (CSS px), if any.
    pub fn folded_at(&self, camera: TreeCamera, at: (f64, f64)) -> Option<usize> {
        let l = &self.plan.layout;
        (0..l.nodes.len()).filter(|&i| matches!(l.nodes[i].shape, Shape::Collapsed { .. })).find_map(|i| {
            let (x, y) = self.box_corner(camera, i);
            // The box and the marker under it.
            let (w, h) = (camera.zoom * NODE_WIDTH, camera.zoom * (self.plan.node_height + FOLD_GAP + FOLD_HEIGHT));
            (at.0 >= x && at.0 <= x + w && at.1 >= y && at.1 <= y + h).then_some(l.nodes[i].node)
        })
    }

    /// Center (CSS px on the canvas) of the box of view node `node`, if drawn.
    pub fn node_center(&self, camera: TreeCamera, node: usize) -> Option<(f64, f64)> {
        let i = self.plan.layout.nodes.iter().position(|n| n.node == node)?;
        let (x, y) = self.box_corner(camera, i);
        Some((x + camera.zoom * NODE_WIDTH / 2.0, y + camera.zoom * self.plan.node_height / 2.0))
    }

    /// Top left corner (CSS px on the canvas) of laid-out node `i`'s box.
    fn box_corner(&self, camera: TreeCamera, i: usize) -> (f64, f64) {
        let depth = self.plan.layout.nodes[i].depth as f64;
        (
            camera.x + camera.zoom * self.plan.layout.box_left(i),
            self.header + camera.y + camera.zoom * depth * (self.plan.node_height + ROW_GAP),
        )
    }

    /// Keeps the boxes on the canvas: a tree narrower than the canvas stays
    /// inside its margins, a wider one cannot be pulled past its own edges.
    fn clamp(&self, camera: TreeCamera) -> TreeCamera {
        let zoom = camera.zoom;
        let margin = zoom * MARGIN;
        let body = self.fit_zoom * (self.plan.boxes_height() + MARGIN);
        let within = |v: f64, room: f64, extent: f64, margin: f64| {
            let (a, b) = (margin, room - margin - extent);
            if v.is_finite() {
                v.clamp(a.min(b), a.max(b))
            } else {
                a.min(b)
            }
        };
        TreeCamera {
            zoom,
            x: within(camera.x, self.width, zoom * self.plan.layout.width(), margin),
            y: within(camera.y, body, zoom * self.plan.boxes_height(), 0.0),
        }
    }
}

/// The fitting zoom's floor: the diagram's smallest text at [`MIN_FIT_TEXT`].
fn min_fit_zoom() -> f64 {
    MIN_FIT_TEXT / size::SMALL
}

/// Draws `scene` into `area` (best at [`TreeScene::size`]) with its boxes where
/// `camera` puts them, under its header.
pub fn draw_tree_scene<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    view: &TreeView,
    theme: &Theme,
    scene: &TreeScene,
    camera: TreeCamera,
) -> Result<(), RenderError> {
    area.fill(&WHITE)?;
    let zoomed = Theme { scale: theme.ratio() * camera.zoom, ..*theme };
    scene.plan.draw_boxes(area, view, &zoomed, (theme.px(camera.x), theme.px(scene.header + camera.y)))?;
    // The header's band covers whatever the camera moved under it.
    let width = area.dim_in_pixel().0 as f64;
    area.draw(&Rectangle::new([(0, 0), (width.ceil() as i32, theme.ipx(scene.header))], theme.fill(ink::WHITE)))?;
    scene.plan.draw_header(area, view, theme, width)
}

/// Depth at which an ensemble's member trees are cut: two of them side by side still
/// fit a wide page at the diagram's full, readable size.
pub(crate) const MEMBER_DEPTH: usize = 2;

/// Size (device px) of a member tree as [`draw_member`] draws it.
pub(crate) fn member_size(view: &TreeView, theme: &Theme) -> (f64, f64) {
    let plan = Plan::member(view);
    (theme.px(plan.layout.width()), member_top(theme) + theme.px(plan.boxes_height()))
}

/// Where a member's boxes start under its caption, device px.
fn member_top(theme: &Theme) -> f64 {
    Font::new(size::BODY, ink::TEXT).line_height(theme) + theme.px(8.0)
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
    let plan = Plan::member(view);
    let width = area.dim_in_pixel().0 as f64;
    let font = Font::new(size::BODY, ink::TEXT);
    let caption = fit(area, theme, font, caption, width)?;
    draw_text(area, theme, font, &caption, (width / 2.0, 0.0), anchor(HPos::Center, VPos::Top))?;
    let left = ((width - theme.px(plan.layout.width())) / 2.0).max(0.0);
    plan.draw_boxes(area, view, theme, (left, member_top(theme)))
}

/// What is drawn and how the boxes are shaped, independent of where and how big.
#[derive(Clone)]
struct Plan {
    layout: TreeLayout,
    regression: bool,
    /// Box height, CSS px.
    node_height: f64,
    /// The traced row's path, drawn in bold.
    path: Vec<usize>,
}

impl Plan {
    /// The diagram cut to at most `max_slots` wide, but open along the traced
    /// path and where the person opened it.
    fn new(view: &TreeView, focus: TreeFocus, max_slots: usize) -> Plan {
        let layout = if focus.path_only && !focus.path.is_empty() {
            spine_layout(view, focus.path)
        } else {
            let open: Vec<usize> = focus.opened.iter().chain(focus.path).copied().collect();
            cut_layout(view, usize::MAX, max_slots, &open)
        };
        let (regression, node_height) = node_geometry(view);
        Plan { layout, regression, node_height, path: focus.path.to_vec() }
    }

    /// A member of an ensemble, cut at [`MEMBER_DEPTH`].
    fn member(view: &TreeView) -> Plan {
        let (regression, node_height) = node_geometry(view);
        Plan { layout: layout(view, MEMBER_DEPTH), regression, node_height, path: Vec::new() }
    }

    /// Height (CSS px) of the laid-out rows of boxes and the gaps between them,
    /// and of the fold markers under the last row.
    fn boxes_height(&self) -> f64 {
        let rows = self.layout.rows() as f64;
        let last = self.layout.shown_depth;
        let marked = self.layout.nodes.iter().any(|n| n.depth == last && matches!(n.shape, Shape::Collapsed { .. }));
        let markers = if marked { FOLD_GAP + FOLD_HEIGHT } else { 0.0 };
        (rows * self.node_height + (rows - 1.0).max(0.0) * ROW_GAP + markers).max(0.0)
    }

    /// Edges and boxes, with the laid-out tree's top left corner at `origin` (device px).
    fn draw_boxes<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        view: &TreeView,
        theme: &Theme,
        (left, top): (f64, f64),
    ) -> Result<(), RenderError> {
        let row_top = |depth: usize| top + theme.px(depth as f64 * (self.node_height + ROW_GAP));
        let boxes: Vec<(f64, f64)> = (0..self.layout.nodes.len())
            .map(|i| (left + theme.px(self.layout.box_left(i)), row_top(self.layout.nodes[i].depth)))
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

    /// The title (with the cut, if any), and the line on how to read the diagram.
    fn header_text(&self, view: &TreeView) -> (String, String) {
        let l = &self.layout;
        let count = |n: usize, one: &str, many: &str| format!("{} {}", format_count(n), if n == 1 { one } else { many });
        let suffix = if l.path_only {
            " — the traced path only".to_string()
        } else if l.folded() > 0 {
            format!(" — {} folded", count(l.folded(), "branch", "branches"))
        } else {
            String::new()
        };
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
        (format!("Decision tree for {}{suffix}", view.target_name), about)
    }

    /// Title (with the cut, if any), a line on how to read the diagram, and the
    /// legend, across an area `width` device px wide.
    fn draw_header<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        view: &TreeView,
        theme: &Theme,
        width: f64,
    ) -> Result<(), RenderError> {
        let margin = theme.px(MARGIN);
        let inner = width - 2.0 * margin;
        let (title, about) = self.header_text(view);
        let top_left = anchor(HPos::Left, VPos::Top);
        let sub_font = Font::new(size::SMALL, ink::MUTED);
        let mut line_top = draw_title(area, theme, &title, margin)?;
        for line in wrap(&about, theme, sub_font, inner) {
            draw_text(area, theme, sub_font, &fit(area, theme, sub_font, &line, inner)?, (margin, line_top), top_left)?;
            line_top += sub_font.line_height(theme);
        }
        let legend_top = line_top + theme.px(4.0);
        if self.layout.nodes.is_empty() {
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
            Shape::Split { .. } | Shape::Collapsed { .. } => (ink::WHITE, ink::EDGE, 1.0),
        };
        area.draw(&Rectangle::new(corners(0.0), theme.fill(fill)))?;
        area.draw(&Rectangle::new(corners(0.0), theme.stroke(border_width, border)))?;

        let inner = w - theme.px(2.0 * PAD);
        let center_x = x + w / 2.0;
        let line = theme.px(LINE);
        let text = Font::new(size::BODY, ink::TEXT);
        let muted = Font::new(size::SMALL, ink::MUTED);
        let headline: Vec<(String, Font)> = match (&placed.shape, &node.split) {
            (Shape::Split { .. } | Shape::Collapsed { .. }, Some(split)) => {
                question_lines(area, theme, text, split, inner)?.into_iter().map(|s| (s, text)).collect()
            }
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
        draw_value_bar(area, theme, &node.value, view.target_range, (x + theme.px(PAD), bar_top), (inner, theme.px(BAR)))?;
        match placed.shape {
            Shape::Collapsed { hidden } => draw_fold_marker(area, theme, (center_x, y + h), hidden),
            _ => Ok(()),
        }
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

/// Height (device px) of the header of `plan`'s diagram in an area `width` device
/// px wide: the title, the reading line (wrapped), the legend and a gap.
fn header_height(view: &TreeView, plan: &Plan, theme: &Theme, width: f64) -> f64 {
    let inner = width - theme.px(2.0 * MARGIN);
    let sub_font = Font::new(size::SMALL, ink::MUTED);
    let (title, about) = plan.header_text(view);
    let about_lines = wrap(&about, theme, sub_font, inner).len();
    let legend_rows = match (plan.layout.nodes.is_empty(), plan.regression) {
        (true, _) => 0,
        (false, true) => 1,
        (false, false) => legend_rows(class_count(view), legend_width(width, theme), theme),
    };
    theme.px(MARGIN)
        + title_height(&title, theme, width, theme.px(MARGIN))
        + about_lines as f64 * sub_font.line_height(theme)
        + theme.px(4.0 + legend_rows as f64 * ROW_HEIGHT + 16.0)
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

/// The marker under a folded branch's box: a button-like tag "+ 12 nodes" hung
/// from the middle of the box's bottom edge at `(x, y)` (device px).
fn draw_fold_marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    (x, y): (f64, f64),
    hidden: usize,
) -> Result<(), RenderError> {
    let top = y + theme.px(FOLD_GAP);
    let (half, height) = (theme.px(FOLD_WIDTH / 2.0), theme.px(FOLD_HEIGHT));
    let tie = [(x.round() as i32, y.round() as i32), (x.round() as i32, top.round() as i32)];
    area.draw(&PathElement::new(tie.to_vec(), theme.stroke(1.0, ink::EDGE)))?;
    let corners =
        [((x - half).round() as i32, top.round() as i32), ((x + half).round() as i32, (top + height).round() as i32)];
    area.draw(&Rectangle::new(corners, theme.fill(ink::TRACK)))?;
    area.draw(&Rectangle::new(corners, theme.stroke(1.0, ink::EDGE)))?;
    let font = Font::new(size::SMALL, ink::TEXT);
    let label = format!("+ {} nodes", format_count(hidden));
    draw_text(area, theme, font, &label, (x, top + height / 2.0), anchor(HPos::Center, VPos::Center))
}

/// Whether `view` is a regression tree, and the height of its boxes (CSS px).
fn node_geometry(view: &TreeView) -> (bool, f64) {
    let regression = view.nodes.first().is_some_and(|n| matches!(n.value, NodeValue::Mean { .. }));
    // Text lines: the question (two lines), "n = …", and for regression "mean …".
    let lines = if regression { 4.0 } else { 3.0 };
    (regression, 2.0 * PAD + lines * LINE + HEADLINE_GAP + 4.0 + BAR)
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
