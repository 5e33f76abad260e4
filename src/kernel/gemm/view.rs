//! `Out`, a mutable view of a block of `C` that can be split into disjoint row or column
//! bands, so two threads can write the left and right halves of the same rows.
//!
//! A `&mut [f32]` cannot be cut into column bands (each band's elements are interleaved with
//! the other's), so the view holds a raw pointer and hands out one short row segment at a
//! time, always inside its own band.

use core::marker::PhantomData;

/// Rows `0..rows` × columns `0..cols` of a row-major matrix with row stride `ld`, borrowed
/// mutably and exclusively for `'a`.
pub(crate) struct Out<'a> {
    ptr: *mut f32,
    rows: usize,
    cols: usize,
    ld: usize,
    _borrow: PhantomData<&'a mut [f32]>,
}

// SAFETY: an `Out` is an exclusive borrow of its elements (like `&mut [f32]`, which is Send);
// the bands `split_rows`/`split_cols` make are disjoint, so two threads never share one.
unsafe impl Send for Out<'_> {}

impl<'a> Out<'a> {
    /// The whole of `c` as a `rows × cols` matrix with row stride `cols`.
    pub(crate) fn new(c: &'a mut [f32], rows: usize, cols: usize) -> Self {
        assert!(c.len() >= rows * cols, "gemm: C is too short");
        Self {
            ptr: c.as_mut_ptr(),
            rows,
            cols,
            ld: cols,
            _borrow: PhantomData,
        }
    }

    /// Rows of the view.
    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    /// Columns of the view.
    pub(crate) fn cols(&self) -> usize {
        self.cols
    }

    /// Columns `j0..j0 + w` of row `i`.
    #[inline(always)]
    pub(crate) fn row(&mut self, i: usize, j0: usize, w: usize) -> &mut [f32] {
        assert!(i < self.rows && j0 + w <= self.cols, "gemm: outside C");
        // SAFETY: `i < rows` and `j0 + w ≤ cols`, so the `w` elements from `i·ld + j0` are
        // inside this view's band (`new` checked the slice covers `rows × cols` at stride
        // `ld`; splits only shrink the band); `&mut self` makes the segment exclusive.
        unsafe { core::slice::from_raw_parts_mut(self.ptr.add(i * self.ld + j0), w) }
    }

    /// Rows `0..at` and `at..rows`.
    pub(crate) fn split_rows(self, at: usize) -> (Out<'a>, Out<'a>) {
        assert!(at <= self.rows);
        let bottom = Out {
            // SAFETY: `at ≤ rows`, so the offset stays inside (or one past) the band.
            ptr: unsafe { self.ptr.add(at * self.ld) },
            rows: self.rows - at,
            ..self
        };
        (Out { rows: at, ..self }, bottom)
    }

    /// Columns `0..at` and `at..cols`.
    pub(crate) fn split_cols(self, at: usize) -> (Out<'a>, Out<'a>) {
        assert!(at <= self.cols);
        let right = Out {
            // SAFETY: `at ≤ cols ≤ ld`, so the offset stays inside (or one past) the band.
            ptr: unsafe { self.ptr.add(at) },
            cols: self.cols - at,
            ..self
        };
        (Out { cols: at, ..self }, right)
    }

    /// A shorter-lived view of the same band.
    pub(crate) fn reborrow(&mut self) -> Out<'_> {
        Out { ..*self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_write_their_own_elements() {
        // A 3×5 matrix; the right band of columns 2..5 of rows 1..3 gets 1, the rest stays 0.
        let mut c = [0f32; 15];
        let (_, bottom) = Out::new(&mut c, 3, 5).split_rows(1);
        let (_, mut right) = bottom.split_cols(2);
        assert_eq!((right.rows(), right.cols()), (2, 3));
        for i in 0..2 {
            right.row(i, 0, 3).fill(1.0);
        }
        let want = [0., 0., 0., 0., 0., 0., 0., 1., 1., 1., 0., 0., 1., 1., 1.];
        assert_eq!(c, want);
    }

    #[test]
    #[should_panic(expected = "gemm: outside C")]
    fn a_segment_past_the_band_is_refused() {
        let mut c = [0f32; 6];
        let (mut left, _) = Out::new(&mut c, 2, 3).split_cols(1);
        let _ = left.row(0, 0, 2);
    }
}
