//! One sample as a fixed-size array: `GenericArray<T, Len>` with `Len` the sample's number of
//! values as a typenum natural (`C·H·W` for an image, computed in the type), for callers that
//! handle one request at a time or live in the typenum ecosystem (embedded, `no_std` style
//! code that avoids heap buffers). [`Predictor`](crate::layer::Predictor) runs a network on
//! such arrays without allocating.
//!
//! ```
//! use constnn::generic_array::GenericArray;
//! use constnn::tensor::{Images, Sample, Tensor};
//!
//! let pixels: GenericArray<f32, <Images<1, 2, 3> as Sample>::Len> =
//!     GenericArray::from_array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
//! let mut x = Images::<1, 2, 3>::default();
//! x.set_sample(&pixels);
//! assert_eq!((x.batch_size(), x.get(0, 1, 0, 0)), (1, 4.0));
//! assert_eq!(x.sample_array(0), pixels);
//! ```

use core::ops::Mul;

use generic_array::sequence::GenericSequence;
use generic_array::{ArrayLength, GenericArray};
use typenum::Prod;

use super::{Batch, Images, Tensor};
use crate::Scalar;
use crate::shape::Dim;
use crate::shape::nat::{NatOf, ToNat};

/// A tensor whose samples have a length typenum can name (each dim at most
/// [`MAX_DIM`](crate::shape::MAX_DIM)).
pub trait Sample: Tensor {
    /// Values per sample.
    type Len: ArrayLength;

    /// Makes this a batch of the one sample `s` (no allocation once it has held one sample).
    fn set_sample(&mut self, s: &GenericArray<Self::Elem, Self::Len>) {
        self.set_batch_size(1);
        self.as_mut_slice().copy_from_slice(s.as_slice());
    }

    /// Sample `j` as an array (on the stack).
    ///
    /// # Panics
    /// When `j` is not below the batch size.
    fn sample_array(&self, j: usize) -> GenericArray<Self::Elem, Self::Len> {
        let m = self.batch_size();
        assert!(j < m, "sample {j} out of range for a batch of {m}");
        let data = self.as_slice();
        GenericArray::generate(|i| data[i * m + j])
    }

    /// Writes sample `j` into `out`.
    ///
    /// # Panics
    /// When `j` is not below the batch size.
    fn sample_into(&self, j: usize, out: &mut GenericArray<Self::Elem, Self::Len>) {
        let m = self.batch_size();
        assert!(j < m, "sample {j} out of range for a batch of {m}");
        for (o, row) in out.iter_mut().zip(self.as_slice().chunks_exact(m)) {
            *o = row[j];
        }
    }
}

impl<const N: usize, T: Scalar> Sample for Batch<N, T>
where
    Dim<N>: ToNat,
    NatOf<N>: ArrayLength,
{
    type Len = NatOf<N>;
}

impl<const C: usize, const H: usize, const W: usize, T: Scalar> Sample for Images<C, H, W, T>
where
    Dim<C>: ToNat,
    Dim<H>: ToNat,
    Dim<W>: ToNat,
    NatOf<C>: Mul<NatOf<H>>,
    Prod<NatOf<C>, NatOf<H>>: Mul<NatOf<W>>,
    Prod<Prod<NatOf<C>, NatOf<H>>, NatOf<W>>: ArrayLength,
{
    type Len = Prod<Prod<NatOf<C>, NatOf<H>>, NatOf<W>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_go_in_and_out_in_feature_order() {
        // Batch<3> of m = 2: rows (1, 4), (2, 5), (3, 6); sample 1 is (4, 5, 6).
        let b = Batch::<3, f64>::from_rows(2, &[&[1., 4.], &[2., 5.], &[3., 6.]]);
        let s = b.sample_array(1);
        assert_eq!(s.as_slice(), &[4., 5., 6.]);
        let mut one = Batch::<3, f64>::default();
        one.set_sample(&s);
        assert_eq!(one.as_slice(), &[4., 5., 6.]);
        let mut out = GenericArray::default();
        b.sample_into(0, &mut out);
        assert_eq!(out.as_slice(), &[1., 2., 3.]);
        // 784 = 28·28 values, the length computed in the type.
        assert_eq!(
            <<Images<1, 28, 28> as Sample>::Len as typenum::Unsigned>::USIZE,
            784
        );
    }
}
