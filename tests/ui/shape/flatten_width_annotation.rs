// Hand-written code (no derive): flattening 16×5×5 gives 400 features, not 300.
use constnn::prelude::*;

fn main() {
    let x = Images::<16, 5, 5>::zeros(2);
    let _flat: Batch<300> = Flatten.predict(&x);
}
