//! Inference one request at a time, without allocating: a borrowed network and the buffers of
//! one caller. Several threads share one trained network (`&net`, or an `Arc`), each with its
//! own `Predictor`.
//!
//! ```
//! use constnn::generic_array::GenericArray;
//! use constnn::models::LeNet5;
//! use constnn::prelude::*;
//! use constnn::tensor::Sample;
//!
//! let net = LeNet5::new(0);
//! let mut p = Predictor::<_, Images<1, 28, 28>>::new(&net);
//! let pixels = GenericArray::default(); // one blank 28 × 28 image: 784 values
//! let logits = p.sample(&pixels);       // 10 values, on the stack
//! assert_eq!(logits.len(), 10);
//! assert_eq!(logits.as_slice(), net.predict(&Images::zeros(1)).as_slice());
//! ```

use generic_array::GenericArray;

use super::Layer;
use crate::tensor::{Sample, Tensor};

/// `net` with reusable input, output and cache buffers; see the module doc.
pub struct Predictor<'a, L: Layer<X>, X: Tensor> {
    net: &'a L,
    x: X,
    y: L::Output,
    cache: L::Cache,
}

impl<'a, L: Layer<X>, X: Tensor> Predictor<'a, L, X> {
    /// Buffers for `net` (empty until the first call).
    pub fn new(net: &'a L) -> Self {
        Self {
            net,
            x: X::default(),
            y: L::Output::default(),
            cache: L::Cache::default(),
        }
    }

    /// The network's output on the batch `x` ([`Layer::infer`]), in a buffer kept for the next
    /// call.
    pub fn run(&mut self, x: &X) -> &L::Output {
        self.net.infer(x, &mut self.y, &mut self.cache);
        &self.y
    }

    /// The network's output on one sample: no heap allocation once a first sample has run.
    pub fn sample(
        &mut self,
        x: &GenericArray<X::Elem, X::Len>,
    ) -> GenericArray<X::Elem, <L::Output as Sample>::Len>
    where
        X: Sample,
        L::Output: Sample,
    {
        self.x.set_sample(x);
        self.net.infer(&self.x, &mut self.y, &mut self.cache);
        self.y.sample_array(0)
    }
}
