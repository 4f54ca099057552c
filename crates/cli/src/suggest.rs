//! "Did you mean" for mistyped tool slugs, by edit distance.

/// Up to `max` candidates closest to `typed`, closest first; only those a
/// person plausibly meant (a few edits away, or containing the typed word).
pub fn closest<'a>(
    typed: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Vec<&'a str> {
    let typed = typed.to_ascii_lowercase();
    let limit = (typed.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let distance = strsim::damerau_levenshtein(&typed, &c.to_ascii_lowercase());
            let related = c.contains(typed.as_str()) || (typed.len() >= 4 && typed.contains(c));
            (distance <= limit || (related && !typed.is_empty())).then_some((distance, c))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(max).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOOLS: &[&str] = &[
        "create-image",
        "edit-image",
        "upscale-image",
        "create-video",
        "text-to-speech",
    ];

    #[test]
    fn a_typo_suggests_the_tool_meant() {
        assert_eq!(
            closest("create-imgae", TOOLS.iter().copied(), 3)[0],
            "create-image"
        );
        assert_eq!(
            closest("text-to-speach", TOOLS.iter().copied(), 3),
            ["text-to-speech"]
        );
    }

    #[test]
    fn a_word_inside_slugs_suggests_them() {
        let found = closest("video", TOOLS.iter().copied(), 3);
        assert_eq!(found, ["create-video"]);
    }

    #[test]
    fn nothing_close_suggests_nothing() {
        assert!(closest("qwertyuiop", TOOLS.iter().copied(), 3).is_empty());
    }
}
