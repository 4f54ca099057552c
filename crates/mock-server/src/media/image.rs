//! The placeholder picture behind image outputs and thumbnails: a small
//! seeded landscape (sky gradient, sun, hills) with the tool, the model and
//! the prompt written on it in an 8×8 bitmap font, as an indexed PNG.
//!
//! Flat areas and a 256-colour palette keep files small: a 1024×1024
//! placeholder is a few tens of kilobytes.

use bytes::Bytes;
use font8x8::legacy::{BASIC_LEGACY, LATIN_LEGACY};

use super::{Source, input};

/// Prompts longer than this many characters are cut before wrapping.
pub const MAX_PROMPT_CHARS: usize = 2_000;
/// At most this many lines of prompt are drawn; the last ends in `...` when
/// the prompt goes on.
pub const MAX_PROMPT_LINES: usize = 12;

/// Palette entries: the sky gradient first, then the fixed colours.
const SKY: u8 = 0;
const SKY_STEPS: u8 = 192;
const SUN: u8 = 192;
const FAR_HILLS: u8 = 193;
const NEAR_HILLS: u8 = 194;
const SHADOW: u8 = 195;
const DIM: u8 = 196;
const INK: u8 = 197;
const COLOURS: usize = 198;

/// The placeholder for `source` as a `width`×`height` PNG (each side at least
/// 1 and at most 4096 pixels).
pub fn placeholder(source: &Source, width: u32, height: u32) -> Bytes {
    let width = width.clamp(1, 4096);
    let height = height.clamp(1, 4096);
    let seed = source.seed();
    let mut canvas = Canvas::new(width, height);
    canvas.landscape(seed);
    let prompt = input::text(&source.payload).unwrap_or("(no prompt)");
    canvas.caption(
        &source.tool,
        source.model().unwrap_or("(default model)"),
        prompt,
    );
    encode(&canvas, &palette(seed))
}

/// A picture of palette indices, one byte a pixel, row by row.
struct Canvas {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

impl Canvas {
    fn new(width: u32, height: u32) -> Self {
        Self {
            width,
            height,
            pixels: vec![SKY; width as usize * height as usize],
        }
    }

    fn row(&mut self, y: u32) -> &mut [u8] {
        let start = y as usize * self.width as usize;
        &mut self.pixels[start..start + self.width as usize]
    }

    fn fill(&mut self, x: u32, y: u32, w: u32, h: u32, colour: u8) {
        let x_end = x.saturating_add(w).min(self.width);
        let y_end = y.saturating_add(h).min(self.height);
        if x >= x_end {
            return;
        }
        for row in y..y_end {
            self.row(row)[x as usize..x_end as usize].fill(colour);
        }
    }

    /// Sky gradient, a sun and two ranges of hills, placed by the seed.
    fn landscape(&mut self, seed: u64) {
        let (w, h) = (f64::from(self.width), f64::from(self.height));
        for y in 0..self.height {
            let step = (u64::from(y) * u64::from(SKY_STEPS) / u64::from(self.height)) as u8;
            self.row(y).fill(SKY + step);
        }
        let mut rng = Rng(seed);
        let sun_x = w * (0.55 + 0.3 * rng.unit());
        let sun_y = h * (0.45 + 0.15 * rng.unit());
        let radius = w.min(h) * (0.1 + 0.06 * rng.unit());
        let top = (sun_y - radius).max(0.0) as u32;
        let bottom = ((sun_y + radius).ceil().max(0.0) as u32).min(self.height);
        for y in top..bottom {
            let dy = f64::from(y) + 0.5 - sun_y;
            let half = (radius * radius - dy * dy).max(0.0).sqrt();
            let left = (sun_x - half).round().max(0.0) as u32;
            let right = (sun_x + half).round().max(0.0) as u32;
            self.fill(left, y, right.saturating_sub(left), 1, SUN);
        }
        for (colour, base, height) in [(FAR_HILLS, 0.68, 0.12), (NEAR_HILLS, 0.8, 0.08)] {
            let waves: Vec<(f64, f64, f64)> = (0..3)
                .map(|n| {
                    let frequency = (1.0 + f64::from(n) * 1.7 + rng.unit()) * std::f64::consts::TAU;
                    (
                        frequency,
                        rng.unit() * std::f64::consts::TAU,
                        1.0 / f64::from(n + 1),
                    )
                })
                .collect();
            for x in 0..self.width {
                let along = f64::from(x) / w;
                let wave: f64 = waves
                    .iter()
                    .map(|(f, phase, amplitude)| (along * f + phase).sin() * amplitude)
                    .sum();
                let ridge = (h * (base - height * wave / 1.8)).clamp(0.0, h) as u32;
                for y in ridge..self.height {
                    self.row(y)[x as usize] = colour;
                }
            }
        }
    }

