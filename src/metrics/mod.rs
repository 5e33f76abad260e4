//! Metrics and error analysis (course 3).
