// A derived LeNet-5 whose second convolution expects 8 channels instead of 6: exactly one
// error, on that field. The layers after it are not reported (flatten still gives 400), and
// the program's uses of the network (`new`, `predict`, `summary`, training) add no error of
// their own.
use constnn::prelude::*;

#[derive(Network)]
#[network(input = (1, 28, 28), init = he)]
struct LeNet5 {
    c1: Conv2d<1, 6, 5, 1, 2>,
    r1: Relu,
    p1: MaxPool2d<2>,
    c2: Conv2d<8, 16, 5>,
    r2: Relu,
    p2: MaxPool2d<2>,
    flat: Flatten,
    d1: Dense<400, 120>,
    r3: Relu,
    d2: Dense<120, 84>,
    r4: Relu,
    out: Dense<84, 10>,
}

fn main() {
    let mut net = LeNet5::new(0);
    let x = Images::<1, 28, 28>::zeros(2);
    let z: Batch<10> = net.predict(&x);
    println!("{} {}", z.batch_size(), net.summary());
    let (mut y, mut cache) = Default::default();
    net.forward(&x, &mut y, &mut cache).unwrap();
}
