//! Batch normalization (course 2, week 3).
