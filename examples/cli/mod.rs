//! Command-line flags of the examples (not part of the library): `--name value` or
//! `--name=value`, read with the `lexopt` crate, each flag declared with its help text, every
//! bad input an [`Error::Flag`] (exit code 2, with the usage), never a panic.
//!
//! Each example includes this file with `mod cli;` and uses what it needs of it.
#![allow(dead_code)]

use std::ffi::OsString;
use std::process::ExitCode;
use std::str::FromStr;

/// What an example's `run` can fail with.
#[derive(Debug)]
pub enum Error {
    /// A flag is unknown, repeated, without a value, or has a bad value.
    Flag {
        /// The flag, e.g. `--lr`.
        flag: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An error of the library.
    Lib(constnn::Error),
}

impl From<constnn::Error> for Error {
    fn from(e: constnn::Error) -> Self {
        Error::Lib(e)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Flag { flag, reason } => write!(f, "flag {flag}: {reason}"),
            Error::Lib(e) => write!(f, "{e}"),
        }
    }
}

/// `Result` with [`Error`].
pub type Result<T = ()> = std::result::Result<T, Error>;

/// A bad value of `flag`.
pub fn flag(flag: &str, reason: impl Into<String>) -> Error {
    Error::Flag {
        flag: flag.into(),
        reason: reason.into(),
    }
}

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
    /// [`Error::Flag`] for an unknown flag, a stray argument, a missing value, a repeated flag
    /// or non-UTF-8 text.
    pub fn parse<I, S>(args: I, known: &[(&str, &str)]) -> Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        use lexopt::Arg::{Long, Short, Value};
        let mut out = Self::default();
        let mut parser = lexopt::Parser::from_args(args);
        let names = || known.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ");
        while let Some(arg) = parser.next().map_err(|e| flag("?", e.to_string()))? {
            let name = match arg {
                Short('h') | Long("help") => {
                    out.help = true;
                    continue;
                }
                Long(name) => format!("--{name}"),
                Short(c) => {
                    return Err(flag(
                        &format!("-{c}"),
                        format!("unknown flag (known: {})", names()),
                    ));
                }
                Value(v) => {
                    let v = v.to_string_lossy();
                    return Err(flag(
                        &v,
                        format!("unexpected argument (flags: {})", names()),
                    ));
                }
            };
            if !known.iter().any(|(k, _)| *k == name) {
                return Err(flag(&name, format!("unknown flag (known: {})", names())));
            }
            if out.values.iter().any(|(f, _)| *f == name) {
                return Err(flag(&name, "given twice"));
            }
            let value = match parser.value() {
                Ok(v) => v
                    .into_string()
                    .map_err(|_| flag(&name, "value is not valid UTF-8"))?,
                Err(lexopt::Error::MissingValue { .. }) => {
                    return Err(flag(&name, "missing value"));
                }
                Err(e) => return Err(flag(&name, e.to_string())),
            };
            out.values.push((name, value));
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
    pub fn get<V: FromStr>(&self, name: &str, default: V) -> Result<V> {
        match self.values.iter().find(|(f, _)| f == name) {
            None => Ok(default),
            Some((_, v)) => v
                .parse()
                .map_err(|_| flag(name, format!("`{v}` is not a valid {}", type_name::<V>()))),
        }
    }

    /// Like [`Args::get`] for a number that must be finite and > 0 (learning rates).
    ///
    /// # Errors
    /// [`Error::Flag`] when the value is not a positive finite number.
    pub fn positive(&self, name: &str, default: f64) -> Result<f64> {
        let v = self.get(name, default)?;
        if v.is_finite() && v > 0.0 {
            Ok(v)
        } else {
            Err(flag(name, format!("`{v}` is not a positive finite number")))
        }
    }

    /// Like [`Args::get`] for a count that must be at least 1 (epochs, batch sizes).
    ///
    /// # Errors
    /// [`Error::Flag`] when the value is not an integer ≥ 1.
    pub fn at_least_one(&self, name: &str, default: usize) -> Result<usize> {
        match self.get(name, default)? {
            0 => Err(flag(name, "must be at least 1")),
            n => Ok(n),
        }
    }
}

fn type_name<V>() -> &'static str {
    let full = std::any::type_name::<V>();
    match full {
        "usize" | "u64" | "u32" => "non-negative integer",
        "f64" | "f32" => "number",
        _ => full.rsplit("::").next().unwrap_or(full),
    }
}

/// Runs an example's `main`: parses the command line against `known` (printing `usage` for
/// `--help`), then `body`. Flag errors exit with 2 and the usage, other errors with 1.
pub fn run(usage: &str, known: &[(&str, &str)], body: impl FnOnce(&Args) -> Result) -> ExitCode {
    let help = || {
        let lines: Vec<String> = known
            .iter()
            .map(|(f, h)| format!("  {f:<14} {h}"))
            .collect();
        format!("{usage}\n{}", lines.join("\n"))
    };
    let outcome = Args::parse(std::env::args_os().skip(1), known).and_then(|args| {
        if args.wants_help() {
            println!("{}", help());
            return Ok(());
        }
        body(&args)
    });
    match outcome {
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
