//! The outcome of model selection: every candidate ranked, feasible ones first (course 3,
//! week 1).
//!
//! ```text
//! feasible(model) = ∀ constraint c: c.metric(model) ≤ c.threshold   (or ≥, per constraint)
//! rank            = feasible models by the optimizing metric, best first; then the rest
//! ```
//!
//! Its `Display` is a table: the feasible models numbered `1, 2, …`, the infeasible ones marked
//! `-` with each violated constraint and the offending value. Values have 4 significant digits,
//! or `N` decimals with `{:.N}`.
//!
//! ```text
//! maximize accuracy subject to latency_ms ≤ 100
//! rank  model  accuracy  latency_ms  status
//!    1  B        0.9200       95.00  feasible
//!    -  C        0.9500        1500  infeasible: latency_ms = 1500 > 100
//! ```

use core::fmt;

use super::{Bound, Constraint, Criterion, Goal};
use crate::data::fmt_sig;

/// A constraint a model fails, with the value it has.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    /// The constraint that is not met.
    pub constraint: Constraint,
    /// The model's value of the constraint's metric.
    pub value: f64,
}

/// One model's place in a [`Ranking`].
#[derive(Clone, Debug, PartialEq)]
pub struct RankedModel {
    /// The model's name.
    pub name: String,
    /// Its value of the optimizing metric.
    pub score: f64,
    /// Its value of each constraint's metric, in the order of the constraints.
    pub constrained: Vec<f64>,
    /// The constraints it fails; empty when it is feasible.
    pub violations: Vec<Violation>,
}

impl RankedModel {
    /// Whether the model meets every constraint.
    pub fn is_feasible(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Every candidate, feasible models first and best first, as returned by
/// [`select_best`](super::select_best).
#[derive(Clone, Debug, PartialEq)]
pub struct Ranking {
    /// The optimizing metric the models were ranked by.
    pub optimizing: Criterion,
    /// The satisficing constraints.
    pub constraints: Vec<Constraint>,
    /// The models: feasible ones by the optimizing metric, then infeasible ones likewise.
    pub models: Vec<RankedModel>,
}

impl Ranking {
    /// The best feasible model, or `None` when no model meets every constraint.
    pub fn best(&self) -> Option<&RankedModel> {
        self.models.first().filter(|m| m.is_feasible())
    }

    /// The models that meet every constraint, best first.
    pub fn feasible(&self) -> impl Iterator<Item = &RankedModel> {
        self.models.iter().filter(|m| m.is_feasible())
    }

    /// The models that fail a constraint, in the order of their optimizing metric.
    pub fn infeasible(&self) -> impl Iterator<Item = &RankedModel> {
        self.models.iter().filter(|m| !m.is_feasible())
    }
}

/// `latency_ms = 1500 > 100`: the value and the side of the threshold it is on.
impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (op, t) = match self.constraint.bound {
            Bound::AtMost(t) => ('>', t),
            Bound::AtLeast(t) => ('<', t),
        };
        let value = number(self.value, f.precision());
        write!(f, "{} = {value} {op} {t}", self.constraint.metric)
    }
}

/// Four significant digits, or `decimals` fixed decimals.
fn number(x: f64, decimals: Option<usize>) -> String {
    match decimals {
        Some(d) => format!("{x:.d$}"),
        None => fmt_sig(x, 4),
    }
}

