//! Random search over MPI ranks: the notes' "caviar" strategy (course 2, week 3) on several
//! machines.
//!
//! Trial `k` runs on rank `k mod size`, and each rank runs its trials in parallel on its own
//! threads as [`RandomSearch::run`] does. Then every rank sends rank 0 what rank 0 cannot
//! recompute (each trial's index, seconds and metrics or error message, see `wire.rs`): a
//! trial's hyper-parameters and model seed are `space.trial(seed, k)` on every rank. Rank 0
//! ranks them with the same [`Report::rank`] as one process, so with a deterministic
//! objective the table is the same text (`{:#}` leaves out the seconds, which differ).

use std::time::Instant;

use super::{Mpi, wire};
use crate::metrics::Criterion;
use crate::search::{Outcome, RandomSearch, Report, Trial, TrialResult};
use crate::{Error, Result};

impl RandomSearch {
    /// [`RandomSearch::run`] spread over the ranks of `mpi`: trial `k` runs on rank
    /// `k mod size` (on [`RandomSearchConfig::threads`](crate::search::RandomSearchConfig)
    /// threads there), and rank 0 gathers every result and returns the report; the other
    /// ranks return `None` once they have sent theirs. Only rank 0 shows a progress bar (of its
    /// own trials). Every rank must call it with the same search.
    ///
    /// ```no_run
    /// use constnn::distributed::Mpi;
    /// use constnn::metrics::Criterion;
    /// use constnn::search::{LogUniform, Outcome, RandomSearch, RandomSearchConfig, Space};
    ///
    /// let mpi = Mpi::init()?;
    /// let space = Space::new().with("lr", LogUniform { lo: 1e-4, hi: 1.0 });
    /// let search = RandomSearch::new(space, RandomSearchConfig { trials: 16, seed: 1, ..Default::default() });
    /// let report = search.run_mpi(&mpi, Criterion::maximize("dev_accuracy"), |trial| {
    ///     let r = trial.f64("lr")?.log10();
    ///     Ok(Outcome::new().with("dev_accuracy", 1.0 - 0.05 * (r + 2.0).powi(2)))
    /// });
    /// if let Some(report) = mpi.exit_on_error(report) {
    ///     println!("{report}"); // rank 0
    /// }
    /// # Ok::<(), constnn::Error>(())
    /// ```
    ///
    /// # Errors
    /// Those of [`RandomSearch::run`], on every rank; on rank 0, [`Error::Mpi`] when a rank
    /// sent results that are not its trials'. A trial's error on another rank is kept in the
    /// report as [`Error::Remote`] with that rank's message. An error on one rank only (a
    /// thread pool that cannot be built) leaves the others waiting: end the job with
    /// [`Mpi::exit_on_error`].
    pub fn run_mpi<F>(
        &self,
        mpi: &Mpi,
        optimizing: Criterion,
        objective: F,
    ) -> Result<Option<Report>>
    where
        F: Fn(&Trial) -> Result<Outcome> + Sync,
    {
        let trials = self.trials()?;
        let (rank, size) = (mpi.rank(), mpi.size());
        let start = Instant::now();
        let mine: Vec<Trial> = (trials.iter())
            .filter(|t| t.index % size == rank)
            .cloned()
            .collect();
        let timed = self.run_trials(&mine, self.cfg.verbose && mpi.is_root(), &objective)?;
        let mut bytes = Vec::new();
        if !mpi.is_root() {
            for (t, (outcome, seconds)) in mine.iter().zip(&timed) {
                wire::encode(t.index, *seconds, outcome, &mut bytes);
            }
        }
        let Some(parts) = mpi.gather_bytes(&bytes)? else {
            return Ok(None);
        };
        let mut done: Vec<Option<(Result<Outcome>, f64)>> = core::iter::repeat_with(|| None)
            .take(trials.len())
            .collect();
        for (t, result) in mine.iter().zip(timed) {
            done[t.index] = Some(result);
        }
        for (from, part) in parts.iter().enumerate().skip(1) {
            for (index, seconds, outcome) in wire::decode(from, part)? {
                match done.get_mut(index) {
                    Some(slot @ None) if index % size == from => *slot = Some((outcome, seconds)),
                    _ => {
                        return Err(Error::Mpi {
                            reason: format!(
                                "rank {from} sent the result of trial {index}, not one of its trials"
                            ),
                        });
                    }
                }
            }
        }
        let results = (trials.into_iter().zip(done))
            .map(|(trial, result)| match result {
                Some((outcome, seconds)) => Ok(TrialResult {
                    trial,
                    outcome,
                    seconds,
                }),
                None => Err(Error::Mpi {
                    reason: format!(
                        "rank {} sent no result for trial {}",
                        trial.index % size,
                        trial.index
                    ),
                }),
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(self.rank(
            optimizing,
            results,
            start.elapsed().as_secs_f64(),
        )))
    }
}
