//! One row through a model, in the person's terms: the values a row (or the
//! boundary plot's slice) gives each feature column, the path it takes through a
//! tree, and that path said in words.

use crate::base::{format_count, format_number, value_of, FeatureValue, SplitRule};
use crate::model::view::{NodeValue, TreeView};

impl TreeView {
    /// The nodes a row with `values` visits, root first, ending at its leaf.
    /// The walk stops early at a split on a column `values` does not give (or
    /// gives with the wrong kind), and never loops on a malformed view.
    pub fn path(&self, values: &[(String, FeatureValue)]) -> Vec<usize> {
        let mut path = Vec::new();
        let mut at = 0;
        while let Some(node) = self.nodes.get(at) {
            if path.len() > self.nodes.len() {
                break; // a cycle: the view is malformed
            }
            path.push(at);
            let Some(split) = &node.split else { break };
            let goes_left = match (&split.rule, value_of(values, &split.feature)) {
                (SplitRule::AtMost { threshold }, Some(FeatureValue::Number(v))) => v <= threshold,
                (SplitRule::IsNot { level }, Some(FeatureValue::Level(l))) => l != level,
                (SplitRule::IsFalse, Some(FeatureValue::Flag(b))) => !b,
                _ => break,
            };
            at = if goes_left { split.left } else { split.right };
        }
        path
    }

    /// `path` in words, in the columns' names and units: "flipper_length_mm =
    /// 210 > 206.5, then bill_depth_mm = 14.1 ≤ 15.3 → Gentoo, 48 of 49 training
    /// rows in this leaf".
    pub fn path_text(&self, path: &[usize], values: &[(String, FeatureValue)]) -> String {
        let mut steps = Vec::new();
        for pair in path.windows(2) {
            let Some(split) = self.nodes.get(pair[0]).and_then(|n| n.split.as_ref()) else { continue };
            let went_left = pair[1] == split.left;
            let value = value_of(values, &split.feature).map(FeatureValue::text).unwrap_or_default();
            let f = &split.feature;
            steps.push(match (&split.rule, went_left) {
                (SplitRule::AtMost { threshold }, true) => format!("{f} = {value} ≤ {}", format_number(*threshold)),
                (SplitRule::AtMost { threshold }, false) => format!("{f} = {value} > {}", format_number(*threshold)),
                (SplitRule::IsNot { level }, true) => format!("{f} = {value}, not {level}"),
                (SplitRule::IsNot { .. }, false) => format!("{f} = {value}"),
                (SplitRule::IsFalse, _) => format!("{f} is {value}"),
            });
        }
        let Some(end) = path.last().and_then(|&i| self.nodes.get(i)) else { return String::new() };
        let outcome = match &end.value {
            NodeValue::Classes { counts } => {
                let best = end.value.majority().unwrap_or(0);
                let name = self.class_names.get(best).map_or("?", String::as_str);
                let of_best = counts.get(best).copied().unwrap_or(0.0);
                format!(
                    "{name}, {} of {} training rows in this {}",
                    format_count(of_best.round() as usize),
                    format_count(end.n_samples),
                    if end.split.is_none() { "leaf" } else { "node" }
                )
            }
            NodeValue::Mean { mean } => format!(
                "{} {} (mean of {} training rows in this {})",
                self.target_name,
                format_number(*mean),
                format_count(end.n_samples),
                if end.split.is_none() { "leaf" } else { "node" }
            ),
        };
        if steps.is_empty() {
            format!("→ {outcome}")
        } else {
            format!("{} → {outcome}", steps.join(", then "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::FeatureValues;
    use crate::model::view::{SplitView, TreeNodeView};

    /// The penguins tree of the issue, by hand: flipper length first, then bill
    /// depth on the long-flipper side.
    fn penguins() -> TreeView {
        let node = |split: Option<SplitView>, counts: [f64; 3], depth| TreeNodeView {
            n_samples: counts.iter().sum::<f64>() as usize,
            split,
            value: NodeValue::Classes { counts: counts.to_vec() },
            depth,
        };
        let split = |feature: &str, rule, left, right| Some(SplitView { feature: feature.into(), rule, left, right });
        TreeView {
            nodes: vec![
                node(split("flipper_length_mm", SplitRule::AtMost { threshold: 206.5 }, 1, 2), [100.0, 50.0, 99.0], 0),
                node(None, [99.0, 48.0, 2.0], 1),
                node(split("bill_depth_mm", SplitRule::AtMost { threshold: 15.3 }, 3, 4), [1.0, 2.0, 97.0], 1),
                node(None, [0.0, 1.0, 48.0], 2),
                node(split("island", SplitRule::IsNot { level: "Biscoe".into() }, 5, 6), [1.0, 1.0, 49.0], 2),
                node(None, [1.0, 1.0, 0.0], 3),
                node(None, [0.0, 0.0, 49.0], 3),
            ],
            class_names: vec!["Adelie".into(), "Chinstrap".into(), "Gentoo".into()],
            target_name: "species".into(),
            target_range: (0.0, 0.0),
        }
    }

    fn row(flipper: f64, depth: f64, island: &str) -> FeatureValues {
        vec![
            ("flipper_length_mm".into(), FeatureValue::Number(flipper)),
            ("bill_depth_mm".into(), FeatureValue::Number(depth)),
            ("island".into(), FeatureValue::Level(island.into())),
        ]
    }

    #[test]
    fn the_path_is_said_in_the_columns_terms() {
        let tree = penguins();
        let values = row(210.0, 14.1, "Biscoe");
        // 210 > 206.5 goes right (node 2); 14.1 ≤ 15.3 goes left (node 3), a leaf of 49 rows, 48 Gentoo.
        let path = tree.path(&values);
        assert_eq!(path, vec![0, 2, 3]);
        assert_eq!(
            tree.path_text(&path, &values),
            "flipper_length_mm = 210 > 206.5, then bill_depth_mm = 14.1 ≤ 15.3 → Gentoo, 48 of 49 training rows in this leaf"
        );
    }

    #[test]
    fn categorical_splits_name_the_level() {
        let tree = penguins();
        // 16 > 15.3 goes right to the island split; Dream ≠ Biscoe goes left (node 5).
        let values = row(207.0, 16.0, "Dream");
        let path = tree.path(&values);
        assert_eq!(path, vec![0, 2, 4, 5]);
        assert!(tree.path_text(&path, &values).contains("island = Dream, not Biscoe → Adelie, 1 of 2 training rows"));
        let values = row(207.0, 16.0, "Biscoe");
        assert_eq!(tree.path(&values), vec![0, 2, 4, 6]);
    }

    #[test]
    fn a_missing_value_stops_the_walk_at_that_node() {
        let tree = penguins();
        let values = vec![("flipper_length_mm".to_string(), FeatureValue::Number(180.0))];
        assert_eq!(tree.path(&values), vec![0, 1]);
        let values = vec![("flipper_length_mm".to_string(), FeatureValue::Number(250.0))];
        let path = tree.path(&values);
        assert_eq!(path, vec![0, 2]);
        assert!(tree.path_text(&path, &values).ends_with("→ Gentoo, 97 of 100 training rows in this node"));
    }

    #[test]
    fn a_malformed_view_never_loops() {
        let mut tree = penguins();
        if let Some(s) = tree.nodes[2].split.as_mut() {
            s.left = 0; // a cycle back to the root
        }
        let values = row(210.0, 14.1, "Biscoe");
        assert!(tree.path(&values).len() <= tree.nodes.len() + 1);
    }
}
