//! The examples' flag parser (`examples/cli/mod.rs`, on `lexopt`): every bad input is a typed
//! flag error, never a panic. It lives with the examples, not in the library.

#[path = "../examples/cli/mod.rs"]
mod cli;

use cli::Args;

const KNOWN: &[(&str, &str)] = &[("--lr", "learning rate"), ("--iters", "iterations")];

fn error(args: &[&str]) -> String {
    Args::parse(args.iter().copied(), KNOWN)
        .unwrap_err()
        .to_string()
}

#[test]
fn values_come_in_both_spellings_and_absent_flags_take_the_default() {
    let args = Args::parse(["--lr", "0.5", "--iters=3"], KNOWN).unwrap();
    assert_eq!(args.get("--lr", 0.1).unwrap(), 0.5);
    assert_eq!(args.get("--iters", 10usize).unwrap(), 3);
    assert_eq!(args.get("--seed", 7u64).unwrap(), 7);
    // A value may start with a dash.
    let args = Args::parse(["--iters", "-3"], KNOWN).unwrap();
    assert_eq!(
        args.get("--iters", 1usize).unwrap_err().to_string(),
        "flag --iters: `-3` is not a valid non-negative integer"
    );
}

#[test]
fn bad_inputs_are_typed_errors() {
    assert_eq!(
        error(&["--epochs", "3"]),
        "flag --epochs: unknown flag (known: --lr, --iters)"
    );
    assert_eq!(error(&["--lr"]), "flag --lr: missing value");
    assert_eq!(error(&["--lr", "1", "--lr=2"]), "flag --lr: given twice");
    assert_eq!(
        error(&["stray"]),
        "flag stray: unexpected argument (flags: --lr, --iters)"
    );
    let args = Args::parse(["--lr", "abc"], KNOWN).unwrap();
    assert_eq!(
        args.positive("--lr", 0.1).unwrap_err().to_string(),
        "flag --lr: `abc` is not a valid number"
    );
    let args = Args::parse(["--lr=-1", "--iters=0"], KNOWN).unwrap();
    assert_eq!(
        args.positive("--lr", 0.1).unwrap_err().to_string(),
        "flag --lr: `-1` is not a positive finite number"
    );
    assert_eq!(
        args.at_least_one("--iters", 5).unwrap_err().to_string(),
        "flag --iters: must be at least 1"
    );
}

#[test]
fn help_is_recognised() {
    assert!(Args::parse(["-h"], KNOWN).unwrap().wants_help());
    assert!(Args::parse(["--help"], KNOWN).unwrap().wants_help());
    assert!(!Args::parse(["--lr", "2"], KNOWN).unwrap().wants_help());
}
