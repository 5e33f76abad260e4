//! Accuracy per task of a multi-task network (course 3, week 2), ignoring unknown labels.
//!
//! ```text
//! accuracyⱼ = #{i : yⱼ⁽ⁱ⁾ ≠ ?, 1{zⱼ⁽ⁱ⁾ > 0} = yⱼ⁽ⁱ⁾} / #{i : yⱼ⁽ⁱ⁾ ≠ ?}
//! ```
//!
//! The network ends in `C` logits (task `j` predicts 1 when `zⱼ > 0`, i.e. `σ(zⱼ) > ½`); the
//! labels are 0, 1 or NaN for `?`, as [`MultiTask::labels`](crate::loss::MultiTask::labels)
//! builds them.
//!
//! ```
//! use constnn::loss::MultiTask;
//! use constnn::metrics::TaskAccuracy;
//! use constnn::tensor::Batch;
//!
//! # fn main() -> constnn::Result<()> {
//! let z = Batch::<2, f32>::from_columns(&[[1.5, -0.2], [-3.0, 0.7], [0.4, 2.0]]);
//! let y = MultiTask::labels(&[[Some(true), Some(true)], [Some(true), None], [Some(true), Some(true)]]);
//! let acc = TaskAccuracy::from_logits(&z, &y)?.with_names(&["cat", "dog"]);
//! assert_eq!(acc.task(0).accuracy(), Some(2.0 / 3.0)); // sample 1 is a missed cat
//! assert_eq!(acc.task(1).accuracy(), Some(0.5));       // of the 2 known dogs, 1 found
//! print!("{acc}");
//! # Ok(())
//! # }
//! ```

use core::fmt;

use crate::tensor::Batch;
use crate::{Error, Result, Scalar};

/// The counts of one task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskScore {
    /// The task's name (its index when none was given).
    pub name: String,
    /// Samples with a known label that the network got right.
    pub correct: usize,
    /// Samples with a known label.
    pub labeled: usize,
    /// Samples whose label is `?`.
    pub missing: usize,
}

impl TaskScore {
    /// `correct / labeled`, or `None` when no sample has a label for this task.
    pub fn accuracy(&self) -> Option<f64> {
        (self.labeled > 0).then(|| self.correct as f64 / self.labeled as f64)
    }
}

/// Accuracy of every task of a `C`-task network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskAccuracy<const C: usize> {
    tasks: [TaskScore; C],
}

impl<const C: usize> TaskAccuracy<C> {
    /// Counts, per task, the samples with a known label and those predicted right (`z > 0`
    /// against `y > ½`).
    ///
    /// # Errors
    /// [`Error::Data`] when `z` and `y` have different batch sizes, the batch is empty, a
    /// logit is NaN, or a known label is not 0 or 1 (naming task and sample).
    pub fn from_logits<T: Scalar>(z: &Batch<C, T>, y: &Batch<C, T>) -> Result<Self> {
        let m = z.batch_size();
        let bad = |reason: String| Error::Data {
            what: "multi-task predictions and labels".to_owned(),
            reason,
        };
        if m != y.batch_size() {
            return Err(bad(format!(
                "{m} predictions for {} labels",
                y.batch_size()
            )));
        }
        if m == 0 {
            return Err(bad("no samples (accuracy of none is 0/0)".to_owned()));
        }
        let mut tasks: [TaskScore; C] = core::array::from_fn(|j| TaskScore {
            name: j.to_string(),
            correct: 0,
            labeled: 0,
            missing: 0,
        });
        for (j, task) in tasks.iter_mut().enumerate() {
            for (i, (&z, &y)) in z.row(j).iter().zip(y.row(j)).enumerate() {
                if z.is_nan() {
                    return Err(bad(format!("logit of task {j}, sample {i} is NaN")));
                }
                if y.is_nan() {
                    task.missing += 1;
                    continue;
                }
                if y != T::zero() && y != T::one() {
                    return Err(bad(format!(
                        "label of task {j}, sample {i} is {y}, expected 0, 1 or NaN (unknown)"
                    )));
                }
                task.labeled += 1;
                task.correct += usize::from((z > T::zero()) == (y == T::one()));
            }
        }
        Ok(Self { tasks })
    }

    /// Names the tasks for [`Display`](fmt::Display) (`names[j]` is task `j`).
    pub fn with_names(mut self, names: &[&str; C]) -> Self {
        for (t, n) in self.tasks.iter_mut().zip(names) {
            t.name = (*n).to_owned();
        }
        self
    }

    /// The counts of task `j`.
    ///
    /// # Panics
    /// When `j ≥ C`.
    pub fn task(&self, j: usize) -> &TaskScore {
        &self.tasks[j]
    }

    /// All tasks, in order.
    pub fn tasks(&self) -> &[TaskScore; C] {
        &self.tasks
    }

