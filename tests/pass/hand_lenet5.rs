// LeNet-5 written by hand, without the derive and without one type annotation: the compiler
// computes 6×28×28, 6×14×14, 16×10×10, 16×5×5 and 400 from the layers' types, and the chain
// trains (forward, backward, an optimizer step) and infers through `&self`.
use constnn::prelude::*;

fn main() {
    let mut rng = StdRng::seed_from_u64(0);
    let mut c1: Conv2d<1, 6, 5, 1, 2> = Conv2d::new(Init::He, &mut rng);
    let c2: Conv2d<6, 16, 5> = Conv2d::new(Init::He, &mut rng);
    let d1: Dense<400, 120> = Dense::new(Init::He, &mut rng);
    let d2: Dense<120, 84> = Dense::new(Init::He, &mut rng);
    let out: Dense<84, 10> = Dense::new(Init::Glorot, &mut rng);
    let (p, r) = (MaxPool2d::<2>, Relu);

    let x = Images::<1, 28, 28>::zeros(3);
    let a = p.predict(&r.predict(&c1.predict(&x)));
    let a = p.predict(&r.predict(&c2.predict(&a)));
    let a = Flatten.predict(&a);
    let a = r.predict(&d1.predict(&a));
    let a = r.predict(&d2.predict(&a));
    let z = out.predict(&a);
    assert_eq!(z.batch_size(), 3);
    let _: Batch<10> = z;

    // Training a layer by hand: the buffers' types are inferred from the layer too.
    let (mut y, mut cache) = Default::default();
    c1.forward(&x, &mut y, &mut cache).expect("a convolution trains on any batch");
    let dy = y.clone();
    let mut dx = Default::default();
    c1.backward(&x, &y, &mut cache, &dy, Some(&mut dx));
    let _: &Images<1, 28, 28> = &dx;
}
