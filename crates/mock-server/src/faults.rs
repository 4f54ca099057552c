//! Fault injection: the faults a test can ask for (per request with `X-Mock-Fault`, or
//! scripted per route with a count or probability) and how scripted rules are matched.

use std::{
    fmt,
    str::FromStr,
    sync::atomic::{AtomicBool, AtomicU64, Ordering},
};

use parking_lot::RwLock;
use serde::{Deserialize, Serialize};

/// The request header that injects faults into one request.
pub const FAULT_HEADER: &str = "x-mock-fault";

/// One fault. Written as in the `X-Mock-Fault` header: `500`, `502`, `503`,
/// `429`, `html-502`, `empty-500`, `reset`, `delay=MS` or `drift`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Fault {
    /// Answer this status (500, 502, 503 or 429) with the contract's JSON body.
    Status(u16),
    /// Answer 502 with an HTML page, as a proxy in front of the service would.
    Html502,
    /// Answer 500 with an empty body.
    Empty500,
    /// Start a 200 response, then close the connection mid-body.
    Reset,
    /// Wait this many milliseconds, then answer normally.
    Delay(u64),
    /// Answer as a service that has drifted from the spec would (see
    /// [`crate::drift`]): on the API's routes, a successful JSON answer
    /// loses its optional fields, gains an unknown one and shows unknown
    /// values of open enums; an error body only gains the unknown field.
    Drift,
}

impl FromStr for Fault {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        Ok(match text {
            "500" => Fault::Status(500),
            "502" => Fault::Status(502),
            "503" => Fault::Status(503),
            "429" => Fault::Status(429),
            "html-502" => Fault::Html502,
            "empty-500" => Fault::Empty500,
            "reset" => Fault::Reset,
            "drift" => Fault::Drift,
            _ => match text.strip_prefix("delay=") {
                Some(ms) => Fault::Delay(
                    ms.trim()
                        .parse()
                        .map_err(|_| format!("delay needs milliseconds, got {ms:?}"))?,
                ),
                None => {
                    return Err(format!(
                        "unknown fault {text:?}: use 500, 502, 503, 429, html-502, empty-500, reset, delay=MS or drift"
                    ));
                }
            },
        })
    }
}

impl TryFrom<String> for Fault {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<Fault> for String {
    fn from(fault: Fault) -> Self {
        fault.to_string()
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Status(status) => write!(f, "{status}"),
            Fault::Html502 => f.write_str("html-502"),
            Fault::Empty500 => f.write_str("empty-500"),
            Fault::Reset => f.write_str("reset"),
            Fault::Delay(ms) => write!(f, "delay={ms}"),
            Fault::Drift => f.write_str("drift"),
        }
    }
}

/// Parses an `X-Mock-Fault` value: one fault, or several separated by commas
/// (`delay=200,503` waits, then answers 503; `drift,503` answers 503 with an
/// unknown field in its body).
pub fn parse_header(value: &str) -> Result<Vec<Fault>, String> {
    value.split(',').map(str::parse).collect()
}

/// A scripted fault: which requests it hits, how often, and how many times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultRule {
    /// The rule's id, given by the server.
    #[serde(default)]
    pub id: u64,
    /// The fault to inject.
    pub fault: Fault,
    /// `METHOD /path`, or `/path` for any method; `{name}` or `*` matches one
    /// segment and a trailing `/*` any rest. Absent: every API request.
    #[serde(default)]
    pub route: Option<String>,
    /// How many matching requests it hits before it is used up; absent: no end.
    #[serde(default)]
    pub count: Option<u32>,
    /// The chance that a matching request is hit, 0 to 1; absent: 1.
    #[serde(default)]
    pub probability: Option<f64>,
}

impl FaultRule {
    /// A rule hitting every request of `route` (such as `POST /api/run`).
    pub fn new(fault: Fault, route: impl Into<String>) -> Self {
        FaultRule {
            id: 0,
            fault,
            route: Some(route.into()),
            count: None,
            probability: None,
        }
    }

    /// Hits only the next `count` matching requests.
    pub fn times(mut self, count: u32) -> Self {
        self.count = Some(count);
        self
    }

    /// Hits a matching request with this probability.
    pub fn with_probability(mut self, probability: f64) -> Self {
        self.probability = Some(probability);
        self
    }

    /// Checks the rule's numbers and route.
    pub fn check(&self) -> Result<(), String> {
        if let Some(p) = self.probability
            && !(0.0..=1.0).contains(&p)
        {
            return Err(format!("probability must be between 0 and 1, got {p}"));
        }
        if let Some(route) = &self.route {
            let path = route.split_once(' ').map_or(route.as_str(), |(_, p)| p);
            if !path.starts_with('/') {
                return Err(format!(
                    "route must be `METHOD /path` or `/path`, got {route:?}"
                ));
            }
        }
        Ok(())
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        let Some(route) = &self.route else {
            return true;
        };
        let (want_method, pattern) = match route.split_once(' ') {
            Some((m, p)) => (Some(m.trim()), p.trim()),
            None => (None, route.trim()),
        };
        if want_method.is_some_and(|m| !m.eq_ignore_ascii_case(method)) {
            return false;
        }
        path_matches(pattern, path)
    }
}

