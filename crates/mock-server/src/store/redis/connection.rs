//! The plumbing of the Redis store: its scripts, its one connection
//! (shared by every namespace made from a store), and how a script is run:
//! in time, seeded first, with failures logged once per burst and answered
//! as [`Unavailable`].

use std::{sync::atomic::Ordering, time::Duration};

use redis::{
    Cmd, ErrorKind, RedisResult, RedisWrite, Script, ServerErrorKind, ToRedisArgs, Value,
    aio::{ConnectionManager, ConnectionManagerConfig},
};

use super::RedisStore;
use crate::store::{StoreResult, Unavailable};

/// How long a connection attempt, and an answer, may take before the request
/// is answered `503`: short, so that a Redis that is down never holds a
/// request.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(500);
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(2);

/// The scripts, each `lib.lua` followed by its body.
pub(super) struct Scripts {
    pub(super) seed: Script,
    pub(super) reset: Script,
    pub(super) auth: Script,
    pub(super) accounts: Script,
    pub(super) create_account: Script,
    pub(super) update_account: Script,
    pub(super) rate: Script,
    pub(super) create: Script,
    pub(super) scripted: Script,
    pub(super) get: Script,
    pub(super) list: Script,
    pub(super) set_status: Script,
    pub(super) finish: Script,
    pub(super) sweep: Script,
    pub(super) put_upload: Script,
    pub(super) fault_take: Script,
    pub(super) group: Script,
    pub(super) fault_add: Script,
    pub(super) faults: Script,
    pub(super) outcome_add: Script,
    pub(super) instruments_clear: Script,
    pub(super) session_touch: Script,
    pub(super) sessions_list: Script,
    pub(super) sessions_drop: Script,
}

impl Scripts {
    pub(super) fn new() -> Self {
        let lib = include_str!("lib.lua");
        let script = |body: &str| Script::new(&[lib, "\n", body].concat());
        Scripts {
            seed: script(include_str!("seed.lua")),
            reset: script(include_str!("reset.lua")),
            auth: script(include_str!("auth.lua")),
            accounts: script(include_str!("accounts.lua")),
            create_account: script(include_str!("create_account.lua")),
            update_account: script(include_str!("update_account.lua")),
            rate: script(include_str!("rate.lua")),
            create: script(include_str!("create.lua")),
            scripted: script(include_str!("scripted.lua")),
            get: script(include_str!("get.lua")),
            list: script(include_str!("list.lua")),
            set_status: script(include_str!("set_status.lua")),
            finish: script(include_str!("finish.lua")),
            sweep: script(include_str!("sweep.lua")),
            put_upload: script(include_str!("put_upload.lua")),
            fault_take: script(include_str!("fault_take.lua")),
            group: script(include_str!("group.lua")),
            fault_add: script(include_str!("fault_add.lua")),
            faults: script(include_str!("faults.lua")),
            outcome_add: script(include_str!("outcome_add.lua")),
            instruments_clear: script(include_str!("instruments_clear.lua")),
            session_touch: script(include_str!("session_touch.lua")),
            sessions_list: script(include_str!("sessions_list.lua")),
            sessions_drop: script(include_str!("sessions_drop.lua")),
        }
    }
}

