//! Every endpoint's happy path, through the library, against the binary.

use std::sync::{Arc, Mutex};

use artificial_studio::{
    FileUpload, ListParams,
    types::{CostUnit, GenerationStatus, GenerationType, Plan, UploadedFileType},
};
use futures::TryStreamExt;
use serde_json::json;

use crate::harness::*;

/// A small valid PNG, made here so the test does not depend on the mock's own.
fn png_bytes(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    let pixels: Vec<u8> = (0..width * height * 3).map(|i| (i % 251) as u8).collect();
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    out
}

/// Width and height of a PNG, failing the test if it does not decode.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    (frame.width, frame.height)
}

#[tokio::test]
async fn a_run_goes_through_every_status_and_its_output_downloads_as_a_valid_png() {
    // Scaled to 500 ms pending, 1 s processing, 750 ms uploading: long enough
    // for 5 ms polls to see each status, even on a busy machine.
    let mock = Mock::start(&[
        "--speed",
        "0.5",
        "--pending-ms",
        "1000",
        "--uploading-ms",
        "1500",
        "--rate-limit",
        "off",
    ]);
    let client = mock.client(PRO);
    let before = client.account().await.unwrap();
    let cost = client.tool("create-image").await.unwrap().models[0]
        .cost
        .unwrap() as u64;

    let started = client
        .run(
            "create-image",
            json!({"prompt": "a lighthouse at dusk"}),
            None,
        )
        .await
        .unwrap();
    assert_eq!(started.status, GenerationStatus::Pending);
    assert_eq!(started.tool.as_deref(), Some("create-image"));
    assert!(
        started.id.len() == 24 && started.id.chars().all(|c| c.is_ascii_hexdigit()),
        "{}",
        started.id
    );

    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let options = fast_polls().on_status(move |update| {
        log.lock().unwrap().push(update.generation.status.clone());
    });
    let finished = client.wait(&started.id, options).await.unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [
            GenerationStatus::Pending,
            GenerationStatus::Processing,
            GenerationStatus::Uploading,
            GenerationStatus::Success,
        ]
    );
    assert_eq!(finished.type_, Some(GenerationType::Image));
    assert_eq!(finished.error, None);
    assert_eq!(finished.payload["prompt"], "a lighthouse at dusk");
    assert_eq!(
        finished.payload["model"], "seedream-4",
        "the default model is recorded"
    );
    assert_eq!(client.generation(&started.id).await.unwrap(), finished);

    let after = client.account().await.unwrap();
    assert_eq!(after.credits, before.credits - cost);
    assert_eq!(cost, 6, "seedream-4 costs the published 6 credits");

    let mut image = Vec::new();
    let written = client.download(&finished, &mut image).await.unwrap();
    assert_eq!(written, image.len() as u64);
    assert_eq!(
        png_size(&image),
        (1024, 1024),
        "seedream-4's default image_size, square_hd"
    );
    let output = finished.output.as_deref().unwrap();
    assert!(
        output.starts_with(&mock.base),
        "{output} is served by the mock"
    );
    let raw = Answer::of(mock.http.get(output)).await;
    assert_eq!(raw.status, 200);
    assert_eq!(
        raw.bytes.as_ref(),
        image.as_slice(),
        "the same bytes as a plain GET"
    );

    let mut thumbnail = Vec::new();
    client
        .download_url(finished.thumbnail.as_deref().unwrap(), &mut thumbnail)
        .await
        .unwrap();
    png_size(&thumbnail);
}

