//! The contract every [`Store`] keeps, as test bodies that take a maker of
//! stores (each holding one account, key `k`, free plan, 10 credits, with the
//! given cap on generations): run on the in-memory store and on Redis.

use artificial_studio_types::{GenerationType, UploadedFile};

use crate::{
    faults::{Fault, FaultRule},
    ids,
    instruments::Instruments,
    journal::{RequestRecord, Target},
    outcomes::ScriptedOutcome,
    payload::PayloadJson,
};

use super::*;

/// A new generation of `owner`, running, without webhook.
pub fn generation(owner: &Arc<str>) -> NewGeneration {
    NewGeneration {
        owner: owner.clone(),
        id: ids::object_id(),
        status: GenerationStatus::Processing,
        tool: "create-image".into(),
        type_: GenerationType::Image,
        payload: PayloadJson::of(&Default::default()),
        created_at: ids::now(),
        webhook: None,
    }
}

/// The balance of account `id`.
async fn credits(store: &dyn Store, id: &str) -> u64 {
    store.account(id).await.unwrap().unwrap().credits
}

/// The JSON the polling endpoint would send.
async fn polled(store: &dyn Store, id: &str) -> serde_json::Value {
    let found = store.generation_json(id).await.unwrap().unwrap();
    serde_json::from_slice(&found.body.unwrap()).unwrap()
}

/// A run at speed 0 through the in-memory store's one step, or through
/// the trait's default made of the other methods: the same ends.
pub async fn an_instant_run_ends_alike_in_one_step_or_in_steps(
    make: impl Fn(usize) -> Arc<dyn Store>,
) {
    for in_steps in [false, true] {
        let owned = make(10);
        let store = &*owned;
        let caller = store.authenticate("k").await.unwrap().unwrap();
        let scripted = &Outcomes::default();
        let success = || Outcome::Success {
            output: "http://x/outputs/a.png".to_string(),
            thumbnail: None,
        };
        let run = |stored, cost| async move {
            if in_steps {
                super::create_finished_in_steps(store, stored, cost, success(), scripted).await
            } else {
                store
                    .create_finished_generation(stored, cost, success(), scripted)
                    .await
            }
        };
        let credits = || async {
            store
                .account(&caller.account_id)
                .await
                .unwrap()
                .unwrap()
                .credits
        };
        // Success: paid, stored ended, with its output.
        let stored = generation(&caller.account_id);
        let id = stored.id.clone();
        let finished = run(stored, 4).await.unwrap().unwrap();
        assert_eq!(finished.status, GenerationStatus::Success, "{in_steps}");
        assert_eq!(polled(store, &id).await["output"], "http://x/outputs/a.png");
        assert_eq!(credits().await, 6);
        // A scripted failure: refused runs leave it, the next run uses it up.
        scripted.add(ScriptedOutcome {
            tool: "create-image".into(),
            error: "boom".into(),
            count: 1,
        });
        let refused = run(generation(&caller.account_id), 99).await;
        assert!(matches!(refused, Err(CreateError::InsufficientCredits)));
        let stored = generation(&caller.account_id);
        let id = stored.id.clone();
        let finished = run(stored, 4).await.unwrap().unwrap();
        assert_eq!(finished.status, GenerationStatus::Error, "{in_steps}");
        assert_eq!(polled(store, &id).await["error"], "boom");
        assert_eq!(credits().await, 6, "refunded");
    }
}

pub async fn the_json_of_a_generation_follows_every_change(make: impl Fn(usize) -> Arc<dyn Store>) {
    let store = make(10);
    let store = &*store;
    let caller = store.authenticate("k").await.unwrap().unwrap();
    let stored = generation(&caller.account_id);
    let id = stored.id.clone();
    store.create_generation(stored, 1).await.unwrap();
    assert_eq!(polled(store, &id).await["status"], "processing");
    assert_eq!(polled(store, &id).await["status"], "processing");
    store
        .set_status(&id, GenerationStatus::Uploading)
        .await
        .unwrap();
    assert_eq!(polled(store, &id).await["status"], "uploading");
    let output = "http://x/outputs/a.png".to_string();
    store
        .finish_generation(
            &id,
            Outcome::Success {
                output: output.clone(),
                thumbnail: None,
            },
        )
        .await
        .unwrap()
        .unwrap();
    let body = polled(store, &id).await;
    assert_eq!(
        (body["status"].as_str(), body["output"].as_str()),
        (Some("success"), Some(output.as_str()))
    );
    let found = store.generation_json(&id).await.unwrap().unwrap();
    assert_eq!(found.owner, caller.account_id);
    // The same bytes as serializing the generation itself.
    let direct = store.generation(&id).await.unwrap().unwrap();
    assert_eq!(body, serde_json::to_value(&direct.generation).unwrap());
    assert!(store.generation_json("nope").await.unwrap().is_none());
}

