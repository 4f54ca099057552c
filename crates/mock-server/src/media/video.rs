//! Video outputs: the 64×64 black H.264 sample, its timing stretched to the
//! length asked for.
//!
//! The sample holds ten frames over one second. Stretching rewrites only
//! times, never the coded frames: the movie and track durations (`mvhd`,
//! `tkhd`, `elst`), the media time scale and duration (`mdhd`), the frame
//! durations (`stts`) and composition offsets (`ctts`). The file stays the
//! size of the sample (1,849 bytes) at any length.

use bytes::Bytes;

/// A one-second, 64×64, black MP4 (H.264, ten frames), made with
/// `ffmpeg -f lavfi -i color=c=black:s=64x64:d=1:r=10 -c:v libx264 -pix_fmt yuv420p -movflags +faststart`.
pub const SAMPLE_MP4: &[u8] = include_bytes!("../../assets/sample.mp4");

/// The sample, lasting `seconds` (to the millisecond, at least 1 ms and at
/// most an hour; callers clamp to far less). Should the sample ever not be the
/// simple MP4 this expects, it is served as it is.
pub fn mp4(seconds: f64) -> Bytes {
    let millis = (seconds * 1000.0).round();
    // `>=` is false for NaN too.
    let millis = if millis >= 1.0 {
        millis.min(3_600_000.0) as u64
    } else {
        1
    };
    let mut file = SAMPLE_MP4.to_vec();
    match stretch(&mut file, millis) {
        Some(()) => Bytes::from(file),
        None => {
            tracing::error!("the sample MP4 could not be stretched");
            Bytes::from_static(SAMPLE_MP4)
        }
    }
}

/// Rewrites the times of `file` so it lasts `millis` milliseconds.
fn stretch(file: &mut [u8], millis: u64) -> Option<()> {
    let moov = child(file, 0, file.len(), b"moov")?;
    let (mvhd, _) = child(file, moov.0, moov.1, b"mvhd")?;
    let movie_scale = u64::from(read(file, mvhd + 12)?);
    let old_millis = u64::from(read(file, mvhd + 16)?) * 1000 / movie_scale.max(1);
    if old_millis == 0 || version(file, mvhd)? != 0 {
        return None;
    }
    // Movie times (scale unchanged) and media times (scale multiplied) grow
    // by millis / old_millis; the gcd keeps the numbers small.
    let divisor = gcd(millis, old_millis);
    let (times, scale) = (millis / divisor, old_millis / divisor);
    let movie = |v: u64| v * millis / old_millis;
    let media = |v: u64| v * times;
    update(file, mvhd + 16, movie)?;
    let mut trak_at = moov.0;
    while let Some(trak) = child(file, trak_at, moov.1, b"trak") {
        trak_at = trak.1;
        let (tkhd, _) = child(file, trak.0, trak.1, b"tkhd")?;
        (version(file, tkhd)? == 0).then_some(())?;
        update(file, tkhd + 20, movie)?;
        if let Some(edts) = child(file, trak.0, trak.1, b"edts") {
            let (elst, _) = child(file, edts.0, edts.1, b"elst")?;
            (version(file, elst)? == 0).then_some(())?;
            for entry in 0..read(file, elst + 4)? as usize {
                let at = elst + 8 + entry * 12;
                update(file, at, movie)?;
                if read(file, at + 4)? != u32::MAX {
                    update(file, at + 4, media)?; // media_time; -1 is an empty edit
                }
            }
        }
        let mdia = child(file, trak.0, trak.1, b"mdia")?;
        let (mdhd, _) = child(file, mdia.0, mdia.1, b"mdhd")?;
        (version(file, mdhd)? == 0).then_some(())?;
        update(file, mdhd + 12, |v| v * scale)?;
        update(file, mdhd + 16, media)?;
        let minf = child(file, mdia.0, mdia.1, b"minf")?;
        let stbl = child(file, minf.0, minf.1, b"stbl")?;
        for table in [b"stts", b"ctts"] {
            let Some((box_at, _)) = child(file, stbl.0, stbl.1, table) else {
                continue;
            };
            for entry in 0..read(file, box_at + 4)? as usize {
                update(file, box_at + 8 + entry * 8 + 4, media)?;
            }
        }
    }
    Some(())
}

