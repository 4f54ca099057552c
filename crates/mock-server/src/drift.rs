//! Drift mode: answers as loose as the spec allows, so a user can prove that
//! an integration survives the real service changing.
//!
//! The real service's answers are looser than a strict reading of the spec:
//! documented-optional fields are left out, unknown fields are added, and
//! open string sets grow. The spec says how far this may go, and drift mode
//! goes that far, driven by the spec alone (`spec/openapi.yaml`, embedded as
//! [`OPENAPI_YAML`]), with no per-endpoint code: the response schema of the
//! operation is found by method, path and status in the spec's `paths`, and
//! the JSON answer is walked with it (`$ref`s resolved, `oneOf`/`anyOf` by the
//! value's JSON type, array `items`, `additionalProperties` maps).
//!
//! # When
//!
//! Per request with `X-Mock-Fault: drift` (or a scripted fault rule whose
//! `fault` is `drift`), or on every request with `--drift`
//! ([`crate::MockServerBuilder::drift`]). Only the API's own answers drift:
//! `/api/...` and `POST /files`. The admin API (`/__mock/...`), downloads
//! (`/outputs`, `/thumbnails`, `/files/{id}/{name}`), `/openapi.yaml`, the
//! answers to unknown routes and non-JSON bodies (`html-502`, `empty-500`,
//! the streamed `reset`) are left as they are. `drift` combines with the
//! other faults: `delay=100,drift` waits, then drifts; `drift,503` answers
//! the contract's 503 with an unknown field in its body.
//!
//! # The rules, for a successful answer (2xx)
//!
//! 1. **Optional fields are left out.** In every object whose schema lists
//!    `properties`, every field the schema does not list in `required` is
//!    removed, with one exception (rule 4).
//! 2. **An unknown field is added** to every such object: [`DRIFT_FIELD`]
//!    (`driftNote`) with [`DRIFT_NOTE`]. Maps (`additionalProperties` with a
//!    schema, such as `inputSchema.properties`) get none, since their keys
//!    are data (a new key there would be a new input field, not an unknown
//!    field); their values are walked. Free-form objects
//!    (`additionalProperties: true`, such as a generation's `payload`, the
//!    caller's own input) are left untouched.
//! 3. **Open enums show unknown values.** A string of an `x-extensible-enum`
//!    schema (`GenerationStatus`, `GenerationType`, `Plan`, `CostUnit`, ...)
//!    becomes `<value>-drift` (`free` → `free-drift`, `processing` →
//!    `processing-drift`), a value no version of a client knows. The final
//!    statuses `success` and `error` are kept
//!    ([`GenerationStatus::is_final`]): a client needs them to stop waiting,
//!    and the spec says an unknown status is not final.
//! 4. **What a journey cannot finish without is kept.** A generation's
//!    `output` is optional in the spec (absent until `success`), but a
//!    success without it could not be downloaded, and the quick-start shows
//!    it; so a `Generation`'s `output` is kept whenever it has a value (see
//!    [`KEPT_WHEN_SET`]). Everything else a journey needs is `required`
//!    already: ids, `status`, `tool` and `createdAt` of a generation, `slug`
//!    and `name` of a tool, the whole account, an upload's `id` and `url`,
//!    the `data` of every list.
//!
//! So a tolerant client still completes every ordinary journey: `run` →
//! wait (through `pending-drift`, `processing-drift`, `uploading-drift` to
//! `success`) → download `output`; list generations (no `pagination`: the
//! client falls back to "a full page means there may be more"); show a tool
//! (no `models`, no `inputSchema`: no local typing of inputs, the service
//! checks them); read the account (plan `free-drift`); upload a file (no
//! `type`). What it loses is what the spec never promised.
//!
//! # Error bodies (4xx, 5xx)
//!
//! An error body keeps everything (its exact `message`, every validation
//! issue with its `field`, `message` and `code`) and only gains
//! [`DRIFT_FIELD`] in each object: a client must still show the contract's
//! message, and an issue's `code` says which check failed.
//!
//! # Cost
//!
//! Deterministic: the same answer always drifts the same way (no
//! randomness). The spec is read once per process, on first use (when a
//! server starts with `--drift`, at start). A drifted answer is parsed,
//! walked and written again; in a debug build on a busy machine that took
//! 0.1 ms for an account, 1.3 ms for the tool list (2.4 KB) and 3.7 ms for a
//! 9 KB search answer, and reading the spec 105 ms (optimised builds are
//! several times faster). With drift off, the request path pays one branch
//! on a flag.

use std::sync::OnceLock;

use artificial_studio_types::{GenerationStatus, OPENAPI_YAML};
use serde_json::{Map, Value};

/// The unknown field drift mode adds to every object it walks.
pub const DRIFT_FIELD: &str = "driftNote";

/// The value of [`DRIFT_FIELD`].
pub const DRIFT_NOTE: &str =
    "added by astudio-mock drift mode: a field this version of the API does not document";

