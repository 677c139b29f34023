use super::*;

#[test]
fn mapping_round_trips_and_rejects_outside_clicks() {
    let m = PlotMapping { rect: PixelRect { x: 50, y: 20, width: 400, height: 300 }, x: (4.0, 8.0), y: (-1.0, 2.0) };
    let (px, py) = m.to_pixel(5.0, 0.5);
    assert_eq!((px, py), (150.0, 170.0));
    let (x, y) = m.to_data(px, py).unwrap();
    assert!((x - 5.0).abs() < 1e-12 && (y - 0.5).abs() < 1e-12);
    assert_eq!(m.to_data(50.0, 320.0), Some((4.0, -1.0)));
    assert_eq!(m.to_data(49.0, 100.0), None);
    assert_eq!(m.to_data(100.0, 321.0), None);
}

#[cfg(not(target_arch = "wasm32"))]
mod goldens {
    use super::*;
    use crate::explain::{AxisView, PointSet};
    use crate::render::golden::{assert_golden, register_test_font};

    /// Three classes split by two straight lines, with ~40 points, 10 of them test points.
    fn iris_like_view() -> BoundaryView {
        let (gw, gh) = (60u32, 60u32);
        let (x_range, y_range) = ((1.0, 7.0), (0.0, 2.6));
        let class_at = |x: f64, y: f64| {
            if x < 2.5 {
                0
            } else if y < 1.7 && x < 4.9 {
                1
            } else {
                2
            }
        };
        let mut rgba = Vec::with_capacity((gw * gh * 4) as usize);
        for row in 0..gh {
            let y = y_range.1 - (row as f64 + 0.5) / gh as f64 * (y_range.1 - y_range.0);
            for col in 0..gw {
                let x = x_range.0 + (col as f64 + 0.5) / gw as f64 * (x_range.1 - x_range.0);
                let c = class_at(x, y);
                // Less sure near the versicolor/virginica border, as a real model would be.
                let confidence = if c == 0 { 1.0 } else { ((x - 4.9).abs().min((y - 1.7).abs()) * 1.5).min(1.0) };
                rgba.extend_from_slice(&region_rgba(c, confidence));
            }
        }
        let mut points = PointSet::default();
        let samples: [(f32, f32, f32); 42] = [
            (1.4, 0.2, 0.),
            (1.3, 0.3, 0.),
            (1.5, 0.2, 0.),
            (1.7, 0.4, 0.),
            (1.6, 0.6, 0.),
            (1.2, 0.2, 0.),
            (1.9, 0.4, 0.),
            (1.5, 0.1, 0.),
            (1.4, 0.3, 0.),
            (1.0, 0.2, 0.),
            (1.6, 0.2, 0.),
            (1.3, 0.4, 0.),
            (4.7, 1.4, 1.),
            (4.5, 1.5, 1.),
            (4.9, 1.5, 1.),
            (4.0, 1.3, 1.),
            (3.3, 1.0, 1.),
            (3.9, 1.4, 1.),
            (4.4, 1.4, 1.),
            (3.5, 1.0, 1.),
            (4.2, 1.2, 1.),
            (4.8, 1.8, 1.),
            (5.0, 1.7, 1.),
            (3.0, 1.1, 1.),
            (4.1, 1.3, 1.),
            (4.6, 1.4, 1.),
            (6.0, 2.5, 2.),
            (5.1, 1.9, 2.),
            (5.9, 2.1, 2.),
            (5.6, 1.8, 2.),
            (5.8, 2.2, 2.),
            (6.6, 2.1, 2.),
            (4.5, 1.7, 2.),
            (6.3, 1.8, 2.),
            (5.5, 2.1, 2.),
            (4.9, 1.8, 2.),
            (5.1, 1.5, 2.),
            (6.9, 2.3, 2.),
            (5.3, 2.3, 2.),
            (5.0, 2.0, 2.),
            (5.7, 2.3, 2.),
            (4.8, 1.8, 2.),
        ];
        for (i, &(x, y, v)) in samples.iter().enumerate() {
            points.x.push(x);
            points.y.push(y);
            points.value.push(v);
            points.is_test.push(i % 4 == 1);
        }
        BoundaryView {
            title: "Decision tree (depth 3): predicted species".into(),
            x: AxisView { name: "petal_length (cm)".into(), min: x_range.0, max: x_range.1, levels: Vec::new() },
            y: AxisView { name: "petal_width (cm)".into(), min: y_range.0, max: y_range.1, levels: Vec::new() },
            grid_width: gw,
            grid_height: gh,
            rgba,
            points,
            legend: Legend::Classes(vec!["setosa".into(), "versicolor".into(), "virginica".into()]),
            note: "Other features held at their median (mode for categories)".into(),
            centroids: Vec::new(),
            slice: Vec::new(),
        }
    }

