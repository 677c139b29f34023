//! Text alternatives of the charts: what each canvas shows, in a few
//! sentences a screen reader says in place of the picture. Each is computed
//! from the very view the renderer draws (the boundary's from its painted
//! grid), so the words cannot say what the picture does not; `web::canvas`
//! gives a canvas its sentence every time it draws it. The "Numbers" tables
//! under the charts hold the data; these say what it adds up to.

use crate::base::{format_count, format_significant};
use crate::explain::{
    AxisView, BoundaryView, ConfusionView, ContributionsView, ImportanceView, LearningCurveView, Legend, OneFeatureView,
    ParetoView, PartialDependenceView, RocView,
};
use crate::model::view::{FeatureDistribution, ModelView, NodeValue, TreeView};
use crate::prep::{BeforeAfter, Histogram, PcaReport};
use crate::render::theme::{region_class, region_level};

/// How many items (features, classes, coefficients) a sentence names.
const NAMED: usize = 3;

/// Share of a region's bounding box it must fill to be read as that box
/// (a tree's regions are boxes; a line's are not).
const BOX_FILL: f64 = 0.9;

fn n3(v: f64) -> String {
    format_significant(v, 3)
}

/// "a, b and c".
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The boundary plot: which class holds how much of the plot and where (a
/// box's edges in the axes' units when the region is one, as a tree's are;
/// else the part of the plot it lies toward), or where a predicted value is
/// highest and lowest; then the points and what the plot holds fixed.
pub fn boundary(view: &BoundaryView) -> String {
    let axes = format!("{} across, {} up", axis_name(&view.x), axis_name(&view.y));
    let regions = match &view.legend {
        Legend::Classes(names) => class_regions(view, names),
        Legend::Scale { name, min, max } => value_regions(view, name, *min, *max),
    };
    let points = format_count(view.points.rows.len());
    let note = if view.note.is_empty() { String::new() } else { format!(" {}", view.note) };
    format!("{}, over {axes}. {regions} {points} data points on top.{note}", view.title)
}

fn axis_name(axis: &AxisView) -> String {
    match axis.levels.as_slice() {
        [] => axis.name.clone(),
        levels => format!("{} (a band each for {})", axis.name, list(levels)),
    }
}

/// The grid's cells by column and row (row 0 at the top), each read back
/// through `read`; `None` when the grid is not the size it says.
fn cells<T>(view: &BoundaryView, read: impl Fn([u8; 4]) -> T) -> Option<Vec<(usize, usize, T)>> {
    let (w, h) = (view.grid_width as usize, view.grid_height as usize);
    if w == 0 || h == 0 || view.rgba.len() != w * h * 4 {
        return None;
    }
    Some(view.rgba.chunks_exact(4).enumerate().map(|(i, p)| (i % w, i / w, read([p[0], p[1], p[2], p[3]]))).collect())
}

/// Where a set of cells lies, and how much of the grid it covers.
#[derive(Clone, Copy, Debug)]
struct Region {
    cells: usize,
    /// Smallest and largest column, and row (row 0 at the top).
    cols: (usize, usize),
    rows: (usize, usize),
    sum: (f64, f64),
}

impl Region {
    fn new() -> Self {
        Region { cells: 0, cols: (usize::MAX, 0), rows: (usize::MAX, 0), sum: (0.0, 0.0) }
    }

    fn add(&mut self, col: usize, row: usize) {
        self.cells += 1;
        self.cols = (self.cols.0.min(col), self.cols.1.max(col));
        self.rows = (self.rows.0.min(row), self.rows.1.max(row));
        self.sum = (self.sum.0 + col as f64, self.sum.1 + row as f64);
    }

    /// Whether the region fills its bounding box (and so reads as that box).
    fn is_box(&self) -> bool {
        let area = (self.cols.1 - self.cols.0 + 1) * (self.rows.1 - self.rows.0 + 1);
        self.cells as f64 >= BOX_FILL * area as f64
    }

    /// The part of the plot the region's middle lies in: "the upper left", "the
    /// middle" (within a tenth of the plot's middle along an axis: a
    /// triangle's middle is a third of the way in from its corner).
    fn toward(&self, w: usize, h: usize) -> String {
        let fx = (self.sum.0 / self.cells as f64 + 0.5) / w as f64;
        let fy = 1.0 - (self.sum.1 / self.cells as f64 + 0.5) / h as f64;
        let third = |f: f64, low: &'static str, high: &'static str| {
            if f < 0.4 {
                low
            } else if f > 0.6 {
                high
            } else {
                ""
            }
        };
        match (third(fy, "lower", "upper"), third(fx, "left", "right")) {
            ("", "") => "the middle".to_string(),
            ("upper", "") => "the top".to_string(),
            ("lower", "") => "the bottom".to_string(),
            ("", side) => format!("the {side}"),
            (up, side) => format!("the {up} {side}"),
        }
    }
}

/// The box's sides that are not the plot's edges, in the axes' units.
fn box_text(view: &BoundaryView, r: &Region) -> String {
    let (w, h) = (view.grid_width as usize, view.grid_height as usize);
    // Row 0 is the top: the y axis's last cell.
    let ys = (h - 1 - r.rows.1, h - 1 - r.rows.0);
    let sides: Vec<String> = [(&view.x, r.cols, w), (&view.y, ys, h)]
        .into_iter()
        .filter_map(|(axis, span, n)| side_text(axis, span, n))
        .collect();
    if sides.is_empty() {
        "everywhere on the plot".to_string()
    } else {
        format!("where {}", sides.join(" and "))
    }
}

/// Cells `first..=last` of `n` along `axis`, as a condition, or `None` for the whole axis.
fn side_text(axis: &AxisView, (first, last): (usize, usize), n: usize) -> Option<String> {
    if first == 0 && last + 1 >= n {
        return None;
    }
    if !axis.levels.is_empty() {
        let levels: Vec<String> = axis.levels.iter().skip(first).take(last + 1 - first).cloned().collect();
        return Some(format!("{} is {}", axis.name, levels.join(" or ")));
    }
    // Cell i sits at min + i/(n-1) of the range; an edge falls halfway between two cells.
    let at = |edge: f64| axis.min + (axis.max - axis.min) * edge / (n - 1).max(1) as f64;
    let (lo, hi) = (at(first as f64 - 0.5), at(last as f64 + 0.5));
    Some(match (first > 0, last + 1 < n) {
        (true, true) => format!("{} is between {} and {}", axis.name, n3(lo), n3(hi)),
        (true, false) => format!("{} is above {}", axis.name, n3(lo)),
        _ => format!("{} is below {}", axis.name, n3(hi)),
    })
}

fn share(cells: usize, total: usize) -> String {
    let pct = 100.0 * cells as f64 / total.max(1) as f64;
    if pct < 1.0 {
        "under 1 %".to_string()
    } else {
        format!("{pct:.0} %")
    }
}

fn class_regions(view: &BoundaryView, names: &[String]) -> String {
    let Some(cells) = cells(view, |p| region_class(p, names.len())) else {
        return "Its regions could not be read.".to_string();
    };
    let mut regions = vec![Region::new(); names.len()];
    for &(col, row, class) in &cells {
        if let Some(r) = class.and_then(|c| regions.get_mut(c)) {
            r.add(col, row);
        }
    }
    let mut order: Vec<usize> = (0..names.len()).filter(|&c| regions[c].cells > 0).collect();
    order.sort_by_key(|&c| std::cmp::Reverse(regions[c].cells));
    let (w, h) = (view.grid_width as usize, view.grid_height as usize);
    let parts: Vec<String> = order
        .iter()
        .enumerate()
        .map(|(k, &c)| {
            let r = &regions[c];
            let place = if r.is_box() { box_text(view, r) } else { format!("toward {}", r.toward(w, h)) };
            let covers = if k == 0 { "covers " } else { "" };
            format!("{} {covers}{}, {place}", names[c], share(r.cells, cells.len()))
        })
        .collect();
    let absent: Vec<String> = (0..names.len()).filter(|c| !order.contains(c)).map(|c| names[c].clone()).collect();
    let mut text = format!("Regions: {}.", parts.join("; "));
    if !absent.is_empty() {
        text.push_str(&format!(" Not predicted anywhere here: {}.", list(&absent)));
    }
    text
}

fn value_regions(view: &BoundaryView, name: &str, min: f64, max: f64) -> String {
    let Some(cells) = cells(view, region_level) else {
        return "Its colors could not be read.".to_string();
    };
    let levels: Vec<f64> = cells.iter().filter_map(|c| c.2).collect();
    let (lo, hi) = levels.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &t| (lo.min(t), hi.max(t)));
    if levels.is_empty() {
        return "Its colors could not be read.".to_string();
    }
    let value = |t: f64| min + t * (max - min);
    // The cells within a tenth of the range of either end.
    let near = |end: f64| {
        let mut r = Region::new();
        for &(col, row, t) in &cells {
            if t.is_some_and(|t| (t - end).abs() <= 0.1 * (hi - lo)) {
                r.add(col, row);
            }
        }
        r
    };
    let (w, h) = (view.grid_width as usize, view.grid_height as usize);
    if hi - lo < 0.02 {
        return format!("Predicted {name} is about {} everywhere on the plot.", n3(value(lo)));
    }
    format!(
        "Predicted {name} runs from about {} to {}: highest toward {}, lowest toward {}.",
        n3(value(lo)),
        n3(value(hi)),
        near(hi).toward(w, h),
        near(lo).toward(w, h)
    )
}

