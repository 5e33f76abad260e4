// f > n + 2p: a 7×7 filter without padding on a 4×4 image.
use constnn::prelude::*;

#[derive(Network)]
#[network(input = (3, 4, 4))]
struct Net {
    c1: Conv2d<3, 8, 7>,
    r1: Relu,
}

fn main() {}
