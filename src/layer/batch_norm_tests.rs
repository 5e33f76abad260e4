use super::*;
use crate::gradcheck;
use crate::layer::{Dense, ParamCount, ParamKind, ParamRef};
use rand::SeedableRng;

/// Feature 0: z = (1, 2, 3, 6), μ = 3, z − μ = (−2, −1, 0, 3), σ² = 14/4 = 3.5.
/// Feature 1: z = (6, 7, 2, 5), μ = 5, z − μ = (1, 2, −3, 0),  σ² = 14/4 = 3.5.
/// ε = 0.5 makes √(σ² + ε) = 2 for both, so every value below is exact in binary.
fn batch_2x4() -> Batch<2, f64> {
    Batch::from_rows(4, &[&[1., 2., 3., 6.], &[6., 7., 2., 5.]])
}

fn bn_2() -> BatchNorm<2, f64> {
    BatchNorm {
        gamma: Vector::from_rows([[2.], [-1.]]),
        beta: Vector::from_rows([[1.], [0.5]]),
        eps: 0.5,
        ..BatchNorm::new()
    }
}

type B2 = Batch<2, f64>;

fn train(bn: &mut BatchNorm<2, f64>, z: &B2) -> (B2, BatchNormCache<2, f64>) {
    let (mut y, mut c) = (Batch::default(), BatchNormCache::default());
    bn.forward(z, &mut y, &mut c).unwrap();
    (y, c)
}

#[test]
fn forward_matches_hand_computed_2x4() {
    // ẑ₀ = (−2, −1, 0, 3)/2 = (−1, −0.5, 0, 1.5); z̃₀ = 2·ẑ₀ + 1 = (−1, 0, 1, 4).
    // ẑ₁ = (1, 2, −3, 0)/2 = (0.5, 1, −1.5, 0);   z̃₁ = −ẑ₁ + 0.5 = (0, −0.5, 2, 0.5).
    let mut bn = bn_2();
    let (y, c) = train(&mut bn, &batch_2x4());
    assert_eq!(y.as_slice(), &[-1., 0., 1., 4., 0., -0.5, 2., 0.5]);
    assert_eq!(c.z_hat.as_slice(), &[-1., -0.5, 0., 1.5, 0.5, 1., -1.5, 0.]);
    assert_eq!(c.inv_std.as_slice(), &[0.5, 0.5]);
    // running = 0.9·(0, 1) + 0.1·(μ, σ²): mean (0.3, 0.5), variance 0.9 + 0.35 = 1.25.
    for (i, mu) in [0.3, 0.5].into_iter().enumerate() {
        assert!((bn.running_mean[(i, 0)] - mu).abs() < 1e-15);
        assert!((bn.running_var[(i, 0)] - 1.25).abs() < 1e-15);
    }
}

#[test]
fn backward_matches_hand_derivation() {
    // Feature 0, dz̃ = (1, 0, 0, 0): dβ = 1/4, dγ = (1/4)·(−1) = −1/4,
    //   dz = (γ/2)·(dz̃ − 1/4 + ẑ/4) = (1 − ½, −¼ − ⅛, −¼, −¼ + ⅜) = (½, −⅜, −¼, ⅛).
    // Feature 1, dz̃ = (1, 2, −3, 0) = 2·ẑ₁: dβ = 0, dγ = (2/4)·Σẑ₁² = ½·3.5 = 1.75,
    //   dz = (−1/2)·(2ẑ₁ − 1.75·ẑ₁) = −ẑ₁/8 = (−1/16, −1/8, 3/16, 0).
    let mut bn = bn_2();
    let z = batch_2x4();
    let (y, mut c) = train(&mut bn, &z);
    let dy = Batch::from_rows(4, &[&[1., 0., 0., 0.], &[1., 2., -3., 0.]]);
    let mut dz = Batch::default();
    bn.backward(&z, &y, &mut c, &dy, Some(&mut dz));
    assert_eq!(bn.dbeta.as_slice(), &[0.25, 0.]);
    assert_eq!(bn.dgamma.as_slice(), &[-0.25, 1.75]);
    let want = [0.5, -0.375, -0.25, 0.125, -0.0625, -0.125, 0.1875, 0.];
    assert_eq!(dz.as_slice(), &want);
}

