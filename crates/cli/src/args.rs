//! The command-line grammar: every command, flag and its help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const EXIT_CODES: &str = "\
Passphrases: prompted on a terminal, else read from TOUCHPOINT_PASSPHRASE
(new ones from TOUCHPOINT_NEW_PASSPHRASE, recovery codes from TOUCHPOINT_RECOVERY_CODE).
After `touchpoint unlock`, commands on that journal ask for none until the session ends.

Exit codes:
  0  ok
  1  anything else (no journal, full disk, ...)
  2  usage error
  3  wrong passphrase or recovery code, or an unlock session that can no
     longer be used and no passphrase to fall back on
  4  journal damaged
  5  journal in use by another process
  6  invalid input (including a name or id that does not exist, or a new
     passphrase too weak to use, or a refused review)
  7  an import would change records already in the journal: nothing was
     changed; see the preview, then run again with --yes";

/// Touchpoint: a private, encrypted journal of the moments where trust is won or lost.
#[derive(Debug, Parser)]
#[command(name = "touchpoint", version, after_help = EXIT_CODES)]
pub struct Cli {
    /// The journal folder [default: the platform data folder, e.g. ~/.local/share/touchpoint/journal]
    #[arg(long, global = true, env = "TOUCHPOINT_JOURNAL", value_name = "DIR")]
    pub journal: Option<PathBuf>,
    /// Print JSON instead of text, for scripts.
    #[arg(long, global = true)]
    pub json: bool,
    /// Colour and emphasis: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "auto",
        value_name = "WHEN"
    )]
    pub color: crate::style::ColorChoice,
    /// When the command uses an unlock session, start its length again from now.
    #[arg(long, global = true)]
    pub extend: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Every command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new journal and print its recovery code (shown only this once).
    Init,
    /// Change the passphrase (the journal itself is not rewritten); the old one stops opening
    /// the journal and its backups.
    Passwd,
    /// Set a new passphrase with the recovery code.
    Recover,
    /// Replace the recovery code with a new one (the old one stops working).
    NewRecoveryCode,
    /// Re-encrypt the journal and its backups under a new key, for when a passphrase or an old
    /// copy of the key file may have leaked; prints a new recovery code (the passphrase stays).
    Rekey {
        /// Remove the backups made under the old key instead of re-encrypting them.
        #[arg(long)]
        remove_backups: bool,
    },
    /// Add, list, edit, trash or erase people.
    #[command(subcommand)]
    Person(PersonCommand),
    /// Record a touchpoint; with --willingness and --ability, also a reflection per person.
    Add(AddArgs),
    /// Write the reflection of one participant of a touchpoint.
    Reflect(ReflectArgs),
    /// Show one touchpoint with its reflections, commitments and topics.
    Show {
        /// The touchpoint id.
        id: String,
    },
    /// Move a touchpoint to the trash (kept 30 days), or erase it now with --erase.
    Delete {
        /// The touchpoint id.
        id: String,
        /// Erase it for good now, with its reflections and comments, skipping the trash.
        #[arg(long)]
        erase: bool,
    },
    /// Promises made to people.
    #[command(subcommand)]
    Commitment(CommitmentCommand),
    /// Open topics people raised.
    #[command(subcommand)]
    Topic(TopicCommand),
    /// The Trust Balance of a person, team or group, or every relationship at a glance.
    Balance(BalanceArgs),
    /// List touchpoints, newest first.
    List(ListArgs),
    /// Full-text search over notes, reflections, commitments and topics.
    Search(SearchArgs),
    /// What needs attention: drafts, overdue one-on-ones, commitments due, slipping relationships.
    Today,
    /// Reflection prompt sets: list, export and import as JSON.
    #[command(subcommand)]
    Prompts(PromptsCommand),
    /// Show or change settings.
    Settings(SettingsArgs),
    /// The trash: list, restore, empty.
    #[command(subcommand)]
    Trash(TrashCommand),
    /// Write an encrypted backup now.
    Backup,
    /// List backups, newest first.
    Backups,
    /// Replace the journal with a backup (the current one is kept as journal.db.before-restore).
    Restore {
        /// The backup's .db file.
        file: PathBuf,
    },
    /// Check the journal's integrity (page authentication, structure, search index).
    Verify,
    /// Fill an empty journal with a realistic synthetic one.
    Demo(DemoArgs),
    /// This journal's public key, for coaches and leaders to send bundles to.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Export part of the journal: an encrypted bundle, an HTML report, Markdown, CSV or JSON.
    Export(ExportArgs),
    /// Import a bundle, review file, JSON export, Day One zip, jrnl JSON or iCalendar file
    /// (recognised by content).
    Import(ImportArgs),
    /// Read a bundle someone sent you, comment on it and send the review back.
    Review(ReviewArgs),
    /// Calendar files kept current: link an .ics file once, then every sync imports its
    /// meetings again (new ones added, moved or cancelled drafts brought up to date).
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Change initiatives (an AI roll-out): statements, guidelines, wins, setbacks, concerns,
    /// the five steps as a plan, measures and the initiative's Trust Balance.
    #[command(subcommand)]
    Initiative(crate::initiative::InitiativeCommand),
    /// Unlock the journal for a while: later commands on it ask for no passphrase until the
    /// session ends (the key is kept in the kernel's session keyring, never on disk).
    Unlock {
        /// How long, e.g. 15m, 90s, 2h or 1h30m (at most 8h).
        #[arg(long = "for", value_name = "DURATION", default_value = "15m")]
        length: String,
    },
    /// End the unlock session now.
    Lock,
    /// Say whether an unlock session is open for the journal, and until when.
    Status,
    /// Print the shell completion script for bash, zsh or fish, for example
    /// `touchpoint completions bash > ~/.local/share/bash-completion/completions/touchpoint`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Write the manual pages (touchpoint.1 and one page per command) into a folder.
    #[command(hide = true)]
    Manual {
        /// Where the pages go; created when missing.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

/// `calendar` subcommands.
#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Link a calendar (.ics) file and import its meetings now; refused for a missing file or
    /// one that is not a calendar.
    Link {
        /// The .ics file (for example one your calendar or a sync tool keeps up to date).
        path: PathBuf,
    },
    /// Stop syncing a linked file; the meetings it brought in stay.
    Unlink {
        /// The linked file's path.
        path: PathBuf,
    },
    /// The linked files, with what their last sync found.
    List,
    /// Import every linked file again (or only PATH). A missing or broken file is reported
    /// and the others are synced all the same; the exit code is 0 unless the journal
    /// itself fails.
    Sync {
        /// Only this linked file.
        path: Option<PathBuf>,
    },
}

