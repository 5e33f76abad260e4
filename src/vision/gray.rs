//! `Gray`: one single-channel image of `h × w` real values, row-major: the input and output
//! of the hand-written edge detectors of course 4, week 1.
//!
//! A layer sees a batch of many-channel [`Images`]; the notes' examples are one grey picture
//! at a time, and so is this type. [`Gray::from_images`] takes one channel of one sample out
//! of a batch, so a layer's output can be compared with [`cross_correlate`](super::cross_correlate).
//!
//! ```
//! use constnn::vision::Gray;
//! let g = Gray::from_rows(&[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
//! assert_eq!((g.height(), g.width()), (2, 3));
//! assert_eq!(g.get(1, 2), 6.0);
//! assert_eq!(g.to_string(), "1 2 3\n4 5 6\n");
//! ```

use core::fmt;

use crate::tensor::Images;

/// An `h × w` grey image of `f32` values, `get(y, x)` at row `y`, column `x`.
#[derive(Clone, Debug, PartialEq)]
pub struct Gray {
    h: usize,
    w: usize,
    data: Vec<f32>, // invariant: len == h * w
}

impl Gray {
    /// Pixel `(y, x)` from `f(y, x)`.
    pub fn from_fn(h: usize, w: usize, mut f: impl FnMut(usize, usize) -> f32) -> Self {
        let data = (0..h * w).map(|k| f(k / w, k % w)).collect();
        Self { h, w, data }
    }

    /// From `h·w` values row by row, or `None` when the length is not `h·w`.
    pub fn from_vec(h: usize, w: usize, data: Vec<f32>) -> Option<Self> {
        (data.len() == h * w).then_some(Self { h, w, data })
    }

    /// From the rows of an array literal.
    pub fn from_rows<const H: usize, const W: usize>(rows: &[[f32; W]; H]) -> Self {
        Self::from_fn(H, W, |y, x| rows[y][x])
    }

    /// Channel `c` of sample `j` of a batch (value `(c, y, x)` at
    /// `((c·H + y)·W + x)·m + j`).
    ///
    /// # Panics
    /// When `c ≥ C` or `j ≥ m`.
    pub fn from_images<const C: usize, const H: usize, const W: usize>(
        images: &Images<C, H, W, f32>,
        c: usize,
        j: usize,
    ) -> Self {
        Self::from_fn(H, W, |y, x| images.get(c, y, x, j))
    }

    /// A one-sample batch `Images<1, H, W>` holding this image.
    ///
    /// # Panics
    /// When the image is not `H × W`.
    pub fn to_images<const H: usize, const W: usize>(&self) -> Images<1, H, W, f32> {
        assert_eq!(
            (self.h, self.w),
            (H, W),
            "a {}×{} image cannot be an Images<1, {H}, {W}>",
            self.h,
            self.w
        );
        Images::from_fn(1, |_, y, x, _| self.get(y, x))
    }

    /// Number of rows `n_H`.
    pub fn height(&self) -> usize {
        self.h
    }

    /// Number of columns `n_W`.
    pub fn width(&self) -> usize {
        self.w
    }

    /// Pixel `(y, x)`.
    ///
    /// # Panics
    /// When `(y, x)` is outside the image.
    pub fn get(&self, y: usize, x: usize) -> f32 {
        assert!(
            y < self.h && x < self.w,
            "pixel ({y}, {x}) outside a {}×{} image",
            self.h,
            self.w
        );
        self.data[y * self.w + x]
    }

    /// Pixel `(y, x)` of the image padded with `p` zeros on every side: `(y, x)` are
    /// coordinates in the padded image, so `(p, p)` is pixel `(0, 0)`.
    pub fn padded(&self, y: usize, x: usize, p: usize) -> f32 {
        match (y.checked_sub(p), x.checked_sub(p)) {
            (Some(y), Some(x)) if y < self.h && x < self.w => self.data[y * self.w + x],
            _ => 0.0,
        }
    }

