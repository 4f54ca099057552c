//! Handlers of the public API (`/api/...`), called after authentication and rate
//! limiting; they parse, check in the contract's order, and answer.

use std::{future::Future, sync::Arc, time::Duration};

use artificial_studio_types::{
    GenerationList, Pagination, RunRequest, RunResponse, ValidationIssue, messages,
    rules::{
        input::IssueOrder,
        webhook::{WebhookPolicy, webhook_issue},
    },
};
use axum::{
    body::Body,
    http::{HeaderMap, StatusCode},
    response::Response,
};
use bytes::Bytes;
use serde_json::{Map, Value};

use super::{
    body, encode,
    errors::{ApiError, json, json_bytes},
    poll,
};
use crate::{
    app::App,
    catalog::{ModelEntry, ToolEntry},
    ids,
    store::{Caller, CreateError, GenerationJson, NewGeneration},
    validation,
};

type Answer = Result<Response, ApiError>;

/// `POST /api/run`: body parse, schema, tool, model, input, credits; then 202.
///
/// Not an `async fn`: the head is checked before the future is made, so the
/// future (inside the one boxed, so copied, for every request) holds only the
/// body across its waits. An `async fn` would keep the headers in it.
pub(crate) fn run(
    app: Arc<App>,
    caller: Caller,
    headers: &HeaderMap,
    body: Body,
) -> impl Future<Output = Answer> + Send + 'static {
    let head = body::check_json_head(headers, app.max_body_bytes);
    async move {
        head?;
        let bytes = body::read_body(body, app.max_body_bytes, app.body_timeout).await?;
        let (stored, cost, answer) = prepare_run(&app, caller.account_id, parse_run(&bytes)?)?;
        app.lifecycle
            .create(stored, cost)
            .await
            .map_err(create_refused)?;
        Ok(run_accepted(&app, &answer))
    }
}

/// A run checked and priced, with the answer to give once it is stored.
pub(crate) type PreparedRun = (NewGeneration, u64, RunResponse);

/// `POST /api/run` read and checked in the contract's order before its
/// caller is known (a shared store's gate then takes its key, rate limit
/// and credits in one round trip: see `pipeline`): the run, or the answer
/// to give if the key is valid and the rate limit admits it; with the bytes
/// of the body, when they could be read. Its owner is left empty.
pub(crate) async fn read_run(
    app: &App,
    headers: &HeaderMap,
    body: Body,
) -> (Result<PreparedRun, ApiError>, Option<Bytes>) {
    if let Err(refused) = body::check_json_head(headers, app.max_body_bytes) {
        return (Err(refused), None);
    }
    let bytes = match body::read_body(body, app.max_body_bytes, app.body_timeout).await {
        Ok(bytes) => bytes,
        Err(refused) => return (Err(refused), None),
    };
    let prepared = parse_run(&bytes).and_then(|run| prepare_run(app, Arc::from(""), run));
    (prepared, Some(bytes))
}

/// The `202` of a run once its generation is stored.
pub(crate) fn run_accepted(app: &App, answer: &RunResponse) -> Response {
    let mut response = match encode::run_response(answer) {
        Some(bytes) => json_bytes(StatusCode::ACCEPTED, bytes.into()),
        None => json(StatusCode::ACCEPTED, answer),
    };
    // Made at start; a clone is a reference count at most (none at speed 0).
    response
        .headers_mut()
        .insert(poll::POLL_AFTER_HEADER, app.run_poll_after.clone());
    response
}

/// The answer to a run the store refused.
pub(crate) fn create_refused(refused: CreateError) -> ApiError {
    match refused {
        CreateError::InsufficientCredits => {
            ApiError::new(StatusCode::PAYMENT_REQUIRED, messages::NOT_ENOUGH_CREDITS)
        }
        CreateError::UnknownAccount => {
            ApiError::new(StatusCode::UNAUTHORIZED, messages::INVALID_API_KEY)
        }
        CreateError::Unavailable => ApiError::from(crate::store::Unavailable),
    }
}

