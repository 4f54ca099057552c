//! Pure request validation: JSON Schema errors mapped to the contract's Zod-style issues,
//! the webhook URL rule and the query parameters of the list and search endpoints.

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr},
    sync::OnceLock,
};

use crate::query::ListQuery;
use artificial_studio_types::{
    COMPONENT_SCHEMAS_JSON, GenerationStatus, InputSchema, ValidationIssue, ValidationIssueCode,
};
use jsonschema::{ValidationError, Validator, error::ValidationErrorKind};
use serde_json::{Value, json};

/// The most `limit` a page of generations may ask for.
pub const MAX_PAGE_SIZE: u32 = 100;
/// The page size when `limit` is absent.
pub const DEFAULT_PAGE_SIZE: u32 = 20;

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

/// Compiles a model's `inputSchema` into a strict validator: the provider's
/// spellings read as [`InputSchema::to_json_schema`] reads them, unknown keys
/// refused, and `model` (which picks the model) always allowed.
pub fn compile_input_schema(schema: &InputSchema) -> Result<Validator, String> {
    jsonschema::validator_for(&schema.to_json_schema()).map_err(|e| e.to_string())
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
    let issue = |message: String, code| ValidationIssue::new(path.clone(), message, code);
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
        ValidationErrorKind::Constant { expected_value } => out.push(issue(
            format!("Invalid literal value, expected {expected_value}"),
            ValidationIssueCode::Custom,
        )),
        ValidationErrorKind::MaxLength { limit } => {
            out.push(ValidationIssue::string_too_long(path.clone(), limit));
        }
        ValidationErrorKind::MinLength { limit } => {
            out.push(ValidationIssue::string_too_short(path.clone(), limit));
        }
        ValidationErrorKind::Maximum { limit } => {
            out.push(ValidationIssue::number_too_big(path.clone(), number(limit)));
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => out.push(issue(
            format!("Number must be less than {}", number(limit)),
            ValidationIssueCode::TooBig,
        )),
        ValidationErrorKind::Minimum { limit } => {
            out.push(ValidationIssue::number_too_small(
                path.clone(),
                number(limit),
            ));
        }
        ValidationErrorKind::ExclusiveMinimum { limit } => out.push(issue(
            format!("Number must be greater than {}", number(limit)),
            ValidationIssueCode::TooSmall,
        )),
        ValidationErrorKind::MaxItems { limit } => {
            out.push(ValidationIssue::array_too_long(path.clone(), limit));
        }
        ValidationErrorKind::MinItems { limit } => {
            out.push(ValidationIssue::array_too_short(path.clone(), limit));
        }
        ValidationErrorKind::Format { format } => out.push(issue(
            format!("Invalid {format}"),
            ValidationIssueCode::InvalidString,
        )),
        ValidationErrorKind::Pattern { .. } => out.push(issue(
            "Invalid".to_string(),
            ValidationIssueCode::InvalidString,
        )),
        _ => out.push(issue(error.to_string(), ValidationIssueCode::Custom)),
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

/// A JSON number as Zod prints it: `2`, not `2.0`.
fn number(value: &Value) -> String {
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", n as i64),
        _ => value.to_string(),
    }
}

/// Checks a webhook URL: HTTPS on a public host, unless `allow_private` (then
/// `http://` and private or loopback hosts pass too). Hosts are not resolved.
pub fn webhook_issue(url: &str, allow_private: bool) -> Option<ValidationIssue> {
    let invalid = |message: &str, code| Some(ValidationIssue::new("webhook", message, code));
    let Ok(parsed) = url::Url::parse(url) else {
        return invalid("Invalid url", ValidationIssueCode::InvalidString);
    };
    let scheme_ok = parsed.scheme() == "https" || (allow_private && parsed.scheme() == "http");
    if !scheme_ok {
        return invalid(
            "Webhook must be an HTTPS URL",
            ValidationIssueCode::InvalidString,
        );
    }
    let public = match parsed.host() {
        None => return invalid("Invalid url", ValidationIssueCode::InvalidString),
        Some(url::Host::Domain(domain)) => is_public_domain(domain),
        Some(url::Host::Ipv4(ip)) => is_public_ip(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_public_ip(IpAddr::V6(ip)),
    };
    if !public && !allow_private {
        return invalid(
            "Webhook host must be public (no localhost or private addresses)",
            ValidationIssueCode::Custom,
        );
    }
    None
}

fn is_public_domain(domain: &str) -> bool {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    let internal_suffixes = [".localhost", ".local", ".internal", ".lan", ".home.arpa"];
    !(domain == "localhost"
        || !domain.contains('.')
        || internal_suffixes.iter().any(|s| domain.ends_with(s)))
}

/// Whether an address is routable on the public internet.
pub fn is_public_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_ipv4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_ipv4(v4);
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (first & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (first == 0x2001 && v6.segments()[1] == 0x0db8)) // documentation
                && v6 != Ipv6Addr::LOCALHOST
        }
    }
}

