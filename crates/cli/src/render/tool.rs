//! Tools for people: a tool's models, prices and input fields.

use artificial_studio::ToolExt;
use artificial_studio_types::{CostUnit, InputField, InputSchema, Tool, ToolModel};

use super::{Table, Terminal, compact, key_values, shown};

/// A model's price as a person reads it: `6 credits/generation`,
/// `30 credits/second`, with the prices by resolution where they vary.
pub fn price(model: &ToolModel) -> String {
    let unit = model.cost_unit.clone().unwrap_or(CostUnit::DEFAULT);
    let Some(cost) = model.cost else {
        return "price not published".to_string();
    };
    let credits = if cost == 1.0 { "credit" } else { "credits" };
    let mut text = format!("{} {credits}/{unit}", number(cost));
    if !model.cost_by_resolution.is_empty() {
        let by: Vec<String> = model
            .cost_by_resolution
            .iter()
            .map(|(resolution, cost)| format!("{} at {resolution}", number(*cost)))
            .collect();
        text.push_str(&format!(" ({})", by.join(", ")));
    }
    text
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A tool's description, then for each model its price and input fields.
pub fn tool_details(tool: &Tool, terminal: Terminal) -> String {
    // The fields stay aligned into a pipe: they are read, not cut.
    let fields = Terminal {
        width: terminal.width.or(Some(120)),
        ..terminal
    };
    let mut pairs = vec![("tool", tool.slug.clone()), ("name", tool.name.clone())];
    if tool.type_.is_some() || tool.output_type.is_some() {
        pairs.push((
            "type",
            format!("{} → {}", shown(&tool.type_), shown(&tool.output_type)),
        ));
    }
    if let Some(about) = tool.description.as_ref().filter(|d| !d.trim().is_empty()) {
        pairs.push(("about", about.clone()));
    }
    let mut out = key_values(&pairs);
    for (i, model) in tool.models.iter().enumerate() {
        let default = if i == 0 { ", the default" } else { "" };
        out.push_str(&format!(
            "\nmodel {} ({}): {}{default}\n",
            model.slug,
            model.name,
            price(model)
        ));
        let Some(schema) = tool.input_schema_of(model) else {
            out.push_str("  (no input schema published)\n");
            continue;
        };
        out.push_str(&fields_table(schema).render(fields));
    }
    if tool.models.is_empty()
        && let Some(schema) = &tool.input_schema
    {
        out.push_str("\ninput\n");
        out.push_str(&fields_table(schema).render(fields));
    }
    out
}

fn fields_table(schema: &InputSchema) -> Table {
    let mut table = Table::new([
        "field",
        "type",
        "required",
        "default",
        "allowed",
        "description",
    ]);
    for (name, field) in &schema.properties {
        table.row([
            name.clone(),
            field_type(name, field),
            if schema.is_required(name) {
                "yes".into()
            } else {
                String::new()
            },
            field.default.as_ref().map(compact).unwrap_or_default(),
            allowed(field),
            field
                .description
                .clone()
                .or_else(|| field.label.clone())
                .unwrap_or_default(),
        ]);
    }
    table
}

/// The field's type, its items' type for a list, and for a media field what
/// it takes and that `KEY=@FILE` uploads it: `array<string>, image upload`.
fn field_type(name: &str, field: &InputField) -> String {
    let mut text = match (&field.type_, &field.items) {
        (Some(kind), Some(items)) => format!("{kind}<{}>", shown(&items.type_)),
        (Some(kind), None) => kind.to_string(),
        (None, _) => "any".to_string(),
    };
    if field.is_media(name) {
        let media = field.file_type.as_deref().unwrap_or("file");
        text.push_str(&format!(", {media} upload"));
    }
    text
}

/// The allowed values (with their labels where the schema gives them), or
/// the field's limits.
fn allowed(field: &InputField) -> String {
    let values = field.allowed_values();
    if !values.is_empty() {
        return values
            .iter()
            .map(|value| match field.label_of(value) {
                Some(label) if label != compact(value) => format!("{} ({label})", compact(value)),
                _ => compact(value),
            })
            .collect::<Vec<_>>()
            .join(" | ");
    }
    let mut limits = Vec::new();
    if let Some(max) = field.max_length {
        limits.push(format!("≤ {max} chars"));
    }
    match (field.lower_bound(), field.upper_bound()) {
        (Some(lo), Some(hi)) => limits.push(format!("{lo} to {hi}")),
        (Some(lo), None) => limits.push(format!("≥ {lo}")),
        (None, Some(hi)) => limits.push(format!("≤ {hi}")),
        (None, None) => {}
    }
    if let Some(max) = field.max_items {
        limits.push(format!("≤ {max} items"));
    }
    limits.join(", ")
}
