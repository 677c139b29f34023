use super::*;
use crate::base::SplitRule;
use crate::explain::PointSet;
use crate::model::view::{SplitView, TreeNodeView};
use crate::render::theme::{region_rgba, sequential_region_rgba};

fn axis(name: &str, min: f64, max: f64) -> AxisView {
    AxisView { name: name.into(), min, max, levels: Vec::new() }
}

/// A 40 × 40 boundary over flipper 170..230 and bill 30..60, each cell
/// painted by `paint(flipper, bill)` as the session paints it.
fn plot(legend: Legend, paint: impl Fn(f64, f64) -> [u8; 4]) -> BoundaryView {
    let (x, y) = (axis("flipper_length_mm", 170.0, 230.0), axis("bill_length_mm", 30.0, 60.0));
    let n = 40;
    let at = |a: &AxisView, i: usize| a.min + (a.max - a.min) * i as f64 / (n - 1) as f64;
    // Row 0 is the top of the plot.
    let rgba = (0..n * n).flat_map(|i| paint(at(&x, i % n), at(&y, n - 1 - i / n))).collect();
    BoundaryView {
        title: "Decision tree — predicted species".into(),
        x,
        y,
        grid_width: n as u32,
        grid_height: n as u32,
        rgba,
        points: PointSet {
            rows: vec![0, 1, 2],
            x: vec![180.0, 200.0, 220.0],
            y: vec![40.0, 45.0, 50.0],
            value: vec![0.0, 1.0, 2.0],
            is_test: vec![false; 3],
            near: Vec::new(),
        },
        legend,
        note: "Other features held at their medians.".into(),
        centroids: Vec::new(),
        slice: Vec::new(),
    }
}

fn penguins() -> Legend {
    Legend::Classes(vec!["Adelie".into(), "Chinstrap".into(), "Gentoo".into()])
}

#[test]
fn a_tree_boundary_reads_as_boxes_in_the_axes_units() {
    let view = plot(penguins(), |flipper, bill| {
        let class = if flipper >= 206.0 {
            2
        } else if bill < 45.0 {
            0
        } else {
            1
        };
        region_rgba(class, 0.8)
    });
    let text = boundary(&view);
    assert!(
        text.starts_with("Decision tree — predicted species, over flipper_length_mm across, bill_length_mm up."),
        "{text}"
    );
    // The edges fall halfway between the grid's cells: 206.15 and 45.0.
    assert!(text.contains("Gentoo covers 40 %, where flipper_length_mm is above 206;"), "{text}");
    assert!(text.contains("Adelie 30 %, where flipper_length_mm is below 206 and bill_length_mm is below 45;"), "{text}");
    assert!(text.contains("Chinstrap 30 %, where flipper_length_mm is below 206 and bill_length_mm is above 45."), "{text}");
    assert!(text.ends_with("3 data points on top. Other features held at their medians."), "{text}");
}

#[test]
fn a_slanted_boundary_says_where_each_region_lies() {
    // A line from the lower left to the upper right: Adelie below it, Gentoo above.
    let view = plot(penguins(), |flipper, bill| region_rgba(if (bill - 30.0) * 2.0 > flipper - 170.0 { 2 } else { 0 }, 0.5));
    let text = boundary(&view);
    assert!(text.contains("Adelie covers 51 %, toward the lower right"), "{text}");
    assert!(text.contains("Gentoo 49 %, toward the upper left"), "{text}");
    assert!(text.contains("Not predicted anywhere here: Chinstrap."), "{text}");
}

#[test]
fn a_value_boundary_says_where_the_prediction_is_highest() {
    let legend = Legend::Scale { name: "body_mass_g".into(), min: 3000.0, max: 6000.0 };
    let view = plot(legend, |flipper, bill| sequential_region_rgba(((flipper - 170.0) / 60.0 + (bill - 30.0) / 30.0) / 2.0));
    let text = boundary(&view);
    assert!(text.contains("Predicted body_mass_g runs from about 3000 to 6000"), "{text}");
    assert!(text.contains("highest toward the upper right, lowest toward the lower left"), "{text}");
}

