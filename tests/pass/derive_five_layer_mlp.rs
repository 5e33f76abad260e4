// A 5-layer network from one derive line; it runs on a batch of 64, a partial batch of 37
// and a single sample, and prints its summary.
use constnn::prelude::*;
use rand::{SeedableRng, rngs::StdRng};

#[derive(Network)]
struct Deep {
    d1: Dense<784, 256>,
    r1: Relu,
    d2: Dense<256, 128>,
    r2: Relu,
    d3: Dense<128, 64>,
    r3: LeakyRelu,
    d4: Dense<64, 32>,
    r4: Tanh,
    out: Dense<32, 10>,
}

fn main() {
    let mut rng = StdRng::seed_from_u64(0);
    let net = Deep {
        d1: Dense::new(Init::He, &mut rng),
        r1: Relu,
        d2: Dense::new(Init::He, &mut rng),
        r2: Relu,
        d3: Dense::new(Init::He, &mut rng),
        r3: LeakyRelu::default(),
        d4: Dense::new(Init::Xavier, &mut rng),
        r4: Tanh,
        out: Dense::new(Init::Xavier, &mut rng),
    };
    for m in [64, 37, 1] {
        let z: Batch<10> = net.predict(&Batch::<784>::zeros(m));
        assert_eq!(z.batch_size(), m);
    }
    println!("{}", net.summary());
}
