//! Desired and current state to a plan: pure, sorted, no I/O.
