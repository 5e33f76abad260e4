//! Dense (fully connected) layer (course 1, weeks 3–4).
//!
//! Forward   `Z[l] = W[l]·A[l-1] + b[l]`          W: n[l]×n[l-1], A[l-1]: n[l-1]×m, b: n[l]×1
//!
//! Backward  `dW[l] = (1/m)·dZ[l]·A[l-1]ᵀ`   `db[l] = (1/m)·Σ_columns dZ[l]`   `dA[l-1] = W[l]ᵀ·dZ[l]`
//!
//! The activation `g[l]` is a separate layer, so `dZ[l] = dA[l] ⊙ g[l]'(Z[l])` is computed by
//! it and arrives here as `dY`.
//!
//! # Example
//! ```
//! use constnn::prelude::*;
//! use rand::{SeedableRng, rngs::StdRng};
//!
//! let mut rng = StdRng::seed_from_u64(0);
//! let mut layer: Dense<3, 2> = Dense::new(Init::He, &mut rng);
//! let a0 = Batch::<3>::zeros(5);          // 3 features, m = 5 samples
//! let z1: Batch<2> = layer.predict(&a0);  // 2 × 5
//! assert_eq!(z1.batch_size(), 5);
//! ```

use rand::rngs::StdRng;

use super::{Build, Layer, Params};
use crate::Scalar;
use crate::shape::{Describe, Rule, Shape};
use crate::tensor::{Batch, Init, Matrix, Vector};

/// A dense layer from `N_IN = n[l-1]` to `N_OUT = n[l]` features.
#[derive(Clone, Debug, Params)]
pub struct Dense<const N_IN: usize, const N_OUT: usize, T = f32> {
    /// `W[l]`, `n[l] × n[l-1]`.
    #[param(grad = dw, name = "weight", kind = weight)]
    pub w: Matrix<N_OUT, N_IN, T>,
    /// `b[l]`, `n[l] × 1` (saved as `[n[l]]`, PyTorch's shape).
    #[param(grad = db, name = "bias", kind = bias, shape = [N_OUT])]
    pub b: Vector<N_OUT, T>,
    /// `dW[l]` from the latest backward.
    pub dw: Matrix<N_OUT, N_IN, T>,
    /// `db[l]` from the latest backward.
    pub db: Vector<N_OUT, T>,
}

impl<const N_IN: usize, const N_OUT: usize, T: Scalar> Dense<N_IN, N_OUT, T> {
    /// `W` drawn by `init` (see [`Init`]), `b = 0`.
    pub fn new(init: Init, rng: &mut StdRng) -> Self {
        let mut w = Matrix::zeros();
        init.fill(w.as_mut_slice(), N_IN, N_OUT, rng);
        Self::from_params(w, Vector::zeros())
    }

    /// `W = 0`, `b = 0` (logistic regression starts here).
    pub fn zeros() -> Self {
        Self::from_params(Matrix::zeros(), Vector::zeros())
    }

    /// Given `W` and `b`.
    pub fn from_params(w: Matrix<N_OUT, N_IN, T>, b: Vector<N_OUT, T>) -> Self {
        Self {
            w,
            b,
            dw: Matrix::zeros(),
            db: Vector::zeros(),
        }
    }
}

impl<const N_IN: usize, const N_OUT: usize, T: Scalar> Layer<Batch<N_IN, T>>
    for Dense<N_IN, N_OUT, T>
{
    type Output = Batch<N_OUT, T>;
    type Cache = ();

    fn forward(
        &mut self,
        a_prev: &Batch<N_IN, T>,
        z: &mut Batch<N_OUT, T>,
        c: &mut (),
    ) -> crate::Result<()> {
        self.infer(a_prev, z, c);
        Ok(())
    }

    fn infer(&self, a_prev: &Batch<N_IN, T>, z: &mut Batch<N_OUT, T>, _: &mut ()) {
        self.w.matmul_batch_into(a_prev, z);
        T::add_bias(z.as_mut_slice(), self.b.as_slice());
    }

    fn backward(
        &mut self,
        a_prev: &Batch<N_IN, T>,
        _z: &Batch<N_OUT, T>,
        _: &mut (),
        dz: &Batch<N_OUT, T>,
        da_prev: Option<&mut Batch<N_IN, T>>,
    ) {
        let inv_m = T::one() / T::of(a_prev.batch_size().max(1) as f64);
        dz.matmul_t_into(inv_m, a_prev, &mut self.dw);
        T::sum_rows(inv_m, dz.as_slice(), self.db.as_mut_slice());
        if let Some(da_prev) = da_prev {
            self.w.t_matmul_batch_into(dz, da_prev);
        }
    }
}

