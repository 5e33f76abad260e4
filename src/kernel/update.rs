//! Element-wise parameter updates of the optimizers: SGD's `W := W − α·dW` and Adam's step
//! in one pass over `W`, `dW`, `v_dW`, `s_dW` (instead of one pass per formula).
//!
//! Each body is written once, generic over the element type, with one fixed order of
//! operations (Rust does not fuse or reorder them), so every ISA gives the same bits; Adam's
//! is the formula of `optim::Adam` with the bias corrections taken out of the loop (below).
//! For f32 the body is compiled again (`kernel::dispatch`) for AVX2 and
//! AVX-512, where the compiler turns the divisions and square roots into 8- or 16-lane ones;
//! tensors of at least [`parallel_threshold`] values are updated in two halves on two threads
//! when rayon's pool has two. f64 runs the body on one thread.
//!
//! Measured (`cargo bench --bench kernels -- W1u`, 100,352 values, criterion medians, one
//! thread): Adam 126 µs in the three passes it replaced, 109 µs fused (scalar), 57.6 µs AVX2,
//! 62.6 µs AVX-512 (16-lane division and square root do not run faster than 8-lane ones on
//! this CPU, so Adam runs its AVX2 copy when AVX-512 is chosen); split over two threads from
//! outside the pool 41.7 µs (AVX2) and 49.3 µs (AVX-512). SGD is memory-bound: 10.5–10.8 µs
//! on every ISA. Adam is bound by the divider: with the bias corrections taken out of the loop
//! (`(α/c1)·v / (√s/√c2 + ε)`, as PyTorch arranges it: one division and one square root per
//! value instead of three and one) it went from 89.8 to 51.0 µs (AVX2) and from 101.0 to
//! 61.2 µs (scalar) in one later sitting; the AVX-512 copy still gains nothing (50.9 µs).

use num_traits::Float;

use super::dispatch::{Simd, WithSimd, dispatch};
use super::fork;
use super::isa::Isa;

/// Tensors of at least this many values are updated on two threads (SGD only on rayon's pool):
/// 2^15 values of Adam are about 20 µs on one AVX-512 thread.
pub const fn parallel_threshold() -> usize {
    1 << 15
}

/// The scalars of one Adam step (see `optim::Adam`): `v := β1·v + (1 − β1)·g`,
/// `s := β2·s + (1 − β2)·g²`, `W := W − decay·W − α·(v / c1) / (√(s / c2) + ε)`, computed as
/// `W − decay·W − (α/c1)·v / (√s·(1/√c2) + ε)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AdamStep<T> {
    /// `α`.
    pub lr: T,
    /// `β1`.
    pub beta1: T,
    /// `β2`.
    pub beta2: T,
    /// `1 − β1^t`.
    pub c1: T,
    /// `1 − β2^t`.
    pub c2: T,
    /// `ε`.
    pub eps: T,
    /// `α·λ` for a weight under AdamW, else 0.
    pub decay: T,
}

/// Element types with these kernels (f32 dispatches on [`Isa::get`], f64 runs the body).
pub trait UpdateKernel: Copy {
    /// `w ← w − lr·g`.
    fn sgd(lr: Self, w: &mut [Self], g: &[Self]);
    /// One Adam step on one tensor: `w`, its gradient `g` and its averages `v`, `s`.
    fn adam(h: AdamStep<Self>, w: &mut [Self], g: &[Self], v: &mut [Self], s: &mut [Self]);
}

/// Body of [`UpdateKernel::sgd`].
#[inline(always)]
pub fn sgd_body<T: Float>(lr: T, w: &mut [T], g: &[T]) {
    assert_eq!(w.len(), g.len(), "sgd: W and dW differ in length");
    for (w, &g) in w.iter_mut().zip(g) {
        *w = *w - lr * g;
    }
}