/// `key` subcommands.
#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Print the public key ("age1...").
    Show,
}

/// `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// bundle, html, markdown, csv or json.
    #[arg(long)]
    pub format: String,
    /// Where to write (Markdown and CSV write into it when it is an existing folder).
    #[arg(long)]
    pub out: PathBuf,
    /// Encrypt a bundle to this public key (repeatable); without one, to a passphrase from
    /// TOUCHPOINT_EXPORT_PASSPHRASE or the terminal.
    #[arg(long)]
    pub recipient: Vec<String>,
    /// Only entries on or after this date.
    #[arg(long)]
    pub since: Option<String>,
    /// Only entries on or before this date.
    #[arg(long)]
    pub until: Option<String>,
    /// Only these people (repeatable).
    #[arg(long)]
    pub person: Vec<String>,
    /// Only these kinds (repeatable).
    #[arg(long)]
    pub kind: Vec<String>,
    /// Only entries with these tags (repeatable).
    #[arg(long)]
    pub tag: Vec<String>,
    /// Replace people's names with stable labels ("Person A"), in the text too.
    #[arg(long)]
    pub pseudonymise: bool,
}

/// `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file.
    pub path: PathBuf,
    /// Calendars: first day of the window [default: 30 days ago].
    #[arg(long)]
    pub from: Option<String>,
    /// Calendars: last day of the window [default: 7 days from now].
    #[arg(long)]
    pub to: Option<String>,
    /// Show what the import would add and change, and change nothing.
    #[arg(long, conflicts_with = "yes")]
    pub dry_run: bool,
    /// Go ahead even when the import changes records already in the journal (without it such
    /// an import stops with its preview and exit code 7).
    #[arg(long)]
    pub yes: bool,
}

/// `review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The bundle (.touchpoint) to review.
    pub bundle: PathBuf,
    /// What to do with it.
    #[command(subcommand)]
    pub action: ReviewCommand,
}

/// `review BUNDLE` subcommands.
#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// The people in the bundle and its entries.
    List,
    /// One person's entries.
    Person {
        /// Their name (or label, in a pseudonymised bundle).
        name: String,
    },
    /// One person's balance over the shared entries, with its explanation.
    Balance {
        /// Their name or label.
        name: String,
    },
    /// One entry with its reflections and comments.
    Show {
        /// The touchpoint id.
        id: String,
    },
    /// Comment on an entry or reflection (kept, encrypted, in your journal until sent).
    Annotate {
        /// The touchpoint or reflection id.
        id: String,
        /// The comment.
        text: String,
    },
    /// Write the review file, encrypted to the sender's key.
    ExportReview {
        /// Where to write.
        #[arg(long)]
        out: PathBuf,
        /// Your name as the reviewer.
        #[arg(long, default_value = "Coach")]
        author: String,
    },
}