fn is_public_ipv4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240)
}

/// Parses the query string of `GET /api/generations`, reporting every bad parameter.
/// Unknown parameters are ignored.
pub fn list_query(query: Option<&str>) -> Result<ListQuery, Vec<ValidationIssue>> {
    let mut parsed = ListQuery {
        limit: DEFAULT_PAGE_SIZE,
        offset: 0,
        status: None,
    };
    let mut issues = Vec::new();
    for (name, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        match name.as_ref() {
            "limit" => match parse_integer(&value) {
                Err(issue) => issues.push(issue.at("limit")),
                Ok(n) if n < 1 => issues.push(ValidationIssue::new(
                    "limit",
                    "Number must be greater than or equal to 1",
                    ValidationIssueCode::TooSmall,
                )),
                Ok(n) if n > i128::from(MAX_PAGE_SIZE) => issues.push(ValidationIssue::new(
                    "limit",
                    format!("Number must be less than or equal to {MAX_PAGE_SIZE}"),
                    ValidationIssueCode::TooBig,
                )),
                Ok(n) => parsed.limit = u32::try_from(n).unwrap_or(DEFAULT_PAGE_SIZE),
            },
            "offset" => match parse_integer(&value) {
                Err(issue) => issues.push(issue.at("offset")),
                Ok(n) if n < 0 => issues.push(ValidationIssue::new(
                    "offset",
                    "Number must be greater than or equal to 0",
                    ValidationIssueCode::TooSmall,
                )),
                Ok(n) => parsed.offset = u64::try_from(n).unwrap_or(u64::MAX),
            },
            // The filter is strict, like every request: only a status known
            // to the contract.
            "status" => match GenerationStatus::from(value.as_ref()) {
                GenerationStatus::Unknown(_) => issues.push(ValidationIssue::new(
                    "status",
                    format!(
                        "Invalid enum value. Expected {}, received '{value}'",
                        GenerationStatus::ALL
                            .iter()
                            .map(|s| format!("'{s}'"))
                            .collect::<Vec<_>>()
                            .join(" | ")
                    ),
                    ValidationIssueCode::InvalidEnumValue,
                )),
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

struct FieldlessIssue {
    message: String,
    code: ValidationIssueCode,
}

impl FieldlessIssue {
    fn at(self, field: &str) -> ValidationIssue {
        ValidationIssue::new(field, self.message, self.code)
    }
}

fn parse_integer(text: &str) -> Result<i128, FieldlessIssue> {
    if let Ok(n) = text.trim().parse::<i128>() {
        return Ok(n);
    }
    let (message, code) = match text.trim().parse::<f64>() {
        Ok(n) if n.is_finite() => (
            "Expected integer, received float".to_string(),
            ValidationIssueCode::InvalidType,
        ),
        _ => (
            "Expected number, received nan".to_string(),
            ValidationIssueCode::InvalidType,
        ),
    };
    Err(FieldlessIssue { message, code })
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
        Some(q) if q.chars().all(is_query_blank) => Err(vec![ValidationIssue::new(
            "q",
            "String must contain at least 1 character(s)",
            ValidationIssueCode::TooSmall,
        )]),
        Some(q) => Ok(q),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

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
    fn webhook_rule_wants_https_and_a_public_host() {
        assert!(webhook_issue("https://example.com/hook", false).is_none());
        assert!(webhook_issue("http://example.com/hook", false).is_some());
        assert!(webhook_issue("https://localhost/hook", false).is_some());
        assert!(webhook_issue("https://10.1.2.3/hook", false).is_some());
        assert!(webhook_issue("https://[::1]/hook", false).is_some());
        assert!(webhook_issue("https://printer.local/hook", false).is_some());
        assert!(webhook_issue("not a url", false).is_some());
        assert!(webhook_issue("http://127.0.0.1:9/hook", true).is_none());
        assert!(webhook_issue("ftp://127.0.0.1/hook", true).is_some());
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
        fn private_ipv4_webhooks_are_always_refused(b in 0u8..=255, c in 0u8..=255, d in 0u8..=255) {
            for a in [10u8, 127] {
                let url = format!("https://{a}.{b}.{c}.{d}/hook");
                prop_assert!(webhook_issue(&url, false).is_some());
            }
            let url = format!("https://192.168.{c}.{d}/hook");
            prop_assert!(webhook_issue(&url, false).is_some());
        }

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
