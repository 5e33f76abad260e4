//! Error analysis: the misclassified dev examples counted by category (course 3, week 2).
//!
//! Each dev example gets tags (`"blurry"`, `"dog mistaken for cat"`, [`MISLABELED`], …; an
//! example may have several, or none). Over the `E` misclassified examples of a dev set of
//! `m`:
//!
//! ```text
//! share(t)          = errors tagged t / E        the ceiling: fixing every error of category t
//!                                                removes at most this share of the errors
//! dev error if fixed = (E − errors tagged t) / m
//! error rate in t   = errors tagged t / examples tagged t
//! ```
//!
//! Shares may add up to more than 100 % since an example can carry several tags. A large
//! share for [`MISLABELED`] says that correcting the dev labels is worth the effort; a small
//! one says it is not, yet.
//!
//! ```
//! use constnn::metrics::{ErrorAnalysis, MISLABELED};
//!
//! # fn main() -> constnn::Result<()> {
//! let predicted = [0, 1, 1, 0, 1];
//! let actual = [0, 0, 1, 1, 0];
//! let tags = |i: usize| match i {
//!     1 => vec!["blurry", MISLABELED],
//!     3 | 4 => vec!["blurry"],
//!     _ => vec![],
//! };
//! let table = ErrorAnalysis::tally(&predicted, &actual, tags)?;
//! assert_eq!(table.errors(), 3);                 // examples 1, 3 and 4
//! assert_eq!(table.share("blurry"), 1.0);        // all three are blurry
//! assert_eq!(table.share(MISLABELED), 1.0 / 3.0);
//! print!("{table}");
//! # Ok(())
//! # }
//! ```

use core::cmp::Reverse;
use core::fmt;

use super::accuracy::check_lengths;
use crate::{Error, Result};

/// The tag for examples whose label is wrong.
pub const MISLABELED: &str = "mislabeled";

/// The counts of one tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagRow {
    /// The tag.
    pub tag: String,
    /// Misclassified examples with this tag.
    pub errors: usize,
    /// All examples with this tag, right or wrong.
    pub examples: usize,
}

/// Misclassified examples counted by tag, most frequent tag first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorAnalysis {
    examples: usize,
    errors: usize,
    untagged: usize,
    rows: Vec<TagRow>,
}

impl ErrorAnalysis {
    /// Tags every example `i` with `tags(i)` (repeats count once) and counts, per tag, the
    /// examples and the errors (`predicted[i] ≠ actual[i]`).
    ///
    /// # Errors
    /// [`Error::Data`] when the slices have different lengths or are empty.
    pub fn tally<I, S>(
        predicted: &[usize],
        actual: &[usize],
        mut tags: impl FnMut(usize) -> I,
    ) -> Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        check_lengths(predicted.len(), actual.len())?;
        let mut out = Self {
            examples: actual.len(),
            errors: 0,
            untagged: 0,
            rows: Vec::new(),
        };
        let mut seen: Vec<usize> = Vec::new(); // rows already counted for this example
        for (i, (p, a)) in predicted.iter().zip(actual).enumerate() {
            let wrong = p != a;
            out.errors += usize::from(wrong);
            seen.clear();
            for tag in tags(i) {
                let tag = tag.as_ref();
                let r = match out.rows.iter().position(|r| r.tag == tag) {
                    Some(r) => r,
                    None => {
                        out.rows.push(TagRow {
                            tag: tag.to_owned(),
                            errors: 0,
                            examples: 0,
                        });
                        out.rows.len() - 1
                    }
                };
                if !seen.contains(&r) {
                    seen.push(r);
                    out.rows[r].examples += 1;
                    out.rows[r].errors += usize::from(wrong);
                }
            }
            out.untagged += usize::from(wrong && seen.is_empty());
        }
        out.rows
            .sort_by_key(|r| (Reverse(r.errors), Reverse(r.examples), r.tag.clone()));
        Ok(out)
    }

    /// [`ErrorAnalysis::tally`] with the tags given as one list per example.
    ///
    /// # Errors
    /// [`Error::Data`] when the three lengths differ or are zero.
    pub fn from_tag_lists<S: AsRef<str>>(
        predicted: &[usize],
        actual: &[usize],
        tags: &[Vec<S>],
    ) -> Result<Self> {
        if tags.len() != actual.len() {
            return Err(Error::Data {
                what: "error analysis tags".to_owned(),
                reason: format!("{} tag lists for {} labels", tags.len(), actual.len()),
            });
        }
        Self::tally(predicted, actual, |i| tags[i].iter())
    }

    /// The number of examples `m`.
    pub fn examples(&self) -> usize {
        self.examples
    }

    /// The number of misclassified examples `E`.
    pub fn errors(&self) -> usize {
        self.errors
    }

    /// `E / m`.
    pub fn error_rate(&self) -> f64 {
        self.errors as f64 / self.examples as f64
    }

    /// Misclassified examples with no tag.
    pub fn untagged(&self) -> usize {
        self.untagged
    }

    /// Every tag's counts, most errors first (then most examples, then by name).
    pub fn rows(&self) -> &[TagRow] {
        &self.rows
    }

    /// The counts of `tag`, if any example has it.
    pub fn row(&self, tag: &str) -> Option<&TagRow> {
        self.rows.iter().find(|r| r.tag == tag)
    }

    /// The share of the errors tagged `tag` (the ceiling on what fixing it can gain), 0 for an
    /// unknown tag or when there is no error.
    pub fn share(&self, tag: &str) -> f64 {
        let n = self.row(tag).map_or(0, |r| r.errors);
        if self.errors == 0 {
            0.0
        } else {
            n as f64 / self.errors as f64
        }
    }

    /// The error rate left if every error tagged `tag` were fixed.
    pub fn error_if_fixed(&self, tag: &str) -> f64 {
        let n = self.row(tag).map_or(0, |r| r.errors);
        (self.errors - n) as f64 / self.examples as f64
    }
}

