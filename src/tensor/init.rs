//! Weight initialization (course 1 week 3, course 2 week 1).
//!
//! | [`Init`] | `W[l]` entries | note |
//! |---|---|---|
//! | `Random` | N(0, 1)·0.01 | the notes' first choice; breaks symmetry |
//! | `He` | N(0, 1)·√(2/n[l-1]) | for ReLU layers (He et al. 2015) |
//! | `Xavier` | N(0, 1)·√(1/n[l-1]) | for tanh layers |
//! | `Glorot` | `N(0, 1)·√(2/(n[l-1] + n[l]))` | Glorot & Bengio 2010 |
//! | `Zeros` | 0 | fine for logistic regression, fails to break symmetry in a hidden layer |
//!
//! Biases start at zero. Every random draw comes from a caller-seeded [`StdRng`], so a run is
//! reproducible.

use rand::RngExt;
use rand::rngs::StdRng;

use crate::Scalar;

/// How to draw the initial `W[l]` of a layer with `n[l-1]` inputs and `n[l]` outputs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Init {
    /// N(0, 1)·0.01.
    Random,
    /// N(0, 1)·√(2/n[l-1]) (He).
    He,
    /// N(0, 1)·√(1/n[l-1]) (Xavier).
    Xavier,
    /// `N(0, 1)·√(2/(n[l-1] + n[l]))` (Glorot).
    Glorot,
    /// All zeros.
    Zeros,
}

impl Init {
    /// The standard deviation for a layer with `fan_in = n[l-1]` inputs and `fan_out = n[l]` outputs.
    pub fn std_dev(self, fan_in: usize, fan_out: usize) -> f64 {
        match self {
            Init::Random => 0.01,
            Init::He => (2.0 / fan_in as f64).sqrt(),
            Init::Xavier => (1.0 / fan_in as f64).sqrt(),
            Init::Glorot => (2.0 / (fan_in + fan_out) as f64).sqrt(),
            Init::Zeros => 0.0,
        }
    }

    /// Fills `w` for a layer with the given fan-in and fan-out.
    pub fn fill<T: Scalar>(self, w: &mut [T], fan_in: usize, fan_out: usize, rng: &mut StdRng) {
        let sd = self.std_dev(fan_in, fan_out);
        for x in w {
            *x = if sd == 0.0 {
                T::zero()
            } else {
                T::of(sd * standard_normal(rng))
            };
        }
    }
}

/// One draw from N(0, 1) by the Box–Muller transform.
pub fn standard_normal(rng: &mut StdRng) -> f64 {
    // u1 ∈ (0, 1] so ln(u1) is finite.
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (core::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn scales_follow_their_formulas() {
        assert_eq!(Init::He.std_dev(8, 3), 0.5); // √(2/8)
        assert_eq!(Init::Xavier.std_dev(4, 3), 0.5); // √(1/4)
        assert_eq!(Init::Glorot.std_dev(5, 3), 0.5); // √(2/8)
        assert_eq!(Init::Random.std_dev(1000, 1), 0.01);
    }

    #[test]
    fn he_draws_have_the_right_spread() {
        // 200k draws with σ = √(2/50) = 0.2: the sample std is within 1% (its own std error is ~0.16%).
        let mut rng = StdRng::seed_from_u64(7);
        let mut w = vec![0f64; 200_000];
        Init::He.fill(&mut w, 50, 10, &mut rng);
        let mean = w.iter().sum::<f64>() / w.len() as f64;
        let sd = (w.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / w.len() as f64).sqrt();
        assert!(mean.abs() < 0.002, "mean {mean}");
        assert!((sd - 0.2).abs() < 0.002, "sd {sd}");
    }

    #[test]
    fn same_seed_same_weights() {
        let draw = |seed| {
            let mut w = vec![0f32; 16];
            Init::Glorot.fill(&mut w, 4, 4, &mut StdRng::seed_from_u64(seed));
            w
        };
        assert_eq!(draw(3), draw(3));
        assert_ne!(draw(3), draw(4));
    }
}
