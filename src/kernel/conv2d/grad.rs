//! The `dW` and `db` kernels of the direct convolution (see [`direct`](super::direct)):
//! `dW[o, t] = α·Σ_rows dY[o, row]·X[tap t, row]`, a block of 4 channels × `TV` taps of
//! `N`-lane dot products per tile, and `db[o] = α·Σ dY[o]`.

use super::direct::Valid;
use super::direct::block;
use crate::kernel::gemm::Element;
use crate::kernel::lanes::Lanes;

/// What every `dW` tile reads and where it accumulates.
struct Grad<'a, T> {
    g: Valid,
    x: &'a [T],
    dy: &'a [T],
    /// The first output channel of the caller's part (of `dw` and `acc`).
    o_first: usize,
    /// Where in `acc` the sums of the taps that only fill a tile go (after the real ones).
    spare: usize,
}

/// `acc[o0.., t] += Σ_q dY[o, oy, q]·X[tap t, oy, q]` over the output rows `rows`, `OC`
/// channels × the `TV` taps `t` (`N` lanes each; the last `n mod N` positions of each row go
/// to lane 0). Only the first `live` taps are real; the others fill the tile and sum into
/// spare slots.
#[inline(always)]
fn dw_tile<V: Lanes, const OC: usize, const TV: usize>(
    f: &Grad<'_, V::E>,
    acc: &mut [V::E],
    (o0, rows, live): (usize, core::ops::Range<usize>, usize),
    t: [usize; TV],
) {
    let g = f.g;
    let (n, plane, k) = (g.n(), g.per_out_channel(), g.taps());
    let whole = n - n % V::N;
    let off = t.map(|t| g.offset(t));
    let slot = |i: usize, j: usize| {
        if j < live {
            ((o0 + i - f.o_first) * k + t[j]) * V::N
        } else {
            f.spare + (i * TV + j) * V::N
        }
    };
    // SAFETY (loads and stores of `a`): `dw_body` sized `acc` to `spare + 4·TV·N` with
    // `spare = channels·k·N`; `o0 + i − o_first` is one of the part's channels, `t[j] < k`,
    // `i < OC ≤ 4` and `j < TV`.
    let ap = acc.as_mut_ptr();
    let mut a = [[V::splat(V::E::ZERO); TV]; OC];
    for (i, a_i) in a.iter_mut().enumerate() {
        for (j, a_ij) in a_i.iter_mut().enumerate() {
            // SAFETY: see above.
            *a_ij = unsafe { V::load(ap.add(slot(i, j))) };
        }
    }
    let (xp, dp) = (f.x.as_ptr(), f.dy.as_ptr());
    for oy in rows.clone() {
        let (drow, xrow) = (o0 * plane + oy * n, oy * g.w * g.m);
        let mut q = 0;
        while q < whole {
            // SAFETY: `dw_body` asserted `dy.len() = c_out·plane`; `o0 + i < c_out`,
            // `oy < oh` and `q + N ≤ n`, so the `N` values are in channel `o0 + i`'s plane.
            let mut d = [V::splat(V::E::ZERO); OC];
            for (i, d_i) in d.iter_mut().enumerate() {
                // SAFETY: see above (a loop, not a closure: see `forward_tile`).
                *d_i = unsafe { V::load(dp.add(drow + i * plane + q)) };
            }
            for (j, &o) in off.iter().enumerate() {
                // SAFETY: as in `forward_tile`: tap `t[j]` of output row `oy` reads `n`
                // values from `o + oy·w·m`, all inside `x`, and `q + N ≤ n`.
                let xv = unsafe { V::load(xp.add(o + xrow + q)) };
                for (a_i, &d_i) in a.iter_mut().zip(&d) {
                    a_i[j] = d_i.madd(xv, a_i[j]);
                }
            }
            q += V::N;
        }
    }
    for (i, a_i) in a.iter().enumerate() {
        for (j, a_ij) in a_i.iter().enumerate() {
            // SAFETY: see above.
            unsafe { a_ij.store(ap.add(slot(i, j))) };
        }
    }
    for oy in rows {
        let (drow, xrow) = (o0 * plane + oy * n, oy * g.w * g.m);
        for q in whole..n {
            for i in 0..OC {
                let dv = f.dy[drow + i * plane + q];
                for (j, &o) in off.iter().enumerate() {
                    acc[slot(i, j)] = dv * f.x[o + xrow + q] + acc[slot(i, j)];
                }
            }
        }
    }
}

