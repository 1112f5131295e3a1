//! Pseudonymising an export: people become "Person A", "Person B", … and their names and
//! email addresses are replaced inside every piece of free text.
//!
//! Matching is whole-word and ignores case. A full name always matches its person; a first
//! name or a last name alone matches too when it belongs to one person only, and is replaced by
//! "[name]" when several people share it (so it cannot point at either). Names of people who
//! are not in the export are replaced as well: a note may mention anyone.

use std::collections::HashMap;

use uuid::Uuid;

use crate::vault::exchange_store::KnownName;

/// Replacement for a first or last name shared by several people.
const AMBIGUOUS: &str = "[name]";
/// Replacement for an email address that belongs to no known person.
const EMAIL: &str = "[email]";

/// The spreadsheet-style label of the `n`th person (0-based): A … Z, AA, AB, …
pub(crate) fn label(n: usize) -> String {
    let mut n = n + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    format!("Person {}", letters.iter().rev().collect::<String>())
}

/// A name as lower-case words, the way it is matched.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Replaces people's names and addresses in text with their labels.
pub(crate) struct Pseudonymiser {
    labels: HashMap<Uuid, String>,
    /// Word sequences to replace with their replacements, by first word, longest first.
    patterns: HashMap<String, Vec<(Vec<String>, String)>>,
    emails: HashMap<String, String>,
}

impl Pseudonymiser {
    /// Labels `exported` people in the order given, then everyone else in `known` (the
    /// journal's people, trashed ones included) in theirs, and learns all their names.
    pub(crate) fn new(exported: &[Uuid], known: &[KnownName]) -> Self {
        let mut labels: HashMap<Uuid, String> = HashMap::new();
        for id in exported.iter().copied().chain(known.iter().map(|k| k.id)) {
            let next = labels.len();
            labels.entry(id).or_insert_with(|| label(next));
        }
        let mut full: HashMap<Vec<String>, String> = HashMap::new();
        let mut partial: HashMap<Vec<String>, Vec<Uuid>> = HashMap::new();
        let mut emails = HashMap::new();
        for person in known {
            let label = labels[&person.id].clone();
            let name = words(&person.name);
            if !name.is_empty() {
                full.insert(name, label.clone());
            }
            let parts: Vec<&str> = person.name.split_whitespace().collect();
            if parts.len() >= 2 {
                for part in [parts[0], parts[parts.len() - 1]] {
                    let w = words(part);
                    // A lone initial says nothing and would eat every "a" and "I" in the text.
                    if w.concat().chars().count() >= 2 {
                        let owners = partial.entry(w).or_default();
                        if !owners.contains(&person.id) {
                            owners.push(person.id);
                        }
                    }
                }
            }
            for email in &person.emails {
                emails.insert(email.trim().to_lowercase(), label.clone());
            }
        }
        let mut patterns: Vec<(Vec<String>, String)> = Vec::new();
        for (w, owners) in partial {
            if full.contains_key(&w) {
                continue;
            }
            let replacement = match owners.as_slice() {
                [one] => labels[one].clone(),
                _ => AMBIGUOUS.to_string(),
            };
            patterns.push((w, replacement));
        }
        patterns.extend(full);
        patterns.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        let mut by_first: HashMap<String, Vec<(Vec<String>, String)>> = HashMap::new();
        for (words, replacement) in patterns {
            by_first
                .entry(words[0].clone())
                .or_default()
                .push((words, replacement));
        }
        let patterns = by_first;
        Pseudonymiser {
            labels,
            patterns,
            emails,
        }
    }

    /// The label of a person.
    pub(crate) fn label_of(&self, id: Uuid) -> String {
        self.labels
            .get(&id)
            .cloned()
            .unwrap_or_else(|| AMBIGUOUS.to_string())
    }

    /// `text` with every known name and every email address replaced.
    pub(crate) fn text(&self, text: &str) -> String {
        if text.is_empty() {
            return String::new();
        }
        let text = self.replace_emails(text);
        self.replace_names(&text)
    }

