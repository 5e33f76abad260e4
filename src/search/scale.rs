//! Using an appropriate scale to pick hyper-parameters (course 2, week 3).
//!
//! **Learning rate.** Searching `α` in `[0.0001, 1]` uniformly puts 90 % of the samples in
//! `[0.1, 1]` and 10 % in `[0.0001, 0.1]`. On a log scale every decade gets the same share:
//!
//! ```text
//! a = log10 lo,  b = log10 hi        (0.0001 → a = −4,  1 → b = 0)
//! r ~ U[a, b]                        (the notes: r = −4·np.random.rand())
//! α = 10^r
//! ```
//!
//! That is [`LogUniform`]; use it for anything that acts multiplicatively (`α`, `λ`, `ε`).
//!
//! **Exponentially weighted averages.** `β` in `[0.9, 0.999]` (averaging over roughly
//! `1/(1 − β)` = 10 to 1000 values) is sampled through `1 − β ∈ [0.001, 0.1]` on a log scale:
//!
//! ```text
//! r ~ U[log10(1 − hi), log10(1 − lo)]     ([−3, −1] for [0.9, 0.999])
//! β = 1 − 10^r
//! ```
//!
//! That is [`OneMinusLogUniform`]. The reason: the result is very sensitive to `β` near 1.
//! From 0.9000 to 0.9005 the average still covers about 10 values, but from 0.999 to 0.9995
//! it goes from about 1000 to 2000. Half of the samples land in `[0.99, 0.999]`, where a
//! uniform draw would put 9 %. Use it for momentum's `β`, Adam's `β1` and `β2`, RMSprop's `β`.
//!
//! Both draws are clamped to `[lo, hi]`, as `10^(log10 x)` can miss `x` by an ulp.
//!
//! ```
//! use constnn::search::{Distribution, LogUniform, OneMinusLogUniform};
//! use rand::{SeedableRng, rngs::StdRng};
//!
//! let mut rng = StdRng::seed_from_u64(0);
//! let alpha = LogUniform { lo: 1e-4, hi: 1.0 }.sample(&mut rng);
//! let beta = OneMinusLogUniform { lo: 0.9, hi: 0.999 }.sample(&mut rng);
//! assert!((1e-4..=1.0).contains(&alpha) && (0.9..=0.999).contains(&beta));
//! ```

use core::fmt;

use rand::{Rng, RngExt};

use super::Value;
use super::distribution::{Distribution, floats, short, span};

/// `x = 10^r` with `r` uniform on `[log10 lo, log10 hi]`: every decade of `[lo, hi]` is equally
/// likely (learning rate `α`, regularization `λ`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LogUniform {
    /// Smallest value, > 0.
    pub lo: f64,
    /// Largest value.
    pub hi: f64,
}

impl Distribution for LogUniform {
    type Output = f64;
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let (a, b) = (self.lo.log10(), self.hi.log10());
        let r = a + (b - a) * rng.random::<f64>();
        10f64.powf(r).clamp(self.lo, self.hi)
    }
    fn check(&self) -> Result<(), String> {
        if self.lo > 0.0 && self.hi.is_finite() && self.lo <= self.hi {
            Ok(())
        } else {
            Err(format!("{self} needs 0 < lo ≤ hi < ∞"))
        }
    }
    fn narrow(&self, best: &[Value]) -> Self {
        span(floats(best).filter(|&x| x > 0.0)).map_or(*self, |(lo, hi)| Self { lo, hi })
    }
}

impl fmt::Display for LogUniform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "log-uniform [{}, {}]", short(self.lo), short(self.hi))
    }
}

/// `β = 1 − 10^r` with `r` uniform on `[log10(1 − hi), log10(1 − lo)]`: `1 − β` is log-uniform,
/// so values crowd towards `hi`, where `1/(1 − β)` changes fastest (`β`, `β1`, `β2`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OneMinusLogUniform {
    /// Smallest value, ≥ 0 (e.g. 0.9).
    pub lo: f64,
    /// Largest value, < 1 (e.g. 0.999).
    pub hi: f64,
}

impl Distribution for OneMinusLogUniform {
    type Output = f64;
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let (a, b) = ((1.0 - self.hi).log10(), (1.0 - self.lo).log10());
        let r = a + (b - a) * rng.random::<f64>();
        (1.0 - 10f64.powf(r)).clamp(self.lo, self.hi)
    }
    fn check(&self) -> Result<(), String> {
        if (0.0..1.0).contains(&self.lo) && (0.0..1.0).contains(&self.hi) && self.lo <= self.hi {
            Ok(())
        } else {
            Err(format!("{self} needs 0 ≤ lo ≤ hi < 1"))
        }
    }
    fn narrow(&self, best: &[Value]) -> Self {
        span(floats(best).filter(|x| (0.0..1.0).contains(x)))
            .map_or(*self, |(lo, hi)| Self { lo, hi })
    }
}

impl fmt::Display for OneMinusLogUniform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (lo, hi) = (short(self.lo), short(self.hi));
        write!(f, "1 − x log-uniform, x ∈ [{lo}, {hi}]")
    }
}

