//! What the feature pipeline did, drawn: one input's training values before
//! and after a step (a histogram pair), a PCA's scree chart (the variance each
//! component explains, and the running total), and its loadings (which inputs
//! make each kept component).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::FontTransform;

use super::axis::Frame;
use super::curves::{chart_height, draw_chart, draw_noted_chart, noted_chart_size, Chart, Layer};
use super::legend::{cell_width_for, draw_legend_of, draw_line, Mark, ROW_HEIGHT};
use super::text::{anchor, draw_note, draw_text, draw_text_turned, draw_title, fit, note_height, title_height, Font};
use super::theme::{ink, mix, sign, size, Theme};
use super::RenderError;
use crate::prep::{BeforeAfter, Histogram, PcaReport};

/// Outer margin, CSS px.
const MARGIN: f64 = 16.0;
/// Side-by-side histograms need at least this width, CSS px; narrower, they stack.
const SIDE_BY_SIDE: f64 = 520.0;
/// Most components and inputs a loadings map shows; the note names the rest.
pub const MAX_LOADING_ROWS: usize = 8;
pub const MAX_LOADING_COLUMNS: usize = 24;

/// Bars' colors: the values as they came in, and what the step made of them.
const BEFORE: RGBColor = ink::EDGE;
const AFTER: RGBColor = sign::POSITIVE;

/// The outline of a histogram as a step line (its chart's points), from 0 at
/// the left edge to 0 at the right edge.
fn outline(h: &Histogram) -> Vec<(f64, f64)> {
    let (start, width) = bins_of(h);
    let mut points = vec![(start, 0.0)];
    for (i, &c) in h.counts.iter().enumerate() {
        let (lo, hi) = (start + i as f64 * width, start + (i + 1) as f64 * width);
        points.extend([(lo, c as f64), (hi, c as f64)]);
    }
    points.push((start + h.counts.len() as f64 * width, 0.0));
    points
}

/// Where a histogram's first bin starts and how wide each is. A constant
/// input (every row one value) spans a unit around its value, so its one
/// bar stands at the value rather than at the left of a made-up range.
fn bins_of(h: &Histogram) -> (f64, f64) {
    let n = h.counts.len().max(1) as f64;
    if h.max > h.min {
        (h.min, (h.max - h.min) / n)
    } else {
        (h.min - 0.5, 1.0 / n)
    }
}

fn histogram_chart<'a>(title: &'a str, h: &'a Histogram, points: &'a [(f64, f64)], color: RGBColor) -> Chart<'a> {
    Chart {
        title,
        x_label: &h.name,
        y_label: "training rows",
        x_levels: None,
        layers: vec![Layer { name: None, points, mark: Mark::Thin(color) }],
        dots: false,
        include: Some(((bins_of(h).0, bins_of(h).0), (0.0, 0.0))),
        x_log: false,
    }
}

/// Fills the bars of `h` under its outline, drawn on `frame`.
fn fill_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    frame: &Frame,
    h: &Histogram,
    color: RGBColor,
) -> Result<(), RenderError> {
    let (start, width) = bins_of(h);
    for (i, &c) in h.counts.iter().enumerate().filter(|(_, &c)| c > 0) {
        let (x0, y0) = frame.at((start + i as f64 * width, c as f64));
        let (x1, y1) = frame.at((start + (i + 1) as f64 * width, 0.0));
        let corners = [(x0.round() as i32, y0.round() as i32), (x1.round() as i32 - 1, y1.round() as i32)];
        area.draw(&Rectangle::new(corners, theme.fill(mix(ink::WHITE, color, 0.55))))?;
    }
    Ok(())
}

/// Columns and panel width (device px) of a pair's panels across `width`.
fn pair_layout(panels: usize, theme: &Theme, width: f64) -> (usize, f64) {
    let cols = if width >= theme.px(SIDE_BY_SIDE) { panels } else { 1 };
    (cols, (width / cols as f64).floor())
}

/// Points of a chart's layer.
type Points = Vec<(f64, f64)>;

/// One histogram panel: its title, counts and bar color.
type Panel<'a> = (String, &'a Histogram, RGBColor);

