//! The catalog of tools and models: loaded from YAML into the generated `Tool` type,
//! checked, with each model's input checks and pre-serialized responses.

use std::sync::{Arc, OnceLock};

use artificial_studio_types::{
    CostUnit, GenerationType, InputSchema, SearchResults, Tool, ToolList, ToolModel, ToolSummary,
    rules::input::InputRules,
};
use bytes::Bytes;
use foldhash::fast::RandomState;
use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use crate::{error::Error, payload::PayloadTemplate};

/// The built-in catalog, `spec/catalog.yaml`, embedded so the library needs no files.
#[cfg(test)]
pub const DEFAULT_CATALOG_YAML: &str = include_str!("../../../spec/catalog.yaml");

/// `spec/catalog.yaml` as JSON, which `build.rs` writes: the built-in
/// catalog is read from this, in about a tenth of the time the YAML takes.
pub const DEFAULT_CATALOG_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/catalog.json"));

/// The shape of a catalog file: `tools:` followed by a list of tools.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    tools: Vec<Tool>,
}

/// How the runs of a model are charged, in whole credits: the contract's
/// rule (`rules::price`), worked out once at load.
pub type Price = artificial_studio_types::rules::price::Price<u64>;

/// A model with the checks of its input.
pub struct ModelEntry {
    /// Credits per `cost_unit` (whole credits: the mock's books count no fractions).
    pub cost: u64,
    /// What `cost` counts.
    pub cost_unit: CostUnit,
    /// How a run is charged, worked out from the entry at load.
    pub price: Price,
    /// The input schema that applies: the model's, else the tool's.
    pub schema: InputSchema,
    /// The model slug.
    pub slug: String,
    /// The checks of `input` for this model.
    pub rules: InputRules,
    /// The fixed text of its generations' payloads.
    pub payload: PayloadTemplate,
}

/// A tool with its models, ready to answer requests.
pub struct ToolEntry {
    /// The tool as the API shows it.
    pub tool: Tool,
    /// The kind of media its generations produce (`outputType`).
    pub output_type: GenerationType,
    /// `GET /api/tools/{slug}`'s body, serialized once.
    pub json: Bytes,
    /// The models by slug, the default one first.
    models: IndexMap<String, ModelEntry, RandomState>,
    /// Lower-case slug, name and description, for search.
    haystack: String,
}

impl ToolEntry {
    /// The tool's default model (its first).
    pub fn default_model(&self) -> Option<&ModelEntry> {
        self.models.get_index(0).map(|(_, model)| model)
    }

    /// A model of this tool by slug.
    pub fn model(&self, slug: &str) -> Option<&ModelEntry> {
        self.models.get(slug)
    }

    /// The slugs of the tool's models, the default one first.
    pub fn model_slugs(&self) -> impl ExactSizeIterator<Item = &str> {
        self.models.keys().map(String::as_str)
    }
}

