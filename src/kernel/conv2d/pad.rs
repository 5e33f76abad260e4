//! The zero border of a convolution's input (and of `dY` for `dX`): the planes copied into a
//! larger buffer whose first value sits on a 64-byte boundary (one cache line: the kernels'
//! vector loads then never straddle two lines).

use crate::kernel::gemm::Element;

/// Spare values a buffer holds so that its data can start at a 64-byte boundary.
const SPARE: usize = 16;

/// The `len` values of `buf` that start at a 64-byte boundary, when `buf` holds `SPARE` more.
fn aligned<T>(buf: &[T], len: usize) -> core::ops::Range<usize> {
    let off = buf.as_ptr().align_offset(64).min(buf.len() - len);
    off..off + len
}

/// Planes `c × h × w` of `m` samples and their border `p`.
type Layout = ((usize, usize, usize, usize), usize);

/// `dst ←` the `c` planes `h × w` (of `m` samples) of `src` inside a border of `p` zeros;
/// returns where in `dst` they are (`dst` is grown as needed, the data 64-byte aligned).
pub fn pad<T: Element>(
    (c, h, w, m): (usize, usize, usize, usize),
    p: usize,
    src: &[T],
    dst: &mut Vec<T>,
) -> core::ops::Range<usize> {
    copy((c, h, w, m), p, src, dst, None)
}

/// [`pad`], skipping the border when the data lands at `zero_border`, where a previous call
/// with the same layout left it zero.
fn copy<T: Element>(
    (c, h, w, m): (usize, usize, usize, usize),
    p: usize,
    src: &[T],
    dst: &mut Vec<T>,
    zero_border: Option<core::ops::Range<usize>>,
) -> core::ops::Range<usize> {
    let (hp, wp) = (h + 2 * p, w + 2 * p);
    assert_eq!(src.len(), c * h * w * m, "conv2d: padded input");
    let len = c * hp * wp * m;
    dst.resize(len + SPARE, T::ZERO);
    let range = aligned(dst, len);
    let border = zero_border != Some(range.clone());
    let out = &mut dst[range.clone()];
    if src.is_empty() {
        out.fill(T::ZERO);
        return range;
    }
    let (row, prow, side) = (w * m, wp * m, p * m);
    for (plane, padded) in src
        .chunks_exact(h * row)
        .zip(out.chunks_exact_mut(hp * prow))
    {
        let (top, rest) = padded.split_at_mut(p * prow);
        let (middle, bottom) = rest.split_at_mut(h * prow);
        if border {
            top.fill(T::ZERO);
            bottom.fill(T::ZERO);
        }
        for (r, pr) in plane.chunks_exact(row).zip(middle.chunks_exact_mut(prow)) {
            if border {
                pr[..side].fill(T::ZERO);
                pr[side + row..].fill(T::ZERO);
            }
            pr[side..side + row].copy_from_slice(r);
        }
    }
    range
}

/// A zero-bordered copy that remembers its layout: while the layout stays the same (every
/// step of a training loop but the last, partial batch) only the interior is rewritten.
#[derive(Clone, Debug, Default)]
pub(super) struct Bordered<T> {
    buf: Vec<T>,
    /// The layout of the last [`Bordered::fill`] and where its data is in `buf`.
    last: Option<(Layout, core::ops::Range<usize>)>,
}

impl<T: Element> Bordered<T> {
    /// The planes of `src` (`c × h × w` of `m` samples) inside a border of `p` zeros.
    pub(super) fn fill(
        &mut self,
        planes: (usize, usize, usize, usize),
        p: usize,
        src: &[T],
    ) -> &[T] {
        let zero_border = match &self.last {
            Some((l, at)) if *l == (planes, p) => Some(at.clone()),
            _ => None,
        };
        let at = copy(planes, p, src, &mut self.buf, zero_border);
        self.last = Some(((planes, p), at.clone()));
        &self.buf[at]
    }

    /// What the last [`Bordered::fill`] wrote (empty before the first).
    pub(super) fn data(&self) -> &[T] {
        self.last
            .as_ref()
            .map_or(&[], |(_, at)| &self.buf[at.clone()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_puts_the_border_of_zeros_around_each_plane() {
        // Two planes 1×2 of one sample, [1, 2] and [3, 4], with a border of 1 → 3×4 each.
        let mut out = vec![9.0; 3];
        let at = pad((2, 1, 2, 1), 1, &[1.0, 2.0, 3.0, 4.0], &mut out);
        assert_eq!(
            out[at.start..].as_ptr().align_offset(64),
            0,
            "64-byte aligned"
        );
        #[rustfmt::skip]
        let want = [
            0.0, 0.0, 0.0, 0.0,  0.0, 1.0, 2.0, 0.0,  0.0, 0.0, 0.0, 0.0,
            0.0, 0.0, 0.0, 0.0,  0.0, 3.0, 4.0, 0.0,  0.0, 0.0, 0.0, 0.0,
        ];
        assert_eq!(out[at], want);
    }

    #[test]
    fn a_bordered_copy_equals_a_fresh_padding_whatever_came_before() {
        // Layouts alternate (batch 3, then 2, then 3 again, then another border), and a clone
        // continues from the copied state: each result must equal `pad` into a new buffer.
        let layouts = [
            ((2, 3, 4, 3), 2),
            ((2, 3, 4, 2), 2),
            ((2, 3, 4, 3), 2),
            ((2, 3, 4, 3), 1),
        ];
        let mut b = Bordered::default();
        for (i, &(planes, p)) in layouts.iter().chain(&layouts[..1]).enumerate() {
            let (c, h, w, m) = planes;
            let src: Vec<f32> = (0..c * h * w * m).map(|v| (v + i) as f32 + 1.0).collect();
            let mut fresh = Vec::new();
            let at = pad(planes, p, &src, &mut fresh);
            assert_eq!(b.fill(planes, p, &src), &fresh[at.clone()], "fill {i}");
            assert_eq!(b.data(), &fresh[at], "data {i}");
            if i == 2 {
                b = b.clone();
            }
        }
    }
}
