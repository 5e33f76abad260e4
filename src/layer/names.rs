//! The full names of a model's tensors: the fields that `#[derive(Network)]` enters on the
//! way (`enter(field)`/`leave()`), then the tensor's local name — `["c1", "weight"]`, written
//! `c1.weight` in checkpoints and messages. [`Scope`] is the one name stack every visitor
//! that needs names keeps (checkpoints, [`Frozen`](crate::optim::Frozen), the paths below).

use super::{ParamRef, Params, VisitorRef};

/// The fields enclosing the tensor being visited, pushed by `enter` and popped by `leave`.
/// Kept across walks, it allocates nothing after the first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope(Vec<&'static str>);

impl Scope {
    /// Entering field `scope`.
    pub fn enter(&mut self, scope: &'static str) {
        self.0.push(scope);
    }

    /// Leaving the field entered last.
    pub fn leave(&mut self) {
        let _ = self.0.pop();
    }

    /// Back to the top level (after a walk cut short).
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// The enclosing fields, outermost first.
    pub fn fields(&self) -> &[&'static str] {
        &self.0
    }

    /// The full dotted name of tensor `local` here: `c1.weight`.
    pub fn dotted(&self, local: &str) -> String {
        let mut name = String::new();
        for s in &self.0 {
            name.push_str(s);
            name.push('.');
        }
        name.push_str(local);
        name
    }

    /// Whether the path of tensor `local` here starts with `prefix` (a layer path such as
    /// `["base", "c1"]`, or a full tensor path).
    pub fn has_prefix(&self, local: &str, prefix: &[String]) -> bool {
        path_has_prefix(&self.0, local, prefix)
    }
}

/// Whether the path `fields` + `local` of a tensor starts with `prefix`.
pub(crate) fn path_has_prefix(fields: &[&str], local: &str, prefix: &[String]) -> bool {
    let path = fields.iter().copied().chain(core::iter::once(local));
    prefix.len() <= fields.len() + 1 && prefix.iter().zip(path).all(|(a, b)| a == b)
}

/// The path of every parameter of `model` (not its buffers), in visiting order.
///
/// ```
/// use constnn::layer::param_paths;
/// use constnn::models::LeNet5;
///
/// let paths = param_paths(&LeNet5::new(0));
/// assert_eq!(paths.len(), 10);
/// assert_eq!(paths[0], ["c1", "weight"]);
/// assert_eq!(paths[9], ["out", "bias"]);
/// ```
pub fn param_paths<T>(model: &dyn Params<T>) -> Vec<Vec<String>> {
    struct Paths {
        scope: Scope,
        out: Vec<Vec<String>>,
    }
    impl<T> VisitorRef<T> for Paths {
        fn param(&mut self, p: ParamRef<'_, T>) {
            let mut path: Vec<String> = self.scope.fields().iter().map(|s| s.to_string()).collect();
            path.push(p.name.to_string());
            self.out.push(path);
        }
        fn enter(&mut self, scope: &'static str) {
            self.scope.enter(scope);
        }
        fn leave(&mut self) {
            self.scope.leave();
        }
    }
    let mut paths = Paths {
        scope: Scope::default(),
        out: Vec::new(),
    };
    model.visit_ref(&mut paths);
    paths.out
}

/// The layers of `model` that have parameters, as dotted field paths (`c1`, `base.d1`), in
/// visiting order: what an [`Error::UnknownLayer`](crate::Error::UnknownLayer) lists.
pub fn layer_names<T>(model: &dyn Params<T>) -> Vec<String> {
    let mut names: Vec<String> = param_paths(model)
        .iter()
        .map(|p| p[..p.len() - 1].join("."))
        .filter(|l| !l.is_empty())
        .collect();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_name_and_match_paths() {
        let mut s = Scope::default();
        s.enter("base");
        s.enter("c1");
        assert_eq!(s.dotted("weight"), "base.c1.weight");
        let path = |p: &str| p.split('.').map(str::to_string).collect::<Vec<_>>();
        assert!(s.has_prefix("weight", &path("base")));
        assert!(s.has_prefix("weight", &path("base.c1.weight")));
        assert!(!s.has_prefix("weight", &path("base.c1.bias")));
        assert!(!s.has_prefix("weight", &path("base.c1.weight.x")));
        s.leave();
        assert_eq!(s.dotted("bias"), "base.bias");
    }
}
