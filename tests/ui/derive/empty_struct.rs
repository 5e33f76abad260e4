// A network with no layers.
use constnn::prelude::*;

#[derive(Network)]
struct Nothing {}

fn main() {
    let _ = Nothing {}.summary();
}
