//! The few HTTP requests the harness makes itself (set-up, capturing answers,
//! checking statuses), with a small blocking client.

use std::time::Duration;

use anyhow::{Context, Result};

/// A status and a body.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body, as text.
    pub body: String,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
}

/// A client keeping its connections alive between requests.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

/// Sends one request; non-2xx statuses are answers, not errors.
pub fn send(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Result<Answer> {
    send_with(&agent(), method, url, headers, body)
}

/// Sends one request with `agent` (reusing its connections).
pub fn send_with(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Result<Answer> {
    let mut response = match (method, body) {
        ("POST", Some(body)) => {
            let mut request = agent.post(url);
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            request.send(body)
        }
        _ => {
            let mut request = agent.get(url);
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            request.call()
        }
    }
    .with_context(|| format!("{method} {url}"))?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = response
        .body_mut()
        .read_to_string()
        .with_context(|| format!("reading the answer to {method} {url}"))?;
    Ok(Answer {
        status,
        body,
        content_type,
    })
}

/// Whether something answers HTTP at `base_url` (any status).
pub fn answers(base_url: &str) -> bool {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_millis(500)))
        .build()
        .into();
    agent
        .get(format!("{base_url}/__bench_ready"))
        .call()
        .is_ok()
}
