// Hand-written: 512×14×14 flattens to 100 352 features, beyond the 32 767 that constnn
// computes in types; the message says so and what to do instead.
use constnn::prelude::*;

fn main() {
    let x = Images::<512, 14, 14>::zeros(1);
    let _flat = Flatten.predict(&x);
}
