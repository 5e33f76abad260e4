//! Kernel benchmarks (DESIGN.md §4): W1e (the element-wise steps of W1's hidden layer), W1u
//! (the optimizer updates of its weights), W3 (dense 128×784 · 784×64, and the same layer's
//! two backward products), W3s (16×16 matmul), W4 (conv forward; W4b its backward) and W5 (max
//! pooling; W5b its backward, W5avg average pooling).
//!
//! `cargo bench --bench kernels`; criterion reports the time per call and, from the group's
//! `Throughput`, FLOP/s (`Elements` = floating-point operations) or bytes/s (`Bytes` = input
//! read). Each group keeps the scalar reference beside the SIMD kernels of every ISA this CPU
//! has, so the medians read side by side. Nothing here asserts on time.
//!
//! The `*_with` kernels take their ISA as an argument; the `Matrix` methods (and im2col's
//! product on the scalar convolution path) dispatch on `Isa::get()`, which
//! `CONSTNN_ISA=scalar|avx2|avx512` forces. `RAYON_NUM_THREADS=1` keeps every kernel on one
//! thread.

mod common;

use std::hint::black_box;

use common::{
    BATCH, W3_DENSE, W3_NT, W3_TN, W3S_MATMUL, W4_CONV, W5_POOL, conv_flops, gemm_flops,
    pool_input_bytes, seeded_vec,
};
use constnn::kernel::conv2d::{self, ConvDims, ConvScratch, forward_reference as conv_reference};
use constnn::kernel::eltwise::{
    add_bias_reference, add_bias_with, relu_backward_reference, relu_backward_with, relu_reference,
    relu_with, sum_rows_reference, sum_rows_with,
};
use constnn::kernel::gemm::{
    Dims, nn_reference, nn_with, nt_reference, nt_with, tn_reference, tn_with,
};
use constnn::kernel::im2col;
use constnn::kernel::isa::Isa;
use constnn::kernel::pool2d::{
    avg_backward_reference, avg_backward_with, avg_forward_reference, avg_forward_with,
    max_backward_reference, max_backward_with, max_forward_autovec, max_forward_reference,
    max_forward_with,
};
use constnn::kernel::update::{AdamStep, adam_with, sgd_with};
use constnn::tensor::Matrix;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// A product kernel with its ISA chosen by the caller.
type GemmWith = fn(Isa, Dims, f32, &[f32], &[f32], f32, &mut [f32]);
/// The scalar reference of the same product.
type GemmReference = fn(Dims, f32, &[f32], &[f32], f32, &mut [f32]);

/// One group: `kernel` on every available ISA beside `reference`, on seeded A and B.
fn gemm_group(
    c: &mut Criterion,
    group: &str,
    (kernel, name): (GemmWith, &str),
    (reference, reference_name): (GemmReference, &str),
    d: Dims,
) {
    let a = seeded_vec(d.m * d.k, 1);
    let b = seeded_vec(d.k * d.n, 2);
    let mut out = vec![0f32; d.m * d.n];
    let mut g = c.benchmark_group(group);
    g.throughput(Throughput::Elements(gemm_flops(d)));
    for isa in Isa::available() {
        g.bench_function(format!("{name} {}", isa.name()), |bench| {
            bench.iter(|| kernel(isa, d, 1.0, black_box(&a), black_box(&b), 0.0, &mut out));
        });
    }
    g.bench_function(format!("{reference_name} (scalar)"), |bench| {
        bench.iter(|| reference(d, 1.0, black_box(&a), black_box(&b), 0.0, &mut out));
    });
    g.finish();
}

/// W3: `C ← A·B` with A 128×784, B 784×64, as in a dense forward `W[l]·A[l-1]` on a batch of 64.
fn w3_dense(c: &mut Criterion) {
    gemm_group(
        c,
        "W3 dense 128x784x64",
        (nn_with, "nn_with"),
        (nn_reference, "nn_reference"),
        W3_DENSE,
    );
}

