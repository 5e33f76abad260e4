//! Kernels: loops over slices and sizes, never over layers.
//!
//! Everything the layers compute in bulk goes through this module, so a faster implementation
//! (SIMD behind runtime dispatch, several threads) drops in without touching `layer/`. The
//! contracts are written in BLAS terms on row-major slices; the scalar reference bodies here
//! are what every faster variant is tested against.
//!
//! This is the only module with `unsafe` code, each block with a `SAFETY` comment: the one
//! call into `#[target_feature]` code (`dispatch`, after [`isa::Isa`] has detected the
//! features), the intrinsics of the lanes types, and the unchecked reads of the register
//! tiles.

pub mod conv2d;
mod dispatch;
pub mod eltwise;
pub(crate) mod fork;
pub mod gather;
pub mod gemm;
pub mod im2col;
pub mod isa;
pub(crate) mod lanes;
pub mod pool2d;
pub mod update;
