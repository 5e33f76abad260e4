//! The one way the kernels share work between two threads.
//!
//! On a thread of a rayon pool (as `train::fit` runs its loop) this is `rayon::join`: the
//! second half is offered to the pool's other thread and taken back if nobody steals it.
//! From any other thread (a user's own loop, `evaluate` called from `main`, a benchmark)
//! `rayon::join` would hand *both* halves to the pool and block the caller, paying two
//! wake-ups and leaving the calling core idle; there the second half is spawned onto the pool
//! and the caller computes the first. Measured (AVX-512, two threads, called from the bench's
//! main thread, criterion medians; `RAYON_NUM_THREADS=2 cargo bench --bench kernels`), with
//! `rayon::join` → this way: W4 conv forward 278–395 → 249 µs, W4b conv backward 878 → 520
//! µs, W5 max pooling with argmax 65.7 → 50.6 µs (one thread: 320, 715, 75 µs).
//!
//! The spawned half is boxed: one small allocation per split off the pool. A training step on
//! the pool (as `fit` runs it) allocates nothing (`tests/alloc.rs`).

use std::cell::Cell;

thread_local! {
    /// Set while this thread runs [`serial`] work: the kernels do not split.
    static SERIAL: Cell<bool> = const { Cell::new(false) };
}

/// Whether a kernel may split its work in two: the pool has a second thread and this thread
/// is not inside [`serial`].
pub(crate) fn can_split() -> bool {
    rayon::current_num_threads() >= 2 && !SERIAL.with(Cell::get)
}

/// Runs `f` with the kernels' splits off on this thread: a data-parallel worker when every
/// thread of the pool already has a worker (`train::DataParallel`), so that the halves of its
/// products are not queued for threads that are busy anyway. No allocation.
pub(crate) fn serial<R>(f: impl FnOnce() -> R) -> R {
    let before = SERIAL.with(|s| s.replace(true));
    let r = f();
    SERIAL.with(|s| s.set(before));
    r
}

/// Runs `a` and `b`, on two threads when one of rayon's is free.
pub(crate) fn join<A, B>(a: A, b: B)
where
    A: FnOnce() + Send,
    B: FnOnce() + Send,
{
    if rayon::current_thread_index().is_some() {
        rayon::join(a, b);
    } else {
        rayon::in_place_scope(|s| {
            s.spawn(|_| b());
            a();
        });
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::join;

    /// Which halves ran (bit 0: `a`, bit 1: `b`) and whether each ran on a pool thread.
    fn halves() -> (usize, [bool; 2]) {
        let ran = AtomicUsize::new(0);
        let on_pool = [AtomicUsize::new(0), AtomicUsize::new(0)];
        let mark = |i: usize| {
            ran.fetch_or(1 << i, Ordering::SeqCst);
            let pooled = rayon::current_thread_index().is_some();
            on_pool[i].store(usize::from(pooled), Ordering::SeqCst);
        };
        join(|| mark(0), || mark(1));
        let pooled = on_pool.map(|p| p.load(Ordering::SeqCst) == 1);
        (ran.load(Ordering::SeqCst), pooled)
    }

    #[test]
    fn off_the_pool_the_caller_runs_the_first_half_and_the_pool_the_second() {
        assert!(rayon::current_thread_index().is_none(), "a test thread");
        assert_eq!(halves(), (0b11, [false, true]));
    }

    #[test]
    fn serial_work_does_not_split_and_restores_the_setting() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build();
        let flags = pool.expect("a pool of two threads").install(|| {
            let outer = super::can_split();
            let inner = super::serial(|| (super::can_split(), super::serial(super::can_split)));
            (outer, inner, super::can_split())
        });
        assert_eq!(flags, (true, (false, false), true));
    }

    #[test]
    fn on_the_pool_both_halves_run_on_it() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("a pool of two threads");
        assert_eq!(pool.install(halves), (0b11, [true, true]));
    }
}
