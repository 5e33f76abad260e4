//! The properties of the `training` target: training checkpoints
//! (`checkpoint::load_training`) into [`Mlp`] with Adam and with a Frozen Adam, and partial
//! loads (`checkpoint::load_layers`, `load_layers_renamed`) from the same file.
//!
//! The readers take a path, so each input is written to a file of its own process under
//! `/dev/shm` (tmpfs; the system's temporary directory where there is none).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use constnn::checkpoint::{self, Progress};
use constnn::layer::{BufferRef, ParamRef, VisitorRef};
use constnn::optim::{Adam, AdamConfig, Frozen, Optimizer, Snapshot};
use constnn::prelude::*;
use constnn::train::{FitConfig, fit};

/// The hidden layers of [`Mlp`], nested so that tensor names have two dots
/// (`base.bn1.running_mean`).
#[derive(Network, Clone)]
#[network(input = 3)]
pub struct Base {
    d1: Dense<3, 2>,
    bn1: BatchNorm<2>,
    r1: Relu,
}

/// The network training checkpoints are loaded into: dense layers, batch norm (parameters
/// and running-statistics buffers) and a nested network, in `f32`. `d2` and `out` have the
/// same shapes, and so do `base.bn1` and `bn2`, for the renamed partial loads.
#[derive(Network, Clone)]
#[network(input = 3)]
pub struct Mlp {
    base: Base,
    d2: Dense<2, 2>,
    bn2: BatchNorm<2>,
    r2: Relu,
    out: Dense<2, 2>,
}

/// The layers [`Frozen`] keeps fixed in the frozen runs.
pub const FROZEN: &[&str] = &["base"];
/// The layers of [`checkpoint::load_layers`].
const LAYERS: &[&str] = &["base", "d2"];
/// The `(in_file, in_model)` pairs of [`checkpoint::load_layers_renamed`].
const RENAMED: &[(&str, &str)] = &[("base.bn1", "bn2"), ("d2", "out")];

impl Mlp {
    /// Parameter `k` (in visiting order) set to `0.1 · ((7k mod 11) − 5)`; buffers at their
    /// defaults.
    pub fn numbered() -> Self {
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
        let values: Vec<f32> = (0..net.num_params())
            .map(|k| 0.1 * ((7 * k % 11) as f32 - 5.0))
            .collect();
        net.set_values_from(&values);
        net
    }
}

/// Adam with `α = 0.01`.
pub fn adam() -> Adam<f32> {
    Adam::new(AdamConfig {
        lr: 0.01,
        ..AdamConfig::default()
    })
    .expect("valid settings")
}

/// Adam with `α = 0.01` over every layer but [`FROZEN`].
pub fn frozen_adam(net: &Mlp) -> Frozen<Adam<f32>> {
    Frozen::new(adam(), net, FROZEN).expect("`base` has parameters")
}

/// [`Mlp::numbered`] after one epoch of `opt` over four samples in mini-batches of two:
/// two steps, with the running statistics updated. With `checkpoint`, `fit` writes its
/// training checkpoint there after the epoch.
pub fn trained<O: Optimizer<f32> + Send>(
    opt: &mut O,
    checkpoint: Option<PathBuf>,
) -> constnn::Result<Mlp> {
    let x = Batch::<3, f32>::from_fn(4, |i, j| (i as f32 - 1.0) * (j as f32 + 0.5));
    let y = Batch::<2, f32>::from_fn(4, |i, j| f32::from(u8::from(i == j % 2)));
    let mut net = Mlp::numbered();
    let cfg = FitConfig {
        epochs: 1,
        batch_size: 2,
        verbose: false,
        checkpoint,
        ..FitConfig::default()
    };
    fit(&mut net, &SoftmaxCrossEntropy, opt, (&x, &y), None, &cfg)?;
    Ok(net)
}

/// A model and an optimizer as they stand before a load, and the optimizer's state.
struct Before<O> {
    net: Mlp,
    opt: O,
    snapshot: Snapshot<f32>,
}

impl<O: Optimizer<f32> + Clone> Before<O> {
    fn new(net: Mlp, opt: O) -> Self {
        Before {
            snapshot: opt.snapshot(),
            net,
            opt,
        }
    }

