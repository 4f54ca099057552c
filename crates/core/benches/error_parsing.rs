//! How long turning a `400 Validation failed` answer with 50 issues into an
//! [`Error`] takes, next to the common one-line body and a proxy's HTML page.
//!
//! `cargo bench -p artificial-studio --bench error_parsing`. (The peak memory
//! of a large upload is measured by the benchmark issue, not here.)

use std::hint::black_box;

use artificial_studio::Error;
use criterion::{Criterion, criterion_group, criterion_main};
use reqwest::header::HeaderMap;
use serde_json::json;

fn validation_body(issues: usize) -> Vec<u8> {
    let errors: Vec<_> = (0..issues)
        .map(|i| json!({"field": format!("input.field_{i}"), "message": format!("Unrecognized key: 'field_{i}'"), "code": "unrecognized_keys"}))
        .collect();
    serde_json::to_vec(&json!({"message": "Validation failed", "errors": errors}))
        .unwrap_or_default()
}

fn parse_error_bodies(c: &mut Criterion) {
    let headers = HeaderMap::new();
    let fifty = validation_body(50);
    let simple =
        br#"{"message": "You do not have enough credits to perform this action"}"#.to_vec();
    let html = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>"
        .repeat(100);

    c.bench_function("400 with 50 issues", |b| {
        b.iter(|| Error::from_response(black_box(400), &headers, black_box(&fifty)))
    });
    c.bench_function("402 message only", |b| {
        b.iter(|| Error::from_response(black_box(402), &headers, black_box(&simple)))
    });
    c.bench_function("502 html page", |b| {
        b.iter(|| Error::from_response(black_box(502), &headers, black_box(&html)))
    });
    c.bench_function("display 400 with 50 issues", |b| {
        let err = Error::from_response(400, &headers, &fifty);
        b.iter(|| black_box(&err).to_string())
    });
}

// criterion's macros generate a public function without docs.
#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group!(benches, parse_error_bodies);
}

criterion_main!(group::benches);
