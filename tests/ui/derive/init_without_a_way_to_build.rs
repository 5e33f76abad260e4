// `#[network(init = he)]` builds every layer from the initialization; dropout needs a keep
// probability, so its field must say how to build it.
use constnn::prelude::*;

#[derive(Network)]
#[network(init = he)]
struct Net {
    d1: Dense<4, 3>,
    drop: Dropout,
    out: Dense<3, 1>,
}

fn main() {
    let _ = Net::new(0);
}