    /// Whether `net` (parameters and buffers) and `opt` are bit for bit what they were.
    fn unchanged(&self, net: &Mlp, opt: &O) -> bool {
        bits_of_net(net) == bits_of_net(&self.net) && same_snapshot(&opt.snapshot(), &self.snapshot)
    }
}

/// The model and optimizer before a load, with Adam and with Frozen Adam.
type Befores = (Before<Adam<f32>>, Before<Frozen<Adam<f32>>>);

/// Both optimizers after two steps of training (so that both have state a load could
/// overwrite), computed once per process.
fn befores() -> &'static Befores {
    static CELL: OnceLock<Befores> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut opt = adam();
        let net = trained(&mut opt, None).expect("trains");
        let plain = Before::new(net, opt);
        let mut opt = frozen_adam(&Mlp::numbered());
        let net = trained(&mut opt, None).expect("trains");
        (plain, Before::new(net, opt))
    })
}

/// This process's directory for the input and the re-saved checkpoints.
fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("constnn-fuzz-training-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch directory");
        dir
    })
}

/// The file `data` as a training checkpoint into both optimizers, and as a source of layers.
pub fn training(data: &[u8]) {
    let path = scratch().join(crate::NAME);
    std::fs::write(&path, data).expect("writes the input");
    let (plain, frozen) = befores();
    load_training(plain, &path, adam);
    load_training(frozen, &path, || frozen_adam(&Mlp::numbered()));
    load_layers(&plain.net, &path, data);
}

/// `load_training` into a copy of `before`: all or nothing, and a success re-saves and
/// reloads (into a fresh model and `fresh()` optimizer) to the same values and progress,
/// and the loaded optimizer can take a step.
fn load_training<O: Optimizer<f32> + Clone>(before: &Before<O>, path: &Path, fresh: fn() -> O) {
    let (mut net, mut opt) = (before.net.clone(), before.opt.clone());
    let progress = match checkpoint::load_training(&mut net, &mut opt, path) {
        Ok(progress) => progress,
        Err(e) => {
            assert_checkpoint_error(&e, path);
            assert!(
                before.unchanged(&net, &opt),
                "a failed training load changed the model or the optimizer: {e}"
            );
            return;
        }
    };
    let again_path = scratch().join("resaved.safetensors");
    checkpoint::save_training(&net, &opt, &progress, &again_path).expect("saves what it loaded");
    let (mut again, mut again_opt) = (Mlp::numbered(), fresh());
    let again_progress = checkpoint::load_training(&mut again, &mut again_opt, &again_path)
        .expect("a saved training checkpoint loads");
    assert!(
        same_progress(&progress, &again_progress),
        "progress {progress:?} reloads as {again_progress:?}"
    );
    assert!(
        bits_of_net(&net) == bits_of_net(&again),
        "values change in a save and reload"
    );
    assert!(
        same_snapshot(&opt.snapshot(), &again_opt.snapshot()),
        "the optimizer's state changes in a save and reload"
    );
    // Training resumes: one step from the loaded state (zero or stale gradients do).
    opt.step(&mut net);
}

/// `load_layers` and `load_layers_renamed` into copies of `before`: all or nothing; a
/// success loads exactly the selected tensors, with the file's values, and leaves the rest.
fn load_layers(before: &Mlp, path: &Path, data: &[u8]) {
    let mut net = before.clone();
    let result = checkpoint::load_layers(&mut net, path, LAYERS);
    check_partial(before, &net, result, path, data, |name| {
        LAYERS
            .iter()
            .any(|l| under(name, l).is_some())
            .then(|| name.to_string())
    });
    let mut net = before.clone();
    let result = checkpoint::load_layers_renamed(&mut net, path, RENAMED);
    check_partial(before, &net, result, path, data, |name| {
        RENAMED
            .iter()
            .find_map(|(file, model)| under(name, model).map(|rest| format!("{file}{rest}")))
    });
}

