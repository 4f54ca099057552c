//! Handlers of the public API (`/api/...`), called after authentication and rate
//! limiting; they parse, check in the contract's order, and answer.

use std::{future::Future, sync::Arc};

use artificial_studio_types::{
    Generation, GenerationList, Pagination, RunRequest, RunResponse, messages,
};
use axum::{
    Extension,
    extract::{RawQuery, Request, State},
    http::StatusCode,
    response::Response,
};
use serde_json::{Map, Value};

use super::{
    body, encode,
    errors::{ApiError, json, json_bytes},
    param::Param,
};
use crate::{
    app::App,
    catalog::{ModelEntry, ToolEntry},
    ids,
    store::{Caller, CreateError, OwnedGeneration},
    validation,
};

type Answer = Result<Response, ApiError>;

/// `POST /api/run`: body parse, schema, tool, model, input, credits; then 202.
///
/// Not an `async fn`: the request is taken apart before the future is made,
/// so the future (which axum boxes, so copies, on every run) holds neither the
/// request nor its head across its waits. An `async fn` would keep the whole
/// request in it, twice.
pub fn run(State(app): State<Arc<App>>, request: Request) -> impl Future<Output = Answer> + Send {
    // The request itself rather than `HeaderMap` and `Extension` extractors,
    // which would copy every header and the caller.
    let (mut parts, body) = request.into_parts();
    let caller = parts.extensions.remove::<Caller>();
    let head = body::check_json_head(&parts.headers, app.max_body_bytes);
    async move {
        let caller = caller.ok_or_else(ApiError::internal)?;
        head?;
        let bytes = body::read_body(body, app.max_body_bytes, app.body_timeout).await?;
        let (stored, cost, answer) = prepare_run(&app, caller, body::parse_json(&bytes)?)?;
        match app.lifecycle.create(stored, cost).await {
            Ok(()) => {}
            Err(CreateError::InsufficientCredits) => {
                return Err(ApiError::new(
                    StatusCode::PAYMENT_REQUIRED,
                    messages::NOT_ENOUGH_CREDITS,
                ));
            }
            Err(CreateError::UnknownAccount) => {
                return Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    messages::INVALID_API_KEY,
                ));
            }
        }
        Ok(match encode::run_response(&answer) {
            Some(bytes) => json_bytes(StatusCode::ACCEPTED, bytes.into()),
            None => json(StatusCode::ACCEPTED, &answer),
        })
    }
}

/// The checks of a run's parsed body (schema, tool, model, input), then the
/// generation to store, its cost and the answer to give once it is stored.
fn prepare_run(
    app: &App,
    caller: Caller,
    value: Value,
) -> Result<(OwnedGeneration, u64, RunResponse), ApiError> {
    let (tool, model) = check_run(app, &value)?;
    let request = run_request(value).ok_or_else(ApiError::invalid_json)?;
    let schema = &tool.tool.models[model.index].input_schema;
    let created_at = ids::now();
    let id = ids::object_id_at(&created_at);
    let status = app.lifecycle.initial_status();
    let stored = OwnedGeneration {
        owner: caller.account_id,
        webhook: request.webhook,
        generation: Generation {
            id: id.clone(),
            status,
            tool: tool.tool.slug.clone(),
            type_: tool.tool.output_type,
            output: None,
            thumbnail: None,
            error: None,
            payload: validation::payload_with_defaults(request.input, schema, &model.slug),
            created_at,
        },
    };
    let answer = RunResponse {
        id,
        status,
        tool: request.tool,
        created_at,
    };
    Ok((stored, model.cost, answer))
}

/// The body of a run, taken apart after the schema check has passed it (an
/// object with a string `tool`, an object `input`, an optional string or null
/// `webhook` and nothing else): the fields move out of the parsed value, where
/// deserializing would build `input`'s map a second time. `None` for any
/// other shape, which the schema check makes unreachable.
fn run_request(value: Value) -> Option<RunRequest> {
    let Value::Object(body) = value else {
        return None;
    };
    // One pass over the (at most three) fields: cheaper than a hashed lookup
    // of each, with the SipHash `serde_json`'s map uses.
    let (mut tool, mut input, mut webhook) = (None, None, None);
    for (key, value) in body {
        match (key.as_str(), value) {
            ("tool", Value::String(slug)) => tool = Some(slug),
            ("input", Value::Object(fields)) => input = Some(fields),
            ("webhook", Value::String(url)) => webhook = Some(url),
            ("webhook", Value::Null) => {}
            _ => return None,
        }
    }
    Some(RunRequest {
        input: input?,
        tool: tool?,
        webhook,
    })
}

/// The field `name` of a small JSON object, found by walking its fields
/// (cheaper than `Map::get`'s SipHash for the few fields of a request).
fn field<'v>(object: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    object
        .iter()
        .find_map(|(key, value)| (key == name).then_some(value))
}

