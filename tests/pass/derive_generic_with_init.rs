// A network generic over its element type with a default, built by the derive's constructor:
// per-field initializations, a layer built by an expression, and a summary of concrete types.
use constnn::prelude::*;

#[derive(Network, Clone)]
#[network(init = he)]
struct Mlp<T: Scalar = f32> {
    d1: Dense<13, 16, T>,
    r1: Relu,
    #[layer(with = Dropout::fixed_mask(0.8, 3).expect("0.8 is in (0, 1]"))]
    drop: Dropout,
    #[layer(init = glorot)]
    out: Dense<16, 3, T>,
}

fn main() {
    let net: Mlp = Mlp::new(7);
    let again: Mlp = Mlp::new(7);
    assert_eq!(net.values_to_vec(), again.values_to_vec(), "seeded");
    let wide = Mlp::<f64>::new(7);
    let s = wide.summary();
    assert_eq!(s.rows[0].ty, "Dense<13, 16, f64>");
    assert_eq!(net.summary().rows[3].ty, "Dense<16, 3>");
    let copy = net.clone();
    let x = Batch::<13>::zeros(2);
    assert_eq!(copy.predict(&x), net.predict(&x));
}
