//! Walking a model's tensors under their full dotted names (`c1.weight`): the scopes that
//! `#[derive(Network)]` opens with `enter(field)`/`leave()`, joined by dots, then the local
//! name. Parameters and buffers are walked alike.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::layer::{Buffer, BufferRef, Param, ParamRef, ParamShape, Scope, Visitor, VisitorRef};
use crate::{Error, Result};

/// Maps every tensor of a read-only walk through `make(full name, shape, values)`, and
/// checks that names are unique and shapes agree with the slices.
pub(super) struct Lister<X, F> {
    scope: Scope,
    make: F,
    out: Vec<X>,
    names: BTreeSet<String>,
    problem: Option<String>,
}

impl<X, F> Lister<X, F> {
    pub(super) fn new<T>(make: F) -> Self
    where
        F: FnMut(String, ParamShape, &[T]) -> X,
    {
        Self {
            scope: Scope::default(),
            make,
            out: Vec::new(),
            names: BTreeSet::new(),
            problem: None,
        }
    }

    /// The mapped tensors in visiting order.
    ///
    /// # Errors
    /// [`Error::Checkpoint`] when two tensors have the same full name, or a layer reports a
    /// shape that does not match its number of values (a bug in its `Params` impl).
    pub(super) fn finish(self, path: &Path) -> Result<Vec<X>> {
        match self.problem {
            None => Ok(self.out),
            Some(reason) => Err(Error::Checkpoint {
                path: path.to_path_buf(),
                reason,
            }),
        }
    }

    fn add<T>(&mut self, local: &str, shape: ParamShape, values: &[T])
    where
        F: FnMut(String, ParamShape, &[T]) -> X,
    {
        let name = self.scope.dotted(local);
        if self.problem.is_some() {
            return;
        }
        if shape.len() != values.len() {
            self.problem = Some(format!(
                "{name}: the model reports shape {shape} for {} values",
                values.len()
            ));
        } else if !self.names.insert(name.clone()) {
            self.problem = Some(format!("two tensors of the model are named {name}"));
        } else {
            self.out.push((self.make)(name, shape, values));
        }
    }
}

impl<T, X, F: FnMut(String, ParamShape, &[T]) -> X> VisitorRef<T> for Lister<X, F> {
    fn param(&mut self, p: ParamRef<'_, T>) {
        self.add(p.name, p.shape, p.value);
    }
    fn buffer(&mut self, b: BufferRef<'_, T>) {
        self.add(b.name, b.shape, b.value);
    }
    fn enter(&mut self, scope: &'static str) {
        self.scope.enter(scope);
    }
    fn leave(&mut self) {
        self.scope.leave();
    }
}

/// Copies validated values into the model by full name.
pub(super) struct Writer<T> {
    scope: Scope,
    values: BTreeMap<String, Vec<T>>,
}

impl<T: Copy> Writer<T> {
    pub(super) fn new(values: BTreeMap<String, Vec<T>>) -> Self {
        Self {
            scope: Scope::default(),
            values,
        }
    }

    /// Whether every staged tensor found its place.
    pub(super) fn is_done(&self) -> bool {
        self.values.is_empty()
    }

    fn put(&mut self, local: &str, dst: &mut [T]) {
        let name = self.scope.dotted(local);
        // Always found when `visit` and `visit_ref` report the same tensors (checked by
        // `is_done` in debug builds); skipping keeps a buggy layer from panicking here.
        if let Some(src) = self.values.remove(&name)
            && src.len() == dst.len()
        {
            dst.copy_from_slice(&src);
        }
    }
}

impl<T: Copy> Visitor<T> for Writer<T> {
    fn param(&mut self, p: Param<'_, T>) {
        self.put(p.name, p.value);
    }
    fn buffer(&mut self, b: Buffer<'_, T>) {
        self.put(b.name, b.value);
    }
    fn enter(&mut self, scope: &'static str) {
        self.scope.enter(scope);
    }
    fn leave(&mut self) {
        self.scope.leave();
    }
}