/// `person` subcommands.
#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Add a person.
    Add(PersonAddArgs),
    /// List people.
    List {
        /// Include archived people.
        #[arg(long)]
        all: bool,
    },
    /// Change a person's details.
    Edit(PersonEditArgs),
    /// Move a person to the trash (kept 30 days, then erased).
    Remove {
        /// The person's name.
        name: String,
    },
    /// Erase a person and everything about them, permanently (in the trash or not).
    Erase {
        /// The person's name.
        name: String,
    },
}

/// `person add`.
#[derive(Debug, Args)]
pub struct PersonAddArgs {
    /// Their name.
    pub name: String,
    /// Stakeholder group: direct_report, peer, leader_above, customer, community, other.
    #[arg(long, default_value = "direct_report")]
    pub group: String,
    /// Days between one-on-ones (0 for none) [default: the journal's default for direct reports].
    #[arg(long)]
    pub cadence: Option<u32>,
    /// An email address (repeatable), used to match calendar attendees.
    #[arg(long)]
    pub email: Vec<String>,
    /// A team to join (repeatable; created when missing).
    #[arg(long)]
    pub team: Vec<String>,
    /// Their role.
    #[arg(long, default_value = "")]
    pub role: String,
}

/// `person edit`.
#[derive(Debug, Args)]
pub struct PersonEditArgs {
    /// The person's current name.
    pub name: String,
    /// A new name.
    #[arg(long)]
    pub rename: Option<String>,
    /// A new stakeholder group.
    #[arg(long)]
    pub group: Option<String>,
    /// A new cadence in days (0 for none).
    #[arg(long)]
    pub cadence: Option<u32>,
    /// Replace the email addresses (repeatable).
    #[arg(long)]
    pub email: Vec<String>,
    /// Replace the teams (repeatable).
    #[arg(long)]
    pub team: Vec<String>,
    /// A new role.
    #[arg(long)]
    pub role: Option<String>,
    /// Archive (hide from lists) or unarchive.
    #[arg(long)]
    pub archived: Option<bool>,
}

/// `add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// one_on_one, team_meeting, feedback, conflict, decision or other.
    #[arg(long)]
    pub kind: String,
    /// Who took part: names separated by commas (repeatable).
    #[arg(long = "with", value_delimiter = ',')]
    pub with: Vec<String>,
    /// When it happened: RFC 3339, or local "YYYY-MM-DD[THH:MM]" [default: now].
    #[arg(long)]
    pub at: Option<String>,
    /// A title [default: derived from kind and people].
    #[arg(long, default_value = "")]
    pub title: String,
    /// Notes (Markdown).
    #[arg(long, default_value = "")]
    pub notes: String,
    /// Length in minutes.
    #[arg(long)]
    pub minutes: Option<u32>,
    /// Their reading of your willingness to protect them, -2..2 (needs --ability).
    #[arg(long, allow_hyphen_values = true, requires = "ability")]
    pub willingness: Option<i32>,
    /// Their reading of your ability to protect them, -2..2 (needs --willingness).
    #[arg(long, allow_hyphen_values = true, requires = "willingness")]
    pub ability: Option<i32>,
    /// It felt adversarial to them.
    #[arg(long)]
    pub adversarial: bool,
    /// How they would tell it tonight, in their voice.
    #[arg(long, default_value = "")]
    pub their_side: String,
    /// A tag (repeatable), e.g. ai-rollout for a change initiative.
    #[arg(long)]
    pub tag: Vec<String>,
    /// The team it concerned.
    #[arg(long)]
    pub team: Option<String>,
    /// A decision's impact on a group, GROUP=N with N in -2..2 (repeatable).
    #[arg(long, allow_hyphen_values = true)]
    pub impact: Vec<String>,
    /// Never exported.
    #[arg(long)]
    pub private: bool,
    /// Save as a draft waiting for reflection.
    #[arg(long)]
    pub draft: bool,
    /// Link it to an initiative, by name or id (repeatable).
    #[arg(long)]
    pub initiative: Vec<String>,
}

/// `reflect`.
#[derive(Debug, Args)]
pub struct ReflectArgs {
    /// The touchpoint id.
    pub id: String,
    /// Whose side.
    #[arg(long)]
    pub person: String,
    /// -2..2.
    #[arg(long, allow_hyphen_values = true)]
    pub willingness: i32,
    /// -2..2.
    #[arg(long, allow_hyphen_values = true)]
    pub ability: i32,
    /// How they would tell it tonight.
    #[arg(long, default_value = "")]
    pub their_side: String,
    /// It felt adversarial to them.
    #[arg(long)]
    pub adversarial: bool,
    /// What would have left them feeling protected.
    #[arg(long, default_value = "")]
    pub would_have_helped: String,
    /// What you intend next time.
    #[arg(long, default_value = "")]
    pub next_time: String,
}

