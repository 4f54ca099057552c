//! The admin API under `/__mock`: reset, accounts, scripted faults and outcomes, the
//! request journal and webhook deliveries, each of the session the request is
//! in; and the list of sessions, for requests outside any. Guarded by
//! `X-Admin-Token` when a token is set.

use std::sync::Arc;

use artificial_studio_types::{Plan, messages};
use axum::{
    body::Body,
    extract::{Path, Request, State, rejection::PathRejection},
    http::{HeaderMap, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use subtle::ConstantTimeEq;

use super::{
    body::read_limited,
    errors::{ApiError, json},
};
use crate::{
    app::{AdminAccess, App},
    config::AccountConfig,
    error::Error,
    faults::FaultRule,
    outcomes::ScriptedOutcome,
    sessions::Sessions,
    store::AccountPatch,
};

/// The header carrying the admin token.
pub const ADMIN_TOKEN_HEADER: &str = "x-admin-token";

type Answer = Result<Response, ApiError>;

/// The state of an admin request: the session it is in.
#[derive(Clone)]
pub struct Scope {
    /// The session's state.
    pub app: Arc<App>,
    /// Every session, for the list and the drop.
    pub sessions: Arc<Sessions>,
    /// The session's name; `None` for the default session.
    pub session: Option<Arc<str>>,
}

impl Scope {
    /// `403` inside a session: its admin requests reach that session only.
    fn outside_sessions(&self) -> Result<(), ApiError> {
        match self.session {
            None => Ok(()),
            Some(_) => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "Admin requests inside a session can only read and reset that session",
            )),
        }
    }
}

/// Refuses admin requests without the right token.
pub async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    match &app.admin {
        AdminAccess::Open => next.run(request).await,
        // Not routed at all when disabled; kept for completeness.
        AdminAccess::Disabled => ApiError::not_found(messages::NOT_FOUND).into_response(),
        AdminAccess::Token(token) => {
            let given = request
                .headers()
                .get(ADMIN_TOKEN_HEADER)
                .and_then(|v| v.to_str().ok());
            // In constant time: how long a wrong token takes to refuse tells
            // nothing of the right one (but its length).
            if given.is_some_and(|g| bool::from(g.as_bytes().ct_eq(token.as_bytes()))) {
                next.run(request).await
            } else {
                ApiError::new(StatusCode::UNAUTHORIZED, "Invalid admin token").into_response()
            }
        }
    }
}

/// `{data: [...]}`, the admin API's list shape.
#[derive(Serialize)]
struct List<T> {
    data: Vec<T>,
}

async fn parse<T: DeserializeOwned>(
    app: &App,
    headers: &HeaderMap,
    body: Body,
) -> Result<T, ApiError> {
    let bytes = read_limited(headers, body, app.max_body_bytes, app.body_timeout).await?;
    let bytes = if bytes.iter().all(u8::is_ascii_whitespace) {
        bytes::Bytes::from_static(b"{}")
    } else {
        bytes
    };
    serde_json::from_slice(&bytes).map_err(|e| {
        let message = format!("{}: {e}", messages::INVALID_JSON);
        ApiError::new(StatusCode::BAD_REQUEST, &message)
    })
}

fn from_error(error: Error) -> ApiError {
    let message = error.to_string();
    match error {
        Error::UnknownKey(_) => ApiError::new(StatusCode::NOT_FOUND, &message),
        Error::DuplicateKey(_) => ApiError::new(StatusCode::CONFLICT, &message),
        Error::StoreUnavailable => ApiError::from(crate::store::Unavailable),
        _ => ApiError::new(StatusCode::BAD_REQUEST, &message),
    }
}

fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// `POST /__mock/reset`: back to the starting state.
pub async fn reset(State(Scope { app, .. }): State<Scope>) -> Response {
    if let Err(unavailable) = app.store.reset().await {
        return ApiError::from(unavailable).into_response();
    }
    if let Err(unavailable) = app.instruments.reset().await {
        return ApiError::from(unavailable).into_response();
    }
    no_content()
}

/// `GET /__mock/accounts`: every account with its key.
pub async fn accounts(State(Scope { app, .. }): State<Scope>) -> Answer {
    Ok(json(
        StatusCode::OK,
        &List {
            data: app.store.accounts().await?,
        },
    ))
}

/// The body of `POST /__mock/accounts`; every field is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    key: Option<String>,
    email: Option<String>,
    #[serde(default, deserialize_with = "crate::config::served_plan_opt")]
    plan: Option<Plan>,
    credits: Option<u64>,
}

