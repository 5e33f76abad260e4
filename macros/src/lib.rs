//! Derive macros of constnn (filled in by the derive issue).