/// A bar chart of importance (or of members' weights): the largest items
/// with their values, in the chart's measure.
pub fn importance(view: &ImportanceView) -> String {
    // Members come in the ensemble's order; features already largest first.
    let mut items: Vec<&(String, f64)> = view.items.iter().collect();
    items.sort_by(|a, b| b.1.total_cmp(&a.1));
    let top: Vec<String> = items.iter().take(NAMED).map(|(name, v)| format!("{name} {}", n3(*v))).collect();
    if top.is_empty() {
        return format!("{}: nothing to show.", view.title);
    }
    let more = more(items.len()).map_or(String::new(), |m| format!(", then {m}"));
    format!("{}, largest first: {}{more} ({}).", view.title, list(&top), view.measure)
}

/// A model's own view: its size and its largest parts.
pub fn model_view(view: &ModelView) -> String {
    match view {
        ModelView::Tree(tree) => {
            let leaves = tree.nodes.iter().filter(|n| n.split.is_none()).count();
            let first = tree.first_question().map_or(String::new(), |q| format!("; first question: {q}"));
            format!("Decision tree for {}: {} leaves{first}.", tree.target_name, format_count(leaves))
        }
        ModelView::Leaves(l) => {
            let largest = l.leaves.iter().max_by_key(|leaf| leaf.n_samples);
            let largest = largest.map_or(String::new(), |leaf| {
                let what = match &leaf.value {
                    NodeValue::Classes { .. } => leaf.value.majority().and_then(|c| l.class_names.get(c)).cloned(),
                    NodeValue::Mean { mean } => Some(format!("mean {} {}", l.target_name, n3(*mean))),
                };
                format!("; the largest holds {} training rows ({})", format_count(leaf.n_samples), what.unwrap_or_default())
            });
            format!("{}: {} leaves{largest}.", l.title, format_count(l.total))
        }
        ModelView::Trees { title, trees } => {
            let firsts: Vec<String> = trees.iter().take(NAMED).filter_map(TreeView::first_question).collect();
            format!("{title}: {} trees drawn; their first questions: {}.", trees.len(), firsts.join("; "))
        }
        ModelView::Coefficients(c) => {
            let outputs: Vec<String> = c
                .outputs
                .iter()
                .zip(&c.values)
                .take(NAMED)
                .map(|(output, values)| {
                    let mut order: Vec<usize> = (0..values.len().min(c.inputs.len())).collect();
                    order.sort_by(|&a, &b| values[b].abs().total_cmp(&values[a].abs()));
                    let top: Vec<String> =
                        order.iter().take(NAMED).map(|&i| format!("{} {}", c.inputs[i], n3(values[i]))).collect();
                    format!("for {output}, {}", list(&top))
                })
                .collect();
            format!("{} ({}). Largest by size: {}.", c.title, c.unit, outputs.join("; "))
        }
        ModelView::Curves(c) => {
            let series: Vec<String> = c
                .series
                .iter()
                .filter_map(|s| {
                    let (first, last) = (s.points.first()?, s.points.last()?);
                    Some(format!("{} from {} to {}", s.name, n3(first.1), n3(last.1)))
                })
                .collect();
            format!("{}: {} against {}; {}.", c.title, c.y_label, c.x_label, series.join("; "))
        }
        ModelView::Network(n) => {
            let layers: Vec<String> = n.layers.iter().map(|&k| format_count(k)).collect();
            let weights: usize = n.weights.iter().map(Vec::len).sum();
            format!(
                "{}: layers of {} units, {} weights, from {} to {}.",
                n.title,
                layers.join(" → "),
                format_count(weights),
                list(&n.input_names.iter().take(NAMED).cloned().chain(more(n.input_names.len())).collect::<Vec<_>>()),
                list(&n.output_names)
            )
        }
        ModelView::Distributions(d) => {
            let features: Vec<String> = d
                .features
                .iter()
                .take(NAMED)
                .map(|f| match f {
                    FeatureDistribution::Normal { name, per_class } => {
                        let means: Vec<String> =
                            d.classes.iter().zip(per_class).map(|(c, (mean, _))| format!("{c} {}", n3(*mean))).collect();
                        format!("{name}, mean per class: {}", list(&means))
                    }
                    FeatureDistribution::Levels { name, levels, per_class } => {
                        let likeliest: Vec<String> = d
                            .classes
                            .iter()
                            .zip(per_class)
                            .filter_map(|(c, p)| {
                                let best = (0..p.len()).max_by(|&a, &b| p[a].total_cmp(&p[b]))?;
                                Some(format!("{c} {}", levels.get(best)?))
                            })
                            .collect();
                        format!("{name}, likeliest level per class: {}", list(&likeliest))
                    }
                })
                .collect();
            format!("{}: {} features per class. {}.", d.title, format_count(d.features.len()), features.join("; "))
        }
        ModelView::Members(m) => importance(&ImportanceView::of_members(m)),
    }
}

