// Hand-written: a 5×5 filter without padding does not fit a 4×4 image.
use constnn::prelude::*;

fn main() {
    let conv: Conv2d<3, 6, 5> = Conv2d::new(Init::He, &mut StdRng::seed_from_u64(0));
    let x = Images::<3, 4, 4>::zeros(1);
    let _z = conv.predict(&x);
}
