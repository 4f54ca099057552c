//! Property tests against the binary: arbitrary JSON and bytes as bodies,
//! arbitrary paths, queries, methods and headers. Every answer is a success or
//! a contract error (a status of the table, a JSON body with a `message`);
//! never a 5xx (nothing is injected here), never a non-JSON error, never a
//! hang (the client gives up after 10 s) and never a panic (the process's
//! stderr is checked when the mock is dropped).

use std::{
    collections::BTreeMap,
    hash::{BuildHasher, Hasher, RandomState},
};

use artificial_studio::ErrorKind;
use artificial_studio_types::{ErrorBody, messages};
use proptest::{
    collection::{btree_map, vec},
    prelude::*,
    sample::select,
    test_runner::{Config, FileFailurePersistence, RngSeed, TestCaseError, TestRunner},
};
use reqwest::{
    Method,
    header::{HeaderName, HeaderValue},
};
use serde_json::{Value, json};

use crate::harness::*;

/// Cases per property; `PROPTEST_CASES` overrides it for a longer search.
const CASES: u32 = 256;

const SLUGS: &[&str] = &[
    "create-image",
    "edit-image",
    "text-to-speech",
    "create-video",
    "audio-to-text",
    "text-to-3d",
    "no-such-tool",
    "",
];

const KEYS: &[&str] = &[
    "tool",
    "input",
    "webhook",
    "prompt",
    "model",
    "image_urls",
    "image_size",
    "voice",
    "video_url",
    "audio_url",
    "num_images",
    "seed",
];

/// Where a webhook in these bodies may point: never a public HTTPS host, so
/// that nothing is ever delivered off this machine.
const WEBHOOKS: &[&str] = &[
    "http://127.0.0.1:9/hook",
    "https://localhost/hook",
    "https://10.0.0.1/hook",
    "ftp://example.invalid/x",
    "not a url",
];

/// Where a failing case's seed is kept, as the `proptest!` tests keep theirs:
/// commit the file, and every later run tries that case first.
const REGRESSIONS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/proptest-regressions/e2e/bad_input.txt"
);

/// A runner that keeps failing cases in [`REGRESSIONS`] and prints its seed.
///
/// `PROPTEST_CASES` overrides the number of cases; `PROPTEST_RNG_SEED`
/// replays a run whose seed a failure printed.
fn runner() -> TestRunner {
    let defaults = Config::default();
    let seed = match defaults.rng_seed {
        RngSeed::Fixed(seed) => seed,
        RngSeed::Random => RandomState::new().build_hasher().finish(),
    };
    eprintln!("proptest seed {seed}: PROPTEST_RNG_SEED={seed} replays this run");
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CASES);
    TestRunner::new(Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(REGRESSIONS))),
        rng_seed: RngSeed::Fixed(seed),
        ..defaults
    })
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The statuses an error may have: the spec's table.
fn is_contract_status(status: u16) -> bool {
    ErrorKind::ALL.iter().any(|k| k.status() == status)
}

/// Checks one answer: a success, or a contract error that is not a 5xx.
async fn check(request: reqwest::RequestBuilder, has_body: bool) -> Result<u16, TestCaseError> {
    let answer = Answer::try_of(request)
        .await
        .map_err(|e| TestCaseError::fail(format!("no answer: {e}")))?;
    let status = answer.status;
    prop_assert!(answer.header("x-request-id").is_some(), "no X-Request-Id");
    if status < 400 {
        return Ok(status);
    }
    prop_assert!(
        status < 500,
        "{status} with nothing injected: {}",
        answer.text()
    );
    prop_assert!(
        is_contract_status(status),
        "status {status} is not in the contract"
    );
    if !has_body {
        return Ok(status);
    }
    prop_assert_eq!(answer.header("content-type"), Some("application/json"));
    let body: ErrorBody = serde_json::from_slice(&answer.bytes).map_err(|e| {
        TestCaseError::fail(format!(
            "{status}: not an ErrorBody ({e}): {}",
            answer.text()
        ))
    })?;
    prop_assert!(!body.message.trim().is_empty());
    if body.message == "Validation failed" {
        prop_assert_eq!(status, 400);
        prop_assert!(!body.errors.is_empty(), "Validation failed without issues");
    }
    Ok(status)
}

