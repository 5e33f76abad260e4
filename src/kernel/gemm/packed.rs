//! f32 `nt` products (`C ← α·A·Bᵀ + β·C`) on the `nn` register tile, through packed panels.
//!
//! Both operands of `nt` run along `p` in memory (A is `m × k`, B is `n × k`), so an outer-
//! product tile needs one of them turned around. Call the operand whose rows become vector
//! lanes `X` and the other `Y`: for each panel of `NR` rows of `X` and `KC` values of `p`,
//! the panel is copied transposed into a stack buffer (`KC × NR`, contiguous along the lanes),
//! then every group of `MR` rows of `Y` runs an `MR × NR` tile over it, broadcasting `Y` and
//! loading panel rows, as `nn` broadcasts `A` and loads `B`. Each element of `X` is packed
//! once; blocks of `p` after the first accumulate into `C` (β = 1).
//!
//! * [`Order::Direct`]: `Y = A`, `X = B`, the tile is a block of `C` (costs a pack of `n·k`).
//! * [`Order::Transposed`]: `Y = B`, `X = A`, the tile is a block of `Cᵀ`, stored turned
//!   around (costs a pack of `m·k` and scalar stores of `C`); the choice for a short `A` with a
//!   long `k`, as in a convolution's `dW = dZ·colᵀ` (16 × 6400 · (150 × 6400)ᵀ).
//!
//! No heap: the panel lives on the stack (`KC · 64` floats = 32 KiB).

use super::simd::store;
use super::view::Out;

/// Values of `p` per packed panel.
pub(crate) const KC: usize = 128;
/// The widest panel (AVX-512: four zmm registers per tile row).
const WMAX: usize = 64;

/// Which operand is packed into lanes (see the module doc).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Order {
    /// Lanes along `j` (rows of B); the tile is a block of `C`.
    Direct,
    /// Lanes along `i` (rows of A); the tile is a block of `Cᵀ`.
    Transposed,
}

/// `rows` rows of an operand, `row r` holding `s[r·ld + p]` for `p < k`.
#[derive(Clone, Copy)]
pub(crate) struct Rows<'a> {
    /// The values, from the first row's first `p`.
    pub(crate) s: &'a [f32],
    /// Row stride.
    pub(crate) ld: usize,
    /// Number of rows.
    pub(crate) rows: usize,
}

/// Copies `X(s0 + s, p0 + p)` to `panel[p][s]` for `s < w`, `p < panel.len()`. Lanes `w..NR`
/// keep older values: their sums are computed and never stored.
///
/// Blocks of 8 × 8 are turned around in registers ([`turn8`]); what is left of the
/// edges goes one value at a time.
#[inline(always)]
fn pack<const NR: usize>(x: Rows, (s0, w): (usize, usize), p0: usize, panel: &mut [[f32; NR]]) {
    const B: usize = 8;
    let kc = panel.len();
    let (w8, kc8) = (w - w % B, kc - kc % B);
    for s in (0..w8).step_by(B) {
        let rows: [&[f32]; B] = core::array::from_fn(|r| &x.s[(s0 + s + r) * x.ld + p0..][..kc]);
        for p in (0..kc8).step_by(B) {
            let block: [[f32; B]; B] = core::array::from_fn(|r| {
                let mut v = [0f32; B];
                v.copy_from_slice(&rows[r][p..p + B]);
                v
            });
            let t = turn8(&block);
            for (dst, t_c) in panel[p..p + B].iter_mut().zip(&t) {
                dst[s..s + B].copy_from_slice(t_c);
            }
        }
        for p in kc8..kc {
            for (r, row) in rows.iter().enumerate() {
                panel[p][s + r] = row[p];
            }
        }
    }
    for s in w8..w {
        let row = &x.s[(s0 + s) * x.ld + p0..][..kc];
        for (dst, &v) in panel.iter_mut().zip(row) {
            dst[s] = v;
        }
    }
}

/// `t[c][r] = m[r][c]` for an 8 × 8 block: [`transpose8`] on x86-64, else element by element.
#[inline(always)]
fn turn8(m: &[[f32; 8]; 8]) -> [[f32; 8]; 8] {
    #[cfg(target_arch = "x86_64")]
    return transpose8(m);
    #[cfg(not(target_arch = "x86_64"))]
    return core::array::from_fn(|c| core::array::from_fn(|r| m[r][c]));
}

