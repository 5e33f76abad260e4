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
//! let net = LeNet5::new(1);
//! let x = Images::<1, 28, 28>::zeros(2); // two blank images
//! let z: Batch<10> = net.predict(&x);
//! assert_eq!(z.batch_size(), 2);
//! assert_eq!(net.num_params(), 61_706);
//! ```

use crate::prelude::*;

/// LeNet-5 (LeCun et al. 1998) with ReLU and max pooling, as in the course:
/// CONV(6@5×5, pad 2) → ReLU → MAXPOOL(2) → CONV(16@5×5) → ReLU → MAXPOOL(2) → FLATTEN(400)
/// → FC120 → ReLU → FC84 → ReLU → FC10 (logits; train with
/// [`SoftmaxCrossEntropy`]).
///
/// The intermediate sizes 6×28×28, 6×14×14, 16×10×10, 16×5×5 and 400 are computed by the
/// derive at compile time. Tensor names in checkpoints: `c1.weight`, `c1.bias`, `c2.*`,
/// `d1.*`, `d2.*`, `out.*`. `LeNet5::new(seed)` (written by the derive) draws He
/// initialization for the ReLU layers and Glorot for the output head.
#[derive(Network, Clone)]
#[network(input = (1, 28, 28), init = he)]
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
    #[layer(init = glorot)]
    pub out: Dense<84, 10>,
}

impl LeNet5 {
    /// A new output head, Glorot-initialized from `seed`, keeping every other layer: the
    /// first step of transfer learning.
    pub fn reset_head(&mut self, seed: u64) {
        self.out = Dense::new(Init::Glorot, &mut StdRng::seed_from_u64(seed));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_draws_the_layers_in_field_order_he_then_glorot_for_the_head() {
        // The constructor written by `#[network(init = he)]` with `#[layer(init = glorot)]` on
        // `out`: the same draws, in the same order, as building the layers by hand.
        let mut rng = StdRng::seed_from_u64(5);
        let c1: Conv2d<1, 6, 5, 1, 2> = Conv2d::new(Init::He, &mut rng);
        let c2: Conv2d<6, 16, 5> = Conv2d::new(Init::He, &mut rng);
        let d1: Dense<400, 120> = Dense::new(Init::He, &mut rng);
        let d2: Dense<120, 84> = Dense::new(Init::He, &mut rng);
        let out: Dense<84, 10> = Dense::new(Init::Glorot, &mut rng);
        let net = LeNet5::new(5);
        assert_eq!((net.c1.w, net.c2.w), (c1.w, c2.w));
        assert_eq!((net.d1.w, net.d2.w, net.out.w), (d1.w, d2.w, out.w));
        assert!(net.out.b.as_slice().iter().all(|&b| b == 0.0));
    }
}
