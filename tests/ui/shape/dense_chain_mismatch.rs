// Rule broken: in a chain of dense layers n[l-1] of layer l must equal n[l] of layer l-1.
// The hidden layer outputs 128 features, the output layer was declared with 64 inputs.
use constnn::prelude::*;
use rand::{SeedableRng, rngs::StdRng};

fn main() {
    let mut rng = StdRng::seed_from_u64(0);
    let mut hidden: Dense<784, 128> = Dense::new(Init::He, &mut rng);
    let mut out: Dense<64, 10> = Dense::new(Init::Xavier, &mut rng);
    let x = Batch::<784>::zeros(64);
    let a1 = Relu.predict(&hidden.predict(&x)); // Batch<128>
    let _z2 = out.predict(&a1);
}
