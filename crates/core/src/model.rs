//! The journal's domain types: people, teams, touchpoints, reflections, commitments, topics.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// A new time-ordered identifier (UUID v7) for any journal record.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// Declares a closed set of snake_case names with parsing, display and the list of all values.
macro_rules! name_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
        #[serde(rename_all = "snake_case")]
        #[ts(export)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable snake_case name used in storage, the CLI and IPC.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = crate::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(crate::Error::InvalidInput(format!(
                        "unknown {} {:?}; expected one of: {}",
                        stringify!($name).to_lowercase(),
                        other,
                        [$($text),+].join(", ")
                    ))),
                }
            }
        }
    };
}
// The initiatives' closed sets (`crate::initiative`) are declared the same way.
pub(crate) use name_enum;

name_enum! {
    /// The stakeholder group a person belongs to.
    Group {
        /// Reports to the leader.
        DirectReport => "direct_report",
        /// Works beside the leader.
        Peer => "peer",
        /// The leader's own leaders.
        LeaderAbove => "leader_above",
        /// Customers or clients.
        Customer => "customer",
        /// The wider community.
        Community => "community",
        /// Anyone else.
        Other => "other",
    }
}

name_enum! {
    /// What kind of moment a touchpoint records.
    TouchpointKind {
        /// A one-on-one meeting.
        OneOnOne => "one_on_one",
        /// A meeting of the team.
        TeamMeeting => "team_meeting",
        /// A moment when feedback was given.
        Feedback => "feedback",
        /// A moment of conflict.
        Conflict => "conflict",
        /// A decision that touches whole groups.
        Decision => "decision",
        /// Anything else, for example an imported journal entry.
        Other => "other",
    }
}

name_enum! {
    /// Whether a touchpoint has been reflected on yet.
    TouchpointState {
        /// Imported (from a calendar), waiting for reflection.
        Draft => "draft",
        /// Logged by the leader.
        Logged => "logged",
    }
}

name_enum! {
    /// Where a promise to someone stands.
    CommitmentStatus {
        /// Not resolved yet.
        Open => "open",
        /// Delivered as promised.
        Kept => "kept",
        /// Not delivered.
        Broken => "broken",
        /// Changed by agreement.
        Renegotiated => "renegotiated",
    }
}

/// A time as it was entered: the instant plus the offset it was written in.
pub type Moment = DateTime<FixedOffset>;

/// Someone the leader has touchpoints with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Person {
    /// Identifier.
    pub id: Uuid,
    /// Display name, unique among people not in the trash.
    pub name: String,
    /// Addresses used to match calendar attendees.
    pub emails: Vec<String>,
    /// Role in free text.
    pub role: String,
    /// Stakeholder group.
    pub group: Group,
    /// Names of the teams the person belongs to.
    pub teams: Vec<String>,
    /// Expected days between one-on-ones, if any.
    pub cadence_days: Option<u32>,
    /// The leader's notes about the person.
    pub notes: String,
    /// Hidden from lists but kept.
    pub archived: bool,
    /// When the person was added.
    pub created_at: Moment,
}

/// What is needed to add a person.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewPerson {
    /// Display name.
    pub name: String,
    /// Stakeholder group; direct report when absent.
    pub group: Option<Group>,
    /// Email addresses.
    #[serde(default)]
    pub emails: Vec<String>,
    /// Role in free text.
    #[serde(default)]
    pub role: String,
    /// Teams to join (created when missing).
    #[serde(default)]
    pub teams: Vec<String>,
    /// Cadence in days; the default cadence for direct reports when absent.
    pub cadence_days: Option<u32>,
    /// Notes.
    #[serde(default)]
    pub notes: String,
}

/// A named group of people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Team {
    /// Identifier.
    pub id: Uuid,
    /// Name, unique.
    pub name: String,
    /// Member ids.
    pub members: Vec<Uuid>,
}

/// One recorded moment where trust was won or lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Touchpoint {
    /// Identifier.
    pub id: Uuid,
    /// Kind of moment.
    pub kind: TouchpointKind,
    /// When it happened, in the offset it was recorded in.
    pub occurred_at: Moment,
    /// Length in minutes, if known.
    pub duration_minutes: Option<u32>,
    /// Short title.
    pub title: String,
    /// Ids of the people who took part.
    pub participants: Vec<Uuid>,
    /// Team it concerned, if any.
    pub team: Option<String>,
    /// Stakeholder groups a decision affects, with the impact on each.
    pub affected_groups: Vec<GroupImpact>,
    /// The leader's notes (Markdown).
    pub notes: String,
    /// Free tags, for example a change initiative such as `ai-rollout`.
    pub tags: Vec<String>,
    /// Never exported when set.
    pub private: bool,
    /// `manual`, or the calendar UID it was imported from.
    pub source: String,
    /// Draft (waiting for reflection) or logged.
    pub state: TouchpointState,
    /// When the record was created.
    pub created_at: Moment,
}

