//! The `pprl` command-line tool.
fn main() {}
