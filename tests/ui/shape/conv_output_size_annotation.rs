// Hand-written code (no derive): the annotated output of a 5×5 convolution on 28×28 with
// padding 2 must be 28×28 (⌊(28 + 4 − 5)/1⌋ + 1), not 24×24: the compiler computes the
// output type and reports the annotation at `cargo check`, on this line.
use constnn::prelude::*;

fn main() {
    let conv: Conv2d<1, 6, 5, 1, 2> = Conv2d::from_params(vec![0.0; 150], vec![0.0; 6]).unwrap();
    let x = Images::<1, 28, 28>::zeros(1);
    let _y: Images<6, 24, 24> = conv.predict(&x);
}
