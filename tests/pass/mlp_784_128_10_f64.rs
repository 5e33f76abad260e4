// The same MLP 784 → 128 (tanh) → 10 in f64 (the element type used for gradient checks),
// trained one step with explicit buffers: forward, loss gradient, backward, SGD.
use constnn::prelude::*;
use rand::{SeedableRng, rngs::StdRng};

fn main() {
    let mut rng = StdRng::seed_from_u64(1);
    let mut d1: Dense<784, 128, f64> = Dense::new(Init::Xavier, &mut rng);
    let mut g1 = Tanh;
    let mut d2: Dense<128, 10, f64> = Dense::new(Init::Xavier, &mut rng);
    let mut opt = Sgd::new(0.1).unwrap();
    for m in [64, 37, 1] {
        let x = Batch::<784, f64>::from_fn(m, |i, j| ((i + j) % 7) as f64 / 7.0); // 784 × m
        let y = Batch::<10, f64>::from_fn(m, |i, j| f64::from(u8::from(i == j % 10))); // 10 × m

        let (mut z1, mut a1, mut z2) = (
            Batch::<128, f64>::default(), // 128 × m
            Batch::<128, f64>::default(), // 128 × m
            Batch::<10, f64>::default(),  // 10 × m
        );
        d1.forward(&x, &mut z1, &mut ()).unwrap();
        g1.forward(&z1, &mut a1, &mut ()).unwrap();
        d2.forward(&a1, &mut z2, &mut ()).unwrap();

        let mut dz2 = Batch::<10, f64>::default(); // 10 × m
        let j = SoftmaxCrossEntropy.cost_and_grad(&z2, &y, &mut dz2);
        assert!(j.is_finite());
        let (mut da1, mut dz1) = (Batch::<128, f64>::default(), Batch::<128, f64>::default());
        d2.backward(&a1, &z2, &mut (), &dz2, Some(&mut da1));
        g1.backward(&z1, &a1, &mut (), &da1, Some(&mut dz1));
        d1.backward(&x, &z1, &mut (), &dz1, None);
        opt.step(&mut d1);
        opt.step(&mut d2);
        assert_eq!(z2.batch_size(), m);
    }
}
