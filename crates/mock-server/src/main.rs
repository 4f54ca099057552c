//! `astudio-mock`: the mock server binary (filled in by its own issue).

fn main() {}
