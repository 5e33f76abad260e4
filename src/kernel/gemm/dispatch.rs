//! The f32 products: the ISA chosen once ([`Isa::get`]) and, for large products, the work
//! shared between two threads of rayon's pool as [`choose`] decides. Small products stay on
//! the calling thread, where a fork would cost more than it saves. The scalar path is the
//! reference body on one thread.

use super::packed::{self, Order, Rows, nt_body};
use super::simd::{Ld, Strided, nn_body};
use super::split::{self, INNER_MAX, Part, Split};
use super::view::Out;
use super::{Dims, Gemm, check_lens, nn_reference, nt_reference, tn_reference};
use crate::kernel::dispatch::{Simd, WithSimd, dispatch};
use crate::kernel::isa::Isa;

impl Gemm for f32 {
    fn gemm_nn(d: Dims, alpha: Self, a: &[Self], b: &[Self], beta: Self, c: &mut [Self]) {
        nn_with(Isa::get(), d, alpha, a, b, beta, c)
    }
    fn gemm_nt(d: Dims, alpha: Self, a: &[Self], b: &[Self], beta: Self, c: &mut [Self]) {
        nt_with(Isa::get(), d, alpha, a, b, beta, c)
    }
    fn gemm_tn(d: Dims, alpha: Self, a: &[Self], b: &[Self], beta: Self, c: &mut [Self]) {
        tn_with(Isa::get(), d, alpha, a, b, beta, c)
    }
}

/// Products of fewer multiply-adds (`m·k·n`) than this stay on one thread: 2^19, about 9 µs
/// of work at 115 GFLOP/s, against about 1 µs for a fork and join when the second core is
/// free. Measured (AVX-512, each split against the unsplit product in the same process, the
/// fastest of 9000 calls, on a machine shared with other jobs): at 2^18 nn 128×32×64 by rows
/// 4.6 → 2.7 µs and nn 128×16×64 (2^17) 2.4 → 2.5 µs; at 2^19 nn 128×64×64 by rows 9.1 →
/// 6.0 µs; nn 16×150×256 by columns 10.5 → 6.1 µs; nt 16×256×150 by halves of k 12.9 →
/// 10.5 µs; at 2^20 nn 128×128×64 by rows 18.0 → 9.6 µs, nt 128×64×128 by columns 20.0 →
/// 13.6 µs. (The previous threshold, 2^20, took W3 from 110 to 165 GFLOP/s.)
pub const fn parallel_threshold() -> usize {
    1 << 19
}

/// `isa` when this CPU has it, else the scalar path.
pub(crate) fn usable(isa: Isa) -> Isa {
    isa.or_scalar()
}

/// The three product shapes, for [`choose`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `A·B`.
    Nn,
    /// `A·Bᵀ`.
    Nt,
    /// `Aᵀ·B`.
    Tn,
}

/// How `op` on sizes `d` is shared when rayon's pool has two threads or more
/// (`RAYON_NUM_THREADS=1` keeps everything on one thread), for products of at least
/// [`parallel_threshold`] multiply-adds:
/// * `nt` with a small `C` (at most [`INNER_MAX`] values) and a long `k`, as a convolution's
///   `dW`, by halves of `k`;
/// * by rows when `C` has at least 32 rows and no more columns than rows (each thread reads
///   half of `A`; for `nt` a row split would pack all of `B` twice, so it goes by columns);
/// * by columns when `C` has at least 128 (each half keeps whole 64-wide tiles);
/// * else by rows if there are 32, else not at all.
pub fn choose(op: Op, d: Dims) -> Split {
    if d.m * d.k * d.n < parallel_threshold() || !crate::kernel::fork::can_split() {
        return Split::None;
    }
    let inner = op == Op::Nt && d.m * d.n <= INNER_MAX && d.k >= 2 * packed::KC;
    let tall = d.m >= 32 && d.m >= d.n && op != Op::Nt;
    if inner {
        Split::Inner
    } else if tall {
        Split::Rows
    } else if d.n >= 128 {
        Split::Cols
    } else if d.m >= 32 {
        Split::Rows
    } else {
        Split::None
    }
}

/// `s[off..]`, empty past the end (a share of a product with `k = 0` reads nothing).
fn tail(s: &[f32], off: usize) -> &[f32] {
    s.get(off..).unwrap_or(&[])
}