/// W3 nt: `dW ← dZ·Aᵀ` of the same layer, dZ 128×64, A 784×64 (C 128×784).
fn w3_nt(c: &mut Criterion) {
    gemm_group(
        c,
        "W3nt dW=dZ.AT 128x64x784",
        (nt_with, "nt_with"),
        (nt_reference, "nt_reference"),
        W3_NT,
    );
}

/// W3 tn: `dA ← Wᵀ·dZ` of the same layer, W 128×784, dZ 128×64 (C 784×64).
fn w3_tn(c: &mut Criterion) {
    gemm_group(
        c,
        "W3tn dA=WT.dZ 784x128x64",
        (tn_with, "tn_with"),
        (tn_reference, "tn_reference"),
        W3_TN,
    );
}

/// W1u: the optimizer updates of W1's largest tensor (`W[1]`, 128 × 784 = 100,352 values):
/// Adam's step as one pass per ISA beside the three passes it replaced (the two averages, then
/// `W`; scalar), and SGD's `W − α·dW`. Throughput counts the values updated.
fn w1_update(c: &mut Criterion) {
    let n = 128 * 784;
    let (w0, grad) = (seeded_vec(n, 12), seeded_vec(n, 13));
    let v0 = seeded_vec(n, 14);
    let s0: Vec<f32> = seeded_vec(n, 15).iter().map(|x| x.abs()).collect();
    let h = AdamStep {
        lr: 1e-3,
        beta1: 0.9,
        beta2: 0.999,
        c1: 0.1,
        c2: 0.001,
        eps: 1e-8,
        decay: 0.0,
    };
    let (mut w, mut v, mut s) = (w0.clone(), v0.clone(), s0.clone());
    let mut g = c.benchmark_group("W1u optimizer update 128x784");
    g.throughput(Throughput::Elements(n as u64));
    for isa in Isa::available() {
        g.bench_function(format!("adam_with {}", isa.name()), |bench| {
            bench.iter(|| adam_with(isa, h, black_box(&mut w), &grad, &mut v, &mut s));
        });
    }
    g.bench_function("Adam in three passes (previous, scalar)", |bench| {
        bench.iter(|| {
            let (one_minus1, one_minus2) = (1.0 - h.beta1, 1.0 - h.beta2);
            for (v, &g) in v.iter_mut().zip(&grad) {
                *v = h.beta1 * *v + one_minus1 * g;
            }
            for (s, &g) in s.iter_mut().zip(&grad) {
                *s = h.beta2 * *s + one_minus2 * (g * g);
            }
            for ((w, &v), &s) in black_box(&mut w).iter_mut().zip(&v).zip(&s) {
                let (v_hat, s_hat) = (v / h.c1, s / h.c2);
                *w = *w - h.decay * *w - h.lr * v_hat / (s_hat.sqrt() + h.eps);
            }
        });
    });
    for isa in Isa::available() {
        g.bench_function(format!("sgd_with {}", isa.name()), |bench| {
            bench.iter(|| sgd_with(isa, 1e-3, black_box(&mut w), &grad));
        });
    }
    g.finish();
}