/// The first box of type `kind` among the boxes in `file[start..end]`: for a
/// container, the range of its children; `.0` is also where a full box's
/// version and flags are.
fn child(file: &[u8], start: usize, end: usize, kind: &[u8; 4]) -> Option<(usize, usize)> {
    let mut at = start;
    while at + 8 <= end {
        let size = read(file, at)? as usize;
        if size < 8 || at + size > end {
            return None;
        }
        if file.get(at + 4..at + 8)? == kind {
            return Some((at + 8, at + size));
        }
        at += size;
    }
    None
}

fn version(file: &[u8], full_box: usize) -> Option<u8> {
    file.get(full_box).copied()
}

fn read(file: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(file.get(at..at + 4)?.try_into().ok()?))
}

/// Replaces the big-endian u32 at `at` by `f` of it, if that still fits.
fn update(file: &mut [u8], at: usize, f: impl Fn(u64) -> u64) -> Option<()> {
    let new = u32::try_from(f(u64::from(read(file, at)?))).ok()?;
    file.get_mut(at..at + 4)?
        .copy_from_slice(&new.to_be_bytes());
    Some(())
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The container's durations in seconds: `mvhd`, `tkhd`, `mdhd`, and the
    /// sum of the `stts` frame durations over the `mdhd` time scale.
    pub(crate) fn durations(file: &[u8]) -> [f64; 4] {
        let moov = child(file, 0, file.len(), b"moov").unwrap();
        let mvhd = child(file, moov.0, moov.1, b"mvhd").unwrap().0;
        let movie_scale = f64::from(read(file, mvhd + 12).unwrap());
        let trak = child(file, moov.0, moov.1, b"trak").unwrap();
        let tkhd = child(file, trak.0, trak.1, b"tkhd").unwrap().0;
        let mdia = child(file, trak.0, trak.1, b"mdia").unwrap();
        let mdhd = child(file, mdia.0, mdia.1, b"mdhd").unwrap().0;
        let media_scale = f64::from(read(file, mdhd + 12).unwrap());
        let minf = child(file, mdia.0, mdia.1, b"minf").unwrap();
        let stbl = child(file, minf.0, minf.1, b"stbl").unwrap();
        let stts = child(file, stbl.0, stbl.1, b"stts").unwrap().0;
        let frames: u64 = (0..read(file, stts + 4).unwrap() as usize)
            .map(|n| {
                let count = read(file, stts + 8 + n * 8).unwrap();
                let delta = read(file, stts + 12 + n * 8).unwrap();
                u64::from(count) * u64::from(delta)
            })
            .sum();
        [
            f64::from(read(file, mvhd + 16).unwrap()) / movie_scale,
            f64::from(read(file, tkhd + 20).unwrap()) / movie_scale,
            f64::from(read(file, mdhd + 16).unwrap()) / media_scale,
            frames as f64 / media_scale,
        ]
    }

    #[test]
    fn the_sample_lasts_one_second() {
        assert_eq!(durations(SAMPLE_MP4), [1.0; 4]);
    }

    #[test]
    fn every_duration_of_the_container_is_the_length_asked_for() {
        for seconds in [0.5, 1.0, 2.5, 5.0, 8.0, 10.0, 30.0, 1.001] {
            let file = mp4(seconds);
            assert_eq!(&file[4..8], b"ftyp");
            assert_eq!(file.len(), SAMPLE_MP4.len());
            assert_eq!(durations(&file), [seconds; 4], "{seconds} s");
        }
    }

    #[test]
    fn only_times_change_so_the_frames_are_the_samples() {
        let file = mp4(8.0);
        let mdat = child(&file, 0, file.len(), b"mdat").unwrap();
        assert_eq!(file[mdat.0..mdat.1], SAMPLE_MP4[mdat.0..mdat.1]);
    }

    #[test]
    fn odd_lengths_are_bounded() {
        assert_eq!(durations(&mp4(f64::NAN))[0], 0.001);
        assert_eq!(durations(&mp4(-1.0))[0], 0.001);
        assert_eq!(durations(&mp4(1e12))[0], 3600.0);
    }
}
