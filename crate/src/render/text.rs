//! Measuring, fitting and drawing text, the same way on every backend.
//!
//! All views place text through [`draw_text`], so a label anchored "centered" sits
//! centered in the PNG goldens and on the page alike, and long names from the data
//! are ellipsized to the room they have instead of running over other marks.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontStyle, FontTransform, RGBColor};

use super::theme::{ink, size, Theme};
use super::RenderError;

/// A text look in CSS pixels: size and color. (No bold: the browser measures text
/// through a DOM span that ignores weight, so bold text would overrun its measured box.)
#[derive(Clone, Copy, Debug)]
pub(crate) struct Font {
    pub size: f64,
    pub color: RGBColor,
}

impl Font {
    pub fn new(size: f64, color: RGBColor) -> Self {
        Font { size, color }
    }

    /// Distance between baselines of consecutive lines, in device pixels.
    pub fn line_height(&self, theme: &Theme) -> f64 {
        theme.px((self.size * 1.3).round())
    }

    fn style(&self, theme: &Theme, anchor: Pos, rotate: FontTransform) -> TextStyle<'static> {
        let size = backend_font::size(theme.px(self.size));
        TextStyle {
            font: FontDesc::new(theme.font.into(), size, FontStyle::Normal).transform(rotate),
            color: self.color.to_backend_color(),
            pos: anchor,
        }
    }
}

/// Shorthand for an anchor.
pub(crate) fn anchor(h: HPos, v: VPos) -> Pos {
    Pos::new(h, v)
}

/// Width of `text` in device pixels.
pub(crate) fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    font: Font,
    text: &str,
) -> Result<f64, RenderError> {
    if text.is_empty() {
        return Ok(0.0);
    }
    let style = font.style(theme, anchor(HPos::Left, VPos::Top), FontTransform::None);
    Ok(area.estimate_text_size(text, &style)?.0 as f64)
}

/// Draws `text` with its `anchor` point at `pos` (device pixels, relative to `area`).
pub(crate) fn draw_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    font: Font,
    text: &str,
    pos: (f64, f64),
    anchor: Pos,
) -> Result<(), RenderError> {
    draw_text_turned(area, theme, font, text, pos, anchor, FontTransform::None)
}

/// Like [`draw_text`], but turned by `rotate` (the y-axis name reads bottom to top with
/// `Rotate270`); the anchor refers to the unturned text.
pub(crate) fn draw_text_turned<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    font: Font,
    text: &str,
    pos: (f64, f64),
    anchor: Pos,
    rotate: FontTransform,
) -> Result<(), RenderError> {
    if text.is_empty() {
        return Ok(());
    }
    let shift = backend_font::baseline_shift(theme.px(font.size), anchor.v_pos);
    let (dx, dy) = rotate.transform(0, shift.round() as i32);
    let style = font.style(theme, anchor, rotate);
    area.draw_text(text, &style, (pos.0.round() as i32 + dx, pos.1.round() as i32 + dy))?;
    Ok(())
}

fn title_font() -> Font {
    Font::new(size::TITLE, ink::TEXT)
}

/// The lines of `title` wrapped at words to fit an area `width` device px wide
/// inside `margin`s: a title says what the chart shows, so it wraps, never is cut.
pub(crate) fn title_lines(title: &str, theme: &Theme, width: f64, margin: f64) -> Vec<String> {
    let lines = wrap(title, theme, title_font(), width - 2.0 * margin);
    if lines.is_empty() {
        vec![String::new()]
    } else {
        lines
    }
}

/// Height (device px) of `title` as [`draw_title`] draws it across `width`
/// device px, not counting the margin above it.
pub(crate) fn title_height(title: &str, theme: &Theme, width: f64, margin: f64) -> f64 {
    title_lines(title, theme, width, margin).len() as f64 * title_font().line_height(theme)
}

/// A chart's title at the top left, `margin` from the edges, wrapped to the
/// area's width; returns where the line under it starts (device px).
pub(crate) fn draw_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    title: &str,
    margin: f64,
) -> Result<f64, RenderError> {
    let font = title_font();
    let width = area.dim_in_pixel().0 as f64;
    let mut top = margin;
    for line in title_lines(title, theme, width, margin) {
        // The wrap is an estimate; a line it let through too long is still kept in bounds.
        let line = fit(area, theme, font, &line, width - 2.0 * margin)?;
        draw_text(area, theme, font, &line, (margin, top), anchor(HPos::Left, VPos::Top))?;
        top += font.line_height(theme);
    }
    Ok(top)
}

