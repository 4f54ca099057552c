//! Tests of the in-memory store.

use artificial_studio_types::{Generation, Plan};

use crate::payload::PayloadJson;

use futures::executor::block_on;

use super::*;
use crate::store::contract_tests::generation;

fn store(max_generations: usize) -> MemoryStore {
    MemoryStore::new(
        vec![AccountConfig::new("k", Plan::Free, 10)],
        MemoryStoreOptions {
            rate_limits: RateLimits::Off,
            max_generations,
        },
    )
}

/// What a new generation reads back as before it ends.
fn owned(new: &NewGeneration) -> OwnedGeneration {
    OwnedGeneration {
        owner: new.owner.clone(),
        generation: Generation {
            id: new.id.clone(),
            status: new.status.clone(),
            tool: new.tool.clone(),
            type_: Some(new.type_.clone()),
            output: None,
            thumbnail: None,
            error: None,
            payload: new.payload.to_map(),
            created_at: new.created_at,
        },
        webhook: new.webhook.clone(),
    }
}

/// A generation kept packed reads back field for field, as created and
/// after it ends either way: every optional piece present or absent, a
/// payload with nesting, numbers and text outside ASCII, its fields in
/// their order.
#[test]
fn a_packed_generation_reads_back_as_it_was_stored() {
    let owner: Arc<str> = Arc::from("acc_1");
    let payload = serde_json::json!({
        "model": "seedream-4",
        "prompt": "un phare au crépuscule \"quoted\" 🌅",
        "seed": -12,
        "guidance": 0.1,
        "big": 18446744073709551615u64,
        "size": {"w": 1024, "h": null},
        "tags": ["a", 1, true],
        "empty": ""
    });
    let serde_json::Value::Object(payload) = payload else {
        unreachable!("a JSON object literal");
    };
    let mut new = generation(&owner);
    new.payload = PayloadJson::of(&payload);
    new.webhook = Some("https://hooks.example.com/a?b=c".into());
    let success = Outcome::Success {
        output: "http://127.0.0.1:1/outputs/x.png".into(),
        thumbnail: Some("http://127.0.0.1:1/thumbnails/x.png".into()),
    };
    let failure = Outcome::Error(String::new());
    let plain = generation(&owner);
    for (new, outcome) in [
        (new.clone(), None),
        (new, Some(success)),
        (plain.clone(), Some(failure)),
        (plain, None),
    ] {
        let mut expected = owned(&new);
        match &outcome {
            Some(Outcome::Success { output, thumbnail }) => {
                expected.generation.status = GenerationStatus::Success;
                expected.generation.output = Some(output.clone());
                expected.generation.thumbnail = thumbnail.clone();
            }
            Some(Outcome::Error(message)) => {
                expected.generation.status = GenerationStatus::Error;
                expected.generation.error = Some(message.clone());
            }
            None => {}
        }
        let id = new.id.clone();
        // Ended as it is stored, or stored and ended later: the same.
        let at_once = Entry::new(new.clone(), 3, outcome.as_ref());
        let mut later = Entry::new(new, 3, None);
        if let Some(outcome) = &outcome {
            later.finish(outcome);
        }
        for entry in [at_once, later] {
            let back = entry.owned(&id);
            assert_eq!(back.generation, expected.generation);
            assert_eq!(back.webhook, expected.webhook);
            assert_eq!(back.owner, expected.owner);
            let keys: Vec<_> = back.generation.payload.keys().collect();
            let expected: Vec<_> = expected.generation.payload.keys().collect();
            assert_eq!(keys, expected, "the payload keeps its order");
        }
    }
}

/// Ids the server makes are kept as 12 bytes and read back the same; any
/// other text (upper case, another length, not hex) is kept as it is.
#[test]
fn keys_keep_every_id_exactly() {
    let made = ids::object_id();
    assert!(matches!(Key::of(&made), Key::Hex(_)));
    for id in [
        made.as_str(),
        "000000000000000000000000",
        "ffffffffffffffffffffffff",
        "6B0C9A567FA94B8F371B5B54",
        "6b0c9a567fa94b8f371b5b5",
        "6b0c9a567fa94b8f371b5b5g",
        "",
        "é",
    ] {
        assert_eq!(Key::of(id).id(), id);
    }
    assert!(Key::of("6B0C9A567FA94B8F371B5B54") != Key::of("6b0c9a567fa94b8f371b5b54"));
}