#[tokio::test]
async fn every_output_type_downloads_as_a_file_of_its_format() {
    let mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    let client = mock.client(PRO);
    let image = client
        .upload_file(FileUpload::bytes(png_bytes(4, 4), "in.png"))
        .await
        .unwrap();
    let runs = [
        (
            "create-image",
            json!({"prompt": "a fox"}),
            GenerationType::Image,
        ),
        (
            "text-to-speech",
            json!({"prompt": "Hello there", "voice": "nova"}),
            GenerationType::Audio,
        ),
        (
            "create-video",
            json!({"prompt": "waves"}),
            GenerationType::Video,
        ),
        (
            "text-to-3d",
            json!({"prompt": "a teapot"}),
            GenerationType::Object,
        ),
        (
            "image-to-text",
            json!({"image_urls": [image.url]}),
            GenerationType::Text,
        ),
    ];
    for (tool, input, kind) in runs {
        let generation = client
            .run_and_wait(tool, input, fast_polls())
            .await
            .unwrap();
        assert_eq!(generation.status, GenerationStatus::Success, "{tool}");
        assert_eq!(generation.type_.as_ref(), Some(&kind), "{tool}");
        let mut file = Vec::new();
        client.download(&generation, &mut file).await.unwrap();
        match kind {
            GenerationType::Image => assert_eq!(png_size(&file), (1024, 1024), "{tool}"),
            GenerationType::Audio => {
                assert!(
                    file.starts_with(b"RIFF") && &file[8..12] == b"WAVE",
                    "{tool}"
                );
                assert_eq!(generation.thumbnail, None, "audio has no thumbnail");
            }
            GenerationType::Video => assert_eq!(&file[4..8], b"ftyp", "{tool} is an MP4"),
            GenerationType::Object => assert!(file.starts_with(b"glTF"), "{tool} is a GLB"),
            GenerationType::Text => {
                let text = String::from_utf8(file).unwrap();
                assert!(!text.trim().is_empty(), "{tool}");
            }
            GenerationType::Unknown(other) => {
                panic!("{tool}: the mock made an unknown type {other}")
            }
        }
    }
}

#[tokio::test]
async fn listing_walks_every_page_newest_first_and_each_generation_reads_back() {
    let mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    let client = mock.client(PRO);
    mock.fail_next("create-image", "NSFW content detected", 2)
        .await;
    let mut created = Vec::new();
    for n in 0..7 {
        let started = client
            .run("create-image", json!({"prompt": format!("fox {n}")}), None)
            .await
            .unwrap();
        created.push(started.id);
    }
    let newest_first: Vec<String> = created.iter().rev().cloned().collect();

    let mut paged = Vec::new();
    let mut pages = Vec::new();
    let mut offset = 0;
    loop {
        let page = client
            .generations(&ListParams::new().limit(3).offset(offset))
            .await
            .unwrap();
        let pagination = page.pagination.clone().unwrap();
        assert_eq!(pagination.total, Some(7));
        assert_eq!(pagination.limit, Some(3));
        assert_eq!(pagination.offset, Some(offset));
        pages.push((page.data.len(), pagination.has_more.unwrap()));
        offset += page.data.len() as u64;
        paged.extend(page.data.into_iter().map(|g| g.id));
        if !pages.last().unwrap().1 {
            break;
        }
    }
    assert_eq!(pages, [(3, true), (3, true), (1, false)]);
    assert_eq!(paged, newest_first);

    let streamed: Vec<String> = client
        .generations_stream(ListParams::new().limit(2))
        .map_ok(|g| g.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed, newest_first);

    let failed = client
        .generations(&ListParams::new().status(GenerationStatus::Error))
        .await
        .unwrap();
    let failed_ids: Vec<&str> = failed.data.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(failed_ids, [created[1].as_str(), created[0].as_str()]);
    assert_eq!(
        failed.data[0].error.as_deref(),
        Some("NSFW content detected")
    );

    for id in &created {
        let generation = client.generation(id).await.unwrap();
        assert_eq!(&generation.id, id);
        assert!(generation.status.is_final());
    }
    let others = mock
        .client(FREE)
        .generations(&ListParams::new())
        .await
        .unwrap();
    assert_eq!(
        others.pagination.unwrap().total,
        Some(0),
        "only the caller's own generations"
    );
}

