//! Which webhook URLs `POST /api/run` accepts.
//!
//! The contract: an HTTPS URL whose host is public; localhost, private and
//! other internal hosts are refused (the service must not be made to call
//! into its own network). Hosts are judged as written, never resolved.
//!
//! The sandbox may relax this for tests, whose receivers listen on loopback
//! over plain HTTP: that is [`WebhookPolicy::AllowPrivate`], the mock
//! server's `--allow-private-webhooks`. It is the only place where two
//! callers of the rule may answer differently. The client checks
//! [`WebhookPolicy::Contract`], the rule of the real service, unless it was
//! built for such a sandbox (its builder's `webhook_policy`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::{ValidationIssue, ValidationIssueCode};

/// The field a webhook issue is reported at.
const FIELD: &str = "webhook";

/// How strictly a webhook URL is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WebhookPolicy {
    /// The contract: `https` on a public host.
    #[default]
    Contract,
    /// The sandbox's test policy: `http` too, and any host.
    AllowPrivate,
}

impl WebhookPolicy {
    /// [`WebhookPolicy::AllowPrivate`] when `allow` is true, else the contract.
    pub const fn allowing_private(allow: bool) -> Self {
        if allow {
            WebhookPolicy::AllowPrivate
        } else {
            WebhookPolicy::Contract
        }
    }
}

/// The issue of a webhook URL the policy refuses, if it does.
///
/// ```
/// use artificial_studio_types::rules::webhook::{WebhookPolicy, webhook_issue};
///
/// assert!(webhook_issue("https://example.com/hook", WebhookPolicy::Contract).is_none());
/// assert!(webhook_issue("https://localhost/hook", WebhookPolicy::Contract).is_some());
/// assert!(webhook_issue("http://127.0.0.1:9/hook", WebhookPolicy::AllowPrivate).is_none());
/// ```
pub fn webhook_issue(url: &str, policy: WebhookPolicy) -> Option<ValidationIssue> {
    let allow_private = policy == WebhookPolicy::AllowPrivate;
    let Ok(parsed) = url::Url::parse(url) else {
        return Some(ValidationIssue::invalid_format(FIELD, "url"));
    };
    let scheme_ok = parsed.scheme() == "https" || (allow_private && parsed.scheme() == "http");
    if !scheme_ok {
        return Some(not_https());
    }
    let public = match parsed.host() {
        None => return Some(ValidationIssue::invalid_format(FIELD, "url")),
        Some(url::Host::Domain(domain)) => is_public_domain(domain),
        Some(url::Host::Ipv4(ip)) => is_public_ip(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_public_ip(IpAddr::V6(ip)),
    };
    if !public && !allow_private {
        return Some(ValidationIssue::custom(
            FIELD,
            "Webhook host must be public (no localhost or private addresses)",
        ));
    }
    None
}

fn not_https() -> ValidationIssue {
    ValidationIssue::new(
        FIELD,
        "Webhook must be an HTTPS URL",
        ValidationIssueCode::InvalidString,
    )
}

/// Whether a host name can be public: not `localhost`, not a single label,
/// not under a suffix reserved for local networks.
fn is_public_domain(domain: &str) -> bool {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    let internal_suffixes = [".localhost", ".local", ".internal", ".lan", ".home.arpa"];
    !(domain == "localhost"
        || !domain.contains('.')
        || internal_suffixes.iter().any(|s| domain.ends_with(s)))
}

/// Whether an address is routable on the public internet.
pub fn is_public_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_ipv4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_ipv4(v4);
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (first & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (first == 0x2001 && v6.segments()[1] == 0x0db8)) // documentation
                && v6 != Ipv6Addr::LOCALHOST
        }
    }
}

fn is_public_ipv4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(url: &str, policy: WebhookPolicy) -> bool {
        webhook_issue(url, policy).is_some()
    }

    #[test]
    fn the_contract_wants_https_and_a_public_host() {
        use WebhookPolicy::Contract;
        assert!(!refused("https://example.com/hook", Contract));
        assert!(refused("http://example.com/hook", Contract));
        assert!(refused("https://localhost/hook", Contract));
        assert!(refused("https://10.1.2.3/hook", Contract));
        assert!(refused("https://[::1]/hook", Contract));
        assert!(refused("https://printer.local/hook", Contract));
        assert!(refused("not a url", Contract));
    }

    #[test]
    fn the_sandbox_policy_differs_only_on_http_and_private_hosts() {
        use WebhookPolicy::AllowPrivate;
        assert!(!refused("http://127.0.0.1:9/hook", AllowPrivate));
        assert!(!refused("https://localhost/hook", AllowPrivate));
        assert!(refused("ftp://127.0.0.1/hook", AllowPrivate));
        assert!(refused("not a url", AllowPrivate));
    }

    #[test]
    fn each_refusal_has_its_own_message_and_code() {
        let messages: Vec<String> = ["not a url", "http://example.com/h", "https://localhost/h"]
            .into_iter()
            .filter_map(|url| webhook_issue(url, WebhookPolicy::Contract))
            .map(|issue| issue.to_string())
            .collect();
        assert_eq!(
            messages,
            [
                "webhook: Invalid url (invalid_string)",
                "webhook: Webhook must be an HTTPS URL (invalid_string)",
                "webhook: Webhook host must be public (no localhost or private addresses) (custom)",
            ]
        );
    }
}
