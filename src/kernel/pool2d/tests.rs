//! Every ISA's pooling (and f64's) against the reference loops, on seeded random shapes with
//! ragged batches, overlapping and gapped windows, and ties.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::*;

fn dims(c: usize, h: usize, w: usize, f: usize, s: usize, m: usize) -> PoolDims {
    PoolDims {
        c,
        h,
        w,
        oh: (h - f) / s + 1,
        ow: (w - f) / s + 1,
        f,
        s,
        m,
    }
}

/// Small integers, so most windows hold ties and the argmax must pick the first one.
fn values(n: usize, rng: &mut StdRng) -> Vec<f32> {
    (0..n).map(|_| rng.random_range(-4..5) as f32).collect()
}

/// `|a − b| ≤ 1e-6·(1 + |b|)` everywhere (NaN fails).
fn assert_close(a: &[f32], b: &[f32], what: &str) {
    assert_eq!(a.len(), b.len(), "{what}");
    if let Some(i) = a.iter().zip(b).position(|(p, q)| {
        let e = (p - q).abs();
        e.is_nan() || e > 1e-6 * (1.0 + q.abs())
    }) {
        panic!("{what}: index {i}: {} vs {}", a[i], b[i]);
    }
}

fn check_shape(d: PoolDims, seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let (n_in, n_out) = (d.c * d.h * d.w * d.m, d.c * d.oh * d.ow * d.m);
    let (x, dy) = (values(n_in, &mut rng), values(n_out, &mut rng));
    let inv = 1.0 / (d.f * d.f) as f32;
    let (mut y0, mut a0, mut dx0) = (vec![0.0; n_out], vec![0; n_out], vec![0.0; n_in]);
    max_forward_reference(d, &x, &mut y0, &mut a0);
    max_backward_reference(d, 0.0, &dy, &a0, &mut dx0);
    let (mut v0, mut dv0) = (vec![0.0; n_out], vec![0.0; n_in]);
    avg_forward_reference(d, inv, &x, &mut v0);
    avg_backward_reference(d, inv, &dy, &mut dv0);
    for isa in Isa::available() {
        let what = |k: &str| format!("{isa:?} {k} on {d:?}");
        let (mut y, mut a, mut dx) = (vec![f32::NAN; n_out], vec![7; n_out], vec![f32::NAN; n_in]);
        max_forward_with(isa, d, &x, &mut y, Some(&mut a));
        assert_eq!(a, a0, "{}", what("argmax"));
        assert_close(&y, &y0, &what("max"));
        y.fill(f32::NAN);
        max_forward_with(isa, d, &x, &mut y, None);
        assert_close(&y, &y0, &what("max without argmax"));
        max_backward_with(isa, d, &dy, &a0, &mut dx);
        assert_close(&dx, &dx0, &what("max backward"));
        let (mut v, mut dv) = (vec![f32::NAN; n_out], vec![f32::NAN; n_in]);
        avg_forward_with(isa, d, &x, &mut v);
        assert_close(&v, &v0, &what("avg"));
        avg_backward_with(isa, d, &dy, &mut dv);
        assert_close(&dv, &dv0, &what("avg backward"));
    }
    // f64 through the trait: the same kernels on one lane.
    let wide = |v: &[f32]| v.iter().map(|&v| f64::from(v)).collect::<Vec<f64>>();
    let (x64, dy64) = (wide(&x), wide(&dy));
    let (mut y, mut a, mut dx) = (vec![f64::NAN; n_out], vec![7; n_out], vec![f64::NAN; n_in]);
    f64::max_pool_forward(d, &x64, &mut y, Some(&mut a));
    f64::max_pool_backward(d, &dy64, &a, &mut dx);
    assert_eq!((y, a, dx), (wide(&y0), a0, wide(&dx0)), "f64 max on {d:?}");
    let (mut v, mut dv) = (vec![f64::NAN; n_out], vec![f64::NAN; n_in]);
    f64::avg_pool_forward(d, &x64, &mut v);
    f64::avg_pool_backward(d, &dy64, &mut dv);
    let near = |p: &[f64], q: &[f32]| {
        p.iter()
            .zip(q)
            .all(|(p, &q)| (p - f64::from(q)).abs() < 1e-6)
    };
    assert!(near(&v, &v0) && near(&dv, &dv0), "f64 avg on {d:?}");
}

#[test]
fn every_isa_pools_like_the_reference_on_edge_shapes() {
    for (i, d) in [
        dims(3, 6, 5, 2, 2, 37),    // ragged batch, odd width: column 4 has no window
        dims(2, 7, 7, 3, 2, 16),    // overlapping windows
        dims(2, 7, 8, 2, 3, 19),    // gaps between windows
        dims(1, 4, 4, 3, 1, 1),     // one sample, overlapping
        dims(16, 32, 32, 2, 2, 32), // W5: two threads
        dims(5, 9, 9, 2, 2, 40),    // an odd channel count cut in two
        dims(2, 3, 3, 1, 1, 9),     // 1×1 windows
    ]
    .into_iter()
    .enumerate()
    {
        check_shape(d, i as u64);
    }
}

#[test]
fn every_isa_pools_like_the_reference_on_random_shapes() {
    let mut rng = StdRng::seed_from_u64(11);
    for seed in 0..24 {
        let (f, s) = (rng.random_range(1..=4), rng.random_range(1..=3));
        let (h, w) = (rng.random_range(f..f + 9), rng.random_range(f..f + 9));
        let (c, m) = (rng.random_range(1..=5), rng.random_range(1..=70));
        check_shape(dims(c, h, w, f, s, m), 50 + seed);
    }
}

#[test]
fn the_previous_kernel_matches_the_reference() {
    let d = dims(3, 6, 5, 2, 2, 37);
    let x = values(3 * 30 * 37, &mut StdRng::seed_from_u64(5));
    let (mut y0, mut a0) = (vec![0.0; 3 * 6 * 37], vec![0; 3 * 6 * 37]);
    max_forward_reference(d, &x, &mut y0, &mut a0);
    for isa in Isa::available() {
        let (mut y, mut a) = (vec![0.0; y0.len()], vec![0; a0.len()]);
        max_forward_autovec(isa, d, &x, &mut y, &mut a);
        assert_eq!((&y, &a), (&y0, &a0), "{isa:?}");
    }
}

#[test]
fn small_batches_pool_like_the_reference_on_every_path() {
    // m = 1…17: below 8 (AVX2) or 16 (AVX-512) samples max pooling without the argmax runs
    // by rows; LeNet's two poolings, overlapping and gapped windows, and the window path.
    for m in 1..=17 {
        for (i, d) in [
            dims(6, 28, 28, 2, 2, m),
            dims(16, 10, 10, 2, 2, m),
            dims(2, 7, 7, 3, 2, m),
            dims(2, 7, 8, 2, 3, m),
        ]
        .into_iter()
        .enumerate()
        {
            check_shape(d, 500 + 10 * m as u64 + i as u64);
            let x = values(d.c * d.h * d.w * m, &mut StdRng::seed_from_u64(m as u64));
            let n_out = d.c * d.oh * d.ow * m;
            let mut y0 = vec![0.0; n_out];
            max_forward_reference(d, &x, &mut y0, &mut vec![0; n_out]);
            for isa in Isa::available() {
                let mut y = vec![f32::NAN; y0.len()];
                max_forward_windows_with(isa, d, &x, &mut y, None);
                assert_close(&y, &y0, &format!("windows {isa:?} {d:?}"));
            }
        }
    }
}