/// Body of [`UpdateKernel::adam`].
#[inline(always)]
pub fn adam_body<T: Float>(h: AdamStep<T>, w: &mut [T], g: &[T], v: &mut [T], s: &mut [T]) {
    let n = w.len();
    assert!(
        g.len() == n && v.len() == n && s.len() == n,
        "adam: W, dW, v_dW and s_dW differ in length"
    );
    let (one_minus1, one_minus2) = (T::one() - h.beta1, T::one() - h.beta2);
    // α·v̂/(√ŝ + ε) = (α/c1)·v / (√s·(1/√c2) + ε): the bias corrections move out of the
    // loop, leaving one division and one square root per value instead of three and one.
    let (step, inv_root_c2) = (h.lr / h.c1, T::one() / h.c2.sqrt());
    for (((w, &g), v), s) in w.iter_mut().zip(g).zip(v.iter_mut()).zip(s.iter_mut()) {
        *v = h.beta1 * *v + one_minus1 * g;
        *s = h.beta2 * *s + one_minus2 * (g * g);
        *w = *w - h.decay * *w - step * *v / (s.sqrt() * inv_root_c2 + h.eps);
    }
}

/// The two f32 updates for `kernel::dispatch`: the bodies above, compiled for each ISA.
enum Update<'a> {
    Sgd(f32, &'a mut [f32], &'a [f32]),
    Adam(AdamStep<f32>, AdamTensors<'a>),
}

impl WithSimd for Update<'_> {
    type Output = ();
    #[inline(always)]
    fn with_simd<S: Simd>(self, _: S) {
        match self {
            Update::Sgd(lr, w, g) => sgd_body(lr, w, g),
            Update::Adam(h, (w, g, v, s)) => adam_body(h, w, g, v, s),
        }
    }
}

/// Where a tensor of `len` values is cut in two for two threads (on a multiple of 16, so the
/// threads never write the same 64-byte line), or `None` to stay on one. Off rayon's pool a
/// split costs a spawn and a wake-up (see [`fork`]), so there SGD, which reads and writes
/// each value once, stays on one thread: `W[1]` of W1 (100,352 values, AVX-512) took 10.5 µs
/// on one thread and 16–18 µs split from the bench's main thread, while on the pool (`fit`)
/// splitting it took W1's whole step from 205 to 178 µs (criterion medians, alternated).
fn cut(len: usize, off_pool: bool) -> Option<usize> {
    let on_pool = rayon::current_thread_index().is_some();
    let split = len >= parallel_threshold() && crate::kernel::fork::can_split();
    (split && (on_pool || off_pool)).then_some(len / 32 * 16)
}

/// One share of [`sgd_with`], on one thread.
fn sgd_one(isa: Isa, lr: f32, w: &mut [f32], g: &[f32]) {
    dispatch(isa, Update::Sgd(lr, w, g))
}

/// [`UpdateKernel::sgd`] in f32 on the given ISA.
pub fn sgd_with(isa: Isa, lr: f32, w: &mut [f32], g: &[f32]) {
    assert_eq!(w.len(), g.len(), "sgd: W and dW differ in length");
    match cut(w.len(), false) {
        Some(mid) => {
            let ((w0, w1), (g0, g1)) = (w.split_at_mut(mid), g.split_at(mid));
            fork::join(|| sgd_one(isa, lr, w0, g0), || sgd_one(isa, lr, w1, g1));
        }
        None => sgd_one(isa, lr, w, g),
    }
}

/// `W`, `dW`, `v_dW`, `s_dW` of one tensor (or of one share of it).
type AdamTensors<'a> = (&'a mut [f32], &'a [f32], &'a mut [f32], &'a mut [f32]);

/// One share of [`adam_with`], on one thread.
fn adam_one(isa: Isa, h: AdamStep<f32>, t: AdamTensors<'_>) {
    // The AVX2 copy on AVX-512 CPUs too (see the module doc).
    dispatch(isa.min(Isa::Avx2), Update::Adam(h, t))
}

/// [`UpdateKernel::adam`] in f32 on the given ISA.
pub fn adam_with(
    isa: Isa,
    h: AdamStep<f32>,
    w: &mut [f32],
    g: &[f32],
    v: &mut [f32],
    s: &mut [f32],
) {
    let n = w.len();
    assert!(
        g.len() == n && v.len() == n && s.len() == n,
        "adam: W, dW, v_dW and s_dW differ in length"
    );
    match cut(n, true) {
        Some(mid) => {
            let ((w0, w1), (g0, g1)) = (w.split_at_mut(mid), g.split_at(mid));
            let ((v0, v1), (s0, s1)) = (v.split_at_mut(mid), s.split_at_mut(mid));
            fork::join(
                || adam_one(isa, h, (w0, g0, v0, s0)),
                || adam_one(isa, h, (w1, g1, v1, s1)),
            );
        }
        None => adam_one(isa, h, (w, g, v, s)),
    }
}