/// The titles of a pair's panels.
fn pair_titles(pair: &BeforeAfter) -> Vec<Panel<'_>> {
    let mut panels = Vec::new();
    if let Some(before) = &pair.before {
        panels.push((format!("Before: {}", before.name), before, BEFORE));
    }
    let after = match &pair.before {
        Some(_) => format!("After: {}", pair.after.name),
        None => format!("Made: {}", pair.after.name),
    };
    panels.push((after, &pair.after, AFTER));
    panels
}

/// Size (device px) of a before/after pair across `width` device px.
pub fn histogram_pair_size(pair: &BeforeAfter, theme: &Theme, width: u32) -> (u32, u32) {
    let titles = pair_titles(pair);
    let (cols, panel) = pair_layout(titles.len(), theme, width as f64);
    let heights: Vec<f64> = titles
        .iter()
        .map(|(t, h, c)| {
            let points = outline(h);
            chart_height(&histogram_chart(t, h, &points, *c), theme, panel)
        })
        .collect();
    let body: f64 = heights.chunks(cols).map(|row| row.iter().copied().fold(0.0, f64::max)).sum();
    (width, body.ceil() as u32)
}

/// Draws an input before a step (grey) and after it (blue), side by side
/// where there is room (best at [`histogram_pair_size`]).
pub fn draw_histogram_pair<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    pair: &BeforeAfter,
    theme: &Theme,
) -> Result<(), RenderError> {
    area.fill(&WHITE)?;
    let width = area.dim_in_pixel().0 as f64;
    let titles = pair_titles(pair);
    let (cols, panel) = pair_layout(titles.len(), theme, width);
    let mut top = 0.0;
    for row in titles.chunks(cols) {
        let charts: Vec<(Points, &Panel)> = row.iter().map(|t| (outline(t.1), t)).collect();
        let height = charts
            .iter()
            .map(|(points, (t, h, c))| chart_height(&histogram_chart(t, h, points, *c), theme, panel))
            .fold(0.0, f64::max);
        for (i, (points, (title, h, color))) in charts.iter().enumerate() {
            let sub = area.clone().shrink(((i as f64 * panel) as i32, top as i32), (panel as u32, height as u32));
            if let Some(frame) = draw_chart(&sub, &histogram_chart(title, h, points, *color), theme, 0.0)? {
                fill_bars(&sub, theme, &frame, h, *color)?;
            }
        }
        top += height;
    }
    Ok(())
}

/// Title of the scree chart.
const SCREE_TITLE: &str = "Variance explained by each component";

/// The scree note: how much the kept components explain.
fn scree_note(report: &PcaReport) -> String {
    let kept: f64 = report.explained.iter().take(report.kept).sum();
    let comps = if report.kept == 1 { "PC1".to_string() } else { format!("PC1 to PC{}", report.kept) };
    format!(
        "{comps} kept: {:.0} % of the variance of {} inputs. Bars: each component's share; line: the running total.",
        kept * 100.0,
        report.columns.len()
    )
}

/// The scree chart's two layers' points: each component's share, and the running total.
fn scree_points(report: &PcaReport) -> (Points, Points) {
    let each: Points = report.explained.iter().enumerate().map(|(i, &r)| ((i + 1) as f64, r)).collect();
    let mut total = 0.0;
    let cumulative = each
        .iter()
        .map(|&(x, r)| {
            total += r;
            (x, total)
        })
        .collect();
    (each, cumulative)
}

fn scree_chart<'a>(each: &'a [(f64, f64)], cumulative: &'a [(f64, f64)]) -> Chart<'a> {
    Chart {
        title: SCREE_TITLE,
        x_label: "component",
        y_label: "share of the variance",
        x_levels: None,
        layers: vec![
            // The bars are drawn on the frame; this layer gives them a legend entry.
            Layer { name: Some("each component".into()), points: &[], mark: Mark::Square(AFTER) },
            Layer {
                name: Some("running total".into()),
                points: cumulative,
                mark: Mark::Line { color: ink::TEXT, dash: None },
            },
        ],
        // Dots mark a few components; past that they only crowd the line.
        dots: each.len() <= 20,
        include: Some(((0.5, each.len() as f64 + 0.5), (0.0, 1.0))),
        x_log: false,
    }
}

