//! `Batch<N>`: the activations of a mini-batch, `n × m` with one column per sample.

use core::fmt;

use super::{Matrix, Tensor, Vector};
use crate::Scalar;
use crate::kernel::gemm::Dims;

/// `N` features for each of `m` samples: the notes' `A[l]`, `Z[l]`, `dZ[l]` of shape
/// `n[l] × m`. `N` is checked at compile time, `m` is chosen at run time.
///
/// Stored row-major: row `i` (feature `i` of every sample) is contiguous, so `W·A` runs along
/// the batch in its inner loop.
///
/// ```
/// use constnn::tensor::Batch;
/// // 2 features, 3 samples: the columns are the samples (1, 2), (3, 4), (5, 6).
/// let a = Batch::<2, f64>::from_columns(&[[1., 2.], [3., 4.], [5., 6.]]);
/// assert_eq!(a.batch_size(), 3);
/// assert_eq!(a.row(1), &[2., 4., 6.]);
/// let total = a.sum_over_batch(); // keep-dims: 2 × 1
/// assert_eq!(total.as_slice(), &[9., 12.]);
/// ```
#[derive(Clone, PartialEq)]
pub struct Batch<const N: usize, T = f32> {
    data: Vec<T>, // invariant: len == N * m
    m: usize,
}

impl<const N: usize, T> Default for Batch<N, T> {
    /// An empty batch (`m = 0`).
    fn default() -> Self {
        Self {
            data: Vec::new(),
            m: 0,
        }
    }
}

impl<const N: usize, T: Scalar> Tensor for Batch<N, T> {
    type Elem = T;
    const FEATURES: usize = N;
    const SHAPE: crate::shape::Shape = crate::shape::Shape::flat(N);
    fn batch_size(&self) -> usize {
        self.m
    }
    fn set_batch_size(&mut self, m: usize) {
        self.data.resize(N * m, T::zero());
        self.m = m;
    }
    fn as_slice(&self) -> &[T] {
        &self.data
    }
    fn as_mut_slice(&mut self) -> &mut [T] {
        &mut self.data
    }
}

impl<const N: usize, T: Scalar> Batch<N, T> {
    /// The batch size `m` (number of samples, i.e. columns).
    pub fn batch_size(&self) -> usize {
        self.m
    }

    /// An all-zero `N × m` batch.
    pub fn zeros(m: usize) -> Self {
        Self {
            data: vec![T::zero(); N * m],
            m,
        }
    }

    /// Entry `(i, j)` (feature `i` of sample `j`) from `f(i, j)`.
    pub fn from_fn(m: usize, mut f: impl FnMut(usize, usize) -> T) -> Self {
        Self {
            data: (0..N * m).map(|k| f(k / m, k % m)).collect(),
            m,
        }
    }

