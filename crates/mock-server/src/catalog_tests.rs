//! Tests of `catalog`.

use artificial_studio_types::rules::price::FALLBACK_SECONDS;
use serde_json::{Map, json};

use super::*;

/// The tools the provider lists (skills), in the catalog's order.
const SLUGS: [&str; 35] = [
    "create-image",
    "edit-image",
    "extend-image",
    "upscale-image",
    "image-background-remover",
    "image-depth-map-generator",
    "image-to-svg",
    "svg-creator",
    "style-transfer",
    "try-clothes",
    "image-canvas",
    "create-video",
    "animate-image",
    "edit-video",
    "extend-video",
    "upscale-video",
    "video-background-remover",
    "translate-video",
    "video-sync-audio",
    "motion-transfer",
    "character-replace",
    "text-to-speech",
    "create-music",
    "sound-effects",
    "drum-generator",
    "song-splitter",
    "translate-audio",
    "voice-isolator",
    "text-to-3d",
    "image-to-3d-object",
    "motion-3d",
    "audio-to-text",
    "audio-to-subtitles",
    "image-to-text",
    "text-extractor",
];

fn model<'c>(catalog: &'c Catalog, tool: &str, model: &str) -> &'c ModelEntry {
    catalog
        .tool(tool)
        .and_then(|t| t.model(model))
        .unwrap_or_else(|| panic!("{tool}/{model} is in the catalog"))
}