impl UpdateKernel for f32 {
    fn sgd(lr: f32, w: &mut [f32], g: &[f32]) {
        sgd_with(Isa::get(), lr, w, g)
    }
    fn adam(h: AdamStep<f32>, w: &mut [f32], g: &[f32], v: &mut [f32], s: &mut [f32]) {
        adam_with(Isa::get(), h, w, g, v, s)
    }
}

impl UpdateKernel for f64 {
    fn sgd(lr: f64, w: &mut [f64], g: &[f64]) {
        sgd_body(lr, w, g)
    }
    fn adam(h: AdamStep<f64>, w: &mut [f64], g: &[f64], v: &mut [f64], s: &mut [f64]) {
        adam_body(h, w, g, v, s)
    }
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::{RngExt, SeedableRng};

    use super::*;

    /// Ragged lengths, and ones above the two-thread threshold (odd, and not a multiple of 16).
    const LENS: [usize; 7] = [0, 1, 7, 37, 1000, (1 << 15) + 5, 100_480];

    fn random(rng: &mut StdRng, len: usize, lo: f32) -> Vec<f32> {
        (0..len).map(|_| rng.random_range(lo..1.0)).collect()
    }

    /// The step at `t = 3` with AdamW's decay, as `optim::Adam` computes it.
    fn step() -> AdamStep<f32> {
        let (beta1, beta2) = (0.9f64, 0.999f64);
        AdamStep {
            lr: 0.01,
            beta1: beta1 as f32,
            beta2: beta2 as f32,
            c1: (1.0 - beta1.powi(3)) as f32,
            c2: (1.0 - beta2.powi(3)) as f32,
            eps: 1e-8,
            decay: 1e-4,
        }
    }

    #[test]
    fn every_isa_and_split_gives_the_bits_of_the_scalar_body() {
        let mut rng = StdRng::seed_from_u64(9);
        for n in LENS {
            let (w, g) = (random(&mut rng, n, -1.0), random(&mut rng, n, -1.0));
            let (v, s) = (random(&mut rng, n, -0.1), random(&mut rng, n, 0.0));
            let (mut w_ref, mut v_ref, mut s_ref) = (w.clone(), v.clone(), s.clone());
            adam_body(step(), &mut w_ref, &g, &mut v_ref, &mut s_ref);
            let mut sgd_ref = w.clone();
            sgd_body(0.05, &mut sgd_ref, &g);
            for isa in Isa::available() {
                let (mut w1, mut v1, mut s1) = (w.clone(), v.clone(), s.clone());
                adam_with(isa, step(), &mut w1, &g, &mut v1, &mut s1);
                let same =
                    |a: &[f32], b: &[f32]| a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits());
                assert!(
                    same(&w1, &w_ref) && same(&v1, &v_ref) && same(&s1, &s_ref),
                    "adam {isa:?} n = {n}"
                );
                let mut w2 = w.clone();
                sgd_with(isa, 0.05, &mut w2, &g);
                assert!(same(&w2, &sgd_ref), "sgd {isa:?} n = {n}");
            }
        }
    }

    #[test]
    fn one_adam_step_by_hand() {
        // g = 0.5, v = s = 0 at t = 1 (c1 = 0.1, c2 = 0.001): v = 0.05, s = 0.00025,
        // v̂ = 0.5, ŝ = 0.25, W = 1 − 0.001·1 − 0.1·0.5 / (0.5 + 1e-8) = 0.899 (to 1e-7).
        let h = AdamStep {
            lr: 0.1f64,
            beta1: 0.9,
            beta2: 0.999,
            c1: 1.0 - 0.9,
            c2: 1.0 - 0.999,
            eps: 1e-8,
            decay: 0.001,
        };
        let (mut w, mut v, mut s) = ([1.0], [0.0], [0.0]);
        f64::adam(h, &mut w, &[0.5], &mut v, &mut s);
        assert!((v[0] - 0.05).abs() < 1e-15 && (s[0] - 0.00025).abs() < 1e-15);
        assert!((w[0] - 0.899).abs() < 1e-7, "{}", w[0]);
        let mut w = [1.0f32, -2.0];
        f32::sgd(0.5, &mut w, &[2.0, -4.0]);
        assert_eq!(w, [0.0, 0.0]);
    }
}
