// Rule broken: Z[l] = W[l]·A[l-1] needs W[l] of shape n[l] × n[l-1] and A[l-1] of shape
// n[l-1] × m. Here W[2] is 4 × 3 (it expects n[1] = 3 features) but a[1] has 5 features.
use constnn::tensor::{Batch, Matrix};

fn main() {
    let w2 = Matrix::<4, 3>::zeros(); // W[2]: n[2] = 4, n[1] = 3
    let a1 = Batch::<5>::zeros(8); // a[1]: 5 features × m = 8
    let _z2 = w2.matmul_batch(&a1);
}