    /// From `N` rows of `m` values each.
    ///
    /// # Panics
    /// When a row does not have `m` values.
    pub fn from_rows(m: usize, rows: &[&[T]; N]) -> Self {
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(
                r.len(),
                m,
                "row {i} has {} values, the batch has m = {m}",
                r.len()
            );
        }
        Self::from_fn(m, |i, j| rows[i][j])
    }

    /// From one `[T; N]` per sample (each becomes a column).
    pub fn from_columns(samples: &[[T; N]]) -> Self {
        Self::from_fn(samples.len(), |i, j| samples[j][i])
    }

    /// From a row-major `N × m` vector, or `None` when its length is not `N · m`.
    pub fn from_vec(m: usize, data: Vec<T>) -> Option<Self> {
        (data.len() == N * m).then_some(Self { data, m })
    }

    /// The data, row-major (`N` rows of `m`).
    pub fn as_slice(&self) -> &[T] {
        &self.data
    }

    /// The data, row-major, mutably.
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        &mut self.data
    }

    /// Row `i`: feature `i` of every sample.
    pub fn row(&self, i: usize) -> &[T] {
        &self.data[i * self.m..(i + 1) * self.m]
    }

    /// Column `j`: the `N` features of sample `j`.
    pub fn column(&self, j: usize) -> Vec<T> {
        assert!(
            j < self.m,
            "sample {j} out of range for a batch of {}",
            self.m
        );
        (0..N).map(|i| self.data[i * self.m + j]).collect()
    }

    /// Entry `(i, j)`: feature `i` of sample `j`.
    pub fn get(&self, i: usize, j: usize) -> T {
        assert!(
            i < N && j < self.m,
            "({i}, {j}) out of range for {N} × {}",
            self.m
        );
        self.data[i * self.m + j]
    }

    /// Sets entry `(i, j)`.
    pub fn set(&mut self, i: usize, j: usize, v: T) {
        assert!(
            i < N && j < self.m,
            "({i}, {j}) out of range for {N} × {}",
            self.m
        );
        self.data[i * self.m + j] = v;
    }

    /// The samples with the given indices, in that order (a mini-batch drawn from a data set).
    pub fn select(&self, indices: &[usize]) -> Self {
        let mut out = Self::default();
        self.select_into(indices, &mut out);
        out
    }

    /// `out ←` the samples with the given indices, reusing `out`'s allocation.
    pub fn select_into(&self, indices: &[usize], out: &mut Self) {
        self.gather_into(indices, out);
    }

    /// `Z ← Z + b` with `b` broadcast over the batch (`n × 1` added to every column), by the
    /// element-wise kernel [`add_bias`](crate::kernel::eltwise::EltwiseKernel::add_bias)
    /// (SIMD for f32), as in `Dense`.
    pub fn add_bias(&mut self, b: &Vector<N, T>) {
        T::add_bias(&mut self.data, b.as_slice());
    }

    /// `Σ` over the batch with keep-dims semantics: `n × m → n × 1` (`np.sum(dZ, axis=1, keepdims=True)`).
    pub fn sum_over_batch(&self) -> Vector<N, T> {
        let mut out = Vector::zeros();
        self.sum_over_batch_into(T::one(), &mut out);
        out
    }

    /// `out ← α·Σ_columns self` (so `db = (1/m)·Σ dZ` is one call), by the kernel
    /// [`sum_rows`](crate::kernel::eltwise::EltwiseKernel::sum_rows).
    pub fn sum_over_batch_into(&self, alpha: T, out: &mut Vector<N, T>) {
        T::sum_rows(alpha, &self.data, out.as_mut_slice());
    }

    /// `α·self·otherᵀ`: `(R × m)·(m × C) → R × C`, the shape of `dW = (1/m)·dZ·A[l-1]ᵀ`.
    ///
    /// # Panics
    /// When the two batches have different sizes.
    pub fn matmul_t<const C: usize>(&self, alpha: T, other: &Batch<C, T>) -> Matrix<N, C, T> {
        let mut out = Matrix::zeros();
        self.matmul_t_into(alpha, other, &mut out);
        out
    }

    /// `out ← α·self·otherᵀ`, reusing `out`.
    ///
    /// # Panics
    /// When the two batches have different sizes.
    pub fn matmul_t_into<const C: usize>(
        &self,
        alpha: T,
        other: &Batch<C, T>,
        out: &mut Matrix<N, C, T>,
    ) {
        assert_eq!(
            self.m, other.m,
            "batch sizes differ: {} vs {}",
            self.m, other.m
        );
        let d = Dims {
            m: N,
            k: self.m,
            n: C,
        };
        T::gemm_nt(
            d,
            alpha,
            &self.data,
            &other.data,
            T::zero(),
            out.as_mut_slice(),
        );
    }

    /// A new batch with `f` applied to every entry.
    pub fn map(&self, f: impl Fn(T) -> T) -> Self {
        Self {
            data: self.data.iter().map(|&x| f(x)).collect(),
            m: self.m,
        }
    }

    /// A new batch `f(self[i,j], other[i,j])`.
    ///
    /// # Panics
    /// When the two batches have different sizes.
    pub fn zip_map(&self, other: &Self, f: impl Fn(T, T) -> T) -> Self {
        assert_eq!(
            self.m, other.m,
            "batch sizes differ: {} vs {}",
            self.m, other.m
        );
        let data = self
            .data
            .iter()
            .zip(&other.data)
            .map(|(&x, &y)| f(x, y))
            .collect();
        Self { data, m: self.m }
    }

    /// Element-wise (Hadamard) product `self ⊙ other`.
    pub fn hadamard(&self, other: &Self) -> Self {
        self.zip_map(other, |x, y| x * y)
    }

    /// For each sample, the index of its largest feature (the predicted class).
    pub fn argmax(&self) -> Vec<usize> {
        (0..self.m)
            .map(|j| {
                (1..N).fold(0, |best, i| {
                    if self.get(i, j) > self.get(best, j) {
                        i
                    } else {
                        best
                    }
                })
            })
            .collect()
    }

    /// Converts every entry to another element type (e.g. `f32` data for an `f64` gradient check).
    pub fn cast<U: Scalar>(&self) -> Batch<N, U> {
        Batch {
            data: self.data.iter().map(|&x| U::of(x.as_f64())).collect(),
            m: self.m,
        }
    }
}

impl<const N: usize, T: fmt::Debug> fmt::Debug for Batch<N, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Batch<{N}> (m = {}) ", self.m)?;
        f.debug_list()
            .entries(self.data.chunks(self.m.max(1)))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bias_broadcasts_over_every_column() {
        let mut z = Batch::<2, f64>::from_rows(3, &[&[1., 2., 3.], &[4., 5., 6.]]);
        z.add_bias(&Vector::from_rows([[10.], [-1.]]));
        assert_eq!(z.as_slice(), &[11., 12., 13., 3., 4., 5.]);
    }

    #[test]
    fn matmul_t_is_dz_times_a_transposed() {
        // dZ = [[1, 2]] (1 × m=2), A = [[3, 4], [5, 6]] (2 × 2): dZ·Aᵀ = [[1·3+2·4, 1·5+2·6]] = [[11, 17]].
        let dz = Batch::<1, f64>::from_rows(2, &[&[1., 2.]]);
        let a = Batch::<2, f64>::from_rows(2, &[&[3., 4.], &[5., 6.]]);
        assert_eq!(dz.matmul_t(0.5, &a).as_slice(), &[5.5, 8.5]);
    }

    #[test]
    fn select_gathers_samples_in_order() {
        let a = Batch::<2, f64>::from_rows(4, &[&[0., 1., 2., 3.], &[10., 11., 12., 13.]]);
        let s = a.select(&[3, 0]);
        assert_eq!(s.as_slice(), &[3., 0., 13., 10.]);
    }

    #[test]
    fn argmax_picks_the_largest_feature_per_sample() {
        let a = Batch::<3, f32>::from_columns(&[[0.1, 0.7, 0.2], [0.9, 0.05, 0.05], [0., 0., 1.]]);
        assert_eq!(a.argmax(), vec![1, 0, 2]);
    }

    #[test]
    fn set_batch_size_reuses_the_allocation() {
        let mut a = Batch::<4, f32>::zeros(64);
        let cap = a.data.capacity();
        a.set_batch_size(37);
        a.set_batch_size(64);
        assert_eq!(a.data.capacity(), cap);
        assert_eq!(a.as_slice().len(), 256);
    }
}
