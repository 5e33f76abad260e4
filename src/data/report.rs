//! Numbers for training logs: a fixed count of significant digits, so a cost trace such as
//! `0.69314718, 0.14807325, …` lines up and can be compared with a reference by eye.

/// `x` rounded to `sig` significant digits (at least 1), trailing zeros kept.
///
/// Plain decimal notation when the decimal exponent `e` of the rounded value satisfies
/// `−5 ≤ e < sig` (every cost and accuracy of a training log), scientific (`1.2345678e-7`)
/// otherwise, like C's `%#.{sig}g`. `NaN` and infinities print as Rust prints them.
///
/// ```
/// use constnn::data::fmt_sig;
/// assert_eq!(fmt_sig(2f64.ln(), 8), "0.69314718");
/// assert_eq!(fmt_sig(0.5, 3), "0.500");
/// ```
pub fn fmt_sig(x: f64, sig: usize) -> String {
    let sig = sig.max(1);
    if !x.is_finite() {
        return x.to_string();
    }
    if x == 0.0 {
        return format!("{:.*}", sig - 1, x);
    }
    // The exponent after rounding to `sig` digits (9.99999999 → 1.0000000e1 has e = 1).
    let sci = format!("{:.*e}", sig - 1, x);
    let e: i64 = match sci.rsplit_once('e').map(|(_, e)| e.parse()) {
        Some(Ok(e)) => e,
        _ => return sci, // unreachable: `LowerExp` always writes `e<integer>`
    };
    if (-5..sig as i64).contains(&e) {
        format!("{:.*}", (sig as i64 - 1 - e) as usize, x)
    } else {
        sci
    }
}

#[cfg(test)]
mod tests {
    use super::fmt_sig;

    #[test]
    fn ln_2_to_8_digits_is_0_69314718() {
        // ln 2 = 0.693147180559945…: eight digits 6931 4718, the ninth (0) rounds down.
        assert_eq!(fmt_sig(2f64.ln(), 8), "0.69314718");
    }

    #[test]
    fn decimals_follow_the_magnitude() {
        assert_eq!(fmt_sig(123.456789, 8), "123.45679"); // 3 integer digits + 5 decimals
        assert_eq!(fmt_sig(-0.5, 8), "-0.50000000");
        assert_eq!(fmt_sig(0.00012345678, 8), "0.00012345678"); // e = −4
        assert_eq!(fmt_sig(0.0, 3), "0.00");
        assert_eq!(fmt_sig(7.0, 0), "7"); // sig is at least 1
    }

    #[test]
    fn rounding_up_to_the_next_power_of_ten_keeps_the_digit_count() {
        assert_eq!(fmt_sig(0.999999999, 8), "1.0000000");
        assert_eq!(fmt_sig(99.9999999, 4), "100.0");
    }

    #[test]
    fn very_large_and_very_small_values_use_scientific_notation() {
        assert_eq!(fmt_sig(1234567890.0, 8), "1.2345679e9");
        assert_eq!(fmt_sig(1.5e-7, 8), "1.5000000e-7");
    }

    #[test]
    fn non_finite_values_print_as_rust_prints_them() {
        assert_eq!(fmt_sig(f64::NAN, 8), "NaN");
        assert_eq!(fmt_sig(f64::NEG_INFINITY, 8), "-inf");
    }
}
