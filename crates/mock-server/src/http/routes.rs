//! The route table of every served path but the admin API's: method and path
//! pattern to an endpoint, looked up once per request by the pipeline.

use std::borrow::Cow;

use axum::http::{HeaderValue, Method};
use percent_encoding::percent_decode_str;

/// An endpoint of the API: authenticated, rate-limited, drifted in drift mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    /// `POST /api/run`.
    Run,
    /// `GET /api/generations`.
    ListGenerations,
    /// `GET /api/generations/{id}`.
    GetGeneration,
    /// `GET /api/tools`.
    ListTools,
    /// `GET /api/tools/{slug}`.
    GetTool,
    /// `GET /api/search`.
    Search,
    /// `GET /api/account`.
    Account,
    /// `POST /api/files` (a raw body).
    UploadRaw,
    /// `POST /files` (multipart).
    Upload,
}

/// An open endpoint, like a CDN's: the URLs the API hands out, and the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Open {
    /// `GET /openapi.yaml`.
    Spec,
    /// `GET /outputs/{file}`.
    Output,
    /// `GET /thumbnails/{file}`.
    Thumbnail,
    /// `GET /files/{id}/{name}`.
    UploadedFile,
}

/// What a route leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// One of the API's.
    Api(Api),
    /// One of the open ones.
    Open(Open),
}

/// The methods the table uses (`GET` also answers `HEAD`, as axum's routes do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Get,
    Post,
}

impl Verb {
    fn allows(self, method: &Method) -> bool {
        match self {
            Verb::Get => method == Method::GET || method == Method::HEAD,
            Verb::Post => method == Method::POST,
        }
    }

    /// How `Allow` lists it.
    fn allow(self) -> &'static str {
        match self {
            Verb::Get => "GET,HEAD",
            Verb::Post => "POST",
        }
    }
}

/// The table: the one place that says which path leads where. Segments in
/// braces are parameters, each one whole, non-empty segment.
const ROUTES: &[(Verb, &str, Endpoint)] = &[
    (Verb::Post, "/api/run", Endpoint::Api(Api::Run)),
    (
        Verb::Get,
        "/api/generations",
        Endpoint::Api(Api::ListGenerations),
    ),
    (
        Verb::Get,
        "/api/generations/{id}",
        Endpoint::Api(Api::GetGeneration),
    ),
    (Verb::Get, "/api/tools", Endpoint::Api(Api::ListTools)),
    (Verb::Get, "/api/tools/{slug}", Endpoint::Api(Api::GetTool)),
    (Verb::Get, "/api/search", Endpoint::Api(Api::Search)),
    (Verb::Get, "/api/account", Endpoint::Api(Api::Account)),
    (Verb::Post, "/api/files", Endpoint::Api(Api::UploadRaw)),
    (Verb::Post, "/files", Endpoint::Api(Api::Upload)),
    (Verb::Get, "/openapi.yaml", Endpoint::Open(Open::Spec)),
    (Verb::Get, "/outputs/{file}", Endpoint::Open(Open::Output)),
    (
        Verb::Get,
        "/thumbnails/{file}",
        Endpoint::Open(Open::Thumbnail),
    ),
    (
        Verb::Get,
        "/files/{id}/{name}",
        Endpoint::Open(Open::UploadedFile),
    ),
];

/// A route's parameters, percent-decoded, in the pattern's order. A segment
/// that is not UTF-8 once decoded names nothing that exists: it is empty,
/// which every endpoint answers with its own `404`, as for any unknown id.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Params<'a>([Cow<'a, str>; 2]);

impl<'a> Params<'a> {
    /// The first parameter (empty if the pattern has none).
    pub(crate) fn first(&self) -> &str {
        &self.0[0]
    }

    /// The second parameter (empty if the pattern has fewer).
    pub(crate) fn second(&self) -> &str {
        &self.0[1]
    }
}