/// `t[c][r] = m[r][c]`: the 8 × 8 transpose in 24 AVX shuffles (unpack pairs of rows, shuffle
/// pairs of those, swap 128-bit halves). Only reached from `nt_body` on the AVX2 and AVX-512
/// tokens (`gemm::dispatch` runs the reference on the scalar path), so AVX is enabled around
/// it: that is the SAFETY argument of the intrinsics below, as for the lanes types.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn transpose8(m: &[[f32; 8]; 8]) -> [[f32; 8]; 8] {
    use core::arch::x86_64::{
        _mm256_loadu_ps, _mm256_permute2f128_ps as halves, _mm256_shuffle_ps as shuffle,
        _mm256_storeu_ps, _mm256_unpackhi_ps as hi, _mm256_unpacklo_ps as lo,
    };
    // SAFETY: each `m[i]` is 8 readable f32 (unaligned loads), each `t[i]` 8 writable
    // ones (unaligned stores); AVX is enabled where this runs (see above).
    unsafe {
        let r: [_; 8] = [
            _mm256_loadu_ps(m[0].as_ptr()),
            _mm256_loadu_ps(m[1].as_ptr()),
            _mm256_loadu_ps(m[2].as_ptr()),
            _mm256_loadu_ps(m[3].as_ptr()),
            _mm256_loadu_ps(m[4].as_ptr()),
            _mm256_loadu_ps(m[5].as_ptr()),
            _mm256_loadu_ps(m[6].as_ptr()),
            _mm256_loadu_ps(m[7].as_ptr()),
        ];
        let (t0, t1, t2, t3) = (
            lo(r[0], r[1]),
            hi(r[0], r[1]),
            lo(r[2], r[3]),
            hi(r[2], r[3]),
        );
        let (t4, t5, t6, t7) = (
            lo(r[4], r[5]),
            hi(r[4], r[5]),
            lo(r[6], r[7]),
            hi(r[6], r[7]),
        );
        let (u0, u1) = (shuffle::<0x44>(t0, t2), shuffle::<0xEE>(t0, t2));
        let (u2, u3) = (shuffle::<0x44>(t1, t3), shuffle::<0xEE>(t1, t3));
        let (u4, u5) = (shuffle::<0x44>(t4, t6), shuffle::<0xEE>(t4, t6));
        let (u6, u7) = (shuffle::<0x44>(t5, t7), shuffle::<0xEE>(t5, t7));
        let out = [
            halves::<0x20>(u0, u4),
            halves::<0x20>(u1, u5),
            halves::<0x20>(u2, u6),
            halves::<0x20>(u3, u7),
            halves::<0x31>(u0, u4),
            halves::<0x31>(u1, u5),
            halves::<0x31>(u2, u6),
            halves::<0x31>(u3, u7),
        ];
        let mut t = [[0f32; 8]; 8];
        for (dst, v) in t.iter_mut().zip(out) {
            _mm256_storeu_ps(dst.as_mut_ptr(), v);
        }
        t
    }
}

/// One `MR × NR` tile at `(r0, s0)`: `acc[i][s] = Σ_p Y(r0 + i, p0 + p)·panel[p][s]`, then
/// its first `w` lanes go to `out` as `C ← α·acc + β·C`, turned around when `TURNED` (a
/// constant, so the direct store needs no copy of `acc` in memory).
#[inline(always)]
fn tile<const MR: usize, const NR: usize, const TURNED: bool>(
    (y, r0, p0): (Rows, usize, usize),
    panel: &[[f32; NR]],
    out: &mut Out,
    (s0, w): (usize, usize),
    ab: (f32, f32),
) {
    let acc = sums::<MR, NR>(y, (r0, p0), panel);
    if TURNED {
        put_turned(&acc, out, (r0, s0, w), ab);
    } else {
        for (i, acc_i) in acc.iter().enumerate() {
            for (o, &x) in out.row(r0 + i, s0, w).iter_mut().zip(acc_i) {
                store(x, ab.0, ab.1, o);
            }
        }
    }
}

/// `acc[i][s] = Σ_p Y(r0 + i, p0 + p)·panel[p][s]`.
#[inline(always)]
fn sums<const MR: usize, const NR: usize>(
    y: Rows,
    (r0, p0): (usize, usize),
    panel: &[[f32; NR]],
) -> [[f32; NR]; MR] {
    let kc = panel.len();
    assert!(y.rows >= r0 + MR && y.s.len() >= (r0 + MR - 1) * y.ld + p0 + kc);
    let yp = y.s.as_ptr();
    let mut acc = [[0f32; NR]; MR];
    for (p, row) in panel.iter().enumerate() {
        for (i, acc_i) in acc.iter_mut().enumerate() {
            // SAFETY: `(r0 + i)·ld + p0 + p < (r0 + MR − 1)·ld + p0 + kc ≤ y.s.len()` (asserted
            // above, with `i < MR` and `p < kc`).
            let yv = unsafe { *yp.add((r0 + i) * y.ld + p0 + p) };
            for (x, &xv) in acc_i.iter_mut().zip(row) {
                *x = yv.mul_add(xv, *x);
            }
        }
    }
    acc
}