/// One line per tag: errors, share of the errors, the error rate if they were fixed, how many
/// examples carry the tag and how often those are wrong; then the untagged errors.
impl fmt::Display for ErrorAnalysis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = |x: f64| format!("{:.1} %", 100.0 * x);
        writeln!(
            f,
            "{} errors in {} examples (error {:.2} %)",
            self.errors,
            self.examples,
            100.0 * self.error_rate()
        )?;
        let w = self
            .rows
            .iter()
            .map(|r| r.tag.chars().count())
            .chain(["(no tag)".len(), "tag".len()])
            .max()
            .unwrap_or(0);
        writeln!(
            f,
            "{:<w$}  errors  share of errors  error if fixed  examples  error rate in tag",
            "tag"
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "{:<w$}  {:>6}  {:>15}  {:>14}  {:>8}  {:>17}",
                r.tag,
                r.errors,
                pct(self.share(&r.tag)),
                format!("{:.2} %", 100.0 * self.error_if_fixed(&r.tag)),
                r.examples,
                pct(r.errors as f64 / r.examples as f64)
            )?;
        }
        let untagged_share = if self.errors == 0 {
            0.0
        } else {
            self.untagged as f64 / self.errors as f64
        };
        writeln!(
            f,
            "{:<w$}  {:>6}  {:>15}",
            "(no tag)",
            self.untagged,
            pct(untagged_share)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 8 dev examples, 4 wrong:
    ///
    /// ```text
    /// i  predicted  actual  wrong  tags
    /// 0  0          0              blurry
    /// 1  1          0       ✗      blurry, great cat, blurry (the repeat counts once)
    /// 2  2          2              blurry
    /// 3  0          1       ✗      great cat, mislabeled
    /// 4  1          2       ✗      –
    /// 5  2          2              –
    /// 6  0          1       ✗      blurry
    /// 7  1          1              mislabeled
    /// ```
    /// blurry: examples 0, 1, 2, 6, errors 1, 6 → share 2/4, error if fixed 2/8, rate 2/4.
    /// great cat: examples 1, 3, both errors. mislabeled: examples 3, 7, one error → share
    /// 1/4, error if fixed 3/8. Untagged errors: example 4.
    fn hand_case() -> ErrorAnalysis {
        let predicted = [0, 1, 2, 0, 1, 2, 0, 1];
        let actual = [0, 0, 2, 1, 2, 2, 1, 1];
        let tags: Vec<Vec<&str>> = vec![
            vec!["blurry"],
            vec!["blurry", "great cat", "blurry"],
            vec!["blurry"],
            vec!["great cat", MISLABELED],
            vec![],
            vec![],
            vec!["blurry"],
            vec![MISLABELED],
        ];
        ErrorAnalysis::from_tag_lists(&predicted, &actual, &tags).unwrap()
    }

    #[test]
    fn counts_match_the_hand_tally() {
        let t = hand_case();
        assert_eq!((t.examples(), t.errors(), t.untagged()), (8, 4, 1));
        let counts: Vec<(&str, usize, usize)> = t
            .rows()
            .iter()
            .map(|r| (r.tag.as_str(), r.errors, r.examples))
            .collect();
        // blurry and great cat both have 2 errors; blurry has more examples, so it comes first.
        assert_eq!(
            counts,
            [("blurry", 2, 4), ("great cat", 2, 2), (MISLABELED, 1, 2)]
        );
        assert_eq!(t.share("blurry"), 0.5);
        assert_eq!(t.share(MISLABELED), 0.25);
        assert_eq!(t.share("no such tag"), 0.0);
        assert_eq!(t.error_if_fixed("great cat"), 0.25); // (4 − 2) / 8
        assert_eq!(t.error_rate(), 0.5);
    }

    #[test]
    fn display_is_a_table_with_the_untagged_errors() {
        let expected = "\
4 errors in 8 examples (error 50.00 %)
tag         errors  share of errors  error if fixed  examples  error rate in tag
blurry           2           50.0 %         25.00 %         4             50.0 %
great cat        2           50.0 %         25.00 %         2            100.0 %
mislabeled       1           25.0 %         37.50 %         2             50.0 %
(no tag)         1           25.0 %
";
        assert_eq!(hand_case().to_string(), expected);
    }

    #[test]
    fn no_errors_means_zero_shares() {
        let t = ErrorAnalysis::tally(&[1, 2], &[1, 2], |_| ["x"]).unwrap();
        assert_eq!(
            (t.errors(), t.share("x"), t.error_if_fixed("x")),
            (0, 0.0, 0.0)
        );
        assert_eq!(t.row("x").map(|r| r.examples), Some(2));
    }

    #[test]
    fn mismatched_lengths_are_data_errors() {
        let e = ErrorAnalysis::from_tag_lists(&[0, 1], &[0, 1], &[vec!["a"]]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "error analysis tags: 1 tag lists for 2 labels"
        );
        assert!(ErrorAnalysis::tally(&[0], &[0, 1], |_| [""; 0]).is_err());
        assert!(ErrorAnalysis::tally(&[], &[], |_| [""; 0]).is_err());
    }
}