/// "N more", when `total` is past what a sentence names.
fn more(total: usize) -> Option<String> {
    (total > NAMED).then(|| format!("{} more", format_count(total - NAMED)))
}

/// A linear model's contributions for the traced row, largest first, and the score they add up to.
pub fn contributions(view: &ContributionsView) -> String {
    let parts: Vec<String> = view.items.iter().map(|(name, c)| format!("{name}: {}", n3(*c))).collect();
    format!("{}. Intercept {}; {}; total {}.", view.title, n3(view.intercept), parts.join("; "), n3(view.total))
}

/// The Pareto chart: its front, cheapest first.
pub fn pareto(view: &ParetoView) -> String {
    let exported: Vec<&str> = view.points.iter().filter(|p| p.exported).map(|p| p.name.as_str()).collect();
    let exported = match exported.is_empty() {
        true => String::new(),
        false => format!(" The trained model exported as code (hollow points): {}.", exported.join(", ")),
    };
    format!("{}. On the Pareto front, cheapest first: {}.{exported}", view.title, view.front_names().join(", "))
}

/// Each curve's range, as `feature` changes.
fn curve_spans<'a>(title: &str, feature: &str, curves: impl Iterator<Item = (&'a String, &'a [f64])>) -> String {
    let spans: Vec<String> = curves
        .map(|(name, c)| {
            let (lo, hi) = c.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
            format!("{name} from {} to {}", n3(lo), n3(hi))
        })
        .collect();
    format!("{title}: as {feature} changes, {}", spans.join("; "))
}

