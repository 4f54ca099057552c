//! Pure request validation: JSON Schema errors of the run body mapped to the
//! contract's Zod-style issues, and the query parameters of the list and
//! search endpoints. The rules themselves (a run's input, page bounds, the
//! webhook URL, every message) live in `artificial_studio_types::rules`.

use std::sync::OnceLock;

use crate::query::ListQuery;
use artificial_studio_types::{
    COMPONENT_SCHEMAS_JSON, GenerationStatus, ValidationIssue, ValidationIssueCode, rules::page,
    zod_number,
};
use jsonschema::{ValidationError, Validator, error::ValidationErrorKind};
use serde_json::{Value, json};

/// The compiled schema of the body of `POST /api/run`, built once per process
/// from the spec's `components.schemas`.
pub fn run_request_validator() -> Result<&'static Validator, String> {
    static VALIDATOR: OnceLock<Result<Validator, String>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| {
            let schemas: Value =
                serde_json::from_str(COMPONENT_SCHEMAS_JSON).map_err(|e| e.to_string())?;
            let root = json!({
                "$ref": "#/components/schemas/RunRequest",
                "components": { "schemas": schemas },
            });
            jsonschema::validator_for(&root).map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Validates `instance` and returns every problem as a contract issue, with
/// field paths prefixed by `prefix` (such as `input`).
pub fn issues(validator: &Validator, instance: &Value, prefix: &str) -> Vec<ValidationIssue> {
    // The common case, a valid request, takes the validator's fast path.
    if validator.is_valid(instance) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for error in validator.iter_errors(instance) {
        push_issues(&error, prefix, &mut out);
    }
    // As in Zod, a value of the wrong type gets that one issue: its enum,
    // length or range are not checked too.
    let mistyped: Vec<String> = out
        .iter()
        .filter(|i| i.code == ValidationIssueCode::InvalidType)
        .map(|i| i.field.clone())
        .collect();
    out.retain(|i| i.code == ValidationIssueCode::InvalidType || !mistyped.contains(&i.field));
    out
}

fn push_issues(error: &ValidationError<'_>, prefix: &str, out: &mut Vec<ValidationIssue>) {
    let path = dotted(
        prefix,
        error.instance_path().segments().map(|s| s.to_string()),
    );
    let instance: &Value = error.instance();
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_string);
            out.push(ValidationIssue::required(join(&path, &name)));
        }
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            for key in unexpected {
                out.push(ValidationIssue::unrecognized_key(join(&path, key), key));
            }
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                jsonschema::error::TypeKind::Single(t) => t.to_string(),
                jsonschema::error::TypeKind::Multiple(set) => set
                    .iter()
                    .filter(|t| t.to_string() != "null")
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" | "),
            };
            out.push(ValidationIssue::invalid_type(
                path.clone(),
                &expected,
                instance,
            ));
        }
        ValidationErrorKind::Enum { options } => {
            let allowed = options.as_array().map_or(&[][..], Vec::as_slice);
            out.push(ValidationIssue::invalid_enum(
                path.clone(),
                allowed,
                instance,
            ));
        }
        ValidationErrorKind::Constant { expected_value } => {
            out.push(ValidationIssue::invalid_literal(
                path.clone(),
                expected_value,
            ));
        }
        ValidationErrorKind::MaxLength { limit } => {
            out.push(ValidationIssue::string_too_long(path.clone(), limit));
        }
        ValidationErrorKind::MinLength { limit } => {
            out.push(ValidationIssue::string_too_short(path.clone(), limit));
        }
        ValidationErrorKind::Maximum { limit } => {
            out.push(ValidationIssue::number_too_big(
                path.clone(),
                zod_number(limit),
            ));
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => {
            out.push(ValidationIssue::number_not_below(
                path.clone(),
                zod_number(limit),
            ));
        }
        ValidationErrorKind::Minimum { limit } => {
            out.push(ValidationIssue::number_too_small(
                path.clone(),
                zod_number(limit),
            ));
        }
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            out.push(ValidationIssue::number_not_above(
                path.clone(),
                zod_number(limit),
            ));
        }
        ValidationErrorKind::MaxItems { limit } => {
            out.push(ValidationIssue::array_too_long(path.clone(), limit));
        }
        ValidationErrorKind::MinItems { limit } => {
            out.push(ValidationIssue::array_too_short(path.clone(), limit));
        }
        ValidationErrorKind::Format { format } => {
            out.push(ValidationIssue::invalid_format(path.clone(), format));
        }
        ValidationErrorKind::Pattern { .. } => {
            out.push(ValidationIssue::pattern_mismatch(path.clone()));
        }
        _ => out.push(ValidationIssue::custom(path.clone(), error.to_string())),
    }
}