/// The checks of a run's parsed body (schema, tool, model, input), then the
/// generation to store, its cost and the answer to give once it is stored.
fn prepare_run(app: &App, owner: Arc<str>, mut body: RunBody) -> Result<PreparedRun, ApiError> {
    let (tool, model) = check_run(app, &mut body)?;
    // Once the checks have passed, the tool is a string and the input an
    // object: the other cases are unreachable.
    let (Some(slug), Value::Object(input)) = (body.tool, body.input) else {
        return Err(ApiError::invalid_json());
    };
    let created_at = ids::now();
    let id = ids::object_id_at(&created_at);
    let status = app.lifecycle.initial_status();
    let stored = NewGeneration {
        owner,
        id: id.clone(),
        status: status.clone(),
        tool: tool.tool.slug.clone(),
        type_: tool.output_type.clone(),
        payload: model.payload.fill(&input),
        created_at,
        webhook: body.webhook,
    };
    let answer = RunResponse {
        id,
        status,
        tool: Some(slug),
        created_at: Some(created_at),
    };
    Ok((stored, model.price.charge(&input), answer))
}

/// The body of a run, parsed: its fields that have the types the schema
/// wants, and what the schema check found wrong with it.
#[derive(Debug, PartialEq)]
struct RunBody {
    /// `tool`, when it is a string.
    tool: Option<String>,
    /// `input`, whatever it is (`null` when absent).
    input: Value,
    /// `webhook`, when it is a string.
    webhook: Option<String>,
    /// The problems the schema of the whole body found.
    issues: Vec<ValidationIssue>,
}

/// Parses a run's body and checks it against the spec's `RunRequest` schema.
///
/// A body the generated [`RunRequest`] deserializes from (strictly: an
/// object, no unknown or repeated field, each field of its type) is one the
/// schema passes, so it takes a fast path: the fields are read straight into
/// their places, with no map built for the body and no schema walk. Any other
/// body, valid JSON or not, takes the general path, which parses a `Value`,
/// runs the schema and reports what it finds; the two agree wherever the
/// fast one answers (tested below).
fn parse_run(bytes: &[u8]) -> Result<RunBody, ApiError> {
    match typed_run(bytes) {
        Some(body) => Ok(body),
        None => loose_run(bytes),
    }
}

/// The fast path of [`parse_run`], or `None` to take the general one.
fn typed_run(bytes: &[u8]) -> Option<RunBody> {
    // A struct deserializes from a JSON array too (its fields in order); the
    // schema wants an object.
    if bytes.trim_ascii_start().first() != Some(&b'{') {
        return None;
    }
    // Checked as UTF-8 once, whole, rather than string by string as
    // `from_slice` does; a body that is not UTF-8 takes the general path and
    // its `Invalid JSON body`.
    let text = std::str::from_utf8(bytes).ok()?;
    let request: RunRequest = serde_json::from_str(text).ok()?;
    Some(RunBody {
        tool: Some(request.tool),
        input: Value::Object(request.input),
        webhook: request.webhook,
        issues: Vec::new(),
    })
}

/// The general path of [`parse_run`]: `Invalid JSON body`, or the body with
/// the schema's issues.
fn loose_run(bytes: &[u8]) -> Result<RunBody, ApiError> {
    let value = body::parse_json(bytes)?;
    let validator = validation::run_request_validator().map_err(|_| ApiError::internal())?;
    let mut body = RunBody {
        tool: None,
        input: Value::Null,
        webhook: None,
        issues: validation::issues(validator, &value, ""),
    };
    if let Value::Object(fields) = value {
        for (key, value) in fields {
            match (key.as_str(), value) {
                ("tool", Value::String(slug)) => body.tool = Some(slug),
                ("input", input) => body.input = input,
                ("webhook", Value::String(url)) => body.webhook = Some(url),
                _ => {}
            }
        }
    }
    Ok(body)
}

/// Schema, tool, model and input checks of a run, in that order. Schema
/// problems are reported together with the input's when the tool and model
/// can be told, so one `400` lists every problem.
fn check_run<'a>(
    app: &'a App,
    body: &mut RunBody,
) -> Result<(&'a ToolEntry, &'a ModelEntry), ApiError> {
    let mut issues = std::mem::take(&mut body.issues);
    if let Some(url) = &body.webhook
        && let Some(issue) = webhook_issue(
            url,
            WebhookPolicy::allowing_private(app.allow_private_webhooks),
        )
    {
        issues.push(issue);
    }
    let tool = body.tool.as_deref().and_then(|slug| app.catalog.tool(slug));
    let input = &body.input;
    let empty = Map::new();
    if !issues.is_empty() {
        if let (Some(tool), Some(object)) = (tool, input.as_object())
            && let Ok(model) = pick_model(tool, object)
        {
            issues.extend(model.rules.issues(input, IssueOrder::Service));
        }
        return Err(ApiError::validation(issues));
    }
    let tool = tool.ok_or_else(|| ApiError::not_found(messages::TOOL_NOT_FOUND))?;
    let model = pick_model(tool, input.as_object().unwrap_or(&empty))?;
    let input_issues = model.rules.issues(input, IssueOrder::Service);
    if input_issues.is_empty() {
        Ok((tool, model))
    } else {
        Err(ApiError::validation(input_issues))
    }
}

