//! Every path of [`forward_with`] and [`backward_with`] (each ISA, f64, im2col for stride 2)
//! against the reference loops, on fixed edge shapes and seeded random ones.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::*;

/// A shape with every field derived from `(c_in, h, w, c_out, f, s, p, m)`.
fn dims(
    (c_in, h, w, c_out): (usize, usize, usize, usize),
    (f, s, p, m): (usize, usize, usize, usize),
) -> ConvDims {
    ConvDims {
        c_in,
        h,
        w,
        c_out,
        oh: (h + 2 * p - f) / s + 1,
        ow: (w + 2 * p - f) / s + 1,
        f,
        s,
        p,
        m,
    }
}

fn values(n: usize, rng: &mut StdRng) -> Vec<f64> {
    (0..n).map(|_| rng.random_range(-1.0..1.0)).collect()
}

/// `|a − b| ≤ tol·(1 + |b|)` everywhere (NaN fails), else the first index that differs.
fn close<T: Into<f64> + Copy>(a: &[T], b: &[f64], tol: f64) -> Result<(), String> {
    assert_eq!(a.len(), b.len());
    match a.iter().zip(b).position(|(&p, &q)| {
        let e = (p.into() - q).abs();
        e.is_nan() || e > tol * (1.0 + q.abs())
    }) {
        None => Ok(()),
        Some(i) => Err(format!("index {i}: {} vs {}", a[i].into(), b[i])),
    }
}

/// The reference in f64 on `d`, then `run` for f32 on every ISA and for f64, compared.
fn check_shape(d: ConvDims, seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let x = values(d.c_in * d.h * d.w * d.m, &mut rng);
    let w = values(d.c_out * d.c_in * d.f * d.f, &mut rng);
    let b = values(d.c_out, &mut rng);
    let dy = values(d.c_out * d.oh * d.ow * d.m, &mut rng);
    let alpha = 1.0 / d.m as f64;
    let mut y0 = vec![0.0; dy.len()];
    forward_reference(d, &x, &w, &b, &mut y0);
    let (mut dw0, mut db0, mut dx0) = (vec![0.0; w.len()], vec![0.0; d.c_out], vec![0.0; x.len()]);
    backward_reference(d, alpha, &x, &w, &dy, &mut dw0, &mut db0, Some(&mut dx0));

    let f32s = |v: &[f64]| v.iter().map(|&v| v as f32).collect::<Vec<f32>>();
    let (x32, w32, b32, dy32) = (f32s(&x), f32s(&w), f32s(&b), f32s(&dy));
    for isa in Isa::available() {
        let mut s = ConvScratch::default();
        let (mut y, mut dw, mut db) = (
            vec![f32::NAN; y0.len()],
            vec![f32::NAN; w.len()],
            vec![f32::NAN; d.c_out],
        );
        let mut dx = vec![f32::NAN; x.len()];
        forward_with(isa, d, &x32, &w32, &b32, &mut s, &mut y);
        backward_with(
            isa,
            d,
            alpha as f32,
            &x32,
            &w32,
            &dy32,
            (&mut dw, &mut db),
            Some(&mut dx),
            &mut s,
        );
        for (what, got, want) in [
            ("y", &y, &y0),
            ("dW", &dw, &dw0),
            ("db", &db, &db0),
            ("dX", &dx, &dx0),
        ] {
            if let Err(e) = close(got, want, 1e-4) {
                panic!("{isa:?} {what} on {d:?}: {e}");
            }
        }
    }
    let mut s = ConvScratch::default();
    let (mut y, mut dw, mut db, mut dx) = (
        vec![f64::NAN; y0.len()],
        vec![f64::NAN; w.len()],
        vec![f64::NAN; d.c_out],
        vec![f64::NAN; x.len()],
    );
    forward(d, &x, &w, &b, &mut s, &mut y);
    backward(
        d,
        alpha,
        &x,
        &w,
        &dy,
        (&mut dw, &mut db),
        Some(&mut dx),
        &mut s,
    );
    for (what, got, want) in [
        ("y", &y, &y0),
        ("dW", &dw, &dw0),
        ("db", &db, &db0),
        ("dX", &dx, &dx0),
    ] {
        if let Err(e) = close(got, want, 1e-12) {
            panic!("f64 {what} on {d:?}: {e}");
        }
    }
}