/// What drift mode appends to a known value of an open enum to make it unknown.
pub const DRIFT_SUFFIX: &str = "-drift";

/// Fields the spec makes optional that drift mode keeps when they have a
/// value (not `null`), as `(schema, field)`: without them an ordinary
/// journey cannot finish (rule 4 of the [module docs](self)).
pub const KEPT_WHEN_SET: &[(&str, &str)] = &[("Generation", "output")];

/// How an answer drifts: a successful answer all the way, an error body
/// only by the unknown field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A 2xx answer: every rule of the [module docs](self).
    Success,
    /// An error body: [`DRIFT_FIELD`] added, nothing removed or replaced.
    Error,
}

/// `$ref`s followed in a row before a schema is taken as unreadable.
const MAX_REF_CHAIN: usize = 16;

/// Levels of JSON walked; deeper values are left as they are.
const MAX_DEPTH: usize = 64;

/// The spec's prefix of a schema reference.
const SCHEMA_REF: &str = "#/components/schemas/";

/// The spec's prefix of a response reference.
const RESPONSE_REF: &str = "#/components/responses/";

/// The schema of every error body, for an error status an operation does
/// not list.
const ERROR_BODY: &str = "ErrorBody";

static NULL: Value = Value::Null;

/// The spec's schemas and the response schema of each operation: what
/// drifts an answer.
#[derive(Debug)]
pub struct Drift {
    schemas: Map<String, Value>,
    operations: Vec<Operation>,
    error_body: Value,
}

/// One operation of the spec's `paths`: its method, its path template's
/// segments and the JSON schema of each response status.
#[derive(Debug)]
struct Operation {
    method: String,
    segments: Vec<String>,
    responses: Vec<(u16, Value)>,
}