/// The `nn` body on one share: `A(i, p)` at `a[i·rs + p·cs]`, `B` `k × n` row-major.
struct NnPart<'a> {
    dot: bool,
    ab: (f32, f32),
    a: Strided<'a>,
    b: Ld<'a>,
    part: Part,
    c: Out<'a>,
}

impl WithSimd for NnPart<'_> {
    type Output = ();
    #[inline(always)]
    fn with_simd<S: Simd>(self, _: S) {
        let NnPart {
            dot,
            ab,
            a: (a, rs, cs),
            b: (b, ldb),
            part,
            mut c,
        } = self;
        let (a, b) = (
            (tail(a, part.i0 * rs + part.p0 * cs), rs, cs),
            (tail(b, part.p0 * ldb + part.j0), ldb),
        );
        if const { matches!(S::ISA, Isa::Avx512) } {
            nn_body::<S::F32, 4, 64, 16>(dot, part.d, ab, a, b, &mut c)
        } else if const { matches!(S::ISA, Isa::Avx2) } {
            nn_body::<S::F32, 4, 16, 8>(dot, part.d, ab, a, b, &mut c)
        } else {
            unreachable!("the scalar path runs the reference")
        }
    }
}

/// `C ← α·A·B + β·C` in f32 on the given ISA (tests and benches pick it; the `Gemm` impl uses
/// [`Isa::get`]). An ISA the CPU lacks runs the scalar reference.
pub fn nn_with(isa: Isa, d: Dims, alpha: f32, a: &[f32], b: &[f32], beta: f32, c: &mut [f32]) {
    nn_split(isa, choose(Op::Nn, d), d, alpha, a, b, beta, c)
}

/// [`nn_with`] shared between two threads as `split` says.
#[allow(clippy::too_many_arguments)] // BLAS-style: ISA, split, sizes, α, A, B, β, C
pub fn nn_split(
    isa: Isa,
    split: Split,
    d: Dims,
    alpha: f32,
    a: &[f32],
    b: &[f32],
    beta: f32,
    c: &mut [f32],
) {
    nn_run((isa, true), split, d, (alpha, beta), (a, b), c)
}

/// [`nn_with`] as it ran before the small-batch path: the columns that no register tile
/// covers (all of them for `n` < 16) one row and one value at a time. Kept as the benches'
/// baseline.
#[doc(hidden)]
pub fn nn_previous_with(
    isa: Isa,
    d: Dims,
    alpha: f32,
    a: &[f32],
    b: &[f32],
    beta: f32,
    c: &mut [f32],
) {
    nn_run((isa, false), choose(Op::Nn, d), d, (alpha, beta), (a, b), c)
}

/// [`nn_split`] with the edge path chosen (`dot`: [`super::dot`], else one value at a time).
fn nn_run(
    (isa, dot): (Isa, bool),
    split: Split,
    d: Dims,
    (alpha, beta): (f32, f32),
    (a, b): (&[f32], &[f32]),
    c: &mut [f32],
) {
    check_lens(d, a, b, c);
    let isa = usable(isa);
    if isa == Isa::Scalar {
        return nn_reference(d, alpha, a, b, beta, c);
    }
    split::run(split, d, beta, Out::new(c, d.m, d.n), |part, beta, c| {
        let (a, b, ab) = ((a, d.k, 1), (b, d.n), (alpha, beta));
        dispatch(
            isa,
            NnPart {
                dot,
                ab,
                a,
                b,
                part,
                c,
            },
        )
    });
}

/// `C ← α·Aᵀ·B + β·C` in f32 on the given ISA (A is `k × m`).
pub fn tn_with(isa: Isa, d: Dims, alpha: f32, a: &[f32], b: &[f32], beta: f32, c: &mut [f32]) {
    tn_split(isa, choose(Op::Tn, d), d, alpha, a, b, beta, c)
}

/// [`tn_with`] shared between two threads as `split` says.
#[allow(clippy::too_many_arguments)] // BLAS-style: ISA, split, sizes, α, A, B, β, C
pub fn tn_split(
    isa: Isa,
    split: Split,
    d: Dims,
    alpha: f32,
    a: &[f32],
    b: &[f32],
    beta: f32,
    c: &mut [f32],
) {
    check_lens(d, a, b, c);
    let isa = usable(isa);
    if isa == Isa::Scalar {
        return tn_reference(d, alpha, a, b, beta, c);
    }
    // A(i, p) = a[i + p·m]: the nn body with strides (1, m).
    split::run(split, d, beta, Out::new(c, d.m, d.n), |part, beta, c| {
        let (a, b, ab) = ((a, 1, d.m), (b, d.n), (alpha, beta));
        dispatch(
            isa,
            NnPart {
                dot: true,
                ab,
                a,
                b,
                part,
                c,
            },
        )
    });
}

