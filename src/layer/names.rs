//! The full names of a model's parameters: the fields that `#[derive(Network)]` enters on the
//! way (`enter(field)`/`leave()`), then the tensor's local name — `["c1", "weight"]`, written
//! `c1.weight` in checkpoints and messages.

use super::{ParamRef, Params, VisitorRef};

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
        scope: Vec<&'static str>,
        out: Vec<Vec<String>>,
    }
    impl<T> VisitorRef<T> for Paths {
        fn param(&mut self, p: ParamRef<'_, T>) {
            let mut path: Vec<String> = self.scope.iter().map(|s| s.to_string()).collect();
            path.push(p.name.to_string());
            self.out.push(path);
        }
        fn enter(&mut self, scope: &'static str) {
            self.scope.push(scope);
        }
        fn leave(&mut self) {
            let _ = self.scope.pop();
        }
    }
    let mut paths = Paths {
        scope: Vec::new(),
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
