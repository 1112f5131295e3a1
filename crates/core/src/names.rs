//! "Did you mean …?": the names a mistyped or half-remembered one most likely stands for.

/// How alike two names must be (Jaro-Winkler, 0..1) to be suggested: "Ana Cost" and
/// "Ana Costa" are, "Ana" and "Ben Okafor" are not.
const ALIKE: f64 = 0.85;
/// Suggestions at most.
const MAX: usize = 3;

/// The names among `candidates` that `typed` most likely meant, best first, at most three:
/// names much alike (a typo, a letter missing or doubled), and names with a word much like
/// it ("costa" for "Ana Costa"). Case and surrounding spaces are ignored.
pub fn closest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let typed = typed.trim().to_lowercase();
    if typed.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter_map(|name| {
            let lower = name.to_lowercase();
            let whole = strsim::jaro_winkler(&typed, &lower);
            let word = lower
                .split_whitespace()
                .map(|w| strsim::jaro_winkler(&typed, w))
                .fold(0.0, f64::max);
            let score = whole.max(word);
            (score >= ALIKE).then_some((score, name))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(MAX).map(|(_, n)| n).collect()
}

/// The end of a "not found" message: `; did you mean Ana Costa?` (or `Ana Costa or Ana
/// Lima?`), or nothing when no name is close.
pub fn did_you_mean<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match closest(typed, candidates).as_slice() {
        [] => String::new(),
        [one] => format!("; did you mean {one}?"),
        [rest @ .., last] => format!("; did you mean {} or {last}?", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEAM: [&str; 5] = ["Ana Costa", "Ana Lima", "Ben Okafor", "Dana Reyes", "Bob"];

    #[test]
    fn typos_and_single_words_find_the_name_meant() {
        assert_eq!(closest("Ana Cotsa", TEAM), vec!["Ana Costa"]);
        assert_eq!(closest("ben okafro", TEAM), vec!["Ben Okafor"]);
        assert_eq!(closest("  OKAFOR ", TEAM), vec!["Ben Okafor"]);
        assert_eq!(closest("Reyse", TEAM), vec!["Dana Reyes"]);
    }

    #[test]
    fn nothing_alike_suggests_nothing() {
        assert!(closest("Zoe Quartermain", TEAM).is_empty());
        assert!(closest("", TEAM).is_empty());
        assert_eq!(did_you_mean("Zoe Quartermain", TEAM), "");
    }

    #[test]
    fn several_close_names_are_offered_best_first() {
        // Exact words first (alphabetical on a tie), then a letter off.
        assert_eq!(
            did_you_mean("Ana", TEAM),
            "; did you mean Ana Costa, Ana Lima or Dana Reyes?"
        );
        assert_eq!(did_you_mean("Ana Costa", TEAM), "; did you mean Ana Costa?");
    }
}
