//! Uploads and the files behind output URLs.

use reqwest::{
    Method,
    multipart::{Form, Part},
};
use serde_json::json;

use crate::support::*;

async fn upload(api: &Api, key: &str, form: Form) -> Answer {
    api.send(
        api.request(Method::POST, "/files", Some(key))
            .multipart(form),
    )
    .await
}

#[tokio::test]
async fn upload_is_201_and_served_back_at_its_url() {
    let (_server, api) = fast_server().await;
    let part = Part::bytes(b"GIF89a-not-really".to_vec())
        .file_name("cat photo.gif")
        .mime_str("image/gif")
        .unwrap();
    let answer = upload(&api, FREE, Form::new().part("file", part)).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    assert_eq!(answer.body["type"], "image");
    let url = answer.body["url"].as_str().unwrap();
    assert!(
        url.starts_with(&api.base) && url.ends_with("/cat_photo.gif"),
        "{url}"
    );
    let served = api.http.get(url).send().await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/gif");
    assert_eq!(&served.bytes().await.unwrap()[..], b"GIF89a-not-really");
    // The URL works as a media input.
    let run = api
        .run(
            FREE,
            json!({"tool": "edit-image", "input": {"prompt": "hat", "image_urls": [url]}}),
        )
        .await;
    assert_eq!(run.status, 202);
}

#[tokio::test]
async fn upload_type_follows_the_content_type_or_the_file_name() {
    let (_server, api) = fast_server().await;
    for (name, mime, kind) in [
        ("a.wav", Some("audio/wav"), "audio"),
        ("b.mp4", None, "video"),
        ("c.pdf", Some("application/pdf"), "file"),
    ] {
        let mut part = Part::bytes(vec![1, 2, 3]).file_name(name);
        if let Some(mime) = mime {
            part = part.mime_str(mime).unwrap();
        }
        let answer = upload(&api, FREE, Form::new().part("file", part)).await;
        assert_eq!(answer.body["type"], kind, "{name}");
    }
}

#[tokio::test]
async fn upload_without_file_or_with_unknown_parts_is_400() {
    let (_server, api) = fast_server().await;
    let answer = upload(&api, FREE, Form::new().text("colour", "red")).await;
    answer.assert_error(400, "Validation failed");
    assert_eq!(
        answer.body["errors"],
        json!([
            {"field": "file", "message": "Required", "code": "invalid_type"},
            {"field": "colour", "message": "Unrecognized key: 'colour'", "code": "unrecognized_keys"}
        ])
    );
    let not_multipart = api
        .send(
            api.request(Method::POST, "/files", Some(FREE))
                .header("content-type", "application/json")
                .body("{}"),
        )
        .await;
    not_multipart.assert_error(400, artificial_studio_types::messages::MULTIPART_REQUIRED);
}

#[tokio::test]
async fn upload_over_its_limit_is_413_json() {
    let (_server, api) = start(
        artificial_studio_mock::MockServer::builder()
            .speed(0.0)
            .max_upload_bytes(1000),
    )
    .await;
    let part = Part::bytes(vec![0u8; 5000]).file_name("big.bin");
    let answer = upload(&api, FREE, Form::new().part("file", part)).await;
    answer.assert_error(413, artificial_studio_types::messages::BODY_TOO_LARGE);
}

async fn output_of(api: &Api, tool: serde_json::Value) -> (serde_json::Value, reqwest::Response) {
    let answer = api.run(PRO, tool).await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    let id = answer.body["id"].as_str().unwrap();
    let generation = api.get(&format!("/api/generations/{id}"), PRO).await.body;
    let output = generation["output"].as_str().unwrap().to_string();
    (generation, api.http.get(output).send().await.unwrap())
}

