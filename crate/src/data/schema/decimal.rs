//! The numbers files mostly hold ("12.375", "-3", "0.5") read without the
//! general parser: a plain decimal whose digits fit a 32-bit float exactly
//! and that has at most ten decimals is one exact division, which is what
//! core's parser computes for it too (its own fast path), so the bits are
//! the same. Anything else (exponents, `inf`, long digit strings, commas)
//! is left to `str::parse`. On the 1M-row bench file this halves the time
//! spent on numbers, natively and in the page.

/// The largest mantissa whose every integer a 32-bit float holds exactly.
const EXACT_MANTISSA: u32 = 1 << 24;
/// Powers of ten a 32-bit float holds exactly (5¹⁰ < 2²⁴).
const POWERS: [f32; 11] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];

/// `cell` as `[+-]digits[.digits]` (at least one digit), when its digits,
/// the point dropped, are at most 2²⁴ and it has at most ten decimals:
/// then `digits / 10^decimals` is one correctly rounded division of exact
/// floats, the value `cell.parse::<f32>()` gives. `None` for any other text,
/// which the caller parses in full.
pub(super) fn plain_decimal(cell: &str) -> Option<f32> {
    let bytes = cell.as_bytes();
    let (negative, digits) = match bytes {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, bytes),
    };
    let mut mantissa: u32 = 0;
    let mut decimals: Option<usize> = None;
    let mut seen_digit = false;
    for &byte in digits {
        match byte {
            b'0'..=b'9' => {
                // Never above 2²⁴·10 + 9, well within u32.
                mantissa = mantissa * 10 + u32::from(byte - b'0');
                if mantissa > EXACT_MANTISSA {
                    return None;
                }
                seen_digit = true;
                if let Some(decimals) = decimals.as_mut() {
                    *decimals += 1;
                }
            }
            b'.' if decimals.is_none() => decimals = Some(0),
            _ => return None,
        }
    }
    let power = *POWERS.get(decimals.unwrap_or(0))?;
    if !seen_digit {
        return None;
    }
    // The mantissa is exact (at most 2²⁴), so is the power: one rounding.
    let value = mantissa as f32 / power;
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    /// Text shaped like what the fast path takes, and like what it must
    /// leave alone: signs, points, leading and trailing zeros, digits up to
    /// and past 2²⁴, ten decimals and more, and stray characters.
    fn cell(rng: &mut ChaCha8Rng) -> String {
        const SPICE: [&str; 9] = ["e", "E5", "e-3", ",", "inf", "NaN", " ", "..", "_"];
        let mut text = String::new();
        match rng.random_range(0..6) {
            0 => text.push('-'),
            1 => text.push('+'),
            _ => {}
        }
        let length = rng.random_range(0..14);
        let point = rng.random_range(0..=length + 2);
        for at in 0..length {
            if at == point {
                text.push('.');
            }
            text.push(char::from(b'0' + rng.random_range(0..10u8)));
        }
        if point == length {
            text.push('.');
        }
        if rng.random_range(0..12) == 0 {
            let spice = SPICE[rng.random_range(0..SPICE.len())];
            let at = rng.random_range(0..=text.len());
            text.insert_str(at, spice);
        }
        text
    }

    #[test]
    fn gives_the_bits_of_the_general_parser_or_declines() {
        let mut rng = ChaCha8Rng::seed_from_u64(14);
        let mut taken = 0;
        for _ in 0..400_000 {
            let cell = cell(&mut rng);
            if let Some(fast) = plain_decimal(&cell) {
                taken += 1;
                let general = cell.parse::<f32>().unwrap_or_else(|e| panic!("{cell:?} taken but refused by core: {e}"));
                assert_eq!(fast.to_bits(), general.to_bits(), "{cell:?}");
            }
        }
        assert!(taken > 100_000, "the generator must mostly make plain decimals: {taken}");
    }

    #[test]
    fn takes_the_edges_of_exactness_and_declines_past_them() {
        let same = |cell: &str| {
            assert_eq!(plain_decimal(cell).map(f32::to_bits), Some(cell.parse::<f32>().unwrap().to_bits()), "{cell}")
        };
        for cell in ["16777216", "1677721.6", "0.0000000001", "-0", "-0.0", "+.5", "7.", "0000000000000001.5", "1003.0090"] {
            same(cell);
        }
        for cell in ["16777217", "0.00000000001", "", "-", ".", "+-1", "1.2.3", "1e3", "1,5", " 1", "inf", "1_0"] {
            assert_eq!(plain_decimal(cell), None, "{cell:?}");
        }
    }
}
