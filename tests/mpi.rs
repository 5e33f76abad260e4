//! MPI tests (feature `mpi`): `cargo test --features mpi --test mpi`.
//!
//! The test is its own MPI program. Run by cargo (no `--scenario`), it starts itself under
//! `mpiexec -n 2 <this binary> --scenario <name>` for each scenario, with a deadline so a
//! hang fails the test, and checks the exit status and what the ranks wrote. Under
//! `mpiexec`, it runs one scenario on every rank:
//!
//! | scenario | what must hold |
//! |---|---|
//! | `same-parameters` | 2 ranks at global batch B train the parameters 1 process trains at B (Adam, 20 steps), within 1e-5 relative, and the ranks hold the same bits |
//! | `missing-file` | rank 1's data file is missing: the job ends at once, non-zero, with `rank 1: <path>: …` |
//! | `diverged` | rank 1's learning rate makes training diverge: the job ends, non-zero, naming the divergence |
//! | `search` | the distributed search's table is the single process's table (same seed) |

use std::io::Read;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use constnn::data::mnist::{Mnist, Part};
use constnn::distributed::{self, Mpi};
use constnn::metrics::Criterion;
use constnn::prelude::*;
use constnn::search::{Choice, LogUniform, Outcome, RandomSearch, RandomSearchConfig, Space};
use constnn::train::{FitConfig, fit};

/// A job that is still running after this long hangs.
const DEADLINE: Duration = Duration::from_secs(120);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    match args.iter().position(|a| a == "--scenario") {
        Some(i) => rank_main(args.get(i + 1).map_or("", String::as_str)),
        None => driver(),
    }
}

// ---- the driver: run by cargo test --------------------------------------------------------

struct Job {
    status: Option<i32>,
    stdout: String,
    stderr: String,
    seconds: f64,
}

