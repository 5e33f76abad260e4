//! `Matrix<R, C>`: a fixed-size `R × C` matrix on the heap (weights, biases, gradients).

use core::fmt;
use core::ops::{Index, IndexMut};

use super::{Batch, Tensor};
use crate::Scalar;
use crate::kernel::gemm::Dims;

/// An `R × C` matrix of `T`, row-major on the heap. Both dims are in the type, so a product
/// with the wrong inner dimension does not compile:
///
/// ```
/// use constnn::tensor::Matrix;
/// let w = Matrix::<2, 3, f64>::from_rows([[1., 2., 3.], [4., 5., 6.]]);
/// let x = Matrix::<3, 1, f64>::from_rows([[1.], [0.], [-1.]]);
/// let z: Matrix<2, 1, f64> = w.matmul(&x);
/// assert_eq!(z.as_slice(), &[-2., -2.]);
/// ```
#[derive(Clone, PartialEq)]
pub struct Matrix<const R: usize, const C: usize, T = f32> {
    data: Vec<T>, // invariant: len == R * C
}

/// A column vector `n × 1`, the shape of `b[l]` and of `db[l]`.
pub type Vector<const N: usize, T = f32> = Matrix<N, 1, T>;

impl<const R: usize, const C: usize, T: Scalar> Matrix<R, C, T> {
    /// Rows.
    pub const ROWS: usize = R;
    /// Columns.
    pub const COLS: usize = C;

    /// All zeros.
    pub fn zeros() -> Self {
        Self {
            data: vec![T::zero(); R * C],
        }
    }

    /// Every entry from `f(row, col)`.
    pub fn from_fn(mut f: impl FnMut(usize, usize) -> T) -> Self {
        Self {
            data: (0..R * C).map(|k| f(k / C, k % C)).collect(),
        }
    }

    /// From nested rows (convenient for small literal matrices in docs and tests).
    pub fn from_rows(rows: [[T; C]; R]) -> Self {
        Self {
            data: rows.iter().flatten().copied().collect(),
        }
    }

    /// From a row-major vector, or `None` when its length is not `R · C`.
    pub fn from_vec(data: Vec<T>) -> Option<Self> {
        (data.len() == R * C).then_some(Self { data })
    }

    /// The data, row-major.
    pub fn as_slice(&self) -> &[T] {
        &self.data
    }

    /// The data, row-major, mutably.
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        &mut self.data
    }

    /// Row `i` as a slice.
    pub fn row(&self, i: usize) -> &[T] {
        &self.data[i * C..(i + 1) * C]
    }

    /// The transpose `C × R`.
    pub fn t(&self) -> Matrix<C, R, T> {
        Matrix::from_fn(|i, j| self[(j, i)])
    }

    /// The product `self · rhs`; the inner dimension `C` must match at compile time.
    pub fn matmul<const N: usize>(&self, rhs: &Matrix<C, N, T>) -> Matrix<R, N, T> {
        let mut out = Matrix::zeros();
        T::gemm_nn(
            Dims { m: R, k: C, n: N },
            T::one(),
            &self.data,
            &rhs.data,
            T::zero(),
            &mut out.data,
        );
        out
    }

    /// `W·A` for a batch: `(R × C)·(C × m) → R × m` (`Z[l] = W[l]·A[l-1]` without the bias).
    pub fn matmul_batch(&self, a: &Batch<C, T>) -> Batch<R, T> {
        let mut out = Batch::default();
        self.matmul_batch_into(a, &mut out);
        out
    }

    /// `out ← W·A`, reusing `out`'s allocation.
    pub fn matmul_batch_into(&self, a: &Batch<C, T>, out: &mut Batch<R, T>) {
        let m = a.batch_size();
        out.set_batch_size(m);
        T::gemm_nn(
            Dims { m: R, k: C, n: m },
            T::one(),
            &self.data,
            a.as_slice(),
            T::zero(),
            out.as_mut_slice(),
        );
    }

    /// `Wᵀ·dZ` for a batch: `(R × C)ᵀ·(R × m) → C × m` (`dA[l-1] = W[l]ᵀ·dZ[l]`).
    pub fn t_matmul_batch(&self, dz: &Batch<R, T>) -> Batch<C, T> {
        let mut out = Batch::default();
        self.t_matmul_batch_into(dz, &mut out);
        out
    }

    /// `out ← Wᵀ·dZ`, reusing `out`'s allocation.
    pub fn t_matmul_batch_into(&self, dz: &Batch<R, T>, out: &mut Batch<C, T>) {
        let m = dz.batch_size();
        out.set_batch_size(m);
        T::gemm_tn(
            Dims { m: C, k: R, n: m },
            T::one(),
            &self.data,
            dz.as_slice(),
            T::zero(),
            out.as_mut_slice(),
        );
    }

    /// Element-wise `self ← self + α·other` (the `axpy` of BLAS).
    pub fn axpy(&mut self, alpha: T, other: &Self) {
        self.data
            .iter_mut()
            .zip(&other.data)
            .for_each(|(x, &y)| *x = *x + alpha * y);
    }

    /// A new matrix with `f` applied to every entry.
    pub fn map(&self, f: impl Fn(T) -> T) -> Self {
        Self {
            data: self.data.iter().map(|&x| f(x)).collect(),
        }
    }

    /// Sum of all entries.
    pub fn sum(&self) -> T {
        self.data.iter().copied().sum()
    }

    /// Frobenius norm ‖·‖_F.
    pub fn norm(&self) -> T {
        self.data.iter().map(|&x| x * x).sum::<T>().sqrt()
    }
}

