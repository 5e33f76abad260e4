//! The bytes a rank sends rank 0 after its trials of a distributed search.
//!
//! Only what rank 0 cannot recompute travels: each trial's index, its seconds and its
//! outcome (the metrics by name, or the error's message). The hyper-parameters do not: trial
//! `k` is `space.trial(seed, k)` on every rank. All numbers little-endian:
//!
//! ```text
//! trial   = index: u64, seconds: f64, tag: u8, body
//! body    = tag 0: count: u32, count × (name: text, value: f64)     the metrics
//!         | tag 1: message: text                                    the error's Display
//! text    = length: u32, UTF-8 bytes
//! ```

use crate::search::Outcome;
use crate::{Error, Result};

/// One finished trial as sent: index, seconds, outcome.
pub(crate) type Sent = (usize, f64, Result<Outcome>);

/// Appends trial `index`'s result to `out`.
pub(crate) fn encode(index: usize, seconds: f64, outcome: &Result<Outcome>, out: &mut Vec<u8>) {
    out.extend_from_slice(&(index as u64).to_le_bytes());
    out.extend_from_slice(&seconds.to_le_bytes());
    match outcome {
        Ok(o) => {
            out.push(0);
            out.extend_from_slice(&(o.metrics.len() as u32).to_le_bytes());
            for (name, value) in &o.metrics {
                text(name, out);
                out.extend_from_slice(&value.to_le_bytes());
            }
        }
        Err(e) => {
            out.push(1);
            text(&e.to_string(), out);
        }
    }
}

fn text(s: &str, out: &mut Vec<u8>) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// The trials in `bytes`, sent by `rank`; their errors become [`Error::Remote`].
///
/// # Errors
/// [`Error::Mpi`] when the bytes are not what [`encode`] writes.
pub(crate) fn decode(rank: usize, bytes: &[u8]) -> Result<Vec<Sent>> {
    let mut r = Reader { bytes, rank };
    let mut trials = Vec::new();
    while !r.bytes.is_empty() {
        let index = usize::try_from(r.u64()?).map_err(|_| r.bad("trial index"))?;
        let seconds = f64::from_le_bytes(r.take()?);
        let outcome = match r.take::<1>()?[0] {
            0 => {
                let mut o = Outcome::new();
                for _ in 0..r.u32()? {
                    let name = r.text()?;
                    o = o.with(name, f64::from_le_bytes(r.take()?));
                }
                Ok(o)
            }
            1 => Err(Error::Remote {
                rank,
                message: r.text()?,
            }),
            _ => return Err(r.bad("outcome tag")),
        };
        trials.push((index, seconds, outcome));
    }
    Ok(trials)
}

struct Reader<'a> {
    bytes: &'a [u8],
    rank: usize,
}

impl Reader<'_> {
    fn bad(&self, what: &str) -> Error {
        Error::Mpi {
            reason: format!("search results from rank {}: bad {what}", self.rank),
        }
    }

    fn take<const N: usize>(&mut self) -> Result<[u8; N]> {
        let head = self
            .bytes
            .first_chunk::<N>()
            .ok_or_else(|| self.bad("length"))?;
        let head = *head;
        self.bytes = &self.bytes[N..];
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.take()?))
    }

    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.take()?))
    }

    fn text(&mut self) -> Result<String> {
        let n = self.u32()? as usize;
        if self.bytes.len() < n {
            return Err(self.bad("text length"));
        }
        let (s, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        String::from_utf8(s.to_vec()).map_err(|_| self.bad("text (not UTF-8)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trials_round_trip_with_errors_as_their_text() {
        let diverged = Error::Diverged {
            epoch: 1,
            step: 3,
            cause: crate::Divergence::Cost(f64::NAN),
        };
        let ok = Outcome::new()
            .with("dev_accuracy", 0.9375)
            .with("dev_cost", -0.0);
        let mut bytes = Vec::new();
        encode(4, 0.25, &Ok(ok.clone()), &mut bytes);
        encode(6, 1.5, &Err(diverged), &mut bytes);
        let back = decode(1, &bytes).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!((back[0].0, back[0].1), (4, 0.25));
        assert_eq!(back[0].2.as_ref().unwrap(), &ok);
        assert_eq!((back[1].0, back[1].1), (6, 1.5));
        let e = back[1].2.as_ref().unwrap_err();
        assert!(matches!(e, Error::Remote { rank: 1, .. }));
        assert_eq!(
            e.to_string(),
            "training diverged at epoch 1, step 3: the cost became NaN"
        );
    }

    #[test]
    fn truncated_bytes_are_an_error_naming_the_rank() {
        let mut bytes = Vec::new();
        encode(0, 0.5, &Ok(Outcome::new().with("a", 1.0)), &mut bytes);
        for cut in 0..bytes.len() {
            let e = decode(3, &bytes[..cut]);
            assert!(cut == 0 || e.is_err(), "cut {cut}");
        }
        let e = decode(3, &bytes[..5]).unwrap_err().to_string();
        assert_eq!(e, "MPI: search results from rank 3: bad length");
        bytes[16] = 7;
        let e = decode(3, &bytes).unwrap_err().to_string();
        assert_eq!(e, "MPI: search results from rank 3: bad outcome tag");
    }
}