/// W1e: the element-wise steps of W1's hidden layer (128 features × 64 samples): `Z + b`,
/// `ReLU(Z)`, `dA ⊙ [Z > 0]` and `db = (1/m)·Σ dZ`, each on every ISA beside its reference.
/// Throughput counts the 8192 values of `Z`.
fn w1_eltwise(c: &mut Criterion) {
    let (n, m) = (128, BATCH);
    let (z, da, b) = (
        seeded_vec(n * m, 9),
        seeded_vec(n * m, 10),
        seeded_vec(n, 11),
    );
    let (mut out, mut db) = (vec![0f32; n * m], vec![0f32; n]);
    let mut g = c.benchmark_group("W1e eltwise 128x64");
    g.throughput(Throughput::Elements((n * m) as u64));
    for isa in Isa::available() {
        let isa_name = isa.name();
        g.bench_function(format!("add_bias_with {isa_name}"), |bench| {
            bench.iter(|| add_bias_with(isa, black_box(&mut out), &b));
        });
        g.bench_function(format!("relu_with {isa_name}"), |bench| {
            bench.iter(|| relu_with(isa, black_box(&z), &mut out));
        });
        g.bench_function(format!("relu_backward_with {isa_name}"), |bench| {
            bench.iter(|| relu_backward_with(isa, black_box(&z), &da, &mut out));
        });
        g.bench_function(format!("sum_rows_with {isa_name}"), |bench| {
            bench.iter(|| sum_rows_with(isa, 0.5, black_box(&z), &mut db));
        });
    }
    g.bench_function("add_bias_reference (scalar)", |bench| {
        bench.iter(|| add_bias_reference(black_box(&mut out[..]), &b));
    });
    g.bench_function("relu_reference (scalar)", |bench| {
        bench.iter(|| relu_reference(black_box(&z[..]), &mut out));
    });
    g.bench_function("relu_backward_reference (scalar)", |bench| {
        bench.iter(|| relu_backward_reference(black_box(&z[..]), &da, &mut out));
    });
    g.bench_function("sum_rows_reference (scalar)", |bench| {
        bench.iter(|| sum_rows_reference(0.5, black_box(&z[..]), &mut db));
    });
    g.finish();
}

/// W3s: one `Matrix<16, 16>::matmul` per call (allocating its result, as user code would).
fn w3s_matmul(c: &mut Criterion) {
    let d = W3S_MATMUL;
    let a = Matrix::<16, 16>::from_vec(seeded_vec(d.m * d.k, 3)).expect("16·16 values");
    let b = Matrix::<16, 16>::from_vec(seeded_vec(d.k * d.n, 4)).expect("16·16 values");
    let mut out = vec![0f32; d.m * d.n];
    let mut g = c.benchmark_group("W3s matmul 16x16");
    g.throughput(Throughput::Elements(gemm_flops(d)));
    g.bench_function("Matrix::matmul", |bench| {
        bench.iter(|| black_box(&a).matmul(black_box(&b)));
    });
    g.bench_function("nn_reference (scalar, no alloc)", |bench| {
        bench.iter(|| {
            let (a, b) = (black_box(a.as_slice()), black_box(b.as_slice()));
            nn_reference(d, 1.0f32, a, b, 0.0, &mut out);
        });
    });
    g.finish();
}

/// `im2col::forward` with the product on a given ISA instead of `Isa::get()`.
fn conv_im2col_with(
    isa: Isa,
    d: ConvDims,
    (x, w, b): (&[f32], &[f32], &[f32]),
    col: &mut Vec<f32>,
    y: &mut [f32],
) {
    im2col::im2col(d, x, col);
    let n = d.columns();
    let dims = Dims {
        m: d.c_out,
        k: d.taps(),
        n,
    };
    nn_with(isa, dims, 1.0, w, col, 0.0, y);
    for (row, &bias) in y.chunks_exact_mut(n).zip(b) {
        row.iter_mut().for_each(|v| *v += bias);
    }
}

