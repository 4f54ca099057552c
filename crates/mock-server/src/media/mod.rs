//! The small but real files the mock serves as generation outputs, made from
//! the generation's input when they are first downloaded.
//!
//! - **image** (`.png`): a placeholder picture whose pixel size follows
//!   `image_size` or `aspect_ratio` ([`input::image_size`]), with the prompt, the
//!   tool and the model drawn on it ([`image`]);
//! - **audio** (`.wav`): 8 kHz, 8-bit, mono tones as long as `duration`, or as
//!   the text would take to read ([`input::audio_seconds`], at most 60 s);
//! - **video** (`.mp4`): a tiny H.264 clip whose container duration is
//!   `duration` ([`input::video_seconds`], 5 s by default, at most 30 s);
//! - **text** (`.txt`) and **3D** (`.glb`): fixed files;
//! - **thumbnails**: the image placeholder at 256 pixels on the long side.
//!
//! Everything is derived from a [`Source`]'s seed, a hash of the tool, type and
//! input: the same input gives byte-identical files, whichever generation ran
//! it. Nothing here runs on `POST /api/run`; made files are kept in a small
//! bounded cache ([`cache`]). Odd input (unknown sizes, non-numeric or huge
//! durations, very long prompts) falls back to defaults or is clamped, never
//! fails.

pub mod audio;
pub mod cache;
pub mod image;
pub mod input;
pub mod video;

use std::{io, sync::OnceLock};

use artificial_studio_types::{Generation, GenerationType};
use bytes::Bytes;
use serde_json::{Map, Value};

/// A servable file: its bytes, content type and file extension.
#[derive(Debug, Clone)]
pub struct Media {
    /// The file's bytes.
    pub bytes: Bytes,
    /// Its `Content-Type`.
    pub content_type: &'static str,
}

/// The extension of the output file for a generation type.
pub fn extension(kind: &GenerationType) -> &'static str {
    match kind {
        GenerationType::Image => "png",
        GenerationType::Video => "mp4",
        GenerationType::Audio => "wav",
        GenerationType::Object => "glb",
        // The mock's catalog refuses types it does not know; text is the fallback.
        GenerationType::Text | GenerationType::Unknown(_) => "txt",
    }
}

/// Whether outputs of this type come with a thumbnail (not audio, not text).
pub fn has_thumbnail(kind: &GenerationType) -> bool {
    matches!(
        kind,
        GenerationType::Image | GenerationType::Video | GenerationType::Object
    )
}

/// What a generation's files are made from: its output type, tool and input
/// (the stored `payload`: `model` and the fields given, defaults filled in).
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The type of output.
    pub kind: GenerationType,
    /// The tool slug.
    pub tool: String,
    /// The input that was run.
    pub payload: Map<String, Value>,
}

impl Source {
    /// A source of `kind` from a tool and an input.
    pub fn new(kind: GenerationType, tool: impl Into<String>, payload: Map<String, Value>) -> Self {
        Self {
            kind,
            tool: tool.into(),
            payload,
        }
    }

    /// The seed every file of this source derives from: a 64-bit FNV-1a hash of
    /// the output type, the tool and the input as JSON (fields in their stored
    /// order). Stable across processes and versions of the mock's dependencies.
    pub fn seed(&self) -> u64 {
        let mut hash = Fnv::default();
        hash.eat(extension(&self.kind).as_bytes());
        hash.eat(&[0]);
        hash.eat(self.tool.as_bytes());
        hash.eat(&[0]);
        // Writing into a hasher cannot fail, and a map of JSON values always
        // serializes; were it ever to fail, the seed is the prefix's hash.
        let _ = serde_json::to_writer(&mut hash, &self.payload);
        hash.0
    }

    /// The model slug, as stored in the input (`model`).
    pub fn model(&self) -> Option<&str> {
        self.payload.get("model").and_then(Value::as_str)
    }
}

impl From<Generation> for Source {
    fn from(generation: Generation) -> Self {
        // A generation of the mock always has its type; text is the fallback.
        let kind = generation.type_.unwrap_or(GenerationType::Text);
        Self::new(kind, generation.tool, generation.payload)
    }
}

/// The output file of a source, made on first use and then served from
/// [`cache`].
pub fn output(source: &Source) -> Media {
    let content_type = content_type(&source.kind);
    let bytes = match &source.kind {
        GenerationType::Text | GenerationType::Unknown(_) => {
            Bytes::from_static(TRANSCRIPT.as_bytes())
        }
        GenerationType::Object => glb().clone(),
        GenerationType::Image | GenerationType::Audio | GenerationType::Video => {
            let key = cache::Key::output(source.seed());
            cache::get_or_make(key, || make_output(source))
        }
    };
    Media {
        bytes,
        content_type,
    }
}

/// The thumbnail of a source (a PNG, for the types [`has_thumbnail`] names).
pub fn thumbnail(source: &Source) -> Media {
    let key = cache::Key::thumbnail(source.seed());
    Media {
        bytes: cache::get_or_make(key, || {
            let (width, height) = input::thumbnail_size(&source.payload);
            image::placeholder(source, width, height)
        }),
        content_type: "image/png",
    }
}

