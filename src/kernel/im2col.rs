//! Convolution as one matrix product (im2col): every filter tap `(c, u, v)` becomes a row of a
//! `K × N` matrix `col` (`K = C_in·f²`, `N = n_H·n_W·m`) holding, for each output position and
//! sample, the input value that tap reads (0 in the padding). Then
//!
//! * forward `Y = W·col + b` (`C_out × K` by `K × N`, one `gemm_nn`; `Y`'s columns are
//!   exactly the output layout, position-major with the batch innermost),
//! * `dW = α·dY·colᵀ` (`gemm_nt`), `db = α·Σ dY`,
//! * `dcol = Wᵀ·dY` (`gemm_tn`) scattered back by `col2im` into `dX`.
//!
//! Each row segment copied is `m` samples long, so the copies are as wide as the batch. The
//! products run on the SIMD kernels of [`gemm`](super::gemm) for f32.

use super::conv2d::ConvDims;
use super::gemm::{Dims, Element, Gemm};

impl ConvDims {
    /// `K = C_in·f²`, the rows of `col`.
    pub fn taps(&self) -> usize {
        self.c_in * self.f * self.f
    }

    /// `N = n_H·n_W·m`, the columns of `col`.
    pub fn columns(&self) -> usize {
        self.oh * self.ow * self.m
    }
}

/// `col ←` the `K × N` tap matrix of `x` (resized as needed).
pub fn im2col<T: Element>(d: ConvDims, x: &[T], col: &mut Vec<T>) {
    let (m, n) = (d.m, d.columns());
    col.resize(d.taps() * n, T::ZERO);
    for c in 0..d.c_in {
        for u in 0..d.f {
            for v in 0..d.f {
                let row = &mut col[((c * d.f + u) * d.f + v) * n..][..n];
                for oy in 0..d.oh {
                    let iy = d.source(oy, u, d.h);
                    for ox in 0..d.ow {
                        let dst = &mut row[(oy * d.ow + ox) * m..][..m];
                        match (iy, d.source(ox, v, d.w)) {
                            (Some(iy), Some(ix)) => {
                                dst.copy_from_slice(&x[((c * d.h + iy) * d.w + ix) * m..][..m])
                            }
                            _ => dst.fill(T::ZERO),
                        }
                    }
                }
            }
        }
    }
}

/// `dx ← 0`, then every row segment of `dcol` is added back where `im2col` took it from.
pub fn col2im<T: Element>(d: ConvDims, dcol: &[T], dx: &mut [T]) {
    let (m, n) = (d.m, d.columns());
    dx.fill(T::ZERO);
    for c in 0..d.c_in {
        for u in 0..d.f {
            for v in 0..d.f {
                let row = &dcol[((c * d.f + u) * d.f + v) * n..][..n];
                for oy in 0..d.oh {
                    let Some(iy) = d.source(oy, u, d.h) else {
                        continue;
                    };
                    for ox in 0..d.ow {
                        let Some(ix) = d.source(ox, v, d.w) else {
                            continue;
                        };
                        let dst = &mut dx[((c * d.h + iy) * d.w + ix) * m..][..m];
                        for (t, &g) in dst.iter_mut().zip(&row[(oy * d.ow + ox) * m..][..m]) {
                            *t = *t + g;
                        }
                    }
                }
            }
        }
    }
}

/// `y ← W·col + b`, filling `col` from `x` first.
pub fn forward<T: Element + Gemm>(
    d: ConvDims,
    x: &[T],
    w: &[T],
    b: &[T],
    col: &mut Vec<T>,
    y: &mut [T],
) {
    im2col(d, x, col);
    let n = d.columns();
    T::gemm_nn(
        Dims {
            m: d.c_out,
            k: d.taps(),
            n,
        },
        T::ONE,
        w,
        col,
        T::ZERO,
        y,
    );
    for (row, &bias) in y.chunks_exact_mut(n.max(1)).zip(b) {
        row.iter_mut().for_each(|v| *v = *v + bias);
    }
}

/// `dw ← α·dY·colᵀ`, `db ← α·Σ dY`, and when `dx` is given `dx ← col2im(Wᵀ·dY)` using
/// `dcol` as scratch. `col` must be the one `forward` filled for this batch.
#[allow(clippy::too_many_arguments)] // the BLAS-style contract: sizes, inputs, outputs, scratch
pub fn backward<T: Element + Gemm>(
    d: ConvDims,
    alpha: T,
    w: &[T],
    col: &[T],
    dy: &[T],
    dw: &mut [T],
    db: &mut [T],
    dx: Option<(&mut [T], &mut Vec<T>)>,
) {
    let (k, n) = (d.taps(), d.columns());
    T::gemm_nt(
        Dims {
            m: d.c_out,
            k: n,
            n: k,
        },
        alpha,
        dy,
        col,
        T::ZERO,
        dw,
    );
    for (g, row) in db.iter_mut().zip(dy.chunks_exact(n.max(1))) {
        *g = alpha * row.iter().fold(T::ZERO, |s, &v| s + v);
    }
    if let Some((dx, dcol)) = dx {
        dcol.resize(k * n, T::ZERO);
        T::gemm_tn(
            Dims {
                m: k,
                k: d.c_out,
                n,
            },
            T::ONE,
            w,
            dy,
            T::ZERO,
            dcol,
        );
        col2im(d, dcol, dx);
    }
}

#[cfg(test)]
mod tests {
    use super::super::conv2d::{backward_reference, forward_reference};
    use super::*;

    fn values(n: usize, seed: usize) -> Vec<f32> {
        (0..n)
            .map(|i| ((i * 7919 + seed * 104_729) % 1000) as f32 / 500.0 - 1.0)
            .collect()
    }

    #[test]
    fn matches_the_direct_convolution_forward_and_backward() {
        // Ragged sizes: 3 channels of 7×6, 5 filters of 3×3, stride 2, padding 1, batch 37.
        let d = ConvDims {
            c_in: 3,
            h: 7,
            w: 6,
            c_out: 5,
            oh: 4,
            ow: 3,
            f: 3,
            s: 2,
            p: 1,
            m: 37,
        };
        let (x, w, b) = (values(3 * 42 * 37, 1), values(5 * 27, 2), values(5, 3));
        let dy = values(5 * 12 * 37, 4);
        let (mut y0, mut y1, mut col) = (vec![0.0; dy.len()], vec![0.0; dy.len()], Vec::new());
        forward_reference(d, &x, &w, &b, &mut y0);
        forward(d, &x, &w, &b, &mut col, &mut y1);
        let close = |a: &[f32], b: &[f32]| {
            a.iter()
                .zip(b)
                .all(|(p, q)| (p - q).abs() < 1e-4 * (1.0 + q.abs()))
        };
        assert!(close(&y1, &y0));

        let (mut dw0, mut db0, mut dx0) = (vec![0.0; w.len()], vec![0.0; 5], vec![0.0; x.len()]);
        backward_reference(d, 0.5, &x, &w, &dy, &mut dw0, &mut db0, Some(&mut dx0));
        let (mut dw1, mut db1, mut dx1, mut dcol) = (
            vec![0.0; w.len()],
            vec![0.0; 5],
            vec![9.0; x.len()],
            Vec::new(),
        );
        backward(
            d,
            0.5,
            &w,
            &col,
            &dy,
            &mut dw1,
            &mut db1,
            Some((&mut dx1, &mut dcol)),
        );
        assert!(close(&dw1, &dw0) && close(&db1, &db0) && close(&dx1, &dx0));
    }
}
