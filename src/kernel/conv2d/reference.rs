//! The scalar reference: every output (and every gradient term) summed straight from the
//! formulas of [`super`], with the padding skipped tap by tap. Slow and obviously right; the
//! fast kernels are tested against it.

use super::ConvDims;
use crate::kernel::gemm::Element;

/// `y ← conv(x, w) + b` (reference).
pub fn forward_reference<T: Element>(d: ConvDims, x: &[T], w: &[T], b: &[T], y: &mut [T]) {
    d.check(x, w, y);
    let m = d.m;
    for o in 0..d.c_out {
        for oy in 0..d.oh {
            for ox in 0..d.ow {
                let out = &mut y[((o * d.oh + oy) * d.ow + ox) * m..][..m];
                out.fill(b[o]);
                for c in 0..d.c_in {
                    for u in 0..d.f {
                        let Some(iy) = d.source(oy, u, d.h) else {
                            continue;
                        };
                        for v in 0..d.f {
                            let Some(ix) = d.source(ox, v, d.w) else {
                                continue;
                            };
                            let k = w[((o * d.c_in + c) * d.f + u) * d.f + v];
                            let inp = &x[((c * d.h + iy) * d.w + ix) * m..][..m];
                            for (a, &xv) in out.iter_mut().zip(inp) {
                                *a = *a + k * xv;
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `dw ← α·Σ dY ⊗ X`, `db ← α·Σ dY`, and `dx ← Wᵀ ⋆ dY` when given (reference).
#[allow(clippy::too_many_arguments)] // the BLAS-style contract: sizes, inputs, outputs
pub fn backward_reference<T: Element>(
    d: ConvDims,
    alpha: T,
    x: &[T],
    w: &[T],
    dy: &[T],
    dw: &mut [T],
    db: &mut [T],
    mut dx: Option<&mut [T]>,
) {
    d.check(x, w, dy);
    let m = d.m;
    dw.fill(T::ZERO);
    if let Some(dx) = dx.as_deref_mut() {
        assert_eq!(dx.len(), x.len(), "conv2d: input-gradient length");
        dx.fill(T::ZERO);
    }
    for o in 0..d.c_out {
        let mut bias = T::ZERO;
        for oy in 0..d.oh {
            for ox in 0..d.ow {
                let g = &dy[((o * d.oh + oy) * d.ow + ox) * m..][..m];
                bias = g.iter().fold(bias, |s, &v| s + v);
                for c in 0..d.c_in {
                    for u in 0..d.f {
                        let Some(iy) = d.source(oy, u, d.h) else {
                            continue;
                        };
                        for v in 0..d.f {
                            let Some(ix) = d.source(ox, v, d.w) else {
                                continue;
                            };
                            let wi = ((o * d.c_in + c) * d.f + u) * d.f + v;
                            let xi = ((c * d.h + iy) * d.w + ix) * m;
                            let dot = g
                                .iter()
                                .zip(&x[xi..xi + m])
                                .fold(T::ZERO, |s, (&a, &b)| s + a * b);
                            dw[wi] = dw[wi] + dot;
                            if let Some(dx) = dx.as_deref_mut() {
                                let k = w[wi];
                                for (t, &gv) in dx[xi..xi + m].iter_mut().zip(g) {
                                    *t = *t + k * gv;
                                }
                            }
                        }
                    }
                }
            }
        }
        db[o] = alpha * bias;
    }
    dw.iter_mut().for_each(|v| *v = alpha * *v);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_channel_stride_2_padding_1_matches_hand_computation() {
        // X: 2 channels of 3×3, one sample. Channel 0 = 1..9 row-major, channel 1 = all 1.
        // One 3×3×2 filter: channel 0 has a 1 at the centre, channel 1 has a 1 at (0, 0). b = 10.
        // Stride 2, padding 1 → output 2×2 (⌊(3 + 2 − 3)/2⌋ + 1 = 2), output (y, x) reads the
        // window centred on input (2y, 2x):
        //   (0, 0): centre X0[0,0] = 1, X1[−1,−1] = pad 0 → 1 + 0 + 10 = 11
        //   (0, 1): X0[0,2] = 3, X1[−1,1] = 0 → 13;   (1, 0): X0[2,0] = 7, X1[1,−1] = 0 → 17
        //   (1, 1): X0[2,2] = 9, X1[1,1] = 1 → 20
        let mut x: Vec<f64> = (1..=9).map(f64::from).collect();
        x.extend([1.0; 9]);
        let mut w = vec![0.0; 18];
        w[4] = 1.0; // channel 0, centre
        w[9] = 1.0; // channel 1, (0, 0)
        let d = ConvDims {
            c_in: 2,
            h: 3,
            w: 3,
            c_out: 1,
            oh: 2,
            ow: 2,
            f: 3,
            s: 2,
            p: 1,
            m: 1,
        };
        let mut y = vec![f64::NAN; 4];
        forward_reference(d, &x, &w, &[10.0], &mut y);
        assert_eq!(y, [11.0, 13.0, 17.0, 20.0]);
    }

    #[test]
    fn backward_matches_hand_computation() {
        // 1 channel 2×2 input [[1, 2], [3, 4]], one 2×2 filter [[1, 0], [0, −1]], no padding:
        // a single output, so dW = α·dY·X, db = α·dY, dX = dY·W. With dY = 2, α = ½:
        // dW = [[1, 2], [3, 4]], db = 1, dX = [[2, 0], [0, −2]].
        let d = ConvDims {
            c_in: 1,
            h: 2,
            w: 2,
            c_out: 1,
            oh: 1,
            ow: 1,
            f: 2,
            s: 1,
            p: 0,
            m: 1,
        };
        let (x, w) = ([1.0, 2.0, 3.0, 4.0], [1.0, 0.0, 0.0, -1.0]);
        let (mut dw, mut db, mut dx) = ([0.0; 4], [0.0], [9.0; 4]);
        backward_reference(d, 0.5, &x, &w, &[2.0], &mut dw, &mut db, Some(&mut dx));
        assert_eq!(
            (dw, db, dx),
            ([1.0, 2.0, 3.0, 4.0], [1.0], [2.0, 0.0, 0.0, -2.0])
        );
    }
}