pub async fn debit_refuses_to_go_below_zero_and_error_refunds(
    make: impl Fn(usize) -> Arc<dyn Store>,
) {
    let store = make(10);
    let caller = store.authenticate("k").await.unwrap().unwrap();
    let first = generation(&caller.account_id);
    let id = first.id.clone();
    assert_eq!(store.create_generation(first, 6).await, Ok(()));
    assert_eq!(
        store
            .create_generation(generation(&caller.account_id), 6)
            .await,
        Err(CreateError::InsufficientCredits)
    );
    assert_eq!(credits(&*store, &caller.account_id).await, 4);
    store
        .finish_generation(&id, Outcome::Error("no".into()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(credits(&*store, &caller.account_id).await, 10);
    // A final generation is never finished twice (no double refund).
    assert!(
        store
            .finish_generation(&id, Outcome::Error("no".into()))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(credits(&*store, &caller.account_id).await, 10);
}

pub async fn eviction_drops_the_oldest_finished_generation_and_never_a_running_one(
    make: impl Fn(usize) -> Arc<dyn Store>,
) {
    let store = make(2);
    let caller = store.authenticate("k").await.unwrap().unwrap();
    let ids: Vec<String> = (0..3).map(|_| ids::object_id()).collect();
    for id in &ids[..2] {
        let mut g = generation(&caller.account_id);
        g.id = id.clone();
        store.create_generation(g, 0).await.unwrap();
    }
    let success = Outcome::Success {
        output: "o".into(),
        thumbnail: None,
    };
    store
        .finish_generation(&ids[1], success)
        .await
        .unwrap()
        .unwrap();
    let mut third = generation(&caller.account_id);
    third.id = ids[2].clone();
    store.create_generation(third, 0).await.unwrap();
    assert!(
        store.generation(&ids[0]).await.unwrap().is_some(),
        "running one kept"
    );
    assert!(
        store.generation(&ids[1]).await.unwrap().is_none(),
        "finished one evicted"
    );
    let page = store
        .list_generations(
            &caller.account_id,
            ListQuery {
                limit: 10,
                offset: 0,
                status: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(page.total, 2);
}

pub async fn accounts_uploads_listing_and_reset(make: impl Fn(usize) -> Arc<dyn Store>) {
    let store = make(10);
    let caller = store.authenticate("k").await.unwrap().unwrap();
    assert_eq!(caller.plan, Plan::Free);
    assert!(store.authenticate("nope").await.unwrap().is_none());
    // Accounts: a new key, a duplicate refused, a change, all listed.
    let made = store
        .create_account(AccountConfig::new("k2", Plan::Pro, 5))
        .await
        .unwrap();
    assert_eq!((made.key.as_str(), made.account.credits), ("k2", 5));
    assert!(matches!(
        store
            .create_account(AccountConfig::new("k2", Plan::Pro, 5))
            .await,
        Err(Error::DuplicateKey(_))
    ));
    let changed = store
        .update_account(
            "k2",
            AccountPatch {
                credits: Some(7),
                plan: Some(Plan::Free),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (changed.account.credits, changed.account.plan),
        (7, Plan::Free)
    );
    assert!(matches!(
        store.update_account("zz", AccountPatch::default()).await,
        Err(Error::UnknownKey(_))
    ));
    let keys: Vec<String> = store
        .accounts()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.key)
        .collect();
    assert_eq!(keys, ["k", "k2"]);
    // Listing: newest first, paged, filtered by status.
    let mut made = Vec::new();
    for _ in 0..3 {
        let g = generation(&caller.account_id);
        made.push(g.id.clone());
        store.create_generation(g, 1).await.unwrap();
    }
    let success = Outcome::Success {
        output: "o".into(),
        thumbnail: None,
    };
    store.finish_generation(&made[1], success).await.unwrap();
    let query = |offset, limit, status| ListQuery {
        offset,
        limit,
        status,
    };
    let page = store
        .list_generations(&caller.account_id, query(1, 1, None))
        .await
        .unwrap();
    assert_eq!(page.total, 3);
    assert_eq!(page.data[0].id, made[1]);
    let running = store
        .list_generations(
            &caller.account_id,
            query(0, 10, Some(GenerationStatus::Processing)),
        )
        .await
        .unwrap();
    let ids: Vec<&str> = running.data.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(
        (running.total, ids),
        (2, vec![made[2].as_str(), made[0].as_str()])
    );
    // Uploads keep their bytes.
    let file = UploadedFile {
        id: ids::object_id(),
        url: "http://x/files/a/a.txt".into(),
        type_: None,
        created_at: None,
        mimetype: Some("text/plain".into()),
        size: Some(3),
        original_name: None,
    };
    store
        .put_upload(StoredUpload {
            file: file.clone(),
            owner: caller.account_id.clone(),
            content_type: "text/plain".into(),
            filename: "a.txt".into(),
            bytes: bytes::Bytes::from_static(b"abc"),
            transient: false,
        })
        .await
        .unwrap();
    let upload = store.upload(&file.id).await.unwrap().unwrap();
    assert_eq!(
        (&upload.bytes[..], upload.filename.as_str()),
        (&b"abc"[..], "a.txt")
    );
    assert!(store.upload("nope").await.unwrap().is_none());
    // A reset: the starting accounts and balances, nothing else.
    store.reset().await.unwrap();
    let after = store.authenticate("k").await.unwrap().unwrap();
    assert_eq!(after.account_id, caller.account_id, "a seed keeps its id");
    assert_eq!(credits(&*store, &after.account_id).await, 10);
    assert!(store.authenticate("k2").await.unwrap().is_none());
    assert!(store.generation(&made[0]).await.unwrap().is_none());
    assert!(store.upload(&file.id).await.unwrap().is_none());
}

/// The sandbox's instruments that go with a store (in this process, or on
/// the store): a counted fault rule hits that many matching requests, the
/// journal keeps its capacity, numbered, an outcome scripted there ends the
/// next paid run (a refused run leaves it), and a reset empties them.
pub async fn the_instruments_that_go_with_a_store_count_bound_and_reset(
    make: impl Fn(usize) -> Arc<dyn Store>,
) {
    let store = make(10);
    let instruments = Instruments::of(&*store, 2);
    let take = |method: &'static str, path: &'static str| {
        let instruments = &instruments;
        async move { instruments.take_fault(method, path).await.unwrap() }
    };
    let rule = FaultRule::new(Fault::Status(503), "POST /api/run").times(2);
    let added = instruments.add_fault(rule).await.unwrap();
    assert_eq!((added.id > 0, added.count), (true, Some(2)));
    assert_eq!(take("GET", "/api/run").await, None);
    assert_eq!(take("POST", "/api/run").await, Some(Fault::Status(503)));
    assert_eq!(instruments.fault_rules().await.unwrap()[0].count, Some(1));
    assert_eq!(take("post", "/api/run/").await, Some(Fault::Status(503)));
    assert_eq!(take("POST", "/api/run").await, None);
    assert!(instruments.fault_rules().await.unwrap().is_empty());
    let one_segment = FaultRule::new(Fault::Reset, "/api/generations/{id}");
    instruments.add_fault(one_segment).await.unwrap();
    let never = FaultRule {
        probability: Some(0.0),
        ..FaultRule::new(Fault::Html502, "/api/*")
    };
    instruments.add_fault(never).await.unwrap();
    assert_eq!(take("GET", "/api/generations").await, None);
    assert_eq!(
        take("GET", "/api/generations/abc").await,
        Some(Fault::Reset)
    );
    assert_eq!(take("GET", "/api/tools/x").await, None);
    let listed = instruments.fault_rules().await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[1].probability, Some(0.0));
    assert_eq!(listed[1].route.as_deref(), Some("/api/*"));
    instruments.clear_faults().await.unwrap();
    assert_eq!(take("GET", "/api/generations/abc").await, None);

    let records: Vec<RequestRecord> = ["/a", "/b", "/c"]
        .into_iter()
        .enumerate()
        .map(|(i, path)| RequestRecord {
            time: ids::now(),
            request_id: ids::RequestId::random(),
            method: http::Method::GET,
            target: Target::new(path, Some("x=1")),
            status: 200 + i as u16,
            account_id: (i == 2).then(|| "acc_1".into()),
            fault: (i == 2).then(|| "delay=100".to_string()),
            duration_ms: 1.5 + i as f64,
        })
        .collect();
    for record in &records {
        instruments.record(record.clone()).await;
    }
    // Every field comes back as it was recorded, the oldest dropped.
    assert_eq!(
        instruments.journal_entries().await.unwrap(),
        [records[1].entry(2), records[2].entry(3)]
    );
    assert_eq!(instruments.journal_count().await, 2);

    let caller = store.authenticate("k").await.unwrap().unwrap();
    let success = || Outcome::Success {
        output: "http://x/outputs/a.png".to_string(),
        thumbnail: None,
    };
    let run = |cost| {
        store.create_finished_generation(
            generation(&caller.account_id),
            cost,
            success(),
            &instruments.outcomes,
        )
    };
    let boom = ScriptedOutcome {
        tool: "create-image".into(),
        error: "boom".into(),
        count: 1,
    };
    instruments.add_outcome(boom.clone()).await.unwrap();
    assert!(matches!(
        run(99).await,
        Err(CreateError::InsufficientCredits)
    ));
    let ended = run(4).await.unwrap().unwrap();
    assert_eq!(ended.status, GenerationStatus::Error);
    let ended = run(4).await.unwrap().unwrap();
    assert_eq!(ended.status, GenerationStatus::Success);

    instruments.add_outcome(boom).await.unwrap();
    instruments
        .add_fault(FaultRule::new(Fault::Status(500), "/api/tools"))
        .await
        .unwrap();
    instruments.reset().await.unwrap();
    assert!(instruments.journal_entries().await.unwrap().is_empty());
    assert!(instruments.fault_rules().await.unwrap().is_empty());
    let ended = run(1).await.unwrap().unwrap();
    assert_eq!(ended.status, GenerationStatus::Success);
}

/// The tests of the contract, for a store: `$env` is made first and kept
/// (a Redis server, say), `$maker(&env)` makes the stores.
macro_rules! for_store {
    ($env:expr, $maker:path) => {
        #[tokio::test]
        async fn an_instant_run_ends_alike_in_one_step_or_in_steps() {
            let env = $env;
            $crate::store::contract_tests::an_instant_run_ends_alike_in_one_step_or_in_steps(
                $maker(&env),
            )
            .await;
        }

        #[tokio::test]
        async fn the_json_of_a_generation_follows_every_change() {
            let env = $env;
            $crate::store::contract_tests::the_json_of_a_generation_follows_every_change(
                $maker(&env),
            )
            .await;
        }

        #[tokio::test]
        async fn debit_refuses_to_go_below_zero_and_error_refunds() {
            let env = $env;
            $crate::store::contract_tests::debit_refuses_to_go_below_zero_and_error_refunds(
                $maker(&env),
            )
            .await;
        }

        #[tokio::test]
        async fn eviction_drops_the_oldest_finished_generation_and_never_a_running_one() {
            let env = $env;
            $crate::store::contract_tests::eviction_drops_the_oldest_finished_generation_and_never_a_running_one(
                $maker(&env),
            )
            .await;
        }

        #[tokio::test]
        async fn accounts_uploads_listing_and_reset() {
            let env = $env;
            $crate::store::contract_tests::accounts_uploads_listing_and_reset($maker(&env)).await;
        }

        #[tokio::test]
        async fn the_instruments_that_go_with_a_store_count_bound_and_reset() {
            let env = $env;
            $crate::store::contract_tests::the_instruments_that_go_with_a_store_count_bound_and_reset(
                $maker(&env),
            )
            .await;
        }
    };
}
pub(crate) use for_store;
