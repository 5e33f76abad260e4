//! Sharing one product between the two threads of rayon's pool: by rows of `C`, by columns
//! of `C`, or by halves of the inner dimension with a reduction. Each share is an independent
//! product on a disjoint band of `C` (or on a private partial `C`), so the join is the only
//! synchronisation.

use super::Dims;
use super::view::Out;
use crate::kernel::fork;

/// How a product is shared between two threads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    /// All of it on the calling thread.
    None,
    /// Top and bottom rows of `C`: each thread reads half of `A` and all of `B`.
    Rows,
    /// Left and right columns of `C`: each thread reads all of `A` and half of `B`.
    Cols,
    /// First and second halves of the inner dimension `k`: each thread sums half of the
    /// terms, the second into a partial `C` on the stack that is then added to the first's.
    /// Only for a `C` of at most [`INNER_MAX`] elements; larger ones run on one thread.
    Inner,
}

/// The largest `C` (`m·n` elements) that [`Split::Inner`] handles (its partial is 16 KiB).
pub const INNER_MAX: usize = 4096;

/// One thread's share: rows `i0..i0 + d.m`, columns `j0..j0 + d.n` of `C`, and the terms
/// `p0..p0 + d.k` of the inner sum.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Part {
    /// First row of `C`.
    pub(crate) i0: usize,
    /// First column of `C`.
    pub(crate) j0: usize,
    /// First inner index.
    pub(crate) p0: usize,
    /// The share's sizes.
    pub(crate) d: Dims,
}

/// Where to cut `len` in two: near the middle, at a multiple of `unit` when both sides keep
/// at least one unit (so each half runs whole register tiles).
fn cut(len: usize, unit: usize) -> usize {
    if len >= 2 * unit {
        ((len / 2 + unit / 2) / unit * unit).clamp(unit, len - unit)
    } else {
        len / 2
    }
}

/// Runs `body(part, β, c_part)` once on the whole product, or on two shares in parallel as
/// `split` says (a split that does not apply to these sizes runs on one thread). `body`
/// computes `c_part ← α·(its share of A·B) + β·c_part`.
pub(crate) fn run(
    split: Split,
    d: Dims,
    beta: f32,
    c: Out<'_>,
    body: impl Fn(Part, f32, Out<'_>) + Sync,
) {
    let whole = Part {
        i0: 0,
        j0: 0,
        p0: 0,
        d,
    };
    match split {
        Split::Rows if d.m >= 2 => {
            let at = cut(d.m, 4);
            let (top, bottom) = c.split_rows(at);
            let (d0, d1) = (Dims { m: at, ..d }, Dims { m: d.m - at, ..d });
            fork::join(
                || body(Part { d: d0, ..whole }, beta, top),
                || {
                    body(
                        Part {
                            i0: at,
                            d: d1,
                            ..whole
                        },
                        beta,
                        bottom,
                    )
                },
            );
        }
        Split::Cols if d.n >= 2 => {
            let at = cut(d.n, if d.n >= 256 { 64 } else { 16 });
            let (left, right) = c.split_cols(at);
            let (d0, d1) = (Dims { n: at, ..d }, Dims { n: d.n - at, ..d });
            fork::join(
                || body(Part { d: d0, ..whole }, beta, left),
                || {
                    body(
                        Part {
                            j0: at,
                            d: d1,
                            ..whole
                        },
                        beta,
                        right,
                    )
                },
            );
        }
        Split::Inner if d.k >= 2 && d.m * d.n <= INNER_MAX => {
            let at = d.k / 2;
            let (d0, d1) = (Dims { k: at, ..d }, Dims { k: d.k - at, ..d });
            let mut c = c;
            let mut partial = [0f32; INNER_MAX];
            let second = Out::new(&mut partial, d.m, d.n);
            fork::join(
                || body(Part { d: d0, ..whole }, beta, c.reborrow()),
                || {
                    body(
                        Part {
                            p0: at,
                            d: d1,
                            ..whole
                        },
                        0.0,
                        second,
                    )
                },
            );
            for (i, part) in partial.chunks_exact(d.n.max(1)).take(d.m).enumerate() {
                for (x, &y) in c.row(i, 0, d.n).iter_mut().zip(part) {
                    *x += y;
                }
            }
        }
        _ => body(whole, beta, c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_fall_on_whole_tiles_near_the_middle() {
        assert_eq!(cut(784, 64), 384); // 6 tiles of 64 | 6 tiles and 16 columns
        assert_eq!(cut(128, 4), 64);
        assert_eq!(cut(150, 4), 76);
        assert_eq!(cut(150, 16), 80);
        assert_eq!(cut(37, 4), 20);
        assert_eq!(cut(5, 4), 2); // too short for whole tiles on both sides
        assert_eq!(cut(2, 64), 1);
    }
}