    /// The tool and model at the top, the prompt under them, the size at the
    /// bottom; the scale follows the picture's size (8 pixels a character on a
    /// thumbnail, 24 on a 1024-pixel-wide image).
    fn caption(&mut self, tool: &str, model: &str, prompt: &str) {
        let scale = (self.width / 272).min(self.height / 160).max(1);
        let margin = 10 * scale;
        let line = 11 * scale;
        let columns = (self.width.saturating_sub(2 * margin) / (8 * scale)) as usize;
        if columns == 0 {
            return;
        }
        let mut y = margin;
        self.text(margin, y, scale, &clip(tool, columns), INK);
        y += line;
        self.text(margin, y, scale, &clip(model, columns), DIM);
        y += line + line / 2;
        let footer_y = self.height.saturating_sub(margin + 8 * scale);
        let room = (footer_y.saturating_sub(y + line / 2) / line) as usize;
        for text in wrap(prompt, columns, room.min(MAX_PROMPT_LINES)) {
            self.text(margin, y, scale, &text, INK);
            y += line;
        }
        if footer_y >= y {
            let footer = format!("{}x{} astudio-mock", self.width, self.height);
            self.text(margin, footer_y, scale, &clip(&footer, columns), DIM);
        }
    }

    /// `text` at (`x`, `y`), each font pixel `scale` pixels wide, over a shadow.
    fn text(&mut self, x: u32, y: u32, scale: u32, text: &str, colour: u8) {
        let offset = scale.div_ceil(2);
        for (layer, dx) in [(SHADOW, offset), (colour, 0)] {
            let mut left = x + dx;
            for c in text.chars() {
                let glyph = glyph(c);
                for (row, bits) in glyph.iter().enumerate() {
                    for column in 0..8u32 {
                        if bits >> column & 1 == 1 {
                            self.fill(
                                left + column * scale,
                                y + dx + row as u32 * scale,
                                scale,
                                scale,
                                layer,
                            );
                        }
                    }
                }
                left += 8 * scale;
            }
        }
    }
}

/// The 8×8 glyph of `c` (bit 0 is the leftmost pixel): ASCII and Latin-1
/// have theirs, anything else is drawn as `?`.
fn glyph(c: char) -> [u8; 8] {
    let code = c as usize;
    let found = match code {
        0x20..=0x7e => BASIC_LEGACY.get(code),
        0xa0..=0xff => LATIN_LEGACY.get(code - 0xa0),
        _ => None,
    };
    found
        .or_else(|| BASIC_LEGACY.get(usize::from(b'?')))
        .copied()
        .unwrap_or([0; 8])
}

/// `text` cut to `columns` characters, ending in `...` when it was longer.
fn clip(text: &str, columns: usize) -> String {
    if text.chars().count() <= columns {
        text.to_string()
    } else if columns < 4 {
        text.chars().take(columns).collect()
    } else {
        text.chars()
            .take(columns - 3)
            .chain("...".chars())
            .collect()
    }
}

/// `text`'s words in lines of at most `columns` characters (longer words are
/// split), at most `lines` of them: the last ends in `...` when text remains.
fn wrap(text: &str, columns: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if columns == 0 || lines == 0 {
        return out;
    }
    let head: String = text.chars().take(MAX_PROMPT_CHARS).collect();
    let cut_short = head.len() < text.len();
    let mut current = String::new();
    let mut current_len = 0;
    'words: for word in head.split_whitespace() {
        let chars: Vec<char> = word.chars().collect();
        for piece in chars.chunks(columns) {
            let needed = if current_len == 0 {
                piece.len()
            } else {
                current_len + 1 + piece.len()
            };
            if needed > columns {
                out.push(std::mem::take(&mut current));
                current_len = 0;
                if out.len() > lines {
                    break 'words;
                }
            }
            if current_len > 0 {
                current.push(' ');
                current_len += 1;
            }
            current.extend(piece);
            current_len += piece.len();
        }
    }
    if current_len > 0 {
        out.push(current);
    }
    let more = out.len() > lines || cut_short;
    out.truncate(lines);
    if more && let Some(last) = out.last_mut() {
        *last = ellipsis(last, columns);
    }
    out
}

