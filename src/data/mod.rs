//! Data loading (filled below).