pub fn partial_dependence(view: &PartialDependenceView) -> String {
    curve_spans(&view.title, &view.feature, view.mean.iter().map(|(n, c)| (n, c.as_slice())))
}

pub fn one_feature(view: &OneFeatureView) -> String {
    curve_spans(&view.title, &view.feature.name, view.curves.iter().map(|(n, c)| (n, c.as_slice())))
}

/// The confusion matrix: rows right, and the most common mistake.
pub fn confusion(view: &ConfusionView) -> String {
    let right: usize = view.counts.iter().enumerate().map(|(i, r)| r.get(i).copied().unwrap_or(0)).sum();
    let mut worst: Option<(usize, usize, usize)> = None;
    for (i, row) in view.counts.iter().enumerate() {
        for (j, &n) in row.iter().enumerate() {
            if i != j && n > 0 && worst.is_none_or(|w| n > w.2) {
                worst = Some((i, j, n));
            }
        }
    }
    let mistake = worst
        .and_then(|(i, j, n)| {
            Some(format!(
                " Most common mistake: {} {} taken for {}.",
                format_count(n),
                view.classes.get(i)?,
                view.classes.get(j)?
            ))
        })
        .unwrap_or_default();
    format!(
        "{}: {} of {} test rows on the diagonal (predicted right).{mistake}",
        view.title,
        format_count(right),
        format_count(view.total())
    )
}

