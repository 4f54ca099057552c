//! Audio outputs: a short seeded tune of sine notes as an 8 kHz, 8-bit, mono
//! PCM WAV file (8,000 bytes a second: a minute is 469 KiB).

use bytes::Bytes;

/// Samples a second.
pub const SAMPLE_RATE: u32 = 8_000;
/// Each note of the tune lasts this many samples (a quarter of a second).
const NOTE: u32 = SAMPLE_RATE / 4;
/// A major pentatonic scale over two octaves, in semitones above the root.
const SCALE: [i32; 8] = [0, 2, 4, 7, 9, 12, 14, 16];

/// A WAV of `seconds` (rounded to an even number of samples, at least two):
/// notes of a scale whose root and order come from `seed`, each faded in and
/// out so they do not click.
pub fn wav(seconds: f64, seed: u64) -> Bytes {
    let samples = (seconds.max(0.0) * f64::from(SAMPLE_RATE)).round();
    // Even, so the data chunk needs no pad byte; bounded whatever `seconds` is.
    let samples = ((samples.min(f64::from(u32::MAX / 4)) as u32) / 2 * 2).max(2);
    let mut out = Vec::with_capacity(44 + samples as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + samples).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes()); // fmt chunk size
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&SAMPLE_RATE.to_le_bytes());
    out.extend_from_slice(&SAMPLE_RATE.to_le_bytes()); // byte rate: one byte a sample
    out.extend_from_slice(&1u16.to_le_bytes()); // block align
    out.extend_from_slice(&8u16.to_le_bytes()); // bits per sample (unsigned)
    out.extend_from_slice(b"data");
    out.extend_from_slice(&samples.to_le_bytes());
    let root = 196.0 * 2f64.powf((seed % 12) as f64 / 12.0); // G3 up to F#4
    let mut state = seed;
    let mut phase = 0.0f64;
    let mut frequency = root;
    for n in 0..samples {
        let within = n % NOTE;
        if within == 0 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let degree = SCALE[(state >> 61) as usize % SCALE.len()];
            frequency = root * 2f64.powf(f64::from(degree) / 12.0);
        }
        let fade = f64::from(within.min(NOTE - within)) / f64::from(SAMPLE_RATE / 100);
        let level = fade.min(1.0) * 0.6;
        phase = (phase + std::f64::consts::TAU * frequency / f64::from(SAMPLE_RATE))
            % std::f64::consts::TAU;
        out.push((128.0 + 127.0 * level * phase.sin()).round() as u8);
    }
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data_seconds(wav: &[u8]) -> f64 {
        let rate = u32::from_le_bytes(wav[24..28].try_into().unwrap());
        let bits = u16::from_le_bytes(wav[34..36].try_into().unwrap());
        let data = u32::from_le_bytes(wav[40..44].try_into().unwrap());
        f64::from(data) / f64::from(rate) / f64::from(bits / 8)
    }

    #[test]
    fn wav_header_sizes_match_its_data_and_its_length() {
        for seconds in [0.5, 1.0, 8.0, 60.0] {
            let wav = wav(seconds, 7);
            assert_eq!(&wav[..4], b"RIFF");
            assert_eq!(&wav[8..16], b"WAVEfmt ");
            assert_eq!(&wav[36..40], b"data");
            let riff = u32::from_le_bytes(wav[4..8].try_into().unwrap()) as usize;
            assert_eq!(riff + 8, wav.len());
            let data = u32::from_le_bytes(wav[40..44].try_into().unwrap()) as usize;
            assert_eq!(44 + data, wav.len());
            assert_eq!(data_seconds(&wav), seconds);
        }
    }

    #[test]
    fn the_tune_follows_the_seed() {
        assert_eq!(wav(2.0, 1), wav(2.0, 1));
        assert_ne!(wav(2.0, 1), wav(2.0, 2));
        let tune = wav(2.0, 1);
        assert!(tune[44..].iter().any(|&s| s > 200) && tune[44..].iter().any(|&s| s < 56));
    }

    #[test]
    fn odd_lengths_still_give_a_valid_file() {
        for seconds in [0.0, -5.0, f64::NAN, 1e-9] {
            let wav = wav(seconds, 0);
            assert_eq!(wav.len(), 46, "{seconds}");
        }
    }
}