impl fmt::Display for Ranking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let decimals = f.precision();
        let goal = match self.optimizing.goal {
            Goal::Maximize => "maximize",
            Goal::Minimize => "minimize",
        };
        write!(f, "{goal} {}", self.optimizing.metric)?;
        for (i, c) in self.constraints.iter().enumerate() {
            write!(f, "{}{c}", if i == 0 { " subject to " } else { ", " })?;
        }
        writeln!(f)?;

        // Cells as text first, so every column can be as wide as its widest cell.
        let mut rank = 0;
        let rows: Vec<Vec<String>> = self
            .models
            .iter()
            .map(|m| {
                let status = if m.is_feasible() {
                    rank += 1;
                    vec![rank.to_string(), m.name.clone()]
                } else {
                    vec!["-".to_owned(), m.name.clone()]
                };
                let values = [m.score].into_iter().chain(m.constrained.iter().copied());
                status
                    .into_iter()
                    .chain(values.map(|v| number(v, decimals)))
                    .collect()
            })
            .collect();
        let header: Vec<&str> = ["rank", "model", self.optimizing.metric.as_str()]
            .into_iter()
            .chain(self.constraints.iter().map(|c| c.metric.as_str()))
            .collect();
        let widths: Vec<usize> = (0..header.len())
            .map(|j| {
                rows.iter()
                    .map(|r| r[j].chars().count())
                    .chain([header[j].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let cell = |f: &mut fmt::Formatter<'_>, j: usize, text: &str| {
            let w = widths[j];
            if j == 1 {
                write!(f, "{text:<w$}  ") // names read left-aligned, numbers right-aligned
            } else {
                write!(f, "{text:>w$}  ")
            }
        };
        for (j, h) in header.iter().enumerate() {
            cell(f, j, h)?;
        }
        writeln!(f, "status")?;
        for (m, row) in self.models.iter().zip(&rows) {
            for (j, text) in row.iter().enumerate() {
                cell(f, j, text)?;
            }
            if m.is_feasible() {
                writeln!(f, "feasible")?;
            } else {
                write!(f, "infeasible: ")?;
                for (i, v) in m.violations.iter().enumerate() {
                    let sep = if i == 0 { "" } else { ", " };
                    match decimals {
                        Some(d) => write!(f, "{sep}{v:.d$}")?,
                        None => write!(f, "{sep}{v}")?,
                    }
                }
                writeln!(f)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ModelScore, select_best};
    use super::*;

    fn example() -> Ranking {
        // A: 0.90 at 80 ms, B: 0.92 at 95 ms, C: 0.95 at 1500 ms; limit 100 ms.
        let candidates = [
            ModelScore::new("A")
                .with("accuracy", 0.90)
                .with("latency_ms", 80.0),
            ModelScore::new("B")
                .with("accuracy", 0.92)
                .with("latency_ms", 95.0),
            ModelScore::new("C")
                .with("accuracy", 0.95)
                .with("latency_ms", 1500.0),
        ];
        let limit = [Constraint::at_most("latency_ms", 100.0)];
        select_best(&candidates, &Criterion::maximize("accuracy"), &limit).unwrap()
    }

    #[test]
    fn display_numbers_feasible_models_and_names_violations() {
        // B (0.92) beats A (0.90); C is the most accurate but 1500 ms > 100 ms.
        let expected = "\
maximize accuracy subject to latency_ms ≤ 100
rank  model  accuracy  latency_ms  status
   1  B        0.9200       95.00  feasible
   2  A        0.9000       80.00  feasible
   -  C        0.9500        1500  infeasible: latency_ms = 1500 > 100
";
        assert_eq!(example().to_string(), expected);
    }

    #[test]
    fn display_precision_sets_fixed_decimals() {
        let text = format!("{:.2}", example());
        assert_eq!(
            text.lines().last().unwrap(),
            "   -  C          0.95     1500.00  infeasible: latency_ms = 1500.00 > 100"
        );
    }

    #[test]
    fn constraints_and_violations_print_as_inequalities() {
        let c = Constraint::at_least("recall[3]", 0.9);
        assert_eq!(c.to_string(), "recall[3] ≥ 0.9");
        let v = Violation {
            constraint: c,
            value: 0.85,
        };
        assert_eq!(v.to_string(), "recall[3] = 0.8500 < 0.9");
    }

    #[test]
    fn without_constraints_the_header_has_only_the_goal() {
        let candidates = [ModelScore::new("only").with("cost", 0.25)];
        let ranking = select_best(&candidates, &Criterion::minimize("cost"), &[]).unwrap();
        let expected = "\
minimize cost
rank  model    cost  status
   1  only   0.2500  feasible
";
        assert_eq!(ranking.to_string(), expected);
    }
}
