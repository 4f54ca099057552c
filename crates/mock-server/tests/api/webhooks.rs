//! Webhooks: payload, headers, retries on non-200 and on silence.

use std::time::Duration;

use artificial_studio_mock::{MockServer, RateLimits};
use serde_json::Value;

use crate::support::*;

async fn webhook_server(speed: f64) -> (MockServer, Api) {
    start(
        MockServer::builder()
            .speed(speed)
            .stage_ms(0, 0, 0)
            .rate_limits(RateLimits::Off)
            .allow_private_webhooks(true),
    )
    .await
}

#[tokio::test]
async fn success_posts_the_documented_payload_and_headers() {
    let receiver = Receiver::start(Replies::ok()).await;
    let url = &receiver.url;
    let (server, api) = webhook_server(0.0).await;
    let id = api.create_image_with_webhook(FREE, url).await;
    eventually(5, || async { receiver.count() == 1 }).await;
    let Received { headers, body, .. } = receiver.requests()[0].clone();
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["x-webhook-source"], "artificial-studio");
    assert_eq!(headers["x-media-id"], id.as_str());
    let generation = api.get(&format!("/api/generations/{id}"), FREE).await.body;
    let mut expected = generation.clone();
    let expected = expected.as_object_mut().unwrap();
    expected.remove("error");
    expected.remove("payload");
    assert_eq!(body, Value::Object(expected.clone()));
    eventually(5, || async { server.webhook_deliveries().await.len() == 1 }).await;
    let delivery = &server.webhook_deliveries().await[0];
    assert!(delivery.delivered);
    assert_eq!((delivery.attempt, delivery.status), (1, Some(200)));
}

#[tokio::test]
async fn non_200_answers_are_retried_on_the_scaled_schedule() {
    let receiver = Receiver::start(Replies::first([
        Reply::Status(500),
        Reply::Status(404),
        Reply::Status(201),
    ]))
    .await;
    let url = &receiver.url;
    // Speed 0.001: the documented 5 s, 15 s, 1 min waits become 5, 15 and 60 ms.
    let (server, api) = webhook_server(0.001).await;
    api.create_image_with_webhook(FREE, url).await;
    eventually(10, || async { receiver.count() == 4 }).await;
    eventually(5, || async { server.webhook_deliveries().await.len() == 4 }).await;
    let deliveries = server.webhook_deliveries().await;
    let summary: Vec<_> = deliveries
        .iter()
        .map(|d| (d.attempt, d.status, d.delivered, d.next_retry_ms))
        .collect();
    assert_eq!(
        summary,
        [
            (1, Some(500), false, Some(5)),
            (2, Some(404), false, Some(15)),
            (3, Some(201), false, Some(60)),
            (4, Some(200), true, None),
        ]
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(receiver.count(), 4, "no call after a 200");
}

#[tokio::test]
async fn silent_receiver_counts_as_a_failed_attempt() {
    let receiver = Receiver::start(Replies::first([Reply::Silence(Duration::from_secs(2))])).await;
    let url = &receiver.url;
    let (server, api) = webhook_server(0.001).await;
    api.create_image_with_webhook(FREE, url).await;
    eventually(10, || async {
        server.webhook_deliveries().await.len() == 2
    })
    .await;
    let deliveries = server.webhook_deliveries().await;
    assert_eq!(deliveries[0].status, None);
    assert!(
        deliveries[0]
            .error
            .as_deref()
            .unwrap()
            .contains("no answer")
    );
    assert!(deliveries[1].delivered);
    assert!(receiver.count() >= 2);
}

#[tokio::test]
async fn failed_generations_send_no_webhook() {
    let receiver = Receiver::start(Replies::ok()).await;
    let url = &receiver.url;
    let (server, api) = webhook_server(0.0).await;
    server
        .fail_next_generation("create-image", "bad")
        .await
        .unwrap();
    let failed = api.create_image_with_webhook(FREE, url).await;
    eventually(10, || async {
        api.get(&format!("/api/generations/{failed}"), FREE)
            .await
            .body["status"]
            == "error"
    })
    .await;
    // A webhook is sent, if at all, when its generation ends: the failed one
    // has ended. Another generation that succeeds afterwards, to the same
    // receiver, shows the deliveries have caught up: once its webhook is
    // in, any webhook of the failed one would be too.
    let succeeded = api.create_image_with_webhook(FREE, url).await;
    eventually(10, || async {
        server
            .webhook_deliveries()
            .await
            .iter()
            .any(|d| d.generation_id == succeeded && d.delivered)
    })
    .await;
    let deliveries = server.webhook_deliveries().await;
    assert_eq!(deliveries.len(), 1, "{deliveries:?}");
    assert_eq!(receiver.count(), 1);
    let seen = receiver.requests();
    assert_eq!(seen[0].body["id"], succeeded.as_str(), "not {failed}");
}
