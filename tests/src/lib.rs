//! The workspace's end-to-end suite. The tests live in `tests/e2e/` (one test
//! binary); this library is empty.
//!
//! Every test starts the **`astudio-mock` binary as a separate process**
//! (`--port 0`, base URL read from its first stdout line, stdout and stderr
//! drained, killed on drop, and failing the test if it printed a panic), then
//! drives it with the `artificial-studio` library, the `astudio` binary and
//! raw HTTP. No state is shared between tests.
//!
//! | file | what it proves |
//! |---|---|
//! | `harness.rs` | how the binaries are built and found (escargot, see there), the process wrapper, admin API helpers |
//! | `happy_path.rs` | every endpoint: run, wait through each status, list across pages, get, tools, tool, search, account, upload then run with its URL, download of every output type |
//! | `webhooks.rs` | a webhook to a receiver in the test, with the documented headers and payload; a retried delivery after a 500 |
//! | `error_table.rs` | every row of the seed's table from real state (no credits, another account's generation, unknown tool/model/id/route, rate limits by exceeding the plan's numbers) and from injected 500/502/503: status, exact message, typed error |
//! | `retries.rs` | retries counted in the server's journal: 503 then 200 is two requests, a 500 or 502 on `POST /api/run` is one |
//! | `faults.rs` | the client against every injectable fault (reset mid-body, empty 500, HTML 502, 429, latency beyond the timeout): the right typed error within a bound on the configured time |
//! | `bad_input.rs` | proptest: arbitrary JSON and bytes as bodies, paths, queries, methods and headers get a success or a contract error, never a 5xx, a non-JSON error, a hang or a panic |
//! | `slow_clients.rs` | clients stalling mid-headers or mid-body are cut off by the server's timeout while others are served |
//! | `load.rs` | ~20 000 mixed requests from 64 tasks with rate limits, faults and scripted failures; then the books: nothing unanswered, no uninjected 5xx, every generation final, credits balance per account |
//! | `cli.rs` | the `astudio` binary against the mock process: happy path and exit codes |
//!
//! Run it alone with `cargo nextest run -p e2e`; `cargo xtask ci` runs it with
//! the rest of the workspace.