/// Every tool, indexed by slug.
pub struct Catalog {
    tools: IndexMap<String, ToolEntry, RandomState>,
    list_json: Bytes,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("tools", &self.tools.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Catalog {
    /// The built-in catalog (`spec/catalog.yaml`), parsed and compiled
    /// once per process.
    pub fn builtin() -> Result<Arc<Catalog>, Error> {
        static BUILTIN: OnceLock<Result<Arc<Catalog>, String>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                Catalog::from_json(DEFAULT_CATALOG_JSON)
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .clone()
            .map_err(Error::Catalog)
    }

    /// Parses and checks a catalog file's text.
    pub fn from_yaml(text: &str) -> Result<Catalog, Error> {
        let file: CatalogFile =
            serde_saphyr::from_str(text).map_err(|e| Error::Catalog(e.to_string()))?;
        Catalog::from_tools(file.tools)
    }

    /// Parses and checks a catalog in JSON (the shape of the YAML file).
    pub fn from_json(text: &str) -> Result<Catalog, Error> {
        let file: CatalogFile =
            serde_json::from_str(text).map_err(|e| Error::Catalog(e.to_string()))?;
        Catalog::from_tools(file.tools)
    }

    /// Checks tools and compiles their models' input schemas.
    pub fn from_tools(tools: Vec<Tool>) -> Result<Catalog, Error> {
        let fail = |message: String| Err(Error::Catalog(message));
        if tools.is_empty() {
            return fail("the catalog has no tools".to_string());
        }
        let mut entries = IndexMap::with_capacity_and_hasher(tools.len(), RandomState::default());
        for tool in tools {
            if tool.slug.trim().is_empty() {
                return fail("a tool has an empty slug".to_string());
            }
            if tool.models.is_empty() {
                return fail(format!("tool {} has no models", tool.slug));
            }
            let (Some(kind), Some(output_type)) = (&tool.type_, &tool.output_type) else {
                return fail(format!("tool {} needs a type and an outputType", tool.slug));
            };
            if kind.is_unknown() || output_type.is_unknown() {
                return fail(format!(
                    "tool {}: type {kind} or outputType {output_type} is not one the mock knows",
                    tool.slug
                ));
            }
            let output_type = output_type.clone();
            let mut models =
                IndexMap::with_capacity_and_hasher(tool.models.len(), RandomState::default());
            for model in &tool.models {
                let schema = model
                    .input_schema
                    .as_ref()
                    .or(tool.input_schema.as_ref())
                    .cloned()
                    .ok_or_else(|| {
                        Error::Catalog(format!(
                            "{}/{}: no inputSchema (on the model or the tool)",
                            tool.slug, model.slug
                        ))
                    })?;
                let (cost, cost_unit, price) = model_price(&tool.slug, model, &schema)?;
                check_model(&tool.slug, model, &schema)?;
                let entry = ModelEntry {
                    cost,
                    cost_unit,
                    price,
                    slug: model.slug.clone(),
                    rules: InputRules::new(&schema),
                    payload: PayloadTemplate::new(&schema, &model.slug),
                    schema,
                };
                if models.insert(model.slug.clone(), entry).is_some() {
                    return fail(format!(
                        "tool {} lists model {} twice",
                        tool.slug, model.slug
                    ));
                }
            }
            let json = to_bytes(&tool)?;
            let haystack = format!(
                "{} {} {}",
                tool.slug,
                tool.name,
                tool.description.as_deref().unwrap_or_default()
            )
            .to_lowercase();
            let slug = tool.slug.clone();
            let entry = ToolEntry {
                tool,
                output_type,
                json,
                models,
                haystack,
            };
            if entries.insert(slug.clone(), entry).is_some() {
                return fail(format!("tool {slug} is listed twice"));
            }
        }
        let list = ToolList {
            data: entries.values().map(|e| summary(&e.tool)).collect(),
        };
        Ok(Catalog {
            list_json: to_bytes(&list)?,
            tools: entries,
        })
    }

    /// A tool by slug.
    pub fn tool(&self, slug: &str) -> Option<&ToolEntry> {
        self.tools.get(slug)
    }

    /// Every tool, in catalog order.
    pub fn tools(&self) -> impl Iterator<Item = &ToolEntry> {
        self.tools.values()
    }

    /// `GET /api/tools`'s body, serialized once.
    pub fn list_json(&self) -> Bytes {
        self.list_json.clone()
    }

    /// Tools whose slug, name or description contain every word of `q`
    /// (case-insensitive), in catalog order.
    pub fn search(&self, q: &str) -> SearchResults {
        let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
        SearchResults {
            data: self
                .tools
                .values()
                .filter(|e| words.iter().all(|w| e.haystack.contains(w.as_str())))
                .map(|e| e.tool.clone())
                .collect(),
        }
    }
}

fn summary(tool: &Tool) -> ToolSummary {
    ToolSummary {
        slug: tool.slug.clone(),
        name: tool.name.clone(),
        description: tool.description.clone(),
        type_: tool.type_.clone(),
        output_type: tool.output_type.clone(),
    }
}

/// A model's price as the mock's books keep it: whole credits per unit, its
/// unit, and how a run is charged (with prices per unit by resolution, each a
/// value the `resolution` field allows).
fn model_price(
    tool: &str,
    model: &ToolModel,
    schema: &InputSchema,
) -> Result<(u64, CostUnit, Price), Error> {
    let at = |message: String| Error::Catalog(format!("{tool}/{}: {message}", model.slug));
    let whole = |credits: f64| -> Result<u64, Error> {
        if credits.is_finite() && credits >= 0.0 && credits.fract() == 0.0 && credits <= 1e12 {
            Ok(credits as u64)
        } else {
            Err(at(format!(
                "cost {credits} is not a whole number of credits"
            )))
        }
    };
    let cost = whole(model.cost.ok_or_else(|| at("no cost".to_string()))?)?;
    let mut by_resolution = Vec::with_capacity(model.cost_by_resolution.len());
    if !model.cost_by_resolution.is_empty() {
        let Some(field) = schema.properties.get("resolution") else {
            return Err(at("costByResolution without a resolution field".to_string()));
        };
        let allowed = field.allowed_values();
        for (resolution, price) in &model.cost_by_resolution {
            let value = Value::String(resolution.clone());
            if !allowed.is_empty() && !allowed.contains(&value) {
                return Err(at(format!(
                    "costByResolution names {resolution}, not a value of resolution"
                )));
            }
            by_resolution.push((resolution.clone(), whole(*price)?));
        }
    }
    let unit = model.cost_unit.clone().unwrap_or(CostUnit::DEFAULT);
    let price = Price::new(cost, &unit, by_resolution, Some(schema))
        .ok_or_else(|| at(format!("costUnit {unit} is not one the mock knows")))?;
    Ok((cost, unit, price))
}

fn to_bytes<T: serde::Serialize>(value: &T) -> Result<Bytes, Error> {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .map_err(|e| Error::Catalog(e.to_string()))
}

fn check_model(tool: &str, model: &ToolModel, schema: &InputSchema) -> Result<(), Error> {
    let at = |message: String| Error::Catalog(format!("{tool}/{}: {message}", model.slug));
    if model.slug.trim().is_empty() {
        return Err(Error::Catalog(format!(
            "tool {tool} has a model with an empty slug"
        )));
    }
    for name in &schema.required {
        if !schema.properties.contains_key(name) {
            return Err(at(format!("required field {name} is not a property")));
        }
    }
    if schema.properties.contains_key("model") {
        return Err(at("`model` is reserved for choosing the model".to_string()));
    }
    for (name, field) in &schema.properties {
        let kind = field.json_kind();
        let type_name = kind.map_or("value", |k| k.name());
        let fits = |value: &Value| kind.is_none_or(|k| k.accepts(value));
        let allowed = field.allowed_values();
        if let Some(bad) = allowed.iter().find(|v| !fits(v)) {
            return Err(at(format!(
                "enum value {bad} of {name} is not a {type_name}"
            )));
        }
        if let Some(default) = &field.default {
            if !fits(default) {
                return Err(at(format!("default of {name} is not a {type_name}")));
            }
            if !allowed.is_empty() && !allowed.contains(default) {
                return Err(at(format!(
                    "default of {name} is not one of its enum values"
                )));
            }
        }
        if field.is_array() && field.items.is_none() {
            return Err(at(format!("array field {name} has no items type")));
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "catalog_tests.rs"]
mod tests;