/// The model `input.model` names, or the tool's default. A `model` that is not
/// a string is left to the input schema to report.
fn pick_model<'a>(
    tool: &'a ToolEntry,
    input: &Map<String, Value>,
) -> Result<&'a ModelEntry, ApiError> {
    let default = || {
        tool.default_model()
            .ok_or_else(|| ApiError::not_found(messages::MODEL_NOT_FOUND))
    };
    match artificial_studio_types::lookup::field(input, "model") {
        Some(Value::String(slug)) => tool
            .model(slug)
            .ok_or_else(|| ApiError::not_found(messages::MODEL_NOT_FOUND)),
        _ => default(),
    }
}

/// `GET /api/generations/{id}`: 404 when unknown, 403 when another account's;
/// the answer carries the poll hint (see [`poll`]).
pub(crate) async fn get_generation(app: &App, caller: &Caller, id: &str) -> Answer {
    let found = app.store.generation_json(id).await?;
    generation_answer(app, caller, found)
}

/// The answer of `GET /api/generations/{id}` when the store has read the
/// generation (`found`, or `None` when there is none).
pub(crate) fn generation_answer(
    app: &App,
    caller: &Caller,
    found: Option<GenerationJson>,
) -> Answer {
    let found = found.ok_or_else(|| ApiError::not_found(messages::GENERATION_NOT_FOUND))?;
    if found.owner != caller.account_id {
        return Err(ApiError::new(StatusCode::FORBIDDEN, messages::NO_ACCESS));
    }
    let body = found.body.ok_or_else(ApiError::internal)?;
    let wait = if found.status.is_final() {
        Duration::ZERO
    } else {
        // On the wall clock, as `createdAt` is: a store shared by several
        // replicas has no other clock in common.
        let elapsed = (ids::now() - found.created_at).to_std().unwrap_or_default();
        app.lifecycle.schedule().next_change(&found.status, elapsed)
    };
    let mut response = json_bytes(StatusCode::OK, body);
    response
        .headers_mut()
        .insert(poll::POLL_AFTER_HEADER, poll::value(wait));
    Ok(response)
}

/// `GET /api/generations`: the caller's generations, newest first, paginated.
pub(crate) async fn list_generations(app: &App, caller: &Caller, query: Option<&str>) -> Answer {
    let query = validation::list_query(query).map_err(ApiError::validation)?;
    let page = app
        .store
        .list_generations(&caller.account_id, query.clone())
        .await?;
    let shown = page.data.len() as u64;
    Ok(json(
        StatusCode::OK,
        &GenerationList {
            data: page.data,
            pagination: Some(Pagination {
                total: Some(page.total),
                limit: Some(query.limit),
                offset: Some(query.offset),
                has_more: Some(query.offset.saturating_add(shown) < page.total),
            }),
        },
    ))
}

/// `GET /api/tools`: every tool's summary (serialized at start).
pub(crate) fn list_tools(app: &App) -> Response {
    json_bytes(StatusCode::OK, app.catalog.list_json())
}

/// `GET /api/tools/{slug}`: one tool with its models (serialized at start).
pub(crate) fn get_tool(app: &App, slug: &str) -> Answer {
    let tool = app
        .catalog
        .tool(slug)
        .ok_or_else(|| ApiError::not_found(messages::TOOL_NOT_FOUND))?;
    Ok(json_bytes(StatusCode::OK, tool.json.clone()))
}

/// `GET /api/search?q=...`: tools matching every word of `q`.
pub(crate) fn search(app: &App, query: Option<&str>) -> Answer {
    let q = validation::search_query(query).map_err(ApiError::validation)?;
    Ok(json(StatusCode::OK, &app.catalog.search(&q)))
}

