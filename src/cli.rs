//! Command-line flags for the examples: `--name value` or `--name=value`, each flag declared
//! with its help text, every bad input a typed [`Error::Flag`] (exit code 2), never a panic.
//!
//! ```
//! use constnn::cli::Args;
//! let args = Args::parse(["--lr", "0.5", "--epochs=3"], &[("--lr", "learning rate"), ("--epochs", "passes")])?;
//! assert_eq!(args.get("--lr", 0.1)?, 0.5);
//! assert_eq!(args.get("--epochs", 10usize)?, 3);
//! assert_eq!(args.get("--seed", 7u64)?, 7); // absent: the default
//! # Ok::<(), constnn::Error>(())
//! ```

use std::ffi::OsString;
use std::process::ExitCode;
use std::str::FromStr;

use crate::{Error, Result};

/// Parsed `--flag value` pairs.
#[derive(Clone, Debug, Default)]
pub struct Args {
    values: Vec<(String, String)>,
    help: bool,
}

impl Args {
    /// Parses `args` (without the program name) against the `known` flags.
    ///
    /// # Errors
    /// [`Error::Flag`] for an unknown flag, a missing value, a repeated flag or non-UTF-8 text.
    pub fn parse<I, S>(args: I, known: &[(&str, &str)]) -> Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        let flag_err = |flag: &str, reason: String| Error::Flag {
            flag: flag.into(),
            reason,
        };
        let mut out = Self::default();
        let mut it = args.into_iter().map(Into::into);
        while let Some(arg) = it.next() {
            let arg = arg
                .into_string()
                .map_err(|a| flag_err(&a.to_string_lossy(), "not valid UTF-8".into()))?;
            if arg == "-h" || arg == "--help" {
                out.help = true;
                continue;
            }
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) => (f.to_owned(), Some(v.to_owned())),
                None => (arg, None),
            };
            if !known.iter().any(|(k, _)| *k == flag) {
                let names: Vec<&str> = known.iter().map(|(k, _)| *k).collect();
                return Err(flag_err(
                    &flag,
                    format!("unknown flag (known: {})", names.join(", ")),
                ));
            }
            if out.values.iter().any(|(f, _)| *f == flag) {
                return Err(flag_err(&flag, "given twice".into()));
            }
            let value = match inline {
                Some(v) => v,
                None => it
                    .next()
                    .ok_or_else(|| flag_err(&flag, "missing value".into()))?
                    .into_string()
                    .map_err(|_| flag_err(&flag, "value is not valid UTF-8".into()))?,
            };
            out.values.push((flag, value));
        }
        Ok(out)
    }

    /// `true` when `-h` or `--help` was given.
    pub fn wants_help(&self) -> bool {
        self.help
    }

    /// The value of `flag` parsed as `V`, or `default` when absent.
    ///
    /// # Errors
    /// [`Error::Flag`] when the value does not parse as `V`.
    pub fn get<V: FromStr>(&self, flag: &str, default: V) -> Result<V> {
        match self.values.iter().find(|(f, _)| f == flag) {
            None => Ok(default),
            Some((_, v)) => v.parse().map_err(|_| Error::Flag {
                flag: flag.into(),
                reason: format!("`{v}` is not a valid {}", short_type_name::<V>()),
            }),
        }
    }

    /// Like [`Args::get`] for a number that must be finite and > 0 (learning rates).
    ///
    /// # Errors
    /// [`Error::Flag`] when the value is not a positive finite number.
    pub fn positive(&self, flag: &str, default: f64) -> Result<f64> {
        let v = self.get(flag, default)?;
        if v.is_finite() && v > 0.0 {
            Ok(v)
        } else {
            Err(Error::Flag {
                flag: flag.into(),
                reason: format!("`{v}` is not a positive finite number"),
            })
        }
    }
}

fn short_type_name<V>() -> &'static str {
    let full = core::any::type_name::<V>();
    match full {
        "usize" | "u64" | "u32" => "non-negative integer",
        "f64" | "f32" => "number",
        _ => full.rsplit("::").next().unwrap_or(full),
    }
}

/// Runs an example's `main`: parses the command line against `known` (printing `usage` for
/// `--help`), then `body`. Flag errors exit with 2 and the usage, other errors with 1.
pub fn run(
    usage: &str,
    known: &[(&str, &str)],
    body: impl FnOnce(&Args) -> Result<()>,
) -> ExitCode {
    let help = || {
        let lines: Vec<String> = known
            .iter()
            .map(|(f, h)| format!("  {f:<14} {h}"))
            .collect();
        format!("{usage}\n{}", lines.join("\n"))
    };
    let args = match Args::parse(std::env::args_os().skip(1), known) {
        Ok(a) if a.wants_help() => {
            println!("{}", help());
            return ExitCode::SUCCESS;
        }
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}\n{}", help());
            return ExitCode::from(2);
        }
    };
    match body(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e @ Error::Flag { .. }) => {
            eprintln!("error: {e}\n{}", help());
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[(&str, &str)] = &[("--lr", "learning rate"), ("--iters", "iterations")];

    #[test]
    fn bad_inputs_are_typed_errors() {
        let e = |v: &[&str]| {
            Args::parse(v.iter().copied(), KNOWN)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            e(&["--epochs", "3"]),
            "flag --epochs: unknown flag (known: --lr, --iters)"
        );
        assert_eq!(e(&["--lr"]), "flag --lr: missing value");
        assert_eq!(e(&["--lr", "1", "--lr=2"]), "flag --lr: given twice");
        let args = Args::parse(["--iters", "-3", "--lr", "abc"], KNOWN).unwrap();
        assert_eq!(
            args.get("--iters", 1usize).unwrap_err().to_string(),
            "flag --iters: `-3` is not a valid non-negative integer"
        );
        assert_eq!(
            args.positive("--lr", 0.1).unwrap_err().to_string(),
            "flag --lr: `abc` is not a valid number"
        );
        let args = Args::parse(["--lr=-1"], KNOWN).unwrap();
        assert_eq!(
            args.positive("--lr", 0.1).unwrap_err().to_string(),
            "flag --lr: `-1` is not a positive finite number"
        );
    }

    #[test]
    fn help_is_recognised() {
        assert!(Args::parse(["-h"], KNOWN).unwrap().wants_help());
        assert!(!Args::parse(["--lr", "2"], KNOWN).unwrap().wants_help());
    }
}
