// `#[network(...)]` knows only `input`.
use constnn::prelude::*;

#[derive(Network)]
#[network(optimizer = "adam")]
struct Mlp {
    d1: Dense<4, 3>,
    r1: Relu,
}

fn main() {}