/// `line` followed by `...` within `columns` characters, cut at a space
/// when it has to be cut.
fn ellipsis(line: &str, columns: usize) -> String {
    if line.chars().count() + 3 <= columns {
        return format!("{line}...");
    }
    let cut: String = line.chars().take(columns.saturating_sub(3)).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > 0 => cut[..space].trim_end().to_string(),
        _ => cut,
    };
    format!("{cut}...").chars().take(columns).collect()
}

/// The palette: a seeded sky gradient (a hue from the seed, light at the top
/// and dark at the horizon), a sun and hills in related hues, and greys for
/// the text.
fn palette(seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed ^ 0x5bd1_e995);
    let hue = rng.unit() * 360.0;
    let sky_top = hsv(hue, 0.55, 0.55);
    let sky_bottom = hsv(hue + 40.0 + 80.0 * rng.unit(), 0.65, 0.3);
    let mut palette = Vec::with_capacity(COLOURS * 3);
    for step in 0..SKY_STEPS {
        let t = f64::from(step) / f64::from(SKY_STEPS - 1);
        for channel in 0..3 {
            let (a, b) = (f64::from(sky_top[channel]), f64::from(sky_bottom[channel]));
            palette.push((a + (b - a) * t).round() as u8);
        }
    }
    palette.extend(hsv(hue + 180.0 + 60.0 * rng.unit(), 0.45, 0.8)); // sun
    palette.extend(hsv(hue + 200.0, 0.35, 0.25)); // far hills
    palette.extend(hsv(hue + 220.0, 0.4, 0.14)); // near hills
    palette.extend([10, 10, 14]); // shadow
    palette.extend([215, 215, 225]); // dim text
    palette.extend([255, 255, 255]); // text
    palette
}

/// An RGB colour from hue (degrees, any value), saturation and value (0..=1).
fn hsv(hue: f64, saturation: f64, value: f64) -> [u8; 3] {
    let hue = hue.rem_euclid(360.0) / 60.0;
    let chroma = value * saturation;
    let x = chroma * (1.0 - (hue % 2.0 - 1.0).abs());
    let (r, g, b) = match hue as u32 {
        0 => (chroma, x, 0.0),
        1 => (x, chroma, 0.0),
        2 => (0.0, chroma, x),
        3 => (0.0, x, chroma),
        4 => (x, 0.0, chroma),
        _ => (chroma, 0.0, x),
    };
    let m = value - chroma;
    [r, g, b].map(|c| ((c + m) * 255.0).round().clamp(0.0, 255.0) as u8)
}