/// `GET /api/account`: the caller's account.
pub(crate) async fn account(app: &App, caller: &Caller) -> Answer {
    let account = app
        .store
        .account(&caller.account_id)
        .await?
        .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, messages::INVALID_API_KEY))?;
    Ok(json(StatusCode::OK, &account))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// What the general path makes of a body, for comparison.
    fn loose(body: &str) -> RunBody {
        loose_run(body.as_bytes()).unwrap()
    }

    #[test]
    fn the_usual_run_bodies_take_the_fast_path() {
        for body in [
            r#"{"tool":"create-image","input":{"prompt":"a fox"}}"#,
            r#" {"input":{"prompt":"p","n":2},"tool":"t"}"#,
            r#"{"tool":"t","input":{},"webhook":"https://example.com/h"}"#,
            r#"{"tool":"t","input":{},"webhook":null}"#,
            "{\"tool\":\"t\",\r\n \"input\":{\"a\":{\"b\":[1,2.5,null]}}}",
        ] {
            let fast = typed_run(body.as_bytes());
            assert!(fast.is_some(), "{body}");
            assert_eq!(fast, Some(loose(body)), "{body}");
        }
    }

    #[test]
    fn bodies_the_schema_refuses_take_the_general_path() {
        for body in [
            // A struct deserializes from an array of its fields in order.
            r#"[{"prompt":"p"},"create-image",null]"#,
            r#"{"input":{}}"#,
            r#"{"tool":1,"input":{}}"#,
            r#"{"tool":"t","input":[]}"#,
            r#"{"tool":"t","input":{},"webhook":1}"#,
            r#"{"tool":"t","input":{},"extra":true}"#,
            r#"{"tool":"a","tool":"b","input":{}}"#,
            r#"{"tool":"t","input":{}} x"#,
            "",
        ] {
            assert_eq!(typed_run(body.as_bytes()), None, "{body}");
        }
        // Not UTF-8 (inside a string, where a JSON parser reading bytes
        // would find it): the general path, and its `Invalid JSON body`.
        let not_utf8 = b"{\"tool\":\"\xff\",\"input\":{}}";
        assert_eq!(typed_run(not_utf8), None);
        assert!(loose_run(not_utf8).is_err());
        let issues = loose(r#"[{"prompt":"p"},"create-image",null]"#).issues;
        assert!(!issues.is_empty());
        // A repeated field: the last one counts, as in any JSON object.
        let repeated = loose(r#"{"tool":"a","tool":"b","input":{}}"#);
        assert_eq!(repeated.tool.as_deref(), Some("b"));
        assert!(repeated.issues.is_empty());
    }

    /// A JSON text for a field's value, of every type the schema tells apart.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("null"),
            Just("1"),
            Just("true"),
            Just(r#""create-image""#),
            Just(r#""https://example.com/h""#),
            Just("{}"),
            Just(r#"{"prompt":"p","n":[1,{"x":null}]}"#),
            Just("[]"),
            Just(r#"[{"prompt":"p"},"t",null]"#),
        ]
        .prop_map(str::to_string)
    }

    /// Bodies mixing known, unknown and repeated fields of any type, objects or not.
    fn body() -> impl Strategy<Value = String> {
        let key = prop_oneof![
            Just("tool"),
            Just("input"),
            Just("webhook"),
            Just("extra"),
            Just("to\\u006fl"),
        ];
        prop_oneof![
            4 => prop::collection::vec((key, value()), 0..5).prop_map(|fields| {
                let fields: Vec<String> =
                    fields.iter().map(|(k, v)| format!(r#""{k}":{v}"#)).collect();
                format!("{{{}}}", fields.join(","))
            }),
            1 => prop::collection::vec(value(), 0..4)
                .prop_map(|items| format!(" [{}]", items.join(","))),
            1 => value(),
        ]
    }

    proptest! {
        #[test]
        fn the_fast_path_agrees_with_the_schema(body in body()) {
            let general = loose_run(body.as_bytes());
            if let Some(fast) = typed_run(body.as_bytes()) {
                prop_assert_eq!(Some(&fast), general.as_ref().ok());
                prop_assert!(fast.issues.is_empty());
            } else if let Ok(general) = general {
                // The general path passes only what the fast path would
                // have, but for a repeated field.
                let repeated = ["tool", "input", "webhook"]
                    .iter()
                    .any(|k| body.matches(&format!(r#""{k}""#)).count() > 1)
                    || body.contains("u006f");
                prop_assert!(!general.issues.is_empty() || repeated, "{}", body);
            }
        }
    }
}
