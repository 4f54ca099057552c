//! What the files follow in a generation's input, with the defaults and
//! bounds that keep odd input harmless: an unknown `image_size`, a
//! non-numeric, negative or huge `duration`, a very long prompt all fall back
//! to a default or are clamped.

use serde_json::{Map, Value};

/// The long side of an image made from `aspect_ratio` (and of the default
/// square image).
pub const IMAGE_LONG_SIDE: u32 = 1024;
/// The long side of a thumbnail.
pub const THUMBNAIL_LONG_SIDE: u32 = 256;
/// Aspect ratios are clamped to between 1:8 and 8:1.
pub const MAX_ASPECT: f64 = 8.0;

/// The shortest audio output, in seconds.
pub const MIN_AUDIO_SECONDS: f64 = 0.5;
/// The longest audio output, in seconds.
pub const MAX_AUDIO_SECONDS: f64 = 60.0;
/// How many characters of text make one second of audio.
pub const CHARS_PER_SECOND: f64 = 15.0;

/// The shortest video output, in seconds.
pub const MIN_VIDEO_SECONDS: f64 = 0.5;
/// The longest video output, in seconds.
pub const MAX_VIDEO_SECONDS: f64 = 30.0;
/// A video's length when `duration` is absent, `"auto"` or not a positive number.
pub const DEFAULT_VIDEO_SECONDS: f64 = 5.0;

/// The pixel size of an image output: `image_size` when it is one of the
/// named sizes, else `aspect_ratio` (`"W:H"`, long side
/// [`IMAGE_LONG_SIDE`]), else 1024×1024.
///
/// | `image_size` | pixels |
/// |---|---|
/// | `square_hd` | 1024×1024 |
/// | `square` | 512×512 |
/// | `portrait_4_3` | 768×1024 |
/// | `portrait_16_9` | 576×1024 |
/// | `landscape_4_3` | 1024×768 |
/// | `landscape_16_9` | 1024×576 |
pub fn image_size(payload: &Map<String, Value>) -> (u32, u32) {
    let named = payload
        .get("image_size")
        .and_then(Value::as_str)
        .and_then(named_size);
    if let Some(size) = named {
        return size;
    }
    payload
        .get("aspect_ratio")
        .and_then(Value::as_str)
        .and_then(aspect_ratio)
        .map_or((IMAGE_LONG_SIDE, IMAGE_LONG_SIDE), |ratio| {
            fit(ratio, IMAGE_LONG_SIDE)
        })
}

/// The pixel size of a thumbnail: the output's shape ([`image_size`]), or
/// the video's `aspect_ratio`, at [`THUMBNAIL_LONG_SIDE`] on the long side.
pub fn thumbnail_size(payload: &Map<String, Value>) -> (u32, u32) {
    let (width, height) = image_size(payload);
    fit(f64::from(width) / f64::from(height), THUMBNAIL_LONG_SIDE)
}

fn named_size(name: &str) -> Option<(u32, u32)> {
    Some(match name {
        "square_hd" => (1024, 1024),
        "square" => (512, 512),
        "portrait_4_3" => (768, 1024),
        "portrait_16_9" => (576, 1024),
        "landscape_4_3" => (1024, 768),
        "landscape_16_9" => (1024, 576),
        _ => return None,
    })
}

/// Width over height of `"W:H"` (both positive numbers), clamped to
/// [`MAX_ASPECT`].
fn aspect_ratio(text: &str) -> Option<f64> {
    let (width, height) = text.split_once(':')?;
    let width: f64 = width.trim().parse().ok()?;
    let height: f64 = height.trim().parse().ok()?;
    let ratio = width / height;
    (width > 0.0 && height > 0.0 && ratio.is_finite())
        .then(|| ratio.clamp(1.0 / MAX_ASPECT, MAX_ASPECT))
}

/// The size of `ratio` (width over height, finite and positive) with `long`
/// pixels on its long side.
fn fit(ratio: f64, long: u32) -> (u32, u32) {
    let ratio = if ratio.is_finite() && ratio > 0.0 {
        ratio.clamp(1.0 / MAX_ASPECT, MAX_ASPECT)
    } else {
        1.0
    };
    let short = |scale: f64| ((f64::from(long) * scale).round() as u32).clamp(1, long);
    if ratio >= 1.0 {
        (long, short(1.0 / ratio))
    } else {
        (short(ratio), long)
    }
}

/// A positive, finite number of seconds: a JSON number or a numeric string
/// such as `"8"` or `"2.5"` (the pricing rule's reading, so a run is charged
/// for the file it makes).
pub use artificial_studio_types::rules::price::seconds;

/// The text of the input: `prompt`, else `text`, else `lyrics`.
pub fn text(payload: &Map<String, Value>) -> Option<&str> {
    ["prompt", "text", "lyrics"]
        .iter()
        .find_map(|key| payload.get(*key).and_then(Value::as_str))
}

/// An audio output's length in seconds: `duration` when it is a positive
/// number, else the time the text takes to read ([`CHARS_PER_SECOND`], at
/// least 1 s), within [`MIN_AUDIO_SECONDS`]..=[`MAX_AUDIO_SECONDS`].
pub fn audio_seconds(payload: &Map<String, Value>) -> f64 {
    let seconds = payload
        .get("duration")
        .and_then(seconds)
        .unwrap_or_else(|| {
            // Counting stops where the clamp would anyway.
            let limit = (MAX_AUDIO_SECONDS * CHARS_PER_SECOND) as usize;
            let chars = text(payload).map_or(0, |t| t.chars().take(limit).count());
            (chars as f64 / CHARS_PER_SECOND).max(1.0)
        });
    seconds.clamp(MIN_AUDIO_SECONDS, MAX_AUDIO_SECONDS)
}

