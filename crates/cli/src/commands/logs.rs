//! `astudio logs [--follow]`: a mock server's request journal, one line per
//! request, from its admin API (`GET /__mock/journal`).

use std::time::Duration;

use artificial_studio::{Error, RawRequest};
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderValue};
use serde::Deserialize;

use crate::app::App;
use crate::render::{Paint, out, terminal};
use crate::report::Failure;

/// How often `--follow` asks for new entries.
const FOLLOW_INTERVAL: Duration = Duration::from_millis(500);

/// One journal entry, read tolerantly: every field may be missing.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Entry {
    seq: u64,
    time: String,
    request_id: Option<String>,
    method: String,
    path: String,
    query: Option<String>,
    status: u16,
    fault: Option<String>,
    duration_ms: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Journal {
    data: Vec<serde_json::Value>,
}

impl App {
    /// `astudio logs`: prints the journal, then with `follow` new entries as
    /// they come, until interrupted.
    pub(crate) async fn logs(
        &self,
        follow: bool,
        admin_token: Option<&str>,
    ) -> Result<(), Failure> {
        let mut last = None;
        // On a terminal, a header row above the first line, as the tables
        // have; into a pipe, lines only.
        let mut header = !self.global.json && terminal().width.is_some();
        loop {
            let entries = self.journal(admin_token).await?;
            for raw in entries {
                let entry: Entry = serde_json::from_value(raw.clone()).unwrap_or_default();
                if last.is_some_and(|seq| entry.seq <= seq) {
                    continue;
                }
                last = Some(entry.seq);
                if self.global.json {
                    self.print_json(&raw)?;
                } else {
                    if std::mem::take(&mut header) {
                        out(header_row(entry.time.chars().count()));
                    }
                    out(line(&entry, terminal().color));
                }
            }
            if !follow {
                return Ok(());
            }
            tokio::time::sleep(FOLLOW_INTERVAL).await;
        }
    }

    async fn journal(&self, admin_token: Option<&str>) -> Result<Vec<serde_json::Value>, Failure> {
        let mut headers = HeaderMap::new();
        if let Some(token) = admin_token {
            let value = HeaderValue::from_str(token)
                .map_err(|_| Failure::Usage("--admin-token is not a header value".into(), None))?;
            headers.insert("x-admin-token", value);
        }
        let not_a_mock = || {
            Failure::Usage(
                format!(
                    "{} is not an astudio-mock server: it has no request journal (/__mock/journal)",
                    self.client.base_url()
                ),
                Some(
                    "logs read a mock server's journal: pass --base-url of one, or use --mock"
                        .into(),
                ),
            )
        };
        let request = RawRequest::new(Method::GET, "__mock/journal").headers(headers);
        let answer = match self.client.send_raw(request).await {
            Ok(answer) => answer,
            Err(Error::Api {
                status: 404 | 405, ..
            }) => return Err(not_a_mock()),
            Err(err) => return Err(err.into()),
        };
        let journal: Journal = answer
            .json()
            .ok()
            .and_then(|v| serde_json::from_value(v).ok())
            .ok_or_else(not_a_mock)?;
        Ok(journal.data)
    }
}

/// The names of [`line`]'s columns, the time's padded to `time_width` so
/// that the method's column lines up under its name.
fn header_row(time_width: usize) -> String {
    format!(
        "{:<time_width$}  {:<6} PATH  STATUS  TOOK  REQUEST ID\n",
        "TIME", "METHOD"
    )
}

/// One entry as a line: time, method, path and query, status, duration,
/// request id, and the fault that answered, if any; the status coloured by
/// its class and the request id dim when `color`.
fn line(e: &Entry, color: bool) -> String {
    let target = match e.query.as_deref().filter(|q| !q.is_empty()) {
        Some(q) => format!("{}?{q}", e.path),
        None => e.path.clone(),
    };
    let took = e
        .duration_ms
        .map(|ms| format!("{ms:.1}ms"))
        .unwrap_or_else(|| "-".into());
    let mut text = format!(
        "{}  {:<6} {}  {}  {took}  {}",
        e.time,
        e.method,
        target,
        Paint::of_http(e.status).paint(&e.status.to_string(), color),
        Paint::Id.paint(e.request_id.as_deref().unwrap_or("-"), color)
    );
    if let Some(fault) = &e.fault {
        text.push_str(&format!("  fault={fault}"));
    }
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_one_line_with_its_query_and_fault() {
        let e = Entry {
            seq: 1,
            time: "2026-12-03T12:00:00Z".into(),
            request_id: Some("req_1".into()),
            method: "GET".into(),
            path: "/api/generations".into(),
            query: Some("limit=5".into()),
            status: 503,
            fault: Some("unavailable".into()),
            duration_ms: Some(0.25),
        };
        assert!(line(&e, true).contains("\u{1b}[38;5;1m503\u{1b}[0m"));
        assert_eq!(
            line(&e, false),
            "2026-12-03T12:00:00Z  GET    /api/generations?limit=5  503  0.2ms  req_1  fault=unavailable\n"
        );
    }

    #[test]
    fn the_header_names_the_columns_above_the_method_column() {
        let header = header_row("2026-12-03T12:00:00Z".len());
        assert_eq!(
            header,
            "TIME                  METHOD PATH  STATUS  TOOK  REQUEST ID\n"
        );
        let e = Entry {
            time: "2026-12-03T12:00:00Z".into(),
            method: "GET".into(),
            ..Entry::default()
        };
        assert_eq!(header.find("METHOD"), line(&e, false).find("GET"));
    }
}
