//! The sandbox's session names: which names `X-Mock-Session` and the `/s/NAME/`
//! path prefix of the mock server take. The real service has no sessions (it
//! ignores the header); the client checks a name before sending, the mock
//! when it answers.

/// The header that picks a session of the mock server.
pub const SESSION_HEADER: &str = "x-mock-session";

/// The path prefix that picks a session: `/s/NAME/...`.
pub const SESSION_PATH_PREFIX: &str = "/s/";

/// The longest session name, in characters.
pub const MAX_SESSION_NAME_LEN: usize = 64;

/// Why a session name is refused, worded for the `400` of the mock and the
/// client's error alike.
pub const INVALID_SESSION_NAME: &str = "Invalid mock session name: use 1 to 64 characters of \
     A-Z, a-z, 0-9, '.', '_' and '-', not starting with '.'";

/// Whether `name` is a valid session name: 1 to [`MAX_SESSION_NAME_LEN`]
/// characters of `[A-Za-z0-9._-]`, not starting with `.` (so that `.` and
/// `..` never name a session in a path).
///
/// ```
/// use artificial_studio_types::rules::session::is_valid_name;
///
/// assert!(is_valid_name("ci-4711"));
/// assert!(!is_valid_name(".."));
/// assert!(!is_valid_name("a/b"));
/// ```
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_SESSION_NAME_LEN
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_the_allowed_characters_up_to_64_are_valid() {
        assert!(is_valid_name("a"));
        assert!(is_valid_name("ci-4711_job.2"));
        assert!(is_valid_name(&"x".repeat(64)));
    }

    #[test]
    fn empty_long_dotted_or_other_characters_are_refused() {
        for name in ["", ".", "..", ".hidden", "a b", "a/b", "é", "a%2F"] {
            assert!(!is_valid_name(name), "{name:?} was accepted");
        }
        assert!(!is_valid_name(&"x".repeat(65)));
    }
}
