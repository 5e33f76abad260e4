//! The scalar reference: each window read straight from the formulas of [`super`]. The fast
//! kernels are tested against it.

use super::PoolDims;
use crate::kernel::gemm::Element;

/// `y ← max-pool(x)`, and `arg[k] ←` the input feature index of the maximum for output `k`
/// (the first one on ties). The inner loop runs along the batch, a compare-and-select per lane.
#[inline(always)]
pub fn max_forward_reference<T: Copy + PartialOrd>(
    d: PoolDims,
    x: &[T],
    y: &mut [T],
    arg: &mut [u32],
) {
    d.check(x.len(), y.len());
    assert_eq!(arg.len(), y.len(), "pool2d: argmax length");
    let m = d.m;
    for c in 0..d.c {
        for oy in 0..d.oh {
            for ox in 0..d.ow {
                let out = ((c * d.oh + oy) * d.ow + ox) * m;
                let (best, at) = (&mut y[out..][..m], &mut arg[out..][..m]);
                let first = (c * d.h + oy * d.s) * d.w + ox * d.s;
                best.copy_from_slice(&x[first * m..][..m]);
                at.fill(first as u32);
                for u in 0..d.f {
                    for v in 0..d.f {
                        let i = (c * d.h + oy * d.s + u) * d.w + ox * d.s + v;
                        for ((b, a), &xv) in
                            best.iter_mut().zip(at.iter_mut()).zip(&x[i * m..][..m])
                        {
                            if xv > *b {
                                *b = xv;
                                *a = i as u32;
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `dx ← 0`, then `dx[arg[k]] += dy[k]` for every output `k`.
pub fn max_backward_reference<T: Copy + core::ops::Add<Output = T>>(
    d: PoolDims,
    zero: T,
    dy: &[T],
    arg: &[u32],
    dx: &mut [T],
) {
    d.check(dx.len(), dy.len());
    dx.fill(zero);
    let m = d.m;
    for (k, (&g, &a)) in dy.iter().zip(arg).enumerate() {
        let i = a as usize * m + k % m;
        dx[i] = dx[i] + g;
    }
}

/// `y ← (1/f²)·Σ` over each window (`inv_area = 1/f²`).
pub fn avg_forward_reference<T: Element>(d: PoolDims, inv_area: T, x: &[T], y: &mut [T]) {
    d.check(x.len(), y.len());
    let m = d.m;
    for c in 0..d.c {
        for oy in 0..d.oh {
            for ox in 0..d.ow {
                let out = &mut y[((c * d.oh + oy) * d.ow + ox) * m..][..m];
                out.fill(T::ZERO);
                for u in 0..d.f {
                    for v in 0..d.f {
                        let i = (c * d.h + oy * d.s + u) * d.w + ox * d.s + v;
                        for (a, &xv) in out.iter_mut().zip(&x[i * m..(i + 1) * m]) {
                            *a = *a + xv;
                        }
                    }
                }
                out.iter_mut().for_each(|a| *a = *a * inv_area);
            }
        }
    }
}

/// `dx ← 0`, then `dx += dy/f²` over each window.
pub fn avg_backward_reference<T: Element>(d: PoolDims, inv_area: T, dy: &[T], dx: &mut [T]) {
    d.check(dx.len(), dy.len());
    dx.fill(T::ZERO);
    let m = d.m;
    for c in 0..d.c {
        for oy in 0..d.oh {
            for ox in 0..d.ow {
                let g = &dy[((c * d.oh + oy) * d.ow + ox) * m..][..m];
                for u in 0..d.f {
                    for v in 0..d.f {
                        let i = (c * d.h + oy * d.s + u) * d.w + ox * d.s + v;
                        for (t, &gv) in dx[i * m..(i + 1) * m].iter_mut().zip(g) {
                            *t = *t + gv * inv_area;
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // One channel 4×4, values 0..15 row-major; 2×2 windows, stride 2.
    const D: PoolDims = PoolDims {
        c: 1,
        h: 4,
        w: 4,
        oh: 2,
        ow: 2,
        f: 2,
        s: 2,
        m: 1,
    };

    #[test]
    fn max_pool_picks_each_window_maximum_and_routes_the_gradient_there() {
        let x: Vec<f64> = (0..16).map(f64::from).collect();
        let (mut y, mut arg) = (vec![0.0; 4], vec![0; 4]);
        max_forward_reference(D, &x, &mut y, &mut arg);
        assert_eq!(y, [5.0, 7.0, 13.0, 15.0]); // bottom-right of each window
        assert_eq!(arg, [5, 7, 13, 15]);
        let mut dx = vec![9.0; 16];
        max_backward_reference(D, 0.0, &[1.0, 2.0, 3.0, 4.0], &arg, &mut dx);
        let nonzero: Vec<(usize, f64)> = dx
            .iter()
            .copied()
            .enumerate()
            .filter(|p| p.1 != 0.0)
            .collect();
        assert_eq!(nonzero, [(5, 1.0), (7, 2.0), (13, 3.0), (15, 4.0)]);
    }

    #[test]
    fn average_pool_matches_hand_computation() {
        // Window (0, 0) holds 0, 1, 4, 5 → 2.5; the others 4.5, 10.5, 12.5.
        let x: Vec<f64> = (0..16).map(f64::from).collect();
        let mut y = vec![0.0; 4];
        avg_forward_reference(D, 0.25, &x, &mut y);
        assert_eq!(y, [2.5, 4.5, 10.5, 12.5]);
        let mut dx = vec![0.0; 16];
        avg_backward_reference(D, 0.25, &[4.0, 0.0, 0.0, 0.0], &mut dx);
        assert_eq!(&dx[..6], &[1.0, 1.0, 0.0, 0.0, 1.0, 1.0]);
    }
}