#[test]
fn every_path_matches_the_reference_on_edge_shapes() {
    for (i, d) in [
        dims((3, 9, 11, 16), (3, 1, 1, 37)), // W4's filters, ragged batch and image
        dims((1, 12, 12, 6), (5, 1, 2, 64)), // LeNet c1's filters: blocks of 3 channels
        dims((6, 9, 7, 5), (5, 1, 0, 37)),   // a block of 4 and one of 1, no padding
        dims((2, 3, 3, 7), (3, 1, 2, 1)),    // rows of 5 values: narrower than a vector
        dims((4, 5, 6, 2), (1, 1, 0, 19)),   // 1×1 filters
        dims((2, 6, 5, 3), (2, 1, 1, 3)),    // an even filter with padding
        dims((3, 7, 6, 5), (3, 2, 1, 37)),   // stride 2: im2col
        dims((2, 5, 5, 3), (3, 1, 3, 2)),    // p = f: im2col
        dims((6, 14, 14, 16), (5, 1, 0, 40)), // LeNet c2, big enough for two threads
    ]
    .into_iter()
    .enumerate()
    {
        check_shape(d, i as u64);
    }
}

#[test]
fn every_path_matches_the_reference_on_random_shapes() {
    let mut rng = StdRng::seed_from_u64(7);
    for seed in 0..24 {
        let f = rng.random_range(1..=5);
        let (s, p) = (rng.random_range(1..=2), rng.random_range(0..f));
        let (h, w) = (rng.random_range(f..f + 9), rng.random_range(f..f + 9));
        let c = (rng.random_range(1..=6), rng.random_range(1..=9));
        check_shape(
            dims((c.0, h, w, c.1), (f, s, p, rng.random_range(1..=40))),
            100 + seed,
        );
    }
}

#[test]
fn a_reused_scratch_follows_the_batch_size() {
    // 64, then 37, then 64 samples through one scratch: the zero border must be rewritten
    // for each layout, and the result equal the reference each time.
    let mut rng = StdRng::seed_from_u64(3);
    let w: Vec<f32> = values(6 * 25, &mut rng).iter().map(|&v| v as f32).collect();
    let mut s = ConvScratch::default();
    for m in [64, 37, 64] {
        let d = dims((1, 10, 10, 6), (5, 1, 2, m));
        let x: Vec<f32> = values(100 * m, &mut rng)
            .iter()
            .map(|&v| v as f32)
            .collect();
        let (mut y, mut y0) = (vec![0.0; 6 * 100 * m], vec![0.0; 6 * 100 * m]);
        forward(d, &x, &w, &[0.5; 6], &mut s, &mut y);
        forward_reference(d, &x, &w, &[0.5; 6], &mut y0);
        let y0: Vec<f64> = y0.iter().map(|&v| f64::from(v)).collect();
        close(&y, &y0, 1e-5).unwrap_or_else(|e| panic!("batch {m}: {e}"));
    }
}

#[test]
fn small_batches_match_the_reference_on_every_path() {
    // m = 1…17 on LeNet's two convolutions and a 3×3 one with padding: rows of n_W·m values
    // shorter than a wide tile take the plane runs (forward and dX), the previous row tiles
    // are checked on the same shapes.
    for m in 1..=17 {
        for (i, d) in [
            dims((1, 28, 28, 6), (5, 1, 2, m)),
            dims((6, 14, 14, 16), (5, 1, 0, m)),
            dims((3, 7, 9, 5), (3, 1, 1, m)),
        ]
        .into_iter()
        .enumerate()
        {
            check_shape(d, 1000 + 10 * m as u64 + i as u64);
            let mut rng = StdRng::seed_from_u64(m as u64);
            let x = values(d.c_in * d.h * d.w * d.m, &mut rng);
            let w = values(d.c_out * d.c_in * d.f * d.f, &mut rng);
            let b = values(d.c_out, &mut rng);
            let mut want = vec![0.0; d.c_out * d.oh * d.ow * m];
            forward_reference(d, &x, &w, &b, &mut want);
            let f32s = |v: &[f64]| v.iter().map(|&v| v as f32).collect::<Vec<f32>>();
            for isa in Isa::available() {
                let mut y = vec![f32::NAN; want.len()];
                let mut s = ConvScratch::default();
                forward_rows_with(isa, d, &f32s(&x), &f32s(&w), &f32s(&b), &mut s, &mut y);
                close(&y, &want, 1e-4).unwrap_or_else(|e| panic!("rows {isa:?} {d:?}: {e}"));
            }
        }
    }
}
