//! Kernels: loops over slices and sizes, never over layers.
//!
//! Everything the layers compute in bulk goes through this module, so a faster implementation
//! (SIMD behind runtime dispatch, several threads) drops in without touching `layer/`. The
//! contracts are written in BLAS terms on row-major slices; the scalar reference bodies here
//! are what every faster variant is tested against.

pub mod conv2d;
pub mod gemm;
pub mod pool2d;
