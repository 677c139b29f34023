use super::*;

fn penguins() -> ImportanceView {
    ImportanceView {
        spread: None,
        title: "Which columns the forest relies on".into(),
        measure: "mean decrease in impurity".into(),
        items: vec![
            ("flipper_length_mm".into(), 0.4213),
            ("bill_length_mm".into(), 0.3127),
            ("bill_depth_mm".into(), 0.1569),
            ("island".into(), 0.0788),
            ("body_mass_of_the_penguin_in_grams".into(), 0.0303),
            ("sex".into(), 0.0),
        ],
    }
}

#[test]
fn many_features_share_the_last_row() {
    let theme = Theme::default();
    let mut wide = penguins();
    wide.items = (0..64).map(|i| (format!("pixel_{i}"), i as f64 / 100.0)).collect();
    let mut twenty = penguins();
    twenty.items = wide.items[..20].to_vec();
    assert_eq!(importance_height(&wide, &theme, 560), importance_height(&twenty, &theme, 560));
}

#[test]
fn height_fits_every_bar() {
    let theme = Theme::default();
    let six = importance_height(&penguins(), &theme, 560);
    let mut more = penguins();
    more.items.extend((0..10).map(|i| (format!("extra_{i}"), 0.01)));
    assert_eq!(importance_height(&more, &theme, 560) - six, 10 * ROW as u32);
    assert_eq!(importance_height(&penguins(), &Theme::new(2.0), 1120), 2 * six);
}

#[cfg(not(target_arch = "wasm32"))]
mod goldens {
    use super::*;
    use crate::render::golden::assert_golden;

    /// A stack's trust in its members, drawn through the model-view entry
    /// point as the page's model card and the ensemble panel draw it.
    #[test]
    fn members_golden() {
        use crate::model::view::{MembersView, ModelView};
        let view = ModelView::Members(MembersView {
            title: "How much the logistic regression trusts each member".into(),
            members: vec!["Decision tree (CART)".into(), "Logistic regression".into(), "k-nearest neighbours".into()],
            weights: vec![0.21, 0.52, 0.27],
            measure: "share of summed |coefficient|".into(),
        });
        let theme = Theme::default();
        let size = crate::render::model_view_size(&view, &theme, 560);
        assert_golden("members", size, |area| crate::render::draw_model_view(area, &view, &theme));
    }

    #[test]
    fn importance_golden() {
        let view = penguins();
        let theme = Theme::default();
        assert_golden("importance", (560, importance_height(&view, &theme, 560)), |area| {
            draw_importance(area, &view, &theme)
        });
    }

    #[test]
    fn permutation_importance_golden() {
        let view = ImportanceView {
            title: "Permutation importance (mean ± sd of 5 shuffles)".into(),
            measure: "drop in test accuracy when shuffled".into(),
            items: vec![
                ("petal_length_cm".into(), 0.412),
                ("petal_width_cm".into(), 0.253),
                ("sepal_length_cm".into(), 0.018),
                ("sepal_width_cm".into(), -0.007),
            ],
            spread: Some(vec![0.051, 0.032, 0.012, 0.009]),
        };
        let theme = Theme::default();
        assert_golden("importance_permutation", (560, importance_height(&view, &theme, 560)), |area| {
            draw_importance(area, &view, &theme)
        });
    }

    #[test]
    fn many_features_golden() {
        let view = ImportanceView {
            spread: Some((0..64).map(|i| 0.002 + i as f64 / 4000.0).collect()),
            title: "Permutation importance (mean ± sd of 5 shuffles)".into(),
            measure: "drop in test accuracy when shuffled".into(),
            items: (0..64).map(|i| (format!("pixel_{}_{}", i / 8, i % 8), (64 - i) as f64 / 640.0)).collect(),
        };
        let theme = Theme::default();
        assert_golden("importance_many", (560, importance_height(&view, &theme, 560)), |area| {
            draw_importance(area, &view, &theme)
        });
    }

    #[test]
    fn signed_importance_golden() {
        let view = ImportanceView {
            spread: None,
            title: "Permutation importance on the test set".into(),
            measure: "drop in accuracy when shuffled".into(),
            items: vec![
                ("age".into(), 0.082),
                ("fare".into(), -0.011),
                ("name".into(), f64::NAN),
                ("sex".into(), 0.214),
                ("cabin_deck".into(), 0.0),
            ],
        };
        let theme = Theme::default();
        assert_golden("importance_signed", (560, importance_height(&view, &theme, 560)), |area| {
            draw_importance(area, &view, &theme)
        });
    }
}