/// `prefix.a.b` from path segments (`prefix` may be empty).
fn dotted(prefix: &str, segments: impl Iterator<Item = String>) -> String {
    let mut path = prefix.to_string();
    for segment in segments {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(&segment);
    }
    path
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Parses the query string of `GET /api/generations`, reporting every bad parameter.
/// Unknown parameters are ignored.
pub fn list_query(query: Option<&str>) -> Result<ListQuery, Vec<ValidationIssue>> {
    let mut parsed = ListQuery {
        limit: page::DEFAULT_LIMIT,
        offset: page::DEFAULT_OFFSET,
        status: None,
    };
    let mut issues = Vec::new();
    for (name, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        match name.as_ref() {
            "limit" => match parse_integer("limit", &value) {
                Err(issue) => issues.push(issue),
                Ok(n) => match page::limit_issue(n) {
                    Some(issue) => issues.push(issue),
                    None => parsed.limit = u32::try_from(n).unwrap_or(page::DEFAULT_LIMIT),
                },
            },
            "offset" => match parse_integer("offset", &value) {
                Err(issue) => issues.push(issue),
                Ok(n) => match page::offset_issue(n) {
                    Some(issue) => issues.push(issue),
                    None => parsed.offset = u64::try_from(n).unwrap_or(u64::MAX),
                },
            },
            // The filter is strict, like every request: only a status known
            // to the contract.
            "status" => match GenerationStatus::from(value.as_ref()) {
                GenerationStatus::Unknown(_) => {
                    let known: Vec<Value> = GenerationStatus::ALL
                        .iter()
                        .map(|s| Value::from(s.as_str()))
                        .collect();
                    issues.push(ValidationIssue::invalid_enum(
                        "status",
                        &known,
                        &Value::from(value.as_ref()),
                    ));
                }
                status => parsed.status = Some(status),
            },
            _ => {}
        }
    }
    if issues.is_empty() {
        Ok(parsed)
    } else {
        Err(issues)
    }
}

/// The query parameter `field` as an integer, or its Zod issue: `float`
/// for a finite fraction, `nan` for anything else.
fn parse_integer(field: &str, text: &str) -> Result<i128, ValidationIssue> {
    if let Ok(n) = text.trim().parse::<i128>() {
        return Ok(n);
    }
    Err(match text.trim().parse::<f64>() {
        Ok(n) if n.is_finite() => ValidationIssue::not_an_integer(field),
        _ => ValidationIssue::invalid_type_named(field, "number", "nan"),
    })
}

/// The blanks a search query must hold something besides; the spec's `q`
/// pattern (`[^\t\n\v\f\r ]`) names the same six characters.
fn is_query_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// The `q` of `GET /api/search`: required, at least one non-blank character.
pub fn search_query(query: Option<&str>) -> Result<String, Vec<ValidationIssue>> {
    let q = url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .find(|(name, _)| name == "q")
        .map(|(_, value)| value.into_owned());
    match q {
        None => Err(vec![ValidationIssue::required("q")]),
        Some(q) if q.chars().all(is_query_blank) => {
            Err(vec![ValidationIssue::string_too_short("q", 1)])
        }
        Some(q) => Ok(q),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use artificial_studio_types::InputSchema;
    use artificial_studio_types::rules::input::{InputRules, IssueOrder};
    use serde_json::Map;

    use super::*;
    use crate::catalog::Catalog;

    /// The validator the mock checked inputs with before the shared
    /// [`InputRules`], kept as their oracle: a JSON Schema validator on
    /// [`InputSchema::to_json_schema`].
    fn compile_input_schema(schema: &InputSchema) -> Result<Validator, String> {
        jsonschema::validator_for(&schema.to_json_schema()).map_err(|e| e.to_string())
    }

    fn tts_schema() -> InputSchema {
        serde_json::from_value(json!({
            "type": "object",
            "properties": {
                "prompt": { "type": "string", "maxLength": 5 },
                "voice": { "type": "string", "enum": ["alloy", "nova"] },
                "speed": { "type": "number", "minimum": 0.5, "maximum": 2 },
                "urls": { "type": "array", "items": { "type": "string" }, "maxItems": 1 }
            },
            "required": ["prompt"]
        }))
        .unwrap()
    }

    #[test]
    fn missing_tool_reads_exactly_like_the_seed() {
        let validator = run_request_validator().unwrap();
        let issues = issues(validator, &json!({ "input": {} }), "");
        assert_eq!(issues, vec![ValidationIssue::required("tool")]);
    }

    #[test]
    fn every_problem_of_a_run_request_is_reported() {
        let validator = run_request_validator().unwrap();
        let found = issues(
            validator,
            &json!({ "input": 3, "colour": 1, "size": 2 }),
            "",
        );
        let fields: Vec<_> = found.iter().map(|i| i.field.as_str()).collect();
        assert!(fields.contains(&"tool"), "{found:?}");
        assert!(fields.contains(&"input"), "{found:?}");
        assert!(fields.contains(&"colour"), "{found:?}");
        assert!(fields.contains(&"size"), "{found:?}");
    }

    #[test]
    fn input_issues_carry_dotted_paths_and_zod_codes() {
        let validator = compile_input_schema(&tts_schema()).unwrap();
        let input = json!({
            "model": "x", "prompt": "far too long", "voice": "bob",
            "speed": 9, "urls": ["a", 2], "colour": "red"
        });
        let mut found = issues(&validator, &input, "input");
        found.sort_by(|a, b| a.field.cmp(&b.field));
        insta::assert_yaml_snapshot!(found);
    }

    #[test]
    fn list_query_reports_every_bad_parameter() {
        let issues = list_query(Some("limit=101&offset=-1&status=done")).unwrap_err();
        let codes: Vec<_> = issues
            .iter()
            .map(|i| (i.field.as_str(), i.code.clone()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("limit", ValidationIssueCode::TooBig),
                ("offset", ValidationIssueCode::TooSmall),
                ("status", ValidationIssueCode::InvalidEnumValue),
            ]
        );
        assert_eq!(
            list_query(Some("limit=100&status=success")).unwrap(),
            ListQuery {
                limit: 100,
                offset: 0,
                status: Some(GenerationStatus::Success)
            }
        );
    }

    proptest! {
        #[test]
        fn any_input_gets_issues_or_passes_without_panicking(input in arbitrary_json(3)) {
            let validator = compile_input_schema(&tts_schema()).unwrap();
            let found = issues(&validator, &input, "input");
            prop_assert_eq!(found.is_empty(), validator.is_valid(&input));
            for issue in found {
                prop_assert!(issue.field == "input" || issue.field.starts_with("input."));
                prop_assert!(!issue.message.is_empty());
            }
        }

        #[test]
        fn list_query_never_accepts_a_limit_out_of_range(limit in any::<i64>()) {
            let parsed = list_query(Some(&format!("limit={limit}")));
            prop_assert_eq!(parsed.is_ok(), (1..=100).contains(&limit));
        }
    }

    /// Every model's input schema in the built-in catalog, with its oracle.
    fn catalog_schemas() -> &'static [(InputSchema, Validator)] {
        static SCHEMAS: OnceLock<Vec<(InputSchema, Validator)>> = OnceLock::new();
        SCHEMAS.get_or_init(|| {
            let catalog = Catalog::builtin().unwrap();
            catalog
                .tools()
                .flat_map(|tool| tool.model_slugs().filter_map(|slug| tool.model(slug)))
                .map(|model| {
                    let validator = compile_input_schema(&model.schema).unwrap();
                    (model.schema.clone(), validator)
                })
                .collect()
        })
    }

    /// A value of any JSON type, often one a schema field is near to
    /// accepting (short and long strings, integral and fractional numbers,
    /// small arrays of strings or numbers).
    fn field_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-5i64..70).prop_map(|n| json!(n)),
            (-5.0f64..70.0).prop_map(|n| json!(n)),
            "[a-z0-9_:]{0,12}".prop_map(Value::String),
            (590usize..3010).prop_map(|n| json!("x".repeat(n))),
            Just(json!("square_hd")),
            Just(json!("5")),
            Just(json!(5.0)),
        ];
        leaf.prop_recursive(1, 8, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map("[a-z]{1,3}", inner, 0..2)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// The shared input rules answer exactly what the JSON Schema
        /// validator the mock used before them answered: the same issues,
        /// message for message, in the same order, for every model of the
        /// catalog; and an input is valid for one when it is for the other.
        #[test]
        fn the_shared_input_rules_answer_as_the_json_schema_oracle(
            pick in any::<prop::sample::Index>(),
            known in prop::collection::vec((any::<prop::sample::Index>(), field_value()), 0..6),
            unknown in prop::collection::vec(("[a-z_]{1,6}", field_value()), 0..2),
            model in prop_oneof![Just(None), Just(Some(json!("m"))), field_value().prop_map(Some)],
            not_an_object in prop::option::weighted(0.05, field_value()),
        ) {
            let (schema, oracle) = pick.get(catalog_schemas());
            let names: Vec<&String> = schema.properties.keys().collect();
            let mut input = Map::new();
            if let Some(model) = model {
                input.insert("model".to_string(), model);
            }
            for (index, value) in known {
                if !names.is_empty() {
                    input.insert(index.get(&names).to_string(), value);
                }
            }
            for (key, value) in unknown {
                input.insert(key, value);
            }
            let input = not_an_object.unwrap_or(Value::Object(input));
            let rules = InputRules::new(schema);
            let expected = issues(oracle, &input, "input");
            prop_assert_eq!(rules.issues(&input, IssueOrder::Service), expected.clone());
            prop_assert_eq!(rules.is_valid(&input), expected.is_empty());
            prop_assert_eq!(rules.is_valid(&input), oracle.is_valid(&input));
        }
    }

    fn arbitrary_json(depth: u32) -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i32>().prop_map(|n| json!(n)),
            (-10.0f64..10.0).prop_map(|n| json!(n)),
            "[a-z ]{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(depth, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("prompt".to_string()),
                        Just("voice".to_string()),
                        Just("speed".to_string()),
                        Just("urls".to_string()),
                        "[a-z]{1,5}"
                    ],
                    inner,
                    0..5
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }
}