/// What the table says of a request.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Lookup<'a> {
    /// A route of the table, with its parameters.
    Found(Endpoint, Params<'a>),
    /// A path of the table, but not with this method: the value of `Allow`.
    WrongMethod(HeaderValue),
    /// Not a path of the table.
    Unknown,
}

/// Looks `method path` up in the table.
pub(crate) fn lookup<'a>(method: &Method, path: &'a str) -> Lookup<'a> {
    let mut allow: Option<String> = None;
    for &(verb, pattern, endpoint) in ROUTES {
        let Some(params) = matches(pattern, path) else {
            continue;
        };
        if verb.allows(method) {
            return Lookup::Found(endpoint, params);
        }
        match &mut allow {
            Some(list) => {
                list.push(',');
                list.push_str(verb.allow());
            }
            None => allow = Some(verb.allow().to_string()),
        }
    }
    match allow.map(HeaderValue::try_from) {
        Some(Ok(value)) => Lookup::WrongMethod(value),
        _ => Lookup::Unknown,
    }
}

/// The parameters of `path` if it fits `pattern`.
fn matches<'a>(pattern: &str, path: &'a str) -> Option<Params<'a>> {
    if !pattern.contains('{') {
        return (pattern == path).then(Params::default);
    }
    let mut params = Params::default();
    let mut found = 0;
    let mut given = path.split('/');
    for wanted in pattern.split('/') {
        let segment = given.next()?;
        if wanted.starts_with('{') {
            if segment.is_empty() || found == params.0.len() {
                return None;
            }
            params.0[found] = decode(segment);
            found += 1;
        } else if wanted != segment {
            return None;
        }
    }
    given.next().is_none().then_some(params)
}

/// A path segment percent-decoded, or empty if it is then not UTF-8.
fn decode(segment: &str) -> Cow<'_, str> {
    percent_decode_str(segment)
        .decode_utf8()
        .unwrap_or(Cow::Borrowed(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(method: Method, path: &str) -> Option<(Endpoint, String, String)> {
        match lookup(&method, path) {
            Lookup::Found(endpoint, params) => Some((
                endpoint,
                params.first().to_string(),
                params.second().to_string(),
            )),
            _ => None,
        }
    }

    #[test]
    fn every_route_of_the_table_is_found_with_its_parameters() {
        assert_eq!(
            found(Method::POST, "/api/run"),
            Some((Endpoint::Api(Api::Run), String::new(), String::new()))
        );
        assert_eq!(
            found(Method::GET, "/api/generations/65f1"),
            Some((
                Endpoint::Api(Api::GetGeneration),
                "65f1".into(),
                String::new()
            ))
        );
        assert_eq!(
            found(Method::HEAD, "/files/abc/a%20b.png"),
            Some((
                Endpoint::Open(Open::UploadedFile),
                "abc".into(),
                "a b.png".into()
            ))
        );
    }

    #[test]
    fn a_segment_that_is_not_utf8_is_an_empty_parameter() {
        assert_eq!(
            found(Method::GET, "/api/tools/%FF"),
            Some((Endpoint::Api(Api::GetTool), String::new(), String::new()))
        );
    }

    #[test]
    fn paths_that_only_look_alike_are_unknown() {
        for path in [
            "/api/tools/",
            "/api/tools/a/b",
            "/api/run/",
            "//api/run",
            "/api",
            "/files/x",
            "/__mock/reset",
        ] {
            assert_eq!(lookup(&Method::GET, path), Lookup::Unknown, "{path}");
        }
    }

    #[test]
    fn another_method_is_told_what_the_path_allows() {
        assert_eq!(
            lookup(&Method::GET, "/api/run"),
            Lookup::WrongMethod(HeaderValue::from_static("POST"))
        );
        assert_eq!(
            lookup(&Method::DELETE, "/api/generations/x"),
            Lookup::WrongMethod(HeaderValue::from_static("GET,HEAD"))
        );
    }
}
