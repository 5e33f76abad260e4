//! Shared by the bench targets: the sizes of each workload (ids as in DESIGN.md §4), their
//! operation and byte counts, and seeded inputs.

// Each bench target compiles this module and uses only the items of its own workloads.
#![allow(dead_code)]

use constnn::kernel::conv2d::ConvDims;
use constnn::kernel::gemm::Dims;
use constnn::kernel::pool2d::PoolDims;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// The mini-batch size of W1, W2, W2i and W3.
pub const BATCH: usize = 64;

/// W3: a dense layer's forward product `W·A` with `W` 128×784 and `A` 784×64 (a batch of 64).
pub const W3_DENSE: Dims = Dims {
    m: 128,
    k: 784,
    n: 64,
};

/// W3 nt: the same layer's `dW = dZ·Aᵀ`, `dZ` 128×64 times (`A` 784×64)ᵀ.
pub const W3_NT: Dims = Dims {
    m: 128,
    k: 64,
    n: 784,
};

/// W3 tn: the same layer's `dA = Wᵀ·dZ`, (`W` 128×784)ᵀ times `dZ` 128×64.
pub const W3_TN: Dims = Dims {
    m: 784,
    k: 128,
    n: 64,
};

/// W3s: one 16×16 · 16×16 product.
pub const W3S_MATMUL: Dims = Dims {
    m: 16,
    k: 16,
    n: 16,
};

/// W4: a batch of 32 images 3×32×32, 16 filters 3×3, stride 1, pad 1 (output 16×32×32).
pub const W4_CONV: ConvDims = ConvDims {
    c_in: 3,
    h: 32,
    w: 32,
    c_out: 16,
    oh: 32,
    ow: 32,
    f: 3,
    s: 1,
    p: 1,
    m: 32,
};

/// W5: 2×2 max pooling with stride 2 on a batch of 32 maps 16×32×32 (output 16×16×16).
pub const W5_POOL: PoolDims = PoolDims {
    c: 16,
    h: 32,
    w: 32,
    oh: 16,
    ow: 16,
    f: 2,
    s: 2,
    m: 32,
};

/// Floating-point operations of `C = A·B`: one multiply and one add per term, `2·m·k·n`.
pub const fn gemm_flops(d: Dims) -> u64 {
    2 * (d.m * d.k * d.n) as u64
}

/// Floating-point operations of a convolution's forward pass without the bias:
/// `2·m·C_out·n_H·n_W·C_in·f²`.
pub const fn conv_flops(d: ConvDims) -> u64 {
    2 * (d.m * d.c_out * d.oh * d.ow * d.c_in * d.f * d.f) as u64
}

/// Bytes of a pooling's f32 input, `4·m·C·H·W` (each read once).
pub const fn pool_input_bytes(d: PoolDims) -> u64 {
    (4 * d.m * d.c * d.h * d.w) as u64
}

/// `len` values drawn uniformly from [-1, 1) with a fixed seed, so every run measures the
/// same numbers.
pub fn seeded_vec(len: usize, seed: u64) -> Vec<f32> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..len).map(|_| rng.random_range(-1.0..1.0)).collect()
}

/// `m` class labels in `0..classes` drawn with a fixed seed.
pub fn seeded_labels(m: usize, classes: usize, seed: u64) -> Vec<usize> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..m).map(|_| rng.random_range(0..classes)).collect()
}
