//! Normalizing inputs (course 2, week 1).
//!
//! For each feature `i`, over the `m` training columns only:
//!
//! `μᵢ = (1/m)·Σⱼ xᵢ⁽ʲ⁾`   `σᵢ² = (1/m)·Σⱼ (xᵢ⁽ʲ⁾ − μᵢ)²`   (population variance)
//!
//! then every set, training, dev and test alike, is mapped by the **same** `μ` and `σ`:
//! `xᵢ := (xᵢ − μᵢ) / σᵢ`. Fitting on the test set too would leak it into training.
//!
//! A feature with `σᵢ = 0` (the same value in every training sample) is only centered: it is
//! divided by 1, not 0, so it becomes `0` on the training set and `xᵢ − μᵢ` elsewhere. Such a
//! feature is detected exactly (all values equal), so rounding in `μᵢ` cannot turn it into
//! noise divided by a tiny `σᵢ`.
//!
//! The statistics are computed in `f64` whatever the element type, on each feature divided by
//! a power of two near its largest magnitude (exact, so the results are those of the plain
//! formulas), so that finite inputs up to `±f64::MAX` give a finite `μ` and `σ`. A NaN or an
//! infinity is refused by [`Standardizer::fit`], naming the feature and the sample.

use crate::tensor::Batch;
use crate::{Error, Result, Scalar};

/// Per-feature mean `μ` and standard deviation `σ` of a training set, applied to any set.
///
/// ```
/// use constnn::data::Standardizer;
/// use constnn::tensor::Batch;
/// // One feature, m = 2: μ = 2, σ² = ((1 − 2)² + (3 − 2)²)/2 = 1.
/// let train = Batch::<1, f64>::from_rows(2, &[&[1., 3.]]);
/// let norm = Standardizer::fit(&train)?;
/// assert_eq!(norm.transform(&train).as_slice(), &[-1., 1.]);
/// let test = Batch::<1, f64>::from_rows(1, &[&[4.]]);
/// assert_eq!(norm.transform(&test).as_slice(), &[2.]); // the training μ and σ
/// # Ok::<(), constnn::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Standardizer<const N: usize> {
    mean: [f64; N],
    std: [f64; N],
}

impl<const N: usize> Standardizer<N> {
    /// Computes `μ` and the population `σ` of every feature over the columns of `x`.
    ///
    /// # Errors
    /// [`Error::Data`] when `x` has no samples (`μ` would be `0/0`);
    /// [`Error::NonFiniteInput`] naming the feature and sample of a NaN or an infinity.
    pub fn fit<T: Scalar>(x: &Batch<N, T>) -> Result<Self> {
        let m = x.batch_size();
        if m == 0 {
            return Err(Error::Data {
                what: "standardizer".into(),
                reason: "cannot fit the mean and variance of 0 samples".into(),
            });
        }
        let (mut mean, mut std) = ([0.0; N], [0.0; N]);
        for i in 0..N {
            let row = x.row(i);
            if let Some(j) = row.iter().position(|v| !v.as_f64().is_finite()) {
                return Err(Error::NonFiniteInput {
                    what: "standardizer input".into(),
                    sample: j,
                    feature: i,
                    value: row[j].as_f64(),
                });
            }
            let first = row[0].as_f64(); // m ≥ 1
            if row.iter().all(|v| v.as_f64() == first) {
                mean[i] = first; // σ = 0 exactly
                continue;
            }
            // s = 2^⌊log₂ max|x|⌋: x/s is exact and at most 2 in magnitude, so neither Σ x
            // nor Σ (x − μ)² can overflow, and scaling back by s is exact again.
            let largest = row.iter().map(|v| v.as_f64().abs()).fold(0.0, f64::max);
            // log₂ f64::MAX rounds to 1024, and 2¹⁰²⁴ is ∞: cap the exponent at 1023.
            let s = 2f64.powi((largest.log2().floor() as i32).min(1023));
            let mu = row.iter().map(|v| v.as_f64() / s).sum::<f64>() / m as f64;
            let var = row
                .iter()
                .map(|v| (v.as_f64() / s - mu).powi(2))
                .sum::<f64>()
                / m as f64;
            (mean[i], std[i]) = (mu * s, var.sqrt() * s);
        }
        Ok(Self { mean, std })
    }