impl RedisStore {
    pub(super) async fn connection(&self) -> StoreResult<ConnectionManager> {
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_response_timeout(Some(RESPONSE_TIMEOUT))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(500));
        let connection = self
            .connection
            .get_or_try_init(|| async {
                ConnectionManager::new_lazy_with_config(self.client.clone(), config)
            })
            .await;
        // Made without I/O: only the answers of Redis tell that it is back.
        connection.cloned().map_err(|error| self.failed(&error))
    }

    /// `result` as a store answer, logging the first failure of a burst and
    /// the recovery after it.
    pub(super) fn observe<T>(&self, result: redis::RedisResult<T>) -> StoreResult<T> {
        match result {
            Ok(value) => {
                if self.down.swap(false, Ordering::AcqRel) {
                    tracing::info!(namespace = %self.namespace, "the Redis store is reachable again");
                    self.seeded.store(false, Ordering::Release);
                }
                Ok(value)
            }
            Err(error) => Err(self.failed(&error)),
        }
    }

    /// A failure to reach Redis, logged if it starts a burst.
    fn failed(&self, error: &redis::RedisError) -> Unavailable {
        if !self.down.swap(true, Ordering::AcqRel) {
            tracing::warn!(
                namespace = %self.namespace,
                %error,
                "the Redis store is out of reach; the API answers 503 until it returns"
            );
        }
        Unavailable
    }

    /// Runs `script` with the namespace and the arguments `fill` adds, once
    /// the namespace is seeded.
    pub(super) async fn eval(
        &self,
        script: &Script,
        fill: impl FnOnce(&mut Cmd),
    ) -> StoreResult<Value> {
        self.ensure_seeded().await?;
        self.run(script, fill).await
    }

    /// Seeds the namespace unless this replica has seen it seeded.
    pub(super) async fn ensure_seeded(&self) -> StoreResult<()> {
        if !self.seeded.load(Ordering::Acquire) {
            self.run(&self.scripts.seed, |s| {
                s.arg(&self.seeds);
            })
            .await?;
            self.seeded.store(true, Ordering::Release);
        }
        Ok(())
    }

    /// Runs `script` with the namespace and the arguments `fill` adds: one
    /// `EVALSHA`, built in one buffer, and the script loaded first when
    /// Redis does not have it (a new or restarted server).
    pub(super) async fn run(
        &self,
        script: &Script,
        fill: impl FnOnce(&mut Cmd),
    ) -> StoreResult<Value> {
        let mut connection = self.connection().await?;
        let mut command = redis::cmd("EVALSHA");
        command.arg(script.get_hash()).arg(0).arg(&self.namespace);
        fill(&mut command);
        let answer = in_time(async {
            match command.query_async(&mut connection).await {
                Err(error) if error.kind() == ErrorKind::Server(ServerErrorKind::NoScript) => {
                    script.load_async(&mut connection).await?;
                    command.query_async(&mut connection).await
                }
                answer => answer,
            }
        })
        .await;
        self.observe(answer)
    }

    /// An answer this code does not read: a bug, answered `503` like a
    /// failure of Redis rather than with a panic.
    pub(super) fn malformed<E: From<Unavailable>>(&self, script: &str) -> E {
        tracing::error!(namespace = %self.namespace, script, "unexpected answer of a Redis store script");
        E::from(Unavailable)
    }
}

/// The arguments of one script call, built before it is sent (as a part of
/// a group's call, see `groups.rs`): one buffer and where each argument
/// ends, rather than an allocation each.
#[derive(Default)]
pub(super) struct Args {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Args {
    /// Room for `count` arguments of a few bytes.
    pub(super) fn with_capacity(count: usize) -> Self {
        Args {
            bytes: Vec::with_capacity(count * 16),
            ends: Vec::with_capacity(count),
        }
    }

    /// How many arguments.
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }
}

impl RedisWrite for Args {
    fn write_arg(&mut self, arg: &[u8]) {
        self.bytes.extend_from_slice(arg);
        self.ends.push(self.bytes.len());
    }

    fn writer_for_next_arg(&mut self) -> impl std::io::Write + '_ {
        NextArg(self)
    }
}

/// Writes one argument of [`Args`], which ends when the writer is dropped.
struct NextArg<'a>(&'a mut Args);

impl std::io::Write for NextArg<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.bytes.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for NextArg<'_> {
    fn drop(&mut self) {
        self.0.ends.push(self.0.bytes.len());
    }
}

impl ToRedisArgs for Args {
    fn write_redis_args<W: ?Sized + RedisWrite>(&self, out: &mut W) {
        let mut start = 0;
        for &end in &self.ends {
            out.write_arg(self.bytes.get(start..end).unwrap_or_default());
            start = end;
        }
    }
}

/// Adds `value` to `args`, as a script invocation would.
pub(super) fn push(args: &mut Args, value: impl ToRedisArgs) {
    value.write_redis_args(args);
}

/// `answer`, or an I/O error if it takes longer than a connection attempt
/// and an answer may: a request never waits on Redis for longer.
pub(super) async fn in_time<T>(answer: impl Future<Output = RedisResult<T>>) -> RedisResult<T> {
    tokio::time::timeout(RESPONSE_TIMEOUT + CONNECT_TIMEOUT, answer)
        .await
        .unwrap_or_else(|_| {
            Err(redis::RedisError::from((
                redis::ErrorKind::Io,
                "no answer in time",
            )))
        })
}
