//! Sizes, fonts and colors shared by every view, so a chart, a tree and a legend
//! never disagree about what "class 2" or "12 px" looks like.

use plotters::style::{RGBColor, ShapeStyle};

/// How big and in which font to draw.
///
/// Every size in the renderers is written in CSS pixels and multiplied by
/// `scale`, so the page can size the canvas backing store by
/// `devicePixelRatio` and still get crisp text and lines.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theme {
    /// Device pixels per CSS pixel (`devicePixelRatio`).
    pub scale: f64,
    /// Font family name as the browser knows it (natively: the name the font was registered under).
    pub font: &'static str,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::new(1.0)
    }
}

impl Theme {
    /// The standard look at `scale` device pixels per CSS pixel, in the browser's sans-serif.
    pub fn new(scale: f64) -> Self {
        Theme { scale, font: "sans-serif" }
    }

    /// The scale actually used: odd values (0, negative, NaN, absurdly large) fall back to
    /// something drawable instead of producing empty or gigantic canvases.
    pub fn ratio(&self) -> f64 {
        if self.scale.is_finite() && self.scale > 0.0 {
            self.scale.clamp(0.25, 8.0)
        } else {
            1.0
        }
    }

    /// A length in device pixels, from CSS pixels.
    pub fn px(&self, css: f64) -> f64 {
        css * self.ratio()
    }

    /// A length in whole device pixels, from CSS pixels.
    pub fn ipx(&self, css: f64) -> i32 {
        self.px(css).round() as i32
    }

    /// A line of `css` pixels width in `color`, at least one device pixel wide.
    pub fn stroke(&self, css: f64, color: RGBColor) -> ShapeStyle {
        ShapeStyle { color: color.into(), filled: false, stroke_width: self.px(css).round().max(1.0) as u32 }
    }

    /// A filled shape in `color`.
    pub fn fill(&self, color: RGBColor) -> ShapeStyle {
        ShapeStyle { color: color.into(), filled: true, stroke_width: 0 }
    }
}

/// Font sizes in CSS pixels, named by role so all views share one typographic scale.
/// The page is projected in classrooms: nothing a chart writes is smaller than
/// 14 px, axis names and labels are larger, titles larger still.
pub mod size {
    /// A chart's title.
    pub const TITLE: f64 = 19.0;
    /// Axis names, legend entries, the labels of bars and boxes.
    pub const BODY: f64 = 15.0;
    /// Tick labels, counts, notes: the floor.
    pub const SMALL: f64 = 14.0;

    // Nothing under 14 px; axis names and labels larger; titles larger still.
    const _: () = assert!(SMALL >= 14.0 && BODY > SMALL && TITLE > BODY, "chart text below the classroom floor");
}

/// Text and line colors: near-black text, quieter greys for secondary marks.
pub mod ink {
    use plotters::style::RGBColor;
    pub const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
    pub const MUTED: RGBColor = RGBColor(0x5f, 0x5f, 0x5f);
    pub const AXIS: RGBColor = RGBColor(0x6b, 0x6b, 0x6b);
    pub const GRID: RGBColor = RGBColor(0xe8, 0xe8, 0xe8);
    pub const EDGE: RGBColor = RGBColor(0xa0, 0xa0, 0xa0);
    pub const TRACK: RGBColor = RGBColor(0xec, 0xec, 0xec);
    /// Outline of data points: dark enough to separate touching points, softer than black.
    pub const OUTLINE: RGBColor = RGBColor(0x33, 0x33, 0x33);
    pub const WHITE: RGBColor = RGBColor(0xff, 0xff, 0xff);
}

/// Colors of a signed quantity (a weight, a coefficient): two Okabe–Ito colors
/// that stay apart for the common color-vision deficiencies.
pub mod sign {
    use plotters::style::RGBColor;
    pub const POSITIVE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
    pub const NEGATIVE: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
}

/// The class palette: Okabe–Ito's eight colors, then four more chosen to stay
/// at least as far apart (CIELAB ΔE, also as seen with deuteranopia,
/// protanopia and tritanopia) from every color before them as Okabe–Ito's own
/// closest pair is: violet, dark brown, indigo, dark teal. Each is dark enough
/// to read as a point on a light region tint. Ten digits get ten colors.
const CLASS_PALETTE: [RGBColor; 12] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x00, 0x00, 0x00),
    RGBColor(0x7F, 0x00, 0xFF),
    RGBColor(0x80, 0x2A, 0x00),
    RGBColor(0x4C, 0x33, 0xCC),
    RGBColor(0x19, 0x4C, 0x66),
];

