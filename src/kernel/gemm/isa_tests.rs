//! Every ISA variant against the scalar reference on seeded random shapes, ragged ones
//! included (batch 37, widths that are not multiples of 16), with β = 0 and β = 1.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

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

const SHAPES: [(usize, usize, usize); 10] = [
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
];

#[test]
fn every_isa_matches_the_reference_on_all_three_shapes() {
    let mut rng = StdRng::seed_from_u64(11);
    for isa in Isa::available() {
        for &(m, k, n) in &SHAPES {
            let d = Dims { m, k, n };
            let (a, b, c0) = (
                random(&mut rng, m * k),
                random(&mut rng, k * n),
                random(&mut rng, m * n),
            );
            let bt = random(&mut rng, n * k);
            let at = random(&mut rng, k * m);
            for beta in [0.0, 1.0] {
                let (mut want, mut got) = (c0.clone(), c0.clone());
                nn_reference(d, 0.5, &a, &b, beta, &mut want);
                nn_with(isa, d, 0.5, &a, &b, beta, &mut got);
                assert!(close(&got, &want, k), "nn {isa:?} {m}×{k}×{n} β={beta}");

                let (mut want, mut got) = (c0.clone(), c0.clone());
                nt_reference(d, 0.5, &a, &bt, beta, &mut want);
                nt_with(isa, d, 0.5, &a, &bt, beta, &mut got);
                assert!(close(&got, &want, k), "nt {isa:?} {m}×{k}×{n} β={beta}");

                let (mut want, mut got) = (c0.clone(), c0.clone());
                tn_reference(d, 0.5, &at, &b, beta, &mut want);
                tn_with(isa, d, 0.5, &at, &b, beta, &mut got);
                assert!(close(&got, &want, k), "tn {isa:?} {m}×{k}×{n} β={beta}");
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
