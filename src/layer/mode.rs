//! Train vs eval mode, as types.
//!
//! Dropout drops units and batch norm uses batch statistics only in [`Train`] mode; in
//! [`Eval`] mode dropout is the identity and batch norm uses its running averages. The mode is
//! a type parameter of `forward`, so no `bool` is passed around and each mode compiles to its
//! own code.

mod sealed {
    pub trait Sealed {}
}

/// [`Train`] or [`Eval`].
pub trait Mode: sealed::Sealed + 'static {
    /// `true` for [`Train`].
    const TRAINING: bool;
}

/// Training mode: forward keeps what backward needs.
#[derive(Clone, Copy, Debug)]
pub enum Train {}

/// Evaluation (inference) mode.
#[derive(Clone, Copy, Debug)]
pub enum Eval {}

impl sealed::Sealed for Train {}
impl sealed::Sealed for Eval {}
impl Mode for Train {
    const TRAINING: bool = true;
}
impl Mode for Eval {
    const TRAINING: bool = false;
}
