//! Receiving webhooks: checking that a request claims to come from the service
//! and reading its body as a [`WebhookPayload`].

use reqwest::header::HeaderMap;

use crate::error::{Error, Result};
use crate::types::WebhookPayload;

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
/// [`Client::generation`](crate::Client::generation).
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
    match headers.get(WEBHOOK_SOURCE_HEADER).map(|v| v.to_str()) {
        None => return Err(invalid("the X-Webhook-Source header is missing".into())),
        Some(Ok(source)) if source.trim() == WEBHOOK_SOURCE => {}
        Some(Ok(source)) => {
            return Err(invalid(format!(
                "X-Webhook-Source is `{source}`, not `{WEBHOOK_SOURCE}`"
            )));
        }
        Some(Err(_)) => return Err(invalid("X-Webhook-Source is not readable text".into())),
    }
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
}
