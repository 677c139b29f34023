//! Render goldens: draw a view natively, compare it with the committed PNG.
//!
//! A missing golden fails like a wrong one: otherwise deleting (or never
//! committing) a golden would turn its test into one that passes whatever is
//! drawn. Either way the new drawing goes to `golden-diffs/<name>.new.png` in the
//! target directory for a person to look at; tests never write into `src/`.
//! Only `UPDATE_GOLDENS=1`, asked for explicitly, writes the goldens.

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
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/render/goldens").join(format!("{name}.png"));
    if std::env::var_os("UPDATE_GOLDENS").is_some_and(|v| v == "1") {
        write_png(&golden, (width, height), &rgb);
        println!("wrote golden {}", golden.display());
        return;
    }
    let what = if golden.exists() {
        let (size, expected) = read_png(&golden);
        let allowed = (width as usize * height as usize) / 200;
        if size != (width, height) {
            format!("size {width}x{height} differs from the golden's {}x{}", size.0, size.1)
        } else {
            let differing = rgb
                .chunks_exact(3)
                .zip(expected.chunks_exact(3))
                .filter(|(a, b)| a.iter().zip(*b).any(|(x, y)| x.abs_diff(*y) > 16))
                .count();
            if differing <= allowed {
                return;
            }
            format!("{differing} pixels differ (at most {allowed} may)")
        }
    } else {
        "there is no golden to compare with".to_string()
    };
    let dir = diff_dir();
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    let new = dir.join(format!("{name}.new.png"));
    write_png(&new, (width, height), &rgb);
    panic!(
        "golden {name}: {what}.\n  golden: {}\n  new:    {}\nLook at the new drawing; if it is right, rerun with UPDATE_GOLDENS=1 and commit the golden.",
        golden.display(),
        new.display()
    );
}

/// `golden-diffs/` in the target directory this test binary was built into
/// (`<target>/<profile>/deps/<binary>`), wherever `CARGO_TARGET_DIR` or a cargo
/// config put it; the workspace's `target/` when the binary is not in a `deps/`.
fn diff_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent().filter(|deps| deps.ends_with("deps"))?.parent()?.parent()?.join("golden-diffs")))
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/golden-diffs"))
}

fn write_png(path: &Path, (width, height): (u32, u32), rgb: &[u8]) {
    let file = std::fs::File::create(path).unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("png header");
    writer.write_image_data(rgb).expect("png data");
}

/// Reads an 8-bit RGB or RGBA PNG as RGB.
fn read_png(path: &Path) -> ((u32, u32), Vec<u8>) {
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