/// W4: convolution forward, 32 images 3×32×32 (layout `C·H·W` rows of 32 samples), 16
/// filters 3×3, pad 1.
fn w4_conv(c: &mut Criterion) {
    let d = W4_CONV;
    let x = seeded_vec(d.c_in * d.h * d.w * d.m, 5);
    let w = seeded_vec(d.c_out * d.taps(), 6);
    let b = seeded_vec(d.c_out, 7);
    let mut y = vec![0f32; d.c_out * d.oh * d.ow * d.m];
    let (mut col, mut scratch) = (Vec::new(), ConvScratch::default());
    let mut g = c.benchmark_group("W4 conv fwd 32x3x32x32 16f3p1");
    g.throughput(Throughput::Elements(conv_flops(d)));
    for isa in Isa::available() {
        g.bench_function(
            format!("conv2d::forward_with {} (direct)", isa.name()),
            |bench| {
                bench.iter(|| {
                    conv2d::forward_with(isa, d, black_box(&x), &w, &b, &mut scratch, &mut y)
                });
            },
        );
    }
    for isa in Isa::available() {
        g.bench_function(format!("im2col + nn_with {}", isa.name()), |bench| {
            bench.iter(|| conv_im2col_with(isa, d, (black_box(&x), &w, &b), &mut col, &mut y));
        });
    }
    g.bench_function("conv2d::forward_reference (direct, scalar)", |bench| {
        bench.iter(|| conv_reference(d, black_box(&x), &w, &b, &mut y));
    });
    g.finish();
}

/// W4 backward on the same sizes: `dW`, `db` and `dX` from `dY` (twice the forward's
/// multiply-adds), the direct kernels of every ISA beside im2col + GEMM (the previous path,
/// its `col` filled by its own forward) and the scalar reference.
fn w4_conv_backward(c: &mut Criterion) {
    let d = W4_CONV;
    let (x, w) = (
        seeded_vec(d.c_in * d.h * d.w * d.m, 5),
        seeded_vec(d.c_out * d.taps(), 6),
    );
    let (b, dy) = (
        seeded_vec(d.c_out, 7),
        seeded_vec(d.c_out * d.oh * d.ow * d.m, 9),
    );
    let (mut y, mut dw, mut db, mut dx) = (
        vec![0f32; dy.len()],
        vec![0f32; w.len()],
        vec![0f32; d.c_out],
        vec![0f32; x.len()],
    );
    let alpha = 1.0 / d.m as f32;
    let mut g = c.benchmark_group("W4b conv bwd 32x3x32x32 16f3p1");
    g.throughput(Throughput::Elements(2 * conv_flops(d)));
    for isa in Isa::available() {
        let mut s = ConvScratch::default();
        conv2d::forward_with(isa, d, &x, &w, &b, &mut s, &mut y);
        g.bench_function(
            format!("conv2d::backward_with {} (direct)", isa.name()),
            |bench| {
                bench.iter(|| {
                    let grads = (&mut dw[..], &mut db[..]);
                    conv2d::backward_with(
                        isa,
                        d,
                        alpha,
                        &x,
                        &w,
                        black_box(&dy),
                        grads,
                        Some(&mut dx),
                        &mut s,
                    )
                });
            },
        );
    }
    let (mut col, mut dcol) = (Vec::new(), Vec::new());
    im2col::forward(d, &x, &w, &b, &mut col, &mut y);
    g.bench_function(
        format!(
            "im2col::backward (previous, dispatched: {})",
            Isa::get().name()
        ),
        |bench| {
            bench.iter(|| {
                let dx = Some((&mut dx[..], &mut dcol));
                im2col::backward(d, alpha, &w, &col, black_box(&dy), &mut dw, &mut db, dx)
            });
        },
    );
    g.bench_function("conv2d::backward_reference (direct, scalar)", |bench| {
        bench.iter(|| {
            conv2d::backward_reference(
                d,
                alpha,
                &x,
                &w,
                black_box(&dy),
                &mut dw,
                &mut db,
                Some(&mut dx),
            )
        });
    });
    g.finish();
}

