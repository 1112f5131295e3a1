//! Writing an export in the format the user picked, all files or none.

use std::fmt;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::Utc;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::Zeroizing;

use super::bundle::{encrypt_export, Encryption};
use super::select::{build, tick};
use super::text::Staged;
use super::{html, markdown, tables, ExchangeError, ExportDocument, ExportOptions, Progress};
use crate::{Error, Journal};

/// The file formats an export can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportFormat {
    /// The JSON document encrypted with age (`.touchpoint`), to public keys or a passphrase.
    Bundle,
    /// The same JSON document, unencrypted.
    Json,
    /// One self-contained HTML report (inline CSS and SVG charts, no scripts).
    Html,
    /// One Markdown file, or one file per entry with YAML front matter when given a folder.
    Markdown,
    /// `touchpoints.csv` and `reflections.csv`.
    Csv,
}

impl ExportFormat {
    /// Every format.
    pub const ALL: &'static [ExportFormat] = &[
        ExportFormat::Bundle,
        ExportFormat::Json,
        ExportFormat::Html,
        ExportFormat::Markdown,
        ExportFormat::Csv,
    ];

    /// The stable name used in the CLI and IPC.
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Bundle => "bundle",
            ExportFormat::Json => "json",
            ExportFormat::Html => "html",
            ExportFormat::Markdown => "markdown",
            ExportFormat::Csv => "csv",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Bundle => "touchpoint",
            ExportFormat::Json => "json",
            ExportFormat::Html => "html",
            ExportFormat::Markdown => "md",
            ExportFormat::Csv => "csv",
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ExportFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ExportFormat::ALL
            .iter()
            .copied()
            .find(|f| f.as_str() == s || (s == "md" && *f == ExportFormat::Markdown))
            .ok_or_else(|| {
                Error::InvalidInput(format!(
                    "unknown export format {s:?}; expected one of: bundle, json, html, markdown, csv"
                ))
            })
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportSummary {
    /// The format written.
    pub format: ExportFormat,
    /// The files written, in order.
    pub files: Vec<String>,
    /// Their total size in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
    /// People exported.
    pub people: u32,
    /// Entries exported.
    pub touchpoints: u32,
    /// Reflections exported.
    pub reflections: u32,
    /// Commitments exported.
    pub commitments: u32,
    /// Topics exported.
    pub topics: u32,
    /// Coach comments exported.
    pub annotations: u32,
    /// Whether people were replaced by labels.
    pub pseudonymised: bool,
}

/// Exports the part of `journal` that `options` selects to `out`, in `format`.
///
/// A bundle needs `encryption`; the other formats are plain and refuse it. `out` is a file,
/// except that Markdown and CSV write into it when it is an existing folder (CSV otherwise
/// writes `<out>-touchpoints.csv` and `<out>-reflections.csv`). Every file is written as
/// `<name>.partial` first and renamed only when all are complete, so a failed or cancelled
/// export leaves nothing behind.
pub fn export(
    journal: &Journal,
    options: &ExportOptions,
    format: ExportFormat,
    encryption: Option<&Encryption>,
    out: &Path,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
) -> Result<ExportSummary, ExchangeError> {
    check_encryption(format, encryption)?;
    let doc = build(journal, options, Utc::now(), progress)?;
    let export_id = random_export_id();
    let summary = write_with_id(&doc, format, encryption, out, progress, export_id)?;
    // A bundle's id is what a coach's review must carry back; a plain file has none to record.
    if let Some(to) = encryption {
        let recipients = match to {
            Encryption::Recipients(keys) => keys.iter().map(|k| k.trim().to_string()).collect(),
            Encryption::Passphrase(_) => Vec::new(),
        };
        journal.record_export(export_id, &recipients, Utc::now())?;
    }
    Ok(summary)
}

/// A fresh export id: 122 random bits (a version 4 UUID), which nobody can guess from the
/// journal's public key or from another bundle.
pub(crate) fn random_export_id() -> uuid::Uuid {
    uuid::Builder::from_random_bytes(rand::random()).into_uuid()
}

fn check_encryption(
    format: ExportFormat,
    encryption: Option<&Encryption>,
) -> Result<(), ExchangeError> {
    match (format, encryption) {
        (ExportFormat::Bundle, None) => Err(ExchangeError::invalid(
            "a bundle is encrypted: give a passphrase or at least one recipient's public key",
        )),
        (ExportFormat::Bundle, Some(_)) | (_, None) => Ok(()),
        (f, Some(_)) => Err(ExchangeError::invalid(format!(
            "only bundles are encrypted; a {f} export is written as plain text"
        ))),
    }
}

