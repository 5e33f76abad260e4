//! Mini-batches a layer cannot train on. `forward` has no error path (it always writes its
//! output), so a layer that meets such a batch in [`Train`](super::Train) mode *refuses* it:
//!
//! * inside [`fit`](crate::train::fit), which listens on its thread, the refusal is recorded
//!   and `fit` stops before the backward pass with
//!   [`Error::Refused`](crate::Error::Refused) naming the epoch and step;
//! * anywhere else `forward` panics with the same message, as PyTorch raises an error for
//!   batch normalization of a single value per channel.
//!
//! The one refusal today: batch normalization over one value per feature, whose variance is
//! 0, so `ẑ = 0`, the output is `β` whatever the input, no gradient reaches the layers below
//! and the running variance drifts to 0.

use core::cell::RefCell;

thread_local! {
    /// `None`: nobody listens on this thread. `Some(first refusal, if any)`: `fit` listens.
    static SLOT: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

/// Records the refusal `reason()` for the listening [`Listener`], or panics with it when no
/// one listens on this thread.
///
/// # Panics
/// When no [`Listener`] is active on this thread.
pub(crate) fn refuse(reason: impl FnOnce() -> String) {
    let listened = SLOT.with(|slot| match &mut *slot.borrow_mut() {
        Some(first) => {
            if first.is_none() {
                *first = Some(reason());
            }
            None
        }
        None => Some(reason),
    });
    if let Some(reason) = listened {
        panic!("{}", reason());
    }
}

/// The reason batch normalization gives for one value per feature (`unit`: what one value
/// is, a `sample` or a `1×1 image`).
pub(crate) fn single_value(layer: &str, unit: &str) -> String {
    format!(
        "batch normalization needs at least 2 values per feature in training mode, but \
         {layer} got a mini-batch of 1 {unit} (its variance is 0); choose a batch size that \
         leaves no mini-batch of 1"
    )
}

/// Listens for refusals on this thread while it lives; restores the previous listener (if
/// any: a nested `fit`) when dropped.
pub(crate) struct Listener {
    previous: Option<Option<String>>,
}

impl Listener {
    /// Starts listening.
    pub(crate) fn start() -> Self {
        let previous = SLOT.with(|slot| slot.borrow_mut().replace(None));
        Self { previous }
    }

    /// The first refusal since the last call, if any.
    pub(crate) fn take(&self) -> Option<String> {
        SLOT.with(|slot| slot.borrow_mut().as_mut().and_then(Option::take))
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let previous = self.previous.take();
        SLOT.with(|slot| *slot.borrow_mut() = previous);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listener_records_the_first_refusal_and_nests() {
        let outer = Listener::start();
        refuse(|| "first".into());
        refuse(|| "second".into());
        {
            let inner = Listener::start();
            assert_eq!(inner.take(), None);
            refuse(|| "inner".into());
            assert_eq!(inner.take().as_deref(), Some("inner"));
        }
        assert_eq!(outer.take().as_deref(), Some("first"));
        assert_eq!(outer.take(), None);
    }

    #[test]
    #[should_panic(expected = "refused without a listener")]
    fn without_a_listener_a_refusal_panics() {
        refuse(|| "refused without a listener".into());
    }
}