/// `text` if it fits in `max_width` device pixels, else its longest prefix that fits
/// with "…" appended (empty when not even that fits).
pub(crate) fn fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    font: Font,
    text: &str,
    max_width: f64,
) -> Result<String, RenderError> {
    if text_width(area, theme, font, text)? <= max_width {
        return Ok(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    let shortened = |n: usize| format!("{}…", chars[..n].iter().collect::<String>().trim_end());
    // Binary search for the longest prefix that still fits with its ellipsis.
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if text_width(area, theme, font, &shortened(mid))? <= max_width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let candidate = shortened(lo);
    Ok(if text_width(area, theme, font, &candidate)? <= max_width { candidate } else { String::new() })
}

/// Shortens `text` to at most `max_chars` characters, ending in "…" when cut.
pub(crate) fn truncate_chars(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let kept: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

/// Average width of a character, in em: enough for the bundled DejaVu Sans and
/// the browser's sans-serif alike, so wrapped lines never overrun.
const CHAR_EM: f64 = 0.6;

/// `text` word-wrapped into lines of `font` that fit `width` device px, by an
/// estimate of characters per line, so a view's height is known before drawing.
pub(crate) fn wrap(text: &str, theme: &Theme, font: Font, width: f64) -> Vec<String> {
    let per_line = ((width / theme.px(font.size * CHAR_EM)).floor() as usize).max(8);
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= per_line => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(truncate_chars(word, per_line)),
        }
    }
    lines
}

/// Outer margin of a note's lines, CSS px (the charts' own margin).
const NOTE_MARGIN: f64 = 16.0;

fn note_font() -> Font {
    Font::new(super::theme::size::SMALL, super::theme::ink::MUTED)
}

/// Height (device px) of `note` wrapped under a chart `width` device px wide.
pub(crate) fn note_height(note: &str, theme: &Theme, width: f64) -> f64 {
    let lines = wrap(note, theme, note_font(), width - 2.0 * theme.px(NOTE_MARGIN)).len();
    lines as f64 * note_font().line_height(theme)
}

/// Draws `note` wrapped, its last line ending `theme.px(16)` above the bottom of `area`.
pub(crate) fn draw_note<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    note: &str,
) -> Result<(), RenderError> {
    let (width, height) = area.dim_in_pixel();
    let margin = theme.px(NOTE_MARGIN);
    let lines = wrap(note, theme, note_font(), width as f64 - 2.0 * margin);
    let top = height as f64 - margin - lines.len() as f64 * note_font().line_height(theme);
    for (i, line) in lines.iter().enumerate() {
        let at = (margin, top + i as f64 * note_font().line_height(theme));
        draw_text(area, theme, note_font(), line, at, anchor(HPos::Left, VPos::Top))?;
    }
    Ok(())
}

/// Where the font comes from decides how plotters places it.
///
/// In the browser, text goes through the canvas: the size is the em size and the
/// vertical anchor is a real text baseline. Natively (the golden tests), plotters'
/// `ab_glyph` path treats the size as the font's ascent-to-descent height and puts
/// the baseline half a size below the anchor's top, so text came out ~14% small and
/// a few pixels high. This corrects both for the bundled DejaVu Sans, so the goldens
/// show what the page shows.
#[cfg(not(target_arch = "wasm32"))]
mod backend_font {
    use plotters::style::text_anchor::VPos;

    /// DejaVu Sans ascender and descender, in em (font units / units per em).
    const ASCENT: f64 = 1901.0 / 2048.0;
    const DESCENT: f64 = 483.0 / 2048.0;

    /// The size to ask plotters for so glyphs come out `em` pixels to the em.
    pub fn size(em: f64) -> f64 {
        em * (ASCENT + DESCENT)
    }

    /// How far to move the anchor down so the baseline lands where the canvas puts it.
    pub fn baseline_shift(em: f64, v: VPos) -> f64 {
        let s = size(em);
        let box_height = (s / 1.24).floor();
        let (a, d) = (ASCENT / (ASCENT + DESCENT), DESCENT / (ASCENT + DESCENT));
        let (canvas, native) = match v {
            VPos::Top => (a * em, s / 2.0),
            VPos::Center => ((a - d) / 2.0 * em, s / 2.0 - (box_height / 2.0).floor()),
            VPos::Bottom => (-d * em, s / 2.0 - box_height),
        };
        canvas - native
    }
}

/// In the browser the canvas places text itself; nothing to correct.
#[cfg(target_arch = "wasm32")]
mod backend_font {
    use plotters::style::text_anchor::VPos;

    pub fn size(em: f64) -> f64 {
        em
    }

    pub fn baseline_shift(_em: f64, _v: VPos) -> f64 {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_wrap_at_words() {
        let theme = Theme::default();
        // 11 px text, 0.6 em a character: 15 characters in 100 px.
        let font = Font::new(11.0, super::super::theme::ink::TEXT);
        assert_eq!(wrap("one two three four five", &theme, font, 100.0), vec!["one two three", "four five"]);
        assert_eq!(wrap("", &theme, font, 100.0), Vec::<String>::new());
    }

    #[test]
    fn names_are_cut_by_characters_with_an_ellipsis() {
        assert_eq!(truncate_chars("short", 24), "short");
        assert_eq!(truncate_chars("abcdefghij", 5), "abcd…");
    }
}
