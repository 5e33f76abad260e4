//! Exponentially weighted averages (course 2, week 2), the building block of momentum,
//! RMSprop and Adam:
//!
//! ```text
//! v_0 = 0      v_t = β·v_{t−1} + (1 − β)·θ_t      bias-corrected  v̂_t = v_t / (1 − β^t)
//! ```
//!
//! `v_t` averages over roughly the last `1/(1 − β)` values (β = 0.9 → 10 days of the notes'
//! temperature series, β = 0.98 → 50). Because `v_0 = 0`, the first averages are too small
//! (`v_1 = (1 − β)·θ_1`); dividing by `1 − β^t` removes that start-up bias, and the factor
//! tends to 1 as `t` grows.
//!
//! [`Ewma`] follows one scalar series; [`Ewma::update_slice`] advances a whole buffer (one
//! average per parameter entry), which is what the optimizers keep.
//!
//! ```
//! use constnn::optim::Ewma;
//! let mut temp = Ewma::new(0.9);
//! temp.update(40.0);
//! assert!((temp.value() - 4.0).abs() < 1e-12); // 0.1 · 40: far below the first reading
//! assert!((temp.corrected() - 40.0).abs() < 1e-12); // 4 / (1 − 0.9)
//! ```

use crate::Scalar;

/// The denominator of the bias correction at step `t ≥ 1`: `1 − β^t`.
pub fn bias_correction(beta: f64, t: u64) -> f64 {
    1.0 - beta.powf(t as f64)
}

/// An exponentially weighted average of one scalar series, with its step count for the bias
/// correction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ewma {
    beta: f64,
    v: f64,
    t: u64,
}

impl Ewma {
    /// A fresh average (`v_0 = 0`, `t = 0`) with weight `β` on the past.
    pub fn new(beta: f64) -> Self {
        Self { beta, v: 0.0, t: 0 }
    }

    /// Takes in `θ_t`: `v_t = β·v_{t−1} + (1 − β)·θ_t`. Returns `v_t` (uncorrected).
    pub fn update(&mut self, theta: f64) -> f64 {
        self.t += 1;
        self.v = self.beta * self.v + (1.0 - self.beta) * theta;
        self.v
    }

    /// `v_t`, uncorrected.
    pub fn value(&self) -> f64 {
        self.v
    }

    /// `v_t / (1 − β^t)`; 0 before the first update.
    pub fn corrected(&self) -> f64 {
        if self.t == 0 {
            0.0
        } else {
            self.v / bias_correction(self.beta, self.t)
        }
    }

    /// `t`, the number of values taken in so far.
    pub fn steps(&self) -> u64 {
        self.t
    }

    /// The slice version, one average per entry: `v[i] = β·v[i] + (1 − β)·θ[i]` for the
    /// values `θ` yields (e.g. `dW` for momentum, `dW²` for RMSprop). The caller keeps `t`.
    pub fn update_slice<T: Scalar>(beta: T, v: &mut [T], theta: impl ExactSizeIterator<Item = T>) {
        debug_assert_eq!(
            v.len(),
            theta.len(),
            "ewma: buffer and values differ in length"
        );
        let one_minus = T::one() - beta;
        for (v, x) in v.iter_mut().zip(theta) {
            *v = beta * *v + one_minus * x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1.0)
    }

    #[test]
    fn three_steps_match_hand_computation_and_correction_removes_the_bias() {
        // The notes' temperatures θ = 40, 49, 45 (°F) with β = 0.9:
        //   v1 = 0.1·40            = 4      v̂1 = 4 / 0.1        = 40
        //   v2 = 0.9·4 + 0.1·49    = 8.5    v̂2 = 8.5 / 0.19     = 44.736842105263…
        //   v3 = 0.9·8.5 + 0.1·45  = 12.15  v̂3 = 12.15 / 0.271  = 44.833948339483…
        // Uncorrected, the average starts near 0 although every reading is 40 or more; the
        // corrected values are sensible averages of the readings so far.
        let mut e = Ewma::new(0.9);
        let raw: Vec<f64> = [40.0, 49.0, 45.0].map(|th| e.update(th)).to_vec();
        assert!(close(raw[0], 4.0) && close(raw[1], 8.5) && close(raw[2], 12.15));
        assert!(close(e.corrected(), 12.15 / 0.271));
        assert!(close(e.corrected(), 44.833948339483));
        assert_eq!(e.steps(), 3);
        let mut e2 = Ewma::new(0.9);
        e2.update(40.0);
        e2.update(49.0);
        assert!(close(e2.corrected(), 44.736842105263));
    }

    #[test]
    fn corrected_average_of_a_constant_is_the_constant_from_the_first_step() {
        // The notes' β = 0.98 case: v1 = 0.02·θ, v2 = 0.0196·θ + 0.02·θ = 0.0396·θ, and
        // 1 − 0.98² = 0.0396, so v̂2 = θ exactly (up to rounding); so for every t.
        let mut e = Ewma::new(0.98);
        for t in 1..=5 {
            e.update(20.0);
            assert!(close(e.corrected(), 20.0), "t = {t}: {}", e.corrected());
        }
        assert!(close(e.value(), 20.0 * (1.0 - 0.98f64.powi(5))));
        assert_eq!(Ewma::new(0.9).corrected(), 0.0);
    }

    #[test]
    fn slice_version_matches_the_scalar_one() {
        let mut v = vec![0.0f64; 2];
        let (mut a, mut b) = (Ewma::new(0.9), Ewma::new(0.9));
        for th in [[40.0, -1.0], [49.0, 2.0], [45.0, 3.0]] {
            Ewma::update_slice(0.9, &mut v, th.iter().copied());
            a.update(th[0]);
            b.update(th[1]);
        }
        assert_eq!(v, [a.value(), b.value()]);
    }
}
