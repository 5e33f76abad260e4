//! Course 4, week 1: edge detection, the first example of convolutional networks.
//!
//! `cargo run --release --example c4_edge_detection [-- --index 0 --scale 8]`
//!
//! Prints the notes' 6 × 6 example (a bright left half and a dark right half, whose vertical
//! edge shows up as a band of 30s), then takes MNIST test digit `--index` from `data/mnist`
//! and computes its vertical, horizontal, Sobel and Scharr edge maps twice: by hand with
//! `vision::cross_correlate`, and with a `Conv2d<1, 6, 3, 1, 1>` layer loaded with the same
//! six filters (padding 1 keeps 28 × 28). The two must agree. It then shows convolution
//! against cross-correlation with an asymmetric filter (a single 1 in the top-left corner,
//! which moves the image one way or the other) and writes PNGs to `out/`: the digit and each
//! edge map enlarged `--scale` times, a strip with all of them side by side, and the
//! convolution/cross-correlation comparison. Edge maps are drawn with 0 as mid-grey, a
//! light-to-dark edge (left to right, or top to bottom) white and a dark-to-light one black.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cli::Args;
use constnn::data::mnist::{Mnist, Part};
use constnn::prelude::*;
use constnn::tensor::reshape;
use constnn::vision::{
    Bitmap, EDGE_FILTERS, Gray, VERTICAL, convolve, cross_correlate, edge_layer, rotate_180,
};

mod cli;

const USAGE: &str = "usage: c4_edge_detection [--index <n>] [--scale <n>]";
const FLAGS: &[(&str, &str)] = &[
    ("--index", "which MNIST test image, 0 to 9999 (default 0)"),
    (
        "--scale",
        "enlargement of the 28 × 28 pictures, 1 to 32 (default 8)",
    ),
];

/// Columns of white between the panels of a strip.
const GAP: usize = 8;

