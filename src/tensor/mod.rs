//! Shaped tensors.
//!
//! * [`Matrix<R, C>`](Matrix): fixed `R × C` (parameters such as `W[l]`, `b[l]`), both dims in the type.
//! * [`Batch<N>`](Batch): the activations `A[l]` of a mini-batch, `n[l] × m` in the notes'
//!   notation: one column per sample. `N = n[l]` is in the type, the batch size `m` is chosen at
//!   run time, so one network serves a batch of 64, a last partial batch and a single sample.
//!
//! * [`Images<C, H, W>`](Images): `m` images of `C × H × W` (course 4), same layout.
//!
//! All are generic over the element type (`T = f32` by default; `f64` for gradient checks)
//! and keep their data on the heap, row-major.

mod batch;
mod images;
pub mod init;
mod matrix;
mod sample;
pub mod typed;

pub use batch::Batch;
pub use images::Images;
pub use init::Init;
pub use matrix::{Matrix, Vector};
pub use sample::Sample;
pub use typed::{Is, TensorOf};

use crate::Scalar;

/// What every activation tensor offers: a fixed number of features per sample, a run-time
/// batch size, and its data as one slice. Layers that work on any shape (activations,
/// dropout, losses) are written against this trait.
///
/// Layout contract: the data is `FEATURES` rows of `m` values (row-major, one column per
/// sample), so sample `j` of feature `i` is at `i·m + j` whatever the per-sample shape.
pub trait Tensor: Clone + Default + core::fmt::Debug + Send + Sync {
    /// The element type.
    type Elem: Scalar;
    /// Features per sample (`n[l]`, or `C·H·W` for an image).
    const FEATURES: usize;
    /// The per-sample shape.
    const SHAPE: crate::shape::Shape;
    /// The batch size `m`.
    fn batch_size(&self) -> usize;
    /// Sets the batch size to `m`. Existing values are unspecified afterwards; the allocation
    /// is reused when it is large enough, so a steady batch size allocates only once.
    fn set_batch_size(&mut self, m: usize);
    /// All `FEATURES · m` values.
    fn as_slice(&self) -> &[Self::Elem];
    /// All `FEATURES · m` values, mutably.
    fn as_mut_slice(&mut self) -> &mut [Self::Elem];
    /// A zero tensor with batch size `m`.
    fn zeros(m: usize) -> Self {
        let mut t = Self::default();
        t.set_batch_size(m);
        t.as_mut_slice()
            .fill(<Self::Elem as num_traits::Zero>::zero());
        t
    }
    /// `out ←` the samples with the given indices, in that order (a mini-batch drawn from a
    /// data set), reusing `out`'s allocation.
    ///
    /// # Panics
    /// When an index is not below the batch size.
    fn gather_into(&self, indices: &[usize], out: &mut Self) {
        let (m, k) = (self.batch_size(), indices.len());
        out.set_batch_size(k);
        if k == 0 {
            return;
        }
        let src = self.as_slice();
        for (dst, row) in out
            .as_mut_slice()
            .chunks_exact_mut(k)
            .zip(src.chunks_exact(m.max(1)))
        {
            for (o, &j) in dst.iter_mut().zip(indices) {
                *o = row[j];
            }
        }
    }
}

/// The same samples viewed with another per-sample shape of the same size, e.g. MNIST's
/// `Batch<784>` as `Images<1, 28, 28>`, or back. Both types share the layout (features ×
/// batch), so this is one copy.
///
/// ```
/// use constnn::tensor::{reshape, Batch, Images};
/// let flat = Batch::<4, f32>::from_fn(2, |i, j| (i * 10 + j) as f32);
/// let img: Images<1, 2, 2> = reshape(&flat);
/// assert_eq!(img.get(0, 1, 0, 1), 21.0);
/// ```
pub fn reshape<A: Tensor, B: Tensor<Elem = A::Elem>>(a: &A) -> B {
    const {
        assert!(
            A::FEATURES == B::FEATURES,
            "reshape: the two shapes hold different numbers of values per sample"
        );
    }
    let mut b = B::default();
    b.set_batch_size(a.batch_size());
    b.as_mut_slice().copy_from_slice(a.as_slice());
    b
}