fn path_matches(pattern: &str, path: &str) -> bool {
    let mut want = pattern.trim_matches('/').split('/');
    let mut got = path.trim_matches('/').split('/');
    loop {
        match (want.next(), got.next()) {
            (None, None) => return true,
            (Some("*"), _) if want.clone().next().is_none() && pattern.ends_with("/*") => {
                return true;
            }
            (Some(w), Some(g)) => {
                let any = w == "*" || (w.starts_with('{') && w.ends_with('}'));
                if !any && w != g {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// The scripted rules of one server. Matching is lock-free while no rule exists.
#[derive(Debug, Default)]
pub struct FaultRules {
    any: AtomicBool,
    next_id: AtomicU64,
    rules: RwLock<Vec<FaultRule>>,
}

impl FaultRules {
    /// Adds a rule and returns it with its id.
    pub fn add(&self, mut rule: FaultRule) -> FaultRule {
        rule.id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let mut rules = self.rules.write();
        rules.push(rule.clone());
        self.any.store(true, Ordering::Release);
        rule
    }

    /// The rules still active.
    pub fn list(&self) -> Vec<FaultRule> {
        self.rules.read().clone()
    }

    /// Removes every rule.
    pub fn clear(&self) {
        let mut rules = self.rules.write();
        rules.clear();
        self.any.store(false, Ordering::Release);
    }

    /// The fault of the first rule that hits this request, using up one of its count.
    pub fn take(&self, method: &str, path: &str) -> Option<Fault> {
        if !self.any.load(Ordering::Acquire) {
            return None;
        }
        let mut rules = self.rules.write();
        let index = rules.iter().position(|rule| {
            rule.matches(method, path) && rule.probability.is_none_or(|p| rand::random::<f64>() < p)
        })?;
        let fault = rules[index].fault;
        if let Some(count) = rules[index].count.as_mut() {
            *count = count.saturating_sub(1);
            if *count == 0 {
                rules.remove(index);
            }
        }
        if rules.is_empty() {
            self.any.store(false, Ordering::Release);
        }
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn header_values_parse_and_print_back() {
        for text in [
            "500",
            "502",
            "503",
            "429",
            "html-502",
            "empty-500",
            "reset",
            "delay=150",
            "drift",
        ] {
            let fault: Fault = text.parse().unwrap();
            assert_eq!(fault.to_string(), text);
        }
        assert!("404".parse::<Fault>().is_err());
        assert!("delay=soon".parse::<Fault>().is_err());
        assert_eq!(
            parse_header("delay=5, 503").unwrap(),
            [Fault::Delay(5), Fault::Status(503)]
        );
        assert_eq!(
            parse_header("drift,delay=5").unwrap(),
            [Fault::Drift, Fault::Delay(5)]
        );
    }

    #[test]
    fn counted_rule_hits_only_matching_requests_and_is_used_up() {
        let rules = FaultRules::default();
        rules.add(FaultRule::new(Fault::Status(503), "POST /api/run").times(2));
        assert_eq!(rules.take("GET", "/api/run"), None);
        assert_eq!(rules.take("POST", "/api/tools"), None);
        assert_eq!(rules.take("POST", "/api/run"), Some(Fault::Status(503)));
        assert_eq!(rules.take("POST", "/api/run"), Some(Fault::Status(503)));
        assert_eq!(rules.take("POST", "/api/run"), None);
        assert!(rules.list().is_empty());
    }

    #[test]
    fn route_patterns_match_segments_and_wildcards() {
        assert!(path_matches(
            "/api/generations/{id}",
            "/api/generations/abc"
        ));
        assert!(!path_matches("/api/generations/{id}", "/api/generations"));
        assert!(path_matches("/api/*", "/api/tools/create-image"));
        assert!(path_matches("/api/tools/*", "/api/tools/x"));
        assert!(!path_matches("/api/tools", "/api/tools/x"));
    }

    proptest! {
        #[test]
        fn a_header_value_prints_back_to_itself_or_is_refused_naming_the_bad_part(
            value in prop_oneof![
                ".{0,40}",
                // Mostly valid lists, so that the round trip is exercised.
                proptest::collection::vec(
                    prop_oneof![
                        Just("500".to_string()),
                        Just(" 502".to_string()),
                        Just("503 ".to_string()),
                        Just("429".to_string()),
                        Just("html-502".to_string()),
                        Just("empty-500".to_string()),
                        Just("reset".to_string()),
                        Just("drift".to_string()),
                        "delay= ?[0-9]{1,6}",
                        "[a-z0-9=-]{0,8}",
                    ],
                    1..4,
                )
                .prop_map(|parts| parts.join(",")),
            ]
        ) {
            match parse_header(&value) {
                Ok(faults) => {
                    prop_assert_eq!(faults.len(), value.split(',').count());
                    let printed = faults.iter().map(Fault::to_string).collect::<Vec<_>>().join(",");
                    prop_assert_eq!(parse_header(&printed), Ok(faults));
                }
                Err(message) => {
                    // The first part that is not a fault is named, quoted as given.
                    let bad = value
                        .split(',')
                        .map(str::trim)
                        .find(|part| part.parse::<Fault>().is_err());
                    prop_assert!(bad.is_some(), "refused {:?} without a bad part", value);
                    let bad = bad.unwrap_or_default();
                    let named = bad.strip_prefix("delay=").unwrap_or(bad);
                    prop_assert!(
                        message.contains(&format!("{named:?}")),
                        "{:?} does not name {:?}", message, named
                    );
                }
            }
        }

        #[test]
        fn zero_probability_never_hits(path in "/[a-z]{1,8}") {
            let rules = FaultRules::default();
            rules.add(FaultRule { probability: Some(0.0), ..FaultRule::new(Fault::Reset, "/*") });
            prop_assert_eq!(rules.take("GET", &path), None);
        }
    }
}
