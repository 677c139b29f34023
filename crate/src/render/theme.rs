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

/// Okabe–Ito: eight colors that stay distinguishable for the common color-vision deficiencies.
const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x00, 0x00, 0x00),
];

/// The color of class `i` (cycling after eight classes).
pub fn class_color(i: usize) -> RGBColor {
    OKABE_ITO[i % OKABE_ITO.len()]
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

/// Background color of a decision region: the class color mostly washed toward white,
/// a little stronger where the model is more confident, so full-color points stay
/// readable on top. Opaque, because it is painted under everything else.
pub fn region_rgba(class: usize, confidence: f64) -> [u8; 4] {
    let confidence = if confidence.is_nan() { 0.0 } else { confidence.clamp(0.0, 1.0) };
    opaque(mix(ink::WHITE, class_color(class), 0.14 + 0.22 * confidence))
}

/// Background color of a regression region: viridis at `t`, lightened like [`region_rgba`].
pub fn sequential_region_rgba(t: f64) -> [u8; 4] {
    opaque(mix(ink::WHITE, sequential_color(t), 0.42))
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
    fn class_colors_are_okabe_ito_and_cycle() {
        assert_eq!(class_color(0), RGBColor(0x00, 0x72, 0xB2));
        assert_eq!(class_color(7), RGBColor(0, 0, 0));
        assert_eq!(class_color(9), class_color(1));
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