/// The color of class `i`, the one palette every renderer colors classes
/// with. Past the twelve of `CLASS_PALETTE` no set stays color-blind safe;
/// further classes get hues a golden angle apart at alternating lightness, so
/// no two classes ever share a color (up to 50 classes, the most a target may
/// have), though the person may need the legend to tell them apart.
pub fn class_color(i: usize) -> RGBColor {
    match CLASS_PALETTE.get(i) {
        Some(&c) => c,
        None => {
            let k = i - CLASS_PALETTE.len();
            let hue = (k as f64 * 137.507_764).rem_euclid(360.0);
            hsl(hue, 0.75, if k.is_multiple_of(2) { 0.38 } else { 0.55 })
        }
    }
}

/// A color from hue (degrees), saturation and lightness (0..=1).
fn hsl(hue: f64, saturation: f64, lightness: f64) -> RGBColor {
    let c = (1.0 - (2.0 * lightness - 1.0).abs()) * saturation;
    let h = hue / 60.0;
    let x = c * (1.0 - (h.rem_euclid(2.0) - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = lightness - c / 2.0;
    let ch = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    RGBColor(ch(r), ch(g), ch(b))
}

/// Viridis sampled at nine evenly spaced stops; linear interpolation between them
/// stays within a few levels of the full table, which is plenty for fills.
const VIRIDIS: [RGBColor; 9] = [
    RGBColor(0x44, 0x01, 0x54),
    RGBColor(0x47, 0x2c, 0x7a),
    RGBColor(0x3b, 0x51, 0x8b),
    RGBColor(0x2c, 0x71, 0x8e),
    RGBColor(0x21, 0x90, 0x8d),
    RGBColor(0x27, 0xad, 0x81),
    RGBColor(0x5c, 0xc8, 0x63),
    RGBColor(0xaa, 0xdc, 0x32),
    RGBColor(0xfd, 0xe7, 0x25),
];

/// Viridis at `t` in 0..=1 (clamped; NaN reads as 0): dark purple for low, yellow for high.
pub fn sequential_color(t: f64) -> RGBColor {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let pos = t * (VIRIDIS.len() - 1) as f64;
    let i = (pos.floor() as usize).min(VIRIDIS.len() - 2);
    mix(VIRIDIS[i], VIRIDIS[i + 1], pos - i as f64)
}

/// How far a region's tint goes from white toward its class color, at no
/// confidence and at full confidence.
const REGION_TINT: (f64, f64) = (0.14, 0.36);

/// Background color of a decision region: the class color mostly washed toward white,
/// a little stronger where the model is more confident, so full-color points stay
/// readable on top. Opaque, because it is painted under everything else.
pub fn region_rgba(class: usize, confidence: f64) -> [u8; 4] {
    let confidence = if confidence.is_nan() { 0.0 } else { confidence.clamp(0.0, 1.0) };
    opaque(mix(ink::WHITE, class_color(class), REGION_TINT.0 + (REGION_TINT.1 - REGION_TINT.0) * confidence))
}

/// Background color of a regression region: viridis at `t`, lightened like [`region_rgba`].
pub fn sequential_region_rgba(t: f64) -> [u8; 4] {
    opaque(mix(ink::WHITE, sequential_color(t), 0.42))
}

/// The class whose region tint [`region_rgba`] painted `rgba`, among the
/// first `n_classes`; `None` for a color no class's tint gives. The inverse of
/// the painting, so a text alternative can say what the picture shows from the
/// very pixels the page draws.
pub fn region_class(rgba: [u8; 4], n_classes: usize) -> Option<usize> {
    let white = ink::WHITE;
    let fit = |class: usize| {
        let c = class_color(class);
        let pairs = [(rgba[0], white.0, c.0), (rgba[1], white.1, c.1), (rgba[2], white.2, c.2)];
        // Least squares along the line from white to the class color.
        let (num, den) = pairs.iter().fold((0.0, 0.0), |(n, d), &(p, w, c)| {
            let (dp, dc) = (p as f64 - w as f64, c as f64 - w as f64);
            (n + dp * dc, d + dc * dc)
        });
        let t = if den > 0.0 { (num / den).clamp(REGION_TINT.0, REGION_TINT.1) } else { REGION_TINT.0 };
        let back = mix(white, c, t);
        let error = [(back.0, rgba[0]), (back.1, rgba[1]), (back.2, rgba[2])]
            .iter()
            .map(|&(a, b)| a.abs_diff(b))
            .max()
            .unwrap_or(u8::MAX);
        (error, class)
    };
    (0..n_classes).map(fit).filter(|&(error, _)| error <= 2).min().map(|(_, class)| class)
}

/// Where along the sequential map (0..=1) [`sequential_region_rgba`] painted
/// `rgba`: the nearest of 256 steps, `None` for a color far from all of them.
pub fn region_level(rgba: [u8; 4]) -> Option<f64> {
    let distance = |t: f64| {
        let c = sequential_region_rgba(t);
        (0..3).map(|i| (c[i] as i32 - rgba[i] as i32).pow(2)).sum::<i32>()
    };
    let (best, d) = (0..=255).map(|k| (k, distance(k as f64 / 255.0))).min_by_key(|&(_, d)| d)?;
    (d <= 12).then_some(best as f64 / 255.0)
}

/// `a` blended toward `b` by `t` (0 = all `a`).
pub(crate) fn mix(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let ch = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * t).round().clamp(0.0, 255.0) as u8;
    RGBColor(ch(a.0, b.0), ch(a.1, b.1), ch(a.2, b.2))
}

fn opaque(c: RGBColor) -> [u8; 4] {
    [c.0, c.1, c.2, 255]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_tints_read_back_as_their_class_and_level() {
        // Every color-blind-safe class at every confidence, among all twelve.
        for class in 0..CLASS_PALETTE.len() {
            for step in 0..=10 {
                let rgba = region_rgba(class, step as f64 / 10.0);
                assert_eq!(region_class(rgba, CLASS_PALETTE.len()), Some(class), "class {class} at {step}");
            }
        }
        // A color no region has (a point's full class color) is no class.
        let c = class_color(2);
        assert_eq!(region_class([c.0, c.1, c.2, 255], 3), None);
        for k in [0.0, 0.25, 0.5, 0.9, 1.0] {
            let back = region_level(sequential_region_rgba(k)).unwrap_or(f64::NAN);
            assert!((back - k).abs() < 0.02, "{k} read back as {back}");
        }
        assert_eq!(region_level([255, 0, 0, 255]), None);
    }

    #[test]
    fn class_colors_start_with_okabe_ito_and_never_repeat() {
        assert_eq!(class_color(0), RGBColor(0x00, 0x72, 0xB2));
        assert_eq!(class_color(7), RGBColor(0, 0, 0));
        let colors: Vec<RGBColor> = (0..crate::prep::MAX_CLASSES).map(class_color).collect();
        for (i, a) in colors.iter().enumerate() {
            for (j, b) in colors.iter().enumerate().skip(i + 1) {
                assert_ne!(a, b, "classes {i} and {j} share a color");
            }
        }
    }

    /// CIELAB of an sRGB color, seen with full color vision or simulated
    /// dichromacy (Machado, Oliveira & Fernandes 2009, severity 1).
    fn lab(c: RGBColor, vision: Option<[[f64; 3]; 3]>) -> [f64; 3] {
        let lin = |v: u8| {
            let v = v as f64 / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        let mut rgb = [lin(c.0), lin(c.1), lin(c.2)];
        if let Some(m) = vision {
            rgb = std::array::from_fn(|i| (m[i][0] * rgb[0] + m[i][1] * rgb[1] + m[i][2] * rgb[2]).clamp(0.0, 1.0));
        }
        let xyz = [
            (0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]) / 0.95047,
            0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2],
            (0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]) / 1.08883,
        ];
        let f = |t: f64| if t > 0.008856 { t.cbrt() } else { 7.787 * t + 16.0 / 116.0 };
        let (fx, fy, fz) = (f(xyz[0]), f(xyz[1]), f(xyz[2]));
        [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
    }

    #[test]
    fn the_twelve_palette_colors_stay_apart_for_every_common_vision() {
        const DEUTERANOPIA: [[f64; 3]; 3] =
            [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]];
        const PROTANOPIA: [[f64; 3]; 3] =
            [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]];
        const TRITANOPIA: [[f64; 3]; 3] =
            [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]];
        assert_eq!(CLASS_PALETTE.len(), 12);
        for vision in [None, Some(DEUTERANOPIA), Some(PROTANOPIA), Some(TRITANOPIA)] {
            let labs: Vec<[f64; 3]> = (0..CLASS_PALETTE.len()).map(|i| lab(class_color(i), vision)).collect();
            for (i, a) in labs.iter().enumerate() {
                for (j, b) in labs.iter().enumerate().skip(i + 1) {
                    let delta = (0..3).map(|k| (a[k] - b[k]).powi(2)).sum::<f64>().sqrt();
                    // Okabe–Ito's own closest pair (bluish green and sky blue
                    // seen with tritanopia) is 16.1 apart; no added color comes closer.
                    assert!(delta > 16.0, "classes {i} and {j}: ΔE {delta:.1} with {vision:?}");
                }
            }
        }
    }

    #[test]
    fn viridis_hits_its_ends_and_middle() {
        assert_eq!(sequential_color(0.0), RGBColor(0x44, 0x01, 0x54));
        assert_eq!(sequential_color(0.5), RGBColor(0x21, 0x90, 0x8d));
        assert_eq!(sequential_color(1.0), RGBColor(0xfd, 0xe7, 0x25));
        assert_eq!(sequential_color(7.0), sequential_color(1.0));
        assert_eq!(sequential_color(f64::NAN), sequential_color(0.0));
    }

    #[test]
    fn regions_are_light_opaque_and_stronger_when_confident() {
        let weak = region_rgba(0, 0.0);
        let strong = region_rgba(0, 1.0);
        assert_eq!(weak[3], 255);
        // Blue class: the red channel falls as the tint gets stronger, but stays light.
        assert!(strong[0] < weak[0] && strong[0] > 150, "{weak:?} {strong:?}");
        assert_eq!(region_rgba(1, f64::NAN), region_rgba(1, 0.0));
        let seq = sequential_region_rgba(0.0);
        assert!(seq[0] > 150 && seq[3] == 255);
    }

    /// WCAG 2 contrast ratio of two colors.
    fn contrast(a: RGBColor, b: RGBColor) -> f64 {
        let luminance = |c: RGBColor| {
            let ch = |v: u8| {
                let v = v as f64 / 255.0;
                if v <= 0.03928 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * ch(c.0) + 0.7152 * ch(c.1) + 0.0722 * ch(c.2)
        };
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn chart_inks_pass_wcag_aa_on_white() {
        // (The sizes themselves are checked where they are set, at compile time.)
        // Every grey that writes text passes WCAG AA (4.5:1) on the charts' white.
        for (name, ink) in [("TEXT", ink::TEXT), ("MUTED", ink::MUTED), ("AXIS", ink::AXIS)] {
            assert!(contrast(ink, ink::WHITE) >= 4.5, "{name}: {:.2}", contrast(ink, ink::WHITE));
        }
        assert!((contrast(RGBColor(0x77, 0x77, 0x77), ink::WHITE) - 4.48).abs() < 0.01, "the formula");
    }

    #[test]
    fn every_chart_font_is_one_of_the_theme_sizes() {
        // A size written as a number (say `Font::new(11.0, …)`) would slip under the floor.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/render");
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for (at, _) in code.match_indices("Font::new(") {
                let argument = code[at + "Font::new(".len()..].trim_start();
                assert!(
                    argument.starts_with("size::") || argument.starts_with("super::theme::size::"),
                    "{}: a font sized outside the theme: {}",
                    path.display(),
                    &argument[..argument.len().min(30)]
                );
            }
        }
    }

    #[test]
    fn odd_scales_fall_back_to_drawable_ones() {
        let t = Theme::new;
        assert_eq!(t(2.0).ipx(10.0), 20);
        assert_eq!(t(f64::NAN).ratio(), 1.0);
        assert_eq!(t(-3.0).ratio(), 1.0);
        assert_eq!(t(100.0).ratio(), 8.0);
    }
}
