//! Leaky ReLU `g(z) = max(α·z, z)` with a small slope `α` (default 0.01) for `z < 0`;
//! `g'(z) = 1 if z > 0 else α`.

use super::Activation;
use crate::Scalar;

/// Leaky ReLU with slope `alpha` on the negative side.
#[derive(Clone, Copy, Debug, crate::Params)]
pub struct LeakyRelu {
    /// The slope for `z ≤ 0`.
    pub alpha: f64,
}

impl Default for LeakyRelu {
    /// `α = 0.01`, the notes' value.
    fn default() -> Self {
        Self { alpha: 0.01 }
    }
}

impl Activation for LeakyRelu {
    const NAME: &'static str = "LeakyRelu";
    fn f<T: Scalar>(&self, z: T) -> T {
        if z > T::zero() {
            z
        } else {
            T::of(self.alpha) * z
        }
    }
    fn df<T: Scalar>(&self, z: T, _a: T) -> T {
        if z > T::zero() {
            T::one()
        } else {
            T::of(self.alpha)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{is_finite_at_extremes, passes_gradcheck};
    use super::*;

    #[test]
    fn values_match_hand_computed() {
        let g = LeakyRelu { alpha: 0.1 };
        assert_eq!(g.f(-2.0f64), -0.2);
        assert_eq!(g.f(3.0f64), 3.0);
        assert_eq!(g.df(-2.0f64, -0.2), 0.1);
        assert_eq!(LeakyRelu::default().df(-1.0f64, -0.01), 0.01);
    }

    #[test]
    fn backward_passes_gradcheck() {
        passes_gradcheck(LeakyRelu { alpha: 0.2 });
    }

    #[test]
    fn stable_at_1000() {
        is_finite_at_extremes(LeakyRelu::default());
    }
}