    /// A regression surface (a tree's steps over two features) with 30 points colored by value.
    fn price_view() -> BoundaryView {
        let (gw, gh) = (48u32, 40u32);
        let price = |x: f64, y: f64| 80.0 + 120.0 * ((x > 90.0) as u8 as f64) + 60.0 * ((y > 3.0) as u8 as f64) + x * 0.4;
        let mut rgba = Vec::new();
        for row in 0..gh {
            let y = 5.0 - (row as f64 + 0.5) / gh as f64 * 4.0;
            for col in 0..gw {
                let x = 40.0 + (col as f64 + 0.5) / gw as f64 * 120.0;
                rgba.extend_from_slice(&crate::render::sequential_region_rgba((price(x, y) - 90.0) / 260.0));
            }
        }
        let mut points = PointSet::default();
        // A fixed little LCG: scattered points without a random-number dependency.
        let mut state = 7u32;
        let mut next = || {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (state >> 8) as f64 / (1u32 << 24) as f64
        };
        for i in 0..30 {
            let (x, y) = (45.0 + 110.0 * next(), 1.2 + 3.6 * next());
            points.x.push(x as f32);
            points.y.push(y as f32);
            points.value.push((price(x, y) + (i % 7) as f64 * 6.0 - 18.0) as f32);
            points.is_test.push(i % 5 == 0);
        }
        BoundaryView {
            title: "Regression tree: predicted price".into(),
            x: AxisView { name: "living area (m²)".into(), min: 40.0, max: 160.0, levels: Vec::new() },
            y: AxisView { name: "bedrooms".into(), min: 1.0, max: 5.0, levels: Vec::new() },
            grid_width: gw,
            grid_height: gh,
            rgba,
            points,
            legend: Legend::Scale { name: "price (k€)".into(), min: 90.0, max: 350.0 },
            note: String::new(),
            centroids: Vec::new(),
            slice: Vec::new(),
        }
    }

    /// A passenger list's shape: survival over age (a number) and class
    /// (three bands), or with `sex` on x too, a grid of six cells; the
    /// points jittered within their band as the session places them.
    fn passengers_view(both_bands: bool) -> BoundaryView {
        let classes: Vec<String> = ["1st", "2nd", "3rd"].map(String::from).to_vec();
        let sexes: Vec<String> = ["female", "male"].map(String::from).to_vec();
        let (gw, gh) = (if both_bands { 2 } else { 60 }, 3u32);
        let x = if both_bands {
            AxisView { name: "sex".into(), min: -0.5, max: 1.5, levels: sexes }
        } else {
            AxisView { name: "age".into(), min: -4.0, max: 84.0, levels: Vec::new() }
        };
        // P(survived) by class (row 0 at the top: 3rd class) and x.
        let p = |class: usize, col: u32| -> f64 {
            let base: f64 = [0.62, 0.47, 0.24][class];
            if both_bands {
                if col == 0 {
                    (base + 0.35).min(0.97)
                } else {
                    base - 0.15
                }
            } else {
                let age = x.min + (col as f64 + 0.5) / gw as f64 * (x.max - x.min);
                if age < 12.0 {
                    (base + 0.3).min(0.95)
                } else {
                    base
                }
            }
        };
        let mut rgba = Vec::new();
        for row in 0..gh {
            let class = (gh - 1 - row) as usize;
            for col in 0..gw {
                let s = p(class, col);
                rgba.extend_from_slice(&if s > 0.5 { region_rgba(1, s) } else { region_rgba(0, 1.0 - s) });
            }
        }
        let mut points = PointSet::default();
        let r2 = |i: u32, a: f64| (0.5 + (i as f64 + 1.0) * a).fract() - 0.5;
        for i in 0..90u32 {
            let class = (i % 3) as f64;
            let px = if both_bands { (i / 3 % 2) as f64 + 0.7 * r2(i, 0.754_877_666) } else { (i * 37 % 80) as f64 };
            points.rows.push(i);
            points.x.push(px as f32);
            points.y.push((class + 0.7 * r2(i, 0.569_840_291)) as f32);
            points.value.push(f32::from(i % 4 == 0 || (class == 0.0 && i % 2 == 0)));
            points.is_test.push(i % 5 == 0);
        }
        BoundaryView {
            title: "Decision tree (CART) — predicted survived".into(),
            x,
            y: AxisView { name: "class".into(), min: -0.5, max: 2.5, levels: classes },
            grid_width: gw,
            grid_height: gh,
            rgba,
            points,
            legend: Legend::Classes(vec!["no".into(), "yes".into()]),
            note: "The model uses only these two features: the picture is the whole model.".into(),
            centroids: Vec::new(),
            slice: Vec::new(),
        }
    }