/// After the properties: the process is up and still serves normal requests.
fn assert_healthy(mock: &mut Mock, rt: &tokio::runtime::Runtime) {
    mock.assert_alive();
    let answer = rt.block_on(mock.get("/api/tools", PRO));
    assert_eq!(answer.status, 200, "{}", answer.text());
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        ".{0,40}".prop_map(Value::from),
        select(SLUGS).prop_map(Value::from),
        select(WEBHOOKS).prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            btree_map(key(), inner, 0..6).prop_map(object),
        ]
    })
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![select(KEYS).prop_map(String::from), ".{0,12}"]
}

fn object(map: BTreeMap<String, Value>) -> Value {
    Value::Object(map.into_iter().collect())
}

/// Run bodies: any JSON, and bodies shaped like a run (a tool, an input
/// object of arbitrary fields, maybe a webhook) that reach deeper checks.
fn run_body() -> impl Strategy<Value = Value> {
    let shaped = (
        select(SLUGS),
        btree_map(key(), arb_json(), 0..6),
        proptest::option::of(arb_json()),
        btree_map(key(), arb_json(), 0..2),
    )
        .prop_map(|(tool, input, webhook, extra)| {
            let mut body = object(extra);
            body["tool"] = json!(tool);
            body["input"] = object(input);
            if let Some(webhook) = webhook {
                body["webhook"] = webhook;
            }
            body
        });
    prop_oneof![arb_json(), shaped].prop_map(|mut body| {
        keep_webhooks_local(&mut body);
        body
    })
}

/// Replaces a top-level `webhook` that could name a public HTTPS host.
fn keep_webhooks_local(body: &mut Value) {
    if let Some(webhook) = body.get_mut("webhook")
        && let Some(url) = webhook.as_str()
        && !WEBHOOKS.contains(&url)
    {
        *webhook = json!(WEBHOOKS[0]);
    }
}

fn key_header() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(Some(PRO.to_string())),
        Just(Some(FREE.to_string())),
        Just(Some(EMPTY.to_string())),
        Just(None),
        "[ -~]{0,30}".prop_map(Some),
    ]
}

#[test]
fn arbitrary_json_bodies_get_a_success_or_a_contract_error() {
    let mut mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    let rt = runtime();
    let strategy = (
        run_body(),
        key_header(),
        select(&["/api/run", "/files", "/api/account"][..]),
    );
    runner()
        .run(&strategy, |(body, key, path)| {
            let method = if path == "/api/account" {
                Method::GET
            } else {
                Method::POST
            };
            let request = mock
                .request(method, path, key.as_deref())
                .header("content-type", "application/json")
                .body(body.to_string());
            rt.block_on(check(request, true)).map(drop)
        })
        .unwrap();
    assert_healthy(&mut mock, &rt);
}

#[test]
fn arbitrary_bytes_as_bodies_get_a_success_or_a_contract_error() {
    let mut mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    let rt = runtime();
    let content_type = prop_oneof![
        Just(Some("application/json".to_string())),
        Just(Some("multipart/form-data; boundary=XyZ".to_string())),
        Just(Some("text/plain".to_string())),
        Just(None),
        "[ -~]{0,40}".prop_map(Some),
    ];
    let bytes = prop_oneof![
        vec(any::<u8>(), 0..2048),
        // Bytes around a multipart boundary, to get past the first line.
        vec(any::<u8>(), 0..512).prop_map(|tail| {
            let mut body = b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n".to_vec();
            body.extend(tail);
            body
        }),
    ];
    let strategy = (
        bytes,
        content_type,
        key_header(),
        select(&["/api/run", "/files"][..]),
    );
    runner()
        .run(&strategy, |(bytes, content_type, key, path)| {
            if let Ok(body) = serde_json::from_slice::<Value>(&bytes) {
                prop_assume!(body.get("webhook").is_none());
            }
            let mut request = mock.request(Method::POST, path, key.as_deref()).body(bytes);
            if let Some(content_type) = content_type {
                request = request.header("content-type", content_type);
            }
            rt.block_on(check(request, true)).map(drop)
        })
        .unwrap();
    assert_healthy(&mut mock, &rt);
}

/// Path segments: any bytes, percent-encoded where they must be, and the
/// segments that path normalisation treats specially.
fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        vec(any::<u8>(), 0..16).prop_map(|bytes| {
            bytes
                .iter()
                .map(|&b| {
                    if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect()
        }),
        select(
            &[
                "..",
                ".",
                "",
                "%2e%2e",
                "%2F",
                "0123456789abcdef01234567",
                "create-image"
            ][..]
        )
        .prop_map(String::from),
    ]
}

