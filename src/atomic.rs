//! Atomic file writes: the data goes to a temporary file in the target's directory, is flushed
//! to disk, then renamed over the target. An interrupted write leaves the old file intact.
//!
//! * **One temporary file per write.** Its name is `.NAME.tmp-PID-K`, with the process id and
//!   a per-process counter `K`, created with `create_new` (never an existing file), so two
//!   threads or two processes saving to one path never write into each other's file: the last
//!   rename wins and the file is always one of the complete writes. A failed write removes its
//!   temporary file.
//! * **Orphans.** A process killed during a write leaves its `.NAME.tmp-PID-K` behind. The next
//!   write to `NAME` removes those whose process no longer runs (on systems with `/proc`; the
//!   names of running processes, this one included, are left alone).
//! * **Symbolic links are followed**: saving to a link replaces the file it points to (which
//!   is created when missing) and the link stays a link, as `cp` and `>` do. Replacing the
//!   link itself would silently cut it from its target.
//! * **Permissions are kept**: when the target exists, the new file gets its permission bits
//!   (a `0600` checkpoint stays `0600`); a new file gets the default ones (`0666` less the
//!   umask). Owner and group are those of the writing process.
//! * **Errors name the path the caller gave**, not the temporary file.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::{Error, Result};

/// Symbolic links followed before giving up (Linux's own limit, `MAXSYMLINKS`).
const MAX_LINKS: usize = 40;

/// Writes `bytes` to `path` atomically (temporary file + `fsync` + rename); see the module
/// doc for temporary names, symbolic links and permissions.
///
/// # Errors
/// [`Error::Io`] naming `path` when the file cannot be created, written or renamed.
pub fn write(path: impl AsRef<Path>, bytes: &[u8]) -> Result<()> {
    let path = path.as_ref();
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let target = resolve_links(path).map_err(io)?;
    let (dir, name) = split(&target).map_err(io)?;
    remove_orphans(&dir, &name);
    let (tmp, mut file) = create_temporary(&dir, &name).map_err(io)?;
    let result = (|| {
        if let Ok(meta) = fs::metadata(&target) {
            file.set_permissions(meta.permissions())?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, &target)
    })();
    if let Err(source) = result {
        let _ = fs::remove_file(&tmp); // best effort; the error that matters is returned
        return Err(io(source));
    }
    // Make the rename itself durable; not all systems can open a directory, hence no error.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Checks that [`write()`] can create a file beside `path` (the directory exists and is
/// writable, `path` is not a directory), by creating and removing a temporary file. Training
/// calls it before the first epoch, so a bad checkpoint path is reported at once.
///
/// # Errors
/// [`Error::Io`] naming `path`.
pub fn check_writable(path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let target = resolve_links(path).map_err(io)?;
    if target.is_dir() {
        return Err(io(io::Error::new(
            io::ErrorKind::IsADirectory,
            "is a directory",
        )));
    }
    let (dir, name) = split(&target).map_err(io)?;
    let (tmp, file) = create_temporary(&dir, &name).map_err(io)?;
    drop(file);
    fs::remove_file(&tmp).map_err(io)
}

/// `path` with every symbolic link at its end followed (not those of its directories, which
/// the rename goes through anyway).
fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// The directory (`.` for a bare name) and the file name of `path`.
fn split(path: &Path) -> io::Result<(PathBuf, String)> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?
        .to_string_lossy()
        .into_owned();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((dir, name))
}

/// A new, empty `.NAME.tmp-PID-K` in `dir`, opened for writing.
fn create_temporary(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    loop {
        let k = NEXT.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.tmp-{}-{k}", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            // Left by a process that had this id before: take the next number.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            other => return other.map(|f| (tmp, f)),
        }
    }
}

/// Removes the `.NAME.tmp-PID-K` files (and the `.NAME.tmpPID` of earlier versions) in `dir`
/// whose process is gone. Best effort: without `/proc` nothing is removed.
fn remove_orphans(dir: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{name}.tmp");
    let me = std::process::id();
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(rest) = file.to_str().and_then(|f| f.strip_prefix(&prefix)) else {
            continue;
        };
        let rest = rest.strip_prefix('-').unwrap_or(rest);
        let pid = rest.split('-').next().unwrap_or("");
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if pid != me && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
#[path = "atomic_tests.rs"]
mod tests;