/// `mpiexec -n <ranks> <this binary> --scenario <scenario>`, killed after [`DEADLINE`].
fn mpiexec(ranks: usize, scenario: &str) -> Job {
    let exe = std::env::current_exe().expect("the test binary's path");
    let start = Instant::now();
    let mut child = Command::new("mpiexec")
        .args(["-n", &ranks.to_string()])
        .arg(exe)
        .args(["--scenario", scenario])
        .env("RAYON_NUM_THREADS", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mpiexec not found: install MPICH (apt-get install mpich libmpich-dev)");
    // Read both pipes on threads so a chatty job cannot block on a full pipe.
    let read = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = r.read_to_string(&mut s);
            s
        })
    };
    let out = read(Box::new(child.stdout.take().expect("piped stdout")));
    let err = read(Box::new(child.stderr.take().expect("piped stderr")));
    let status = loop {
        if let Some(s) = child.try_wait().expect("waiting for mpiexec") {
            break s.code();
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill(); // the mpiexec this test started; its ranks end with it
            let _ = child.wait();
            panic!("`{scenario}` on {ranks} ranks hung: still running after {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Job {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        seconds: start.elapsed().as_secs_f64(),
    }
}

fn driver() -> ExitCode {
    let mut failed = 0;
    let mut check = |name: &str, ok: bool, job: &Job| {
        println!(
            "test mpi {name} ... {} ({:.1} s)",
            if ok { "ok" } else { "FAILED" },
            job.seconds
        );
        if !ok {
            failed += 1;
            println!(
                "status {:?}\n--- stdout\n{}--- stderr\n{}",
                job.status, job.stdout, job.stderr
            );
        }
    };

    let job = mpiexec(2, "same-parameters");
    let ok = job.status == Some(0) && job.stdout.contains("same parameters: ok");
    check("two_ranks_train_the_parameters_of_one_process", ok, &job);

    let job = mpiexec(2, "missing-file");
    let ok = job.status.is_some_and(|s| s != 0)
        && job.stderr.contains("rank 1: ")
        && job.stderr.contains("data/no-such-dir/t10k-")
        && !job.stdout.contains("rank 0 went on");
    check(
        "a_missing_file_on_one_rank_ends_the_job_with_its_message",
        ok,
        &job,
    );

    let job = mpiexec(2, "diverged");
    let ok = job.status.is_some_and(|s| s != 0)
        && job.stderr.contains("training diverged at epoch 1")
        && !job.stdout.contains("trained");
    check("a_diverging_rank_ends_the_job_with_its_message", ok, &job);

    for ranks in [2, 3] {
        let job = mpiexec(ranks, "search");
        let ok = job.status == Some(0) && job.stdout.contains("same table: ok");
        check(
            &format!("search_on_{ranks}_ranks_prints_the_single_process_table"),
            ok,
            &job,
        );
    }

    println!("\nmpi test result: {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

// ---- the scenarios: run on every rank under mpiexec ---------------------------------------

fn rank_main(scenario: &str) -> ExitCode {
    let mpi = match Mpi::init() {
        Ok(m) => m,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match scenario {
        "same-parameters" => same_parameters(&mpi),
        "missing-file" => missing_file(&mpi),
        "diverged" => diverged(&mpi),
        "search" => search(&mpi),
        other => Err(Error::Data {
            what: "--scenario".into(),
            reason: format!("no scenario `{other}`"),
        }),
    };
    mpi.exit_on_error(result);
    ExitCode::SUCCESS
}

#[derive(Network, Clone)]
#[network(input = 8, init = he)]
struct Mlp<T: Scalar = f32> {
    d1: Dense<8, 16, T>,
    r1: Relu,
    out: Dense<16, 3, T>,
}

/// 300 samples of 8 features in 3 classes (the class is where the features' sum falls).
fn data<T: Scalar>() -> Result<(Batch<8, T>, Batch<3, T>)> {
    let value = |i: usize, j: usize| (((i * 37 + j * 11) % 23) as f64 - 11.0) / 7.0;
    let x = Batch::<8, T>::from_fn(300, |i, j| T::from(value(i, j)).unwrap_or_else(T::zero));
    let labels: Vec<usize> = (0..300)
        .map(|j| {
            let s: f64 = (0..8).map(|i| value(i, j)).sum();
            usize::from(s > -0.5) + usize::from(s > 0.5)
        })
        .collect();
    Ok((x, constnn::data::one_hot(&labels)?))
}

/// The dev figures of every epoch: cost, accuracy, cost, accuracy.
fn dev_figures(h: &constnn::train::History) -> Vec<f64> {
    (h.epochs.iter().filter_map(|e| e.dev))
        .flat_map(|d| [d.cost, d.accuracy])
        .collect()
}

/// 2 epochs of ⌈300 / 25⌉ = 12 steps: 24 Adam steps at B = 25 (shards of 13 and 12).
fn config() -> FitConfig {
    FitConfig {
        epochs: 2,
        batch_size: 25,
        seed: 3,
        verbose: false,
        ..FitConfig::default()
    }
}

fn same_parameters(mpi: &Mpi) -> Result<()> {
    // f64: only the order of the sums differs, so the parameters agree to rounding; f32 (the
    // type of real runs): Adam's division by √v amplifies the last bits of tiny gradients, so
    // the bound is on the whole parameter vector, ‖ΔW‖ / ‖W‖.
    let f64_worst = same_parameters_as::<f64>(mpi)?;
    let f32_worst = same_parameters_as::<f32>(mpi)?;
    if let (Some((e64, _)), Some((e32, n32))) = (f64_worst, f32_worst) {
        println!("f64: max element-wise relative difference {e64:.3e}");
        println!("f32: max element-wise relative difference {e32:.3e}, ‖ΔW‖/‖W‖ {n32:.3e}");
        if e64 > 1e-10 || n32 > 1e-5 {
            return Err(Error::Data {
                what: "2 ranks vs 1 process".into(),
                reason: format!("f64 {e64:e} (bound 1e-10), f32 ‖ΔW‖/‖W‖ {n32:e} (bound 1e-5)"),
            });
        }
        println!("same parameters: ok");
    }
    Ok(())
}

/// Trains on every rank (rank `r` built from seed `7 + r`: rank 0's weights must reach the
/// others), checks that the ranks hold the same bits and dev figures, and on rank 0 trains one
/// process from seed 7 and returns (max element-wise relative difference, ‖ΔW‖ / ‖W‖) over
/// the parameters and the dev cost and accuracy of both epochs.
fn same_parameters_as<T: Scalar>(mpi: &Mpi) -> Result<Option<(f64, f64)>> {
    let (x, y) = data::<T>()?;
    let adam = || {
        Adam::<T>::new(AdamConfig {
            lr: 0.01,
            ..AdamConfig::default()
        })
    };
    let mut net = Mlp::<T>::new(7 + mpi.rank() as u64);
    let mut opt = adam()?;
    let dev = Some((&x, &y)); // evaluated on rank 0 alone, its figures sent to the others
    let history = distributed::fit(
        mpi,
        &mut net,
        &SoftmaxCrossEntropy,
        &mut opt,
        (&x, &y),
        dev,
        &config(),
    )?;
    let mut mine: Vec<f64> = net.values_to_vec().iter().map(|v| v.as_f64()).collect();
    mine.extend(dev_figures(&history)); // 2 epochs × (cost, accuracy)
    let mut theirs = mine.clone(); // widened exactly: equal f64 bits are equal T bits
    mpi.broadcast_f64(&mut theirs)?;
    if !theirs
        .iter()
        .zip(&mine)
        .all(|(a, b)| a.to_bits() == b.to_bits())
    {
        return Err(Error::Data {
            what: "parameters".into(),
            reason: "differ from rank 0's".into(),
        });
    }
    mpi.barrier();
    if !mpi.is_root() {
        return Ok(None);
    }
    let mut alone = Mlp::<T>::new(7);
    let history = fit(
        &mut alone,
        &SoftmaxCrossEntropy,
        &mut adam()?,
        (&x, &y),
        dev,
        &config(),
    )?;
    let mut reference: Vec<f64> = alone.values_to_vec().iter().map(|v| v.as_f64()).collect();
    reference.extend(dev_figures(&history));
    let mut start: Vec<f64> = Mlp::<T>::new(7)
        .values_to_vec()
        .iter()
        .map(|v| v.as_f64())
        .collect();
    start.extend([0.0; 4]); // (no dev figures before training)
    if !reference
        .iter()
        .zip(&start)
        .any(|(a, b)| (a - b).abs() > 1e-2)
    {
        return Err(Error::Data {
            what: "reference run".into(),
            reason: "the parameters did not move".into(),
        });
    }
    let worst = (mine.iter().zip(&reference))
        .map(|(a, b)| (a - b).abs() / b.abs().max(1e-3))
        .fold(0.0, f64::max);
    let norm = |v: &mut dyn Iterator<Item = f64>| v.map(|d| d * d).sum::<f64>().sqrt();
    let delta = norm(&mut mine.iter().zip(&reference).map(|(a, b)| a - b));
    Ok(Some((worst, delta / norm(&mut reference.iter().copied()))))
}

fn missing_file(mpi: &Mpi) -> Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = match mpi.rank() {
        1 => root.join("data/no-such-dir"),
        _ => root.join("data/mnist"),
    };
    let _test = mpi.exit_on_error(Mnist::<f32>::load_first(dir, Part::Test, 100));
    // Rank 0 waits here for rank 1, which never comes: only the abort ends the job.
    mpi.barrier();
    println!("rank {} went on", mpi.rank());
    Ok(())
}

fn diverged(mpi: &Mpi) -> Result<()> {
    let (x, y) = data::<f32>()?;
    let mut net = Mlp::<f32>::new(7);
    let lr = if mpi.rank() == 1 { 1e30 } else { 0.01 };
    let mut opt = Sgd::new(lr)?;
    distributed::fit(
        mpi,
        &mut net,
        &SoftmaxCrossEntropy,
        &mut opt,
        (&x, &y),
        None,
        &config(),
    )?;
    println!("rank {} trained", mpi.rank());
    Ok(())
}

/// Deterministic stand-in for training: best at α = 0.01 and batch 64; fails for α > 0.3.
fn objective(t: &constnn::search::Trial) -> Result<Outcome> {
    let (lr, batch) = (t.f64("lr")?, t.usize("batch")?);
    if lr > 0.3 {
        return Err(Error::Diverged {
            epoch: 1,
            step: 2,
            cause: constnn::Divergence::Cost(f64::INFINITY),
        });
    }
    let (a, c) = (lr.log10() + 2.0, (batch as f64).log2() - 6.0);
    let acc = 1.0 - 0.02 * (a * a + c * c) + (t.seed % 1000) as f64 * 1e-7;
    Ok(Outcome::new()
        .with("dev_accuracy", acc)
        .with("dev_cost", 1.0 - acc))
}

fn search(mpi: &Mpi) -> Result<()> {
    let space = Space::new()
        .with("lr", LogUniform { lo: 1e-4, hi: 1.0 })
        .with("batch", Choice::new([32, 64, 128, 256]));
    let cfg = RandomSearchConfig {
        trials: 24,
        seed: 5,
        threads: Some(2),
        verbose: false,
    };
    let search = RandomSearch::new(space, cfg);
    let crit = || Criterion::maximize("dev_accuracy");
    let Some(report) = search.run_mpi(mpi, crit(), objective)? else {
        return Ok(());
    };
    let alone = search.run(crit(), objective)?;
    let (table, expected) = (format!("{report:#}"), format!("{alone:#}"));
    println!("{table}");
    if table != expected || report.failed().count() == 0 {
        return Err(Error::Data {
            what: "distributed search".into(),
            reason: format!("table differs from one process's:\n{expected}"),
        });
    }
    println!("same table: ok");
    Ok(())
}
