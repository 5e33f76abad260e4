//! [`Mpi`]: the world communicator of an MPI job, as the training loop's `Collective`.
//!
//! # Sums give every rank the same bits
//!
//! A gradient sum `dW[l] = Σ_r dW[l]⁽ʳ⁾` must be bit-identical on every rank, or the ranks'
//! copies of `W[l]` drift apart one rounding at a time. `MPI_Allreduce` does not promise that
//! (the standard only *advises* it; an implementation may reduce in a different order on each
//! rank, e.g. recursive doubling with non-commutative pairing). So a sum is
//! `MPI_Reduce` to rank 0, then `MPI_Bcast` of rank 0's result: the result is computed once,
//! in one place, and copied bit for bit. It costs a second latency per step (one reduce and
//! one broadcast instead of one allreduce) and moves the same number of bytes as a
//! reduce-scatter/allgather allreduce would for LeNet-5's 61 706 parameters; an allgather and
//! a sum in rank order would also be identical but moves `size` times the buffer to every
//! rank.
//!
//! # A failing rank ends the job
//!
//! A rank that returns an error while the others wait in a collective would leave them waiting
//! for ever. [`Mpi::abort_with`] prints `rank R: <error>` to stderr and calls `MPI_Abort`:
//! `mpiexec` then ends every rank and exits with a non-zero status. [`Mpi::exit_on_error`] is
//! the same for a `Result`, so a program routes every fallible step (loading data, training)
//! through it. [`Mpi::init`] also installs a panic hook that aborts the job after the usual
//! panic message: a panic unwinding into `MPI_Finalize` would hang too.

use std::io::Write;
use std::sync::Mutex;

use mpi::collective::{CommunicatorCollectives, Root, SystemOperation};
use mpi::datatype::{Equivalence, PartitionMut};
use mpi::environment::Universe;
use mpi::topology::{Communicator, SimpleCommunicator};
use mpi::{Count, Threading};

use crate::train::Collective;
use crate::{Error, Result};

/// The processes of an MPI job (`mpiexec -n K …`): this process's rank and the job's size,
/// with the sums and broadcasts the training loop needs. MPI is finalized when it is dropped.
pub struct Mpi {
    rank: usize,
    size: usize,
    /// Rank 0's send buffers of the reductions (MPI_Reduce takes separate send and receive
    /// buffers); they grow once to the gradient's length, so a step allocates nothing.
    scratch_f32: Mutex<Vec<f32>>,
    scratch_f64: Mutex<Vec<f64>>,
    /// Dropped last: finalizes MPI.
    _universe: Universe,
}

impl core::fmt::Debug for Mpi {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Mpi {{ rank: {}, size: {} }}", self.rank, self.size)
    }
}

