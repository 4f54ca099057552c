//! The catalog of tools and models: loaded from YAML into the generated `Tool` type,
//! checked, with compiled input validators and pre-serialized responses.

use std::sync::{Arc, OnceLock};

use artificial_studio_types::{
    CostUnit, GenerationType, InputSchema, SearchResults, Tool, ToolList, ToolModel, ToolSummary,
};
use bytes::Bytes;
use foldhash::fast::RandomState;
use indexmap::IndexMap;
use jsonschema::Validator;
use serde::Deserialize;
use serde_json::Value;

use crate::{
    Error,
    validation::{self, PayloadTemplate},
};

/// The built-in catalog, `spec/catalog.yaml`, embedded so the library needs no files.
pub const DEFAULT_CATALOG_YAML: &str = include_str!("../../../spec/catalog.yaml");

/// [`DEFAULT_CATALOG_YAML`] as JSON, which `build.rs` writes: the built-in
/// catalog is read from this, in about a tenth of the time the YAML takes.
pub const DEFAULT_CATALOG_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/catalog.json"));

/// The shape of a catalog file: `tools:` followed by a list of tools.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    tools: Vec<Tool>,
}

/// A model with its compiled input validator.
pub struct ModelEntry {
    /// Credits per `cost_unit` (whole credits: the mock's books count no fractions).
    pub cost: u64,
    /// What `cost` counts.
    pub cost_unit: CostUnit,
    /// The input schema that applies: the model's, else the tool's.
    pub schema: InputSchema,
    /// The model slug.
    pub slug: String,
    /// The strict validator of `input` for this model.
    pub validator: Validator,
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
    /// The built-in catalog ([`DEFAULT_CATALOG_YAML`]), parsed and compiled
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
                let (cost, cost_unit) = model_price(&tool.slug, model)?;
                check_model(&tool.slug, model, &schema)?;
                let validator = validation::compile_input_schema(&schema)
                    .map_err(|e| Error::Catalog(format!("{}/{}: {e}", tool.slug, model.slug)))?;
                let entry = ModelEntry {
                    cost,
                    cost_unit,
                    slug: model.slug.clone(),
                    validator,
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

/// A model's price as the mock's books keep it: whole credits per unit.
fn model_price(tool: &str, model: &ToolModel) -> Result<(u64, CostUnit), Error> {
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
    for price in model.cost_by_resolution.values() {
        whole(*price)?;
    }
    let unit = model.cost_unit.clone().unwrap_or(CostUnit::DEFAULT);
    if unit.is_unknown() {
        return Err(at(format!("costUnit {unit} is not one the mock knows")));
    }
    Ok((cost, unit))
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
mod tests {
    use super::*;

    const SLUGS: [&str; 16] = [
        "create-image",
        "edit-image",
        "upscale-image",
        "image-background-remover",
        "create-video",
        "animate-image",
        "upscale-video",
        "text-to-speech",
        "create-music",
        "sound-effects",
        "song-splitter",
        "voice-isolator",
        "text-to-3d",
        "image-to-3d-object",
        "audio-to-text",
        "image-to-text",
    ];

    #[test]
    fn builtin_catalog_has_every_documented_tool_and_model() {
        let catalog = Catalog::builtin().unwrap();
        let slugs: Vec<_> = catalog.tools().map(|t| t.tool.slug.as_str()).collect();
        assert_eq!(slugs, SLUGS);
        let image = catalog.tool("create-image").unwrap();
        let models: Vec<_> = image.model_slugs().collect();
        assert_eq!(models, ["seedream-4", "flux-schnell", "nano-banana"]);
        assert_eq!(image.default_model().unwrap().cost, 6);
        assert!(
            catalog
                .tool("edit-image")
                .unwrap()
                .model("flux-kontext")
                .is_some()
        );
        let tts = catalog.tool("text-to-speech").unwrap();
        assert!(tts.model("openai-tts").is_some());
        assert!(tts.model("elevenlabs-tts").is_some());
        let voice = &tts.default_model().unwrap().schema.properties["voice"];
        assert_eq!(voice.enum_.len(), 6);
        assert_eq!(
            tts.default_model().unwrap().schema.properties["prompt"].max_length,
            Some(3000)
        );
    }

    #[test]
    fn builtin_json_is_the_yaml_catalog() {
        let from_json = Catalog::builtin().unwrap();
        let from_yaml = Catalog::from_yaml(DEFAULT_CATALOG_YAML).unwrap();
        assert_eq!(from_json.list_json(), from_yaml.list_json());
        let tools = |c: &Catalog| -> Vec<(Bytes, Vec<String>)> {
            c.tools()
                .map(|t| (t.json.clone(), t.model_slugs().map(String::from).collect()))
                .collect()
        };
        // Each tool's served body holds its models' costs and input schemas,
        // with the schemas' properties in the file's order.
        assert_eq!(tools(&from_json), tools(&from_yaml));
    }

    #[test]
    fn a_catalog_can_be_json() {
        let catalog = Catalog::from_json(DEFAULT_CATALOG_JSON).unwrap();
        assert_eq!(catalog.tools().count(), SLUGS.len());
        // A `--catalog` file in JSON is read by the YAML parser (JSON is YAML).
        let via_yaml = Catalog::from_yaml(DEFAULT_CATALOG_JSON).unwrap();
        assert_eq!(via_yaml.list_json(), catalog.list_json());
        let broken = Catalog::from_json(r#"{"tools": [], "extra": 1}"#).unwrap_err();
        assert!(broken.to_string().contains("extra"), "{broken}");
    }

    #[test]
    fn search_matches_every_word_in_slug_name_or_description() {
        let catalog = Catalog::builtin().unwrap();
        let found: Vec<_> = catalog
            .search("Speech")
            .data
            .into_iter()
            .map(|t| t.slug)
            .collect();
        assert_eq!(found, ["text-to-speech", "audio-to-text"]);
        assert!(
            catalog
                .search("image upscale")
                .data
                .iter()
                .all(|t| t.slug == "upscale-image")
        );
        assert!(catalog.search("zzz").data.is_empty());
    }

    #[test]
    fn catalog_with_a_required_field_that_is_not_a_property_is_refused() {
        let yaml = DEFAULT_CATALOG_YAML.replacen("required: [prompt]", "required: [promt]", 1);
        let err = Catalog::from_yaml(&yaml).unwrap_err().to_string();
        assert!(err.contains("promt"), "{err}");
    }
}
