//! A local webhook receiver (axum on a free loopback port) that records
//! every request and answers as its test scripts: a status per attempt,
//! silence for a while, or no answer at all.

use std::{sync::Arc, time::Duration};

use axum::{Router, http::HeaderMap, http::StatusCode, routing::post};
use parking_lot::Mutex;
use serde_json::Value;

/// How the receiver answers one request.
#[derive(Clone, Copy, Debug)]
pub enum Reply {
    /// This status at once.
    Status(u16),
    /// Nothing for this long, then `200`.
    Silence(Duration),
    /// Nothing, ever.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    Hang,
}

/// A receiver's script: the n-th request gets the n-th reply, `200` after
/// the list; requests are counted over all of them, or for each generation
/// apart ([`Replies::per_generation`]).
#[derive(Clone, Debug, Default)]
pub struct Replies {
    list: Vec<Reply>,
    per_generation: bool,
}

impl Replies {
    /// `200` to every request.
    pub fn ok() -> Replies {
        Replies::default()
    }

    /// `list` to the first requests, `200` after.
    pub fn first(list: impl Into<Vec<Reply>>) -> Replies {
        Replies {
            list: list.into(),
            per_generation: false,
        }
    }

    /// Counts the requests of each generation (the payload's `id`) apart.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub fn per_generation(self) -> Replies {
        Replies {
            per_generation: true,
            ..self
        }
    }

    /// The reply to a request that `earlier` requests came before (all of
    /// them, or of the same generation).
    fn to(&self, earlier: usize) -> Reply {
        self.list
            .get(earlier)
            .copied()
            .unwrap_or(Reply::Status(200))
    }
}

/// One request the receiver got.
#[derive(Clone, Debug)]
pub struct Received {
    pub headers: HeaderMap,
    /// The body as JSON (`Null` if it was not JSON: answered `400`).
    pub body: Value,
    /// The payload's `id` (empty if none).
    pub id: String,
    /// The status answered (`None` while it has not been, or never is).
    pub status: Option<u16>,
}

/// A running receiver; it lives as long as the test's runtime.
#[derive(Clone)]
pub struct Receiver {
    /// Its URL, `http://127.0.0.1:PORT/hook`.
    pub url: String,
    log: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    /// Starts one that answers as `replies` says. A body that is not JSON
    /// is answered `400` at once (a payload the contract does not allow).
    pub async fn start(replies: Replies) -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let receiver = Receiver {
            url: format!("http://{}/hook", listener.local_addr().unwrap()),
            log: Arc::default(),
        };
        let log = receiver.log.clone();
        let app = Router::new().route(
            "/hook",
            post(move |headers: HeaderMap, body: String| {
                let (log, replies) = (log.clone(), replies.clone());
                async move { answer(&log, &replies, headers, &body).await }
            }),
        );
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        receiver
    }

    /// Every request so far, in the order they came.
    pub fn requests(&self) -> Vec<Received> {
        self.log.lock().clone()
    }

    /// How many requests came.
    pub fn count(&self) -> usize {
        self.log.lock().len()
    }

    /// The `id` of every request, in the order they came.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub fn ids(&self) -> Vec<String> {
        self.log.lock().iter().map(|r| r.id.clone()).collect()
    }

    /// The `id` of every request answered `200` (a delivery), in the order
    /// they came.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub fn delivered(&self) -> Vec<String> {
        self.log
            .lock()
            .iter()
            .filter(|r| r.status == Some(200))
            .map(|r| r.id.clone())
            .collect()
    }
}

/// Records the request, answers it as scripted, and records the answer.
async fn answer(
    log: &Mutex<Vec<Received>>,
    replies: &Replies,
    headers: HeaderMap,
    body: &str,
) -> StatusCode {
    let json: Option<Value> = serde_json::from_str(body).ok();
    let id = json
        .as_ref()
        .and_then(|b| b["id"].as_str())
        .unwrap_or_default()
        .to_string();
    let (index, reply) = {
        let mut log = log.lock();
        let earlier = if replies.per_generation {
            log.iter().filter(|r| r.id == id).count()
        } else {
            log.len()
        };
        log.push(Received {
            headers,
            body: json.clone().unwrap_or_default(),
            id,
            status: None,
        });
        (log.len() - 1, replies.to(earlier))
    };
    let status = match (json, reply) {
        (None, _) => StatusCode::BAD_REQUEST,
        (Some(_), Reply::Status(status)) => StatusCode::from_u16(status).unwrap(),
        (Some(_), Reply::Silence(time)) => {
            tokio::time::sleep(time).await;
            StatusCode::OK
        }
        (Some(_), Reply::Hang) => std::future::pending().await,
    };
    log.lock()[index].status = Some(status.as_u16());
    status
}
