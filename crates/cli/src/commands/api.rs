//! `astudio api PATH`: any request, for what the typed commands do not cover.

use artificial_studio::RawRequest;
use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde_json::{Map, Value};

use super::{parse_headers, read_source};
use crate::app::App;
use crate::args::ApiArgs;
use crate::report::Failure;

impl App {
    /// `astudio api`: sends the request and prints the answer's JSON.
    pub(crate) async fn api(&self, args: ApiArgs) -> Result<(), Failure> {
        let fields = fields(&args.fields, &args.raw_fields)?;
        let has_body = args.input.is_some() || !fields.is_empty();
        let method = match &args.method {
            Some(word) => Method::from_bytes(word.to_ascii_uppercase().as_bytes())
                .map_err(|_| Failure::Usage(format!("-X {word:?} is not an HTTP method"), None))?,
            None if has_body => Method::POST,
            None => Method::GET,
        };
        let mut headers = parse_headers(&args.headers)?;
        let mut path = args.path.clone();
        let mut body = None;
        if let Some(source) = &args.input {
            body = Some(read_source(source, "--input")?);
        } else if !fields.is_empty() && method == Method::GET {
            path = with_query(&path, &fields);
        } else if !fields.is_empty() {
            let json = serde_json::to_vec(&Value::Object(fields))
                .map_err(|e| Failure::Local(format!("cannot write the fields as JSON: {e}")))?;
            body = Some(json);
        }
        let mut request = RawRequest::new(method, path);
        if let Some(body) = body {
            if !headers.contains_key(CONTENT_TYPE) {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            }
            request = request.body(body);
        }
        let answer = self.client.send_raw(request.headers(headers)).await?;
        let json = answer.json()?;
        if json.is_null() && self.jq.is_none() {
            return Ok(());
        }
        self.print_json(&json)
    }
}

/// `-F` (typed) and `-f` (string) fields as one JSON object, in order.
fn fields(typed: &[String], strings: &[String]) -> Result<Map<String, Value>, Failure> {
    let mut map = Map::new();
    for (word, is_typed) in typed
        .iter()
        .map(|w| (w, true))
        .chain(strings.iter().map(|w| (w, false)))
    {
        let flag = if is_typed { "-F" } else { "-f" };
        let Some((key, value)) = word.split_once('=').filter(|(k, _)| !k.is_empty()) else {
            return Err(Failure::Usage(
                format!("{flag} {word:?}: expected key=value"),
                None,
            ));
        };
        let value = if is_typed {
            typed_value(value)?
        } else {
            Value::String(value.to_string())
        };
        map.insert(key.to_string(), value);
    }
    Ok(map)
}

/// A `-F` value: JSON literals and numbers typed, `@FILE` read, else a string.
/// A JSON object or array is taken as it is, so nested input can be given.
fn typed_value(text: &str) -> Result<Value, Failure> {
    if let Some(source) = text.strip_prefix('@') {
        let bytes = read_source(source, "-F")?;
        return Ok(Value::String(
            String::from_utf8_lossy(&bytes).trim_end().to_string(),
        ));
    }
    let looks_json = matches!(text, "true" | "false" | "null")
        || text.parse::<f64>().is_ok_and(f64::is_finite)
        || text.starts_with('{')
        || text.starts_with('[');
    if looks_json && let Ok(value) = serde_json::from_str(text) {
        return Ok(value);
    }
    Ok(Value::String(text.to_string()))
}

/// `path` with the fields appended to its query string.
fn with_query(path: &str, fields: &Map<String, Value>) -> String {
    let pairs: Vec<String> = fields
        .iter()
        .map(|(k, v)| {
            let v = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!("{}={}", encode(k), encode(&v))
        })
        .collect();
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}{}", pairs.join("&"))
}

/// Percent-encodes a query component.
fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn typed_fields_become_json_and_raw_fields_stay_strings() {
        let map = fields(
            &[
                "n=3".into(),
                "ok=true".into(),
                "input={\"a\":1}".into(),
                "s=hi".into(),
            ],
            &["n2=3".into()],
        )
        .unwrap();
        assert_eq!(
            Value::Object(map),
            json!({"n": 3, "ok": true, "input": {"a": 1}, "s": "hi", "n2": "3"})
        );
    }

    #[test]
    fn a_field_without_a_key_is_a_usage_error() {
        assert!(matches!(
            fields(&["=3".into()], &[]),
            Err(Failure::Usage(..))
        ));
        assert!(matches!(
            fields(&[], &["x".into()]),
            Err(Failure::Usage(..))
        ));
    }

    #[test]
    fn get_fields_go_into_the_query() {
        let map = fields(&["limit=5".into()], &["status=a b".into()]).unwrap();
        assert_eq!(
            with_query("api/generations", &map),
            "api/generations?limit=5&status=a+b"
        );
        assert_eq!(with_query("x?a=1", &map), "x?a=1&limit=5&status=a+b");
    }
}
