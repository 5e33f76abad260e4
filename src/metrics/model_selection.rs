//! Choosing a model with one optimizing metric and satisficing constraints (course 3, week 1).
//!
//! With `N` metrics, pick **one** to optimize and make the other `N − 1` thresholds that only
//! have to be good enough:
//!
//! ```text
//! best = argmax_{model ∈ feasible} accuracy(model)            (or argmin, for a cost)
//! feasible = { model : latency_ms(model) ≤ 100  and  recall[3](model) ≥ 0.9  and … }
//! ```
//!
//! [`select_best`] ranks every candidate: the feasible ones first, ordered by the optimizing
//! metric (best first; equal values keep the candidates' order), then the infeasible ones in the
//! same order, each listing the constraints it violates. A metric that a candidate does not
//! report is an error, not a silent pass. [`ModelScore::with_classification`] adds the metrics
//! of a [`ConfusionMatrix`] under fixed names (`accuracy`, `macro_f1`, `recall[3]`, …).
//!
//! ```
//! use constnn::metrics::{Constraint, Criterion, ModelScore, select_best};
//!
//! # fn main() -> constnn::Result<()> {
//! let candidates = [
//!     ModelScore::new("A").with("accuracy", 0.90).with("latency_ms", 80.0),
//!     ModelScore::new("B").with("accuracy", 0.92).with("latency_ms", 95.0),
//!     ModelScore::new("C").with("accuracy", 0.95).with("latency_ms", 1500.0),
//! ];
//! let ranking = select_best(
//!     &candidates,
//!     &Criterion::maximize("accuracy"),
//!     &[Constraint::at_most("latency_ms", 100.0)],
//! )?;
//! assert_eq!(ranking.best().map(|m| m.name.as_str()), Some("B")); // C is too slow
//! print!("{ranking}");
//! # Ok(())
//! # }
//! ```

use super::{ConfusionMatrix, Constraint, Criterion, Goal, RankedModel, Ranking, Violation};
use crate::{Error, Result};

/// A candidate model and the metrics measured on it (on the dev set, in the notes).
#[derive(Clone, Debug, PartialEq)]
pub struct ModelScore {
    /// The model's name, shown in the ranking.
    pub name: String,
    /// `(metric name, value)` pairs; each name appears at most once.
    pub metrics: Vec<(String, f64)>,
}

impl ModelScore {
    /// A model with no metrics yet.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            metrics: Vec::new(),
        }
    }

    /// Adds the metric `name = value`.
    pub fn with(mut self, name: impl Into<String>, value: f64) -> Self {
        self.metrics.push((name.into(), value));
        self
    }

    /// Adds `accuracy`, `macro_precision`, `macro_recall`, `macro_f1`, and `precision[k]`,
    /// `recall[k]`, `f1[k]` for every class `k`, from a confusion matrix.
    pub fn with_classification<const K: usize>(mut self, cm: &ConfusionMatrix<K>) -> Self {
        self.metrics.extend([
            ("accuracy".to_owned(), cm.accuracy()),
            ("macro_precision".to_owned(), cm.macro_precision()),
            ("macro_recall".to_owned(), cm.macro_recall()),
            ("macro_f1".to_owned(), cm.macro_f1()),
        ]);
        for k in 0..K {
            self.metrics.extend([
                (format!("precision[{k}]"), cm.precision(k)),
                (format!("recall[{k}]"), cm.recall(k)),
                (format!("f1[{k}]"), cm.f1(k)),
            ]);
        }
        self
    }

    /// The value of metric `name`, if this model reports it.
    pub fn metric(&self, name: &str) -> Option<f64> {
        self.metrics
            .iter()
            .find(|(n, _)| n == name)
            .map(|&(_, v)| v)
    }

    /// The value of metric `name`, or an error naming the model, the metric and the metrics it
    /// does have.
    fn require(&self, name: &str) -> Result<f64> {
        let value = self.metric(name).ok_or_else(|| {
            let have: Vec<&str> = self.metrics.iter().map(|(n, _)| n.as_str()).collect();
            self.error(format!(
                "has no metric `{name}` (it has: {})",
                if have.is_empty() {
                    "none".to_owned()
                } else {
                    have.join(", ")
                }
            ))
        })?;
        if value.is_nan() {
            return Err(self.error(format!("metric `{name}` is NaN")));
        }
        Ok(value)
    }

    fn error(&self, reason: String) -> Error {
        Error::Data {
            what: format!("model `{}`", self.name),
            reason,
        }
    }
}