    /// Row `y`.
    pub fn row(&self, y: usize) -> &[f32] {
        &self.data[y * self.w..(y + 1) * self.w]
    }

    /// The values, row by row.
    pub fn as_slice(&self) -> &[f32] {
        &self.data
    }

    /// The image with `f` applied to every pixel.
    pub fn map(&self, f: impl Fn(f32) -> f32) -> Self {
        Self {
            data: self.data.iter().map(|&v| f(v)).collect(),
            ..*self
        }
    }

    /// The largest `|value|` (0 for an empty image): the symmetric range `−a..a` shows a
    /// signed edge map with 0 as mid-grey.
    pub fn max_abs(&self) -> f32 {
        self.data.iter().fold(0.0f32, |a, &v| a.max(v.abs()))
    }

    /// The largest `|self − other|`, or `None` when the sizes differ.
    pub fn max_abs_diff(&self, other: &Gray) -> Option<f32> {
        ((self.h, self.w) == (other.h, other.w)).then(|| {
            self.data
                .iter()
                .zip(&other.data)
                .fold(0.0f32, |a, (&x, &y)| a.max((x - y).abs()))
        })
    }
}

/// The rows, one per line, values separated by spaces and right-aligned; the precision is
/// the formatter's (`{:.2}`) or Rust's shortest form.
impl fmt::Display for Gray {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cell = |v: f32| match f.precision() {
            Some(p) => format!("{v:.p$}"),
            None => format!("{v}"),
        };
        let cells: Vec<String> = self.data.iter().map(|&v| cell(v)).collect();
        let width = cells.iter().map(|c| c.chars().count()).max().unwrap_or(0);
        for row in cells.chunks(self.w.max(1)) {
            let line: Vec<String> = row.iter().map(|c| format!("{c:>width$}")).collect();
            writeln!(f, "{}", line.join(" "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_reads_zeros_outside_the_image() {
        let g = Gray::from_rows(&[[1.0, 2.0], [3.0, 4.0]]);
        // With p = 1 the padded image is 4 × 4 and pixel (0, 0) sits at (1, 1).
        assert_eq!(g.padded(1, 1, 1), 1.0);
        assert_eq!(g.padded(2, 2, 1), 4.0);
        assert_eq!(g.padded(0, 1, 1), 0.0);
        assert_eq!(g.padded(3, 2, 1), 0.0);
        assert_eq!(g.padded(1, 0, 0), 3.0);
    }

    #[test]
    fn from_images_reads_one_channel_of_one_sample() {
        let x = Images::<2, 2, 3, f32>::from_fn(2, |c, h, w, j| {
            (c * 100 + h * 10 + w + j * 1000) as f32
        });
        let g = Gray::from_images(&x, 1, 1);
        assert_eq!(g.row(1), [1110.0, 1111.0, 1112.0]);
        let back: Images<1, 2, 3, f32> = g.to_images();
        assert_eq!(back.get(0, 1, 2, 0), 1112.0);
    }

    #[test]
    fn display_right_aligns_and_honours_the_precision() {
        let g = Gray::from_rows(&[[0.0, 30.0], [-30.0, 5.0]]);
        assert_eq!(g.to_string(), "  0  30\n-30   5\n");
        assert_eq!(format!("{g:.1}"), "  0.0  30.0\n-30.0   5.0\n");
    }

    #[test]
    fn max_abs_and_max_abs_diff() {
        let a = Gray::from_rows(&[[1.0, -4.0]]);
        let b = Gray::from_rows(&[[1.5, -4.0]]);
        assert_eq!(a.max_abs(), 4.0);
        assert_eq!(a.max_abs_diff(&b), Some(0.5));
        assert_eq!(a.max_abs_diff(&Gray::from_rows(&[[1.0], [2.0]])), None);
        assert_eq!(Gray::from_vec(1, 2, vec![1.0]), None);
    }
}
