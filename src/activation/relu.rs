//! ReLU `g(z) = max(0, z)`, `g'(z) = 1 if z > 0 else 0` (the value at 0 is taken as 0).
//!
//! On a whole tensor both run as the kernels [`EltwiseKernel::relu`] and
//! [`EltwiseKernel::relu_backward`] (SIMD for f32).

use super::Activation;
use crate::Scalar;
#[cfg(doc)]
use crate::kernel::eltwise::EltwiseKernel;

/// Rectified linear unit (the default hidden activation).
#[derive(Clone, Copy, Debug, Default, crate::Params)]
pub struct Relu;

impl Activation for Relu {
    const NAME: &'static str = "Relu";
    fn f<T: Scalar>(&self, z: T) -> T {
        if z > T::zero() { z } else { T::zero() }
    }
    fn df<T: Scalar>(&self, z: T, _a: T) -> T {
        if z > T::zero() { T::one() } else { T::zero() }
    }
    fn f_all<T: Scalar>(&self, z: &[T], a: &mut [T]) {
        T::relu(z, a);
    }
    fn df_all<T: Scalar>(&self, (z, _a): (&[T], &[T]), da: &[T], dz: &mut [T]) {
        T::relu_backward(z, da, dz);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{is_finite_at_extremes, passes_gradcheck};
    use super::*;

    #[test]
    fn values_match_hand_computed() {
        assert_eq!(Relu.f(-2.0f64), 0.0);
        assert_eq!(Relu.f(3.5f64), 3.5);
        assert_eq!(Relu.df(-2.0f64, 0.0), 0.0);
        assert_eq!(Relu.df(3.5f64, 3.5), 1.0);
        assert_eq!(Relu.df(0.0f64, 0.0), 0.0);
    }

    #[test]
    fn backward_passes_gradcheck() {
        passes_gradcheck(Relu);
    }

    #[test]
    fn stable_at_1000() {
        is_finite_at_extremes(Relu);
    }
}
