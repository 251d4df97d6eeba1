//! The `shelflife` command line.

fn main() {}
