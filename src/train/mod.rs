//! Mini-batch training (course 2).