/// A video output's length in seconds: `duration` when it is a positive
/// number (`5`, `"8"`), else [`DEFAULT_VIDEO_SECONDS`] (`"auto"`, absent,
/// anything else), within [`MIN_VIDEO_SECONDS`]..=[`MAX_VIDEO_SECONDS`].
pub fn video_seconds(payload: &Map<String, Value>) -> f64 {
    payload
        .get("duration")
        .and_then(seconds)
        .unwrap_or(DEFAULT_VIDEO_SECONDS)
        .clamp(MIN_VIDEO_SECONDS, MAX_VIDEO_SECONDS)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn payload(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn named_image_sizes_have_their_documented_pixels() {
        for (name, size) in [
            ("square_hd", (1024, 1024)),
            ("square", (512, 512)),
            ("portrait_4_3", (768, 1024)),
            ("portrait_16_9", (576, 1024)),
            ("landscape_4_3", (1024, 768)),
            ("landscape_16_9", (1024, 576)),
        ] {
            assert_eq!(
                image_size(&payload(json!({"image_size": name}))),
                size,
                "{name}"
            );
        }
    }

    #[test]
    fn aspect_ratios_put_1024_on_the_long_side() {
        for (ratio, size) in [
            ("1:1", (1024, 1024)),
            ("4:3", (1024, 768)),
            ("3:4", (768, 1024)),
            ("16:9", (1024, 576)),
            ("9:16", (576, 1024)),
            ("21:9", (1024, 439)),
            ("3:2", (1024, 683)),
            ("2:3", (683, 1024)),
            (" 5 : 4 ", (1024, 819)),
            ("100:1", (1024, 128)),
        ] {
            assert_eq!(
                image_size(&payload(json!({"aspect_ratio": ratio}))),
                size,
                "{ratio}"
            );
        }
    }

    #[test]
    fn odd_image_inputs_fall_back_to_a_square() {
        for input in [
            json!({}),
            json!({"image_size": "huge"}),
            json!({"image_size": 12}),
            json!({"aspect_ratio": "auto"}),
            json!({"aspect_ratio": "0:1"}),
            json!({"aspect_ratio": "-4:3"}),
            json!({"aspect_ratio": "1e400:1"}),
            json!({"aspect_ratio": "NaN:1"}),
            json!({"aspect_ratio": ":"}),
        ] {
            assert_eq!(image_size(&payload(input.clone())), (1024, 1024), "{input}");
        }
        // A known image_size wins over aspect_ratio; an unknown one does not.
        let both = json!({"image_size": "square", "aspect_ratio": "16:9"});
        assert_eq!(image_size(&payload(both)), (512, 512));
        let unknown = json!({"image_size": "auto", "aspect_ratio": "16:9"});
        assert_eq!(image_size(&payload(unknown)), (1024, 576));
    }

    #[test]
    fn thumbnails_keep_the_shape_at_256_pixels() {
        let wide = payload(json!({"image_size": "landscape_16_9"}));
        assert_eq!(thumbnail_size(&wide), (256, 144));
        let tall = payload(json!({"aspect_ratio": "9:16"}));
        assert_eq!(thumbnail_size(&tall), (144, 256));
        assert_eq!(thumbnail_size(&Map::new()), (256, 256));
    }

    #[test]
    fn audio_lasts_its_duration_or_the_time_its_text_takes() {
        let seconds = |input: Value| audio_seconds(&payload(input));
        assert_eq!(seconds(json!({"duration": 8})), 8.0);
        assert_eq!(seconds(json!({"duration": "2.5"})), 2.5);
        assert_eq!(seconds(json!({"prompt": "x".repeat(150)})), 10.0);
        assert_eq!(seconds(json!({"text": "hello"})), 1.0, "at least a second");
        assert_eq!(seconds(json!({})), 1.0);
        assert_eq!(seconds(json!({"prompt": "x".repeat(100_000)})), 60.0);
        assert_eq!(seconds(json!({"duration": 1e300})), 60.0);
        assert_eq!(seconds(json!({"duration": 0.01})), 0.5);
        for odd in [
            json!(-3),
            json!("abc"),
            json!(null),
            json!([1]),
            json!("NaN"),
        ] {
            assert_eq!(
                seconds(json!({"duration": odd, "prompt": "hi"})),
                1.0,
                "{odd}"
            );
        }
    }

    #[test]
    fn video_lasts_its_duration_or_five_seconds() {
        let seconds = |input: Value| video_seconds(&payload(input));
        assert_eq!(seconds(json!({"duration": "8"})), 8.0);
        assert_eq!(seconds(json!({"duration": 10})), 10.0);
        assert_eq!(seconds(json!({"duration": "6s"})), 6.0);
        assert_eq!(seconds(json!({})), 5.0);
        assert_eq!(seconds(json!({"duration": "auto"})), 5.0);
        assert_eq!(seconds(json!({"duration": -1})), 5.0);
        assert_eq!(seconds(json!({"duration": u64::MAX})), 30.0);
        assert_eq!(seconds(json!({"duration": "inf"})), 5.0);
    }
}
