//! One trial of a search: a point of the search space, drawn once, with its own seed.
//!
//! A [`Trial`] holds the sampled hyper-parameters by name, in the order of the
//! [`Space`](super::Space), as [`Value`]s: a float (`α`, `β`), an integer (mini-batch size,
//! hidden units, number of layers, an index into a list of architectures) or a fixed text (the
//! name of an optimizer). The typed accessors return [`Error::Data`] naming the trial and the
//! hyper-parameter when a name is missing or holds another kind of value, so an objective can
//! use `?` and a typo shows up as a failed trial in the report rather than a panic.
//!
//! ```
//! use constnn::search::{Space, LogUniform, Choice};
//!
//! let space = Space::new()
//!     .with("lr", LogUniform { lo: 1e-4, hi: 1e-1 })
//!     .with("batch", Choice::new([32, 64, 128, 256]));
//! let trial = space.trial(7, 0); // seed 7, trial 0
//! let lr = trial.f64("lr")?;
//! assert!((1e-4..=1e-1).contains(&lr));
//! assert!([32, 64, 128, 256].contains(&trial.usize("batch")?));
//! assert!(trial.f64("momentum").is_err()); // not in the space
//! # Ok::<(), constnn::Error>(())
//! ```

use core::fmt;

use crate::data::fmt_sig;
use crate::{Error, Result};

/// A sampled hyper-parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    /// A real number (`α`, `β`, `λ`, a keep probability).
    Float(f64),
    /// An integer (mini-batch size, hidden units, layers, an architecture index).
    Int(i64),
    /// A fixed label (`"adam"`, `"momentum"`).
    Text(&'static str),
}

impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Self::Float(v)
    }
}

impl From<f32> for Value {
    fn from(v: f32) -> Self {
        Self::Float(v.into())
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Self::Int(v)
    }
}

impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Self::Int(v.into())
    }
}

impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Self::Int(v.into())
    }
}

/// Sizes above `i64::MAX` (no real hyper-parameter) saturate.
impl From<usize> for Value {
    fn from(v: usize) -> Self {
        Self::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}

impl From<&'static str> for Value {
    fn from(v: &'static str) -> Self {
        Self::Text(v)
    }
}

/// Floats with 4 significant digits (`0.003162`, `0.9871`), integers and text as they are.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Float(x) => f.pad(&fmt_sig(*x, 4)),
            Self::Int(i) => f.pad(&i.to_string()),
            Self::Text(s) => f.pad(s),
        }
    }
}

/// A point of the search space: trial `index` of a search, its hyper-parameters and the seed
/// its model should use for initialization and shuffling.
#[derive(Clone, Debug, PartialEq)]
pub struct Trial {
    /// 0-based position among the search's trials.
    pub index: usize,
    /// Seed for the trial's model (weight initialization, mini-batch shuffles), derived from
    /// the search's seed and `index` only, so a trial is reproducible on its own.
    pub seed: u64,
    /// `(name, value)` in the order of the space.
    pub values: Vec<(String, Value)>,
}

impl Trial {
    /// The value of hyper-parameter `name`, if the space has it.
    pub fn get(&self, name: &str) -> Option<Value> {
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }

    /// `name` as a real number (an integer value converts).
    ///
    /// # Errors
    /// [`Error::Data`] when `name` is missing or holds text.
    pub fn f64(&self, name: &str) -> Result<f64> {
        match self.require(name)? {
            Value::Float(x) => Ok(x),
            Value::Int(i) => Ok(i as f64),
            Value::Text(s) => Err(self.wrong(name, format!("is the text `{s}`, not a number"))),
        }
    }

    /// `name` as a non-negative integer (mini-batch size, width, index).
    ///
    /// # Errors
    /// [`Error::Data`] when `name` is missing, negative, or not an integer.
    pub fn usize(&self, name: &str) -> Result<usize> {
        match self.require(name)? {
            Value::Int(i) => usize::try_from(i)
                .map_err(|_| self.wrong(name, format!("is {i}, not a non-negative integer"))),
            v => Err(self.wrong(name, format!("is {v}, not an integer"))),
        }
    }

    /// `name` as text (an optimizer's name).
    ///
    /// # Errors
    /// [`Error::Data`] when `name` is missing or holds a number.
    pub fn text(&self, name: &str) -> Result<&'static str> {
        match self.require(name)? {
            Value::Text(s) => Ok(s),
            v => Err(self.wrong(name, format!("is the number {v}, not text"))),
        }
    }

    fn require(&self, name: &str) -> Result<Value> {
        self.get(name).ok_or_else(|| {
            let names: Vec<&str> = self.values.iter().map(|(n, _)| n.as_str()).collect();
            self.wrong(
                name,
                format!("is not in the search space (it has: {})", names.join(", ")),
            )
        })
    }

    fn wrong(&self, name: &str, reason: String) -> Error {
        Error::Data {
            what: format!("trial {}, hyper-parameter `{name}`", self.index),
            reason,
        }
    }
}

/// `trial 3: lr = 0.003162, batch = 64`.
impl fmt::Display for Trial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "trial {}:", self.index)?;
        for (i, (name, value)) in self.values.iter().enumerate() {
            let sep = if i == 0 { " " } else { ", " };
            write!(f, "{sep}{name} = {value}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trial() -> Trial {
        Trial {
            index: 3,
            seed: 11,
            values: vec![
                ("lr".into(), Value::Float(0.003_162_277_66)),
                ("batch".into(), Value::Int(64)),
                ("opt".into(), Value::Text("adam")),
                ("shift".into(), Value::Int(-2)),
            ],
        }
    }

    #[test]
    fn typed_accessors_return_the_sampled_values() {
        let t = trial();
        assert_eq!(t.f64("lr").unwrap(), 0.003_162_277_66);
        assert_eq!(t.usize("batch").unwrap(), 64);
        assert_eq!(t.f64("batch").unwrap(), 64.0); // integers convert to floats
        assert_eq!(t.text("opt").unwrap(), "adam");
        assert_eq!(t.get("shift"), Some(Value::Int(-2)));
    }

    #[test]
    fn wrong_names_and_kinds_are_data_errors_naming_the_trial() {
        let t = trial();
        let missing = t.f64("beta").unwrap_err().to_string();
        assert_eq!(
            missing,
            "trial 3, hyper-parameter `beta`: is not in the search space \
             (it has: lr, batch, opt, shift)"
        );
        assert!(
            t.usize("lr")
                .unwrap_err()
                .to_string()
                .contains("not an integer")
        );
        assert!(t.usize("shift").unwrap_err().to_string().contains("is -2"));
        assert!(t.f64("opt").is_err() && t.text("batch").is_err());
    }

    #[test]
    fn trial_prints_its_values_with_four_significant_digits() {
        assert_eq!(
            trial().to_string(),
            "trial 3: lr = 0.003162, batch = 64, opt = adam, shift = -2"
        );
    }
}