impl Drift {
    /// Drift as the embedded spec ([`OPENAPI_YAML`]) describes it, read once
    /// per process; `None` (and a warning, once) if it cannot be read.
    pub fn builtin() -> Option<&'static Drift> {
        static BUILTIN: OnceLock<Option<Drift>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| match Drift::from_openapi(OPENAPI_YAML) {
                Ok(drift) => Some(drift),
                Err(error) => {
                    tracing::warn!(%error, "drift mode is off: the spec cannot be read");
                    None
                }
            })
            .as_ref()
    }

    /// Reads an OpenAPI document (YAML or JSON): its `components.schemas`
    /// and the JSON response schemas of its `paths`.
    pub fn from_openapi(text: &str) -> Result<Drift, String> {
        let spec: Value = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
        let schemas = spec
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .cloned()
            .ok_or("the spec has no components.schemas")?;
        let responses = spec.pointer("/components/responses");
        let mut operations = Vec::new();
        for (path, item) in spec
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let segments: Vec<String> = segments(path).map(str::to_string).collect();
            for (method, operation) in item.as_object().into_iter().flatten() {
                let Some(answers) = operation.get("responses").and_then(Value::as_object) else {
                    continue;
                };
                let mut by_status = Vec::new();
                for (status, answer) in answers {
                    let Ok(status) = status.parse::<u16>() else {
                        continue;
                    };
                    let answer = match answer.get("$ref").and_then(Value::as_str) {
                        Some(reference) => reference
                            .strip_prefix(RESPONSE_REF)
                            .and_then(|name| responses?.get(name))
                            .unwrap_or(&NULL),
                        None => answer,
                    };
                    if let Some(schema) = answer.pointer("/content/application~1json/schema") {
                        by_status.push((status, schema.clone()));
                    }
                }
                operations.push(Operation {
                    method: method.to_ascii_uppercase(),
                    segments: segments.clone(),
                    responses: by_status,
                });
            }
        }
        Ok(Drift {
            schemas,
            operations,
            error_body: serde_json::json!({ "$ref": format!("{SCHEMA_REF}{ERROR_BODY}") }),
        })
    }

    /// The schema of the answer `status` to `method path`, and how it
    /// drifts: the operation's listed schema (an error status it does not
    /// list: `ErrorBody`). `None` for a path the spec does not describe, or a
    /// success without a JSON schema.
    pub fn response_schema(&self, method: &str, path: &str, status: u16) -> Option<(&Value, Kind)> {
        let operation = self.operations.iter().find(|operation| {
            operation.method.eq_ignore_ascii_case(method) && template_matches(operation, path)
        })?;
        let listed = operation
            .responses
            .iter()
            .find(|(listed, _)| *listed == status)
            .map(|(_, schema)| schema);
        match status {
            200..=299 => listed.map(|schema| (schema, Kind::Success)),
            400..=599 => Some((listed.unwrap_or(&self.error_body), Kind::Error)),
            _ => None,
        }
    }

    /// Drifts `value`, read with `schema`, as [`Kind`] says.
    pub fn apply(&self, schema: &Value, value: &mut Value, kind: Kind) {
        self.walk(schema, value, kind, 0);
    }

    /// `schema` with its `$ref`s followed, and the name of the last schema
    /// referenced (`None` for an inline one). An unknown reference reads as
    /// no schema at all (`null`), which drifts nothing.
    fn resolve<'a>(&'a self, mut schema: &'a Value) -> (Option<&'a str>, &'a Value) {
        let mut name = None;
        for _ in 0..MAX_REF_CHAIN {
            let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
                return (name, schema);
            };
            let found = reference
                .strip_prefix(SCHEMA_REF)
                .and_then(|n| self.schemas.get_key_value(n));
            match found {
                Some((n, s)) => {
                    name = Some(n.as_str());
                    schema = s;
                }
                None => return (None, &NULL),
            }
        }
        (None, &NULL)
    }

    fn walk(&self, schema: &Value, value: &mut Value, kind: Kind, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let (name, schema) = self.resolve(schema);
        for choice in ["oneOf", "anyOf"] {
            if let Some(branches) = schema.get(choice).and_then(Value::as_array) {
                if let Some(branch) = branches.iter().find(|b| self.admits(b, value)) {
                    self.walk(branch, value, kind, depth + 1);
                }
                return;
            }
        }
        match value {
            Value::String(text) if kind == Kind::Success => {
                if let Some(unknown) = unknown_value(name, schema, text) {
                    *text = unknown;
                }
            }
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for item in items {
                        self.walk(item_schema, item, kind, depth + 1);
                    }
                }
            }
            Value::Object(map) => self.walk_object(name, schema, map, kind, depth),
            _ => {}
        }
    }

    fn walk_object(
        &self,
        name: Option<&str>,
        schema: &Value,
        map: &mut Map<String, Value>,
        kind: Kind,
        depth: usize,
    ) {
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            if kind == Kind::Success {
                let required = schema.get("required").and_then(Value::as_array);
                let is_required = |key: &str| {
                    required.is_some_and(|list| list.iter().any(|r| r.as_str() == Some(key)))
                };
                map.retain(|key, value| is_required(key) || kept_when_set(name, key, value));
            }
            for (key, value) in map.iter_mut() {
                if let Some(property) = properties.get(key) {
                    self.walk(property, value, kind, depth + 1);
                }
            }
            if !map.contains_key(DRIFT_FIELD) {
                map.insert(
                    DRIFT_FIELD.to_string(),
                    Value::String(DRIFT_NOTE.to_string()),
                );
            }
        } else if let Some(values) = schema.get("additionalProperties").filter(|s| s.is_object()) {
            for value in map.values_mut() {
                self.walk(values, value, kind, depth + 1);
            }
        }
    }

    /// Whether `value` has a JSON type `schema` (a `oneOf` branch) allows; a
    /// schema without `type` allows any.
    fn admits(&self, schema: &Value, value: &Value) -> bool {
        let (_, schema) = self.resolve(schema);
        let allowed = |name: &str| match value {
            Value::Null => name == "null",
            Value::Bool(_) => name == "boolean",
            Value::Number(n) => name == "number" || (name == "integer" && !n.is_f64()),
            Value::String(_) => name == "string",
            Value::Array(_) => name == "array",
            Value::Object(_) => name == "object",
        };
        match schema.get("type") {
            Some(Value::String(name)) => allowed(name),
            Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).any(allowed),
            _ => true,
        }
    }
}

/// The segments of a path, without empty ones.
fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

/// Whether `path` is an instance of the operation's path template
/// (`{name}` matches one segment).
fn template_matches(operation: &Operation, path: &str) -> bool {
    let mut got = segments(path);
    for want in &operation.segments {
        match got.next() {
            Some(g) if g == want || (want.starts_with('{') && want.ends_with('}')) => {}
            _ => return false,
        }
    }
    got.next().is_none()
}

/// Rule 4: a field kept though optional, because it has a value.
fn kept_when_set(schema: Option<&str>, field: &str, value: &Value) -> bool {
    !value.is_null() && schema.is_some_and(|schema| KEPT_WHEN_SET.contains(&(schema, field)))
}

/// Rule 3: the unknown value that replaces `text`, a value of an
/// `x-extensible-enum` schema; `None` to keep it (not an open enum, a value
/// already unknown, or a final status).
fn unknown_value(name: Option<&str>, schema: &Value, text: &str) -> Option<String> {
    let known = schema.get("x-extensible-enum")?.as_array()?;
    if !known.iter().any(|k| k.as_str() == Some(text)) {
        return None;
    }
    if name == Some("GenerationStatus") && GenerationStatus::from(text).is_final() {
        return None;
    }
    let mut unknown = format!("{text}{DRIFT_SUFFIX}");
    while known.iter().any(|k| k.as_str() == Some(unknown.as_str())) {
        unknown.push_str(DRIFT_SUFFIX);
    }
    Some(unknown)
}

#[cfg(test)]
#[path = "drift_tests.rs"]
mod tests;
