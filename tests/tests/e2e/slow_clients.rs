//! Clients that send part of a request and stall are cut off by the server's
//! timeout, while other clients are served as usual meanwhile.

use std::time::{Duration, Instant};

use serde_json::json;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    sync::oneshot,
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

/// Sends `partial` (then says so on `sent`), then nothing more, and reads
/// until the server answers in full or closes the connection (failing after
/// 10 s: a hung connection).
async fn stall(addr: &str, partial: String, sent: oneshot::Sender<()>) -> Stalled {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(partial.as_bytes()).await.unwrap();
    let _ = sent.send(());
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
    let mut sent = Vec::new();
    let mut stalled = |partial: &String| {
        let (addr, partial) = (mock.addr().to_string(), partial.clone());
        let (tx, rx) = oneshot::channel();
        sent.push(rx);
        tokio::spawn(async move { stall(&addr, partial, tx).await })
    };
    let bodies: Vec<_> = (0..16).map(|_| stalled(&mid_body)).collect();
    let heads: Vec<_> = (0..16).map(|_| stalled(&mid_headers)).collect();
    for each in sent {
        each.await.unwrap();
    }

    // Meanwhile (every stalled client has sent its part), other clients are
    // served. Not "fast": the proof that the stalled clients hold nothing up
    // is that answers come while every one of them is still waiting (its
    // task not done), whatever the clock says.
    let client = mock.client(PRO);
    let all_waiting = || {
        bodies
            .iter()
            .chain(&heads)
            .all(|stalled| !stalled.is_finished())
    };
    let mut served_meanwhile = 0;
    for n in 0..20 {
        if n % 4 == 0 {
            client
                .run("create-image", json!({"prompt": "x"}), None)
                .await
                .unwrap();
        } else {
            client.tools().await.unwrap();
        }
        if all_waiting() {
            served_meanwhile += 1;
        }
    }
    assert!(
        served_meanwhile > 0,
        "no request was answered while the stalled clients waited"
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
        assert!(
            stalled.answer.ends_with(r#"{"message":"Request timeout"}"#),
            "{}",
            stalled.answer
        );
        // Not before the timeout; "not hung" is `stall`'s own 10 s bound.
        let after = stalled.ended - started;
        assert!(after >= BODY_TIMEOUT, "cut off after {after:?}");
    }
    for stalled in futures::future::join_all(heads).await {
        let stalled = stalled.unwrap();
        // No request head was ever complete: nothing to answer, the
        // connection is closed without a byte.
        assert_eq!(stalled.answer, "", "a stalled head gets no answer");
        let after = stalled.ended - started;
        assert!(after >= BODY_TIMEOUT, "cut off after {after:?}");
    }
    assert_eq!(
        mock.credits(FREE).await,
        100,
        "the cut-off runs charged nothing"
    );
    assert_eq!(mock.get("/api/tools", FREE).await.status, 200);
}
