//! Synthetic extract generator. STUB: to be replaced.