/// W5: 2×2/2 max pooling of 32 maps 16×32×32, with the argmax positions backward needs
/// (training) and without them (inference).
fn w5_maxpool(c: &mut Criterion) {
    let d = W5_POOL;
    let x = seeded_vec(d.c * d.h * d.w * d.m, 8);
    let out_len = d.c * d.oh * d.ow * d.m;
    let (mut y, mut arg) = (vec![0f32; out_len], vec![0u32; out_len]);
    let mut g = c.benchmark_group("W5 maxpool 2x2 32x16x32x32");
    g.throughput(Throughput::Bytes(pool_input_bytes(d)));
    for isa in Isa::available() {
        g.bench_function(
            format!("max_forward_with {} (argmax)", isa.name()),
            |bench| {
                bench.iter(|| max_forward_with(isa, d, black_box(&x), &mut y, Some(&mut arg)));
            },
        );
    }
    let best = Isa::best();
    g.bench_function(
        format!("max_forward_with {} (no argmax)", best.name()),
        |bench| {
            bench.iter(|| max_forward_with(best, d, black_box(&x), &mut y, None));
        },
    );
    for isa in Isa::available() {
        g.bench_function(
            format!("max_forward_autovec {} (previous)", isa.name()),
            |bench| {
                bench.iter(|| max_forward_autovec(isa, d, black_box(&x), &mut y, &mut arg));
            },
        );
    }
    g.bench_function("max_forward_reference (scalar)", |bench| {
        bench.iter(|| max_forward_reference(d, black_box(&x[..]), &mut y, &mut arg));
    });
    g.finish();
}

/// W5 backward and average pooling on the same sizes: max backward (`dX` from `dY` and the
/// argmax), average forward and backward, each beside its scalar reference (the previous
/// layer code). Throughput counts the bytes of the input (forward) or of `dX` (backward).
fn w5_pool_others(c: &mut Criterion) {
    let d = W5_POOL;
    let (n_in, n_out) = (d.c * d.h * d.w * d.m, d.c * d.oh * d.ow * d.m);
    let (x, dy) = (seeded_vec(n_in, 8), seeded_vec(n_out, 9));
    let (mut y, mut arg, mut dx) = (vec![0f32; n_out], vec![0u32; n_out], vec![0f32; n_in]);
    max_forward_with(Isa::best(), d, &x, &mut y, Some(&mut arg));
    let mut g = c.benchmark_group("W5b maxpool backward 2x2 32x16x32x32");
    g.throughput(Throughput::Bytes(pool_input_bytes(d)));
    for isa in Isa::available() {
        g.bench_function(format!("max_backward_with {}", isa.name()), |bench| {
            bench.iter(|| max_backward_with(isa, d, black_box(&dy), &arg, &mut dx));
        });
    }
    g.bench_function("max_backward_reference (scalar)", |bench| {
        bench.iter(|| max_backward_reference(d, 0.0, black_box(&dy[..]), &arg, &mut dx));
    });
    g.finish();

    let mut g = c.benchmark_group("W5avg avgpool 2x2 32x16x32x32");
    g.throughput(Throughput::Bytes(pool_input_bytes(d)));
    for isa in Isa::available() {
        g.bench_function(format!("avg_forward_with {}", isa.name()), |bench| {
            bench.iter(|| avg_forward_with(isa, d, black_box(&x), &mut y));
        });
    }
    g.bench_function("avg_forward_reference (scalar)", |bench| {
        bench.iter(|| avg_forward_reference(d, 0.25, black_box(&x[..]), &mut y));
    });
    for isa in Isa::available() {
        g.bench_function(format!("avg_backward_with {}", isa.name()), |bench| {
            bench.iter(|| avg_backward_with(isa, d, black_box(&dy), &mut dx));
        });
    }
    g.bench_function("avg_backward_reference (scalar)", |bench| {
        bench.iter(|| avg_backward_reference(d, 0.25, black_box(&dy[..]), &mut dx));
    });
    g.finish();
}

criterion_group!(
    benches,
    w1_eltwise,
    w1_update,
    w3_dense,
    w3_nt,
    w3_tn,
    w3s_matmul,
    w4_conv,
    w4_conv_backward,
    w5_maxpool,
    w5_pool_others
);
criterion_main!(benches);
