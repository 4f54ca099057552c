//! Receiving webhooks: checking that a request claims to come from the service
//! and reading its body as a [`WebhookPayload`] ([`parse_webhook`]), or
//! confirming it with the API as the provider's own n8n node does
//! ([`Client::confirm_webhook`]).

use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::Client;
use crate::error::{Error, Result};
use crate::types::{Generation, GenerationStatus, WebhookPayload};

/// The header the service sets on every webhook delivery.
pub const WEBHOOK_SOURCE_HEADER: &str = "x-webhook-source";

/// Its value.
pub const WEBHOOK_SOURCE: &str = "artificial-studio";

/// The header holding the generation id.
pub const WEBHOOK_MEDIA_ID_HEADER: &str = "x-media-id";

/// Reads a webhook delivery: checks `X-Webhook-Source: artificial-studio`,
/// parses the body, and checks that `X-Media-Id`, when present, names the
/// same generation. Fails with [`Error::Webhook`].
///
/// The header is not a signature (the service signs nothing): anyone who
/// knows your URL can send one. Before acting on a delivery, confirm it with
/// [`Client::confirm_webhook`](crate::Client::confirm_webhook), which reads
/// the generation again from the API.
///
/// The headers are `http` 1.x headers, as axum, hyper and reqwest use.
///
/// ```
/// use artificial_studio::parse_webhook;
/// use reqwest::header::{HeaderMap, HeaderValue};
///
/// let mut headers = HeaderMap::new();
/// headers.insert("x-webhook-source", HeaderValue::from_static("artificial-studio"));
/// let body = br#"{"id": "65f1c0ffee0123456789abcd", "status": "success", "tool": "create-image",
///     "type": "image", "output": "https://cdn.example/a.png", "thumbnail": null,
///     "createdAt": "2026-11-25T14:00:00.000Z"}"#;
/// let payload = parse_webhook(&headers, body)?;
/// assert_eq!(payload.id, "65f1c0ffee0123456789abcd");
/// # Ok::<(), artificial_studio::Error>(())
/// ```
pub fn parse_webhook(headers: &HeaderMap, body: &[u8]) -> Result<WebhookPayload> {
    let invalid = |message: String| Error::Webhook { message };
    check_source(headers)?;
    let payload: WebhookPayload = serde_json::from_slice(body)
        .map_err(|e| invalid(format!("the body is not a webhook payload: {e}")))?;
    if let Some(media_id) = headers.get(WEBHOOK_MEDIA_ID_HEADER)
        && media_id.to_str().ok().map(str::trim) != Some(payload.id.as_str())
    {
        return Err(invalid(format!(
            "X-Media-Id does not match the payload's id {}",
            payload.id
        )));
    }
    Ok(payload)
}

/// Checks `X-Webhook-Source: artificial-studio`.
fn check_source(headers: &HeaderMap) -> Result<()> {
    match headers.get(WEBHOOK_SOURCE_HEADER).map(|v| v.to_str()) {
        None => Err(webhook_error("the X-Webhook-Source header is missing")),
        Some(Ok(source)) if source.trim() == WEBHOOK_SOURCE => Ok(()),
        Some(Ok(source)) => Err(webhook_error(format!(
            "X-Webhook-Source is `{source}`, not `{WEBHOOK_SOURCE}`"
        ))),
        Some(Err(_)) => Err(webhook_error("X-Webhook-Source is not readable text")),
    }
}

fn webhook_error(message: impl Into<String>) -> Error {
    Error::Webhook {
        message: message.into(),
    }
}

/// The generation id a delivery names: `X-Media-Id`, else the body's `id`.
/// When both are there they must agree. The body is read only for its `id`:
/// any other field may be missing.
fn delivered_id(headers: &HeaderMap, body: &[u8]) -> Result<String> {
    let header = match headers.get(WEBHOOK_MEDIA_ID_HEADER).map(|v| v.to_str()) {
        None => None,
        Some(Ok(id)) if !id.trim().is_empty() => Some(id.trim().to_string()),
        Some(Ok(_)) => return Err(webhook_error("X-Media-Id is empty")),
        Some(Err(_)) => return Err(webhook_error("X-Media-Id is not readable text")),
    };
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let body_id = match parsed.as_ref().and_then(|v| v.get("id")) {
        None => None,
        Some(Value::String(id)) if !id.trim().is_empty() => Some(id.trim().to_string()),
        Some(_) => return Err(webhook_error("the body's `id` is not a generation id")),
    };
    match (header, body_id) {
        (Some(header), Some(body_id)) if header != body_id => Err(webhook_error(format!(
            "X-Media-Id {header} does not match the body's id {body_id}"
        ))),
        (Some(id), _) | (None, Some(id)) => Ok(id),
        (None, None) if parsed.is_none() => Err(webhook_error(
            "no X-Media-Id header, and the body is not JSON with an `id`",
        )),
        (None, None) => Err(webhook_error(
            "no X-Media-Id header, and the body has no `id`",
        )),
    }
}

