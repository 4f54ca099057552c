//! Clients that send part of a request and stall are cut off by the server's
//! timeout, while other clients are served as usual meanwhile.

use std::time::{Duration, Instant};

use artificial_studio_types::messages;
use serde_json::json;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::harness::*;

/// The server's timeout for a request's headers and body in this test.
/// Long enough that the other clients' requests all fit in it on a busy
/// machine (the load test may run beside this one).
const BODY_TIMEOUT: Duration = Duration::from_millis(2000);

/// What a stalled client saw: the answer (possibly empty) and when the
/// connection ended.
struct Stalled {
    answer: String,
    ended: Instant,
}

/// Sends `partial`, then nothing more, and reads until the server answers in
/// full or closes the connection (failing after 10 s: a hung connection).
async fn stall(addr: &str, partial: String) -> Stalled {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(partial.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let read = async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            }
            if complete(&answer) {
                break;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .expect("the server must cut a stalled client off, not hang");
    Stalled {
        answer: String::from_utf8_lossy(&answer).into_owned(),
        ended: Instant::now(),
    }
}

/// Whether `bytes` hold a whole HTTP answer with a `content-length` body.
fn complete(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    head.lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .is_some_and(|length| body.len() >= length)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_that_stall_are_cut_off_by_the_timeout_while_others_are_served() {
    let timeout_ms = BODY_TIMEOUT.as_millis().to_string();
    let mock = Mock::start(&[
        "--speed",
        "0",
        "--rate-limit",
        "off",
        "--body-timeout-ms",
        &timeout_ms,
    ]);
    let started = Instant::now();
    let mid_body = format!(
        "POST /api/run HTTP/1.1\r\nHost: x\r\nAuthorization: {FREE}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"tool\":"
    );
    let mid_headers = "GET /api/tools HTTP/1.1\r\nHost: x\r\nAuthori".to_string();
    let bodies: Vec<_> = (0..16)
        .map(|_| {
            tokio::spawn({
                let (addr, partial) = (mock.addr().to_string(), mid_body.clone());
                async move { stall(&addr, partial).await }
            })
        })
        .collect();
    let heads: Vec<_> = (0..16)
        .map(|_| {
            tokio::spawn({
                let (addr, partial) = (mock.addr().to_string(), mid_headers.clone());
                async move { stall(&addr, partial).await }
            })
        })
        .collect();

    // Meanwhile, other clients are served, each well within the timeout the
    // stalled ones are waiting out.
    let client = mock.client(PRO);
    let mut slowest = Duration::ZERO;
    for n in 0..20 {
        let sent = Instant::now();
        if n % 4 == 0 {
            client
                .run("create-image", json!({"prompt": "x"}), None)
                .await
                .unwrap();
        } else {
            client.tools().await.unwrap();
        }
        slowest = slowest.max(sent.elapsed());
    }
    let served = Instant::now();
    assert!(
        slowest < BODY_TIMEOUT / 2,
        "slowest request took {slowest:?}"
    );

    for stalled in futures::future::join_all(bodies).await {
        let stalled = stalled.unwrap();
        assert!(
            stalled.answer.starts_with("HTTP/1.1 408"),
            "{}",
            stalled.answer
        );
        assert!(
            stalled.answer.contains("content-type: application/json"),
            "{}",
            stalled.answer
        );
        let body = format!(r#"{{"message":"{}"}}"#, messages::REQUEST_TIMEOUT);
        assert!(stalled.answer.ends_with(&body), "{}", stalled.answer);
        let after = stalled.ended - started;
        assert!(
            stalled.ended > served,
            "still waiting while the others were served"
        );
        assert!(
            after >= BODY_TIMEOUT && after < 5 * BODY_TIMEOUT,
            "cut off after {after:?}"
        );
    }
    for stalled in futures::future::join_all(heads).await {
        let stalled = stalled.unwrap();
        assert!(!stalled.answer.contains(" 200 "), "{}", stalled.answer);
        let after = stalled.ended - started;
        assert!(
            stalled.ended > served,
            "still waiting while the others were served"
        );
        assert!(
            after >= BODY_TIMEOUT && after < 5 * BODY_TIMEOUT,
            "cut off after {after:?}"
        );
    }
    assert_eq!(
        mock.credits(FREE).await,
        100,
        "the cut-off runs charged nothing"
    );
    assert_eq!(mock.get("/api/tools", FREE).await.status, 200);
}
