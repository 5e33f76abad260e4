// A derived network whose flatten would output 100 352 features: one error, on the field.
use constnn::prelude::*;

#[derive(Network)]
#[network(input = (512, 28, 28))]
struct Net {
    p1: MaxPool2d<2>,
    flat: Flatten,
    out: Dense<100352, 10>,
}

fn main() {}