/// Ranks `candidates` by `optimizing` among those meeting every constraint (see the module doc).
///
/// # Errors
/// [`Error::Data`] when there are no candidates, when a constraint's threshold is NaN, or when a
/// candidate lacks the optimizing metric or a constrained metric, reports a metric twice, or has
/// a NaN value for one of them (naming the model and the metric).
pub fn select_best(
    candidates: &[ModelScore],
    optimizing: &Criterion,
    constraints: &[Constraint],
) -> Result<Ranking> {
    if candidates.is_empty() {
        return Err(Error::Data {
            what: "model selection".to_owned(),
            reason: "no candidate models".to_owned(),
        });
    }
    if let Some(c) = constraints.iter().find(|c| c.threshold().is_nan()) {
        return Err(Error::Data {
            what: "model selection".to_owned(),
            reason: format!("the threshold of constraint on `{}` is NaN", c.metric),
        });
    }
    let mut models = candidates
        .iter()
        .map(|model| rank_entry(model, optimizing, constraints))
        .collect::<Result<Vec<_>>>()?;
    // Stable: equal keys keep the candidates' order. No NaN reaches here, so the comparison is
    // total.
    models.sort_by(|x, y| {
        let by_score = match optimizing.goal {
            Goal::Maximize => y.score.total_cmp(&x.score),
            Goal::Minimize => x.score.total_cmp(&y.score),
        };
        y.is_feasible().cmp(&x.is_feasible()).then(by_score)
    });
    Ok(Ranking {
        optimizing: optimizing.clone(),
        constraints: constraints.to_vec(),
        models,
    })
}

fn rank_entry(
    model: &ModelScore,
    optimizing: &Criterion,
    constraints: &[Constraint],
) -> Result<RankedModel> {
    for (i, (name, _)) in model.metrics.iter().enumerate() {
        if model.metrics[..i].iter().any(|(n, _)| n == name) {
            return Err(model.error(format!("reports metric `{name}` twice")));
        }
    }
    let score = model.require(&optimizing.metric)?;
    let constrained = constraints
        .iter()
        .map(|c| model.require(&c.metric))
        .collect::<Result<Vec<f64>>>()?;
    let violations = constraints
        .iter()
        .zip(&constrained)
        .filter(|&(c, &v)| !c.is_met_by(v))
        .map(|(c, &value)| Violation {
            constraint: c.clone(),
            value,
        })
        .collect();
    Ok(RankedModel {
        name: model.name.clone(),
        score,
        constrained,
        violations,
    })
}

#[cfg(test)]
mod tests {
    use super::super::confusion_matrix::tests::hand_example;
    use super::*;

    fn model(name: &str, accuracy: f64, latency_ms: f64, recall_3: f64) -> ModelScore {
        ModelScore::new(name)
            .with("accuracy", accuracy)
            .with("latency_ms", latency_ms)
            .with("recall[3]", recall_3)
    }

    fn names(models: &[RankedModel]) -> Vec<&str> {
        models.iter().map(|m| m.name.as_str()).collect()
    }

    #[test]
    fn maximize_accuracy_subject_to_latency_and_recall() {
        // Constraints: latency_ms ≤ 100, recall[3] ≥ 0.9.
        //   A 0.90,  80 ms, 0.95 → feasible
        //   B 0.93,  95 ms, 0.91 → feasible, best (0.93 > 0.90)
        //   C 0.98, 150 ms, 0.92 → fails latency (150 > 100)
        //   D 0.97, 100 ms, 0.80 → fails recall (bounds are inclusive: 100 ≤ 100 holds)
        //   E 0.99, 300 ms, 0.50 → fails both
        // Infeasible ones follow, by accuracy: E 0.99, C 0.98, D 0.97.
        let candidates = [
            model("A", 0.90, 80.0, 0.95),
            model("B", 0.93, 95.0, 0.91),
            model("C", 0.98, 150.0, 0.92),
            model("D", 0.97, 100.0, 0.80),
            model("E", 0.99, 300.0, 0.50),
        ];
        let constraints = [
            Constraint::at_most("latency_ms", 100.0),
            Constraint::at_least("recall[3]", 0.9),
        ];
        let ranking =
            select_best(&candidates, &Criterion::maximize("accuracy"), &constraints).unwrap();
        assert_eq!(names(&ranking.models), ["B", "A", "E", "C", "D"]);
        assert_eq!(ranking.best().unwrap().name, "B");
        assert_eq!(ranking.feasible().count(), 2);
        let e = &ranking.models[2];
        assert_eq!(e.violations.len(), 2);
        assert_eq!(e.violations[0].constraint.metric, "latency_ms");
        assert_eq!(e.violations[1].value, 0.50);
        let c = &ranking.models[3];
        assert_eq!(
            c.violations,
            [Violation {
                constraint: constraints[0].clone(),
                value: 150.0
            }]
        );
        assert_eq!(
            ranking.models[4].violations[0].constraint.metric,
            "recall[3]"
        );
    }

