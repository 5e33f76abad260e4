//! Hyper-parameter search (course 2, week 3).
