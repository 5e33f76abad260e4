// A dense layer takes features, not images: `flat: Flatten` is missing.
use constnn::prelude::*;

#[derive(Network)]
#[network(input = (1, 28, 28))]
struct Net {
    c1: Conv2d<1, 4, 5>,
    p1: MaxPool2d<4>,
    d1: Dense<144, 10>,
}

fn main() {}