impl Mpi {
    /// Starts MPI (`MPI_Init_thread`, serialized: the training loop calls MPI from a thread
    /// of rayon's pool, one call at a time) and installs the panic hook that aborts the job.
    /// Run alone (`cargo run`, not under `mpiexec`), it is a job of one rank.
    ///
    /// # Errors
    /// [`Error::Mpi`] when MPI was already started in this process, or cannot call MPI from
    /// more than the main thread.
    pub fn init() -> Result<Self> {
        let Some((universe, threading)) = mpi::initialize_with_threading(Threading::Serialized)
        else {
            return Err(Error::Mpi {
                reason: "MPI was already initialized in this process (one Mpi per process)".into(),
            });
        };
        if threading < Threading::Serialized {
            return Err(Error::Mpi {
                reason: format!(
                    "the MPI library gives thread support {threading:?}, constnn needs Serialized"
                ),
            });
        }
        let world = universe.world();
        let (rank, size) = (world.rank(), world.size());
        drop(world);
        let (Ok(rank), Ok(size)) = (usize::try_from(rank), usize::try_from(size)) else {
            return Err(Error::Mpi {
                reason: format!("invalid rank {rank} of size {size}"),
            });
        };
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            eprint!("rank {rank}: ");
            previous(info);
            let _ = std::io::stderr().flush();
            std::thread::sleep(std::time::Duration::from_millis(200)); // see abort_with
            SimpleCommunicator::world().abort(101)
        }));
        Ok(Self {
            rank,
            size,
            scratch_f32: Mutex::new(Vec::new()),
            scratch_f64: Mutex::new(Vec::new()),
            _universe: universe,
        })
    }

    /// This process's number in the job, `0..size`.
    pub fn rank(&self) -> usize {
        self.rank
    }

    /// The number of processes in the job (`mpiexec -n K`: `K`).
    pub fn size(&self) -> usize {
        self.size
    }

    /// `MPI_COMM_WORLD`. A handle made on each use rather than a field: with MPICH a handle is
    /// an integer, but with Open MPI a pointer, which would make `Mpi` neither `Send` nor
    /// `Sync`, and the training loop runs on a thread of rayon's pool.
    fn world(&self) -> SimpleCommunicator {
        SimpleCommunicator::world()
    }

    /// `true` on rank 0, the rank that prints, evaluates and writes checkpoints.
    pub fn is_root(&self) -> bool {
        self.rank == 0
    }

    /// Ends the whole job: prints `rank R: <err>` to stderr and calls `MPI_Abort`, so
    /// `mpiexec` stops every rank and exits with a non-zero status.
    pub fn abort_with(&self, err: &Error) -> ! {
        let _ = std::io::stdout().flush();
        // One write, not one per piece of the message: mpiexec forwards what it has read
        // when the abort reaches it, and a message cut in two lost its second half.
        let message = format!("rank {}: {err}\n", self.rank);
        let _ = std::io::stderr().write_all(message.as_bytes());
        // Time for mpiexec's proxy to forward it before the abort tears the job down.
        std::thread::sleep(std::time::Duration::from_millis(200));
        self.world().abort(1)
    }

    /// The value of `result`, or the end of the whole job with its error
    /// ([`Mpi::abort_with`]). Route every fallible step of a distributed program through it.
    pub fn exit_on_error<T>(&self, result: Result<T>) -> T {
        match result {
            Ok(v) => v,
            Err(e) => self.abort_with(&e),
        }
    }

    /// Waits until every rank has reached this call.
    pub fn barrier(&self) {
        self.world().barrier();
    }

    /// Every rank's `bytes`, on rank 0 in rank order (`None` on the other ranks).
    pub(crate) fn gather_bytes(&self, bytes: &[u8]) -> Result<Option<Vec<Vec<u8>>>> {
        let too_long = || Error::Mpi {
            reason: format!("{} bytes is too many for one message", bytes.len()),
        };
        let len = Count::try_from(bytes.len()).map_err(|_| too_long())?;
        let world = self.world();
        let root = world.process_at_rank(0);
        if !self.is_root() {
            root.gather_into(&len);
            root.gather_varcount_into(bytes);
            return Ok(None);
        }
        let mut counts: Vec<Count> = vec![0; self.size];
        root.gather_into_root(&len, &mut counts[..]);
        let mut displs = Vec::with_capacity(self.size);
        let mut total: Count = 0;
        for &c in &counts {
            displs.push(total);
            total = total.checked_add(c).ok_or_else(too_long)?;
        }
        let mut all = vec![0u8; usize::try_from(total).map_err(|_| too_long())?];
        {
            let mut parts = PartitionMut::new(&mut all[..], &counts[..], &displs[..]);
            root.gather_varcount_into_root(bytes, &mut parts);
        }
        let mut out = Vec::with_capacity(self.size);
        let mut rest = &all[..];
        for &c in &counts {
            let (head, tail) = rest.split_at(usize::try_from(c).map_err(|_| too_long())?);
            out.push(head.to_vec());
            rest = tail;
        }
        Ok(Some(out))
    }

    /// `buf ← Σ_ranks buf` element-wise, the same bits on every rank (see the module doc).
    /// Every rank must call it with a buffer of the same length.
    ///
    /// # Errors
    /// [`Error::Mpi`] when an earlier sum panicked on this rank.
    pub fn sum_f32(&self, buf: &mut [f32]) -> Result<()> {
        self.sum(buf, &self.scratch_f32)
    }

    /// [`Mpi::sum_f32`] for `f64`.
    ///
    /// # Errors
    /// [`Error::Mpi`] when an earlier sum panicked on this rank.
    pub fn sum_f64(&self, buf: &mut [f64]) -> Result<()> {
        self.sum(buf, &self.scratch_f64)
    }

    /// `buf ←` rank 0's `buf` (`MPI_Bcast`). Every rank must call it with a buffer of the
    /// same length.
    ///
    /// # Errors
    /// None today; a `Result` like the sums, for the training loop's `Collective`.
    pub fn broadcast_f32(&self, buf: &mut [f32]) -> Result<()> {
        self.world().process_at_rank(0).broadcast_into(buf);
        Ok(())
    }

    /// [`Mpi::broadcast_f32`] for `f64`.
    ///
    /// # Errors
    /// None today; a `Result` like the sums, for the training loop's `Collective`.
    pub fn broadcast_f64(&self, buf: &mut [f64]) -> Result<()> {
        self.world().process_at_rank(0).broadcast_into(buf);
        Ok(())
    }

    /// `buf ← Σ_ranks buf`, computed on rank 0 and broadcast (see the module doc).
    fn sum<T: Equivalence + Copy>(&self, buf: &mut [T], scratch: &Mutex<Vec<T>>) -> Result<()> {
        if self.size == 1 {
            return Ok(());
        }
        let world = self.world();
        let root = world.process_at_rank(0);
        if self.is_root() {
            let mut send = scratch.lock().map_err(|_| Error::Mpi {
                reason: "a reduction panicked earlier in this process".into(),
            })?;
            send.clear();
            send.extend_from_slice(buf);
            root.reduce_into_root(&send[..], buf, SystemOperation::sum());
        } else {
            root.reduce_into(&*buf, SystemOperation::sum());
        }
        root.broadcast_into(buf);
        Ok(())
    }
}

impl Collective for Mpi {
    fn rank(&self) -> usize {
        self.rank
    }
    fn size(&self) -> usize {
        self.size
    }
    fn sum_f32(&self, buf: &mut [f32]) -> Result<()> {
        Mpi::sum_f32(self, buf)
    }
    fn sum_f64(&self, buf: &mut [f64]) -> Result<()> {
        Mpi::sum_f64(self, buf)
    }
    fn broadcast_f32(&self, buf: &mut [f32]) -> Result<()> {
        Mpi::broadcast_f32(self, buf)
    }
    fn broadcast_f64(&self, buf: &mut [f64]) -> Result<()> {
        Mpi::broadcast_f64(self, buf)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn mpi_can_be_shared_with_the_training_threads() {
        // A compile-time property: fails to build when `Mpi` holds a pointer-like handle.
        fn shared<T: Send + Sync>() {}
        shared::<super::Mpi>();
    }
}