    #[test]
    fn boundary_bands_golden() {
        let view = passengers_view(false);
        assert_golden("boundary_bands", (640, 520), |area| {
            draw_boundary(area, &view, &Theme::default(), |a, r| paint_grid_pixels(a, r, &view)).map(drop)
        });
    }

    #[test]
    fn boundary_cells_golden() {
        let view = passengers_view(true);
        assert_golden("boundary_cells", (640, 520), |area| {
            draw_boundary(area, &view, &Theme::default(), |a, r| paint_grid_pixels(a, r, &view)).map(drop)
        });
    }

    #[test]
    fn boundary_golden() {
        let view = iris_like_view();
        assert_golden("boundary_classes", (640, 520), |area| {
            draw_boundary(area, &view, &Theme::default(), |a, r| paint_grid_pixels(a, r, &view)).map(drop)
        });
    }

    /// At the width of a lesson page's side-by-side embed (about 420 CSS px)
    /// the train/test key still fits whole beside or under the class legend,
    /// and the y axis's title stands clear of its tick labels.
    #[test]
    fn boundary_narrow_golden() {
        let view = iris_like_view();
        let theme = Theme::default();
        let size = boundary_size(&view, &theme, 420);
        assert_golden("boundary_narrow", size, |area| {
            draw_boundary(area, &view, &theme, |a, r| paint_grid_pixels(a, r, &view)).map(drop)
        });
    }

