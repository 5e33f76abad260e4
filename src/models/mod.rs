//! Ready-made networks of the course, declared with `#[derive(Network)]` like any user network.
//!
//! [`LeNet5`] is the course-4 network for 28 × 28 grey images in ten classes (MNIST,
//! Fashion-MNIST). Its fields are public, so a program can read a layer (`net.c1.w`), replace
//! the output head, load some layers from a checkpoint
//! ([`checkpoint::load_layers`](crate::checkpoint::load_layers)) and freeze others
//! ([`optim::Frozen`](crate::optim::Frozen)): the moves of transfer learning (course 3).
//!
//! ```
//! use constnn::models::LeNet5;
//! use constnn::prelude::*;
//!
//! let mut net = LeNet5::new(1);
//! let x = Images::<1, 28, 28>::zeros(2); // two blank images
//! let z: Batch<10> = net.predict(&x);
//! assert_eq!(z.batch_size(), 2);
//! assert_eq!(net.num_params(), 61_706);
//! ```

use rand::{SeedableRng, rngs::StdRng};

use crate::prelude::*;

/// LeNet-5 (LeCun et al. 1998) with ReLU and max pooling, as in the course:
/// CONV(6@5×5, pad 2) → ReLU → MAXPOOL(2) → CONV(16@5×5) → ReLU → MAXPOOL(2) → FLATTEN(400)
/// → FC120 → ReLU → FC84 → ReLU → FC10 (logits; train with
/// [`SoftmaxCrossEntropy`]).
///
/// The intermediate sizes 6×28×28, 6×14×14, 16×10×10, 16×5×5 and 400 are computed by the
/// derive at compile time. Tensor names in checkpoints: `c1.weight`, `c1.bias`, `c2.*`,
/// `d1.*`, `d2.*`, `out.*`.
#[derive(Network)]
#[network(input = (1, 28, 28))]
pub struct LeNet5 {
    /// 6 filters 5×5, padding 2: 1×28×28 → 6×28×28.
    pub c1: Conv2d<1, 6, 5, 1, 2>,
    /// ReLU.
    pub r1: Relu,
    /// 2×2 max pooling: → 6×14×14.
    pub p1: MaxPool2d<2>,
    /// 16 filters 5×5: → 16×10×10.
    pub c2: Conv2d<6, 16, 5>,
    /// ReLU.
    pub r2: Relu,
    /// 2×2 max pooling: → 16×5×5.
    pub p2: MaxPool2d<2>,
    /// → 400 features.
    pub flat: Flatten,
    /// `W[1]`: 120 × 400.
    pub d1: Dense<400, 120>,
    /// ReLU.
    pub r3: Relu,
    /// `W[2]`: 84 × 120.
    pub d2: Dense<120, 84>,
    /// ReLU.
    pub r4: Relu,
    /// The output head, `W[3]`: 10 × 84 (logits).
    pub out: Dense<84, 10>,
}

impl LeNet5 {
    /// He initialization for the ReLU layers, Glorot for the output head, seeded.
    pub fn new(seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        Self {
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
            out: Dense::new(Init::Glorot, &mut rng),
        }
    }

    /// A new output head, Glorot-initialized from `seed`, keeping every other layer: the
    /// first step of transfer learning.
    pub fn reset_head(&mut self, seed: u64) {
        self.out = Dense::new(Init::Glorot, &mut StdRng::seed_from_u64(seed));
    }
}