fn run(args: &Args) -> cli::Result {
    let index: usize = args.get("--index", 0)?;
    let scale: usize = args.get("--scale", 8)?;
    if !(1..=32).contains(&scale) {
        return Err(cli::Error::Flag {
            flag: "--scale".into(),
            reason: format!("`{scale}` is not between 1 and 32"),
        });
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = root.join("out");
    std::fs::create_dir_all(&out).map_err(|source| Error::Io {
        path: out.clone(),
        source,
    })?;

    let mnist = Mnist::<f32>::load_first(root.join("data/mnist"), Part::Test, index + 1)?;
    if index >= mnist.len() {
        return Err(cli::Error::Flag {
            flag: "--index".into(),
            reason: format!("the test set has {} images", mnist.len()),
        });
    }

    notes_example();

    // One digit as a batch of one 1 × 28 × 28 image.
    let x: Images<1, 28, 28> = reshape(&mnist.x.select(&[index]));
    let digit = Gray::from_images(&x, 0, 0);
    println!(
        "MNIST test image {index} (digit {}), 28 × 28, pixels in [0, 1]",
        mnist.labels[index]
    );

    // The same six filters in a convolution layer: channel o of its output is filter o's map.
    let conv: Conv2d<1, 6, 3, 1, 1> = edge_layer(&EDGE_FILTERS.map(|(_, k)| k));
    let z: Images<6, 28, 28> = conv.predict(&x);

    let input_view = Bitmap::from_gray(&digit, 0.0, 1.0).upscale(scale);
    let mut panels = vec![input_view.clone()];
    let mut written = vec![save(&input_view, &out, "digit")?];
    println!("filter             max |value|   max |hand − layer|");
    for (o, (name, filter)) in EDGE_FILTERS.iter().enumerate() {
        let by_hand = cross_correlate(&digit, filter, 1, 1);
        let by_layer = Gray::from_images(&z, o, 0);
        let a = by_hand.max_abs();
        let diff = by_hand
            .max_abs_diff(&by_layer)
            .expect("both maps are 28 × 28 (same padding)");
        assert!(
            diff <= 1e-5 * a.max(1.0),
            "{name}: the layer and cross_correlate differ by {diff}"
        );
        println!("{name:<18} {a:>11.3}   {diff:>18.2e}");
        let view = Bitmap::from_gray(&by_hand, -a, a).upscale(scale);
        written.push(save(&view, &out, name)?);
        panels.push(view);
    }
    println!("the Conv2d layer and cross_correlate agree on all six maps");
    let strip = Bitmap::side_by_side(&panels, GAP * scale / 8 + 1, 255);
    written.push(save(&strip, &out, "strip")?);

    written.push(convolution_vs_cross_correlation(&digit, scale, &out)?);

    println!("\nwritten:");
    for path in &written {
        println!("  {}", path.display());
    }
    println!(
        "strip, left to right: the digit, then {}",
        EDGE_FILTERS.map(|(name, _)| name).join(", ")
    );
    Ok(())
}

/// The notes' 6 × 6 example, and the same image with its halves swapped.
fn notes_example() {
    let image = Gray::from_fn(6, 6, |_, x| if x < 3 { 10.0 } else { 0.0 });
    println!("notes' example: a 6 × 6 image, bright left half and dark right half\n{image}");
    println!("vertical filter [[1, 0, −1], [1, 0, −1], [1, 0, −1]]");
    println!(
        "cross-correlation (p = 0, s = 1), ⌊(6 − 3)/1⌋ + 1 = 4: a bright vertical edge in the middle\n{}",
        cross_correlate(&image, &VERTICAL, 0, 1)
    );
    let flipped = image.map(|v| 10.0 - v);
    println!(
        "the same with dark left and bright right: the edge turns negative\n{}",
        cross_correlate(&flipped, &VERTICAL, 0, 1)
    );
}

/// Cross-correlation and convolution with a filter that is neither symmetric nor
/// antisymmetric, printed on a small image and drawn on the digit.
fn convolution_vs_cross_correlation(digit: &Gray, scale: usize, out: &Path) -> Result<PathBuf> {
    let shift = [[1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]];
    let small = Gray::from_fn(4, 4, |y, x| (4 * y + x + 1) as f32);
    println!("\nconvolution vs cross-correlation, filter [[1, 0, 0], [0, 0, 0], [0, 0, 0]], p = 1");
    println!("image\n{small}");
    println!(
        "cross-correlation: the image moves one pixel down and right\n{}",
        cross_correlate(&small, &shift, 1, 1)
    );
    println!(
        "convolution (the filter rotated by 180°, its 1 now bottom-right): up and left\n{}",
        convolve(&small, &shift, 1, 1)
    );
    let by_rotation = cross_correlate(digit, &rotate_180(&shift), 1, 1);
    assert_eq!(convolve(digit, &shift, 1, 1), by_rotation);
    let sign = convolve(digit, &VERTICAL, 1, 1)
        .max_abs_diff(&cross_correlate(digit, &VERTICAL, 1, 1).map(|v| -v));
    println!(
        "on the digit: convolve(k) = cross_correlate(rotate_180(k)) exactly; for the antisymmetric \
         vertical filter convolution is minus cross-correlation (max difference {:.1e})",
        sign.unwrap_or(f32::NAN)
    );

    // A five-pixel shift is easier to see: 1 in the corner of a 9 × 9 filter, p = 4.
    let mut far = [[0.0f32; 9]; 9];
    far[0][0] = 1.0;
    let view = |g: &Gray| Bitmap::from_gray(g, 0.0, 1.0).upscale(scale);
    let panels = [
        view(&cross_correlate(digit, &far, 4, 1)),
        view(digit),
        view(&convolve(digit, &far, 4, 1)),
    ];
    save(
        &Bitmap::side_by_side(&panels, GAP * scale / 8 + 1, 255),
        out,
        "correlate_vs_convolve",
    )
}

fn save(bitmap: &Bitmap, out: &Path, name: &str) -> Result<PathBuf> {
    let path = out.join(format!("c4_edge_detection_{name}.png"));
    bitmap.save_png(&path)?;
    Ok(path)
}

fn main() -> ExitCode {
    cli::run(USAGE, FLAGS, run)
}
