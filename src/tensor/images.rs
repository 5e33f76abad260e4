//! `Images<C, H, W>`: a batch of `m` images of `C` channels of `H × W` pixels (course 4).

use core::fmt;

use super::Tensor;
use crate::Scalar;
use crate::shape::Shape;

/// `m` images of `C × H × W`, the activations of convolutional layers. `C`, `H`, `W` are in
/// the type, `m` is chosen at run time.
///
/// Stored like every tensor in constnn: `C·H·W` rows of `m` values, so value `(c, h, w)` of
/// sample `j` is at `((c·H + h)·W + w)·m + j`. Flattening to `Batch<{C·H·W}>` is therefore a
/// plain copy, and kernels run along the batch in their inner loop.
///
/// ```
/// use constnn::tensor::Images;
/// let x = Images::<2, 3, 3, f64>::from_fn(4, |c, h, w, j| (c * 100 + h * 10 + w + j * 1000) as f64);
/// assert_eq!(x.get(1, 2, 0, 3), 3120.0);
/// assert_eq!(x.batch_size(), 4);
/// ```
#[derive(Clone, PartialEq)]
pub struct Images<const C: usize, const H: usize, const W: usize, T = f32> {
    data: Vec<T>, // invariant: len == C * H * W * m
    m: usize,
}

impl<const C: usize, const H: usize, const W: usize, T> Default for Images<C, H, W, T> {
    /// An empty batch (`m = 0`).
    fn default() -> Self {
        Self {
            data: Vec::new(),
            m: 0,
        }
    }
}

impl<const C: usize, const H: usize, const W: usize, T: Scalar> Tensor for Images<C, H, W, T> {
    type Elem = T;
    const FEATURES: usize = C * H * W;
    const SHAPE: Shape = Shape::image(C, H, W);
    fn batch_size(&self) -> usize {
        self.m
    }
    fn set_batch_size(&mut self, m: usize) {
        self.data.resize(C * H * W * m, T::zero());
        self.m = m;
    }
    fn as_slice(&self) -> &[T] {
        &self.data
    }
    fn as_mut_slice(&mut self) -> &mut [T] {
        &mut self.data
    }
}

impl<const C: usize, const H: usize, const W: usize, T: Scalar> Images<C, H, W, T> {
    /// The batch size `m`.
    pub fn batch_size(&self) -> usize {
        self.m
    }

    /// Value `(c, h, w)` of sample `j` from `f(c, h, w, j)`.
    pub fn from_fn(m: usize, mut f: impl FnMut(usize, usize, usize, usize) -> T) -> Self {
        let data = (0..C * H * W * m)
            .map(|k| {
                let (feature, j) = (k / m, k % m);
                f(feature / (H * W), feature / W % H, feature % W, j)
            })
            .collect();
        Self { data, m }
    }

    /// From a `C·H·W × m` row-major vector, or `None` when its length is wrong.
    pub fn from_vec(m: usize, data: Vec<T>) -> Option<Self> {
        (data.len() == C * H * W * m).then_some(Self { data, m })
    }

    /// Value `(c, h, w)` of sample `j`.
    pub fn get(&self, c: usize, h: usize, w: usize, j: usize) -> T {
        self.data[self.index(c, h, w, j)]
    }

    /// Sets value `(c, h, w)` of sample `j`.
    pub fn set(&mut self, c: usize, h: usize, w: usize, j: usize, v: T) {
        let i = self.index(c, h, w, j);
        self.data[i] = v;
    }

    fn index(&self, c: usize, h: usize, w: usize, j: usize) -> usize {
        assert!(
            c < C && h < H && w < W && j < self.m,
            "({c}, {h}, {w}) of sample {j} out of range for {C}×{H}×{W} × {}",
            self.m
        );
        ((c * H + h) * W + w) * self.m + j
    }

    /// Sample `j` as a `C·H·W` vector in `(c, h, w)` order.
    pub fn sample(&self, j: usize) -> Vec<T> {
        assert!(
            j < self.m,
            "sample {j} out of range for a batch of {}",
            self.m
        );
        (0..C * H * W).map(|f| self.data[f * self.m + j]).collect()
    }

    /// The data.
    pub fn as_slice(&self) -> &[T] {
        &self.data
    }

    /// The data, mutably.
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        &mut self.data
    }
}

impl<const C: usize, const H: usize, const W: usize, T: fmt::Debug> fmt::Debug
    for Images<C, H, W, T>
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Images<{C}, {H}, {W}> (m = {}) ", self.m)?;
        f.debug_list()
            .entries(self.data.chunks(self.m.max(1)))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_puts_the_batch_innermost() {
        let x = Images::<2, 2, 3, f64>::from_fn(2, |c, h, w, j| {
            (c * 100 + h * 10 + w) as f64 + j as f64 * 0.5
        });
        // feature (1, 0, 2) = 1·6 + 0·3 + 2 = 8 → data[8·2 + 1] for sample 1.
        assert_eq!(x.as_slice()[8 * 2 + 1], 102.5);
        assert_eq!(x.sample(0)[8], 102.0);
        assert_eq!(<Images<2, 2, 3, f64> as Tensor>::FEATURES, 12);
    }
}
