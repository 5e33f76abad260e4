//! Hyper-parameter search (course 2, week 3, "Hyperparameter tuning").
//!
//! The notes' order of importance: first the learning rate `α`; then momentum's `β` (≈ 0.9),
//! the mini-batch size and the number of hidden units; then the number of layers and the
//! learning-rate decay. Adam's `β1 = 0.9`, `β2 = 0.999`, `ε = 1e-8` are almost never tuned.
//! How to search:
//!
//! 1. **Try random values, don't use a grid** ([`RandomSearch`]): every trial tries a new
//!    value of every hyper-parameter, so the important ones get `n` values, not `n^(1/d)`.
//! 2. **Coarse to fine** ([`Space::zoom`]): zoom in on the region of the best trials and
//!    sample it more densely.
//! 3. **Use an appropriate scale** ([`scale`]): `α` log-uniform ([`LogUniform`]), `β` through
//!    `1 − β` log-uniform ([`OneMinusLogUniform`]); layers and units uniform ([`IntRange`],
//!    [`Uniform`]); a short list is a [`Choice`].
//! 4. **Pandas vs caviar**: with the compute for it, train many models in parallel and keep
//!    the best. [`RandomSearch::run`] does that with rayon, one trial per task on every core.
//! 5. **Re-evaluate occasionally**: intuitions about good settings go stale when data or
//!    hardware change; a seeded search is cheap to re-run.
//!
//! The ranked [`Report`] sorts trials by one optimizing metric (course 3's single-number
//! evaluation metric, a [`Criterion`](crate::metrics::Criterion)), usually dev-set accuracy,
//! and keeps failed trials (e.g. [`Error::Diverged`](crate::Error::Diverged)) with their error.
//!
//! # Widths and depths are compile-time constants
//!
//! In constnn `n[l]` is part of a layer's type (`Dense<64, H>`), so the search cannot invent a
//! width at run time. "Hidden units" and "layers" are sampled among the architectures the
//! program compiled: a [`Choice`] of widths (or an [`IntRange`] index into a list of
//! networks), and a `match` that picks the concrete type. A derived network has concrete dims
//! in its fields (`#[derive(Network)]` refuses const parameters), so there is one struct per
//! width, and the training function is generic over the network type: each arm is a
//! separate, fully shape-checked instantiation.
//!
//! ```
//! use constnn::prelude::*;
//! use constnn::search::{Outcome, Trial};
//!
//! #[derive(Network)]
//! struct Mlp32 { hidden: Dense<64, 32>, relu: Relu, out: Dense<32, 10> }
//! #[derive(Network)]
//! struct Mlp128 { hidden: Dense<64, 128>, relu: Relu, out: Dense<128, 10> }
//!
//! /// Fits `net` with the trial's `α`, … and measures it on the dev set.
//! fn train<N: Layer<Batch<64>, Output = Batch<10>> + Params<f32>>(net: N, trial: &Trial) -> Result<Outcome> {
//!     let _lr = trial.f64("lr")?;
//!     Ok(Outcome::new().with("dev_accuracy", 0.0))
//! }
//!
//! fn objective(trial: &Trial) -> Result<Outcome> {
//!     match trial.usize("hidden")? {
//!         32 => train(Mlp32 { hidden: Dense::zeros(), relu: Relu, out: Dense::zeros() }, trial),
//!         128 => train(Mlp128 { hidden: Dense::zeros(), relu: Relu, out: Dense::zeros() }, trial),
//!         h => Err(Error::Data { what: "hidden".into(), reason: format!("no network of width {h} was compiled") }),
//!     }
//! }
//! # use constnn::search::{Choice, LogUniform, Space};
//! # let space = Space::new().with("lr", LogUniform { lo: 1e-3, hi: 1.0 }).with("hidden", Choice::new([32, 128]));
//! # assert!(objective(&space.trial(0, 0)).is_ok());
//! ```
//!
//! The whole search, with the ranked table it prints, is `examples/c2_hyperparameter_search.rs`.
//!
//! | file | what |
//! |---|---|
//! | [`distribution`] | the [`Distribution`] trait; [`Uniform`], [`IntRange`], [`Choice`] |
//! | [`scale`] | [`LogUniform`] for `α`, [`OneMinusLogUniform`] for `β` |
//! | [`space`] | [`Space`]: named distributions; trial `k` drawn from `(seed, k)` |
//! | [`trial`] | [`Trial`] and its typed accessors; [`Value`] |
//! | [`random_search`] | [`RandomSearch`]: `n` trials in parallel (rayon) |
//! | [`report`] | [`Outcome`], [`Report`]: the ranked table |
//! | [`coarse_to_fine`] | [`Space::zoom`] |

pub mod coarse_to_fine;
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