    /// The mean of the tasks' accuracies over the tasks that have labels (`None` when none
    /// has): every task counts equally, however many labels it has.
    pub fn mean(&self) -> Option<f64> {
        let accs: Vec<f64> = self.tasks.iter().filter_map(TaskScore::accuracy).collect();
        (!accs.is_empty()).then(|| accs.iter().sum::<f64>() / accs.len() as f64)
    }
}

/// A table with one line per task: accuracy, labeled and unknown counts, then the mean.
impl<const C: usize> fmt::Display for TaskAccuracy<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = self
            .tasks
            .iter()
            .map(|t| t.name.chars().count())
            .chain(["mean".len(), "task".len()])
            .max()
            .unwrap_or(0);
        let acc = |a: Option<f64>| a.map_or_else(|| "–".to_owned(), |a| format!("{a:.4}"));
        writeln!(f, "{:<w$}  accuracy  labeled  unknown", "task")?;
        for t in &self.tasks {
            writeln!(
                f,
                "{:<w$}  {:>8}  {:>7}  {:>7}",
                t.name,
                acc(t.accuracy()),
                t.labeled,
                t.missing
            )?;
        }
        writeln!(f, "{:<w$}  {:>8}", "mean", acc(self.mean()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loss::MultiTask;

    /// 3 tasks × 4 samples (rows tasks, columns samples), `?` unknown:
    ///
    /// ```text
    /// z = [ 2  −1   0.5  −3 ]   y = [ 1  0  0  ? ]   right: ✓ ✓ ✗ –   → 2/3
    ///     [ 1   1  −1    −1 ]       [ ?  ?  ?  ? ]   no label         → None
    ///     [ 0  −2   4     1 ]       [ 0  1  1  1 ]   right: ✓ ✗ ✓ ✓   → 3/4 (z = 0 predicts 0)
    /// ```
    fn hand_case() -> TaskAccuracy<3> {
        let z = Batch::<3, f64>::from_rows(
            4,
            &[
                &[2.0, -1.0, 0.5, -3.0],
                &[1.0, 1.0, -1.0, -1.0],
                &[0.0, -2.0, 4.0, 1.0],
            ],
        );
        let (t, f) = (Some(true), Some(false));
        let y = MultiTask::labels(&[[t, None, f], [f, None, t], [f, None, t], [None, None, t]]);
        TaskAccuracy::from_logits(&z, &y).unwrap()
    }

    #[test]
    fn counts_ignore_unknown_labels() {
        let acc = hand_case();
        let counts = |j: usize| {
            let t = acc.task(j);
            (t.correct, t.labeled, t.missing)
        };
        assert_eq!(
            [counts(0), counts(1), counts(2)],
            [(2, 3, 1), (0, 0, 4), (3, 4, 0)]
        );
        assert_eq!(acc.task(0).accuracy(), Some(2.0 / 3.0));
        assert_eq!(acc.task(1).accuracy(), None);
        assert_eq!(acc.task(2).accuracy(), Some(0.75));
        // Mean over the two tasks with labels: (2/3 + 3/4) / 2 = 17/24.
        assert!((acc.mean().unwrap() - 17.0 / 24.0).abs() < 1e-15);
    }

    #[test]
    fn display_is_a_table_per_task() {
        let text = hand_case().with_names(&["even", "big", "loop"]).to_string();
        let expected = "\
task  accuracy  labeled  unknown
even    0.6667        3        1
big          –        0        4
loop    0.7500        4        0
mean    0.7083
";
        assert_eq!(text, expected);
    }

    #[test]
    fn bad_inputs_are_data_errors() {
        let z = Batch::<2, f32>::zeros(3);
        let y = Batch::<2, f32>::zeros(2);
        let e = TaskAccuracy::from_logits(&z, &y).unwrap_err();
        assert_eq!(
            e.to_string(),
            "multi-task predictions and labels: 3 predictions for 2 labels"
        );
        let y = Batch::<2, f32>::from_rows(3, &[&[0.0, 1.0, 0.0], &[1.0, 0.5, 0.0]]);
        let e = TaskAccuracy::from_logits(&z, &y).unwrap_err();
        assert!(
            e.to_string()
                .ends_with("label of task 1, sample 1 is 0.5, expected 0, 1 or NaN (unknown)"),
            "{e}"
        );
        let mut z = z;
        z.set(0, 2, f32::NAN);
        let y = Batch::<2, f32>::zeros(3);
        let e = TaskAccuracy::from_logits(&z, &y).unwrap_err();
        assert!(
            e.to_string().ends_with("logit of task 0, sample 2 is NaN"),
            "{e}"
        );
        let empty = Batch::<2, f32>::zeros(0);
        assert!(TaskAccuracy::from_logits(&empty, &empty).is_err());
    }
}