#[tokio::test]
async fn image_output_is_a_valid_png() {
    let (_server, api) = fast_server().await;
    let (generation, response) = output_of(
        &api,
        json!({"tool": "create-image", "input": {"prompt": "x"}}),
    )
    .await;
    assert_eq!(response.headers()["content-type"], "image/png");
    let bytes = response.bytes().await.unwrap();
    // seedream-4's default image_size is square_hd.
    assert_eq!(png_size(&bytes), (1024, 1024));
    let thumbnail = api
        .http
        .get(generation["thumbnail"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(thumbnail.status(), 200);
    assert_eq!(png_size(&thumbnail.bytes().await.unwrap()), (256, 256));
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    (frame.width, frame.height)
}

/// The `mvhd` duration of an MP4 in seconds (version 0 boxes, as the mock's).
fn mp4_seconds(file: &[u8]) -> f64 {
    let be = |at: usize| u32::from_be_bytes(file[at..at + 4].try_into().unwrap()) as usize;
    let find = |mut at: usize, end: usize, kind: &[u8]| loop {
        assert!(at + 8 <= end, "no {kind:?} box");
        if &file[at + 4..at + 8] == kind {
            break at + 8;
        }
        at += be(at);
    };
    let moov = find(0, file.len(), b"moov");
    let mvhd = find(moov, moov - 8 + be(moov - 8), b"mvhd");
    be(mvhd + 16) as f64 / be(mvhd + 12) as f64
}

async fn thumbnail_of(api: &Api, generation: &serde_json::Value) -> bytes::Bytes {
    let url = generation["thumbnail"].as_str().unwrap();
    api.http
        .get(url)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
}

#[tokio::test]
async fn image_output_has_the_pixel_size_of_its_image_size() {
    let (_server, api) = fast_server().await;
    let (generation, response) = output_of(
        &api,
        json!({"tool": "create-image", "input": {"prompt": "a lighthouse", "image_size": "landscape_16_9"}}),
    )
    .await;
    assert_eq!(png_size(&response.bytes().await.unwrap()), (1024, 576));
    assert_eq!(png_size(&thumbnail_of(&api, &generation).await), (256, 144));
}

#[tokio::test]
async fn the_same_input_downloads_the_same_bytes_and_another_prompt_others() {
    let (_server, api) = fast_server().await;
    let run = |prompt: &str| json!({"tool": "create-image", "input": {"prompt": prompt, "image_size": "square"}});
    let (_, first) = output_of(&api, run("a fox")).await;
    let (_, again) = output_of(&api, run("a fox")).await;
    let (_, other) = output_of(&api, run("a hen")).await;
    let first = first.bytes().await.unwrap();
    assert_eq!(first, again.bytes().await.unwrap());
    assert_ne!(first, other.bytes().await.unwrap());
}

#[tokio::test]
async fn video_output_lasts_its_duration_and_five_seconds_by_default() {
    let (_server, api) = fast_server().await;
    let (_, ten) = output_of(
        &api,
        json!({"tool": "create-video", "input": {"prompt": "waves", "duration": "10"}}),
    )
    .await;
    assert_eq!(mp4_seconds(&ten.bytes().await.unwrap()), 10.0);
    let (generation, default) = output_of(
        &api,
        json!({"tool": "create-video", "input": {"prompt": "waves"}}),
    )
    .await;
    assert_eq!(mp4_seconds(&default.bytes().await.unwrap()), 5.0);
    // seedance-2-text-to-video's default duration is "5" and aspect_ratio 16:9.
    assert_eq!(png_size(&thumbnail_of(&api, &generation).await), (256, 144));
}

#[tokio::test]
async fn audio_output_lasts_its_duration_or_the_time_its_text_takes() {
    let (_server, api) = fast_server().await;
    let data_seconds = |wav: &[u8]| {
        let data = u32::from_le_bytes(wav[40..44].try_into().unwrap());
        f64::from(data) / 8000.0
    };
    let (_, effect) = output_of(
        &api,
        json!({"tool": "sound-effects", "input": {"model": "elevenlabs-sound-effects", "prompt": "thunder", "duration": "3"}}),
    )
    .await;
    assert_eq!(data_seconds(&effect.bytes().await.unwrap()), 3.0);
    let (_, speech) = output_of(
        &api,
        json!({"tool": "text-to-speech", "input": {"prompt": "x".repeat(150), "voice": "nova"}}),
    )
    .await;
    assert_eq!(data_seconds(&speech.bytes().await.unwrap()), 10.0);
}

#[tokio::test]
async fn audio_output_is_a_valid_wav_without_thumbnail() {
    let (_server, api) = fast_server().await;
    let (generation, response) = output_of(
        &api,
        json!({"tool": "text-to-speech", "input": {"prompt": "hello", "voice": "nova"}}),
    )
    .await;
    assert!(generation["thumbnail"].is_null());
    assert_eq!(response.headers()["content-type"], "audio/wav");
    let wav = response.bytes().await.unwrap();
    assert_eq!(&wav[..4], b"RIFF");
    assert_eq!(&wav[8..12], b"WAVE");
    let riff_len = u32::from_le_bytes(wav[4..8].try_into().unwrap()) as usize;
    assert_eq!(riff_len + 8, wav.len());
    let channels = u16::from_le_bytes(wav[22..24].try_into().unwrap());
    let rate = u32::from_le_bytes(wav[24..28].try_into().unwrap());
    let data_len = u32::from_le_bytes(wav[40..44].try_into().unwrap()) as usize;
    let bits = u16::from_le_bytes(wav[34..36].try_into().unwrap());
    assert_eq!((channels, rate, bits), (1, 8000, 8));
    assert_eq!(&wav[36..40], b"data");
    assert_eq!(44 + data_len, wav.len());
}

#[tokio::test]
async fn video_text_and_object_outputs_have_their_types() {
    let (_server, api) = fast_server().await;
    for (body, content_type, magic) in [
        (
            json!({"tool": "create-video", "input": {"prompt": "x"}}),
            "video/mp4",
            &b"ftyp"[..],
        ),
        (
            json!({"tool": "text-to-3d", "input": {"prompt": "x"}}),
            "model/gltf-binary",
            &b"glTF"[..],
        ),
    ] {
        let (_, response) = output_of(&api, body).await;
        assert_eq!(response.headers()["content-type"], content_type);
        let bytes = response.bytes().await.unwrap();
        assert!(bytes.windows(4).take(8).any(|w| w == magic));
    }
    let (generation, response) = output_of(
        &api,
        json!({"tool": "audio-to-text", "input": {"audio_url": "https://example.com/a.wav"}}),
    )
    .await;
    assert!(generation["output"].as_str().unwrap().ends_with(".txt"));
    assert!(response.text().await.unwrap().contains("transcript"));
}

#[tokio::test]
async fn outputs_of_unknown_or_unfinished_generations_are_404_json() {
    let (_server, api) = fast_server().await;
    let answer = api
        .send(api.request(Method::GET, "/outputs/000000000000000000000000.png", None))
        .await;
    answer.assert_error(404, "Not found");
}

/// `POST /api/files` with `body` as the raw bytes, and the headers given.
async fn upload_raw(
    api: &Api,
    key: Option<&str>,
    query: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Answer {
    let mut request = api.request(Method::POST, &format!("/api/files{query}"), key);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    api.send(request.body(body)).await
}

#[tokio::test]
async fn raw_upload_is_201_with_the_n8n_shape_and_served_back_byte_identical() {
    let (_server, api) = fast_server().await;
    let bytes: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    let answer = upload_raw(
        &api,
        Some(FREE),
        "?transient=false",
        &[("content-type", "image/png"), ("x-filename", "my cat.png")],
        bytes.clone(),
    )
    .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    let body = answer.body.as_object().unwrap();
    let mut keys: Vec<&str> = body.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["id", "mimetype", "originalName", "size", "url"]);
    assert_eq!(body["mimetype"], "image/png");
    assert_eq!(body["size"], 3000);
    assert_eq!(body["originalName"], "my cat.png");
    let id = body["id"].as_str().unwrap();
    assert_eq!(id.len(), 24);
    let url = body["url"].as_str().unwrap();
    assert_eq!(url, format!("{}/files/{id}/my_cat.png", api.base));
    let served = api.http.get(url).send().await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(&served.bytes().await.unwrap()[..], &bytes[..]);
    // The URL works as a media input.
    let run = api
        .run(
            FREE,
            json!({"tool": "edit-image", "input": {"prompt": "hat", "image_urls": [url]}}),
        )
        .await;
    assert_eq!(run.status, 202, "{}", run.body);
}

#[tokio::test]
async fn raw_upload_takes_transient_true_or_no_query_and_names_a_nameless_file() {
    let (_server, api) = fast_server().await;
    for query in ["?transient=true", ""] {
        let answer = upload_raw(
            &api,
            Some(PRO),
            query,
            &[("content-type", "audio/wav")],
            b"RIFF....WAVE".to_vec(),
        )
        .await;
        assert_eq!(answer.status, 201, "{query}: {}", answer.body);
        assert_eq!(answer.body["originalName"], "upload.wav");
        assert_eq!(answer.body["mimetype"], "audio/wav");
        let url = answer.body["url"].as_str().unwrap();
        assert!(url.ends_with("/upload.wav"), "{url}");
    }
}

#[tokio::test]
async fn raw_upload_accepts_3d_models_and_multipart_calls_them_objects() {
    let (_server, api) = fast_server().await;
    // A `.glb` sent as octet-stream: its type is guessed from the name.
    let answer = upload_raw(
        &api,
        Some(FREE),
        "?transient=true",
        &[
            ("content-type", "application/octet-stream"),
            ("x-filename", "chair.glb"),
        ],
        b"glTF\x02\x00\x00\x00".to_vec(),
    )
    .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    assert_eq!(answer.body["mimetype"], "model/gltf-binary");
    assert_eq!(answer.body["size"], 8);
    let served = api
        .http
        .get(answer.body["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(served.headers()["content-type"], "model/gltf-binary");
    // The multipart form gives 3D files the type `object`, by content type or by name.
    for (name, mime) in [
        ("chair.glb", Some("model/gltf-binary")),
        ("mesh.obj", None),
        ("rig.fbx", Some("application/octet-stream")),
        ("part.stl", None),
        ("scene.usdz", None),
    ] {
        let mut part = Part::bytes(vec![1, 2, 3]).file_name(name);
        if let Some(mime) = mime {
            part = part.mime_str(mime).unwrap();
        }
        let answer = upload(&api, FREE, Form::new().part("file", part)).await;
        assert_eq!(answer.status, 201, "{name}: {}", answer.body);
        assert_eq!(answer.body["type"], "object", "{name}");
    }
}

#[tokio::test]
async fn raw_upload_without_a_key_is_401() {
    let (_server, api) = fast_server().await;
    let answer = upload_raw(
        &api,
        None,
        "?transient=true",
        &[("content-type", "image/png"), ("x-filename", "a.png")],
        vec![1, 2, 3],
    )
    .await;
    answer.assert_error(
        401,
        artificial_studio_types::messages::AUTHORIZATION_REQUIRED,
    );
    let answer = upload_raw(
        &api,
        Some("not-a-key"),
        "",
        &[("content-type", "image/png")],
        vec![1, 2, 3],
    )
    .await;
    answer.assert_error(401, artificial_studio_types::messages::INVALID_API_KEY);
}

#[tokio::test]
async fn raw_upload_over_its_limit_is_413_json() {
    let (_server, api) = start(
        artificial_studio_mock::MockServer::builder()
            .speed(0.0)
            .max_upload_bytes(1000),
    )
    .await;
    let answer = upload_raw(
        &api,
        Some(FREE),
        "?transient=false",
        &[("content-type", "video/mp4"), ("x-filename", "big.mp4")],
        vec![0u8; 5000],
    )
    .await;
    answer.assert_error(413, artificial_studio_types::messages::BODY_TOO_LARGE);
    // Exactly at the limit is fine.
    let answer = upload_raw(
        &api,
        Some(FREE),
        "",
        &[("content-type", "video/mp4")],
        vec![0u8; 1000],
    )
    .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
}

#[tokio::test]
async fn raw_upload_with_an_empty_body_or_a_bad_transient_is_400() {
    let (_server, api) = fast_server().await;
    let empty = upload_raw(
        &api,
        Some(FREE),
        "?transient=true",
        &[("content-type", "image/png"), ("x-filename", "a.png")],
        Vec::new(),
    )
    .await;
    empty.assert_error(400, "Validation failed");
    assert_eq!(
        empty.body["errors"],
        json!([{"field": "file", "message": "Required", "code": "invalid_type"}])
    );
    let bad = upload_raw(
        &api,
        Some(FREE),
        "?transient=yes",
        &[("content-type", "image/png")],
        vec![1],
    )
    .await;
    bad.assert_error(400, "Validation failed");
    assert_eq!(
        bad.body["errors"],
        json!([{
            "field": "transient",
            "message": "Invalid enum value. Expected 'true' | 'false', received 'yes'",
            "code": "invalid_enum_value"
        }])
    );
    // Both at once: both listed.
    let both = upload_raw(&api, Some(FREE), "?transient=1", &[], Vec::new()).await;
    assert_eq!(both.status, 400);
    assert_eq!(both.body["errors"].as_array().unwrap().len(), 2);
    // Another method on the path: 405 with Allow.
    let get = api
        .send(api.request(Method::GET, "/api/files", Some(FREE)))
        .await;
    get.assert_error(405, artificial_studio_types::messages::METHOD_NOT_ALLOWED);
    assert_eq!(get.header("allow"), Some("POST"));
}

#[tokio::test]
async fn raw_uploads_share_the_run_bucket_with_multipart_uploads_and_runs() {
    use artificial_studio_mock::{PlanLimits, RateLimits};
    let limits = RateLimits::PerMinute {
        free: PlanLimits { run: 2, get: 60 },
        pro: PlanLimits { run: 60, get: 200 },
    };
    let (_server, api) = start(
        artificial_studio_mock::MockServer::builder()
            .speed(0.0)
            .rate_limits(limits),
    )
    .await;
    let raw = upload_raw(
        &api,
        Some(FREE),
        "",
        &[("content-type", "image/png")],
        vec![1],
    )
    .await;
    assert_eq!(raw.status, 201, "{}", raw.body);
    assert_eq!(raw.header("x-ratelimit-limit"), Some("2"));
    assert_eq!(raw.header("x-ratelimit-remaining"), Some("1"));
    let part = Part::bytes(vec![1]).file_name("a.png");
    let multipart = upload(&api, FREE, Form::new().part("file", part)).await;
    assert_eq!(multipart.status, 201);
    let limited = upload_raw(
        &api,
        Some(FREE),
        "",
        &[("content-type", "image/png")],
        vec![1],
    )
    .await;
    limited.assert_error(429, artificial_studio_types::messages::RATE_LIMITED);
    assert!(limited.header("retry-after").is_some());
}