fn make_output(source: &Source) -> Bytes {
    match &source.kind {
        GenerationType::Image => {
            let (width, height) = input::image_size(&source.payload);
            image::placeholder(source, width, height)
        }
        GenerationType::Audio => audio::wav(input::audio_seconds(&source.payload), source.seed()),
        GenerationType::Video => video::mp4(input::video_seconds(&source.payload)),
        GenerationType::Text | GenerationType::Unknown(_) => {
            Bytes::from_static(TRANSCRIPT.as_bytes())
        }
        GenerationType::Object => glb().clone(),
    }
}

fn content_type(kind: &GenerationType) -> &'static str {
    match kind {
        GenerationType::Image => "image/png",
        GenerationType::Video => "video/mp4",
        GenerationType::Audio => "audio/wav",
        GenerationType::Text | GenerationType::Unknown(_) => "text/plain; charset=utf-8",
        GenerationType::Object => "model/gltf-binary",
    }
}

/// 64-bit FNV-1a, fed through [`io::Write`] so JSON can stream into it.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn eat(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

impl io::Write for Fnv {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.eat(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

const TRANSCRIPT: &str = "This is a transcript made by astudio-mock. \
The real service would describe or transcribe your input here.\n";

/// One triangle as a binary glTF 2.0 file.
pub fn glb() -> &'static Bytes {
    static GLB: OnceLock<Bytes> = OnceLock::new();
    GLB.get_or_init(|| {
        let mut bin = Vec::new();
        for v in [[0.0f32, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]] {
            for c in v {
                bin.extend_from_slice(&c.to_le_bytes());
            }
        }
        let json = format!(
            r#"{{"asset":{{"version":"2.0","generator":"astudio-mock"}},"scene":0,"scenes":[{{"nodes":[0]}}],"nodes":[{{"mesh":0}}],"meshes":[{{"primitives":[{{"attributes":{{"POSITION":0}}}}]}}],"buffers":[{{"byteLength":{len}}}],"bufferViews":[{{"buffer":0,"byteOffset":0,"byteLength":{len}}}],"accessors":[{{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]}}]}}"#,
            len = bin.len()
        );
        let mut json = json.into_bytes();
        while json.len() % 4 != 0 {
            json.push(b' ');
        }
        while bin.len() % 4 != 0 {
            bin.push(0);
        }
        let total = 12 + 8 + json.len() + 8 + bin.len();
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(b"glTF");
        out.extend_from_slice(&2u32.to_le_bytes());
        out.extend_from_slice(&(total as u32).to_le_bytes());
        out.extend_from_slice(&(json.len() as u32).to_le_bytes());
        out.extend_from_slice(b"JSON");
        out.extend_from_slice(&json);
        out.extend_from_slice(&(bin.len() as u32).to_le_bytes());
        out.extend_from_slice(b"BIN\0");
        out.extend_from_slice(&bin);
        Bytes::from(out)
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn source(kind: GenerationType, payload: Value) -> Source {
        let Value::Object(payload) = payload else {
            unreachable!("test payloads are objects")
        };
        Source::new(kind, "create-image", payload)
    }

    #[test]
    fn the_seed_follows_the_input_and_nothing_else() {
        let a = source(
            GenerationType::Image,
            json!({"model": "m", "prompt": "a cat"}),
        );
        assert_eq!(a.seed(), a.clone().seed());
        let other_prompt = source(
            GenerationType::Image,
            json!({"model": "m", "prompt": "a dog"}),
        );
        assert_ne!(a.seed(), other_prompt.seed());
        let other_kind = source(
            GenerationType::Video,
            json!({"model": "m", "prompt": "a cat"}),
        );
        assert_ne!(a.seed(), other_kind.seed());
        // FNV-1a's published test vector: the hash is stable across versions.
        let mut fnv = Fnv::default();
        fnv.eat(b"a");
        assert_eq!(fnv.0, 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn outputs_have_the_content_type_of_their_kind() {
        for (kind, content_type) in [
            (GenerationType::Image, "image/png"),
            (GenerationType::Video, "video/mp4"),
            (GenerationType::Audio, "audio/wav"),
            (GenerationType::Text, "text/plain; charset=utf-8"),
            (GenerationType::Object, "model/gltf-binary"),
        ] {
            let media = output(&source(kind, json!({"prompt": "x"})));
            assert_eq!(media.content_type, content_type);
            assert!(!media.bytes.is_empty());
        }
    }

    #[test]
    fn glb_declares_its_own_length_and_valid_json() {
        let glb = glb();
        assert_eq!(&glb[..4], b"glTF");
        let total = u32::from_le_bytes(glb[8..12].try_into().unwrap()) as usize;
        assert_eq!(total, glb.len());
        let json_len = u32::from_le_bytes(glb[12..16].try_into().unwrap()) as usize;
        let json: serde_json::Value = serde_json::from_slice(&glb[20..20 + json_len]).unwrap();
        assert_eq!(json["asset"]["version"], "2.0");
    }
}
