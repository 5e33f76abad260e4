//! What a hyper-parameter is drawn from, on a linear scale (course 2, week 3).
//!
//! The notes: sampling uniformly at random is reasonable for some hyper-parameters, e.g. the
//! number of hidden units `n[l]` in `50..=100` or the number of layers `L` in `2..=4`
//! ([`IntRange`]), or a real number whose every sub-range matters alike ([`Uniform`]). A short
//! list of values that are each worth trying, like mini-batch sizes 32, 64, 128, 256 (powers
//! of 2 fit memory), is a [`Choice`]. For a learning rate or `β` the linear scale wastes most
//! samples; see [`scale`](super::scale).
//!
//! Each distribution is a [`Distribution`]: it samples with any `rand` generator, checks its
//! bounds before a search runs, and can narrow itself to the values of the best trials for
//! coarse-to-fine search.
//!
//! ```
//! use constnn::search::{Choice, Distribution, IntRange, Uniform};
//! use rand::{SeedableRng, rngs::StdRng};
//!
//! let mut rng = StdRng::seed_from_u64(0);
//! let keep_prob = Uniform { lo: 0.5, hi: 1.0 }.sample(&mut rng);
//! let layers = IntRange { lo: 2, hi: 4 }.sample(&mut rng);
//! let batch = Choice::new([32, 64, 128, 256]).sample(&mut rng);
//! assert!((0.5..=1.0).contains(&keep_prob) && (2..=4).contains(&layers));
//! assert!([32, 64, 128, 256].contains(&batch));
//! ```

use core::fmt;

use rand::{Rng, RngExt};

use super::Value;
use crate::data::fmt_sig;

/// A distribution of one hyper-parameter. (Not `rand`'s trait of the same name: this one also
/// checks its bounds and narrows for coarse-to-fine search.)
pub trait Distribution: fmt::Display + Clone + Send + Sync + 'static {
    /// What one draw is: `f64`, `i64`, or a [`Choice`]'s element type.
    type Output: Into<Value>;

    /// One draw.
    ///
    /// # Panics
    /// May panic when [`check`](Self::check) fails (e.g. an empty [`Choice`]).
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Self::Output;

    /// Why the bounds are unusable (`lo > hi`, a non-positive bound on a log scale, an empty
    /// choice), or `Ok`. A search reports it as [`Error::Data`](crate::Error::Data) naming the
    /// hyper-parameter, before any trial runs.
    fn check(&self) -> Result<(), String>;

    /// The same kind of distribution, shrunk to the smallest one that still contains every
    /// value in `best` (coarse to fine). Values of another kind are ignored; with none left,
    /// the distribution is returned unchanged.
    fn narrow(&self, best: &[Value]) -> Self;
}

/// The reals of `best`, with integers converted.
pub(super) fn floats(best: &[Value]) -> impl Iterator<Item = f64> + '_ {
    best.iter().filter_map(|v| match *v {
        Value::Float(x) => Some(x),
        Value::Int(i) => Some(i as f64),
        Value::Text(_) => None,
    })
}

/// `(min, max)` of `xs`, or `None` when it is empty or holds a NaN.
pub(super) fn span(xs: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let mut out: Option<(f64, f64)> = None;
    for x in xs {
        if x.is_nan() {
            return None;
        }
        out = Some(out.map_or((x, x), |(lo, hi)| (lo.min(x), hi.max(x))));
    }
    out
}

/// `x` with at most 4 significant digits and no trailing zeros: `0.0001`, `0.07375`, `1e-7`.
pub(super) fn short(x: f64) -> String {
    let text = fmt_sig(x, 4);
    let (mantissa, exp) = match text.split_once('e') {
        Some((m, e)) => (m, format!("e{e}")),
        None => (text.as_str(), String::new()),
    };
    let mantissa = if mantissa.contains('.') {
        mantissa.trim_end_matches('0').trim_end_matches('.')
    } else {
        mantissa
    };
    format!("{mantissa}{exp}")
}

/// A real number uniform on `[lo, hi]`: `x = lo + (hi − lo)·u`, `u ~ U[0, 1)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Uniform {
    /// Smallest value.
    pub lo: f64,
    /// Largest value.
    pub hi: f64,
}

impl Distribution for Uniform {
    type Output = f64;
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.lo + (self.hi - self.lo) * rng.random::<f64>()
    }
    fn check(&self) -> Result<(), String> {
        if self.lo.is_finite() && self.hi.is_finite() && self.lo <= self.hi {
            Ok(())
        } else {
            Err(format!("{self} needs finite bounds with lo ≤ hi"))
        }
    }
    fn narrow(&self, best: &[Value]) -> Self {
        span(floats(best)).map_or(*self, |(lo, hi)| Self { lo, hi })
    }
}

impl fmt::Display for Uniform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "uniform [{}, {}]", short(self.lo), short(self.hi))
    }
}

/// An integer uniform on `lo..=hi` (both ends included): layers, hidden units, an index into
/// a list of compiled architectures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntRange {
    /// Smallest value.
    pub lo: i64,
    /// Largest value (inclusive).
    pub hi: i64,
}

