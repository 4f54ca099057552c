//! `astudio`: the Artificial Studio command-line tool (filled in by its own issue).

fn main() {}
