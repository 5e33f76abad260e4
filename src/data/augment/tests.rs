//! Tests of [`super`]: exact moves, identities, seeds, noise spread, buffer reuse.

use super::*;

fn still() -> Transform {
    Transform::default()
}

fn random_images<const C: usize, const H: usize, const W: usize>(
    m: usize,
    seed: u64,
) -> Images<C, H, W, f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    Images::from_fn(m, |_, _, _, _| rng.random::<f64>())
}

#[test]
fn a_shift_by_one_pixel_moves_a_known_pixel() {
    // One bright pixel at (1, 2) in both images; image 0 moves down 1 and left 1 → (2, 1);
    // image 1 stays. Everything else is 0, including what shifts in from outside.
    let x = Images::<1, 4, 5, f64>::from_fn(2, |_, h, w, _| f64::from(u8::from((h, w) == (1, 2))));
    let t = [
        Transform {
            dy: 1.0,
            dx: -1.0,
            degrees: 0.0,
        },
        still(),
    ];
    let mut y = Images::default();
    transform_into(&x, &t, &mut y);
    for (h, w) in (0..4).flat_map(|h| (0..5).map(move |w| (h, w))) {
        assert_eq!(
            y.get(0, h, w, 0),
            f64::from(u8::from((h, w) == (2, 1))),
            "({h}, {w})"
        );
        assert_eq!(y.get(0, h, w, 1), x.get(0, h, w, 1));
    }
}

#[test]
fn a_half_pixel_shift_averages_neighbours() {
    // Row 0 = 0, 2, 4, 6: moving right by ½ reads x − ½, so w = 1 gets (0 + 2)/2 = 1,
    // w = 3 gets (4 + 6)/2 = 5, and w = 0 gets ½·0 (outside) + ½·0 = 0.
    let x = Images::<1, 1, 4, f64>::from_fn(1, |_, _, w, _| 2.0 * w as f64);
    let mut y = Images::default();
    transform_into(
        &x,
        &[Transform {
            dy: 0.0,
            dx: 0.5,
            degrees: 0.0,
        }],
        &mut y,
    );
    assert_eq!(y.as_slice(), &[0.0, 1.0, 3.0, 5.0]);
}

#[test]
fn rotation_by_zero_is_the_identity() {
    let x = random_images::<2, 6, 7>(3, 1);
    let mut y = Images::default();
    transform_into(&x, &[still(); 3], &mut y);
    assert_eq!(y, x);
}

#[test]
fn rotation_by_90_degrees_is_a_transpose_then_a_vertical_flip() {
    // Counter-clockwise: out[h][w] = in[w][W − 1 − h] (numpy's rot90), for an odd and an
    // even side; cos 90° ≈ 6e-17 leaves only rounding-level blending.
    fn check<const N: usize>() {
        let x = random_images::<2, N, N>(2, N as u64);
        let mut y = Images::default();
        transform_into(
            &x,
            &[Transform {
                degrees: 90.0,
                ..still()
            }; 2],
            &mut y,
        );
        for (c, h, w, j) in (0..2).flat_map(|c| {
            (0..N).flat_map(move |h| (0..N).flat_map(move |w| (0..2).map(move |j| (c, h, w, j))))
        }) {
            let want = x.get(c, w, N - 1 - h, j);
            assert!(
                (y.get(c, h, w, j) - want).abs() < 1e-12,
                "N = {N} ({c}, {h}, {w}, {j})"
            );
        }
    }
    check::<5>();
    check::<4>();
}

#[test]
fn four_quarter_turns_come_back() {
    let x = random_images::<1, 6, 6>(1, 9);
    let (mut a, mut b) = (Images::default(), Images::default());
    let quarter = [Transform {
        degrees: 90.0,
        ..still()
    }];
    transform_into(&x, &quarter, &mut a);
    transform_into(&a, &quarter, &mut b);
    transform_into(&b, &quarter, &mut a);
    transform_into(&a, &quarter, &mut b);
    let err = x
        .as_slice()
        .iter()
        .zip(b.as_slice())
        .map(|(p, q)| (p - q).abs())
        .fold(0.0, f64::max);
    assert!(err < 1e-12, "{err}");
}

#[test]
fn the_same_seed_gives_the_same_images() {
    let x = random_images::<1, 8, 8>(16, 2);
    let cfg = AugmentConfig {
        max_shift: 2,
        max_degrees: 20.0,
        noise: 0.1,
    };
    let run = |seed| {
        let mut aug = Augmenter::new(cfg, seed).unwrap();
        let mut y = Images::default();
        aug.apply_into(&x, &mut y);
        y
    };
    assert_eq!(run(5), run(5));
    assert_ne!(run(5), run(6));
}

#[test]
fn draws_stay_in_range_and_cover_every_shift() {
    let x = random_images::<1, 4, 4>(500, 3);
    let cfg = AugmentConfig {
        max_shift: 2,
        max_degrees: 15.0,
        noise: 0.0,
    };
    let mut aug = Augmenter::new(cfg, 11).unwrap();
    let mut y = Images::default();
    aug.apply_into(&x, &mut y);
    let t = aug.transforms();
    assert_eq!(t.len(), 500);
    assert!(t.iter().all(|t| t.degrees.abs() <= 15.0));
    for s in -2..=2 {
        assert!(
            t.iter().any(|t| t.dy == f64::from(s)) && t.iter().any(|t| t.dx == f64::from(s)),
            "shift {s}"
        );
    }
    assert!(t.iter().all(|t| t.dy.abs() <= 2.0 && t.dx.abs() <= 2.0));
    // Without noise, each image is exactly its own transform applied to the source.
    let mut z = Images::default();
    transform_into(&x, t, &mut z);
    assert_eq!(y, z);
}

#[test]
fn noise_has_the_requested_spread() {
    // 100 000 draws of σ = 0.3 on a constant image: mean 0.5 and std 0.3 within 1 %.
    let mut x = Images::<1, 10, 10, f64>::from_fn(1000, |_, _, _, _| 0.5);
    add_noise(&mut x, 0.3, &mut StdRng::seed_from_u64(4));
    let n = x.as_slice().len() as f64;
    let mean = x.as_slice().iter().sum::<f64>() / n;
    let sd = (x.as_slice().iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
    assert!((mean - 0.5).abs() < 0.003, "mean {mean}");
    assert!((sd - 0.3).abs() < 0.003, "sd {sd}");
}

#[test]
fn the_destination_allocation_is_reused() {
    let x = random_images::<1, 8, 8>(32, 5);
    let mut aug = Augmenter::new(AugmentConfig::default(), 1).unwrap();
    let mut y = Images::default();
    aug.apply_into(&x, &mut y);
    let ptr = y.as_slice().as_ptr();
    aug.apply_into(&x, &mut y);
    assert_eq!(y.as_slice().as_ptr(), ptr);
}

#[test]
fn bad_ranges_are_data_errors() {
    let cfg = AugmentConfig {
        noise: -1.0,
        ..AugmentConfig::default()
    };
    let e = Augmenter::new(cfg, 0).unwrap_err();
    assert_eq!(
        e.to_string(),
        "augmentation: noise = -1, expected a finite number ≥ 0"
    );
    let cfg = AugmentConfig {
        max_degrees: f64::NAN,
        ..AugmentConfig::default()
    };
    assert!(Augmenter::new(cfg, 0).is_err());
}
