//! Generations for people: a table for lists, a key/value block for one.

use artificial_studio_types::Generation;
use serde_json::Value;

use super::{Paint, Table, key_values, shown};

/// Generations as a table, one row each.
pub fn generations_table(generations: &[Generation]) -> Table {
    let mut table = Table::new(["id", "status", "tool", "type", "created", "output"])
        .paint("id", |_| Some(Paint::Id))
        .paint("status", Paint::of_status);
    for g in generations {
        table.row([
            g.id.clone(),
            g.status.to_string(),
            g.tool.clone(),
            shown(&g.type_),
            g.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            g.output
                .clone()
                .or_else(|| g.error.clone())
                .unwrap_or_default(),
        ]);
    }
    table
}

/// A generation as a key/value block.
pub fn generation_block(g: &Generation) -> String {
    let mut pairs = vec![
        ("id", g.id.clone()),
        ("status", g.status.to_string()),
        ("tool", g.tool.clone()),
        ("type", shown(&g.type_)),
        ("created", g.created_at.to_rfc3339()),
    ];
    if let Some(output) = &g.output {
        pairs.push(("output", output.clone()));
    }
    if let Some(thumbnail) = &g.thumbnail {
        pairs.push(("thumbnail", thumbnail.clone()));
    }
    if let Some(error) = &g.error {
        pairs.push(("error", error.clone()));
    }
    if !g.payload.is_empty() {
        pairs.push(("input", Value::Object(g.payload.clone()).to_string()));
    }
    key_values(&pairs)
}
