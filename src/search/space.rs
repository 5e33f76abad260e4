//! The search space: named hyper-parameters, each with its [`Distribution`], and how trial `k`
//! of a seeded search is drawn from it.
//!
//! Trial `k` is drawn from its own generator, seeded from `(seed, k)` only (a SplitMix64 mix).
//! Drawing trial 5 does not need trials 0–4, the first 16 trials of a 32-trial search are those
//! of the 16-trial search with the same seed, and threads running trials in any order cannot
//! change them. Each trial also gets a second derived seed, [`Trial::seed`], for its model's
//! initialization and shuffling.
//!
//! ```
//! use constnn::search::{Choice, IntRange, LogUniform, OneMinusLogUniform, Space};
//!
//! let space = Space::new()
//!     .with("lr", LogUniform { lo: 1e-4, hi: 1e-1 })
//!     .with("beta", OneMinusLogUniform { lo: 0.9, hi: 0.999 })
//!     .with("batch", Choice::new([32, 64, 128, 256]))
//!     .with("arch", IntRange { lo: 0, hi: 2 }); // an index into 3 compiled networks
//! space.check()?;
//! assert_eq!(space.trial(1, 5), space.trial(1, 5));
//! assert_ne!(space.trial(1, 5), space.trial(1, 6));
//! print!("{space}"); // one line per hyper-parameter
//! # Ok::<(), constnn::Error>(())
//! ```

use core::fmt;

use rand::SeedableRng;
use rand::rngs::StdRng;

use super::{Distribution, Trial, Value};
use crate::{Error, Result};

/// A [`Distribution`] with its output type erased, so one space can hold all kinds.
pub(super) trait Erased: fmt::Display + Send + Sync {
    fn sample_value(&self, rng: &mut StdRng) -> Value;
    fn check(&self) -> Result<(), String>;
    fn narrowed(&self, best: &[Value]) -> Box<dyn Erased>;
    fn boxed_clone(&self) -> Box<dyn Erased>;
}

impl<D: Distribution> Erased for D {
    fn sample_value(&self, rng: &mut StdRng) -> Value {
        self.sample(rng).into()
    }
    fn check(&self) -> Result<(), String> {
        Distribution::check(self)
    }
    fn narrowed(&self, best: &[Value]) -> Box<dyn Erased> {
        Box::new(self.narrow(best))
    }
    fn boxed_clone(&self) -> Box<dyn Erased> {
        Box::new(self.clone())
    }
}

/// Named hyper-parameters and their distributions, in the order they were added.
#[derive(Default)]
pub struct Space {
    pub(super) params: Vec<(String, Box<dyn Erased>)>,
}

impl Space {
    /// An empty space.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds hyper-parameter `name`, drawn from `dist`.
    pub fn with(mut self, name: impl Into<String>, dist: impl Distribution) -> Self {
        self.params.push((name.into(), Box::new(dist)));
        self
    }

    /// The hyper-parameters' names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.params.iter().map(|(n, _)| n.as_str())
    }

    /// Checks every distribution's bounds and that no name is used twice.
    ///
    /// # Errors
    /// [`Error::Data`] naming the first bad hyper-parameter.
    pub fn check(&self) -> Result<()> {
        for (i, (name, dist)) in self.params.iter().enumerate() {
            let bad = |reason: String| Error::Data {
                what: format!("search space, hyper-parameter `{name}`"),
                reason,
            };
            if self.params[..i].iter().any(|(n, _)| n == name) {
                return Err(bad("is defined twice".into()));
            }
            dist.check().map_err(bad)?;
        }
        Ok(())
    }

    /// Trial `index` of the search seeded by `seed`: its values in the space's order, drawn
    /// from a generator seeded by `(seed, index)` alone, and its model seed.
    ///
    /// # Panics
    /// May panic when [`Space::check`] fails (e.g. an empty [`Choice`](super::Choice)).
    pub fn trial(&self, seed: u64, index: usize) -> Trial {
        let mut rng = StdRng::seed_from_u64(derive_seed(seed, index, 0));
        let values = self
            .params
            .iter()
            .map(|(name, dist)| (name.clone(), dist.sample_value(&mut rng)))
            .collect();
        Trial {
            index,
            seed: derive_seed(seed, index, 1),
            values,
        }
    }
}

/// Stream `stream` (0: the trial's values, 1: its model) of trial `index` under `seed`.
fn derive_seed(seed: u64, index: usize, stream: u64) -> u64 {
    let k = (index as u64).wrapping_mul(2).wrapping_add(stream);
    splitmix64(splitmix64(seed).wrapping_add(k))
}

/// SplitMix64's output function (S. Vigna; G. Steele, D. Lea, C. Flood, "Fast splittable
/// pseudorandom number generators", OOPSLA 2014): nearby inputs give unrelated outputs.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Clone for Space {
    fn clone(&self) -> Self {
        Self {
            params: self
                .params
                .iter()
                .map(|(n, d)| (n.clone(), d.boxed_clone()))
                .collect(),
        }
    }
}

impl fmt::Debug for Space {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.params.iter().map(|(n, d)| (n, d.to_string())))
            .finish()
    }
}

/// One line per hyper-parameter: `lr ~ log-uniform [0.0001, 0.1]`.
impl fmt::Display for Space {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = self.names().map(|n| n.chars().count()).max().unwrap_or(0);
        for (name, dist) in &self.params {
            writeln!(f, "{name:<w$} ~ {dist}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Choice, LogUniform, Uniform};
    use super::*;

    fn space() -> Space {
        Space::new()
            .with("lr", LogUniform { lo: 1e-4, hi: 1e-1 })
            .with("batch", Choice::new([32, 64, 128, 256]))
    }

    #[test]
    fn a_trial_depends_only_on_seed_and_index() {
        let s = space();
        let forward: Vec<Trial> = (0..8).map(|k| s.trial(42, k)).collect();
        let backward: Vec<Trial> = (0..8).rev().map(|k| s.trial(42, k)).collect();
        assert!(forward.iter().eq(backward.iter().rev()));
        // Different trials, seeds and model seeds differ.
        assert_ne!(forward[0].values, forward[1].values);
        assert_ne!(s.trial(43, 0).values, forward[0].values);
        assert_ne!(forward[0].seed, forward[1].seed);
    }

    #[test]
    fn check_names_the_bad_hyper_parameter() {
        let bad = space().with("keep", Uniform { lo: 1.0, hi: 0.5 });
        let err = bad.check().unwrap_err().to_string();
        assert!(
            err.starts_with("search space, hyper-parameter `keep`: uniform [1, 0.5]"),
            "{err}"
        );
        let twice = space().with("lr", LogUniform { lo: 1e-3, hi: 1e-2 });
        assert!(
            twice
                .check()
                .unwrap_err()
                .to_string()
                .contains("defined twice")
        );
        assert!(space().check().is_ok());
    }

    #[test]
    fn space_prints_one_aligned_line_per_hyper_parameter() {
        assert_eq!(
            space().to_string(),
            "lr    ~ log-uniform [0.0001, 0.1]\nbatch ~ one of {32, 64, 128, 256}\n"
        );
    }

    #[test]
    fn splitmix64_matches_the_reference_output() {
        // First output of Vigna's splitmix64.c with state 0 (the state is incremented by the
        // golden gamma before mixing): 0xE220A8397B1DCDAF.
        assert_eq!(splitmix64(0), 0xE220_A839_7B1D_CDAF);
    }
}