impl<const R: usize, const C: usize, T: Scalar> Default for Matrix<R, C, T> {
    fn default() -> Self {
        Self::zeros()
    }
}

impl<const R: usize, const C: usize, T> Index<(usize, usize)> for Matrix<R, C, T> {
    type Output = T;
    fn index(&self, (i, j): (usize, usize)) -> &T {
        assert!(
            i < R && j < C,
            "index ({i}, {j}) out of bounds for a {R}×{C} matrix"
        );
        &self.data[i * C + j]
    }
}

impl<const R: usize, const C: usize, T> IndexMut<(usize, usize)> for Matrix<R, C, T> {
    fn index_mut(&mut self, (i, j): (usize, usize)) -> &mut T {
        assert!(
            i < R && j < C,
            "index ({i}, {j}) out of bounds for a {R}×{C} matrix"
        );
        &mut self.data[i * C + j]
    }
}

impl<const R: usize, const C: usize, T: fmt::Debug> fmt::Debug for Matrix<R, C, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Matrix<{R}, {C}> ")?;
        f.debug_list().entries(self.data.chunks(C.max(1))).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transpose_swaps_indices() {
        let a = Matrix::<2, 3, f64>::from_rows([[1., 2., 3.], [4., 5., 6.]]);
        let t = a.t();
        assert_eq!(t.as_slice(), &[1., 4., 2., 5., 3., 6.]);
        assert_eq!(t[(2, 1)], 6.0);
    }

    #[test]
    fn batch_products_match_hand_computed() {
        // W = [[1, 2], [3, 4], [5, 6]] (3×2); A = [[1, 0, -1], [2, 1, 0]] (2 features × m = 3).
        // W·A columns: [1+4, 3+8, 5+12] = [5, 11, 17]; [2, 4, 6]; [-1, -3, -5].
        let w = Matrix::<3, 2, f64>::from_rows([[1., 2.], [3., 4.], [5., 6.]]);
        let a = Batch::<2, f64>::from_rows(3, &[&[1., 0., -1.], &[2., 1., 0.]]);
        let z = w.matmul_batch(&a);
        assert_eq!(z.as_slice(), &[5., 2., -1., 11., 4., -3., 17., 6., -5.]);
        // Wᵀ·Z, first column: Wᵀ·[5, 11, 17] = [5+33+85, 10+44+102] = [123, 156].
        let back = w.t_matmul_batch(&z);
        assert_eq!(back.column(0), vec![123., 156.]);
    }

    #[test]
    fn from_vec_rejects_wrong_length() {
        assert!(Matrix::<2, 2, f32>::from_vec(vec![0.0; 3]).is_none());
        assert!(Matrix::<2, 2, f32>::from_vec(vec![0.0; 4]).is_some());
    }
}