impl Client {
    /// Confirms a received webhook delivery the way the provider's own n8n
    /// node does: instead of trusting the body, it asks the API.
    ///
    /// 1. `X-Webhook-Source` must be `artificial-studio` (else
    ///    [`Error::Webhook`]);
    /// 2. the generation id is `X-Media-Id`, else the body's `id`; when both
    ///    are present they must agree (else [`Error::Webhook`]). Nothing else
    ///    of the body is needed or used: a partial body is fine;
    /// 3. the generation is read again with `GET /api/generations/{id}` (API
    ///    errors, such as `404` for an id that is not the caller's, come back
    ///    as [`Error::Api`]);
    /// 4. it must be `success`: one that ended in `error` is
    ///    [`Error::GenerationFailed`]; any other status, one this client does
    ///    not know among them, is [`Error::WebhookUnconfirmed`].
    ///
    /// The generation returned is the API's, not the body's. The headers are
    /// `http` 1.x headers, as axum, hyper and reqwest use; the body is the
    /// request's bytes as received.
    ///
    /// ```no_run
    /// use artificial_studio::{Client, Error};
    /// use reqwest::header::{HeaderMap, HeaderValue};
    ///
    /// # async fn demo() -> artificial_studio::Result<()> {
    /// let client = Client::from_env()?;
    /// // What your HTTP server received:
    /// let mut headers = HeaderMap::new();
    /// headers.insert("x-webhook-source", HeaderValue::from_static("artificial-studio"));
    /// headers.insert("x-media-id", HeaderValue::from_static("65f1c0ffee0123456789abcd"));
    /// let body = br#"{"id": "65f1c0ffee0123456789abcd", "status": "success"}"#;
    ///
    /// match client.confirm_webhook(&headers, body).await {
    ///     Ok(generation) => println!("done: {}", generation.output.unwrap_or_default()),
    ///     Err(Error::Webhook { message }) => eprintln!("not from the service: {message}"),
    ///     Err(other) => eprintln!("not confirmed: {other}"),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn confirm_webhook(&self, headers: &HeaderMap, body: &[u8]) -> Result<Generation> {
        check_source(headers)?;
        let id = delivered_id(headers, body)?;
        let generation = self.generation(&id).await?;
        match &generation.status {
            GenerationStatus::Success => Ok(generation),
            GenerationStatus::Error => Err(Error::GenerationFailed {
                message: generation
                    .error
                    .clone()
                    .unwrap_or_else(|| "no error message given".to_string()),
                id: generation.id,
            }),
            other => Err(Error::WebhookUnconfirmed {
                status: other.clone(),
                id,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    const BODY: &[u8] = br#"{"id":"abc","status":"success","tool":"create-image","type":"image","output":"https://x/a.png","thumbnail":null,"createdAt":"2026-11-25T14:00:00Z"}"#;

    fn headers(source: Option<&'static str>, media: Option<&'static str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(s) = source {
            h.insert(WEBHOOK_SOURCE_HEADER, HeaderValue::from_static(s));
        }
        if let Some(m) = media {
            h.insert(WEBHOOK_MEDIA_ID_HEADER, HeaderValue::from_static(m));
        }
        h
    }

    #[test]
    fn a_delivery_from_the_service_parses() {
        let payload =
            parse_webhook(&headers(Some("artificial-studio"), Some("abc")), BODY).unwrap();
        assert_eq!(payload.output.as_deref(), Some("https://x/a.png"));
    }

    #[test]
    fn a_delivery_without_or_with_another_source_is_refused() {
        for h in [headers(None, None), headers(Some("someone-else"), None)] {
            assert!(matches!(
                parse_webhook(&h, BODY),
                Err(Error::Webhook { .. })
            ));
        }
    }

    #[test]
    fn a_body_that_is_not_a_payload_or_names_another_id_is_refused() {
        let h = headers(Some("artificial-studio"), None);
        assert!(matches!(
            parse_webhook(&h, b"{}"),
            Err(Error::Webhook { .. })
        ));
        let other = headers(Some("artificial-studio"), Some("xyz"));
        assert!(matches!(
            parse_webhook(&other, BODY),
            Err(Error::Webhook { .. })
        ));
    }

    #[test]
    fn the_id_is_the_header_else_the_body_and_both_must_agree() {
        let h = headers(Some("artificial-studio"), Some("abc"));
        assert_eq!(delivered_id(&h, b"").unwrap(), "abc");
        assert_eq!(delivered_id(&h, br#"{"id":"abc"}"#).unwrap(), "abc");
        assert!(matches!(
            delivered_id(&h, br#"{"id":"xyz"}"#),
            Err(Error::Webhook { .. })
        ));
        let no_media = headers(Some("artificial-studio"), None);
        assert_eq!(delivered_id(&no_media, br#"{"id":"xyz"}"#).unwrap(), "xyz");
        for body in [&b"{}"[..], b"not json", br#"{"id": 7}"#] {
            assert!(matches!(
                delivered_id(&no_media, body),
                Err(Error::Webhook { .. })
            ));
        }
    }
}