/// Lanes the AVX-512 panels of `nt` spend on `x` rows: 64 at a time while more than 32 are
/// left, then one panel of 32 or 16.
fn padded(x: usize) -> usize {
    let (mut rest, mut lanes) = (x, 0);
    while rest > 32 {
        lanes += 64;
        rest = rest.saturating_sub(64);
    }
    lanes + [0, 16, 32][rest.div_ceil(16)]
}

/// The order [`nt_with`] packs in, from a cost model in sixteenths of an FMA instruction:
/// the tiles' padded products, plus half an FMA per value packed (`n·k` for `Direct`, `m·k`
/// for `Transposed`) and one per value of `C` stored turned around per panel of `p`. Measured
/// on 1 thread (AVX-512, GFLOP/s direct vs transposed): 128×64×784 107 vs 91, 84×64×120 96
/// vs 77, 10×64×128 63 vs 51, 6×50176×25 39 vs 27, 16×6400×150 66 vs 94, 16×1600×150 67 vs
/// 94; the model picks the faster one in each.
pub(crate) fn nt_order(d: Dims) -> Order {
    let (m, k, n) = (d.m, d.k, d.n);
    let direct = m * padded(n) * k + 8 * n * k;
    let transposed = n * padded(m) * k + 8 * m * k + 16 * m * n * k.div_ceil(packed::KC);
    if transposed < direct {
        Order::Transposed
    } else {
        Order::Direct
    }
}

/// `C ← α·A·Bᵀ + β·C` in f32 on the given ISA (B is `n × k`).
pub fn nt_with(isa: Isa, d: Dims, alpha: f32, a: &[f32], b: &[f32], beta: f32, c: &mut [f32]) {
    nt_split(isa, choose(Op::Nt, d), d, alpha, a, b, beta, c)
}

/// [`nt_with`] shared between two threads as `split` says.
#[allow(clippy::too_many_arguments)] // BLAS-style: ISA, split, sizes, α, A, B, β, C
pub fn nt_split(
    isa: Isa,
    split: Split,
    d: Dims,
    alpha: f32,
    a: &[f32],
    b: &[f32],
    beta: f32,
    c: &mut [f32],
) {
    nt_ordered(isa, split, nt_order(d), d, (alpha, beta), (a, b), c)
}

/// [`nt_split`] with the packing order given (tests cover both on every shape).
pub(crate) fn nt_ordered(
    isa: Isa,
    split: Split,
    order: Order,
    d: Dims,
    (alpha, beta): (f32, f32),
    (a, b): (&[f32], &[f32]),
    c: &mut [f32],
) {
    check_lens(d, a, b, c);
    let isa = usable(isa);
    if isa == Isa::Scalar {
        return nt_reference(d, alpha, a, b, beta, c);
    }
    split::run(split, d, beta, Out::new(c, d.m, d.n), |part, beta, c| {
        let p = part;
        let a = Rows {
            s: tail(a, p.i0 * d.k + p.p0),
            ld: d.k,
            rows: p.d.m,
        };
        let b = Rows {
            s: tail(b, p.j0 * d.k + p.p0),
            ld: d.k,
            rows: p.d.n,
        };
        let yx = match order {
            Order::Direct => (a, b),
            Order::Transposed => (b, a),
        };
        let k = (p.d.k, (alpha, beta));
        dispatch(isa, NtPart { k, yx, c, order })
    });
}

/// The `nt` body on one share (see `packed`).
struct NtPart<'a> {
    k: (usize, (f32, f32)),
    yx: (Rows<'a>, Rows<'a>),
    c: Out<'a>,
    order: Order,
}

impl WithSimd for NtPart<'_> {
    type Output = ();
    #[inline(always)]
    fn with_simd<S: Simd>(self, _: S) {
        let NtPart {
            k: (k, ab),
            yx,
            mut c,
            order,
        } = self;
        if const { matches!(S::ISA, Isa::Avx512) } {
            nt_body::<4, 8, 64, 32, 16>(k, ab, yx, &mut c, order)
        } else if const { matches!(S::ISA, Isa::Avx2) } {
            nt_body::<4, 8, 16, 16, 8>(k, ab, yx, &mut c, order)
        } else {
            unreachable!("the scalar path runs the reference")
        }
    }
}