#[test]
fn a_banded_axis_names_its_levels() {
    let mut view = plot(penguins(), |flipper, _| region_rgba(if flipper < 200.0 { 0 } else { 2 }, 1.0));
    view.y = AxisView { name: "island".into(), min: -0.5, max: 2.5, levels: vec!["Biscoe".into(), "Dream".into()] };
    view.grid_height = 2;
    view.rgba = (0..2 * 40).flat_map(|i| region_rgba(if i / 40 == 0 { 2 } else { 0 }, 1.0)).collect();
    let text = boundary(&view);
    assert!(text.contains("island (a band each for Biscoe and Dream) up"), "{text}");
    assert!(text.contains("Gentoo 50 %, where island is Dream"), "{text}");
}

#[test]
fn a_boundary_whose_grid_is_not_its_size_says_so() {
    let mut view = plot(penguins(), |_, _| region_rgba(0, 1.0));
    view.rgba.truncate(12);
    assert!(boundary(&view).contains("Its regions could not be read."));
}

#[test]
fn importance_names_the_top_three_with_values() {
    let view = ImportanceView {
        title: "Feature importance".into(),
        measure: "impurity decrease".into(),
        // Not in order: members of an ensemble come in the ensemble's.
        items: vec![("bill".into(), 0.3), ("flipper".into(), 0.61), ("sex".into(), 0.01), ("island".into(), 0.071234)],
        spread: None,
    };
    assert_eq!(
        importance(&view),
        "Feature importance, largest first: flipper 0.61, bill 0.3 and island 0.0712, then 1 more (impurity decrease)."
    );
}

#[test]
fn a_tree_view_says_its_leaves_and_first_question() {
    let node = |split: Option<SplitView>, depth| TreeNodeView {
        split,
        n_samples: 10,
        value: NodeValue::Classes { counts: vec![5.0, 5.0] },
        depth,
    };
    let root =
        SplitView { feature: "flipper_length_mm".into(), rule: SplitRule::AtMost { threshold: 206.5 }, left: 1, right: 2 };
    let tree = TreeView {
        nodes: vec![node(Some(root), 0), node(None, 1), node(None, 1)],
        class_names: vec!["Adelie".into(), "Gentoo".into()],
        target_name: "species".into(),
        target_range: (0.0, 0.0),
    };
    assert_eq!(tree.first_question().as_deref(), Some("flipper_length_mm ≤ 206.5"));
    assert_eq!(
        model_view(&ModelView::Tree(tree)),
        "Decision tree for species: 2 leaves; first question: flipper_length_mm ≤ 206.5."
    );
}

#[test]
fn coefficients_name_the_largest_by_size() {
    let view = crate::model::view::CoefficientsView {
        title: "Coefficients".into(),
        outputs: vec!["Gentoo".into()],
        inputs: vec!["a".into(), "b".into(), "c".into(), "d".into()],
        values: vec![vec![0.1, -2.0, 1.5, 0.0]],
        intercepts: vec![0.0],
        unit: "log-odds per sd".into(),
    };
    assert_eq!(
        model_view(&ModelView::Coefficients(view)),
        "Coefficients (log-odds per sd). Largest by size: for Gentoo, b -2, c 1.5 and a 0.1."
    );
}

#[test]
fn the_confusion_matrix_names_its_most_common_mistake() {
    let view = ConfusionView {
        title: "Confusion matrix".into(),
        target: "species".into(),
        classes: vec!["Adelie".into(), "Chinstrap".into(), "Gentoo".into()],
        counts: vec![vec![30, 2, 0], vec![4, 10, 0], vec![0, 1, 20]],
    };
    assert_eq!(
        confusion(&view),
        "Confusion matrix: 60 of 67 test rows on the diagonal (predicted right). Most common mistake: 4 Chinstrap taken \
         for Adelie."
    );
}

#[test]
fn the_pareto_words_name_the_exported_code_points() {
    let models = vec![("tree".to_string(), 900.0, 0.94), ("code int8".to_string(), 120.0, 0.93)];
    let mut view = ParetoView::new("Accuracy against bytes".into(), "bytes".into(), "accuracy".into(), models);
    assert!(!pareto(&view).contains("exported"), "{}", pareto(&view));
    view.points[1].exported = true;
    let words = pareto(&view);
    assert!(words.starts_with("Accuracy against bytes. On the Pareto front, cheapest first: code int8, tree."), "{words}");
    assert!(words.ends_with("exported as code (hollow points): code int8."), "{words}");
}
