//! Small text and file helpers of the exchange: escaping for HTML, YAML and CSV, and writing
//! files so that a failure leaves nothing half-written.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use std::collections::HashMap;

use uuid::Uuid;

use super::ExportDocument;
use crate::model::{CommitmentStatus, Group, Moment, TouchpointKind};
use crate::Error;

/// Escapes text for HTML element content and attribute values.
pub(crate) fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A YAML double-quoted scalar holding exactly `text`.
///
/// Backslash, quote and every character YAML could read as a line break or that is not
/// printable are escaped, so any text, names and notes included, stays one safe value.
pub(crate) fn yaml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Free text for a CSV cell: a leading character that a spreadsheet would run as a formula
/// gets a `'` in front (the usual guard against formula injection).
pub(crate) fn csv_text(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// Text on one line: line breaks become spaces (for headings and table cells).
pub(crate) fn one_line(text: &str) -> String {
    text.split(['\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A signed number of points with one decimal: `+2.0`, `-4.0`, `0.0`.
pub(crate) fn points(value: f64) -> String {
    if value == 0.0 {
        "0.0".into()
    } else {
        format!("{value:+.1}")
    }
}

/// A rating as shown in reports: `+2`, `0`, `-1`.
pub(crate) fn rating(value: i32) -> String {
    if value > 0 {
        format!("+{value}")
    } else {
        value.to_string()
    }
}

/// A touchpoint kind in words.
pub(crate) fn kind_label(kind: TouchpointKind) -> &'static str {
    match kind {
        TouchpointKind::OneOnOne => "One-on-one",
        TouchpointKind::TeamMeeting => "Team meeting",
        TouchpointKind::Feedback => "Feedback",
        TouchpointKind::Conflict => "Conflict",
        TouchpointKind::Decision => "Decision",
        TouchpointKind::Other => "Note",
    }
}

/// A stakeholder group in words.
pub(crate) fn group_label(group: Group) -> &'static str {
    match group {
        Group::DirectReport => "Direct report",
        Group::Peer => "Peer",
        Group::LeaderAbove => "Leader above",
        Group::Customer => "Customer",
        Group::Community => "Community",
        Group::Other => "Other",
    }
}

/// A commitment status in words.
pub(crate) fn status_label(status: CommitmentStatus) -> &'static str {
    match status {
        CommitmentStatus::Open => "open",
        CommitmentStatus::Kept => "kept",
        CommitmentStatus::Broken => "broken",
        CommitmentStatus::Renegotiated => "renegotiated",
    }
}

/// A time as written, in its own offset: `2024-05-01 10:00 +05:30`.
pub(crate) fn when(at: &Moment) -> String {
    at.format("%Y-%m-%d %H:%M %:z").to_string()
}

/// Names of the people of a document by id.
pub(crate) fn names(doc: &ExportDocument) -> HashMap<Uuid, String> {
    doc.people.iter().map(|p| (p.id, p.name.clone())).collect()
}

/// The name of `id`, or a placeholder for someone not in the document.
pub(crate) fn name_of(names: &HashMap<Uuid, String>, id: Uuid) -> String {
    names
        .get(&id)
        .cloned()
        .unwrap_or_else(|| "someone not in this export".into())
}

/// Files written beside their final names as `<name>.partial` and renamed into place only
/// once every one of them is complete. Dropped before [`Staged::commit`], it removes them.
pub(crate) struct Staged {
    files: Vec<(PathBuf, PathBuf)>,
}

impl Staged {
    pub(crate) fn new() -> Self {
        Staged { files: Vec::new() }
    }

    /// Writes `bytes` to a new `<path>.partial`, private to the user (0600), and flushes them
    /// to disk.
    ///
    /// Anything already at `<path>.partial`, a file or a symbolic link, is an error and is left
    /// as it is: the link is never followed, so an export cannot be redirected into another
    /// file, nor left readable by others.
    pub(crate) fn write(&mut self, path: &Path, bytes: &[u8]) -> Result<(), Error> {
        let partial = partial_path(path);
        let mut file = match crate::harden::create_new_private(&partial) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(Error::InvalidInput(format!(
                    "{} is in the way: something is already there (perhaps left by an \
                     interrupted export); move it away and try again",
                    partial.display()
                )))
            }
            Err(e) => return Err(Error::io(format!("cannot write {}", partial.display()), e)),
        };
        // Registered once created, even when the write then fails, so the leftover is removed
        // on drop; never before, so what was already there is never removed.
        self.files.push((partial.clone(), path.to_path_buf()));
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::io(format!("cannot write {}", partial.display()), e))
    }

    /// Renames every staged file to its final name.
    pub(crate) fn commit(mut self) -> Result<Vec<PathBuf>, Error> {
        let files = std::mem::take(&mut self.files);
        let mut done = Vec::with_capacity(files.len());
        for (i, (partial, path)) in files.iter().enumerate() {
            if let Err(e) = fs::rename(partial, path) {
                for (p, _) in &files[i..] {
                    let _ = fs::remove_file(p);
                }
                return Err(Error::io(format!("cannot write {}", path.display()), e));
            }
            done.push(path.clone());
        }
        if let Some(dir) = done.first().and_then(|p| p.parent()) {
            // Make the renames durable; not every platform can open a folder, so best effort.
            if let Ok(d) = File::open(if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            }) {
                let _ = d.sync_all();
            }
        }
        Ok(done)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (partial, _) in &self.files {
            let _ = fs::remove_file(partial);
        }
    }
}

