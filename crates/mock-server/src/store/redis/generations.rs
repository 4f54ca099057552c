//! Creating a generation on Redis: one `create.lua` call, which takes the
//! cost, stores the generation and (for a run on an instant or timed
//! schedule) takes the tool's scripted outcome kept on Redis.

use std::time::Duration;

use super::{
    RedisStore,
    connection::{Args, push},
    decode::{self, Fields, text_of},
};
use crate::store::{CreateError, NewGeneration, Outcome};

impl RedisStore {
    /// The generation with the fields of `create.lua`, or a refusal.
    pub(super) async fn create(
        &self,
        generation: NewGeneration,
        cost: u64,
        mode: Mode,
    ) -> Result<Fields, CreateError> {
        let mut args = Args::with_capacity(24);
        self.create_args(&mut args, &generation, cost, &mode);
        let answer = self
            .eval(&self.scripts.create, |s| {
                s.arg(&args);
            })
            .await?;
        match decode::list(&answer).as_deref() {
            Some([verdict, fields]) if decode::is(verdict, "ok") => {
                Fields::of(fields).ok_or(CreateError::Unavailable)
            }
            Some([verdict]) if decode::is(verdict, "credits") => {
                Err(CreateError::InsufficientCredits)
            }
            Some([verdict]) if decode::is(verdict, "account") => Err(CreateError::UnknownAccount),
            _ => Err(self.malformed("create")),
        }
    }

    /// Adds what `create` (in `lib.lua`) takes to a script's arguments.
    pub(super) fn create_args(
        &self,
        a: &mut Args,
        generation: &NewGeneration,
        cost: u64,
        mode: &Mode,
    ) {
        let (mode, durations, outcome) = match mode {
            Mode::Untimed => ("none", [Duration::ZERO; 3], None),
            Mode::Instant(outcome) => ("instant", [Duration::ZERO; 3], Some(outcome)),
            Mode::Timed(durations, outcome) => ("timed", *durations, Some(outcome)),
        };
        let (end, output, thumbnail, message) = outcome_args(outcome);
        push(a, &*generation.owner);
        push(a, &generation.id);
        push(a, cost);
        push(a, self.options.max_generations);
        push(a, text_of(&generation.status));
        push(a, &generation.tool);
        push(a, text_of(&generation.type_));
        push(a, generation.payload.as_str());
        push(a, text_of(&generation.created_at));
        push(a, generation.webhook.as_deref().unwrap_or(""));
        push(a, mode);
        for duration in durations {
            push(a, u64::try_from(duration.as_millis()).unwrap_or(u64::MAX));
        }
        for text in [end, output, thumbnail, message] {
            push(a, text);
        }
    }
}

/// How `create.lua` stores a generation.
pub(super) enum Mode {
    /// Running until [`Store::finish_generation`] ends it.
    Untimed,
    /// Ended at once, as the outcome says.
    Instant(Outcome),
    /// On a schedule (`pending`, `processing`, `uploading`), then ended.
    Timed([Duration; 3], Outcome),
}

/// The end, output, thumbnail and error message of an outcome, as the scripts
/// take them.
pub(super) fn outcome_args(outcome: Option<&Outcome>) -> (&str, &str, &str, &str) {
    match outcome {
        None => ("", "", "", ""),
        Some(Outcome::Success { output, thumbnail }) => {
            ("success", output, thumbnail.as_deref().unwrap_or(""), "")
        }
        Some(Outcome::Error(message)) => ("error", "", "", message),
    }
}
