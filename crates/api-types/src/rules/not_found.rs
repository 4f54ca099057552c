//! Which thing a `404` says was not found, read from the message the
//! contract fixes for each, so that no front end compares message strings.

use std::fmt;

use crate::messages;

/// What a `404 Not Found` answer says was not found.
///
/// Read tolerantly with [`NotFound::from_message`]: the contract's message,
/// or that message followed by details (`Model not found: ...`); any other
/// message is [`NotFound::Other`].
///
/// ```
/// use artificial_studio_types::rules::not_found::NotFound;
///
/// assert_eq!(NotFound::from_message("Tool not found"), NotFound::Tool);
/// assert_eq!(NotFound::from_message("Model not found: x is not a model of y"), NotFound::Model);
/// assert_eq!(NotFound::from_message("Not found"), NotFound::Other);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotFound {
    /// No tool has the slug (`Tool not found`).
    Tool,
    /// The tool has no such model (`Model not found`).
    Model,
    /// No generation has the id (`Generation not found`).
    Generation,
    /// Anything else: an unknown route (`Not found`), or a message this
    /// version does not know.
    Other,
}

impl NotFound {
    /// The reason a `404`'s message gives.
    pub fn from_message(message: &str) -> NotFound {
        let message = message.trim_start();
        [
            (messages::TOOL_NOT_FOUND, NotFound::Tool),
            (messages::MODEL_NOT_FOUND, NotFound::Model),
            (messages::GENERATION_NOT_FOUND, NotFound::Generation),
        ]
        .into_iter()
        .find(|(fixed, _)| starts_with_words(message, fixed))
        .map_or(NotFound::Other, |(_, reason)| reason)
    }

    /// The contract's message for this reason.
    pub const fn message(self) -> &'static str {
        match self {
            NotFound::Tool => messages::TOOL_NOT_FOUND,
            NotFound::Model => messages::MODEL_NOT_FOUND,
            NotFound::Generation => messages::GENERATION_NOT_FOUND,
            NotFound::Other => messages::NOT_FOUND,
        }
    }
}

impl fmt::Display for NotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// Whether `message` is `fixed`, ignoring case, possibly followed by more
/// after a non-letter (`Tool not found: x`, `Tool not found.`).
fn starts_with_words(message: &str, fixed: &str) -> bool {
    let Some(head) = message.get(..fixed.len()) else {
        return false;
    };
    head.eq_ignore_ascii_case(fixed)
        && message[fixed.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reason_reads_back_from_its_own_message() {
        for reason in [
            NotFound::Tool,
            NotFound::Model,
            NotFound::Generation,
            NotFound::Other,
        ] {
            assert_eq!(NotFound::from_message(reason.message()), reason);
        }
    }

    #[test]
    fn a_message_with_details_or_another_case_is_read_too() {
        assert_eq!(NotFound::from_message("tool not found."), NotFound::Tool);
        assert_eq!(
            NotFound::from_message("Generation not found: abc"),
            NotFound::Generation
        );
        assert_eq!(NotFound::from_message("Tool not foundry"), NotFound::Other);
        assert_eq!(NotFound::from_message(""), NotFound::Other);
        assert_eq!(NotFound::from_message("é"), NotFound::Other);
    }
}