/// Checks a partial load's outcome: `file_name(model tensor)` is the tensor's name in the
/// file when it was selected.
fn check_partial(
    before: &Mlp,
    net: &Mlp,
    result: constnn::Result<Vec<String>>,
    path: &Path,
    data: &[u8],
    file_name: impl Fn(&str) -> Option<String>,
) {
    let loaded = match result {
        Ok(loaded) => loaded,
        Err(e) => {
            assert_checkpoint_error(&e, path);
            assert!(
                bits_of_net(net) == bits_of_net(before),
                "a failed partial load changed the model: {e}"
            );
            return;
        }
    };
    let file = safetensors::SafeTensors::deserialize(data).expect("an accepted file parses");
    let selected: Vec<String> = tensors(before)
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| file_name(name).is_some())
        .collect();
    assert_eq!(loaded, selected, "the loaded tensors");
    for ((name, now), (_, was)) in tensors(net).into_iter().zip(tensors(before)) {
        let Some(in_file) = file_name(&name) else {
            assert!(now == was, "{name} was not selected but changed");
            continue;
        };
        let view = file
            .tensor(&in_file)
            .expect("a loaded tensor is in the file");
        assert_eq!(view.dtype(), safetensors::Dtype::F32, "{in_file}");
        let want: Vec<u32> = view
            .data()
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]).to_bits())
            .collect();
        assert!(same_bits(&now, &want), "{name} differs from {in_file}");
    }
}

/// The part of `name` after the layer `prefix`, or `None` when it is not under it.
fn under<'a>(name: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = name.strip_prefix(prefix)?;
    (rest.is_empty() || rest.starts_with('.')).then_some(rest)
}

fn assert_checkpoint_error(e: &Error, path: &Path) {
    let named = match e {
        Error::Checkpoint { path: p, .. }
        | Error::CheckpointShape { path: p, .. }
        | Error::CheckpointDtype { path: p, .. }
        | Error::CheckpointMissing { path: p, .. }
        | Error::CheckpointExtra { path: p, .. } => p == path,
        _ => false,
    };
    assert!(named, "unexpected error {e:?}");
    let _ = e.to_string();
}

/// Every tensor of `net` (parameters and buffers) by full name, as bits, in visiting order.
fn tensors(net: &Mlp) -> Vec<(String, Vec<u32>)> {
    struct Walk {
        scope: Vec<&'static str>,
        out: Vec<(String, Vec<u32>)>,
    }
    impl Walk {
        fn push(&mut self, name: &str, value: &[f32]) {
            let mut full = self.scope.join(".");
            if !full.is_empty() {
                full.push('.');
            }
            full.push_str(name);
            self.out
                .push((full, value.iter().map(|v| v.to_bits()).collect()));
        }
    }
    impl VisitorRef<f32> for Walk {
        fn param(&mut self, p: ParamRef<'_, f32>) {
            self.push(p.name, p.value);
        }
        fn buffer(&mut self, b: BufferRef<'_, f32>) {
            self.push(b.name, b.value);
        }
        fn enter(&mut self, scope: &'static str) {
            self.scope.push(scope);
        }
        fn leave(&mut self) {
            let _ = self.scope.pop();
        }
    }
    let mut walk = Walk {
        scope: Vec::new(),
        out: Vec::new(),
    };
    net.visit_ref(&mut walk);
    walk.out
}

/// The bits of every tensor of `net`, parameters (`values_to_vec`) and buffers.
fn bits_of_net(net: &Mlp) -> Vec<u32> {
    let mut bits: Vec<u32> = net.values_to_vec().iter().map(|v| v.to_bits()).collect();
    bits.extend(tensors(net).into_iter().flat_map(|(_, v)| v));
    bits
}

/// Equal bits, or both NaN (a NaN read from a file may come back quieted).
fn same_bits(a: &[u32], b: &[u32]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(&x, &y)| x == y || (f32::from_bits(x).is_nan() && f32::from_bits(y).is_nan()))
}

fn same_snapshot(a: &Snapshot<f32>, b: &Snapshot<f32>) -> bool {
    let bits = |s: &Snapshot<f32>| -> Vec<Vec<Vec<u32>>> {
        s.tensors
            .iter()
            .map(|t| {
                t.iter()
                    .map(|b| b.iter().map(|v| v.to_bits()).collect())
                    .collect()
            })
            .collect()
    };
    (a.kind, a.steps, a.slots) == (b.kind, b.steps, b.slots) && bits(a) == bits(b)
}

fn same_progress(a: &Progress, b: &Progress) -> bool {
    (a.epochs, a.steps, a.run) == (b.epochs, b.steps, b.run)
        && (a.lr0.to_bits() == b.lr0.to_bits() || (a.lr0.is_nan() && b.lr0.is_nan()))
}
