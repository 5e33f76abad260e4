//! Resuming a run from its training checkpoint ([`FitConfig::resume`](super::FitConfig)),
//! after checking that the checkpoint belongs to the same run: same number of training
//! samples, batch size, seed and initial learning rate `α₀`. Any other value would silently
//! make a different run (a dev split overlapping earlier training data, other batches, other
//! steps), so a mismatch is an error listing both values, unless the caller resumes
//! deliberately with [`FitConfig::resume_with_changes`](super::FitConfig).

use std::path::Path;

use crate::checkpoint::{Progress, RunSettings, load_training, training_progress};
use crate::error::SettingChange;
use crate::layer::Params;
use crate::optim::Optimizer;
use crate::{Error, Result, Scalar};

/// The differences between a checkpoint's run and this one.
pub(super) fn changes(saved: &Progress, run: &RunSettings, lr0: f64) -> Vec<SettingChange> {
    let mut out = Vec::new();
    let mut differ = |setting: &str, saved: String, now: String| {
        if saved != now {
            out.push(SettingChange {
                setting: setting.into(),
                saved,
                now,
            });
        }
    };
    if let Some(s) = &saved.run {
        differ(
            "training samples",
            s.samples.to_string(),
            run.samples.to_string(),
        );
        differ(
            "batch size",
            s.batch_size.to_string(),
            run.batch_size.to_string(),
        );
        differ("seed", s.seed.to_string(), run.seed.to_string());
    }
    // `f64`'s `Display` is the shortest text that reads back to the same bits.
    differ("learning rate α₀", saved.lr0.to_string(), lr0.to_string());
    out
}

/// Loads the checkpoint at `path` into `net` and `opt` when its run matches `run` and `lr0`
/// (or `allow_changes`), and returns its progress, with the `α₀` the run continues from.
/// Nothing is loaded when it does not match.
pub(super) fn resume<T, N, O>(
    net: &mut N,
    opt: &mut O,
    path: &Path,
    run: &RunSettings,
    allow_changes: bool,
) -> Result<Progress>
where
    T: Scalar,
    N: Params<T>,
    O: Optimizer<T> + ?Sized,
{
    let lr0 = opt.learning_rate();
    let found = changes(&training_progress(path)?, run, lr0);
    if !found.is_empty() && !allow_changes {
        return Err(Error::ResumeMismatch {
            path: path.to_path_buf(),
            changes: found,
        });
    }
    let mut done = load_training(net, opt, path)?;
    if allow_changes {
        done.lr0 = lr0; // the new α₀, for the schedule and the next checkpoints
        opt.set_learning_rate(lr0);
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_changed_setting_is_listed_with_both_values() {
        let run = RunSettings {
            samples: 2750,
            batch_size: 64,
            seed: 1,
        };
        let saved = Progress {
            epochs: 1,
            steps: 43,
            lr0: 0.001,
            run: Some(run),
        };
        assert!(changes(&saved, &run, 0.001).is_empty());
        let now = RunSettings {
            samples: 5500,
            batch_size: 16,
            seed: 5,
        };
        let text: Vec<String> = changes(&saved, &now, 0.01)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            text,
            [
                "training samples 2750 in the checkpoint, 5500 now",
                "batch size 64 in the checkpoint, 16 now",
                "seed 1 in the checkpoint, 5 now",
                "learning rate α₀ 0.001 in the checkpoint, 0.01 now",
            ]
        );
        // A checkpoint from before the settings were recorded compares α₀ only.
        let old = Progress { run: None, ..saved };
        assert!(changes(&old, &now, 0.001).is_empty());
    }
}