fn query() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        select(&["limit", "offset", "status", "q", "page"][..]).prop_map(String::from),
        "[a-z]{1,6}",
    ];
    let value = prop_oneof![
        select(
            &[
                "0",
                "1",
                "-1",
                "100",
                "101",
                "1e3",
                "success",
                "error",
                "",
                "NaN",
                "99999999999999999999"
            ][..]
        )
        .prop_map(String::from),
        segment(),
    ];
    vec((name, value), 0..4).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

#[test]
fn arbitrary_paths_queries_and_methods_get_a_success_or_a_contract_error() {
    let mut mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    let rt = runtime();
    let prefix = select(
        &[
            "/api/generations/",
            "/api/tools/",
            "/api/",
            "/files/",
            "/outputs/",
            "/thumbnails/",
            "/",
        ][..],
    );
    let method = select(
        &[
            "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "PROPFIND",
        ][..],
    );
    let strategy = (prefix, vec(segment(), 0..4), query(), method, key_header());
    runner()
        .run(&strategy, |(prefix, segments, query, method, key)| {
            let path = format!("{prefix}{}", segments.join("/"));
            // The admin API changes the server's state (faults!); it is not
            // what this property is about.
            prop_assume!(!path.to_ascii_lowercase().contains("__mock"));
            let path = if query.is_empty() {
                path
            } else {
                format!("{path}?{query}")
            };
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            let has_body = method != Method::HEAD;
            let request = mock.request(method, &path, key.as_deref());
            rt.block_on(check(request, has_body)).map(drop)
        })
        .unwrap();
    assert_healthy(&mut mock, &rt);
}

/// Header names that frame the message or the connection: arbitrary values
/// there test the HTTP library, not the mock. And no fault injection.
const RESERVED_HEADERS: &[&str] = &[
    "content-length",
    "transfer-encoding",
    "host",
    "connection",
    "upgrade",
    "te",
    "trailer",
    "expect",
    "keep-alive",
    "proxy-connection",
    "x-mock-fault",
    "x-admin-token",
];

fn header() -> impl Strategy<Value = (String, Vec<u8>)> {
    let name = prop_oneof![
        select(
            &[
                "authorization",
                "content-type",
                "accept",
                "accept-encoding",
                "x-request-id",
                "user-agent",
                "cookie",
                "origin",
                "range",
                "if-none-match",
                "x-forwarded-for",
                "cache-control",
            ][..]
        )
        .prop_map(String::from),
        "[a-z][a-z0-9-]{0,15}",
    ];
    // Visible ASCII, spaces and tabs inside, and obs-text bytes.
    let value = vec(
        prop_oneof![0x21u8..0x7f, Just(b' '), Just(b'\t'), 0x80u8..=0xff],
        0..40,
    )
    .prop_map(|mut bytes| {
        while bytes.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
            bytes.remove(0);
        }
        while bytes.last().is_some_and(|b| *b == b' ' || *b == b'\t') {
            bytes.pop();
        }
        bytes
    });
    (name, value)
}

#[test]
fn arbitrary_headers_get_a_success_or_a_contract_error() {
    let mut mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    let rt = runtime();
    let target = select(
        &[
            ("GET", "/api/account"),
            ("GET", "/api/tools"),
            ("GET", "/api/generations"),
            ("GET", "/api/search?q=image"),
            ("POST", "/api/run"),
            ("POST", "/files"),
        ][..],
    );
    let strategy = (target, vec(header(), 0..8));
    runner()
        .run(&strategy, |((method, path), headers)| {
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            let mut request = mock.request(method, path, Some(FREE));
            request = match path {
                "/api/run" => request.json(&json!({"tool": "create-image", "input": {"prompt": "x", "model": "flux-schnell"}})),
                "/files" => request.multipart(
                    reqwest::multipart::Form::new()
                        .part("file", reqwest::multipart::Part::bytes(b"hello".to_vec()).file_name("a.txt")),
                ),
                _ => request,
            };
            for (name, value) in headers {
                prop_assume!(!RESERVED_HEADERS.contains(&name.as_str()));
                let name = HeaderName::from_bytes(name.as_bytes()).unwrap();
                let value = HeaderValue::from_bytes(&value).unwrap();
                request = request.header(name, value);
            }
            rt.block_on(check(request, true)).map(drop)
        })
        .unwrap();
    assert_healthy(&mut mock, &rt);
    assert_eq!(
        messages::RATE_LIMITED,
        "Too many API requests, please try again later",
        "the seed's words"
    );
}