impl NewAccount {
    /// The account to create: a random `mock-…` key unless one is given.
    pub fn into_config(self) -> AccountConfig {
        let key = self
            .key
            .unwrap_or_else(|| format!("mock-{}", crate::ids::object_id()));
        let mut config = AccountConfig::new(
            key,
            self.plan.unwrap_or(Plan::Free),
            self.credits.unwrap_or(100),
        );
        if let Some(email) = self.email {
            config.email = email;
        }
        config
    }
}

/// `POST /__mock/accounts`: creates an account (a new key).
pub async fn create_account(
    State(Scope { app, .. }): State<Scope>,
    headers: HeaderMap,
    body: Body,
) -> Answer {
    let new: NewAccount = parse(&app, &headers, body).await?;
    let config = new.into_config();
    if config.key.trim().is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "key must not be empty",
        ));
    }
    let created = app.store.create_account(config).await.map_err(from_error)?;
    Ok(json(StatusCode::CREATED, &created))
}

/// The body of `PATCH /__mock/accounts`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountUpdate {
    key: String,
    #[serde(default)]
    credits: Option<u64>,
    #[serde(default, deserialize_with = "crate::config::served_plan_opt")]
    plan: Option<Plan>,
}

/// `PATCH /__mock/accounts`: sets an account's credits or plan.
pub async fn update_account(
    State(Scope { app, .. }): State<Scope>,
    headers: HeaderMap,
    body: Body,
) -> Answer {
    let update: AccountUpdate = parse(&app, &headers, body).await?;
    let updated = app
        .store
        .update_account(
            &update.key,
            AccountPatch {
                credits: update.credits,
                plan: update.plan,
            },
        )
        .await
        .map_err(from_error)?;
    Ok(json(StatusCode::OK, &updated))
}

/// `GET /__mock/journal`: the requests received, oldest first, without keys.
pub async fn journal(State(Scope { app, .. }): State<Scope>) -> Answer {
    Ok(json(
        StatusCode::OK,
        &List {
            data: app.instruments.journal_entries().await?,
        },
    ))
}

/// `DELETE /__mock/journal`: forgets the requests received.
pub async fn clear_journal(State(Scope { app, .. }): State<Scope>) -> Answer {
    app.instruments.clear_journal().await?;
    Ok(no_content())
}

/// `GET /__mock/faults`: the scripted faults still active.
pub async fn faults(State(Scope { app, .. }): State<Scope>) -> Answer {
    Ok(json(
        StatusCode::OK,
        &List {
            data: app.instruments.fault_rules().await?,
        },
    ))
}

/// `POST /__mock/faults`: scripts a fault.
pub async fn add_fault(
    State(Scope { app, .. }): State<Scope>,
    headers: HeaderMap,
    body: Body,
) -> Answer {
    let rule: FaultRule = parse(&app, &headers, body).await?;
    rule.check()
        .map_err(|message| ApiError::new(StatusCode::BAD_REQUEST, &message))?;
    Ok(json(
        StatusCode::CREATED,
        &app.instruments.add_fault(rule).await?,
    ))
}

/// `DELETE /__mock/faults`: removes every scripted fault.
pub async fn clear_faults(State(Scope { app, .. }): State<Scope>) -> Answer {
    app.instruments.clear_faults().await?;
    Ok(no_content())
}

/// `POST /__mock/outcomes`: the next generations of a tool end in `error`.
pub async fn script_outcome(
    State(Scope { app, .. }): State<Scope>,
    headers: HeaderMap,
    body: Body,
) -> Answer {
    let outcome: ScriptedOutcome = parse(&app, &headers, body).await?;
    if outcome.tool != "*" && app.catalog.tool(&outcome.tool).is_none() {
        return Err(ApiError::not_found(messages::TOOL_NOT_FOUND));
    }
    app.instruments.add_outcome(outcome.clone()).await?;
    Ok(json(StatusCode::CREATED, &outcome))
}

/// `GET /__mock/webhooks`: every webhook delivery attempt, oldest first.
pub async fn webhooks(State(Scope { app, .. }): State<Scope>) -> Answer {
    Ok(json(
        StatusCode::OK,
        &List {
            data: app.instruments.delivery_list().await?,
        },
    ))
}

/// `GET /__mock/sessions`: the named sessions alive.
pub async fn sessions(State(scope): State<Scope>) -> Answer {
    scope.outside_sessions()?;
    Ok(json(
        StatusCode::OK,
        &List {
            data: scope.sessions.list().await?,
        },
    ))
}

/// `DELETE /__mock/sessions/{name}`: drops a session with all it holds.
pub async fn drop_session(
    State(scope): State<Scope>,
    name: Result<Path<String>, PathRejection>,
) -> Answer {
    scope.outside_sessions()?;
    let not_found = || ApiError::not_found("Session not found");
    let Path(name) = name.map_err(|_| not_found())?;
    if scope.sessions.remove(&name).await? {
        Ok(no_content())
    } else {
        Err(not_found())
    }
}
