// `d2` expects 64 features but `r1` passes on the 128 that `d1` outputs.
use constnn::prelude::*;

#[derive(Network)]
struct Mlp {
    d1: Dense<784, 128>,
    r1: Relu,
    d2: Dense<64, 10>,
}

fn main() {}
