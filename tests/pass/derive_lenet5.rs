// LeNet-5 from one derive line: every intermediate size is computed at compile time, and the
// network runs on a batch of 64, a partial batch of 37 and a single image.
use constnn::prelude::*;
use rand::{SeedableRng, rngs::StdRng};

#[derive(Network)]
#[network(input = (1, 28, 28))]
struct LeNet5 {
    c1: Conv2d<1, 6, 5, 1, 2>,
    r1: Relu,
    p1: MaxPool2d<2>,
    c2: Conv2d<6, 16, 5>,
    r2: Relu,
    p2: MaxPool2d<2>,
    flat: Flatten,
    d1: Dense<400, 120>,
    r3: Relu,
    d2: Dense<120, 84>,
    r4: Relu,
    out: Dense<84, 10>,
}

fn main() {
    let mut rng = StdRng::seed_from_u64(0);
    let net = LeNet5 {
        c1: Conv2d::new(Init::He, &mut rng),
        r1: Relu,
        p1: MaxPool2d,
        c2: Conv2d::new(Init::He, &mut rng),
        r2: Relu,
        p2: MaxPool2d,
        flat: Flatten,
        d1: Dense::new(Init::He, &mut rng),
        r3: Relu,
        d2: Dense::new(Init::He, &mut rng),
        r4: Relu,
        out: Dense::new(Init::Xavier, &mut rng),
    };
    for m in [64, 37, 1] {
        let z = net.predict(&Images::<1, 28, 28>::zeros(m));
        let z: &Batch<10> = &z;
        assert_eq!(z.batch_size(), m);
    }
    println!("{}", net.summary());
}