/// Reaching the cap sizes the id table once for the churn at the cap;
/// any number of runs after that neither grows it nor loses a generation.
#[tokio::test]
async fn the_id_table_stops_growing_at_the_cap() {
    let cap = 1000;
    let store = MemoryStore::new(
        vec![AccountConfig::new("k", Plan::Pro, 1_000_000)],
        MemoryStoreOptions {
            rate_limits: RateLimits::Off,
            max_generations: cap,
        },
    );
    let caller = store.authenticate("k").await.unwrap().unwrap();
    let success = || Outcome::Success {
        output: "o".into(),
        thumbnail: None,
    };
    for _ in 0..cap {
        store
            .create_finished_generation(
                generation(&caller.account_id),
                1,
                success(),
                &Outcomes::default(),
            )
            .await
            .unwrap();
    }
    let at_cap = store.generations.read().by_id.capacity();
    assert!(at_cap >= 2 * cap, "{at_cap}");
    let mut last = String::new();
    for _ in 0..20 * cap {
        let stored = generation(&caller.account_id);
        last = stored.id.clone();
        store
            .create_finished_generation(stored, 1, success(), &Outcomes::default())
            .await
            .unwrap();
    }
    {
        let generations = store.generations.read();
        // `capacity()` is items plus room left, and tombstones take room
        // until the table cleans them, so it moves below `at_cap`; a
        // doubled table would read about twice it.
        assert!(generations.by_id.capacity() <= at_cap);
        assert_eq!(generations.by_id.len(), cap);
        assert_eq!(generations.order.len(), cap);
        let owned = &generations.by_owner[&caller.account_id];
        assert_eq!(owned.len(), cap, "the owner's list follows evictions");
        assert!(owned.iter().eq(generations.order.iter()));
    }
    assert!(store.generation(&last).await.unwrap().is_some());
}

/// The contract every store keeps, on the in-memory one.
mod contract {
    use super::*;

    fn maker(_: &()) -> impl Fn(usize) -> Arc<dyn Store> {
        |max_generations| Arc::new(store(max_generations))
    }

    crate::store::contract_tests::for_store!((), maker);
}

fn owner_of(store: &MemoryStore) -> Arc<str> {
    let accounts = block_on(store.accounts()).unwrap();
    Arc::from(accounts[0].account.id.as_str())
}

/// A snapshot read back into a new store gives the same accounts (ids and
/// balances), the same generations in the same order, and the running ones
/// to resume.
#[test]
fn a_restored_snapshot_is_the_same_store_with_its_running_generations() {
    let store = store(10).with_snapshots();
    let owner = owner_of(&store);
    let ended = generation(&owner);
    let running = generation(&owner);
    block_on(store.create_generation(ended.clone(), 3)).unwrap();
    block_on(store.finish_generation(&ended.id, Outcome::Error("no".into()))).unwrap();
    block_on(store.create_generation(running.clone(), 4)).unwrap();
    assert!(store.has_changed());
    let snapshot = store.snapshot();
    assert!(!store.has_changed(), "a snapshot marks the store unchanged");

    let (back, resumable) = MemoryStore::restored(
        vec![AccountConfig::new("k", Plan::Free, 10)],
        MemoryStoreOptions {
            rate_limits: RateLimits::Off,
            max_generations: 10,
        },
        snapshot.clone(),
    )
    .unwrap();
    assert_eq!(block_on(back.accounts()), block_on(store.accounts()));
    assert_eq!(
        block_on(back.accounts()).unwrap()[0].account.credits,
        10 - 4
    );
    assert_eq!(back.snapshot().generations, snapshot.generations);
    let ids: Vec<&str> = resumable.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, [running.id.as_str()]);
    // A reset after the restart keeps the account's id.
    block_on(back.reset()).unwrap();
    assert_eq!(block_on(back.accounts()).unwrap()[0].account.id, &*owner);
}

#[test]
fn a_store_without_snapshots_never_counts_itself_changed() {
    let store = store(10);
    let owner = owner_of(&store);
    block_on(store.create_generation(generation(&owner), 1)).unwrap();
    assert!(!store.has_changed());
}