/// SplitMix64: a few reproducible numbers from a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0.0..1.0`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The canvas as an 8-bit indexed PNG. Encoding into memory cannot fail for
/// a valid header; were it to, the answer is a 1×1 PNG rather than a panic.
fn encode(canvas: &Canvas, palette: &[u8]) -> Bytes {
    let encoded = (|| -> Result<Vec<u8>, png::EncodingError> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, canvas.width, canvas.height);
        encoder.set_color(png::ColorType::Indexed);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_palette(palette);
        encoder.set_compression(png::Compression::Balanced);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&canvas.pixels)?;
        writer.finish()?;
        Ok(out)
    })();
    match encoded {
        Ok(bytes) => Bytes::from(bytes),
        Err(error) => {
            tracing::error!(%error, "could not encode a placeholder PNG");
            Bytes::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use artificial_studio_types::GenerationType;
    use serde_json::{Value, json};

    use super::*;

    fn source(payload: Value) -> Source {
        let Value::Object(payload) = payload else {
            unreachable!("test payloads are objects")
        };
        Source::new(GenerationType::Image, "create-image", payload)
    }

    fn decode(png: &[u8]) -> (u32, u32) {
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut pixels).unwrap();
        (frame.width, frame.height)
    }

    #[test]
    fn placeholders_have_the_size_asked_for_and_decode() {
        let made = placeholder(&source(json!({"prompt": "a lighthouse"})), 1024, 576);
        assert_eq!(decode(&made), (1024, 576));
        let tiny = placeholder(&source(json!({"prompt": "a lighthouse"})), 1, 1);
        assert_eq!(decode(&tiny), (1, 1));
    }

    #[test]
    fn the_same_input_gives_the_same_bytes_and_another_prompt_others() {
        let input = json!({"model": "seedream-4", "prompt": "a lighthouse at dusk"});
        let first = placeholder(&source(input.clone()), 512, 512);
        assert_eq!(first, placeholder(&source(input), 512, 512));
        let other = json!({"model": "seedream-4", "prompt": "a lighthouse at dawn"});
        assert_ne!(first, placeholder(&source(other), 512, 512));
    }

    #[test]
    fn a_square_hd_placeholder_stays_in_the_tens_of_kilobytes() {
        let prompt = "a lighthouse at dusk, waves crashing on the rocks, ".repeat(8);
        let png = placeholder(
            &source(json!({"model": "seedream-4", "prompt": prompt})),
            1024,
            1024,
        );
        assert!(png.len() < 100_000, "{} bytes", png.len());
    }

    #[test]
    fn long_prompts_wrap_and_end_in_an_ellipsis() {
        let lines = wrap("the quick brown fox jumps over the lazy dog", 10, 3);
        assert_eq!(lines, ["the quick", "brown fox", "jumps..."]);
        assert_eq!(wrap("short", 10, 3), ["short"]);
        assert_eq!(
            wrap("abcdefghijklmnopqrstuvwxyz", 10, 5),
            ["abcdefghij", "klmnopqrst", "uvwxyz"]
        );
        let huge = "word ".repeat(20_000);
        let lines = wrap(&huge, 40, MAX_PROMPT_LINES);
        assert_eq!(lines.len(), MAX_PROMPT_LINES);
        assert!(lines.iter().all(|l| l.chars().count() <= 40));
        assert!(lines[MAX_PROMPT_LINES - 1].ends_with("..."));
        assert!(wrap("anything", 0, 3).is_empty());
        assert_eq!(clip("seedream-4", 5), "se...");
        assert_eq!(clip("abc", 2), "ab");
    }

    #[test]
    fn characters_without_a_glyph_are_drawn_as_a_question_mark() {
        assert_eq!(glyph('猫'), glyph('?'));
        assert_eq!(glyph('\u{7}'), glyph('?'));
        assert_ne!(glyph('é'), glyph('?'));
        assert_ne!(glyph('A'), glyph('?'));
    }

    #[test]
    fn odd_prompts_and_sizes_still_give_a_png() {
        for (payload, width, height) in [
            (json!({"prompt": "x".repeat(100_000)}), 1024, 1024),
            (json!({"prompt": "猫 🐈 \u{0} \n\t"}), 300, 40),
            (json!({"prompt": 42}), 1024, 128),
            (json!({}), 0, 100_000),
        ] {
            let png = placeholder(&source(payload), width, height);
            let (w, h) = decode(&png);
            assert_eq!((w, h), (width.clamp(1, 4096), height.clamp(1, 4096)));
        }
    }
}
