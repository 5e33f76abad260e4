//! Range checks for settings (learning rates, `β`, `ε`, `λ`, clipping thresholds), shared by
//! the constructors that validate them. Each returns [`Error::Setting`] naming the setting, so
//! a bad value is reported where it is given, not later as a "divergence".

use crate::{Error, Result};

fn fail(setting: &str, value: f64, reason: &str) -> Error {
    Error::Setting {
        setting: setting.into(),
        value: value.to_string(),
        reason: reason.into(),
    }
}

/// `v` finite and `> 0` (a learning rate, `ε`, a norm threshold).
pub(crate) fn positive(setting: &str, v: f64) -> Result<f64> {
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(fail(setting, v, "must be a finite number > 0"))
    }
}

/// `v` finite and `≥ 0` (a penalty `λ`, a weight decay).
pub(crate) fn non_negative(setting: &str, v: f64) -> Result<f64> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(fail(setting, v, "must be a finite number ≥ 0"))
    }
}

/// `v ≥ 1` (a batch size, a number of workers).
pub(crate) fn at_least_one(setting: &str, v: usize) -> Result<usize> {
    if v >= 1 {
        Ok(v)
    } else {
        Err(Error::Setting {
            setting: setting.into(),
            value: v.to_string(),
            reason: "must be at least 1".into(),
        })
    }
}

/// `0 ≤ v < 1`: the weight `β` of an exponentially weighted average (at 1 the average never
/// moves and Adam's bias correction divides by 0).
pub(crate) fn average_weight(setting: &str, v: f64) -> Result<f64> {
    if (0.0..1.0).contains(&v) {
        Ok(v)
    } else {
        Err(fail(setting, v, "must be in [0, 1)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_range_accepts_its_edges_and_names_the_setting() {
        assert_eq!(positive("lr", 1e-300).unwrap(), 1e-300);
        assert_eq!(non_negative("λ", 0.0).unwrap(), 0.0);
        assert_eq!(average_weight("β", 0.0).unwrap(), 0.0);
        let e = |r: Result<f64>| r.unwrap_err().to_string();
        assert_eq!(
            e(positive("Sgd lr", 0.0)),
            "Sgd lr = 0: must be a finite number > 0"
        );
        assert_eq!(
            e(positive("lr", f64::NAN)),
            "lr = NaN: must be a finite number > 0"
        );
        assert_eq!(
            e(non_negative("L2 λ", -1.0)),
            "L2 λ = -1: must be a finite number ≥ 0"
        );
        assert_eq!(
            e(non_negative("L2 λ", f64::INFINITY)),
            "L2 λ = inf: must be a finite number ≥ 0"
        );
        assert_eq!(at_least_one("workers", 1).unwrap(), 1);
        assert_eq!(
            at_least_one("FitConfig workers", 0)
                .unwrap_err()
                .to_string(),
            "FitConfig workers = 0: must be at least 1"
        );
        assert_eq!(
            e(average_weight("beta1", 1.0)),
            "beta1 = 1: must be in [0, 1)"
        );
    }
}
