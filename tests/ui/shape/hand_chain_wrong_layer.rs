// LeNet-5 written by hand (tests/pass/hand_lenet5.rs) with a wrong second convolution: it
// was declared for 8 input channels, the first one outputs 6. Reported at `cargo check`, on
// this line.
use constnn::prelude::*;

fn main() {
    let mut rng = StdRng::seed_from_u64(0);
    let c1: Conv2d<1, 6, 5, 1, 2> = Conv2d::new(Init::He, &mut rng);
    let c2: Conv2d<8, 16, 5> = Conv2d::new(Init::He, &mut rng);
    let d1: Dense<400, 10> = Dense::new(Init::He, &mut rng);
    let (p, r) = (MaxPool2d::<2>, Relu);

    let x = Images::<1, 28, 28>::zeros(3);
    let a = p.predict(&r.predict(&c1.predict(&x)));
    let a = p.predict(&r.predict(&c2.predict(&a)));
    let _z = d1.predict(&Flatten.predict(&a));
}
