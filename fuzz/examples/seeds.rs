//! Writes the seed inputs under `fuzz/seeds/` from the repository's data files, from
//! `checkpoint::save_bytes` and from training runs. Run from `fuzz/`: `cargo run --example
//! seeds`.

use std::fs;
use std::io::{Read, Write};
use std::path::Path;

use constnn::checkpoint::{self, Progress};
use constnn::prelude::*;
use constnn_fuzz::{Mlp, Net, adam, frozen_adam, trained};

fn gunzip(path: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let file = fs::File::open(path).expect("data file");
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut out)
        .expect("gzip");
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("in memory");
    enc.finish().expect("in memory")
}

/// The first `n` samples of an IDX file of `header_len` bytes and `size` bytes per sample,
/// with the count in the header set to `n`.
fn first(file: &[u8], header_len: usize, size: usize, n: u32) -> Vec<u8> {
    let mut out = file[..header_len + size * n as usize].to_vec();
    out[4..8].copy_from_slice(&n.to_be_bytes());
    out
}

fn head(path: &str, lines: usize) -> Vec<u8> {
    let text = fs::read_to_string(path).expect("data file");
    let mut out: String = text.lines().take(lines).collect::<Vec<_>>().join("\n");
    out.push('\n');
    out.into_bytes()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    fs::create_dir_all(dir).expect("seed directory");
    fs::write(dir.join(name), bytes).expect("seed file");
    println!("{}/{name}: {} bytes", dir.display(), bytes.len());
}

fn main() {
    let seeds = Path::new("seeds");
    let data = "../data";

    let idx = seeds.join("idx");
    let images = gunzip(&format!("{data}/mnist/t10k-images-idx3-ubyte.gz"));
    let labels = gunzip(&format!("{data}/mnist/t10k-labels-idx1-ubyte.gz"));
    let two = first(&images, 16, 784, 2);
    write(&idx, "t10k-images-2.gz", &gzip(&two));
    write(&idx, "t10k-images-1", &first(&images, 16, 784, 1));
    let sixteen = first(&labels, 8, 1, 16);
    write(&idx, "t10k-labels-16.gz", &gzip(&sixteen));
    write(&idx, "t10k-labels-16", &sixteen);
    let raw = fs::read(format!("{data}/mnist/t10k-labels-idx1-ubyte.gz")).expect("data file");
    write(&idx, "t10k-labels-gz-prefix", &raw[..512]);

    let csv = seeds.join("csv");
    write(
        &csv,
        "breast_cancer-head",
        &head(&format!("{data}/breast_cancer.csv"), 4),
    );
    write(&csv, "digits-head", &head(&format!("{data}/digits.csv"), 4));

    let ckpt = seeds.join("checkpoint");
    let f32s = checkpoint::save_bytes(&Net::<f32>::numbered(0.25)).expect("saves");
    write(&ckpt, "net-f32.safetensors", &f32s);
    let f64s = checkpoint::save_bytes(&Net::<f64>::numbered(-0.5)).expect("saves");
    write(&ckpt, "net-f64.safetensors", &f64s);
    let dense: Dense<3, 2> =
        Dense::from_params(Matrix::from_fn(|i, j| (i + j) as f32), Vector::zeros());
    write(
        &ckpt,
        "dense-3-2.safetensors",
        &checkpoint::save_bytes(&dense).expect("saves"),
    );

    // Training checkpoints of `Mlp`: as `fit` writes them after one epoch of two steps,
    // with Adam and with Adam over all but the frozen `base`, and before any step.
    let training = seeds.join("training");
    let tmp = std::env::temp_dir().join(format!("constnn-fuzz-seeds-{}", std::process::id()));
    fs::create_dir_all(&tmp).expect("temporary directory");
    let path = tmp.join("training.safetensors");
    trained(&mut adam(), Some(path.clone())).expect("trains");
    let bytes = fs::read(&path).expect("fit wrote it");
    write(&training, "adam-2-steps.safetensors", &bytes);
    trained(&mut frozen_adam(&Mlp::numbered()), Some(path.clone())).expect("trains");
    let bytes = fs::read(&path).expect("fit wrote it");
    write(&training, "frozen-adam-2-steps.safetensors", &bytes);
    let start = Progress {
        epochs: 0,
        steps: 0,
        lr0: 0.01,
        run: None,
    };
    checkpoint::save_training(&Mlp::numbered(), &adam(), &start, &path).expect("saves");
    let bytes = fs::read(&path).expect("saved");
    write(&training, "adam-0-steps.safetensors", &bytes);
    fs::remove_dir_all(&tmp).expect("temporary directory");
}
