//! Kernel benchmarks (DESIGN.md §4): W3 (dense 128×784 · 784×64) and W3s (16×16 matmul).
//!
//! `cargo bench --bench kernels`; criterion reports the time per call and, from
//! `Throughput::Elements(flops)`, FLOP/s. Each group keeps the scalar reference beside the
//! dispatched kernel so the medians read side by side. Nothing here asserts on time.

mod common;

use std::hint::black_box;

use common::{W3_DENSE, W3S_MATMUL, gemm_flops, seeded_vec};
use constnn::kernel::gemm::{nn_reference, nn_with};
use constnn::kernel::isa::Isa;
use constnn::tensor::Matrix;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// W3: `C ← A·B` with A 128×784, B 784×64, as in a dense forward `W[l]·A[l-1]` on a batch of 64.
fn w3_dense(c: &mut Criterion) {
    let d = W3_DENSE;
    let a = seeded_vec(d.m * d.k, 1);
    let b = seeded_vec(d.k * d.n, 2);
    let mut out = vec![0f32; d.m * d.n];
    let mut g = c.benchmark_group("W3 dense 128x784x64");
    g.throughput(Throughput::Elements(gemm_flops(d)));
    for isa in Isa::available() {
        g.bench_function(format!("nn_with {}", isa.name()), |bench| {
            bench.iter(|| nn_with(isa, d, 1.0, black_box(&a), black_box(&b), 0.0, &mut out));
        });
    }
    g.bench_function("nn_reference (scalar)", |bench| {
        bench.iter(|| nn_reference(d, 1.0f32, black_box(&a), black_box(&b), 0.0, &mut out));
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

criterion_group!(benches, w3_dense, w3s_matmul);
criterion_main!(benches);
