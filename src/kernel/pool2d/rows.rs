//! Max pooling without the argmax (inference) on one sample: the window loops of `simd` run
//! along the batch, which leaves all but one lane of a vector empty, and walk each window
//! through that machinery once per sample. Here the windows of one output row are read
//! straight from their `f` input rows, in the reference's order (so the results are the same
//! bits); at batch 1 with 2×2 windows (LeNet's) the loop runs over pairs of columns, which
//! the compiler vectorizes.

use super::PoolDims;
use crate::kernel::isa::Isa;
use crate::kernel::lanes::Lanes;

/// Whether max pooling without the argmax runs `d` by rows on `isa` (a usable one): one
/// sample on a SIMD path. (For 2 to 15 samples the scalar loop here read more instructions
/// than the window path: 273k against 162k per LeNet-5 inference at batch 2, AVX2, callgrind.)
pub(super) fn by_rows(isa: Isa, d: &PoolDims) -> bool {
    d.m == 1 && isa != Isa::Scalar
}

/// `a` unless `b > a` (the reference's comparison).
#[inline(always)]
fn pick<T: PartialOrd + Copy>(a: T, b: T) -> T {
    if b > a { b } else { a }
}

/// `y ←` the window maxima of `x` (no argmax).
#[inline(always)]
pub(super) fn max_rows_body<V: Lanes>(d: PoolDims, x: &[V::E], y: &mut [V::E]) {
    d.check(x.len(), y.len());
    let (m, row) = (d.m, d.w * d.m);
    for c in 0..d.c {
        for oy in 0..d.oh {
            let top = &x[(c * d.h + oy * d.s) * row..][..d.f * row];
            let out = &mut y[(c * d.oh + oy) * d.ow * m..][..d.ow * m];
            if (m, d.f, d.s) == (1, 2, 2) {
                // A loop over pairs of columns the compiler turns into vectors.
                let (r0, r1) = top.split_at(row);
                for ((o, a), b) in out
                    .iter_mut()
                    .zip(r0.chunks_exact(2))
                    .zip(r1.chunks_exact(2))
                {
                    *o = pick(pick(pick(a[0], a[1]), b[0]), b[1]);
                }
                continue;
            }
            for (ox, o) in out.chunks_exact_mut(m).enumerate() {
                let first = ox * d.s * m;
                for (j, o) in o.iter_mut().enumerate() {
                    let mut best = top[first + j];
                    for u in 0..d.f {
                        for v in 0..d.f {
                            best = pick(best, top[u * row + first + v * m + j]);
                        }
                    }
                    *o = best;
                }
            }
        }
    }
}
