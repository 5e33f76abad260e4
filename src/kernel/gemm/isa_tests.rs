//! Every ISA variant against the scalar reference on seeded random shapes, ragged ones
//! included (batch 37, widths 7/13/31/77/130 that are not multiples of 16), with β = 0 and
//! β = 1, under every way of sharing a product between two threads and both packing orders of
//! `nt`.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::dispatch::nt_ordered;
use super::packed::Order;
use super::*;
use crate::kernel::isa::Isa;

fn random(rng: &mut StdRng, n: usize) -> Vec<f32> {
    (0..n).map(|_| rng.random_range(-1.0f32..1.0)).collect()
}

/// Relative closeness allowing for FMA rounding: |x − y| ≤ 1e-5·(1 + |y|)·√k.
fn close(got: &[f32], want: &[f32], k: usize) -> bool {
    let tol = 1e-5 * (k as f32).sqrt().max(1.0);
    got.iter()
        .zip(want)
        .all(|(&x, &y)| (x - y).abs() <= tol * (1.0 + y.abs()))
}

const SHAPES: [(usize, usize, usize); 16] = [
    (1, 1, 1),
    (4, 3, 64),
    (5, 7, 37),
    (16, 16, 16),
    (10, 128, 64),
    (13, 31, 77),
    (128, 784, 64),
    (3, 65, 130),
    (9, 17, 200),
    (6, 25, 1000),
    (37, 7, 13),
    (31, 300, 37),
    (128, 37, 784),
    (16, 333, 150),
    (6, 1100, 25),
    (7, 0, 13),
];

const SPLITS: [Split; 4] = [Split::None, Split::Rows, Split::Cols, Split::Inner];

/// One product kernel with its split given, and its scalar reference.
type Kernel = fn(Isa, Split, Dims, f32, &[f32], &[f32], f32, &mut [f32]);
type Reference = fn(Dims, f32, &[f32], &[f32], f32, &mut [f32]);
/// A dispatched entry point (`*_with`).
type With = fn(Isa, Dims, f32, &[f32], &[f32], f32, &mut [f32]);

const KERNELS: [(&str, Kernel, Reference); 5] = [
    ("nn", nn_split, nn_reference),
    ("tn", tn_split, tn_reference),
    ("nt", nt_split, nt_reference),
    // `nt` with its packing order forced, so both orders run on every shape.
    (
        "nt direct",
        |isa, s, d, al, a, b, be, c| nt_ordered(isa, s, Order::Direct, d, (al, be), (a, b), c),
        nt_reference,
    ),
    (
        "nt transposed",
        |isa, s, d, al, a, b, be, c| nt_ordered(isa, s, Order::Transposed, d, (al, be), (a, b), c),
        nt_reference,
    ),
];

#[test]
fn every_isa_and_split_matches_the_reference_on_all_three_shapes() {
    let mut rng = StdRng::seed_from_u64(11);
    for &(m, k, n) in &SHAPES {
        let d = Dims { m, k, n };
        // Operands sized for every kernel: A and B hold m·k and k·n values in each layout.
        let (a, b, c0) = (
            random(&mut rng, m * k),
            random(&mut rng, k * n),
            random(&mut rng, m * n),
        );
        for isa in Isa::available() {
            for (name, kernel, reference) in KERNELS {
                for split in SPLITS {
                    for beta in [0.0, 1.0] {
                        let (mut want, mut got) = (c0.clone(), c0.clone());
                        reference(d, 0.5, &a, &b, beta, &mut want);
                        kernel(isa, split, d, 0.5, &a, &b, beta, &mut got);
                        assert!(
                            close(&got, &want, k),
                            "{name} {isa:?} {split:?} {m}×{k}×{n} β={beta}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn the_dispatched_entry_points_match_the_reference() {
    let mut rng = StdRng::seed_from_u64(12);
    // Large enough to split on two threads: rows (nn 128×784×64), columns (nn 16×150×6400,
    // nt 128×64×784), inner halves (nt 16×6400×150).
    for (m, k, n) in [
        (128, 784, 64),
        (16, 150, 6400),
        (128, 64, 784),
        (16, 6400, 150),
    ] {
        let d = Dims { m, k, n };
        let (a, b) = (random(&mut rng, m * k), random(&mut rng, k * n));
        for isa in Isa::available() {
            let with: [(&str, With, Reference); 3] = [
                ("nn", nn_with, nn_reference),
                ("nt", nt_with, nt_reference),
                ("tn", tn_with, tn_reference),
            ];
            for (name, kernel, reference) in with {
                let (mut want, mut got) = (vec![0.0; m * n], vec![f32::NAN; m * n]);
                reference(d, 1.0, &a, &b, 0.0, &mut want);
                kernel(isa, d, 1.0, &a, &b, 0.0, &mut got);
                assert!(close(&got, &want, k), "{name} {isa:?} {m}×{k}×{n}");
            }
        }
    }
}

#[test]
fn beta_zero_never_reads_c() {
    for isa in Isa::available() {
        let d = Dims { m: 5, k: 3, n: 70 };
        let (a, b) = (vec![1.0f32; 15], vec![2.0f32; 210]);
        let mut c = vec![f32::NAN; 350];
        nn_with(isa, d, 1.0, &a, &b, 0.0, &mut c);
        assert!(c.iter().all(|&v| v == 6.0), "{isa:?}");
    }
}

#[test]
fn small_batches_match_the_reference_on_every_isa() {
    // Batches m = 1…17 as the columns of C (a dense layer's W·A and Wᵀ·dZ), with k below,
    // at and above a multiple of 16 and longer than one packed panel (600 > 256), and row
    // counts that leave 1 to 3 rows after the blocks of 4. The previous edge path too.
    let mut rng = StdRng::seed_from_u64(13);
    for (m, k) in [(120, 400), (10, 84), (7, 16), (5, 600), (3, 1), (9, 37)] {
        for n in 1..=17 {
            let d = Dims { m, k, n };
            let (a, b, c0) = (
                random(&mut rng, m * k),
                random(&mut rng, k * n),
                random(&mut rng, m * n),
            );
            let with: [(&str, With, Reference); 3] = [
                ("nn", nn_with, nn_reference),
                ("nn previous", nn_previous_with, nn_reference),
                ("tn", tn_with, tn_reference),
            ];
            for isa in Isa::available() {
                for (name, kernel, reference) in with {
                    for beta in [0.0, 1.0] {
                        let (mut want, mut got) = (c0.clone(), c0.clone());
                        if beta == 0.0 {
                            got.fill(f32::NAN); // β = 0 must not read C
                        }
                        reference(d, 0.5, &a, &b, beta, &mut want);
                        kernel(isa, d, 0.5, &a, &b, beta, &mut got);
                        assert!(close(&got, &want, k), "{name} {isa:?} {m}×{k}×{n} β={beta}");
                    }
                }
            }
        }
    }
}
