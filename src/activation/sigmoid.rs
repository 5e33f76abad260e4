//! Sigmoid `σ(z) = 1 / (1 + e^(−z))`, `σ'(z) = σ(z)·(1 − σ(z))`.
//!
//! Computed without overflow for any `z`: for `z < 0` as `e^z / (1 + e^z)`.

use super::Activation;
use crate::Scalar;

/// The logistic sigmoid (output layer of binary classification).
#[derive(Clone, Copy, Debug, Default, crate::Params)]
pub struct Sigmoid;

/// Numerically stable `σ(z)`.
pub fn sigmoid<T: Scalar>(z: T) -> T {
    if z >= T::zero() {
        T::one() / (T::one() + (-z).exp())
    } else {
        let e = z.exp();
        e / (T::one() + e)
    }
}

impl Activation for Sigmoid {
    const NAME: &'static str = "Sigmoid";
    fn f<T: Scalar>(&self, z: T) -> T {
        sigmoid(z)
    }
    fn df<T: Scalar>(&self, _z: T, a: T) -> T {
        a * (T::one() - a)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{is_finite_at_extremes, passes_gradcheck};
    use super::*;

    #[test]
    fn values_match_hand_computed() {
        // σ(0) = 1/2; σ(ln 3) = 1/(1 + 1/3) = 3/4; σ(−ln 3) = 1/4; σ'(0) = 1/4.
        assert_eq!(sigmoid(0.0f64), 0.5);
        assert!((sigmoid(3f64.ln()) - 0.75).abs() < 1e-15);
        assert!((sigmoid(-(3f64.ln())) - 0.25).abs() < 1e-15);
        assert_eq!(Sigmoid.df(0.0f64, 0.5), 0.25);
        assert_eq!(sigmoid(-1000.0f64), 0.0);
        assert_eq!(sigmoid(1000.0f32), 1.0);
    }

    #[test]
    fn backward_passes_gradcheck() {
        passes_gradcheck(Sigmoid);
    }

    #[test]
    fn stable_at_1000() {
        is_finite_at_extremes(Sigmoid);
    }
}