/// Writes one file the user asked for (a prompt-set export, for example) the way exports are
/// written: private to the user (0600), staged as `<path>.partial` (never through a symbolic
/// link) and renamed into place once complete.
pub fn write_private_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let mut staged = Staged::new();
    staged.write(path, bytes)?;
    staged.commit().map(|_| ())
}

/// `<path>.partial`.
pub(crate) fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_every_special_character() {
        assert_eq!(
            html(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn yaml_quoting_round_trips_through_a_json_reader() {
        // A YAML double-quoted scalar with only these escapes is also a JSON string.
        for text in [
            "plain",
            "quote \" and backslash \\",
            "line\nbreak\r\n\ttab",
            "yes",
            "- not a list",
            "key: value # not a comment",
            "\u{2028}\u{85}\u{1}",
            "Zoë 🙂",
        ] {
            let quoted = yaml(text);
            let back: String = serde_json::from_str(&quoted).expect("valid JSON string");
            assert_eq!(back, text, "{quoted} must read back as the original text");
            assert!(!quoted.contains('\n'), "one line");
        }
    }

    #[test]
    fn csv_text_defuses_formulas() {
        assert_eq!(csv_text("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_text("@cmd"), "'@cmd");
        assert_eq!(csv_text("fine"), "fine");
    }

    #[test]
    fn written_files_are_private_and_a_link_in_the_way_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("prompts.json");
        write_private_file(&path, b"[]").expect("write");
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        // Replacing an existing file works (the rename replaces it).
        write_private_file(&path, b"[1]").expect("write again");
        assert_eq!(fs::read(&path).unwrap(), b"[1]");

        let target = dir.path().join("target");
        fs::write(&target, b"untouched").unwrap();
        std::os::unix::fs::symlink(&target, partial_path(&path)).unwrap();
        let err = write_private_file(&path, b"[2]").unwrap_err();
        assert_eq!(err.code(), "invalid_input", "{err}");
        assert_eq!(fs::read(&target).unwrap(), b"untouched");
        assert_eq!(fs::read(&path).unwrap(), b"[1]", "the old file stays");
        assert!(
            fs::symlink_metadata(partial_path(&path))
                .unwrap()
                .file_type()
                .is_symlink(),
            "the link is left where it was, not removed on drop"
        );
    }

    #[test]
    fn staged_files_vanish_unless_committed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.json");
        {
            let mut staged = Staged::new();
            staged.write(&path, b"{}").expect("write");
            assert!(partial_path(&path).exists());
        }
        assert!(
            !partial_path(&path).exists(),
            "dropped staging removes the partial file"
        );
        assert!(!path.exists());
        let mut staged = Staged::new();
        staged.write(&path, b"{}").expect("write");
        staged.commit().expect("commit");
        assert!(path.exists() && !partial_path(&path).exists());
    }
}