/// Size (device px) of the scree chart across `width` device px.
pub fn scree_size(report: &PcaReport, theme: &Theme, width: u32) -> (u32, u32) {
    let (each, cumulative) = scree_points(report);
    noted_chart_size(&scree_chart(&each, &cumulative), &scree_note(report), theme, width)
}

/// Draws the scree chart: a bar per component, the running total as a line,
/// and a dashed line after the last kept component (best at [`scree_size`]).
pub fn draw_scree<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &PcaReport,
    theme: &Theme,
) -> Result<(), RenderError> {
    let (each, cumulative) = scree_points(report);
    if let Some(frame) = draw_noted_chart(area, &scree_chart(&each, &cumulative), theme, &scree_note(report))? {
        // Bars a little narrower than a component's slot, so neighbours never touch.
        let half = (0.4f64).min(0.5 - 1.0 / frame.plot.width.max(1) as f64);
        for &(x, r) in &each {
            let (x0, y0) = frame.at((x - half, r));
            let (x1, y1) = frame.at((x + half, 0.0));
            let corners = [(x0.round() as i32, y0.round() as i32), (x1.round() as i32, y1.round() as i32)];
            let color = if (x as usize) <= report.kept { AFTER } else { ink::EDGE };
            area.draw(&Rectangle::new(corners, theme.fill(color)))?;
        }
        // The total goes on top of the bars again.
        let line: Vec<(f64, f64)> = cumulative.iter().map(|&p| frame.at(p)).collect();
        draw_line(area, theme, &line, ink::TEXT, None)?;
        if report.kept < report.explained.len() {
            let (x, top) = frame.at((report.kept as f64 + 0.5, frame.y.1));
            let bottom = (frame.plot.y + frame.plot.height) as f64;
            draw_line(area, theme, &[(x, top), (x, bottom)], ink::MUTED, Some((2.0, 3.0)))?;
            let label = format!("{} kept", report.kept);
            let font = Font::new(size::SMALL, ink::MUTED);
            draw_text(area, theme, font, &label, (x + theme.px(4.0), top + theme.px(2.0)), anchor(HPos::Left, VPos::Top))?;
        }
    }
    Ok(())
}

/// The components and inputs a loadings map shows: the first components, and
/// the inputs weighing most on them when there are too many to name.
fn loading_cells(report: &PcaReport) -> (usize, Vec<usize>) {
    let rows = report.loadings.len().min(MAX_LOADING_ROWS);
    let mut columns: Vec<usize> = (0..report.columns.len()).collect();
    if columns.len() > MAX_LOADING_COLUMNS {
        let weight = |j: usize| report.loadings.iter().take(rows).map(|l| l.get(j).map_or(0.0, |w| w.abs())).sum::<f64>();
        columns.sort_by(|&a, &b| weight(b).total_cmp(&weight(a)).then(a.cmp(&b)));
        columns.truncate(MAX_LOADING_COLUMNS);
        columns.sort_unstable();
    }
    (rows, columns)
}

fn loadings_note(report: &PcaReport) -> String {
    let (rows, columns) = loading_cells(report);
    let mut note = "The darker a cell, the more the input weighs on the component; pale cells hardly count.".to_string();
    if columns.len() < report.columns.len() {
        note.push_str(&format!(
            " The {} of {} inputs that weigh most on these components are shown.",
            columns.len(),
            report.columns.len()
        ));
    }
    if rows < report.loadings.len() {
        note.push_str(&format!(" The first {rows} of {} kept components are shown.", report.loadings.len()));
    }
    note
}

const LOADINGS_TITLE: &str = "Which inputs make each component";
/// Room for a component's name left of its row, CSS px.
const ROW_NAMES: f64 = 52.0;
/// Height of a component's row, CSS px.
const ROW: f64 = 30.0;
/// Room below the grid for the inputs' names, turned, CSS px.
const COLUMN_NAMES: f64 = 150.0;