/// Stores lane `s < w` of row `i` of a tile at `C(s0 + s, r0 + i)`.
#[inline(always)]
fn put_turned<const MR: usize, const NR: usize>(
    acc: &[[f32; NR]; MR],
    out: &mut Out,
    (r0, s0, w): (usize, usize, usize),
    (alpha, beta): (f32, f32),
) {
    for s in 0..w {
        for (o, acc_i) in out.row(s0 + s, r0, MR).iter_mut().zip(acc) {
            store(acc_i[s], alpha, beta, o);
        }
    }
}

/// Rows `s0..s0 + w` of `X` (`w ≤ NR`) against all of `Y`, over all of `k`.
#[inline(always)]
fn panel<const MR: usize, const NR: usize, const TURNED: bool>(
    (k, ab): (usize, (f32, f32)),
    (y, x): (Rows, Rows),
    out: &mut Out,
    (s0, w): (usize, usize),
    buf: &mut [f32; KC * WMAX],
) {
    let (chunks, _) = buf.as_chunks_mut::<NR>();
    let mut p0 = 0;
    while p0 < k {
        let kc = KC.min(k - p0);
        let panel = &mut chunks[..kc];
        pack::<NR>(x, (s0, w), p0, panel);
        let ab = (ab.0, if p0 == 0 { ab.1 } else { 1.0 });
        let sw = (s0, w);
        let mut r0 = 0;
        while r0 + MR <= y.rows {
            tile::<MR, NR, TURNED>((y, r0, p0), panel, out, sw, ab);
            r0 += MR;
        }
        if MR > 4 && r0 + 4 <= y.rows {
            tile::<4, NR, TURNED>((y, r0, p0), panel, out, sw, ab);
            r0 += 4;
        }
        // Fewer than 4 rows left (MR ≤ 8).
        match y.rows - r0 {
            0 => {}
            1 => tile::<1, NR, TURNED>((y, r0, p0), panel, out, sw, ab),
            2 => tile::<2, NR, TURNED>((y, r0, p0), panel, out, sw, ab),
            _ => tile::<3, NR, TURNED>((y, r0, p0), panel, out, sw, ab),
        }
        p0 += kc;
    }
}

/// All panels of `X`: `W1` wide, narrowing to `W2` and `W3` for the last rows so little of a
/// panel is padding; panels `W3` wide (one vector) run `MR3` rows of `Y` per tile, so enough
/// FMAs are in flight.
#[inline(always)]
fn panels<
    const MR: usize,
    const MR3: usize,
    const W: usize,
    const W2: usize,
    const W3: usize,
    const TURNED: bool,
>(
    kab: (usize, (f32, f32)),
    (y, x): (Rows, Rows),
    out: &mut Out,
) {
    let mut buf = [0f32; KC * WMAX];
    let mut s0 = 0;
    while s0 < x.rows {
        let rest = x.rows - s0;
        let w = rest.min(W);
        if rest > W2 {
            panel::<MR, W, TURNED>(kab, (y, x), out, (s0, w), &mut buf);
        } else if rest > W3 {
            panel::<MR, W2, TURNED>(kab, (y, x), out, (s0, w), &mut buf);
        } else {
            panel::<MR3, W3, TURNED>(kab, (y, x), out, (s0, w), &mut buf);
        }
        s0 += w;
    }
}

/// The whole product `Y·Xᵀ`, as `C` (`Direct`) or as `Cᵀ` (`Transposed`); see [`panels`].
#[inline(always)]
pub(crate) fn nt_body<
    const MR: usize,
    const MR3: usize,
    const W1: usize,
    const W2: usize,
    const W3: usize,
>(
    k: usize,
    ab: (f32, f32),
    (y, x): (Rows, Rows),
    out: &mut Out,
    order: Order,
) {
    let (rows, cols) = match order {
        Order::Direct => (y.rows, x.rows),
        Order::Transposed => (x.rows, y.rows),
    };
    assert!(
        out.rows() == rows && out.cols() == cols,
        "gemm: C is not m × n"
    );
    if rows == 0 || cols == 0 {
        return;
    }
    if k == 0 {
        for i in 0..rows {
            out.row(i, 0, cols)
                .iter_mut()
                .for_each(|c| store(0.0, 0.0, ab.1, c));
        }
        return;
    }
    match order {
        Order::Direct => panels::<MR, MR3, W1, W2, W3, false>((k, ab), (y, x), out),
        Order::Transposed => panels::<MR, MR3, W1, W2, W3, true>((k, ab), (y, x), out),
    }
}
