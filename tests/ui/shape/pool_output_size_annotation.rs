// Hand-written code (no derive): 2×2 max pooling with stride 2 halves 28×28 to 14×14, so an
// output annotated 13×13 is rejected. Reported at `cargo build`.
use constnn::prelude::*;

fn main() {
    let x = Images::<6, 28, 28>::zeros(1);
    let _y: Images<6, 13, 13> = MaxPool2d::<2>.predict(&x);
}
