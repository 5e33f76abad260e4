// The second pooling sees 6×2×2 images: a 3×3 window does not fit.
use constnn::prelude::*;

#[derive(Network)]
#[network(input = (1, 8, 8))]
struct Net {
    c1: Conv2d<1, 6, 3, 1, 1>,
    p1: MaxPool2d<4>,
    p2: AvgPool2d<3>,
}

fn main() {}
