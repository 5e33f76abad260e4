//! What a training run leaves behind: the cost of every step and the figures of every
//! epoch, with the cost curves as SVG charts.

use std::path::Path;

use super::fit::EpochStats;
use super::plot::{Chart, Series};
use crate::Result;

/// The record of a [`fit`](super::fit) run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// `J{t}` of every mini-batch step, in order.
    pub costs: Vec<f64>,
    /// One entry per epoch.
    pub epochs: Vec<EpochStats>,
    /// With early stopping: the epoch whose parameters were restored (lowest dev cost).
    pub best_epoch: Option<usize>,
}

impl History {
    /// The mini-batch cost per iteration: the notes' "cost vs. iterations" plot (noisy for
    /// small mini-batches, smooth for batch gradient descent).
    pub fn cost_chart(&self, title: &str) -> Chart {
        let mut series = vec![Series::from_values("mini-batch cost", &self.costs)];
        let per_epoch = self.costs.len().checked_div(self.epochs.len()).unwrap_or(0) as f64;
        let dev: Vec<(f64, f64)> = self
            .epochs
            .iter()
            .filter_map(|e| e.dev.map(|d| (e.epoch as f64 * per_epoch, d.cost)))
            .collect();
        if !dev.is_empty() {
            series.push(Series {
                name: "dev cost (end of epoch)".into(),
                points: dev,
            });
        }
        Chart {
            title: title.into(),
            x_label: "iteration".into(),
            y_label: "cost J".into(),
            series,
        }
    }

    /// Writes [`History::cost_chart`] as an SVG file, atomically.
    ///
    /// # Errors
    /// [`crate::Error::Io`] naming the file.
    pub fn save_cost_chart(&self, path: impl AsRef<Path>, title: &str) -> Result<()> {
        self.cost_chart(title).save(path)
    }
}