/// Writes an already built document (an export, or one opened for review) in `format`.
pub fn write_document(
    doc: &ExportDocument,
    format: ExportFormat,
    encryption: Option<&Encryption>,
    out: &Path,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
) -> Result<ExportSummary, ExchangeError> {
    // A bundle written here (outside a journal, as from review mode) gets an id nobody
    // recorded: no journal takes a review of it.
    write_with_id(doc, format, encryption, out, progress, random_export_id())
}

fn write_with_id(
    doc: &ExportDocument,
    format: ExportFormat,
    encryption: Option<&Encryption>,
    out: &Path,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
    export_id: uuid::Uuid,
) -> Result<ExportSummary, ExchangeError> {
    check_encryption(format, encryption)?;
    let files = render(doc, format, encryption, out, export_id)?;
    let total = files.len();
    let mut staged = Staged::new();
    let mut bytes = 0u64;
    for (i, (path, content)) in files.iter().enumerate() {
        tick(progress, i, total, "writing")?;
        staged.write(path, content)?;
        bytes += content.len() as u64;
    }
    tick(progress, total, total, "writing")?;
    let written = staged.commit()?;
    Ok(ExportSummary {
        format,
        files: written.iter().map(|p| p.display().to_string()).collect(),
        bytes,
        people: doc.people.len() as u32,
        touchpoints: doc.touchpoints.len() as u32,
        reflections: doc.reflections.len() as u32,
        commitments: doc.commitments.len() as u32,
        topics: doc.topics.len() as u32,
        annotations: doc.annotations.len() as u32,
        pseudonymised: doc.options.pseudonymise,
    })
}

type Files = Vec<(PathBuf, Zeroizing<Vec<u8>>)>;

/// The files of an export, in memory, with the paths they go to.
fn render(
    doc: &ExportDocument,
    format: ExportFormat,
    encryption: Option<&Encryption>,
    out: &Path,
    export_id: uuid::Uuid,
) -> Result<Files, ExchangeError> {
    let folder = out.is_dir();
    if !folder {
        let parent = out.parent().filter(|p| !p.as_os_str().is_empty());
        if let Some(parent) = parent {
            if !parent.is_dir() {
                return Err(Error::NotFound(format!(
                    "the folder {} does not exist",
                    parent.display()
                ))
                .into());
            }
        }
    }
    let file = |content: Vec<u8>| vec![(out.to_path_buf(), Zeroizing::new(content))];
    let json = || {
        serde_json::to_vec_pretty(doc)
            .map(Zeroizing::new)
            .map_err(|e| ExchangeError::invalid(format!("cannot write the document: {e}")))
    };
    let refuse_folder = || {
        Err(ExchangeError::invalid(format!(
            "{} is a folder; a {format} export needs a file name",
            out.display()
        )))
    };
    Ok(match format {
        ExportFormat::Bundle => {
            if folder {
                return refuse_folder();
            }
            let to = encryption.expect("checked above");
            let path = if out.extension().is_none() {
                out.with_extension(ExportFormat::Bundle.extension())
            } else {
                out.to_path_buf()
            };
            vec![(path, Zeroizing::new(encrypt_export(doc, export_id, to)?))]
        }
        ExportFormat::Json => {
            if folder {
                return refuse_folder();
            }
            vec![(out.to_path_buf(), json()?)]
        }
        ExportFormat::Html => {
            if folder {
                return refuse_folder();
            }
            file(html::render(doc).into_bytes())
        }
        ExportFormat::Markdown if folder => markdown::per_entry(doc)
            .into_iter()
            .map(|(name, text)| (out.join(name), Zeroizing::new(text.into_bytes())))
            .collect(),
        ExportFormat::Markdown => file(markdown::single(doc).into_bytes()),
        ExportFormat::Csv => {
            let (touchpoints, reflections) = if folder {
                (out.join("touchpoints.csv"), out.join("reflections.csv"))
            } else {
                let base = if out
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
                {
                    out.with_extension("")
                } else {
                    out.to_path_buf()
                };
                let name = base.file_name().unwrap_or_default().to_string_lossy();
                (
                    base.with_file_name(format!("{name}-touchpoints.csv")),
                    base.with_file_name(format!("{name}-reflections.csv")),
                )
            };
            vec![
                (touchpoints, Zeroizing::new(tables::touchpoints(doc)?)),
                (reflections, Zeroizing::new(tables::reflections(doc)?)),
            ]
        }
    })
}