#[cfg(test)]
mod tests {
    use super::super::Uniform;
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn draws<D: Distribution<Output = f64>>(d: &D, n: usize, seed: u64) -> Vec<f64> {
        let mut rng = StdRng::seed_from_u64(seed);
        (0..n).map(|_| d.sample(&mut rng)).collect()
    }

    /// How many of `xs` fall in each of `[1e-4, 1e-3)`, `[1e-3, 1e-2)`, `[1e-2, 1e-1)`,
    /// `[1e-1, 1]`.
    fn decades(xs: &[f64]) -> [usize; 4] {
        let mut counts = [0; 4];
        for &x in xs {
            let d = match x {
                x if x < 1e-3 => 0,
                x if x < 1e-2 => 1,
                x if x < 1e-1 => 2,
                _ => 3,
            };
            counts[d] += 1;
        }
        counts
    }

    #[test]
    fn log_uniform_gives_each_decade_a_quarter() {
        // r ~ U[−4, 0]: each decade is a quarter of the r-interval, so 10 000 draws put
        // 2500 in each, binomial standard deviation √(10000·¼·¾) ≈ 43; allow ±150 (3.5 σ).
        let xs = draws(&LogUniform { lo: 1e-4, hi: 1.0 }, 10_000, 1);
        assert!(xs.iter().all(|x| (1e-4..=1.0).contains(x)));
        let counts = decades(&xs);
        assert!(
            counts.iter().all(|&c| (2350..=2650).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn uniform_would_put_nine_tenths_in_the_top_decade() {
        // P(x ≥ 0.1) = (1 − 0.1)/(1 − 0.0001) ≈ 0.90009: the notes' reason for the log scale.
        let counts = decades(&draws(&Uniform { lo: 1e-4, hi: 1.0 }, 10_000, 1));
        assert!((8850..=9150).contains(&counts[3]), "{counts:?}");
    }

    #[test]
    fn one_minus_log_uniform_puts_half_of_the_betas_in_the_last_hundredth() {
        // r ~ U[−3, −1]; β ≥ 0.99 ⇔ 1 − β ≤ 0.01 ⇔ r ≤ −2: half the interval, so about
        // 5000 of 10 000 (σ = 50; allow ±200). A uniform β would give 0.009/0.099 ≈ 9 %.
        let d = OneMinusLogUniform { lo: 0.9, hi: 0.999 };
        let betas = draws(&d, 10_000, 2);
        assert!(betas.iter().all(|b| (0.9..=0.999).contains(b)));
        let near_one = betas.iter().filter(|&&b| b >= 0.99).count();
        assert!((4800..=5200).contains(&near_one), "{near_one}");
        // Each decade of 1 − β gets half: [0.001, 0.01] and [0.01, 0.1].
        let mid = betas.iter().filter(|&&b| (0.9..0.99).contains(&b)).count();
        assert_eq!(mid + near_one, 10_000);
    }

    #[test]
    fn degenerate_ranges_return_their_point() {
        let mut rng = StdRng::seed_from_u64(3);
        assert_eq!(LogUniform { lo: 0.01, hi: 0.01 }.sample(&mut rng), 0.01);
        assert_eq!(
            OneMinusLogUniform { lo: 0.9, hi: 0.9 }.sample(&mut rng),
            0.9
        );
    }

    #[test]
    fn log_scales_reject_bounds_they_cannot_take_the_log_of() {
        assert!(LogUniform { lo: 0.0, hi: 1.0 }.check().is_err());
        assert!(LogUniform { lo: 1.0, hi: 0.1 }.check().is_err());
        assert!(OneMinusLogUniform { lo: 0.9, hi: 1.0 }.check().is_err());
        assert!(OneMinusLogUniform { lo: -0.1, hi: 0.9 }.check().is_err());
        assert!(OneMinusLogUniform { lo: 0.0, hi: 0.999 }.check().is_ok());
    }

    #[test]
    fn narrowing_spans_the_best_values() {
        let best = [Value::Float(0.003), Value::Float(0.02), Value::Float(0.008)];
        assert_eq!(
            LogUniform { lo: 1e-4, hi: 1.0 }.narrow(&best),
            LogUniform {
                lo: 0.003,
                hi: 0.02
            }
        );
        let betas = [Value::Float(0.95), Value::Float(0.99)];
        assert_eq!(
            OneMinusLogUniform { lo: 0.9, hi: 0.999 }.narrow(&betas),
            OneMinusLogUniform { lo: 0.95, hi: 0.99 }
        );
    }

    #[test]
    fn scales_print_their_ranges() {
        assert_eq!(
            LogUniform { lo: 1e-4, hi: 0.1 }.to_string(),
            "log-uniform [0.0001, 0.1]"
        );
        assert_eq!(
            OneMinusLogUniform { lo: 0.9, hi: 0.99 }.to_string(),
            "1 − x log-uniform, x ∈ [0.9, 0.99]"
        );
    }
}
