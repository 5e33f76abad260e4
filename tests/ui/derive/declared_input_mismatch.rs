// The declared input has 5 features; the first dense layer takes 4.
use constnn::prelude::*;

#[derive(Network)]
#[network(input = 5)]
struct Net {
    r0: Relu,
    d1: Dense<4, 3>,
}

fn main() {}
