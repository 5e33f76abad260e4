//! Mini-batches (course 2, week 2): each epoch the `m` sample indices are shuffled with a
//! seeded generator and cut into batches of `batch_size`; the last batch keeps the
//! remainder (`m mod batch_size` samples) instead of dropping it.

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::kernel::gather::{gather_columns, transpose};
use crate::tensor::Tensor;

/// A seeded plan of mini-batches over `m` samples.
#[derive(Debug)]
pub struct MiniBatches {
    order: Vec<usize>,
    batch_size: usize,
    rng: StdRng,
}

impl MiniBatches {
    /// `m` samples in batches of `batch_size` (at least 1), shuffled from `seed`.
    pub fn new(m: usize, batch_size: usize, seed: u64) -> Self {
        Self {
            order: (0..m).collect(),
            batch_size: batch_size.max(1),
            rng: StdRng::seed_from_u64(seed),
        }
    }

    /// Draws a new permutation (call once per epoch).
    pub fn shuffle(&mut self) {
        self.order.shuffle(&mut self.rng);
    }

    /// The batches of the current permutation, the last one possibly smaller.
    pub fn iter(&self) -> core::slice::Chunks<'_, usize> {
        self.order.chunks(self.batch_size)
    }

    /// Number of batches per epoch: `⌈m / batch_size⌉`.
    pub fn len(&self) -> usize {
        self.order.len().div_ceil(self.batch_size)
    }

    /// `true` when there are no samples.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

/// A data set copied once into sample-major order (one contiguous row per sample), from
/// which [`SampleMajor::gather_into`] draws shuffled mini-batches: each sample is one
/// contiguous read instead of one value from each of `F` rows far apart. Costs a second copy
/// of the set.
#[derive(Debug)]
pub(crate) struct SampleMajor<T> {
    rows: Vec<T>,
    features: usize,
}

impl<T: Copy + Default> SampleMajor<T> {
    /// The samples of `x`, sample-major.
    pub(crate) fn new<X: Tensor<Elem = T>>(x: &X) -> Self {
        let (features, m) = (X::FEATURES, x.batch_size());
        let mut rows = vec![T::default(); features * m];
        transpose(x.as_slice(), features, m, &mut rows);
        Self { rows, features }
    }

    /// `out ←` the samples `idx`, in that order (what [`Tensor::gather_into`] gives on the
    /// original tensor).
    pub(crate) fn gather_into<X: Tensor<Elem = T>>(&self, idx: &[usize], out: &mut X) {
        debug_assert_eq!(X::FEATURES, self.features);
        out.set_batch_size(idx.len());
        gather_columns(&self.rows, self.features, idx, out.as_mut_slice());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensor::Batch;

    #[test]
    fn sample_major_gathers_what_the_tensor_gathers() {
        // 5 features × 13 samples; batches of a shuffled plan, the last one partial.
        let x = Batch::<5, f32>::from_fn(13, |i, j| (i * 100 + j) as f32);
        let set = SampleMajor::new(&x);
        let mut plan = MiniBatches::new(13, 4, 9);
        plan.shuffle();
        let (mut got, mut want) = (Batch::<5, f32>::default(), Batch::default());
        for idx in plan.iter() {
            set.gather_into(idx, &mut got);
            x.gather_into(idx, &mut want);
            assert_eq!(got.as_slice(), want.as_slice(), "{idx:?}");
        }
    }

    #[test]
    fn partial_last_batch_is_kept() {
        // 10 samples in batches of 4: 4 + 4 + 2.
        let mut b = MiniBatches::new(10, 4, 0);
        b.shuffle();
        let sizes: Vec<usize> = b.iter().map(<[usize]>::len).collect();
        assert_eq!(sizes, [4, 4, 2]);
        assert_eq!(b.len(), 3);
        let mut all: Vec<usize> = b.iter().flatten().copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn epochs_differ_and_seeds_reproduce() {
        let epochs = |seed| {
            let mut b = MiniBatches::new(50, 50, seed);
            (0..2)
                .map(|_| {
                    b.shuffle();
                    b.iter().next().unwrap().to_vec()
                })
                .collect::<Vec<_>>()
        };
        let (a, b) = (epochs(1), epochs(1));
        assert_eq!(a, b);
        assert_ne!(a[0], a[1]);
        assert_ne!(epochs(1), epochs(2));
    }
}
