//! Render goldens: draw a view natively, compare it with the committed PNG.
//!
//! On mismatch the new drawing is written beside the golden as `<name>.new.png` so a
//! person can look at both; `UPDATE_GOLDENS=1` (or a missing golden) writes the golden.

use std::path::{Path, PathBuf};
use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::RenderError;

/// Registers the bundled DejaVu Sans as "sans-serif": natively plotters has no other
/// font, and text drawing fails without one.
pub(crate) fn register_test_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let font: &'static [u8] = include_bytes!("../../assets/DejaVuSans.ttf");
        if plotters::style::register_font("sans-serif", FontStyle::Normal, font).is_err() {
            panic!("the bundled DejaVuSans.ttf is not a readable font");
        }
    });
}

/// Draws with `draw` on a white `size` canvas and compares the result with
/// `goldens/<name>.png`: same size, and at most 0.5% of pixels differing by more
/// than 16 in any channel (room for rounding differences across platforms).
pub(crate) fn assert_golden(
    name: &str,
    (width, height): (u32, u32),
    draw: impl FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>) -> Result<(), RenderError>,
) {
    register_test_font();
    let mut rgb = vec![255u8; width as usize * height as usize * 3];
    {
        let area = BitMapBackend::with_buffer(&mut rgb, (width, height)).into_drawing_area();
        draw(&area).unwrap_or_else(|e| panic!("drawing golden {name} failed: {e}"));
        area.present().unwrap_or_else(|e| panic!("presenting golden {name} failed: {e}"));
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/render/goldens");
    let golden = dir.join(format!("{name}.png"));
    if std::env::var_os("UPDATE_GOLDENS").is_some_and(|v| v == "1") || !golden.exists() {
        write_png(&golden, (width, height), &rgb);
        println!("wrote golden {}", golden.display());
        return;
    }
    let (size, expected) = read_png(&golden);
    let differing = if size == (width, height) {
        rgb.chunks_exact(3)
            .zip(expected.chunks_exact(3))
            .filter(|(a, b)| a.iter().zip(*b).any(|(x, y)| x.abs_diff(*y) > 16))
            .count()
    } else {
        usize::MAX
    };
    let allowed = (width as usize * height as usize) / 200;
    if differing > allowed {
        let new = dir.join(format!("{name}.new.png"));
        write_png(&new, (width, height), &rgb);
        let what = if differing == usize::MAX {
            format!("size {}x{} differs from the golden's {}x{}", width, height, size.0, size.1)
        } else {
            format!("{differing} pixels differ (at most {allowed} may)")
        };
        panic!(
            "golden {name}: {what}.\n  golden: {}\n  new:    {}\nLook at both; if the new one is right, rerun with UPDATE_GOLDENS=1.",
            golden.display(),
            new.display()
        );
    }
}

fn write_png(path: &PathBuf, (width, height): (u32, u32), rgb: &[u8]) {
    let file = std::fs::File::create(path).unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("png header");
    writer.write_image_data(rgb).expect("png data");
}

/// Reads an 8-bit RGB or RGBA PNG as RGB.
fn read_png(path: &PathBuf) -> ((u32, u32), Vec<u8>) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
    let mut reader = png::Decoder::new(std::io::BufReader::new(file)).read_info().expect("golden is a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("golden PNG decodes");
    let data = &buf[..info.buffer_size()];
    let rgb = match (info.color_type, info.bit_depth) {
        (png::ColorType::Rgb, png::BitDepth::Eight) => data.to_vec(),
        (png::ColorType::Rgba, png::BitDepth::Eight) => data.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect(),
        other => panic!("golden {} has unsupported format {other:?}", path.display()),
    };
    ((info.width, info.height), rgb)
}