    /// The page draws through a [`Recording`](crate::render::Recording):
    /// played back on a bitmap it is the direct drawing's golden, and as SVG
    /// (the "SVG" download) it holds the title as text and the grid as one
    /// embedded image where the plot area is.
    #[test]
    fn a_recorded_boundary_replays_to_its_golden_and_to_svg() {
        use crate::render::{mark_grid, record, PixelRect};
        register_test_font();
        let view = iris_like_view();
        // With its grid painted pixel by pixel, the recording replays to the direct drawing.
        let painted = record((640, 520), |area| {
            draw_boundary(area, &view, &Theme::default(), |a, r| paint_grid_pixels(a, r, &view)).map(drop)
        })
        .unwrap();
        assert!(!painted.has_grid());
        assert_golden("boundary_classes", (640, 520), |area| {
            area.draw(&painted.playback(|_: &mut BitMapBackend, _: PixelRect| Ok(())))?;
            Ok(())
        });
        // The page's way: the grid's place marked, then an image there.
        let mut rect = None;
        let marked = record((640, 520), |area| {
            let mapping = draw_boundary(area, &view, &Theme::default(), mark_grid)?;
            rect = Some(mapping.rect);
            Ok(())
        })
        .unwrap();
        assert!(marked.has_grid());
        let svg = marked.to_svg(Some("data:image/png;base64,AAAA"), true).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{}", &svg[..80]);
        assert!(svg.contains(">\nDecision tree (depth 3): predicted species\n</text>"), "the title is text");
        assert_eq!(svg.matches("<image ").count(), 1);
        let r = rect.unwrap();
        let image = format!("<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"", r.x, r.y, r.width, r.height);
        assert!(svg.contains(&image), "the image fills the plot area");
        assert!(!svg.contains("#010203"), "the grid's stand-in is gone");
        // Without an image to embed, the grid cannot be written.
        assert!(marked.to_svg(None, true).is_err());
    }

    /// A traced row with its counterfactual: the cross-hair where the row is,
    /// an arrow to where the smallest change that flips its class takes it.
    #[test]
    fn boundary_counterfactual_golden() {
        let view = iris_like_view();
        let point = crate::explain::PointView {
            x: 4.4,
            y: 1.4,
            row: Some(3),
            neighbours: vec![],
            path: vec![],
            contributions: None,
            text: String::new(),
            boundary: None,
            counterfactual: Some((5.1, 1.75)),
            members: vec![],
            what_if: false,
        };
        assert_golden("boundary_counterfactual", (640, 520), |area| {
            let theme = Theme::default();
            let mapping = draw_boundary(area, &view, &theme, |a, r| paint_grid_pixels(a, r, &view))?;
            draw_point_marks(area, &view, &mapping, &point, &theme)
        });
    }

    /// The iris-like points clustered: flat regions by nearest centroid, points
    /// colored by their cluster, the three centroids marked.
    fn clusters_view() -> BoundaryView {
        let mut view = iris_like_view();
        let centroids = [(1.46, 0.25), (4.2, 1.3), (5.6, 2.0)];
        let nearest = |x: f64, y: f64| {
            // Distances in standardized-like units: petal width spans about a third of length.
            let d = |c: (f64, f64)| (x - c.0).powi(2) + (3.0 * (y - c.1)).powi(2);
            (0..3).min_by(|&a, &b| d(centroids[a]).total_cmp(&d(centroids[b]))).unwrap_or(0)
        };
        let (gw, gh) = (view.grid_width, view.grid_height);
        view.rgba.clear();
        for row in 0..gh {
            let y = view.y.max - (row as f64 + 0.5) / gh as f64 * (view.y.max - view.y.min);
            for col in 0..gw {
                let x = view.x.min + (col as f64 + 0.5) / gw as f64 * (view.x.max - view.x.min);
                view.rgba.extend_from_slice(&region_rgba(nearest(x, y), 1.0));
            }
        }
        view.points.value =
            view.points.x.iter().zip(&view.points.y).map(|(&x, &y)| nearest(x as f64, y as f64) as f32).collect();
        view.title = "k-means — 3 clusters".into();
        view.legend = Legend::Classes(vec!["cluster 1".into(), "cluster 2".into(), "cluster 3".into()]);
        view.centroids = centroids.to_vec();
        view
    }

    /// The full model at a slice: the rows far from it faded, and the note
    /// saying what is held and which rows are bold, over three lines.
    #[test]
    fn boundary_sliced_golden() {
        let mut view = iris_like_view();
        view.points.near = (0..view.points.x.len()).map(|i| i % 3 != 0).collect();
        view.note = "The full model at a slice: island = Biscoe, bill_depth_mm = 17.3 (3 more features as set under \
            the plot). Bold: 28 of 42 rows near it in the held features the model leans on most (same island; \
            bill_depth_mm within a tenth of its range). Faded: the others, whose ground may differ."
            .into();
        assert_golden("boundary_sliced", (640, 560), |area| {
            draw_boundary(area, &view, &Theme::default(), |a, r| paint_grid_pixels(a, r, &view)).map(drop)
        });
    }

    #[test]
    fn boundary_clusters_golden() {
        let view = clusters_view();
        assert_golden("boundary_clusters", (640, 520), |area| {
            draw_boundary(area, &view, &Theme::default(), |a, r| paint_grid_pixels(a, r, &view)).map(drop)
        });
    }

    /// An ensemble's disagreement map: the share of three members against the
    /// vote, high along the iris-like borders, and the test points colored by
    /// their own share.
    #[test]
    fn disagreement_golden() {
        let mut view = iris_like_view();
        let share = |x: f64, y: f64| {
            let d = (x - 2.5).abs().min((x - 4.9).abs().max(0.0)).min((y - 1.7).abs() * 2.0);
            if d < 0.15 {
                2.0 / 3.0
            } else if d < 0.4 {
                1.0 / 3.0
            } else {
                0.0
            }
        };
        let (gw, gh) = (view.grid_width, view.grid_height);
        view.rgba.clear();
        for row in 0..gh {
            let y = view.y.max - (row as f64 + 0.5) / gh as f64 * (view.y.max - view.y.min);
            for col in 0..gw {
                let x = view.x.min + (col as f64 + 0.5) / gw as f64 * (view.x.max - view.x.min);
                view.rgba.extend_from_slice(&crate::render::sequential_region_rgba(share(x, y)));
            }
        }
        view.points.value =
            view.points.x.iter().zip(&view.points.y).map(|(&x, &y)| share(x as f64, y as f64) as f32).collect();
        view.points.is_test = vec![true; view.points.x.len()];
        view.title = "Where the members of the soft vote of 3 disagree".into();
        view.legend = Legend::Scale { name: "share of members disagreeing".into(), min: 0.0, max: 1.0 };
        view.note = "Color: the share of the 3 members whose class is not the ensemble's, at the plot's slice. Points: \
            the test rows, each colored by the members' disagreement on the row itself (all its features, not the \
            slice), so a point may differ from the ground under it; 9 of 42 have any."
            .into();
        assert_golden("disagreement", (640, 560), |area| {
            draw_boundary(area, &view, &Theme::default(), |a, r| paint_grid_pixels(a, r, &view)).map(drop)
        });
    }

    #[test]
    fn boundary_scale_golden() {
        let view = price_view();
        assert_golden("boundary_scale", (480, 400), |area| {
            draw_boundary(area, &view, &Theme::default(), |a, r| paint_grid_pixels(a, r, &view)).map(drop)
        });
    }

    /// Whatever the title, legend and note take, the size the page asks for
    /// leaves a plot about as tall as [`PLOT_ASPECT`] of its width, at a
    /// small multiple's width and a wide card's.
    #[test]
    fn the_size_leaves_room_for_the_plot_itself() {
        register_test_font();
        let mut view = iris_like_view();
        view.title = "Decision tree (CART) — predicted species of the penguins on the islands".into();
        view.note = "The full model at a slice: island = Biscoe (4 more features as set under the plot). Bold: 167 of \
            342 rows near it in the held features the model leans on most (same island). Faded: the others, whose \
            ground may differ."
            .into();
        for (width, scale) in [(300, 1.0), (456, 1.0), (456, 2.0), (720, 1.0)] {
            let theme = Theme::new(scale);
            let (w, h) = boundary_size(&view, &theme, (width as f64 * scale) as u32);
            let mut buffer = vec![0u8; (w * h * 3) as usize];
            let area = BitMapBackend::with_buffer(&mut buffer, (w, h)).into_drawing_area();
            let rect = draw_boundary(&area, &view, &theme, |a, r| paint_grid_pixels(a, r, &view)).unwrap().rect;
            let aspect = rect.height as f64 / rect.width as f64;
            assert!(
                (0.6..=1.0).contains(&aspect),
                "at {width} px × {scale}: plot {}×{} ({aspect:.2})",
                rect.width,
                rect.height
            );
        }
    }

    /// On a phone the train/test key would overprint the class legend: it
    /// takes a row of its own there, and sits beside the legend on a card.
    #[test]
    fn the_marker_key_moves_under_the_legend_when_there_is_no_room_beside_it() {
        let theme = Theme::default();
        assert_eq!(legend_width(268.0, 230.0, &theme), (268.0, false));
        assert_eq!(legend_width(600.0, 230.0, &theme), (354.0, true));
    }

    #[test]
    fn degenerate_views_draw_without_panicking() {
        register_test_font();
        let mut view = iris_like_view();
        view.x = AxisView { name: String::new(), min: 3.0, max: 3.0, levels: Vec::new() };
        view.y = AxisView { name: "y".into(), min: f64::NAN, max: f64::INFINITY, levels: Vec::new() };
        view.points.is_test.clear();
        view.points.value.truncate(3);
        view.rgba.truncate(100);
        view.legend = Legend::Scale { name: "price".into(), min: 5.0, max: 5.0 };
        let mut buffer = vec![0u8; 200 * 120 * 3];
        let area = BitMapBackend::with_buffer(&mut buffer, (200, 120)).into_drawing_area();
        let mapping = draw_boundary(&area, &view, &Theme::default(), |a, r| paint_grid_pixels(a, r, &view)).unwrap();
        assert!(mapping.rect.width >= 1 && mapping.rect.height >= 1);
        assert!(mapping.x.1 > mapping.x.0);
        view.points = PointSet::default();
        view.grid_width = 0;
        draw_boundary(&area, &view, &Theme::new(0.0), |a, r| paint_grid_pixels(a, r, &view)).unwrap();
    }
}