/// A decision's impact on one stakeholder group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GroupImpact {
    /// The group affected.
    pub group: Group,
    /// Impact from -2 to +2.
    pub impact: i32,
}

/// What is needed to record a touchpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewTouchpoint {
    /// Kind of moment.
    pub kind: TouchpointKind,
    /// When it happened; now when absent.
    pub occurred_at: Option<Moment>,
    /// Length in minutes.
    pub duration_minutes: Option<u32>,
    /// Title; derived from kind and people when empty.
    #[serde(default)]
    pub title: String,
    /// Ids of the people who took part.
    pub participants: Vec<Uuid>,
    /// Team it concerned.
    pub team: Option<String>,
    /// Impact per group, for decisions.
    #[serde(default)]
    pub affected_groups: Vec<GroupImpact>,
    /// Notes.
    #[serde(default)]
    pub notes: String,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Never exported when set.
    #[serde(default)]
    pub private: bool,
    /// `manual` when empty.
    #[serde(default)]
    pub source: String,
    /// Logged unless stated.
    pub state: Option<TouchpointState>,
}

/// The leader's reading of one touchpoint from one participant's side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Reflection {
    /// Identifier.
    pub id: Uuid,
    /// The touchpoint reflected on.
    pub touchpoint_id: Uuid,
    /// Whose side this is.
    pub person_id: Uuid,
    /// Answers to the kind's prompts, in prompt order.
    pub answers: Vec<PromptAnswer>,
    /// "How would they tell it tonight?", in their voice.
    pub their_side: String,
    /// Their confidence in the leader's willingness to protect them, -2..=2.
    pub willingness: i32,
    /// Their confidence in the leader's ability to protect them, -2..=2.
    pub ability: i32,
    /// Whether the moment felt adversarial to them.
    pub adversarial: bool,
    /// What would have left them feeling protected.
    pub would_have_helped: String,
    /// What the leader intends next time.
    pub next_time: String,
    /// When written.
    pub created_at: Moment,
}

/// One answered prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PromptAnswer {
    /// The prompt as it was shown.
    pub prompt: String,
    /// The leader's answer.
    pub answer: String,
}

/// What is needed to write a reflection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewReflection {
    /// The touchpoint reflected on.
    pub touchpoint_id: Uuid,
    /// Whose side this is.
    pub person_id: Uuid,
    /// Answers to prompts.
    #[serde(default)]
    pub answers: Vec<PromptAnswer>,
    /// Their side in their voice.
    #[serde(default)]
    pub their_side: String,
    /// -2..=2.
    pub willingness: i32,
    /// -2..=2.
    pub ability: i32,
    /// Felt adversarial.
    #[serde(default)]
    pub adversarial: bool,
    /// What would have left them feeling protected.
    #[serde(default)]
    pub would_have_helped: String,
    /// Next-time intention.
    #[serde(default)]
    pub next_time: String,
}

/// A promise the leader made to someone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Commitment {
    /// Identifier.
    pub id: Uuid,
    /// To whom.
    pub person_id: Uuid,
    /// The touchpoint where it was made, if any.
    pub touchpoint_id: Option<Uuid>,
    /// What was promised.
    pub what: String,
    /// When it is due.
    pub due: Option<NaiveDate>,
    /// Where it stands.
    pub status: CommitmentStatus,
    /// When it was made.
    pub created_at: Moment,
    /// When it was resolved.
    pub resolved_at: Option<Moment>,
}

/// Something a person raised that is not settled yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OpenTopic {
    /// Identifier.
    pub id: Uuid,
    /// Who raised it.
    pub person_id: Uuid,
    /// The touchpoint where it came up, if any.
    pub touchpoint_id: Option<Uuid>,
    /// The topic.
    pub text: String,
    /// When it was raised.
    pub created_at: Moment,
    /// When it was closed.
    pub closed_at: Option<Moment>,
}

/// A coach's comment on a touchpoint or reflection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Annotation {
    /// Identifier.
    pub id: Uuid,
    /// The touchpoint or reflection commented on.
    pub target_id: Uuid,
    /// Who wrote it.
    pub author: String,
    /// The comment.
    pub text: String,
    /// When written.
    pub created_at: Moment,
}