impl<const N_IN: usize, const N_OUT: usize, T> Describe for Dense<N_IN, N_OUT, T> {
    const RULE: Rule = Rule::map(Shape::flat(N_IN), Shape::flat(N_OUT));
}

impl<const N_IN: usize, const N_OUT: usize, T: Scalar> Build for Dense<N_IN, N_OUT, T> {
    fn build(init: Init, rng: &mut StdRng) -> Self {
        Self::new(init, rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradcheck;
    use crate::layer::ParamCount;
    use rand::SeedableRng;

    fn layer_2x3() -> Dense<2, 3, f64> {
        // W = [[1, 2], [3, 4], [5, 6]], b = [0.5, -1, 0]ᵀ
        Dense::from_params(
            Matrix::from_rows([[1., 2.], [3., 4.], [5., 6.]]),
            Vector::from_rows([[0.5], [-1.], [0.]]),
        )
    }

    #[test]
    fn forward_matches_hand_computed_3x2() {
        // A = [[1, -1], [2, 0]] (2 features × m = 2).
        // Z col 0 = W·[1, 2] + b = [5.5, 10, 17]; col 1 = W·[-1, 0] + b = [-0.5, -4, -5].
        let a = Batch::<2, f64>::from_rows(2, &[&[1., -1.], &[2., 0.]]);
        let z = layer_2x3().predict(&a);
        assert_eq!(z.as_slice(), &[5.5, -0.5, 10., -4., 17., -5.]);
    }

    #[test]
    fn backward_matches_the_notes_formulas() {
        // dZ = [[1, 0], [0, 2], [1, 1]], A = [[1, -1], [2, 0]], m = 2.
        // dW = ½·dZ·Aᵀ = ½·[[1, 2], [-2, 0], [0, 2]]; db = ½·[1, 2, 2]; dA = Wᵀ·dZ = [[6, 11], [8, 14]].
        let mut l = layer_2x3();
        let a = Batch::<2, f64>::from_rows(2, &[&[1., -1.], &[2., 0.]]);
        let dz = Batch::<3, f64>::from_rows(2, &[&[1., 0.], &[0., 2.], &[1., 1.]]);
        let mut da = Batch::default();
        l.backward(&a, &Batch::default(), &mut (), &dz, Some(&mut da));
        assert_eq!(l.dw.as_slice(), &[0.5, 1., -1., 0., 0., 1.]);
        assert_eq!(l.db.as_slice(), &[0.5, 1., 1.]);
        assert_eq!(da.as_slice(), &[6., 11., 8., 14.]);
    }

    #[test]
    fn backward_passes_gradcheck() {
        let mut rng = StdRng::seed_from_u64(1);
        let mut l: Dense<4, 3, f64> = Dense::new(Init::Glorot, &mut rng);
        let x = Batch::<4, f64>::from_fn(5, |i, j| ((i * 7 + j * 3) % 11) as f64 / 5.0 - 1.0);
        let report = gradcheck::check_layer(&mut l, &x, 1e-6, 11).unwrap();
        assert!(report.max_error() < 1e-7, "{report}");
    }

    #[test]
    fn one_sample_batch_works() {
        let a = Batch::<2, f64>::from_columns(&[[1., 2.]]);
        let z = layer_2x3().predict(&a);
        assert_eq!(z.as_slice(), &[5.5, 10., 17.]);
    }

    #[test]
    fn params_are_counted() {
        assert_eq!(Dense::<784, 128>::zeros().num_params(), 784 * 128 + 128);
    }
}