/// `commitment` subcommands.
#[derive(Debug, Subcommand)]
pub enum CommitmentCommand {
    /// Record a promise.
    Add {
        /// To whom.
        #[arg(long)]
        to: String,
        /// What was promised.
        #[arg(long)]
        what: String,
        /// Due date, YYYY-MM-DD.
        #[arg(long)]
        due: Option<String>,
        /// The touchpoint where it was made.
        #[arg(long)]
        touchpoint: Option<String>,
    },
    /// Resolve a promise.
    Resolve {
        /// The commitment id.
        id: String,
        /// kept, broken, renegotiated (or open to reopen).
        status: String,
    },
    /// List commitments (open ones unless --all).
    List {
        /// Only this person's.
        #[arg(long)]
        person: Option<String>,
        /// Include resolved ones.
        #[arg(long)]
        all: bool,
    },
}

/// `topic` subcommands.
#[derive(Debug, Subcommand)]
pub enum TopicCommand {
    /// Record a topic someone raised.
    Add {
        /// Who raised it.
        #[arg(long)]
        person: String,
        /// The topic.
        #[arg(long)]
        text: String,
        /// The touchpoint where it came up.
        #[arg(long)]
        touchpoint: Option<String>,
    },
    /// Close a topic.
    Close {
        /// The topic id.
        id: String,
    },
    /// List open topics.
    List {
        /// Only this person's.
        #[arg(long)]
        person: Option<String>,
    },
}

/// `balance`.
#[derive(Debug, Args)]
pub struct BalanceArgs {
    /// A person's name.
    #[arg(conflicts_with_all = ["team", "group"])]
    pub name: Option<String>,
    /// A team's balance.
    #[arg(long, conflicts_with = "group")]
    pub team: Option<String>,
    /// A stakeholder group's balance.
    #[arg(long)]
    pub group: Option<String>,
    /// List the events that make the balance.
    #[arg(long)]
    pub explain: bool,
}

/// `list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only entries with this person.
    #[arg(long)]
    pub person: Option<String>,
    /// Only entries of this kind.
    #[arg(long)]
    pub kind: Option<String>,
    /// Only entries with this tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// Only entries on or after this date (YYYY-MM-DD or RFC 3339).
    #[arg(long)]
    pub since: Option<String>,
    /// Only drafts waiting for reflection.
    #[arg(long)]
    pub drafts: bool,
    /// At most this many entries.
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
}

/// `search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to find (all must match; the last also as a prefix).
    #[arg(allow_hyphen_values = true)]
    pub query: String,
    /// Read the query as SQLite FTS5 syntax (quotes, NEAR, OR, -, *).
    #[arg(long)]
    pub syntax: bool,
    /// At most this many results.
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
}

/// `prompts` subcommands.
#[derive(Debug, Subcommand)]
pub enum PromptsCommand {
    /// List prompt sets (built-in and your own) with their prompts.
    List,
    /// Export your own prompt sets (or all with --all) to a JSON file.
    Export {
        /// Where to write.
        #[arg(long)]
        out: PathBuf,
        /// Include the built-in sets.
        #[arg(long)]
        all: bool,
    },
    /// Import prompt sets from a JSON file.
    Import {
        /// The file.
        file: PathBuf,
    },
    /// Delete one of your prompt sets.
    Delete {
        /// The set's id.
        id: String,
    },
}

/// `settings`.
#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Minutes of inactivity before the app locks.
    #[arg(long)]
    pub auto_lock_minutes: Option<u32>,
    /// Cadence given to new direct reports.
    #[arg(long)]
    pub default_cadence: Option<u32>,
    /// How much more a withdrawal weighs than a deposit (1.0 to 3.0).
    #[arg(long)]
    pub loss_weight: Option<f64>,
    /// Where backups go.
    #[arg(long)]
    pub backup_dir: Option<String>,
    /// How many backups to keep.
    #[arg(long)]
    pub backup_keep: Option<u32>,
    /// How many minutes after a calendar meeting ends the app reminds you to reflect (0 to 60).
    #[arg(long)]
    pub remind_minutes_after_end: Option<u32>,
}

/// `trash` subcommands.
#[derive(Debug, Subcommand)]
pub enum TrashCommand {
    /// What is in the trash.
    List,
    /// Bring a person (by name) or touchpoint (by id) back.
    Restore {
        /// A touchpoint id or a person's name.
        what: String,
    },
    /// Erase everything in the trash now, for good.
    Empty,
}

/// `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many people.
    #[arg(long, default_value_t = 12)]
    pub people: u32,
    /// How many touchpoints.
    #[arg(long, default_value_t = 400)]
    pub touchpoints: u32,
    /// Seed: the same seed (and day) gives the same journal.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// End the journal at this date instead of today (YYYY-MM-DD).
    #[arg(long)]
    pub anchor: Option<String>,
}
