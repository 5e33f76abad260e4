// After flattening 16×5×5 = 400 features, a Dense<300, 120> cannot follow.
use constnn::prelude::*;

#[derive(Network)]
#[network(input = (1, 28, 28))]
struct LeNet5 {
    c1: Conv2d<1, 6, 5, 1, 2>,
    r1: Relu,
    p1: MaxPool2d<2>,
    c2: Conv2d<6, 16, 5>,
    r2: Relu,
    p2: MaxPool2d<2>,
    flat: Flatten,
    d1: Dense<300, 120>,
    r3: Relu,
    out: Dense<120, 10>,
}

fn main() {}