fn input(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

#[test]
fn builtin_catalog_has_every_documented_tool_and_model() {
    let catalog = Catalog::builtin().unwrap();
    let slugs: Vec<_> = catalog.tools().map(|t| t.tool.slug.as_str()).collect();
    assert_eq!(slugs, SLUGS);
    let image = catalog.tool("create-image").unwrap();
    let models: Vec<_> = image.model_slugs().collect();
    assert_eq!(
        models,
        [
            "seedream-4",
            "flux-schnell",
            "nano-banana",
            "luma-photon-flash"
        ]
    );
    assert_eq!(image.default_model().unwrap().cost, 6);
    let photon = model(&catalog, "create-image", "luma-photon-flash");
    assert_eq!(photon.cost, 1);
    assert_eq!(
        photon.schema.properties["aspect_ratio"].default,
        Some(json!("4:3"))
    );
    let edit = catalog.tool("edit-image").unwrap();
    assert_eq!(edit.default_model().unwrap().slug, "flux-kontext");
    let seedream_edit = model(&catalog, "edit-image", "seedream-4.5-edit");
    assert_eq!(seedream_edit.cost, 8);
    let urls = &seedream_edit.schema.properties["image_urls"];
    assert_eq!((urls.min_items, urls.max_items), (Some(1), Some(10)));
    assert_eq!(model(&catalog, "edit-image", "qwen-image-2-edit").cost, 7);
    let video: Vec<_> = catalog
        .tool("create-video")
        .unwrap()
        .model_slugs()
        .collect();
    assert!(
        video.contains(&"seedance-2-text-to-video") && video.contains(&"veo3-fast-text-to-video")
    );
    let animate = catalog.tool("animate-image").unwrap();
    assert!(animate.model_slugs().count() >= 4);
    for slug in animate.model_slugs() {
        let schema = &animate.model(slug).unwrap().schema;
        assert!(schema.is_required("image_url"), "{slug}");
        assert!(!schema.properties.contains_key("image_urls"), "{slug}");
        assert_eq!(
            animate.model(slug).unwrap().cost_unit,
            CostUnit::Second,
            "{slug}"
        );
    }
    for slug in [
        "veo3-1-image-to-video",
        "seedance-2-image-to-video",
        "kling-o3-image-to-video",
    ] {
        let end = &model(&catalog, "animate-image", slug).schema.properties["end_image_url"];
        assert_eq!(end.json_kind().map(|k| k.name()), Some("string"), "{slug}");
    }
    let text_3d = catalog.tool("text-to-3d").unwrap();
    assert_eq!(
        text_3d.model_slugs().collect::<Vec<_>>(),
        ["meshy-v6", "hunyuan3d-v3"]
    );
    assert_eq!(
        text_3d.default_model().unwrap().schema.properties["prompt"].max_length,
        Some(600)
    );
    let sfx = catalog.tool("sound-effects").unwrap();
    assert_eq!(sfx.default_model().unwrap().slug, "audiogen");
    assert_eq!(sfx.default_model().unwrap().cost, 2);
    let tts = catalog.tool("text-to-speech").unwrap();
    assert_eq!(tts.default_model().unwrap().slug, "openai-tts");
    assert!(tts.model("elevenlabs-tts").is_some());
    let voice = &tts.default_model().unwrap().schema.properties["voice"];
    assert_eq!(voice.enum_.len(), 6);
    assert_eq!(
        tts.default_model().unwrap().schema.properties["prompt"].max_length,
        Some(3000)
    );
}

#[test]
fn every_tool_works_on_and_makes_a_known_kind_of_media() {
    let catalog = Catalog::builtin().unwrap();
    for entry in catalog.tools() {
        let kinds = [&entry.tool.type_, &entry.tool.output_type];
        for kind in kinds.into_iter().flatten() {
            assert!(
                ["image", "video", "audio", "text", "object"].contains(&kind.to_string().as_str()),
                "{}: {kind}",
                entry.tool.slug
            );
        }
    }
}

#[test]
fn a_generation_model_charges_its_cost_whatever_the_input() {
    let catalog = Catalog::builtin().unwrap();
    let seedream = model(&catalog, "create-image", "seedream-4");
    assert_eq!(seedream.price.charge(&input(json!({"prompt": "x"}))), 6);
    let sfx = model(&catalog, "sound-effects", "audiogen");
    assert_eq!(sfx.price.charge(&input(json!({"duration": 30}))), 2);
}

#[test]
fn a_per_second_model_charges_price_times_duration() {
    let catalog = Catalog::builtin().unwrap();
    let seedance = model(&catalog, "create-video", "seedance-2-text-to-video");
    let charge = |v: Value| seedance.price.charge(&input(v));
    // Defaults: 480p (27/s) for 5 s.
    assert_eq!(charge(json!({"prompt": "x"})), 27 * 5);
    assert_eq!(charge(json!({"prompt": "x", "duration": "8"})), 27 * 8);
    assert_eq!(
        charge(json!({"duration": "12", "resolution": "720p"})),
        61 * 12
    );
    // `auto`: the smallest listed duration, 4 s.
    assert_eq!(charge(json!({"duration": "auto"})), 27 * 4);
    // Veo 3.1: 80/s at 720p and 1080p, 120/s at 4K, 8 s by default.
    let veo = model(&catalog, "animate-image", "veo3-1-image-to-video");
    let charge = |v: Value| veo.price.charge(&input(v));
    assert_eq!(charge(json!({})), 80 * 8);
    assert_eq!(
        charge(json!({"resolution": "1080p", "duration": "4"})),
        80 * 4
    );
    assert_eq!(charge(json!({"resolution": "4k"})), 120 * 8);
    // No duration field: 5 s.
    let fast = model(&catalog, "create-video", "veo3-fast-text-to-video");
    assert_eq!(
        fast.price.charge(&input(json!({"prompt": "x"}))),
        30 * FALLBACK_SECONDS
    );
    // A number of seconds, rounded up.
    let kling = model(&catalog, "animate-image", "kling-o3-image-to-video");
    assert_eq!(kling.price.charge(&input(json!({"duration": 7}))), 44 * 7);
    let extend = model(&catalog, "extend-video", "veo-extend");
    assert_eq!(
        extend.price.charge(&input(json!({"duration": 2.5}))),
        30 * 3
    );
    assert_eq!(extend.price.charge(&input(json!({}))), 30 * 7);
    // An absurd duration saturates instead of wrapping.
    assert_eq!(
        extend.price.charge(&input(json!({"duration": 1e300}))),
        u64::MAX
    );
}

#[test]
fn prices_by_resolution_must_name_values_of_the_resolution_field() {
    let yaml = DEFAULT_CATALOG_YAML.replacen("{ 480p: 27, 720p: 61 }", "{ 480p: 27, 760p: 61 }", 1);
    let err = Catalog::from_yaml(&yaml).unwrap_err().to_string();
    assert!(err.contains("760p"), "{err}");
}

#[test]
fn builtin_json_is_the_yaml_catalog() {
    let from_json = Catalog::builtin().unwrap();
    let from_yaml = Catalog::from_yaml(DEFAULT_CATALOG_YAML).unwrap();
    assert_eq!(from_json.list_json(), from_yaml.list_json());
    let tools = |c: &Catalog| -> Vec<(Bytes, Vec<String>)> {
        c.tools()
            .map(|t| (t.json.clone(), t.model_slugs().map(String::from).collect()))
            .collect()
    };
    // Each tool's served body holds its models' costs and input schemas,
    // with the schemas' properties in the file's order.
    assert_eq!(tools(&from_json), tools(&from_yaml));
}

#[test]
fn a_catalog_can_be_json() {
    let catalog = Catalog::from_json(DEFAULT_CATALOG_JSON).unwrap();
    assert_eq!(catalog.tools().count(), SLUGS.len());
    // A `--catalog` file in JSON is read by the YAML parser (JSON is YAML).
    let via_yaml = Catalog::from_yaml(DEFAULT_CATALOG_JSON).unwrap();
    assert_eq!(via_yaml.list_json(), catalog.list_json());
    let broken = Catalog::from_json(r#"{"tools": [], "extra": 1}"#).unwrap_err();
    assert!(broken.to_string().contains("extra"), "{broken}");
}

#[test]
fn search_matches_every_word_in_slug_name_or_description() {
    let catalog = Catalog::builtin().unwrap();
    let found: Vec<_> = catalog
        .search("Speech")
        .data
        .into_iter()
        .map(|t| t.slug)
        .collect();
    assert_eq!(found, ["text-to-speech", "audio-to-text"]);
    assert!(
        catalog
            .search("image upscale")
            .data
            .iter()
            .all(|t| t.slug == "upscale-image")
    );
    assert!(catalog.search("zzz").data.is_empty());
}

#[test]
fn catalog_with_a_required_field_that_is_not_a_property_is_refused() {
    let yaml = DEFAULT_CATALOG_YAML.replacen("required: [prompt]", "required: [promt]", 1);
    let err = Catalog::from_yaml(&yaml).unwrap_err().to_string();
    assert!(err.contains("promt"), "{err}");
}

/// One value of an input field for the price test: one the field lists
/// (`pick` of them), one it does not, or none.
#[cfg(feature = "client")]
fn field_value(
    field: Option<&artificial_studio_types::InputField>,
    pick: usize,
    other: Value,
) -> Option<Value> {
    let listed = field.map(|f| f.allowed_values()).unwrap_or_default();
    match pick % 3 {
        0 => None,
        1 if !listed.is_empty() => Some(listed[pick / 3 % listed.len()].clone()),
        _ => Some(other),
    }
}

#[cfg(feature = "client")]
proptest::proptest! {
    /// The price the mock worked out at load charges what the client's
    /// `run_cost` (the same rule, read from the tool as the API serves it)
    /// says, for every model of the catalog and inputs with listed,
    /// unlisted and missing resolutions and durations.
    #[test]
    fn the_precomputed_price_of_every_model_is_the_clients_run_cost(
        resolution_pick in 0_usize..64,
        duration_pick in 0_usize..64,
        other_resolution in proptest::sample::select(vec!["480p", "4k", "", "1080P"]),
        seconds in 0.0_f64..120.0,
        as_text in proptest::bool::ANY,
    ) {
        let catalog = Catalog::builtin().unwrap();
        for entry in catalog.tools() {
            for slug in entry.model_slugs() {
                let model = entry.model(slug).unwrap();
                let field = |name: &str| model.schema.properties.get(name);
                let duration = if as_text { json!(format!("{seconds}")) } else { json!(seconds) };
                let mut input = Map::new();
                input.insert("model".into(), json!(slug));
                if let Some(r) = field_value(field("resolution"), resolution_pick, json!(other_resolution)) {
                    input.insert("resolution".into(), r);
                }
                if let Some(d) = field_value(field("duration"), duration_pick, duration) {
                    input.insert("duration".into(), d);
                }
                let charged = model.price.charge(&input);
                let estimated = artificial_studio::run_cost(&entry.tool, &Value::Object(input.clone()));
                proptest::prop_assert_eq!(
                    Some(charged as f64),
                    estimated,
                    "{}/{} with {:?}",
                    entry.tool.slug,
                    slug,
                    input
                );
            }
        }
    }
}
