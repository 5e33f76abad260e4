//! Shared by the bench targets: seeded inputs and the FLOP counts of each workload
//! (workload ids as in DESIGN.md §4).

use constnn::kernel::gemm::Dims;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// W3: a dense layer's forward product `W·A` with `W` 128×784 and `A` 784×64 (a batch of 64).
pub const W3_DENSE: Dims = Dims {
    m: 128,
    k: 784,
    n: 64,
};

/// W3s: one 16×16 · 16×16 product.
pub const W3S_MATMUL: Dims = Dims {
    m: 16,
    k: 16,
    n: 16,
};

/// Floating-point operations of `C = A·B`: one multiply and one add per term, `2·m·k·n`.
pub const fn gemm_flops(d: Dims) -> u64 {
    2 * (d.m * d.k * d.n) as u64
}

/// `len` values drawn uniformly from [-1, 1) with a fixed seed, so every run measures the
/// same numbers.
pub fn seeded_vec(len: usize, seed: u64) -> Vec<f32> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..len).map(|_| rng.random_range(-1.0..1.0)).collect()
}
