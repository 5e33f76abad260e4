//! Inverted dropout (course 2, week 1).
