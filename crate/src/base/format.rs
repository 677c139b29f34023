//! Numbers written the way a person writes them, for every text and chart.

/// Formats a number for people: 4 significant digits but never fewer than its
/// integer digits (a threshold of 12345.6 reads 12346, not 12350), no trailing
/// zeros, exponent form only for very large or very small magnitudes.
pub fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    let integer_digits = if v == 0.0 { 1 } else { v.abs().log10().floor() as i32 + 1 };
    if !(-3..10).contains(&integer_digits) {
        return format!("{v:.3e}");
    }
    format_significant(v, integer_digits.max(4) as u32)
}

/// `v` rounded to `digits` significant digits, without trailing zeros; exponent form
/// only for very large or very small magnitudes.
pub fn format_significant(v: f64, digits: u32) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    if v == 0.0 {
        return "0".to_string();
    }
    let digits = digits.clamp(1, 15) as i32;
    let magnitude = |x: f64| x.abs().log10().floor() as i32;
    let step = 10f64.powi(magnitude(v) - digits + 1);
    let rounded = (v / step).round() * step;
    let mag = magnitude(rounded);
    if !(-4..9).contains(&mag) {
        return format!("{:.*e}", (digits - 1) as usize, rounded);
    }
    let decimals = (digits - 1 - mag).max(0) as usize;
    let s = format!("{rounded:.decimals$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { &s };
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Formats a count with thousands separators: 1797 → "1,797".
pub fn format_count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The text with its first letter in upper case.
pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A model's name inside a sentence: "Decision tree (CART)" → "decision tree
/// (CART)", while an acronym like "MLP" stays as it is.
pub fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if !second.is_uppercase() => first.to_lowercase().chain(name.chars().skip(1)).collect(),
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_like_a_person_writes_them() {
        assert_eq!(format_number(2.45), "2.45");
        assert_eq!(format_number(206.5), "206.5");
        assert_eq!(format_number(0.8000001), "0.8");
        assert_eq!(format_number(12345.678), "12346");
        assert_eq!(format_number(-0.00012347), "-0.0001235");
        assert_eq!(format_number(0.0), "0");
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_count(1797), "1,797");
        assert_eq!(format_count(1_000_000), "1,000,000");
        assert_eq!(format_count(12), "12");
        assert_eq!(capitalize("imputed"), "Imputed");
    }

    #[test]
    fn three_significant_digits() {
        assert_eq!(format_significant(0.123456, 3), "0.123");
        assert_eq!(format_significant(0.25, 3), "0.25");
        assert_eq!(format_significant(12345.6, 3), "12300");
        assert_eq!(format_significant(999.6, 3), "1000");
        assert_eq!(format_significant(-0.0004567, 3), "-0.000457");
        assert_eq!(format_significant(0.0, 3), "0");
        assert_eq!(format_significant(f64::NAN, 3), "n/a");
        assert_eq!(format_significant(1.5e-7, 3), "1.50e-7");
    }
}
