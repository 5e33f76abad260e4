// The derive needs a struct of layers in order; an enum has no order of layers.
use constnn::prelude::*;

#[derive(Network)]
enum Choice {
    Small(Dense<4, 2>),
    Large(Dense<4, 8>),
}

fn main() {}