fn loadings_header(theme: &Theme, width: f64) -> f64 {
    theme.px(MARGIN + 4.0 + 8.0 + ROW_HEIGHT) + title_height(LOADINGS_TITLE, theme, width, theme.px(MARGIN))
}

/// Size (device px) of the loadings map across `width` device px.
pub fn loadings_size(report: &PcaReport, theme: &Theme, width: u32) -> (u32, u32) {
    let (rows, _) = loading_cells(report);
    let w = width as f64;
    let grid = rows as f64 * theme.px(ROW) + theme.px(COLUMN_NAMES);
    (
        width,
        (loadings_header(theme, w) + grid + note_height(&loadings_note(report), theme, w) + theme.px(MARGIN)).ceil() as u32,
    )
}

/// The color of a loading `w` in [−1, 1]: blue up, orange down, white at 0.
fn loading_color(w: f64) -> RGBColor {
    mix(ink::WHITE, if w >= 0.0 { sign::POSITIVE } else { sign::NEGATIVE }, w.abs().clamp(0.0, 1.0).sqrt())
}

/// Draws the loadings as a heat map: a row per kept component, a column per
/// input (best at [`loadings_size`]).
pub fn draw_loadings<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &PcaReport,
    theme: &Theme,
) -> Result<(), RenderError> {
    area.fill(&WHITE)?;
    let width = area.dim_in_pixel().0 as f64;
    let margin = theme.px(MARGIN);
    let below_title = draw_title(area, theme, LOADINGS_TITLE, margin)?;
    let (rows, columns) = loading_cells(report);
    let largest = report.loadings.iter().take(rows).flatten().fold(0.0f64, |m, w| m.max(w.abs())).max(f64::MIN_POSITIVE);
    let key = [
        (Mark::Square(sign::POSITIVE), "raises the component".to_string()),
        (Mark::Square(sign::NEGATIVE), "lowers it".to_string()),
    ];
    let cell = cell_width_for(key.iter().map(|(_, name)| name.as_str()));
    draw_legend_of(area, theme, &key, (margin, below_title + theme.px(4.0)), width - 2.0 * margin, cell)?;
    if rows == 0 || columns.is_empty() {
        return draw_note(area, theme, &loadings_note(report));
    }
    let top = loadings_header(theme, width);
    let left = margin + theme.px(ROW_NAMES);
    let cell_w = ((width - margin - left) / columns.len() as f64).max(1.0);
    let row_h = theme.px(ROW);
    let name_font = Font::new(size::SMALL, ink::TEXT);
    for (i, loadings) in report.loadings.iter().take(rows).enumerate() {
        let y0 = top + i as f64 * row_h;
        let label = format!("PC{}", i + 1);
        draw_text(
            area,
            theme,
            Font::new(size::BODY, ink::TEXT),
            &label,
            (left - theme.px(6.0), y0 + row_h / 2.0),
            anchor(HPos::Right, VPos::Center),
        )?;
        for (k, &j) in columns.iter().enumerate() {
            let w = loadings.get(j).copied().unwrap_or(0.0);
            let x0 = left + k as f64 * cell_w;
            let corners =
                [(x0.round() as i32, y0.round() as i32), ((x0 + cell_w).round() as i32, (y0 + row_h).round() as i32)];
            area.draw(&Rectangle::new(corners, theme.fill(loading_color(w / largest))))?;
            area.draw(&Rectangle::new(corners, theme.stroke(1.0, ink::WHITE)))?;
        }
    }
    // The inputs' names, turned, under their columns (shortened to the room there is).
    let names_top = top + rows as f64 * row_h + theme.px(4.0);
    for (k, &j) in columns.iter().enumerate() {
        let name = fit(area, theme, name_font, &report.columns[j], theme.px(COLUMN_NAMES - 8.0))?;
        let x = left + (k as f64 + 0.5) * cell_w;
        draw_text_turned(
            area,
            theme,
            name_font,
            &name,
            (x, names_top),
            anchor(HPos::Left, VPos::Center),
            FontTransform::Rotate90,
        )?;
    }
    draw_note(area, theme, &loadings_note(report))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> PcaReport {
        PcaReport {
            explained: vec![0.52, 0.23, 0.12, 0.07, 0.04, 0.02],
            kept: 3,
            columns: ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "year", "island = Biscoe"]
                .map(String::from)
                .to_vec(),
            loadings: vec![
                vec![0.45, -0.40, 0.58, 0.55, 0.05, 0.02],
                vec![0.60, 0.62, 0.03, 0.10, -0.48, 0.1],
                vec![-0.64, 0.07, 0.2, 0.22, 0.70, -0.05],
            ],
        }
    }

    fn pair() -> BeforeAfter {
        BeforeAfter {
            before: Some(Histogram {
                name: "body_mass_g".into(),
                min: 2700.0,
                max: 6300.0,
                counts: vec![3, 12, 30, 41, 38, 29, 22, 18, 9, 4],
            }),
            after: Histogram {
                name: "body_mass_g".into(),
                min: -1.9,
                max: 2.6,
                counts: vec![3, 12, 30, 41, 38, 29, 22, 18, 9, 4],
            },
        }
    }

    #[test]
    fn the_scree_note_says_what_the_kept_components_explain() {
        assert_eq!(
            scree_note(&report()),
            "PC1 to PC3 kept: 87 % of the variance of 6 inputs. Bars: each component's share; line: the running total."
        );
        let (_, cumulative) = scree_points(&report());
        assert!((cumulative.last().unwrap().1 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn too_many_inputs_keep_those_weighing_most_in_column_order() {
        let mut r = report();
        r.columns = (0..64).map(|i| format!("pixel_{i}")).collect();
        r.loadings = (0..3).map(|c| (0..64).map(|j| if j % 8 == c { 0.5 } else { 0.001 * j as f64 }).collect()).collect();
        let (rows, columns) = loading_cells(&r);
        assert_eq!((rows, columns.len()), (3, MAX_LOADING_COLUMNS));
        assert!(columns.windows(2).all(|w| w[0] < w[1]));
        for j in [0, 1, 2, 8, 9, 10] {
            assert!(columns.contains(&j), "{j} weighs 0.5 on a component: {columns:?}");
        }
        assert!(loadings_note(&r).contains("The 24 of 64 inputs"));
    }

    #[test]
    fn loadings_color_by_sign_and_fade_to_white() {
        assert_eq!(loading_color(0.0), RGBColor(255, 255, 255));
        assert_eq!(loading_color(1.0), sign::POSITIVE);
        assert_eq!(loading_color(-1.0), sign::NEGATIVE);
    }

    #[test]
    fn a_constant_input_stands_at_its_value() {
        let h = Histogram { name: "pixel".into(), min: 0.0, max: 0.0, counts: vec![1437, 0, 0, 0] };
        let points = outline(&h);
        assert_eq!((points[0].0, points.last().unwrap().0), (-0.5, 0.5));
        assert_eq!(points[1], (-0.5, 1437.0));
    }

    #[test]
    fn a_made_input_has_one_panel_and_narrow_pairs_stack() {
        let theme = Theme::default();
        let (_, wide) = histogram_pair_size(&pair(), &theme, 640);
        let (_, narrow) = histogram_pair_size(&pair(), &theme, 360);
        assert!(narrow > wide + 100, "{narrow} {wide}");
        let made = BeforeAfter { before: None, ..pair() };
        assert_eq!(pair_titles(&made).len(), 1);
        assert_eq!(pair_titles(&made)[0].0, "Made: body_mass_g");
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod goldens {
        use super::*;
        use crate::render::golden::assert_golden;

        #[test]
        fn pipeline_goldens() {
            let theme = Theme::default();
            let (r, p) = (report(), pair());
            assert_golden("scree", scree_size(&r, &theme, 560), |area| draw_scree(area, &r, &theme));
            assert_golden("loadings", loadings_size(&r, &theme, 560), |area| draw_loadings(area, &r, &theme));
            assert_golden("histogram_pair", histogram_pair_size(&p, &theme, 640), |area| {
                draw_histogram_pair(area, &p, &theme)
            });
        }
    }
}
