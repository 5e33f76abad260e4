// Hand-written: flattening 16×5×5 gives 400 features, the dense layer after it was declared
// with 300 inputs.
use constnn::prelude::*;

fn main() {
    let d1: Dense<300, 120> = Dense::new(Init::He, &mut StdRng::seed_from_u64(0));
    let a = Images::<16, 5, 5>::zeros(2);
    let _z = d1.predict(&Flatten.predict(&a));
}
