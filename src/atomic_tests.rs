//! Tests of [`super::write`] and [`super::check_writable`].

use super::*;
use crate::checkpoint;
use crate::layer::Dense;
use crate::tensor::{Matrix, Vector};

/// A fresh, empty directory under the system's temporary directory.
fn fresh_dir(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("constnn-atomic-{what}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn replaces_the_file_and_leaves_no_temporary() {
    let dir = fresh_dir("replace");
    let target = dir.join("out.txt");
    write(&target, b"first").unwrap();
    write(&target, b"second").unwrap();
    assert_eq!(fs::read(&target).unwrap(), b"second");
    assert_eq!(names_in(&dir), ["out.txt"]);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_error_names_the_callers_path_not_the_temporary_file() {
    // Before: "/nonexistent-constnn-dir/.x.svg.tmp<pid>: No such file or directory".
    let err = write("/nonexistent-constnn-dir/x.svg", b"x").unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with("/nonexistent-constnn-dir/x.svg: "),
        "{text}"
    );
    assert!(!text.contains(".tmp"), "{text}");
}

#[test]
fn two_threads_saving_to_one_path_always_leave_a_loadable_file() {
    // Before: both threads wrote `.model.safetensors.tmp<pid>`; in 1 of 100 rounds the file
    // left behind did not load, and many saves failed with "No such file or directory".
    let dir = fresh_dir("threads");
    let path = dir.join("model.safetensors");
    let model = |v: f32| Dense::<3, 2>::from_params(Matrix::from_fn(|_, _| v), Vector::zeros());
    let (a, b) = (model(1.0), model(2.0));
    for round in 0..100 {
        std::thread::scope(|s| {
            let ta = s.spawn(|| checkpoint::save(&a, &path));
            let tb = s.spawn(|| checkpoint::save(&b, &path));
            ta.join().unwrap().unwrap();
            tb.join().unwrap().unwrap();
        });
        let mut loaded = Dense::<3, 2>::zeros();
        checkpoint::load(&mut loaded, &path).unwrap_or_else(|e| panic!("round {round}: {e}"));
        assert!(loaded.w == a.w || loaded.w == b.w, "round {round}");
    }
    assert_eq!(names_in(&dir), ["model.safetensors"]);
    fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_followed_and_stays_a_link() {
    let dir = fresh_dir("link");
    let (real, link) = (dir.join("real.bin"), dir.join("link.bin"));
    fs::write(&real, b"old").unwrap();
    std::os::unix::fs::symlink("real.bin", &link).unwrap();
    write(&link, b"new").unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read(&real).unwrap(), b"new");
    // A dangling link: its target is created.
    fs::remove_file(&real).unwrap();
    write(&link, b"again").unwrap();
    assert_eq!(fs::read(&real).unwrap(), b"again");
    assert_eq!(names_in(&dir), ["link.bin", "real.bin"]);
    fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn the_replaced_files_permissions_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = fresh_dir("mode");
    let path = dir.join("secret.bin");
    fs::write(&path, b"old").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    write(&path, b"new").unwrap();
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "mode {mode:o}");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn orphans_of_finished_processes_are_removed_and_others_kept() {
    if !Path::new("/proc/self").exists() {
        return; // the cleanup needs /proc (documented); nothing to check here
    }
    // A process that has exited: its id is free (reuse within this test is unlikely).
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let gone = child.id();
    child.wait().unwrap();
    let dir = fresh_dir("orphans");
    let me = std::process::id();
    let orphans = [
        format!(".out.bin.tmp-{gone}-3"),
        format!(".out.bin.tmp{gone}"),
    ];
    let kept = [
        format!(".out.bin.tmp-{me}-999999"),
        format!(".other.tmp-{gone}-1"),
    ];
    for name in orphans.iter().chain(&kept) {
        fs::write(dir.join(name), b"partial").unwrap();
    }
    write(dir.join("out.bin"), b"data").unwrap();
    let mut want: Vec<String> = kept.to_vec();
    want.push("out.bin".into());
    want.sort();
    assert_eq!(names_in(&dir), want);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_writable_reports_a_bad_place_and_leaves_nothing() {
    let dir = fresh_dir("writable");
    check_writable(dir.join("ok.bin")).unwrap();
    assert!(names_in(&dir).is_empty());
    let err = check_writable(dir.join("missing/x.bin")).unwrap_err();
    assert!(
        err.to_string()
            .starts_with(&format!("{}: ", dir.join("missing/x.bin").display()))
    );
    let err = check_writable(&dir).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{}: is a directory", dir.display())
    );
    fs::remove_dir_all(&dir).unwrap();
}
