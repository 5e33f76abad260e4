// A layer of one's own with a shape rule but no `Params` impl: named on the field.
use constnn::prelude::*;
use constnn::shape::{Describe, Rule};

/// A learned gain per feature (its parameter walk forgotten).
struct Gain<const N: usize> {
    g: Vector<N>,
}

impl<const N: usize> Describe for Gain<N> {
    const RULE: Rule = Rule::SAME;
}

#[derive(Network)]
struct Net {
    d1: Dense<4, 3>,
    scale: Gain<3>,
}

fn main() {}