#[test]
fn inference_uses_the_running_statistics() {
    // Five training forwards on the same batch (μ = (3, 5), σ² = 3.5): with momentum 0.9,
    // running mean = (1 − 0.9⁵)·μ and running variance = 0.9⁵·1 + (1 − 0.9⁵)·3.5.
    let mut bn = bn_2();
    let z = batch_2x4();
    let train_out = (0..5).map(|_| train(&mut bn, &z).0).last().unwrap();
    let w = 1.0 - 0.9f64.powi(5);
    let expected_var = 0.9f64.powi(5) + 3.5 * w;
    for (i, mu) in [3.0, 5.0].into_iter().enumerate() {
        assert!((bn.running_mean[(i, 0)] - mu * w).abs() < 1e-12);
        assert!((bn.running_var[(i, 0)] - expected_var).abs() < 1e-12);
    }
    let before = bn.running_mean.clone();
    let eval_out = bn.predict(&z);
    assert!(
        bn.running_mean == before,
        "inference leaves the running statistics alone"
    );
    assert_ne!(eval_out, train_out);
    for i in 0..2 {
        let (g, b) = (bn.gamma[(i, 0)], bn.beta[(i, 0)]);
        let (mu, var) = (bn.running_mean[(i, 0)], bn.running_var[(i, 0)]);
        for j in 0..4 {
            let want = g * (z.get(i, j) - mu) / (var + 0.5).sqrt() + b;
            assert!((eval_out.get(i, j) - want).abs() < 1e-12);
        }
    }
}

#[test]
fn backward_passes_gradcheck() {
    let mut bn = BatchNorm::<3, f64> {
        gamma: Vector::from_rows([[1.5], [-0.7], [0.3]]),
        beta: Vector::from_rows([[0.1], [0.2], [-0.3]]),
        ..BatchNorm::new()
    };
    let x = Batch::<3, f64>::from_fn(6, |i, j| ((i * 5 + j * 7) % 11) as f64 / 4.0 - 1.2);
    let report = gradcheck::check_layer(&mut bn, &x, 1e-6, 13).unwrap();
    assert_eq!(report.num_params, 6);
    assert!(report.max_error() < 1e-7, "{report}");
}

#[test]
fn dense_bias_gets_zero_gradient_through_batch_norm() {
    #[derive(crate::Network)]
    struct DenseBn(Dense<3, 4, f64>, BatchNorm<4, f64>);
    let dense = Dense::new(Init::He, &mut StdRng::seed_from_u64(2));
    let mut net = DenseBn(dense, BatchNorm::new());
    let x = Batch::<3, f64>::from_fn(5, |i, j| ((i * 3 + j * 5) % 7) as f64 / 3.0 - 1.0);
    let report = gradcheck::check_layer(&mut net, &x, 1e-6, 21).unwrap();
    assert!(report.max_error() < 1e-7, "{report}");
    // check_layer left the gradients of its random dz̃ in place: db = 0 up to rounding,
    // while dW is not.
    assert!(net.0.db.as_slice().iter().all(|g| g.abs() < 1e-14));
    assert!(net.0.dw.as_slice().iter().any(|g| g.abs() > 1e-3));
}

#[test]
#[should_panic(expected = "BatchNorm got a mini-batch of 1 sample")]
fn one_sample_training_batch_is_refused() {
    // m = 1: σ² = 0, so ẑ = 0 and z̃ = β whatever z; before, this trained silently (dz = 0,
    // running variance → 0). Eval mode uses the running statistics and is fine.
    let mut bn = bn_2();
    let z = Batch::<2, f64>::from_columns(&[[3., -4.]]);
    assert_eq!(bn.predict(&z).batch_size(), 1);
    let _ = train(&mut bn, &z);
}

#[test]
fn params_are_gamma_and_beta() {
    use ParamKind::Other;
    let bn = BatchNorm::<5>::new();
    assert_eq!(bn.num_params(), 10);
    let mut names = vec![];
    bn.visit_ref(&mut |p: ParamRef<'_, f32>| names.push((p.name, p.kind)));
    assert_eq!(names, [("gamma", Other), ("beta", Other)]);
}