#[tokio::test]
async fn tools_tool_search_and_account_describe_the_catalog_and_the_caller() {
    let mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    let client = mock.client(FREE);
    let slugs: Vec<String> = client
        .tools()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.slug)
        .collect();
    // The binary serves its built-in catalog, whose 35 tools (the ones the
    // provider lists) the catalog's own tests pin.
    let builtin = artificial_studio_mock::Catalog::builtin().unwrap();
    let expected: Vec<&str> = builtin.tools().map(|t| t.tool.slug.as_str()).collect();
    assert_eq!(slugs, expected);
    assert_eq!(slugs.len(), 35);

    let tool = client.tool("create-image").await.unwrap();
    let models: Vec<&str> = tool.models.iter().map(|m| m.slug.as_str()).collect();
    assert_eq!(
        models,
        [
            "seedream-4",
            "flux-schnell",
            "nano-banana",
            "luma-photon-flash"
        ]
    );
    assert_eq!(tool.models[3].cost, Some(1.0), "luma-photon-flash costs 1");
    let image_size = &tool.models[0].input_schema.as_ref().unwrap().properties["image_size"];
    assert!(image_size.enum_.contains(&json!("landscape_16_9")));
    let tts = client.tool("text-to-speech").await.unwrap();
    let voices = &tts.models[0].input_schema.as_ref().unwrap().properties["voice"].enum_;
    assert_eq!(voices.len(), 6, "{voices:?}");

    let animate = client.tool("animate-image").await.unwrap();
    for model in &animate.models {
        let fields = &model.input_schema.as_ref().unwrap().properties;
        assert!(
            fields.contains_key("image_url") && !fields.contains_key("image_urls"),
            "{} takes image_url",
            model.slug
        );
        assert_eq!(model.cost_unit, Some(CostUnit::Second), "{}", model.slug);
    }
    let veo = animate
        .models
        .iter()
        .find(|m| m.slug == "veo3-1-image-to-video")
        .unwrap();
    assert!(
        veo.input_schema
            .as_ref()
            .unwrap()
            .properties
            .contains_key("end_image_url")
    );
    assert_eq!(veo.cost_by_resolution.get("720p"), Some(&80.0));

    let found = client.search("speech").await.unwrap();
    assert!(found.iter().any(|t| t.slug == "text-to-speech"));
    assert!(
        found.iter().all(|t| !t.models.is_empty()),
        "search answers with models"
    );
    assert!(client.search("zzzzqqq").await.unwrap().is_empty());

    let account = client.account().await.unwrap();
    assert_eq!((account.plan, account.credits), (Plan::Free, 100));
    let pro = mock.client(PRO).account().await.unwrap();
    assert_eq!((pro.plan, pro.credits), (Plan::Pro, 100_000));
    assert_ne!(account.id, pro.id);
}

#[tokio::test]
async fn an_uploaded_file_is_served_back_and_its_url_runs_edit_image() {
    let mock = Mock::start(&["--speed", "0", "--rate-limit", "off"]);
    let client = mock.client(FREE);
    let photo = png_bytes(8, 8);
    let uploaded = client
        .upload_file(FileUpload::bytes(photo.clone(), "photo.png"))
        .await
        .unwrap();
    assert_eq!(uploaded.type_, Some(UploadedFileType::Image));
    assert!(uploaded.url.starts_with(&mock.base), "{}", uploaded.url);
    let served = Answer::of(mock.http.get(&uploaded.url)).await;
    assert_eq!(served.status, 200, "served without a key, like a CDN");
    assert_eq!(served.bytes.as_ref(), photo.as_slice());

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("voice.wav");
    std::fs::write(&path, b"RIFF\0\0\0\0WAVEfmt ").unwrap();
    let audio = client.upload_file(FileUpload::path(&path)).await.unwrap();
    assert_eq!(audio.type_, Some(UploadedFileType::Audio));

    let edited = client
        .run_and_wait(
            "edit-image",
            json!({"prompt": "make it night", "image_urls": [uploaded.url]}),
            fast_polls(),
        )
        .await
        .unwrap();
    assert_eq!(edited.status, GenerationStatus::Success);
    assert_eq!(edited.payload["image_urls"], json!([uploaded.url]));
    assert_eq!(
        client.account().await.unwrap().credits,
        100 - 5,
        "flux-kontext costs 5"
    );
    let mut out = Vec::new();
    client.download(&edited, &mut out).await.unwrap();
    png_size(&out);
}