impl Distribution for IntRange {
    type Output = i64;
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> i64 {
        rng.random_range(self.lo..=self.hi)
    }
    fn check(&self) -> Result<(), String> {
        if self.lo <= self.hi {
            Ok(())
        } else {
            Err(format!("{self} needs lo ≤ hi"))
        }
    }
    fn narrow(&self, best: &[Value]) -> Self {
        let mut out: Option<Self> = None;
        for v in best {
            if let Value::Int(i) = *v {
                out = Some(out.map_or(Self { lo: i, hi: i }, |r| Self {
                    lo: r.lo.min(i),
                    hi: r.hi.max(i),
                }));
            }
        }
        out.unwrap_or(*self)
    }
}

impl fmt::Display for IntRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "integer {}..={}", self.lo, self.hi)
    }
}

/// One of a few values, each equally likely: mini-batch sizes, widths that have compiled
/// networks, optimizer names.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice<T> {
    /// The values to choose from.
    pub options: Vec<T>,
}

impl<T> Choice<T> {
    /// A choice among `options` (an array, a slice's `iter().copied()`, a `Vec`, …).
    pub fn new(options: impl IntoIterator<Item = T>) -> Self {
        Self {
            options: options.into_iter().collect(),
        }
    }
}

impl<T: Clone + Into<Value> + Send + Sync + 'static> Distribution for Choice<T> {
    type Output = T;
    /// # Panics
    /// When there are no options.
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> T {
        self.options[rng.random_range(0..self.options.len())].clone()
    }
    fn check(&self) -> Result<(), String> {
        if self.options.is_empty() {
            Err("a choice needs at least one option".into())
        } else {
            Ok(())
        }
    }
    /// Keeps the options that some best trial used, in their order.
    fn narrow(&self, best: &[Value]) -> Self {
        let kept: Vec<T> = self
            .options
            .iter()
            .filter(|o| best.contains(&(*o).clone().into()))
            .cloned()
            .collect();
        if kept.is_empty() {
            self.clone()
        } else {
            Self { options: kept }
        }
    }
}

impl<T: Clone + Into<Value>> fmt::Display for Choice<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "one of {{")?;
        for (i, o) in self.options.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{}", o.clone().into())?;
        }
        write!(f, "}}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn uniform_stays_in_bounds_and_averages_the_midpoint() {
        // 10 000 draws of U[2, 6]: mean 4, standard error (4/√12)/100 ≈ 0.012.
        let d = Uniform { lo: 2.0, hi: 6.0 };
        let mut rng = StdRng::seed_from_u64(1);
        let xs: Vec<f64> = (0..10_000).map(|_| d.sample(&mut rng)).collect();
        assert!(xs.iter().all(|x| (2.0..=6.0).contains(x)));
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        assert!((mean - 4.0).abs() < 0.05, "mean {mean}");
    }

    #[test]
    fn int_range_includes_both_ends_about_equally() {
        // 2..=4: three values, 3000 draws, about 1000 each (standard deviation ≈ 26).
        let d = IntRange { lo: 2, hi: 4 };
        let mut rng = StdRng::seed_from_u64(2);
        let mut counts = [0usize; 3];
        for _ in 0..3000 {
            let l = d.sample(&mut rng);
            counts[usize::try_from(l - 2).unwrap()] += 1;
        }
        assert!(
            counts.iter().all(|&c| (880..=1120).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn choice_draws_every_option() {
        let d = Choice::new([32, 64, 128, 256]);
        let mut rng = StdRng::seed_from_u64(3);
        let mut seen = [false; 4];
        for _ in 0..100 {
            let b = d.sample(&mut rng);
            seen[d.options.iter().position(|&o| o == b).unwrap()] = true;
        }
        assert_eq!(seen, [true; 4]);
        assert_eq!(d.to_string(), "one of {32, 64, 128, 256}");
    }

    #[test]
    fn bad_bounds_are_reported() {
        assert!(Uniform { lo: 1.0, hi: 0.0 }.check().is_err());
        assert!(
            Uniform {
                lo: 0.0,
                hi: f64::NAN
            }
            .check()
            .is_err()
        );
        assert!(IntRange { lo: 5, hi: 4 }.check().is_err());
        assert!(Choice::<i32>::new([]).check().is_err());
        assert!(Uniform { lo: 1.0, hi: 1.0 }.check().is_ok()); // a point is allowed
    }

    #[test]
    fn bounds_print_with_four_significant_digits_and_no_trailing_zeros() {
        assert_eq!(short(0.0001), "0.0001");
        assert_eq!(short(0.073_750_237_578), "0.07375");
        assert_eq!(short(1.0), "1");
        assert_eq!(short(0.999), "0.999");
        assert_eq!(short(1e-7), "1e-7");
        assert_eq!(short(250.0), "250");
    }

    #[test]
    fn narrowing_keeps_the_span_of_the_best_values() {
        let best = [Value::Int(3), Value::Int(7), Value::Int(5)];
        assert_eq!(
            IntRange { lo: 1, hi: 10 }.narrow(&best),
            IntRange { lo: 3, hi: 7 }
        );
        assert_eq!(
            Uniform { lo: 0.0, hi: 10.0 }.narrow(&best),
            Uniform { lo: 3.0, hi: 7.0 }
        );
        let c = Choice::new([32, 64, 128, 256]).narrow(&[Value::Int(128), Value::Int(32)]);
        assert_eq!(c.options, [32, 128]);
        // Nothing usable: unchanged.
        assert_eq!(
            IntRange { lo: 1, hi: 10 }.narrow(&[Value::Text("x")]),
            IntRange { lo: 1, hi: 10 }
        );
    }
}
