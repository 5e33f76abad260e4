// A field that is not a layer.
use constnn::prelude::*;

#[derive(Network)]
struct Mlp {
    d1: Dense<4, 3>,
    note: String,
    d2: Dense<3, 1>,
}

fn main() {}