/// A touchpoint with everything recorded about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TouchpointDetail {
    /// The touchpoint.
    pub touchpoint: Touchpoint,
    /// Names of the participants, in participant order.
    pub participant_names: Vec<String>,
    /// Reflections, one per participant at most.
    pub reflections: Vec<Reflection>,
    /// Commitments made in it.
    pub commitments: Vec<Commitment>,
    /// Topics raised in it.
    pub topics: Vec<OpenTopic>,
}

/// The longest name a review can be signed with.
pub const MAX_REVIEWER_NAME: usize = 200;

/// How many minutes after a meeting ends its reminder comes, unless the leader chose otherwise.
pub const DEFAULT_REMIND_MINUTES_AFTER_END: u32 = 5;

/// The longest a reminder may wait after a meeting ends, in minutes.
pub const MAX_REMIND_MINUTES_AFTER_END: u32 = 60;

fn default_remind_minutes_after_end() -> u32 {
    DEFAULT_REMIND_MINUTES_AFTER_END
}

/// Journal-wide preferences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Settings {
    /// Minutes of inactivity before the app locks.
    pub auto_lock_minutes: u32,
    /// One-on-one cadence given to new direct reports.
    pub default_cadence_days: u32,
    /// How much more a withdrawal weighs than a deposit, 1.0..=3.0.
    pub loss_weight: f64,
    /// Where backups go; beside the journal when absent.
    pub backup_dir: Option<String>,
    /// How many backups to keep.
    pub backup_keep: u32,
    /// Days between automatic backups.
    pub backup_every_days: u32,
    /// Remind to reflect after a calendar meeting ends.
    pub remind_after_meetings: bool,
    /// Let those reminders name the meeting and the people in it. Off by default: a
    /// notification leaves the journal for the desktop's notification service, which may keep
    /// it in a history or show it on a locked screen.
    #[serde(default)]
    pub reminders_show_details: bool,
    /// How many minutes after a meeting ends its reminder comes, 0..=60: a few by default, so a
    /// meeting that runs a little over is not interrupted by its own reminder.
    #[serde(default = "default_remind_minutes_after_end")]
    pub remind_minutes_after_end: u32,
    /// `system`, `light` or `dark`.
    pub theme: String,
    /// The name this journal's owner last signed a coach's review with, offered next time.
    #[serde(default)]
    pub reviewer_name: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            auto_lock_minutes: 10,
            default_cadence_days: 14,
            loss_weight: 2.0,
            backup_dir: None,
            backup_keep: 14,
            backup_every_days: 1,
            remind_after_meetings: true,
            reminders_show_details: false,
            remind_minutes_after_end: DEFAULT_REMIND_MINUTES_AFTER_END,
            theme: "system".into(),
            reviewer_name: String::new(),
        }
    }
}

impl Settings {
    /// Checks every field is within its allowed range.
    pub fn validate(&self) -> Result<(), crate::Error> {
        let bad = |m: &str| Err(crate::Error::InvalidInput(m.to_string()));
        if !(1.0..=3.0).contains(&self.loss_weight) {
            return bad("loss weight must be between 1.0 and 3.0");
        }
        if !(1..=1440).contains(&self.auto_lock_minutes) {
            return bad("auto-lock must be between 1 and 1440 minutes");
        }
        if !(1..=365).contains(&self.default_cadence_days) {
            return bad("default cadence must be between 1 and 365 days");
        }
        if !(1..=1000).contains(&self.backup_keep) {
            return bad("backups kept must be between 1 and 1000");
        }
        if !(1..=365).contains(&self.backup_every_days) {
            return bad("backup interval must be between 1 and 365 days");
        }
        if self.remind_minutes_after_end > MAX_REMIND_MINUTES_AFTER_END {
            return bad("a reminder must come between 0 and 60 minutes after the meeting ends");
        }
        if !["system", "light", "dark"].contains(&self.theme.as_str()) {
            return bad("theme must be system, light or dark");
        }
        if self.reviewer_name.chars().count() > MAX_REVIEWER_NAME {
            return bad("the reviewer's name must be at most 200 characters");
        }
        Ok(())
    }
}

/// Checks a willingness, ability or impact rating is in -2..=2.
pub fn check_rating(what: &str, value: i32) -> Result<(), crate::Error> {
    if (-2..=2).contains(&value) {
        Ok(())
    } else {
        Err(crate::Error::InvalidInput(format!(
            "{what} must be between -2 and 2, got {value}"
        )))
    }
}
