//! Hyper-parameter search (course 2, week 3, "Hyperparameter tuning").
//!
//! Sampling hyper-parameters at random, each on an appropriate scale: `α` log-uniform
//! ([`LogUniform`]), `β` through `1 − β` log-uniform ([`OneMinusLogUniform`]); layers and units
//! uniform ([`IntRange`], [`Uniform`]); a short list is a [`Choice`]. A [`Space`] names them and
//! draws trial `k` of a seeded search as a [`Trial`].
//!
//! [`RandomSearch`] runs `n` trials in parallel with rayon (the notes' "caviar" strategy) and
//! returns a [`Report`] ranked by one optimizing metric, failed trials kept with their error.
//!
//! | file | what |
//! |---|---|
//! | [`distribution`] | the [`Distribution`] trait; [`Uniform`], [`IntRange`], [`Choice`] |
//! | [`scale`] | [`LogUniform`] for `α`, [`OneMinusLogUniform`] for `β` |
//! | [`space`] | [`Space`]: named distributions; trial `k` drawn from `(seed, k)` |
//! | [`trial`] | [`Trial`] and its typed accessors; [`Value`] |
//! | [`random_search`] | [`RandomSearch`]: `n` trials in parallel (rayon) |
//! | [`report`] | [`Outcome`], [`Report`]: the ranked table |

pub mod distribution;
pub mod random_search;
pub mod report;
pub mod scale;
pub mod space;
pub mod trial;

pub use distribution::{Choice, Distribution, IntRange, Uniform};
pub use random_search::{RandomSearch, RandomSearchConfig};
pub use report::{Outcome, Report, TrialResult};
pub use scale::{LogUniform, OneMinusLogUniform};
pub use space::Space;
pub use trial::{Trial, Value};
