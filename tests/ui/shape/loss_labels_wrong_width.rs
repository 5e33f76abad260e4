// Rule broken: a loss compares predictions and labels of the same shape. Ten-class logits
// need one-hot labels `Batch<10>`, not class indices in a `Batch<1>`.
use constnn::prelude::*;

fn main() {
    let logits = Batch::<10>::zeros(32);
    let labels = Batch::<1>::zeros(32); // class indices 0..9, not one-hot
    let _j = SoftmaxCrossEntropy.cost(&logits, &labels);
}