/// ROC and precision–recall curves: each class's areas.
pub fn roc(view: &RocView) -> String {
    let aucs: Vec<String> =
        view.roc.iter().zip(&view.pr).map(|(r, p)| format!("{}: AUC {}, AP {}", r.class, n3(r.area), n3(p.area))).collect();
    let mean = view.macro_auc.map_or(String::new(), |auc| format!("; mean AUC {}", n3(auc)));
    format!("{}. {}{mean}.", view.title, aucs.join("; "))
}

/// The learning curve: where each series starts and ends, and how it was made.
pub fn learning_curve(view: &LearningCurveView) -> String {
    let c = &view.curves;
    let series: Vec<String> = c
        .series
        .iter()
        .filter_map(|s| {
            let (first, last) = (s.points.first()?, s.points.last()?);
            Some(format!(
                "{} on {} from {} at {} {} to {} at {}",
                c.y_label,
                s.name,
                n3(first.1),
                c.x_label,
                n3(first.0),
                n3(last.1),
                n3(last.0)
            ))
        })
        .collect();
    format!("{}: {}. {}", c.title, series.join("; "), view.note)
}

/// A PCA's scree chart: how much of the variance the kept components explain.
pub fn scree(pca: &PcaReport) -> String {
    let kept: f64 = pca.explained.iter().take(pca.kept).sum();
    let first: Vec<String> = pca.explained.iter().take(NAMED).map(|r| format!("{:.0} %", 100.0 * r)).collect();
    format!(
        "Variance explained by each of {} principal components, largest first: {}; the {} kept explain {:.0} %.",
        format_count(pca.explained.len()),
        list(&first),
        format_count(pca.kept),
        100.0 * kept
    )
}

/// A PCA's loadings: the inputs each kept component weighs most.
pub fn loadings(pca: &PcaReport) -> String {
    let parts: Vec<String> = pca
        .loadings
        .iter()
        .take(NAMED)
        .enumerate()
        .map(|(k, weights)| {
            let mut order: Vec<usize> = (0..weights.len().min(pca.columns.len())).collect();
            order.sort_by(|&a, &b| weights[b].abs().total_cmp(&weights[a].abs()));
            let top: Vec<String> = order.iter().take(2).map(|&i| format!("{} {}", pca.columns[i], n3(weights[i]))).collect();
            format!("component {} mostly {}", k + 1, list(&top))
        })
        .collect();
    format!("Which inputs make each principal component: {}.", parts.join("; "))
}

/// One input's training values before and after its pipeline step, as two histograms.
pub fn histogram_pair(pair: &BeforeAfter) -> String {
    let range = |h: &Histogram| format!("{} from {} to {}", h.name, n3(h.min), n3(h.max));
    match &pair.before {
        Some(before) => format!("Histograms of {} before the step and {} after it.", range(before), range(&pair.after)),
        None => format!("Histogram of {} as the step makes it.", range(&pair.after)),
    }
}

#[cfg(test)]
mod tests;
