//! Learning-rate decay (course 2, week 2), `α` as a function of the epoch number (from 0) or
//! of the step `t` (from 1):
//!
//! | [`LrSchedule`] | `α` |
//! |---|---|
//! | `InverseTime { decay }` | `α₀ / (1 + decay·epoch)` |
//! | `Exponential { base }` | `base^epoch · α₀` (e.g. 0.95) |
//! | `InverseSqrtEpoch { k }` | `k/√epoch · α₀` (epoch ≥ 1; `k·α₀` at epoch 0) |
//! | `InverseSqrtStep { k }` | `k/√t · α₀` |
//! | `Step { every, factor }` | `α₀ · factor^⌊epoch/every⌋` (discrete staircase) |

/// A rule for `α` over training.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LrSchedule {
    /// `α₀ / (1 + decay·epoch)`.
    InverseTime {
        /// The decay rate.
        decay: f64,
    },
    /// `base^epoch · α₀`.
    Exponential {
        /// Per-epoch factor, e.g. 0.95.
        base: f64,
    },
    /// `k/√epoch · α₀`.
    InverseSqrtEpoch {
        /// The constant `k`.
        k: f64,
    },
    /// `k/√t · α₀` over optimizer steps `t`.
    InverseSqrtStep {
        /// The constant `k`.
        k: f64,
    },
    /// `α₀ · factor^⌊epoch/every⌋`.
    Step {
        /// Epochs per stair.
        every: usize,
        /// Factor per stair, e.g. 0.5.
        factor: f64,
    },
}

impl LrSchedule {
    /// `α` at `epoch` (0-based) and step `t` (1-based) for the initial rate `lr0`.
    pub fn rate(&self, lr0: f64, epoch: usize, t: usize) -> f64 {
        let e = epoch as f64;
        match *self {
            LrSchedule::InverseTime { decay } => lr0 / (1.0 + decay * e),
            LrSchedule::Exponential { base } => base.powf(e) * lr0,
            LrSchedule::InverseSqrtEpoch { k } => k / e.max(1.0).sqrt() * lr0,
            LrSchedule::InverseSqrtStep { k } => k / (t.max(1) as f64).sqrt() * lr0,
            LrSchedule::Step { every, factor } => lr0 * factor.powi((epoch / every.max(1)) as i32),
        }
    }

    /// Checks the schedule's constant: `decay` finite and `≥ 0`; `base`, `k` and `factor`
    /// finite and `> 0`; `every ≥ 1`. [`fit`](crate::train::fit) calls it before training.
    ///
    /// # Errors
    /// [`Error::Setting`](crate::Error::Setting) naming the constant.
    pub fn validate(&self) -> crate::Result<()> {
        use crate::setting::{non_negative, positive};
        match *self {
            LrSchedule::InverseTime { decay } => non_negative("LrSchedule decay", decay)?,
            LrSchedule::Exponential { base } => positive("LrSchedule base", base)?,
            LrSchedule::InverseSqrtEpoch { k } | LrSchedule::InverseSqrtStep { k } => {
                positive("LrSchedule k", k)?
            }
            LrSchedule::Step { every, factor } => {
                if every == 0 {
                    return Err(crate::Error::Setting {
                        setting: "LrSchedule every".into(),
                        value: "0".into(),
                        reason: "must be at least 1 epoch".into(),
                    });
                }
                positive("LrSchedule factor", factor)?
            }
        };
        Ok(())
    }

    /// `true` when the rate changes with the step rather than the epoch.
    pub fn per_step(&self) -> bool {
        matches!(self, LrSchedule::InverseSqrtStep { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_schedule_follows_its_formula() {
        // The notes' example: α₀ = 0.2, decay 1 → 0.1, 0.067, 0.05, 0.04 for epochs 1..4.
        let inv = LrSchedule::InverseTime { decay: 1.0 };
        let got: Vec<f64> = (1..=4).map(|e| inv.rate(0.2, e, 1)).collect();
        assert_eq!(got, [0.1, 0.2 / 3.0, 0.05, 0.04]);
        assert_eq!(
            LrSchedule::Exponential { base: 0.95 }.rate(1.0, 2, 1),
            0.9025
        );
        assert_eq!(LrSchedule::InverseSqrtEpoch { k: 2.0 }.rate(0.1, 4, 1), 0.1);
        assert_eq!(LrSchedule::InverseSqrtEpoch { k: 2.0 }.rate(0.1, 0, 1), 0.2);
        assert_eq!(
            LrSchedule::InverseSqrtStep { k: 1.0 }.rate(0.3, 0, 9),
            0.09999999999999999
        );
        let stairs: Vec<f64> = (0..5)
            .map(|e| {
                LrSchedule::Step {
                    every: 2,
                    factor: 0.5,
                }
                .rate(1.0, e, 1)
            })
            .collect();
        assert_eq!(stairs, [1.0, 1.0, 0.5, 0.5, 0.25]);
    }

    #[test]
    fn constants_out_of_range_are_refused() {
        let e = |s: LrSchedule| s.validate().unwrap_err().to_string();
        assert_eq!(
            e(LrSchedule::Exponential { base: 0.0 }),
            "LrSchedule base = 0: must be a finite number > 0"
        );
        assert_eq!(
            e(LrSchedule::Step {
                every: 0,
                factor: 0.5
            }),
            "LrSchedule every = 0: must be at least 1 epoch"
        );
        assert!(LrSchedule::InverseTime { decay: 0.0 }.validate().is_ok());
    }
}
