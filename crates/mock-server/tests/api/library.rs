//! The library surface: start inside `#[tokio::test]`, and stop on drop.

use std::time::Duration;

use artificial_studio_mock::{AccountConfig, DEMO_KEYS, Fault, FaultRule, MockServer};
use artificial_studio_types::Plan;

#[tokio::test]
async fn library_start_works_inside_a_current_thread_tokio_test() {
    let server = MockServer::start().await.unwrap();
    let base = server.base_url();
    assert!(
        base.starts_with("http://127.0.0.1:") && !base.ends_with('/'),
        "{base}"
    );
    let response = reqwest::Client::new()
        .get(format!("{base}/api/account"))
        .header("Authorization", server.demo_keys().free)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.demo_keys(), DEMO_KEYS);
    assert_eq!(DEMO_KEYS.empty, "demo-empty-key");
}

/// How fast a start is belongs to `cargo xtask bench` (its cold-start case),
/// not to a test that shares the cores with the rest of the suite: here, many
/// servers started at once each get a port of their own and answer.
#[tokio::test]
async fn servers_started_together_each_listen_on_their_own_port_and_answer() {
    let servers: Vec<_> = futures::future::join_all((0..10).map(|_| MockServer::start()))
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let ports: std::collections::BTreeSet<_> = servers.iter().map(|s| s.addr().port()).collect();
    assert_eq!(ports.len(), servers.len(), "one port per server");
    let http = reqwest::Client::new();
    for server in &servers {
        let response = http
            .get(format!("{}/api/account", server.base_url()))
            .header("Authorization", server.demo_keys().free)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{}", server.base_url());
    }
}

#[tokio::test]
async fn dropping_the_handle_shuts_the_server_down() {
    let server = MockServer::start().await.unwrap();
    let addr = server.addr();
    drop(server);
    let mut refused = false;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(refused, "the port is closed after drop");
}

#[tokio::test]
async fn shutdown_lets_a_request_in_flight_finish() {
    let server = MockServer::start().await.unwrap();
    // A fault rule used up by its first request: once the rule is gone, the
    // request has passed the gate and is in its handler's delay, in flight.
    server
        .inject_fault(FaultRule::new(Fault::Delay(1500), "GET /api/tools").times(1))
        .await
        .unwrap();
    let base = server.base_url();
    let url = format!("{base}/api/tools");
    let request = tokio::spawn(async move {
        reqwest::Client::new()
            .get(url)
            .header("Authorization", "demo-free-key")
            .send()
            .await
            .map(|r| r.status().as_u16())
    });
    let http = reqwest::Client::new();
    let mut in_flight = false;
    for _ in 0..1000 {
        let faults = json_of(http.get(format!("{base}/__mock/faults"))).await;
        if faults["data"].as_array().is_some_and(Vec::is_empty) {
            in_flight = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(in_flight, "the request never reached the server");
    server.shutdown().await;
    assert_eq!(request.await.unwrap().unwrap(), 200);
}

#[tokio::test]
async fn accounts_given_in_code_replace_the_demo_keys() {
    let server = MockServer::builder()
        .account(AccountConfig::new("team-a", Plan::Pro, 42))
        .start()
        .await
        .unwrap();
    assert_eq!(server.credits("team-a").await.unwrap(), 42);
    assert!(server.credits("demo-free-key").await.is_err());
    assert!(server.set_credits("nobody", 1).await.is_err());
}

#[tokio::test]
async fn bad_catalog_or_accounts_files_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("catalog.yaml");
    std::fs::write(&catalog, "tools: []\n").unwrap();
    let err = MockServer::builder()
        .catalog_file(&catalog)
        .start()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no tools"), "{err}");
    let accounts = dir.path().join("accounts.toml");
    std::fs::write(&accounts, "[[accounts]]\nkey = 3\n").unwrap();
    let err = MockServer::builder()
        .accounts_file(&accounts)
        .start()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("accounts.toml"), "{err}");
    let missing = MockServer::builder()
        .accounts_file(dir.path().join("nope.toml"))
        .start()
        .await;
    assert!(missing.is_err());
}

#[tokio::test]
async fn two_servers_sharing_one_store_act_as_one_service() {
    use artificial_studio_mock::{MemoryStoreOptions, SharedStore, demo_accounts};

    let store = SharedStore::memory(
        demo_accounts(),
        MemoryStoreOptions {
            rate_limits: artificial_studio_mock::RateLimits::Off,
            max_generations: 100,
        },
    );
    let a = MockServer::builder()
        .speed(0.0)
        .store(store.clone())
        .start()
        .await
        .unwrap();
    let b = MockServer::builder()
        .speed(0.0)
        .store(store)
        .start()
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let created = json_of(
        http.post(format!("{}/api/run", a.base_url()))
            .header("Authorization", "demo-free-key")
            .json(&serde_json::json!({"tool": "create-image", "input": {"prompt": "x"}})),
    )
    .await;
    let id = created["id"].as_str().unwrap();
    let seen = http
        .get(format!("{}/api/generations/{id}", b.base_url()))
        .header("Authorization", "demo-free-key")
        .send()
        .await
        .unwrap();
    assert_eq!(seen.status(), 200);
    assert_eq!(b.credits("demo-free-key").await.unwrap(), 94);
}

/// Sends `request` and reads its answer as JSON.
async fn json_of(request: reqwest::RequestBuilder) -> serde_json::Value {
    request.send().await.unwrap().json().await.unwrap()
}