/// Schema, tool, model and input checks of a run, in that order. Schema
/// problems are reported together with the input's when the tool and model
/// can be told, so one `400` lists every problem.
fn check_run<'a>(app: &'a App, value: &Value) -> Result<(&'a ToolEntry, &'a ModelEntry), ApiError> {
    let validator = validation::run_request_validator().map_err(|_| ApiError::internal())?;
    let mut issues = validation::issues(validator, value, "");
    let empty = Map::new();
    let body = value.as_object().unwrap_or(&empty);
    if let Some(Value::String(url)) = field(body, "webhook")
        && let Some(issue) = validation::webhook_issue(url, app.allow_private_webhooks)
    {
        issues.push(issue);
    }
    let tool = field(body, "tool")
        .and_then(Value::as_str)
        .and_then(|slug| app.catalog.tool(slug));
    let input = field(body, "input").unwrap_or(&Value::Null);
    if !issues.is_empty() {
        if let (Some(tool), Some(object)) = (tool, input.as_object())
            && let Ok(model) = pick_model(tool, object)
        {
            issues.extend(validation::issues(&model.validator, input, "input"));
        }
        return Err(ApiError::validation(issues));
    }
    let tool = tool.ok_or_else(|| ApiError::not_found(messages::TOOL_NOT_FOUND))?;
    let model = pick_model(tool, input.as_object().unwrap_or(&empty))?;
    let input_issues = validation::issues(&model.validator, input, "input");
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
    match field(input, "model") {
        Some(Value::String(slug)) => tool
            .model(slug)
            .ok_or_else(|| ApiError::not_found(messages::MODEL_NOT_FOUND)),
        _ => default(),
    }
}

/// `GET /api/generations/{id}`: 404 when unknown, 403 when another account's.
pub async fn get_generation(
    State(app): State<Arc<App>>,
    Extension(caller): Extension<Caller>,
    Param(id): Param<String>,
) -> Answer {
    let found = app
        .store
        .generation_json(&id)
        .await
        .ok_or_else(|| ApiError::not_found(messages::GENERATION_NOT_FOUND))?;
    if found.owner != caller.account_id {
        return Err(ApiError::new(StatusCode::FORBIDDEN, messages::NO_ACCESS));
    }
    let body = found.body.ok_or_else(ApiError::internal)?;
    Ok(json_bytes(StatusCode::OK, body))
}

/// `GET /api/generations`: the caller's generations, newest first, paginated.
pub async fn list_generations(
    State(app): State<Arc<App>>,
    Extension(caller): Extension<Caller>,
    RawQuery(query): RawQuery,
) -> Answer {
    let query = validation::list_query(query.as_deref()).map_err(ApiError::validation)?;
    let page = app.store.list_generations(&caller.account_id, query).await;
    let shown = page.data.len() as u64;
    Ok(json(
        StatusCode::OK,
        &GenerationList {
            data: page.data,
            pagination: Pagination {
                total: page.total,
                limit: query.limit,
                offset: query.offset,
                has_more: query.offset.saturating_add(shown) < page.total,
            },
        },
    ))
}

/// `GET /api/tools`: every tool's summary (serialized at start).
pub async fn list_tools(State(app): State<Arc<App>>) -> Response {
    json_bytes(StatusCode::OK, app.catalog.list_json())
}

/// `GET /api/tools/{slug}`: one tool with its models (serialized at start).
pub async fn get_tool(State(app): State<Arc<App>>, Param(slug): Param<String>) -> Answer {
    let tool = app
        .catalog
        .tool(&slug)
        .ok_or_else(|| ApiError::not_found(messages::TOOL_NOT_FOUND))?;
    Ok(json_bytes(StatusCode::OK, tool.json.clone()))
}

/// `GET /api/search?q=...`: tools matching every word of `q`.
pub async fn search(State(app): State<Arc<App>>, RawQuery(query): RawQuery) -> Answer {
    let q = validation::search_query(query.as_deref()).map_err(ApiError::validation)?;
    Ok(json(StatusCode::OK, &app.catalog.search(&q)))
}

/// `GET /api/account`: the caller's account.
pub async fn account(State(app): State<Arc<App>>, Extension(caller): Extension<Caller>) -> Answer {
    let account = app
        .store
        .account(&caller.account_id)
        .await
        .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, messages::INVALID_API_KEY))?;
    Ok(json(StatusCode::OK, &account))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_run_body_is_taken_apart_as_deserializing_would() {
        for body in [
            json!({"tool": "t", "input": {"prompt": "p", "n": 2}}),
            json!({"tool": "t", "input": {}, "webhook": "https://example.com/h"}),
            json!({"tool": "t", "input": {}, "webhook": null}),
        ] {
            let expected: RunRequest = serde_json::from_value(body.clone()).unwrap();
            assert_eq!(run_request(body), Some(expected));
        }
        for body in [
            json!([]),
            json!({"input": {}}),
            json!({"tool": 1, "input": {}}),
            json!({"tool": "t", "input": []}),
            json!({"tool": "t", "input": {}, "webhook": 1}),
            json!({"tool": "t", "input": {}, "extra": true}),
        ] {
            assert_eq!(run_request(body.clone()), None, "{body}");
        }
    }
}