    #[test]
    fn minimize_puts_the_smallest_first_and_ties_keep_candidate_order() {
        // error 0.10, 0.05, 0.10, 0.05 → 0.05 (Q, then S), then 0.10 (P, then R).
        let candidates = [
            ModelScore::new("P").with("error", 0.10),
            ModelScore::new("Q").with("error", 0.05),
            ModelScore::new("R").with("error", 0.10),
            ModelScore::new("S").with("error", 0.05),
        ];
        let ranking = select_best(&candidates, &Criterion::minimize("error"), &[]).unwrap();
        assert_eq!(names(&ranking.models), ["Q", "S", "P", "R"]);
    }

    #[test]
    fn no_feasible_model_means_no_best() {
        let candidates = [model("A", 0.9, 500.0, 1.0)];
        let limit = [Constraint::at_most("latency_ms", 100.0)];
        let ranking = select_best(&candidates, &Criterion::maximize("accuracy"), &limit).unwrap();
        assert!(ranking.best().is_none());
        assert_eq!(ranking.infeasible().count(), 1);
    }

    #[test]
    fn a_missing_metric_names_the_model_and_what_it_has() {
        let candidates = [
            model("A", 0.9, 80.0, 0.95),
            ModelScore::new("B").with("accuracy", 0.93),
        ];
        let limit = [Constraint::at_most("latency_ms", 100.0)];
        let err = select_best(&candidates, &Criterion::maximize("accuracy"), &limit).unwrap_err();
        assert!(matches!(err, Error::Data { .. }), "{err}");
        assert_eq!(
            err.to_string(),
            "model `B`: has no metric `latency_ms` (it has: accuracy)"
        );
        let err = select_best(&candidates, &Criterion::maximize("f1"), &[]).unwrap_err();
        assert!(err.to_string().contains("has no metric `f1`"), "{err}");
    }

    #[test]
    fn nan_values_duplicates_and_empty_inputs_are_errors() {
        let maximize = Criterion::maximize("accuracy");
        let nan = [ModelScore::new("A").with("accuracy", f64::NAN)];
        let err = select_best(&nan, &maximize, &[]).unwrap_err();
        assert_eq!(err.to_string(), "model `A`: metric `accuracy` is NaN");
        let twice = [ModelScore::new("A")
            .with("accuracy", 0.9)
            .with("accuracy", 0.8)];
        let err = select_best(&twice, &maximize, &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "model `A`: reports metric `accuracy` twice"
        );
        assert!(select_best(&[], &maximize, &[]).is_err());
        let ok = [ModelScore::new("A").with("accuracy", 0.9)];
        let nan_bound = [Constraint::at_least("accuracy", f64::NAN)];
        assert!(select_best(&ok, &maximize, &nan_bound).is_err());
    }

    #[test]
    fn classification_metrics_come_from_the_confusion_matrix() {
        // Hand example: accuracy 0.6, recall[2] = 1/3, macro_f1 = 26/45 (see the report tests).
        let score = ModelScore::new("net").with_classification(&hand_example());
        assert_eq!(score.metric("accuracy"), Some(0.6));
        assert_eq!(score.metric("recall[2]"), Some(1.0 / 3.0));
        assert_eq!(score.metric("macro_f1"), Some(hand_example().macro_f1()));
        assert_eq!(score.metrics.len(), 4 + 3 * 3);
        assert_eq!(score.metric("recall[3]"), None);
    }
}
