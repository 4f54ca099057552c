//! Tuning: a request header found by walking the request's few headers
//! rather than by hashing its name.
//!
//! `HeaderMap::get` hashes the name it is given and probes: callgrind
//! (`examples/run_load`) counted 110 to 130 instructions per lookup of a
//! standard name (`Authorization`, `Content-Type`, `Content-Length`) and 150
//! to 170 for the sandbox's own (`X-Mock-Session`, `X-Mock-Fault`), five of
//! them per run. A request of a client carries a handful of headers, and
//! comparing two names is a few instructions when one of them is standard,
//! so a walk is cheaper; past [`WALK_AT_MOST`] names it is not, and the map
//! is asked.

use axum::http::{HeaderMap, HeaderName, HeaderValue};

/// Most names a walk compares; a request with more is looked up by hash.
const WALK_AT_MOST: usize = 12;

/// The first value of `name` in `headers`, as `headers.get(name)` gives it.
pub(crate) fn find<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a HeaderValue> {
    if headers.keys_len() > WALK_AT_MOST {
        return headers.get(name);
    }
    // Each name's values come together, its first value first.
    headers
        .iter()
        .find_map(|(key, value)| (key == name).then_some(value))
}

/// Whether `headers` has `name`, as `headers.contains_key(name)` says.
pub(crate) fn has(headers: &HeaderMap, name: &HeaderName) -> bool {
    if headers.keys_len() > WALK_AT_MOST {
        return headers.contains_key(name);
    }
    headers.keys().any(|key| key == name)
}

#[cfg(test)]
mod tests {
    use axum::http::header;

    use super::*;

    fn headers(count: usize) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("key"));
        headers.append("x-mock-fault", HeaderValue::from_static("500"));
        headers.append("x-mock-fault", HeaderValue::from_static("503"));
        for n in 0..count {
            let name = HeaderName::try_from(format!("x-filler-{n}")).unwrap();
            headers.insert(name, HeaderValue::from(n));
        }
        headers
    }

    #[test]
    fn a_walk_finds_what_the_map_finds_with_few_headers_or_many() {
        let names = [
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("x-mock-fault"),
            HeaderName::from_static("x-mock-session"),
            HeaderName::from_static("x-filler-3"),
        ];
        for count in [0, 4, WALK_AT_MOST + 4] {
            let headers = headers(count);
            for name in &names {
                assert_eq!(find(&headers, name), headers.get(name), "{name} of {count}");
                assert_eq!(
                    has(&headers, name),
                    headers.contains_key(name),
                    "{name} of {count}"
                );
            }
        }
    }
}