    /// `μ`, one entry per feature.
    pub fn mean(&self) -> &[f64; N] {
        &self.mean
    }

    /// The population standard deviation `σ`, one entry per feature (`0` for a constant one).
    pub fn std(&self) -> &[f64; N] {
        &self.std
    }

    /// `(x − μ) / σ` per feature, with `σ = 0` replaced by 1 (see the [module docs](self)).
    pub fn transform<T: Scalar>(&self, x: &Batch<N, T>) -> Batch<N, T> {
        let mut out = x.clone();
        self.transform_in_place(&mut out);
        out
    }

    /// [`transform`](Self::transform) without allocating.
    pub fn transform_in_place<T: Scalar>(&self, x: &mut Batch<N, T>) {
        let m = x.batch_size().max(1); // m = 0: the slice is empty, no row is visited
        for (i, row) in x.as_mut_slice().chunks_exact_mut(m).enumerate() {
            let (mu, sigma) = (self.mean[i], self.std[i]);
            let scale = if sigma > 0.0 { sigma } else { 1.0 };
            for v in row {
                let x = v.as_f64();
                let z = (x - mu) / scale;
                // x − μ overflows only for inputs near ±f64::MAX: then x/σ − μ/σ.
                *v = T::of(if z.is_finite() {
                    z
                } else {
                    x / scale - mu / scale
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-15)
    }

    // 2 features × m = 3:
    //   feature 0: 1, 2, 3     μ = 2,  σ² = (1 + 0 + 1)/3 = 2/3,          σ = √(2/3)
    //   feature 1: 10, 10, 40  μ = 20, σ² = (100 + 100 + 400)/3 = 200,   σ = √200 = 10·√2
    fn train() -> Batch<2, f64> {
        Batch::from_rows(3, &[&[1., 2., 3.], &[10., 10., 40.]])
    }

    #[test]
    fn fit_matches_hand_computed_mean_and_population_std() {
        let s = Standardizer::fit(&train()).unwrap();
        assert_eq!(s.mean(), &[2., 20.]);
        assert!(close(s.std(), &[(2f64 / 3.).sqrt(), 200f64.sqrt()]));
    }

    #[test]
    fn transform_matches_hand_computed_values() {
        // feature 0: (x − 2)/√(2/3) = (x − 2)·√1.5 → −√1.5, 0, √1.5
        // feature 1: (x − 20)/(10√2)            → −1/√2, −1/√2, 2/√2 = √2
        let s = Standardizer::fit(&train()).unwrap();
        let (r, h) = (1.5f64.sqrt(), 0.5f64.sqrt());
        let want = [-r, 0., r, -h, -h, 2f64.sqrt()];
        let got = s.transform(&train());
        assert!(close(got.as_slice(), &want), "{got:?}");
    }

    #[test]
    fn training_set_comes_out_with_mean_0_and_std_1() {
        let z = Standardizer::fit(&train()).unwrap().transform(&train());
        let again = Standardizer::fit(&z).unwrap();
        assert!(close(again.mean(), &[0., 0.]), "{again:?}");
        assert!(close(again.std(), &[1., 1.]), "{again:?}");
    }

    #[test]
    fn test_rows_use_the_training_statistics() {
        // Sample (4, 20): ((4 − 2)·√1.5, (20 − 20)/(10√2)) = (2·√1.5, 0).
        let s = Standardizer::fit(&train()).unwrap();
        let test = Batch::<2, f64>::from_columns(&[[4., 20.]]);
        assert!(close(
            s.transform(&test).as_slice(),
            &[2. * 1.5f64.sqrt(), 0.]
        ));
    }

    #[test]
    fn constant_feature_is_only_centered() {
        // 0.1 three times: Σ/3 = 0.10000000000000002 in f64, so μ and σ are taken exactly
        // (μ = 0.1, σ = 0) and the feature maps to 0, not to rounding noise / 1e-17.
        let x = Batch::<2, f64>::from_rows(3, &[&[0.1, 0.1, 0.1], &[1., 2., 3.]]);
        let s = Standardizer::fit(&x).unwrap();
        assert_eq!((s.mean()[0], s.std()[0]), (0.1, 0.));
        assert_eq!(&s.transform(&x).as_slice()[..3], &[0., 0., 0.]);
        let test = Batch::<2, f64>::from_columns(&[[1.1, 2.]]);
        assert!((s.transform(&test).get(0, 0) - 1.0).abs() < 1e-15); // 1.1 − 0.1, divided by 1
    }

    #[test]
    fn f32_batches_are_fitted_in_f64() {
        let x = Batch::<1, f32>::from_rows(2, &[&[1., 3.]]);
        let s = Standardizer::fit(&x).unwrap();
        assert_eq!((s.mean(), s.std()), (&[2.], &[1.]));
        assert_eq!(s.transform(&x).as_slice(), &[-1f32, 1.]);
    }

    #[test]
    fn a_nan_or_an_infinity_is_refused_naming_feature_and_sample() {
        // Before: the whole feature's μ and σ became NaN, and so did every transformed value.
        let x = Batch::<2, f64>::from_rows(3, &[&[1., 2., 3.], &[4., f64::NAN, 6.]]);
        let err = Standardizer::fit(&x).unwrap_err();
        assert_eq!(
            err.to_string(),
            "standardizer input: feature 1 of sample 1 is NaN (0-based indices)"
        );
        let x = Batch::<1, f32>::from_rows(2, &[&[f32::NEG_INFINITY, 0.]]);
        assert!(Standardizer::fit(&x).is_err());
    }

    #[test]
    fn huge_finite_inputs_give_finite_statistics() {
        // 10³⁰⁸·(1, −1, 1): μ = 10³⁰⁸/3, σ² = 10⁶¹⁶·((2/3)² + (4/3)² + (2/3)²)/3 = 10⁶¹⁶·8/9.
        // Before: Σ x overflowed to ∞ and σ was ∞ − ∞ = NaN.
        let x = Batch::<1, f64>::from_rows(3, &[&[1e308, -1e308, 1e308]]);
        let s = Standardizer::fit(&x).unwrap();
        assert!((s.mean()[0] / (1e308 / 3.0) - 1.0).abs() < 1e-15, "{s:?}");
        assert!(
            (s.std()[0] / (8f64 / 9.0).sqrt() / 1e308 - 1.0).abs() < 1e-15,
            "{s:?}"
        );
        // (1 − 1/3)/√(8/9) = 1/√2 and (−1 − 1/3)/√(8/9) = −√2; x − μ overflows for
        // ±f64::MAX, which takes the x/σ − μ/σ path.
        let z = s.transform(&x);
        let want = [0.5f64.sqrt(), -(2f64.sqrt()), 0.5f64.sqrt()];
        assert!(close(z.as_slice(), &want), "{z:?}");
        let x = Batch::<1, f64>::from_rows(3, &[&[f64::MAX, -f64::MAX, f64::MAX]]);
        let z = Standardizer::fit(&x).unwrap().transform(&x);
        assert!(close(z.as_slice(), &want), "{z:?}");
    }

    #[test]
    fn empty_batch_cannot_be_fitted_but_can_be_transformed() {
        let err = Standardizer::<3>::fit(&Batch::<3, f64>::zeros(0)).unwrap_err();
        assert!(matches!(err, Error::Data { .. }), "{err}");
        let s = Standardizer::fit(&train()).unwrap();
        assert_eq!(s.transform(&Batch::<2, f64>::zeros(0)).batch_size(), 0);
    }
}
