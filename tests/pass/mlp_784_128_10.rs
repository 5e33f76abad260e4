// An MLP 784 → 128 (ReLU) → 10 accepts any batch size: a full batch of 64, the last partial
// batch of 37 and a single sample all use the same types, only `m` changes at run time.
use constnn::prelude::*;
use rand::{SeedableRng, rngs::StdRng};

fn forward(d1: &mut Dense<784, 128>, d2: &mut Dense<128, 10>, x: &Batch<784>) -> Batch<10> {
    let z1: Batch<128> = d1.predict(x); // 128 × m
    let a1: Batch<128> = Relu.predict(&z1); // 128 × m
    d2.predict(&a1) // 10 × m
}

fn main() {
    let mut rng = StdRng::seed_from_u64(0);
    let mut d1: Dense<784, 128> = Dense::new(Init::He, &mut rng);
    let mut d2: Dense<128, 10> = Dense::new(Init::Xavier, &mut rng);
    for m in [64, 37, 1] {
        let x = Batch::<784>::zeros(m); // 784 × m
        let z2: Batch<10> = forward(&mut d1, &mut d2, &x); // 10 × m
        assert_eq!(z2.batch_size(), m);
        let y = Batch::<10>::zeros(m); // one-hot labels, 10 × m
        let j: f32 = SoftmaxCrossEntropy.cost(&z2, &y);
        assert!(j.is_finite());
    }
}
