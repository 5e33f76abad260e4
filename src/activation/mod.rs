//! Activation functions `g(z)` and their derivatives `g'(z)` (course 1, week 3).
//!
//! Each is a parameter-free layer that works on any tensor shape, element-wise:
//! forward `A = g(Z)`, backward `dZ = dA ⊙ g'(Z)`. When `g'` is cheaper from the output
//! (sigmoid: `a(1 − a)`, tanh: `1 − a²`) the derivative is computed from `A`.
//!
//! Softmax is not element-wise; it lives in [`softmax`] and is used through
//! [`SoftmaxCrossEntropy`](crate::loss::SoftmaxCrossEntropy).

mod leaky_relu;
mod relu;
mod sigmoid;
pub mod softmax;
mod tanh;

pub use leaky_relu::LeakyRelu;
pub use relu::Relu;
pub use sigmoid::{Sigmoid, sigmoid};
pub use tanh::Tanh;

use rand::rngs::StdRng;

use crate::Scalar;
use crate::layer::{Build, Layer};
use crate::shape::{Describe, Rule};
use crate::tensor::{Init, Tensor};

/// An element-wise activation `g` with its derivative. The four here are layers on every
/// tensor shape (`Layer`, [`Describe`] with [`Rule::SAME`], `Params`, `Build`). An activation
/// of your own implements this trait and those four like any layer of your own, its `Layer`
/// calling [`f_all`](Activation::f_all) and [`df_all`](Activation::df_all) (see "Writing your
/// own layer" in [`crate::layer`]).
pub trait Activation: Clone + core::fmt::Debug {
    /// Name shown in summaries.
    const NAME: &'static str;
    /// `g(z)`.
    fn f<T: Scalar>(&self, z: T) -> T;
    /// `g'(z)`, given both `z` and `a = g(z)` (each activation uses the cheaper one).
    fn df<T: Scalar>(&self, z: T, a: T) -> T;

    /// `a = g(z)` over a whole tensor; an activation with a kernel (ReLU) overrides it.
    fn f_all<T: Scalar>(&self, z: &[T], a: &mut [T]) {
        for (a, &z) in a.iter_mut().zip(z) {
            *a = self.f(z);
        }
    }

    /// `dz = da ⊙ g'(z)` over a whole tensor; an activation with a kernel overrides it.
    fn df_all<T: Scalar>(&self, (z, a): (&[T], &[T]), da: &[T], dz: &mut [T]) {
        let zs = z.iter().zip(a).zip(da);
        for (dz, ((&z, &a), &da)) in dz.iter_mut().zip(zs) {
            *dz = da * self.df(z, a);
        }
    }
}

/// `Layer`, `Describe` and `Build` of a parameter-free activation (`Params` is derived).
macro_rules! activation_layer {
    ($($act:ty),*) => {$(
        impl<X: Tensor> Layer<X> for $act {
            type Output = X;
            type Cache = ();

            fn forward(&mut self, z: &X, a: &mut X, c: &mut ()) -> crate::Result<()> {
                self.infer(z, a, c);
                Ok(())
            }

            fn infer(&self, z: &X, a: &mut X, _: &mut ()) {
                a.set_batch_size(z.batch_size());
                self.f_all(z.as_slice(), a.as_mut_slice());
            }

            fn backward(&mut self, z: &X, a: &X, _: &mut (), da: &X, dz: Option<&mut X>) {
                let Some(dz) = dz else { return };
                dz.set_batch_size(z.batch_size());
                self.df_all((z.as_slice(), a.as_slice()), da.as_slice(), dz.as_mut_slice());
            }
        }
        impl Describe for $act {
            const RULE: Rule = Rule::SAME;
        }
        impl Build for $act {
            fn build(_: Init, _: &mut StdRng) -> Self {
                Self::default()
            }
        }
    )*};
}

activation_layer!(Relu, LeakyRelu, Sigmoid, Tanh);

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::gradcheck;
    use crate::tensor::Batch;

    /// Gradient check of an activation on inputs spread over [-3, 3], avoiding the kink at 0.
    pub(crate) fn passes_gradcheck<
        A: Activation + crate::layer::Params<f64> + Layer<Batch<3, f64>>,
    >(
        mut g: A,
    ) {
        let x = Batch::<3, f64>::from_fn(4, |i, j| (i as f64 * 4.0 + j as f64) * 0.55 - 3.05);
        let report = gradcheck::check_layer(&mut g, &x, 1e-6, 3).unwrap();
        assert!(report.max_error() < 1e-7, "{}: {report}", A::NAME);
    }

    /// `g` at ±1000 stays finite, and so does `g'`.
    pub(crate) fn is_finite_at_extremes<A: Activation>(g: A) {
        for z in [-1000.0f64, 1000.0] {
            let a = g.f(z);
            assert!(
                a.is_finite() && g.df(z, a).is_finite(),
                "{} at {z}",
                A::NAME
            );
        }
        for z in [-1000.0f32, 1000.0] {
            let a = g.f(z);
            assert!(
                a.is_finite() && g.df(z, a).is_finite(),
                "{} at {z}",
                A::NAME
            );
        }
    }
}
