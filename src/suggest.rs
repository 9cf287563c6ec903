//! "Did you mean": the closest of the names that exist to a name that does not, as help text.

/// The closest of `candidates` to `input`, when one is close enough (Jaro-Winkler above 0.8).
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(input, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// "did you mean `x`?" for the closest of `candidates`, when one is close enough.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(input, candidates).map(|close| format!("did you mean `{close}`?"))
}

/// "did you mean `x`?", or else `intro` and every candidate: "the variants are `a`, `b`".
pub fn did_you_mean_or_list(input: &str, candidates: &[&str], intro: &str) -> String {
    did_you_mean(input, candidates.iter().copied()).unwrap_or_else(|| list(intro, candidates))
}

/// `intro` and every candidate: "the variants are `a`, `b`".
pub fn list(intro: &str, candidates: &[&str]) -> String {
    let list = candidates
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("{intro} {list}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_name_or_lists_them_all() {
        assert_eq!(closest("defualt", ["default", "other"]), Some("default"));
        assert_eq!(closest("zzz", ["default"]), None);
        assert_eq!(
            did_you_mean("defualt", ["default"]).as_deref(),
            Some("did you mean `default`?")
        );
        assert_eq!(
            did_you_mean_or_list("zzz", &["a", "b"], "the variants are"),
            "the variants are `a`, `b`"
        );
    }
}