/// `dW = α·Σ dY ⊗ X` for output channels `o.0..o.1`, into `dw` (which holds exactly those,
/// `c_in·f²` each). Block of rows by block of rows of the output, every tile of up to 4
/// channels × `TV` taps adds the rows to its `N`-lane sums in `acc` ([`dw_scratch`] values, overwritten), so
/// the rows of `dY` and of `X` they read stay in the first-level cache while every tap uses
/// them; the lanes are summed at the end.
#[inline(always)]
pub fn dw_body<V: Lanes, const TV: usize>(
    g: Valid,
    alpha: V::E,
    (x, dy): (&[V::E], &[V::E]),
    dw: &mut [V::E],
    o: (usize, usize),
    acc: &mut [V::E],
) {
    let k = g.taps();
    g.check(x, dw, k, o);
    assert_eq!(dy.len(), g.c_out * g.per_out_channel(), "conv2d: dY");
    let spare = (o.1 - o.0) * k * V::N;
    assert!(TV <= 8 && V::N <= MAX_LANES && acc.len() >= spare + 4 * TV * V::N);
    let acc = &mut acc[..spare + 4 * TV * V::N];
    acc.fill(V::E::ZERO);
    let (bs, f) = (
        block(g.c_out),
        Grad {
            g,
            x,
            dy,
            o_first: o.0,
            spare,
        },
    );
    // Blocks of rows of about 1024 values, so that short rows still give long tile loops.
    let (oh, rows) = (g.oh(), 1024usize.div_ceil(g.n().max(1)));
    for oy in (0..oh).step_by(rows) {
        let mut o0 = o.0;
        while o0 < o.1 {
            let mut t0 = 0;
            while t0 < k {
                let live = (k - t0).min(TV);
                let t = core::array::from_fn(|j| t0 + if j < live { j } else { 0 });
                let at = (o0, oy..(oy + rows).min(oh), live);
                match (o.1 - o0).min(bs) {
                    4 => dw_tile::<V, 4, TV>(&f, acc, at, t),
                    3 => dw_tile::<V, 3, TV>(&f, acc, at, t),
                    2 => dw_tile::<V, 2, TV>(&f, acc, at, t),
                    _ => dw_tile::<V, 1, TV>(&f, acc, at, t),
                }
                t0 += TV;
            }
            o0 += bs;
        }
    }
    for (d, lanes) in dw.iter_mut().zip(acc[..spare].chunks_exact(V::N)) {
        *d = alpha * lanes.iter().fold(V::E::ZERO, |s, &v| s + v);
    }
}

/// The most lanes a `Lanes` type has (AVX-512's 16 f32).
pub const MAX_LANES: usize = 16;

/// The scratch [`dw_body`] needs for `channels` output channels (any ISA, tiles of up to 8
/// taps): `N`-lane sums of every (channel, tap) and of the spare taps of one tile.
pub fn dw_scratch(g: &Valid, channels: usize) -> usize {
    (channels * g.taps() + 4 * 8) * MAX_LANES
}

/// `out[i] = α·Σ rows[i]` over the rows of `rows` (`out.len()` of them): `db` from `dY`.
#[inline(always)]
pub fn row_sums_body<V: Lanes>(alpha: V::E, rows: &[V::E], out: &mut [V::E]) {
    if out.is_empty() {
        return;
    }
    let n = rows.len() / out.len();
    assert_eq!(rows.len(), n * out.len(), "conv2d: dY rows");
    for (o, row) in out.iter_mut().zip(rows.chunks_exact(n.max(1))) {
        let mut acc = [V::splat(V::E::ZERO); 4];
        let mut chunks = row.chunks_exact(4 * V::N);
        for c in &mut chunks {
            for (k, a) in acc.iter_mut().enumerate() {
                // SAFETY: `c` holds `4·N` values, so `N` from `k·N` (`k < 4`) are inside it.
                *a = a.add(unsafe { V::load(c.as_ptr().add(k * V::N)) });
            }
        }
        let tail = chunks.remainder().iter().fold(V::E::ZERO, |s, &v| s + v);
        *o = alpha * (acc[0].add(acc[1]).add(acc[2].add(acc[3])).sum() + tail);
    }
}
