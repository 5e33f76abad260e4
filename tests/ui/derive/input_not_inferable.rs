// The first layer (ReLU) accepts any shape, so the input must be declared.
use constnn::prelude::*;

#[derive(Network)]
struct Net {
    r0: Relu,
    d1: Dense<4, 3>,
}

fn main() {}
