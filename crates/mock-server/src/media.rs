//! The small but real files the mock serves as generation outputs: a PNG, a WAV,
//! an MP4, a glTF binary and a text transcript, built once per process.

use std::sync::OnceLock;

use artificial_studio_types::GenerationType;
use bytes::Bytes;

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

/// The output file for a generation type.
pub fn output(kind: &GenerationType) -> Media {
    match kind {
        GenerationType::Image => Media {
            bytes: png().clone(),
            content_type: "image/png",
        },
        GenerationType::Video => Media {
            bytes: Bytes::from_static(SAMPLE_MP4),
            content_type: "video/mp4",
        },
        GenerationType::Audio => Media {
            bytes: wav().clone(),
            content_type: "audio/wav",
        },
        GenerationType::Text | GenerationType::Unknown(_) => Media {
            bytes: Bytes::from_static(TRANSCRIPT.as_bytes()),
            content_type: "text/plain; charset=utf-8",
        },
        GenerationType::Object => Media {
            bytes: glb().clone(),
            content_type: "model/gltf-binary",
        },
    }
}

/// The thumbnail served for every generation that has one.
pub fn thumbnail() -> Media {
    Media {
        bytes: png().clone(),
        content_type: "image/png",
    }
}

const TRANSCRIPT: &str = "This is a transcript made by astudio-mock. \
The real service would describe or transcribe your input here.\n";

/// A one-second, 64×64, black MP4 (H.264), made with
/// `ffmpeg -f lavfi -i color=c=black:s=64x64:d=1:r=10 -c:v libx264 -pix_fmt yuv420p -movflags +faststart`.
const SAMPLE_MP4: &[u8] = include_bytes!("../assets/sample.mp4");

/// A 64×64 RGB gradient as a PNG (uncompressed deflate blocks, real CRCs).
pub fn png() -> &'static Bytes {
    static PNG: OnceLock<Bytes> = OnceLock::new();
    PNG.get_or_init(|| {
        const SIZE: u32 = 64;
        let mut raw = Vec::with_capacity(((SIZE * 3 + 1) * SIZE) as usize);
        for y in 0..SIZE {
            raw.push(0); // filter: none
            for x in 0..SIZE {
                raw.extend_from_slice(&[(x * 4) as u8, (y * 4) as u8, 160]);
            }
        }
        let mut ihdr = Vec::with_capacity(13);
        ihdr.extend_from_slice(&SIZE.to_be_bytes());
        ihdr.extend_from_slice(&SIZE.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, no interlace
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        png_chunk(&mut out, b"IHDR", &ihdr);
        png_chunk(&mut out, b"IDAT", &zlib_stored(&raw));
        png_chunk(&mut out, b"IEND", &[]);
        Bytes::from(out)
    })
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A zlib stream of uncompressed ("stored") deflate blocks.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let mut blocks = data.chunks(65_535).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        out.push(u8::from(blocks.peek().is_none()));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

/// CRC-32 (IEEE), as PNG chunks use.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

/// Half a second of a 440 Hz tone: 8 kHz, 16-bit, mono PCM in a RIFF/WAVE file.
pub fn wav() -> &'static Bytes {
    static WAV: OnceLock<Bytes> = OnceLock::new();
    WAV.get_or_init(|| {
        const RATE: u32 = 8_000;
        const SAMPLES: u32 = RATE / 2;
        let data_len = SAMPLES * 2;
        let mut out = Vec::with_capacity(44 + data_len as usize);
        out.extend_from_slice(b"RIFF");
        out.extend_from_slice(&(36 + data_len).to_le_bytes());
        out.extend_from_slice(b"WAVEfmt ");
        out.extend_from_slice(&16u32.to_le_bytes()); // fmt chunk size
        out.extend_from_slice(&1u16.to_le_bytes()); // PCM
        out.extend_from_slice(&1u16.to_le_bytes()); // mono
        out.extend_from_slice(&RATE.to_le_bytes());
        out.extend_from_slice(&(RATE * 2).to_le_bytes()); // byte rate
        out.extend_from_slice(&2u16.to_le_bytes()); // block align
        out.extend_from_slice(&16u16.to_le_bytes()); // bits per sample
        out.extend_from_slice(b"data");
        out.extend_from_slice(&data_len.to_le_bytes());
        for n in 0..SAMPLES {
            let t = f64::from(n) / f64::from(RATE);
            let sample = (std::f64::consts::TAU * 440.0 * t).sin() * 8_000.0;
            out.extend_from_slice(&(sample as i16).to_le_bytes());
        }
        Bytes::from(out)
    })
}

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
    use super::*;

    #[test]
    fn png_chunks_carry_correct_crcs_and_the_image_data_inflates() {
        let png = png();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let mut at = 8;
        let mut kinds = Vec::new();
        while at < png.len() {
            let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
            let body = &png[at + 4..at + 8 + len];
            let crc = u32::from_be_bytes(png[at + 8 + len..at + 12 + len].try_into().unwrap());
            assert_eq!(crc32(body), crc);
            kinds.push(String::from_utf8_lossy(&body[..4]).to_string());
            at += 12 + len;
        }
        assert_eq!(kinds, ["IHDR", "IDAT", "IEND"]);
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }

    #[test]
    fn wav_header_sizes_match_its_data() {
        let wav = wav();
        assert_eq!(&wav[..4], b"RIFF");
        assert_eq!(&wav[8..16], b"WAVEfmt ");
        let riff = u32::from_le_bytes(wav[4..8].try_into().unwrap()) as usize;
        assert_eq!(riff + 8, wav.len());
        let data = u32::from_le_bytes(wav[40..44].try_into().unwrap()) as usize;
        assert_eq!(44 + data, wav.len());
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

    #[test]
    fn mp4_starts_with_an_ftyp_box() {
        assert_eq!(&SAMPLE_MP4[4..8], b"ftyp");
    }
}