    /// Email addresses become their owner's label, or "[email]".
    fn replace_emails(&self, text: &str) -> String {
        if !text.contains('@') {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let local = |c: char| c.is_alphanumeric() || "._%+-'".contains(c);
        let domain = |c: char| c.is_alphanumeric() || ".-".contains(c);
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut i = 0;
        while i < chars.len() {
            if chars[i] == '@' {
                let mut start = i;
                while start > copied && local(chars[start - 1]) {
                    start -= 1;
                }
                let mut end = i + 1;
                while end < chars.len() && domain(chars[end]) {
                    end += 1;
                }
                // Trailing dots end a sentence, not the domain.
                while end > i + 1 && chars[end - 1] == '.' {
                    end -= 1;
                }
                let host: String = chars[i + 1..end].iter().collect();
                if start < i && host.contains('.') {
                    let address: String = chars[start..end].iter().collect::<String>();
                    out.extend(&chars[copied..start]);
                    let key = address.to_lowercase();
                    out.push_str(self.emails.get(&key).map_or(EMAIL, String::as_str));
                    copied = end;
                    i = end;
                    continue;
                }
            }
            i += 1;
        }
        out.extend(&chars[copied..]);
        out
    }

    fn replace_names(&self, text: &str) -> String {
        // The text as alternating runs: words (letters and digits) and the gaps between them.
        let mut runs: Vec<(bool, &str)> = Vec::new();
        let mut start = 0;
        let mut in_word = None;
        for (i, c) in text.char_indices() {
            let w = c.is_alphanumeric();
            if in_word != Some(w) {
                if let Some(prev) = in_word {
                    runs.push((prev, &text[start..i]));
                }
                start = i;
                in_word = Some(w);
            }
        }
        if let Some(prev) = in_word {
            runs.push((prev, &text[start..]));
        }
        let lower: Vec<String> = runs.iter().map(|(_, s)| s.to_lowercase()).collect();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        'runs: while i < runs.len() {
            if let Some(candidates) = runs[i].0.then(|| self.patterns.get(&lower[i])).flatten() {
                for (pattern, replacement) in candidates {
                    if let Some(end) = matches_at(&runs, &lower, i, pattern) {
                        out.push_str(replacement);
                        i = end;
                        continue 'runs;
                    }
                }
            }
            out.push_str(runs[i].1);
            i += 1;
        }
        out
    }
}

/// Whether the words of `pattern` start at run `i` (separated only by a short gap of spaces,
/// hyphens, dots or apostrophes); returns the run just after the match.
fn matches_at(
    runs: &[(bool, &str)],
    lower: &[String],
    i: usize,
    pattern: &[String],
) -> Option<usize> {
    let mut at = i;
    for (k, word) in pattern.iter().enumerate() {
        if k > 0 {
            let gap = runs.get(at)?;
            let ok = !gap.0
                && gap.1.chars().count() <= 3
                && gap
                    .1
                    .chars()
                    .all(|c| c == ' ' || c == '-' || c == '.' || c == '\'' || c == '\u{2019}');
            if !ok {
                return None;
            }
            at += 1;
        }
        if !runs.get(at)?.0 || lower[at] != *word {
            return None;
        }
        at += 1;
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(names: &[&str]) -> Vec<KnownName> {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| KnownName {
                id: Uuid::from_u128(i as u128 + 1),
                name: n.to_string(),
                emails: vec![format!("p{i}@example.com")],
            })
            .collect()
    }

    #[test]
    fn labels_count_like_spreadsheet_columns() {
        assert_eq!(label(0), "Person A");
        assert_eq!(label(25), "Person Z");
        assert_eq!(label(26), "Person AA");
        assert_eq!(label(27), "Person AB");
        assert_eq!(label(26 * 27), "Person AAA");
    }

    #[test]
    fn full_first_and_last_names_are_replaced_whole_word_ignoring_case() {
        let people = known(&["Zebediah Quartermaine", "Ana Lima", "Ana Souza", "Bo"]);
        let p = Pseudonymiser::new(&[people[1].id, people[0].id], &people);
        assert_eq!(p.label_of(people[1].id), "Person A");
        assert_eq!(p.label_of(people[0].id), "Person B");
        assert_eq!(
            p.text("ZEBEDIAH said Quartermaine's plan; zebediah quartermaine agreed."),
            "Person B said Person B's plan; Person B agreed."
        );
        assert_eq!(
            p.text("Ana Lima met Ana; Zebediahs and Anatole are other words."),
            "Person A met [name]; Zebediahs and Anatole are other words."
        );
        assert_eq!(p.text("Bo and bob"), "Person D and bob");
        assert_eq!(
            p.text("mail p0@example.com or x.y@corp.io."),
            "mail Person B or [email]."
        );
    }
}
