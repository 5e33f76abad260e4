//! What an optimizer carries from one step to the next, for training checkpoints: Adam's
//! `v_dW`, `s_dW` and `t`, momentum's `v_dW`, RMSprop's `s_dW`. Without it, a resumed run
//! would restart Adam's averages at zero and its bias correction at `t = 1`, and take
//! different steps than the run it continues.

/// An optimizer's state ([`Optimizer::snapshot`](super::Optimizer::snapshot)).
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot<T> {
    /// The optimizer's name (`"Adam"`): a snapshot only restores into the same kind.
    pub kind: &'static str,
    /// The step count `t` where the update uses it (Adam's bias correction), else 0.
    pub steps: u64,
    /// The names of the per-tensor buffers (`["v", "s"]` for Adam, `[]` for plain SGD).
    pub slots: &'static [&'static str],
    /// `tensors[i][k]`: buffer `slots[k]` of the `i`-th parameter tensor the optimizer
    /// updates, in visiting order. Empty before the first step.
    pub tensors: Vec<Vec<Vec<T>>>,
}

impl<T> Snapshot<T> {
    /// A snapshot of an optimizer with no per-tensor state (plain gradient descent).
    pub fn stateless(kind: &'static str) -> Self {
        Self {
            kind,
            steps: 0,
            slots: &[],
            tensors: Vec::new(),
        }
    }

    /// Checks that `self` fits an optimizer of `kind` with buffers `slots`.
    ///
    /// # Errors
    /// A message naming what differs.
    pub(crate) fn check(&self, kind: &str, slots: &[&str]) -> Result<(), String> {
        if self.kind != kind {
            return Err(format!(
                "the state is {}'s, the optimizer is {kind}",
                self.kind
            ));
        }
        if self.slots != slots {
            return Err(format!(
                "{kind} keeps buffers {slots:?}, the state has {:?}",
                self.slots
            ));
        }
        for (i, t) in self.tensors.iter().enumerate() {
            let len = t.first().map_or(0, Vec::len);
            if t.len() != slots.len() || t.iter().any(|b| b.len() != len) {
                return Err(format!("{kind}: tensor {i} has buffers of different sizes"));
            }
        }
        Ok(())
    }
}
