//! Hyperbolic tangent `tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z))`, `tanh'(z) = 1 − tanh²(z)`.

use super::Activation;
use crate::Scalar;

/// `tanh`, zero-centred (the notes' default hidden activation before ReLU).
#[derive(Clone, Copy, Debug, Default, crate::Params)]
pub struct Tanh;

impl Activation for Tanh {
    const NAME: &'static str = "Tanh";
    fn f<T: Scalar>(&self, z: T) -> T {
        z.tanh() // libm's tanh saturates to ±1 without overflow
    }
    fn df<T: Scalar>(&self, _z: T, a: T) -> T {
        T::one() - a * a
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{is_finite_at_extremes, passes_gradcheck};
    use super::*;

    #[test]
    fn values_match_hand_computed() {
        // tanh(ln 2) = (2 − 1/2)/(2 + 1/2) = 3/5; tanh'(ln 2) = 1 − 9/25 = 16/25.
        let a = Tanh.f(2f64.ln());
        assert!((a - 0.6).abs() < 1e-15);
        assert!((Tanh.df(2f64.ln(), a) - 0.64).abs() < 1e-15);
        assert_eq!(Tanh.f(-1000.0f64), -1.0);
    }

    #[test]
    fn backward_passes_gradcheck() {
        passes_gradcheck(Tanh);
    }

    #[test]
    fn stable_at_1000() {
        is_finite_at_extremes(Tanh);
    }
}
