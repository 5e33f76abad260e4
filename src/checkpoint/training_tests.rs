//! Regression tests of training checkpoints on the inputs the `training` fuzz target
//! (fuzz/fuzz_targets/training.rs) failed on, kept under tests/regressions/training/.

use std::path::Path;

use super::*;
use crate::layer::Param;
use crate::optim::{Adam, AdamConfig, Optimizer};
use crate::prelude::*;

/// The fuzz target's network: dense and batch-norm layers, some nested under `base`.
#[derive(Network)]
#[network(input = 3)]
struct Base {
    d1: Dense<3, 2>,
    bn1: BatchNorm<2>,
    r1: Relu,
}

#[derive(Network)]
#[network(input = 3)]
struct Mlp {
    base: Base,
    d2: Dense<2, 2>,
    bn2: BatchNorm<2>,
    r2: Relu,
    out: Dense<2, 2>,
}

/// Every parameter `value`, every gradient 1, buffers at their defaults.
fn mlp(value: f32) -> Mlp {
    let mut net = Mlp {
        base: Base {
            d1: Dense::zeros(),
            bn1: BatchNorm::new(),
            r1: Relu,
        },
        d2: Dense::zeros(),
        bn2: BatchNorm::new(),
        r2: Relu,
        out: Dense::zeros(),
    };
    net.visit(&mut |p: Param<'_, f32>| {
        p.value.fill(value);
        p.grad.fill(1.0);
    });
    net
}

fn adam() -> Adam<f32> {
    Adam::new(AdamConfig {
        lr: 0.01,
        ..AdamConfig::default()
    })
    .unwrap()
}

fn regression(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/regressions/training")
        .join(name)
}

#[test]
fn a_bad_progress_field_changes_neither_the_model_nor_the_optimizer() {
    // A checkpoint written before any step, with the key `constnn.steps` mutated to
    // `constan.steps`. The progress used to be read after the optimizer's state and the
    // model's tensors were written, so the load failed with both already replaced.
    let path = regression("misspelled-steps-key.safetensors");
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.windows(15).any(|w| w == br#""constan.steps""#));
    let mut net = mlp(0.5);
    let mut opt = adam();
    opt.step(&mut net); // state for every tensor, t = 1: what a load would replace
    let (model, state) = (save_bytes(&net).unwrap(), opt.snapshot());
    assert_eq!((state.steps, state.tensors.len()), (1, 10));

    let err = load_training(&mut net, &mut opt, &path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}: no `constnn.steps` in the header: not a training checkpoint",
            path.display()
        )
    );
    assert!(save_bytes(&net).unwrap() == model, "the model changed");
    assert_eq!(opt.snapshot(), state, "the optimizer changed");
}

#[test]
fn a_step_count_of_u64_max_loads_and_the_next_step_saturates() {
    // The fuzz target's checkpoint before any step, with `constnn.optimizer.steps` set to
    // 2⁶⁴ − 1 (crafted: the target steps the loaded optimizer once). `t += 1` overflowed.
    let path = regression("adam-steps-u64-max.safetensors");
    let mut net = mlp(0.5);
    let mut opt = adam();
    let progress = load_training(&mut net, &mut opt, &path).unwrap();
    assert_eq!(
        (progress, opt.steps()),
        (
            Progress {
                epochs: 0,
                steps: 0,
                lr0: 0.01,
                run: None, // written before the run's settings were recorded
            },
            u64::MAX
        )
    );
    let before = net.values_to_vec();
    net.visit(&mut |p: Param<'_, f32>| p.grad.fill(1.0));
    opt.step(&mut net);
    assert_eq!(opt.steps(), u64::MAX);
    // From zero averages with dW = 1: v = 0.1, s = 0.001, and at t = 2⁶⁴ − 1 the corrections
    // 1 − β^t are 1, so each entry moves by α·v/(√s + ε) = 0.01·0.1/(0.0316227766 + 1e-8)
    // = 0.0316227666 (a wrapped t = 1 would move it by α/(1 + ε) = 0.0099999999).
    for (b, a) in before.iter().zip(net.values_to_vec()) {
        assert!((b - a - 0.031_622_767).abs() < 1e-6, "{b} → {a}");
    }
}

#[test]
fn a_learning_rate_of_0_or_nan_is_refused_when_saving_and_loading() {
    // Before: `save_training` wrote such a checkpoint, which `load_training` then refused
    // forever. Now the save fails and writes nothing.
    let dir = std::env::temp_dir().join(format!("constnn-lr0-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("t.safetensors");
    for (lr0, text) in [(0.0, "0"), (f64::NAN, "NaN"), (-1.0, "-1")] {
        let bad = Progress {
            epochs: 1,
            steps: 1,
            lr0,
            run: None,
        };
        let err = save_training(&mlp(0.5), &adam(), &bad, &path).unwrap_err();
        let want = format!("Progress lr0 = {text}: must be a finite number > 0");
        assert_eq!(err.to_string(), want);
        assert!(!path.exists());
    }
    // A file with lr0 = NaN all the same (a valid one with `0.5` edited to `NaN`, the same
    // length) is refused on load, and leaves the model as it was.
    let good = Progress {
        epochs: 1,
        steps: 1,
        lr0: 0.5,
        run: None,
    };
    save_training(&mlp(0.5), &adam(), &good, &path).unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes
        .windows(19)
        .position(|w| w == br#""constnn.lr0":"0.5""#)
        .unwrap();
    bytes[at + 15..at + 18].copy_from_slice(b"NaN");
    std::fs::write(&path, bytes).unwrap();
    let mut model = mlp(0.25);
    let err = load_training(&mut model, &mut adam(), &path).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("`constnn.lr0` is NaN, not a positive learning rate"),
        "{err}"
    );
    assert_eq!(model.values_to_vec(), mlp(0.25).values_to_vec());
    std::fs::remove_dir_all(dir).unwrap();
}
