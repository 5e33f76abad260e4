// Rule broken: a product A·B needs the columns of A to equal the rows of B.
// A is 2 × 3 and B is 4 × 1, so 3 ≠ 4.
use constnn::tensor::Matrix;

fn main() {
    let a = Matrix::<2, 3>::zeros();
    let b = Matrix::<4, 1>::zeros();
    let _c = a.matmul(&b);
}
