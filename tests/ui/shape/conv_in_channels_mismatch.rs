// `c2` takes 8-channel images but `p1` passes on the 6 channels of `c1`.
use constnn::prelude::*;

#[derive(Network)]
#[network(input = (1, 28, 28))]
struct Net {
    c1: Conv2d<1, 6, 5, 1, 2>,
    p1: MaxPool2d<2>,
    c2: Conv2d<8, 16, 5>,
}

fn main() {}
