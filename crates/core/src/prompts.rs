//! Prompt sets: the built-in reflection prompts per kind and change initiative, and user sets as JSON.
//!
//! A prompt set is an ordered list of short questions the leader answers after a
//! touchpoint, always from the other person's side. Sets are scoped to a
//! touchpoint kind, to a tag (such as a change initiative), or to one trust
//! dimension for the "recalibrate" card of a slipping relationship.
//!
//! The built-in sets ship with fixed ids so that exports, imports and user
//! overrides can refer to them across versions. Leaders and coaches add their
//! own sets, edit copies of the built-in ones, and exchange them as a small
//! versioned JSON file ([`export_json`], [`import_json`]).
//!
//! Prompt text may use two placeholders, filled by [`render`]: `{name}` (the
//! person reflected on) and `{team}` (their team, or "the team"). Anything else
//! written like a placeholder is rejected by [`validate`], so a typo such as
//! `{nmae}` never reaches the screen.
//!
//! The ideas behind the built-in sets, in our own words: trust rests on ability,
//! benevolence and integrity (Mayer, Davis and Schoorman, 1995) and behaves like
//! an account of deposits and withdrawals (Covey); feedback follows situation,
//! behaviour, impact, flipped to the impact the other person would report;
//! conflict uses the five conflict modes (Thomas and Kilmann); team meetings use
//! the elements of psychological safety (Edmondson, 1999).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::model::{new_id, TouchpointKind};

/// The tag that marks a touchpoint as part of an AI roll-out; its built-in set asks about the change.
pub const CHANGE_INITIATIVE_TAG: &str = "ai-rollout";

/// The `format` written in every prompt file.
pub const PROMPT_FILE_FORMAT: &str = "touchpoint-prompts";

/// The newest prompt file version this build reads and the one it writes.
pub const PROMPT_FILE_VERSION: u32 = 1;

/// The placeholders prompt text may use.
pub const PLACEHOLDERS: &[&str] = &["name", "team"];

/// What `{team}` becomes when the touchpoint has no team.
pub const TEAM_FALLBACK: &str = "the team";

/// What `{name}` becomes when no name is given.
pub const NAME_FALLBACK: &str = "this person";

/// The trust dimensions a recalibrate set can address.
pub const DIMENSIONS: &[&str] = &["willingness", "ability"];

/// Longest prompt text accepted, in characters.
pub const MAX_PROMPT_CHARS: usize = 500;

/// Longest help line accepted, in characters.
pub const MAX_HELP_CHARS: usize = 500;

/// Longest set name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// Longest set description accepted, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 2000;

/// Most prompts one set may hold.
pub const MAX_PROMPTS: usize = 50;

/// Longest prompt id or tag accepted, in characters.
pub const MAX_SLUG_CHARS: usize = 64;

/// Largest prompt file [`import_json`] reads, in bytes.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// The fixed ids of the built-in sets. They never change between runs or versions.
pub mod builtin_ids {
    use uuid::Uuid;

    /// The built-in set for one-on-ones.
    pub const ONE_ON_ONE: Uuid = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001);
    /// The built-in set for team meetings.
    pub const TEAM_MEETING: Uuid = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0002);
    /// The built-in set for feedback.
    pub const FEEDBACK: Uuid = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0003);
    /// The built-in set for conflicts.
    pub const CONFLICT: Uuid = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0004);
    /// The built-in set for decisions.
    pub const DECISION: Uuid = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0005);
    /// The built-in set for any other touchpoint.
    pub const OTHER: Uuid = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0006);
    /// The built-in set for the `ai-rollout` change initiative tag.
    pub const AI_ROLLOUT: Uuid = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0101);
    /// The built-in recalibrate set for a fall in ability.
    pub const RECALIBRATE_ABILITY: Uuid =
        Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0201);
    /// The built-in recalibrate set for a fall in willingness.
    pub const RECALIBRATE_WILLINGNESS: Uuid =
        Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0202);
}

/// What a prompt set is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum PromptScope {
    /// Reflections on touchpoints of one kind.
    Kind {
        /// The kind of touchpoint.
        kind: TouchpointKind,
    },
    /// Extra prompts for touchpoints carrying a tag, such as a change initiative.
    Tag {
        /// The tag, matched without regard to case or surrounding spaces.
        tag: String,
    },
    /// The recalibrate card of a slipping relationship, by the dimension that fell.
    Recalibrate {
        /// `willingness` or `ability`.
        dimension: String,
    },
}

/// One question of a prompt set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Prompt {
    /// Stable slug within the set (lower-case letters, digits, `-`, `_`).
    pub id: String,
    /// The question; may contain `{name}` and `{team}`.
    pub text: String,
    /// One line of guidance shown under the question; may be empty.
    #[serde(default)]
    pub help: String,
}

/// An ordered list of prompts for one scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PromptSet {
    /// Identifier; fixed for built-in sets, and generated when a hand-written file leaves it out.
    #[serde(default = "new_id")]
    pub id: Uuid,
    /// Display name.
    pub name: String,
    /// What the set is for.
    pub scope: PromptScope,
    /// The prompts, in the order they are asked.
    pub prompts: Vec<Prompt>,
    /// Shipped with the app (read-only) rather than written by a leader or coach.
    #[serde(default)]
    pub builtin: bool,
    /// A sentence or two on what the set looks at and why.
    #[serde(default)]
    pub description: String,
}

impl PromptSet {
    /// An editable copy of this set: a new id, not built-in, same scope and prompts.
    ///
    /// Saved next to the built-in set, the copy overrides it (see [`sets_for`]).
    pub fn user_copy(&self) -> PromptSet {
        PromptSet {
            id: new_id(),
            builtin: false,
            ..self.clone()
        }
    }
}

/// The JSON document prompt sets are exchanged in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PromptSetFile {
    /// Always `touchpoint-prompts`.
    pub format: String,
    /// File version; this build writes and reads 1.
    pub version: u32,
    /// The sets in the file.
    pub sets: Vec<PromptSet>,
}

/// Builds one built-in set from its parts.
fn builtin(
    id: Uuid,
    name: &str,
    scope: PromptScope,
    description: &str,
    prompts: &[(&str, &str, &str)],
) -> PromptSet {
    PromptSet {
        id,
        name: name.to_string(),
        scope,
        prompts: prompts
            .iter()
            .map(|(id, text, help)| Prompt {
                id: id.to_string(),
                text: text.to_string(),
                help: help.to_string(),
            })
            .collect(),
        builtin: true,
        description: description.to_string(),
    }
}

/// The prompt sets that ship with the app: one per touchpoint kind, one for the
/// `ai-rollout` change initiative, and one recalibrate set per trust dimension.
///
/// Ids are fixed (see [`builtin_ids`]) and every set is marked `builtin`.
pub fn builtin_sets() -> Vec<PromptSet> {
    use builtin_ids as ids;
    let kind = |kind| PromptScope::Kind { kind };
    vec![
        builtin(
            ids::ONE_ON_ONE,
            "One-on-one",
            kind(TouchpointKind::OneOnOne),
            "Their time, seen from their chair: were they heard, did they leave with something, \
             and do they believe you will follow through?",
            &[
                (
                    "needed",
                    "What would {name} say was the one thing they most needed me to hear today?",
                    "Start from their agenda, not yours. If you are not sure, ask next time.",
                ),
                (
                    "whose_meeting",
                    "Whose meeting did it feel like to {name}: theirs or mine?",
                    "Look at who talked most, who chose the topics, and whose questions got the time.",
                ),
                (
                    "safe_to_say",
                    "When {name} raised something hard, what did my response tell them about raising it again?",
                    "People decide what is safe to bring you by how the last difficult thing was received.",
                ),
                (
                    "promise",
                    "What did {name} hear me promise, and would they bet on me delivering it?",
                    "Kept promises are where ability shows. Record each one as a commitment so it is tracked.",
                ),
                (
                    "cared",
                    "Would {name} say I cared about how they are, not only about what they deliver?",
                    "Benevolence: their sense that you want good things for them beyond the work.",
                ),
                (
                    "deposit",
                    "If {name} kept an account of their trust in me, would today be a deposit or a withdrawal?",
                    "Trust works like an account (Covey): it builds slowly and drains fast, so small, steady deposits count most.",
                ),
                (
                    "next_time",
                    "What one change would make {name} look forward to our next one-on-one?",
                    "Design the next meeting from their side: something you can actually do differently.",
                ),
            ],
        ),
        builtin(
            ids::TEAM_MEETING,
            "Team meeting",
            kind(TouchpointKind::TeamMeeting),
            "Psychological safety from one seat in the room: could they speak up, admit a mistake \
             and ask for help without it costing them? (After Edmondson, 1999.)",
            &[
                (
                    "hard_problem",
                    "If {name} had seen a serious problem with the plan, could they have raised it in front of {team}?",
                    "Think of what happened the last time someone brought bad news to this group.",
                ),
                (
                    "mistake",
                    "Would {name} expect a mistake they admitted in this meeting to be held against them later?",
                    "Notice how you reacted when something went wrong today, tone and face included.",
                ),
                (
                    "ask_for_help",
                    "Could {name} have asked for help here without looking less capable to me or to {team}?",
                    "Asking for help is a risk people take only when they expect it to be met with care.",
                ),
                (
                    "airtime",
                    "Did {name} get a real chance to speak, and did anyone build on what they said?",
                    "Airtime is a signal. Check whether the same few voices filled the room.",
                ),
                (
                    "disagreement",
                    "What did {name} see happen to the last person who disagreed with me in that room?",
                    "People learn what is safe by watching what happens to others.",
                ),
                (
                    "same_rules",
                    "Would {name} say everyone in the room was held to the same standards, me included?",
                    "Integrity: the rules you set apply to you and to the people you favour, too.",
                ),
                (
                    "has_my_back",
                    "Walking out, would {name} feel that {team} has their back?",
                    "The aim of every meeting: each person leaves thinking that everyone here has their back.",
                ),
            ],
        ),
        builtin(
            ids::FEEDBACK,
            "Feedback",
            kind(TouchpointKind::Feedback),
            "Situation, behaviour, impact (after the Center for Creative Leadership), told from the \
             receiving end: which moment did they hear about, what did they hear, and what impact would they report?",
            &[
                (
                    "situation",
                    "Which moment would {name} say the feedback was about, and did they recognise it?",
                    "Situation: feedback tied to a specific time and place lands; a general verdict does not.",
                ),
                (
                    "behaviour",
                    "Did {name} hear me describe something they did, or something they are?",
                    "Behaviour: describe actions anyone could have seen, never character or motives.",
                ),
                (
                    "impact",
                    "If {name} described the impact of this conversation on them, what would they report?",
                    "Impact, flipped: not what their behaviour did to you, but what your feedback did to them.",
                ),
                (
                    "intent",
                    "Would {name} say I gave this feedback to help them, or to make a point?",
                    "Benevolence: feedback is trusted when the person believes you want them to succeed.",
                ),
                (
                    "well_informed",
                    "Does {name} believe I had seen enough of their work to be right about this?",
                    "Ability: feedback carries weight only when they trust your view is well informed.",
                ),
                (
                    "their_side",
                    "Did {name} get to tell their side, and would they say it changed anything?",
                    "Feedback that cannot be answered feels like a verdict. Ask what they saw.",
                ),
                (
                    "next_step",
                    "What would {name} say they will do next, and what help did they hear me offer?",
                    "Feedback that ends in a clear next step, with your support in it, is remembered as a deposit.",
                ),
            ],
        ),
        builtin(
            ids::CONFLICT,
            "Conflict",
            kind(TouchpointKind::Conflict),
            "Five ways to handle a conflict: competing, collaborating, compromising, avoiding and \
             accommodating (after Thomas and Kilmann). Which one did they meet, and what did it cost them?",
            &[
                (
                    "mode",
                    "Which mode would {name} say I used: competing, collaborating, compromising, avoiding or accommodating?",
                    "Competing: my way. Collaborating: both of us fully. Compromising: each gives some. \
                     Avoiding: not now. Accommodating: your way.",
                ),
                (
                    "at_stake",
                    "What did {name} stand to lose here, and did they feel I saw it?",
                    "A disagreement feels less like a fight when each side sees the other understands the stakes.",
                ),
                (
                    "mode_fit",
                    "Would {name} say that way of handling it suited what was at stake for them, or only for me?",
                    "Each mode has its place; the question is whether it served both of you or only you.",
                ),
                (
                    "push_back",
                    "Did {name} feel free to push back, or did my position settle it before we talked?",
                    "With people who report to you, your role speaks before you say a word.",
                ),
                (
                    "opponent",
                    "At any point, did {name} feel I had become their opponent rather than their partner?",
                    "An adversarial turn is the early sign of slipping trust: mark it and recalibrate now.",
                ),
                (
                    "where_we_landed",
                    "How would {name} describe where we landed: settled, parked, or still open?",
                    "Unfinished conflicts come back. If it is still open, record it as an open topic.",
                ),
                (
                    "proof",
                    "What could I do in the next few days that {name} would take as proof I still have their back?",
                    "After a clash, a small visible deposit soon counts for more than a big gesture later.",
                ),
            ],
        ),
        builtin(
            ids::DECISION,
            "Decision",
            kind(TouchpointKind::Decision),
            "A decision touches whole groups, and it can be a deposit with one and a withdrawal \
             from another. Look at it from the side of everyone it reached.",
            &[
                (
                    "gained",
                    "Which group would say they gained from this decision, and what exactly did they gain?",
                    "Name the groups: direct reports, peers, the leaders above, customers, community.",
                ),
                (
                    "paid",
                    "Which group would say they paid for this decision, and what would they say it cost them?",
                    "A decision that helps one group at another's expense lowers your balance with the group that paid.",
                ),
                (
                    "served",
                    "Whose interests would {name} say this decision visibly served?",
                    "Willingness shows here: people judge whose side you are on by who benefits, not by what you say.",
                ),
                (
                    "explained",
                    "How was the decision explained to each group, and would each say they heard the real reasons?",
                    "Integrity: the same reasons for everyone, the uncomfortable parts included.",
                ),
                (
                    "voice",
                    "Would {name} say they had a say before it was decided, or only heard about it afterwards?",
                    "People accept hard outcomes more readily when the way the decision was made felt fair.",
                ),
                (
                    "protect_next_time",
                    "What would the group that paid need to see from me to feel protected next time?",
                    "Plan the repair now: a concrete commitment to the people who carried the cost.",
                ),
            ],
        ),
        builtin(
            ids::OTHER,
            "Any touchpoint",
            kind(TouchpointKind::Other),
            "For any other moment that touched trust: a corridor chat, a message, an escalation. \
             The three questions people ask of anyone they trust: can you, do you care, do you \
             keep your word? (After Mayer, Davis and Schoorman, 1995.)",
            &[
                (
                    "their_story",
                    "How would {name} tell the story of this moment to a friend tonight?",
                    "Write it in their words, not yours. It is often harsher or kinder than you expect.",
                ),
                (
                    "ability",
                    "Did {name} come away more or less sure that I can deliver what they need from me?",
                    "Ability: their confidence that you are able to help them with this.",
                ),
                (
                    "benevolence",
                    "Would {name} say I was looking out for them, or for myself?",
                    "Benevolence: their sense that you want good things for them, apart from what you gain.",
                ),
                (
                    "integrity",
                    "Did {name} see me act in line with what I have said before and with what I ask of others?",
                    "Integrity: words and actions that match, and one standard for everyone.",
                ),
                (
                    "deposit",
                    "Would {name} count this as a deposit or a withdrawal in their trust in me?",
                    "One moment rarely decides trust; the pattern does. Note what adds to it.",
                ),
                (
                    "next_time",
                    "What could I do next time so that {name} leaves thinking I have their back?",
                    "One concrete change, small enough to do this week.",
                ),
            ],
        ),
        builtin(
            ids::AI_ROLLOUT,
            "AI roll-out",
            PromptScope::Tag {
                tag: CHANGE_INITIATIVE_TAG.to_string(),
            },
            "For moments that are part of bringing AI into the team. The trust gap is the usual \
             one, sharpened: will this protect me, and will it work?",
            &[
                (
                    "replacement",
                    "After we spoke, would {name} be more or less worried about being replaced?",
                    "Fear of replacement is rarely said aloud. Listen for it in questions about roles, headcount and pace.",
                ),
                (
                    "can_and_cannot",
                    "Could {name} say in a sentence what the tool can do for them, and what it cannot?",
                    "Vague promises feed fear. Be as concrete about the limits as about the gains.",
                ),
                (
                    "involvement",
                    "Would {name} say they helped shape how {team} uses the tool, or that it was decided for them?",
                    "People trust changes they had a hand in. Name one decision they can own.",
                ),
                (
                    "proud_work",
                    "What does {name} believe will happen to the parts of their work they are proudest of?",
                    "The work people care about most is part of who they are. Ask about it directly.",
                ),
                (
                    "time_to_learn",
                    "Would {name} say they have the time and support to learn this, or are simply expected to keep up?",
                    "Ability runs both ways: they need to trust you can get them ready, not only that the tool works.",
                ),
                (
                    "straight",
                    "Would {name} say I have been straight about what this means for jobs, including what I do not know?",
                    "Integrity: admitting what you do not know builds more trust than reassurance you cannot back.",
                ),
                (
                    "wins",
                    "What win has {name} had with the tool that is worth celebrating, and who should hear about it?",
                    "Celebrate it in public, credited to them rather than to the tool.",
                ),
            ],
        ),
        builtin(
            ids::RECALIBRATE_ABILITY,
            "Recalibrate: ability",
            PromptScope::Recalibrate {
                dimension: "ability".to_string(),
            },
            "When their confidence in what you can deliver has fallen. A lapse of ability is \
             mended by owning it and fixing it: say plainly what you missed, what you will \
             deliver and by when, and let them see it done.",
            &[
                (
                    "the_miss",
                    "What did I miss or get wrong, in the words {name} would use?",
                    "Name it plainly and specifically: their words, not a softened version.",
                ),
                (
                    "cost",
                    "What did my miss cost {name}: time, standing with others, extra work, or a promise of their own?",
                    "Owning it means knowing what it cost them, not only what went wrong.",
                ),
                (
                    "own_it",
                    "How will I tell {name} that I own this, without excuses or a long explanation?",
                    "One or two sentences. Reasons can come later; ownership comes first.",
                ),
                (
                    "deliver",
                    "What exactly will I deliver to {name}, and by when?",
                    "Make it a commitment in the journal so it is tracked and visible.",
                ),
                (
                    "see_it",
                    "How will {name} see that it is done, without having to chase me?",
                    "Close the loop yourself. Having to chase you costs them again.",
                ),
                (
                    "prevent",
                    "What will I change so that {name} does not meet the same miss again?",
                    "A change to how you work, not a promise to try harder.",
                ),
            ],
        ),
        builtin(
            ids::RECALIBRATE_WILLINGNESS,
            "Recalibrate: willingness",
            PromptScope::Recalibrate {
                dimension: "willingness".to_string(),
            },
            "When they have come to doubt that you are on their side. Words will not mend a \
             lapse of willingness; visible, structural commitments will.",
            &[
                (
                    "served",
                    "Whose interests would {name} say I seemed to serve, and at whose expense?",
                    "Look from their side: what they could see matters more than what you meant.",
                ),
                (
                    "turning_point",
                    "When did {name} start to feel I was not on their side?",
                    "Find where the account began to drain; it is often earlier than the moment you noticed.",
                ),
                (
                    "acknowledge",
                    "What would {name} need to hear me acknowledge, without my defending myself?",
                    "Acknowledge their reading before you offer yours.",
                ),
                (
                    "structural",
                    "What structural commitment would show {name} I have their back: a rule, a role, a budget, a standing slot?",
                    "Willingness is repaired by changes that outlast a good mood, built into how you work.",
                ),
                (
                    "witnesses",
                    "Who else should see this commitment, so that {name} can trust it will hold?",
                    "Commitments made in front of others, or written down, are harder to drop quietly.",
                ),
                (
                    "cost_to_me",
                    "What will keeping this commitment cost me, and will {name} be able to see that cost?",
                    "Care is believed when it costs you something, not only when it is convenient.",
                ),
                (
                    "check_in",
                    "When will I ask {name} whether it is working, and how will I make it safe to say no?",
                    "Set a date. Repair is confirmed by them, not declared by you.",
                ),
            ],
        ),
    ]
}

/// One piece of prompt text: literal text, or a `{word}` placeholder (the word without braces).
#[derive(Debug, PartialEq)]
enum Piece<'a> {
    Text(&'a str),
    Placeholder(&'a str),
}

/// Splits text into literal pieces and `{word}` placeholders, where a word is one or more
/// ASCII letters, digits or underscores. Any other brace is literal text.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut literal_start = 0;
    let mut pos = 0;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let word_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let closes = after[word_len..].starts_with('}');
        let at = pos + open;
        if word_len > 0 && closes {
            if literal_start < at {
                out.push(Piece::Text(&text[literal_start..at]));
            }
            out.push(Piece::Placeholder(&after[..word_len]));
            let end = at + 1 + word_len + 1;
            literal_start = end;
            pos = end;
            rest = &text[end..];
        } else {
            pos = at + 1;
            rest = &text[pos..];
        }
    }
    if literal_start < text.len() {
        out.push(Piece::Text(&text[literal_start..]));
    }
    out
}

/// Fills `{name}` and `{team}` in prompt text.
///
/// `{team}` becomes "the team" when there is no team (or it is blank), and `{name}`
/// becomes "this person" when the name is blank. Values are inserted as they are, in
/// one pass, so a name that itself looks like a placeholder is never expanded again.
/// Unknown placeholders (which [`validate`] rejects) are left as written.
pub fn render(text: &str, name: &str, team: Option<&str>) -> String {
    let name = if name.trim().is_empty() {
        NAME_FALLBACK
    } else {
        name
    };
    let team = team
        .filter(|t| !t.trim().is_empty())
        .unwrap_or(TEAM_FALLBACK);
    let mut out = String::with_capacity(text.len() + name.len());
    for piece in pieces(text) {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Placeholder("name") => out.push_str(name),
            Piece::Placeholder("team") => out.push_str(team),
            Piece::Placeholder(other) => {
                out.push('{');
                out.push_str(other);
                out.push('}');
            }
        }
    }
    out
}

/// Compares tags the way touchpoints are matched to tag sets: trimmed, without regard to case.
fn same_tag(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// The set for a scope: the first user set that matches, otherwise the first built-in one.
fn preferred(sets: &[PromptSet], matches: impl Fn(&PromptScope) -> bool) -> Option<&PromptSet> {
    let mut candidates = sets.iter().filter(|s| matches(&s.scope));
    let first = candidates.next()?;
    if !first.builtin {
        return Some(first);
    }
    candidates.find(|s| !s.builtin).or(Some(first))
}

/// The prompt sets to ask for a touchpoint, in the order to ask them.
///
/// `sets` is the whole library, built-in sets included (see [`builtin_sets`]). First
/// comes the set for `kind`: a user set for the kind overrides the built-in one (when
/// there are several user sets, the first in `sets` wins). Then, for each of `tags`
/// in order, the set for that tag, if any, again preferring a user set; a tag listed
/// twice gives its set once. Tags match without regard to case or surrounding spaces.
pub fn sets_for<'a>(
    sets: &'a [PromptSet],
    kind: TouchpointKind,
    tags: &[String],
) -> Vec<&'a PromptSet> {
    let mut out: Vec<&PromptSet> = Vec::new();
    if let Some(set) = preferred(
        sets,
        |s| matches!(s, PromptScope::Kind { kind: k } if *k == kind),
    ) {
        out.push(set);
    }
    for tag in tags {
        let found = preferred(
            sets,
            |s| matches!(s, PromptScope::Tag { tag: t } if same_tag(t, tag)),
        );
        if let Some(set) = found {
            if !out.iter().any(|s| std::ptr::eq(*s, set)) {
                out.push(set);
            }
        }
    }
    out
}

/// The recalibrate set for a trust dimension (`willingness` or `ability`, any case).
///
/// A user set for the dimension overrides the built-in one; `None` when `sets` has
/// no set for that dimension (for example an unknown dimension).
pub fn recalibrate_set<'a>(sets: &'a [PromptSet], dimension: &str) -> Option<&'a PromptSet> {
    preferred(
        sets,
        |s| matches!(s, PromptScope::Recalibrate { dimension: d } if same_tag(d, dimension)),
    )
}

/// Shorthand for an input error.
fn invalid(message: String) -> crate::Error {
    crate::Error::InvalidInput(message)
}

/// Checks a prompt id or tag: non-empty, short, and lower-case letters, digits, `-` or `_`.
fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars().count() <= MAX_SLUG_CHARS
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Checks that text only uses the placeholders [`render`] fills; `what` names the text in the message.
fn check_placeholders(text: &str, what: &str) -> Result<(), crate::Error> {
    for piece in pieces(text) {
        if let Piece::Placeholder(word) = piece {
            if PLACEHOLDERS.contains(&word) {
                continue;
            }
            let lower = word.to_ascii_lowercase();
            let hint = if PLACEHOLDERS.contains(&lower.as_str()) {
                format!("placeholders are written in lower case: use {{{lower}}}")
            } else {
                "only {name} and {team} are filled in".to_string()
            };
            return Err(invalid(format!(
                "{what} uses the unknown placeholder {{{word}}}; {hint}"
            )));
        }
    }
    Ok(())
}

/// Checks a prompt set can be shown and saved: a name, a sensible scope, and between one
/// and [`MAX_PROMPTS`] prompts, each with a unique slug id, non-empty text of at most
/// [`MAX_PROMPT_CHARS`] characters, a single-line help, and no unknown placeholders.
///
/// Every problem is an [`InvalidInput`](crate::Error::InvalidInput) whose message names
/// the set and the prompt concerned.
pub fn validate(set: &PromptSet) -> Result<(), crate::Error> {
    let name = set.name.trim();
    if name.is_empty() {
        return Err(invalid("a prompt set needs a name".to_string()));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(invalid(format!(
            "the prompt set name \"{name}\" is too long; keep it to {MAX_NAME_CHARS} characters"
        )));
    }
    let set_label = format!("prompt set \"{name}\"");
    if set.description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(invalid(format!(
            "the description of {set_label} is too long; keep it to {MAX_DESCRIPTION_CHARS} characters"
        )));
    }
    match &set.scope {
        PromptScope::Kind { .. } => {}
        PromptScope::Tag { tag } => {
            let tag = tag.trim();
            if tag.is_empty() {
                return Err(invalid(format!(
                    "{set_label} is for a tag, but the tag is empty"
                )));
            }
            if tag.chars().count() > MAX_SLUG_CHARS || tag.contains(['\n', '\r']) {
                return Err(invalid(format!(
                    "the tag of {set_label} must be a single line of at most {MAX_SLUG_CHARS} characters"
                )));
            }
        }
        PromptScope::Recalibrate { dimension } => {
            if !DIMENSIONS.iter().any(|d| same_tag(d, dimension)) {
                return Err(invalid(format!(
                    "{set_label} recalibrates \"{dimension}\"; the dimension must be \"willingness\" or \"ability\""
                )));
            }
        }
    }
    if set.prompts.is_empty() {
        return Err(invalid(format!(
            "{set_label} has no prompts; add at least one"
        )));
    }
    if set.prompts.len() > MAX_PROMPTS {
        return Err(invalid(format!(
            "{set_label} has {} prompts; a set holds at most {MAX_PROMPTS}",
            set.prompts.len()
        )));
    }
    let mut seen = HashSet::new();
    for (index, prompt) in set.prompts.iter().enumerate() {
        let number = index + 1;
        if prompt.id.trim().is_empty() {
            return Err(invalid(format!(
                "prompt {number} in {set_label} has no id; give it a short one such as \"heard\""
            )));
        }
        if !is_slug(&prompt.id) {
            return Err(invalid(format!(
                "the id \"{}\" of prompt {number} in {set_label} may use only lower-case letters, \
                 digits, '-' and '_' (at most {MAX_SLUG_CHARS})",
                prompt.id
            )));
        }
        if !seen.insert(prompt.id.as_str()) {
            return Err(invalid(format!(
                "{set_label} uses the id \"{}\" for more than one prompt; each prompt needs its own id",
                prompt.id
            )));
        }
        let label = format!("prompt \"{}\" in {set_label}", prompt.id);
        if prompt.text.trim().is_empty() {
            return Err(invalid(format!("{label} has no text; write the question")));
        }
        let chars = prompt.text.chars().count();
        if chars > MAX_PROMPT_CHARS {
            return Err(invalid(format!(
                "{label} is {chars} characters long; shorten it to {MAX_PROMPT_CHARS} or fewer"
            )));
        }
        check_placeholders(&prompt.text, &label)?;
        if prompt.help.contains(['\n', '\r']) {
            return Err(invalid(format!(
                "the help of {label} must be a single line"
            )));
        }
        if prompt.help.chars().count() > MAX_HELP_CHARS {
            return Err(invalid(format!(
                "the help of {label} is too long; keep it to {MAX_HELP_CHARS} characters"
            )));
        }
        check_placeholders(&prompt.help, &format!("the help of {label}"))?;
    }
    Ok(())
}

/// Writes prompt sets as a pretty-printed prompt file ([`PromptSetFile`]), ending in a newline.
///
/// Exported sets are marked `builtin: false`: once they leave the app they are
/// ordinary sets that the receiver can edit. Ids are kept, so importing an export
/// of a set updates that set rather than duplicating it.
pub fn export_json(sets: &[PromptSet]) -> String {
    let file = PromptSetFile {
        format: PROMPT_FILE_FORMAT.to_string(),
        version: PROMPT_FILE_VERSION,
        sets: sets
            .iter()
            .map(|s| PromptSet {
                builtin: false,
                ..s.clone()
            })
            .collect(),
    };
    let mut text =
        serde_json::to_string_pretty(&file).expect("prompt sets always serialise to JSON");
    text.push('\n');
    text
}

/// Reads a prompt file written by [`export_json`] or by hand, and checks every set in it.
///
/// The file must be JSON with `"format": "touchpoint-prompts"` and a version this
/// build reads, and hold at least one set; each set must pass [`validate`], and no two
/// sets may share an id. Sets without an id get a new one; `help` and `description`
/// may be left out. Imported sets are never built-in. Nothing is returned unless the
/// whole file is sound; every problem is an [`InvalidInput`](crate::Error::InvalidInput)
/// naming what is wrong.
pub fn import_json(text: &str) -> Result<Vec<PromptSet>, crate::Error> {
    if text.len() > MAX_FILE_BYTES {
        return Err(invalid(format!(
            "this prompt file is {} KB; prompt files are at most {} KB",
            text.len() / 1024,
            MAX_FILE_BYTES / 1024
        )));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            invalid(format!(
                "this prompt file is not valid JSON ({e}); if it was edited by hand, check near that spot"
            ))
        } else {
            invalid(format!("this prompt file could not be read: {e}"))
        }
    })?;
    let not_ours = || {
        invalid(format!(
            "this is not a Touchpoint prompt file (it has no \"format\": \"{PROMPT_FILE_FORMAT}\")"
        ))
    };
    let object = value.as_object().ok_or_else(not_ours)?;
    match object.get("format") {
        Some(serde_json::Value::String(f)) if f == PROMPT_FILE_FORMAT => {}
        Some(serde_json::Value::String(f)) => {
            return Err(invalid(format!(
                "this is not a Touchpoint prompt file (its format is \"{f}\", expected \"{PROMPT_FILE_FORMAT}\")"
            )))
        }
        _ => return Err(not_ours()),
    }
    let version = match object.get("version") {
        None => {
            return Err(invalid(
                "this prompt file has no version number; it should say \"version\": 1".to_string(),
            ))
        }
        Some(v) => v.as_u64().ok_or_else(|| {
            invalid(format!(
                "the version of this prompt file should be a whole number, not {v}"
            ))
        })?,
    };
    if version > u64::from(PROMPT_FILE_VERSION) {
        return Err(invalid(format!(
            "prompt file version {version} is newer than this app reads ({PROMPT_FILE_VERSION}); \
             update Touchpoint to import it"
        )));
    }
    if version == 0 {
        return Err(invalid(format!(
            "prompt file version 0 is not one this app reads ({PROMPT_FILE_VERSION})"
        )));
    }
    let raw_sets = match object.get("sets") {
        Some(serde_json::Value::Array(items)) => items,
        _ => {
            return Err(invalid(
                "this prompt file has no list of \"sets\"".to_string(),
            ))
        }
    };
    if raw_sets.is_empty() {
        return Err(invalid(
            "this prompt file contains no prompt sets".to_string(),
        ));
    }
    let mut sets = Vec::with_capacity(raw_sets.len());
    let mut ids = HashSet::new();
    for (index, raw) in raw_sets.iter().enumerate() {
        let number = index + 1;
        let mut set = PromptSet::deserialize(raw).map_err(|e| {
            let named = raw
                .get("name")
                .and_then(|n| n.as_str())
                .map(|n| format!(" (\"{n}\")"))
                .unwrap_or_default();
            invalid(format!(
                "set {number}{named} in the prompt file could not be read: {e}"
            ))
        })?;
        validate(&set)?;
        if !ids.insert(set.id) {
            return Err(invalid(format!(
                "the prompt file contains more than one set with the id {}; each set needs its own id",
                set.id
            )));
        }
        set.builtin = false;
        sets.push(set);
    }
    Ok(sets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The message of an input error; any other error fails the test.
    fn message(result: Result<Vec<PromptSet>, crate::Error>) -> String {
        match result {
            Err(crate::Error::InvalidInput(m)) => m,
            Err(other) => panic!("expected an invalid input error, got {other:?}"),
            Ok(sets) => panic!("expected an error, but {} sets were imported", sets.len()),
        }
    }

    fn validate_message(set: &PromptSet) -> String {
        message(validate(set).map(|()| Vec::new()))
    }

    /// A small valid user set for the given scope.
    fn user_set(name: &str, scope: PromptScope) -> PromptSet {
        PromptSet {
            id: new_id(),
            name: name.to_string(),
            scope,
            prompts: vec![Prompt {
                id: "first".to_string(),
                text: "What did {name} hear?".to_string(),
                help: String::new(),
            }],
            builtin: false,
            description: String::new(),
        }
    }

    /// A prompt file around one set given as JSON.
    fn file_with_set(set: serde_json::Value) -> String {
        serde_json::json!({ "format": "touchpoint-prompts", "version": 1, "sets": [set] })
            .to_string()
    }

    fn set_json(prompts: serde_json::Value) -> serde_json::Value {
        serde_json::json!({
            "name": "Skip-level",
            "scope": { "type": "kind", "kind": "one_on_one" },
            "prompts": prompts,
        })
    }

    #[test]
    fn every_builtin_set_validates() {
        for set in builtin_sets() {
            assert!(set.builtin, "{} should be marked built-in", set.name);
            if let Err(crate::Error::InvalidInput(m)) = validate(&set) {
                panic!("built-in set {} is invalid: {m}", set.name);
            }
        }
    }

    #[test]
    fn builtin_sets_follow_the_house_style() {
        for set in builtin_sets() {
            let n = set.prompts.len();
            assert!(
                (4..=7).contains(&n),
                "{} has {n} prompts; built-in sets hold 4 to 7",
                set.name
            );
            assert!(
                !set.description.is_empty(),
                "{} needs a description",
                set.name
            );
            for p in &set.prompts {
                let len = p.text.chars().count();
                assert!(
                    len <= 140,
                    "{}/{} is {len} characters; keep prompts to 140",
                    set.name,
                    p.id
                );
                assert!(
                    p.text.ends_with('?'),
                    "{}/{} should be a question",
                    set.name,
                    p.id
                );
                assert!(
                    !p.help.is_empty(),
                    "{}/{} needs a help line",
                    set.name,
                    p.id
                );
                assert!(
                    p.help.chars().count() <= 140,
                    "{}/{} help is longer than 140 characters",
                    set.name,
                    p.id
                );
            }
        }
    }

    #[test]
    fn builtin_ids_are_fixed_and_unique() {
        let expected = [
            ("One-on-one", "01900000-0000-7000-8000-000000000001"),
            ("Team meeting", "01900000-0000-7000-8000-000000000002"),
            ("Feedback", "01900000-0000-7000-8000-000000000003"),
            ("Conflict", "01900000-0000-7000-8000-000000000004"),
            ("Decision", "01900000-0000-7000-8000-000000000005"),
            ("Any touchpoint", "01900000-0000-7000-8000-000000000006"),
            ("AI roll-out", "01900000-0000-7000-8000-000000000101"),
            (
                "Recalibrate: ability",
                "01900000-0000-7000-8000-000000000201",
            ),
            (
                "Recalibrate: willingness",
                "01900000-0000-7000-8000-000000000202",
            ),
        ];
        let sets = builtin_sets();
        let actual: Vec<(&str, String)> = sets
            .iter()
            .map(|s| (s.name.as_str(), s.id.to_string()))
            .collect();
        let expected: Vec<(&str, String)> =
            expected.iter().map(|(n, i)| (*n, i.to_string())).collect();
        assert_eq!(
            actual, expected,
            "built-in ids must never change: exports and overrides refer to them"
        );
        assert_eq!(
            builtin_sets(),
            sets,
            "building the built-in sets twice gives the same sets"
        );
        let unique: HashSet<Uuid> = sets.iter().map(|s| s.id).collect();
        assert_eq!(unique.len(), sets.len(), "built-in ids are unique");
        assert!(
            sets.iter().all(|s| s.id.get_version_num() == 7),
            "built-in ids are v7 UUIDs like every other id"
        );
    }

    #[test]
    fn builtin_sets_cover_every_kind_the_change_tag_and_both_dimensions() {
        let sets = builtin_sets();
        for kind in TouchpointKind::ALL {
            let n = sets
                .iter()
                .filter(|s| s.scope == PromptScope::Kind { kind: *kind })
                .count();
            assert_eq!(n, 1, "exactly one built-in set for {kind}");
        }
        assert!(sets.iter().any(|s| s.scope
            == PromptScope::Tag {
                tag: CHANGE_INITIATIVE_TAG.to_string()
            }));
        for dimension in DIMENSIONS {
            assert!(
                recalibrate_set(&sets, dimension).is_some(),
                "a set for {dimension}"
            );
        }
    }

    #[test]
    fn render_fills_name_and_team() {
        assert_eq!(
            render(
                "Could {name} raise it in front of {team}?",
                "Ana",
                Some("Platform")
            ),
            "Could Ana raise it in front of Platform?"
        );
        assert_eq!(render("{name}, {name}!", "Bo", None), "Bo, Bo!");
    }

    #[test]
    fn render_falls_back_when_team_or_name_is_missing() {
        assert_eq!(
            render("Does {team} know?", "Ana", None),
            "Does the team know?"
        );
        assert_eq!(
            render("Does {team} know?", "Ana", Some("  ")),
            "Does the team know?"
        );
        assert_eq!(
            render("What did {name} hear?", " ", None),
            "What did this person hear?"
        );
    }

    #[test]
    fn render_inserts_values_once_and_leaves_other_braces_alone() {
        assert_eq!(
            render("{name} and {team}", "{team}", Some("{name}")),
            "{team} and {name}",
            "values are not expanded again"
        );
        assert_eq!(
            render("a {} b { name } {unknown}", "Ana", None),
            "a {} b { name } {unknown}"
        );
        assert_eq!(render("{{name}}", "Ana", None), "{Ana}");
        assert_eq!(render("ends with {", "Ana", None), "ends with {");
        assert_eq!(render("Naïve {name} — ok?", "Zoë", None), "Naïve Zoë — ok?");
    }

    #[test]
    fn sets_for_picks_the_builtin_set_for_the_kind() {
        let sets = builtin_sets();
        let chosen = sets_for(&sets, TouchpointKind::Feedback, &[]);
        assert_eq!(chosen.len(), 1);
        assert_eq!(chosen[0].id, builtin_ids::FEEDBACK);
    }

    #[test]
    fn sets_for_prefers_a_user_set_for_the_kind() {
        let mut sets = vec![user_set(
            "Mine",
            PromptScope::Kind {
                kind: TouchpointKind::OneOnOne,
            },
        )];
        sets.extend(builtin_sets());
        sets.push(user_set(
            "Later",
            PromptScope::Kind {
                kind: TouchpointKind::OneOnOne,
            },
        ));
        let chosen = sets_for(&sets, TouchpointKind::OneOnOne, &[]);
        assert_eq!(chosen.len(), 1);
        assert_eq!(
            chosen[0].name, "Mine",
            "the first user set overrides the built-in one"
        );

        let mut after = builtin_sets();
        after.push(user_set(
            "Mine",
            PromptScope::Kind {
                kind: TouchpointKind::OneOnOne,
            },
        ));
        let chosen = sets_for(&after, TouchpointKind::OneOnOne, &[]);
        assert_eq!(
            chosen[0].name, "Mine",
            "a user set wins wherever it sits in the list"
        );

        let chosen = sets_for(&after, TouchpointKind::Conflict, &[]);
        assert_eq!(
            chosen[0].id,
            builtin_ids::CONFLICT,
            "other kinds keep their built-in set"
        );
    }

    #[test]
    fn sets_for_adds_one_set_per_matching_tag_in_tag_order() {
        let mut sets = builtin_sets();
        sets.push(user_set(
            "Reorg",
            PromptScope::Tag {
                tag: "reorg".to_string(),
            },
        ));
        let tags = vec![
            "Reorg".to_string(),
            "unrelated".to_string(),
            " AI-Rollout ".to_string(),
            "ai-rollout".to_string(),
        ];
        let chosen = sets_for(&sets, TouchpointKind::TeamMeeting, &tags);
        let names: Vec<&str> = chosen.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Team meeting", "Reorg", "AI roll-out"]);
    }

    #[test]
    fn sets_for_prefers_a_user_set_for_a_tag() {
        let mut sets = builtin_sets();
        let mut own = builtin_sets()
            .into_iter()
            .find(|s| s.id == builtin_ids::AI_ROLLOUT)
            .unwrap()
            .user_copy();
        own.name = "Our AI roll-out".to_string();
        sets.push(own);
        let chosen = sets_for(
            &sets,
            TouchpointKind::Other,
            &[CHANGE_INITIATIVE_TAG.to_string()],
        );
        let names: Vec<&str> = chosen.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Any touchpoint", "Our AI roll-out"]);
    }

    #[test]
    fn sets_for_without_a_kind_set_still_returns_tag_sets() {
        let sets = vec![user_set(
            "Reorg",
            PromptScope::Tag {
                tag: "reorg".to_string(),
            },
        )];
        let chosen = sets_for(&sets, TouchpointKind::Decision, &["reorg".to_string()]);
        assert_eq!(chosen.len(), 1);
        assert!(sets_for(&[], TouchpointKind::Decision, &["reorg".to_string()]).is_empty());
    }

    #[test]
    fn recalibrate_set_picks_by_dimension_and_prefers_user_sets() {
        let mut sets = builtin_sets();
        assert_eq!(
            recalibrate_set(&sets, "ability").unwrap().id,
            builtin_ids::RECALIBRATE_ABILITY
        );
        assert_eq!(
            recalibrate_set(&sets, "Willingness").unwrap().id,
            builtin_ids::RECALIBRATE_WILLINGNESS
        );
        assert!(recalibrate_set(&sets, "benevolence").is_none());
        sets.push(user_set(
            "My repair",
            PromptScope::Recalibrate {
                dimension: "ability".to_string(),
            },
        ));
        assert_eq!(recalibrate_set(&sets, "ability").unwrap().name, "My repair");
        assert_eq!(
            recalibrate_set(&sets, "willingness").unwrap().id,
            builtin_ids::RECALIBRATE_WILLINGNESS
        );
    }

    #[test]
    fn user_copy_gets_a_new_id_and_is_not_builtin() {
        let original = &builtin_sets()[0];
        let copy = original.user_copy();
        assert_ne!(copy.id, original.id);
        assert!(!copy.builtin);
        assert_eq!(copy.prompts, original.prompts);
        assert_eq!(copy.scope, original.scope);
    }

    #[test]
    fn export_then_import_gives_back_the_same_sets_as_user_sets() {
        let mut sets = builtin_sets();
        sets.push(user_set(
            "Skip-level",
            PromptScope::Tag {
                tag: "skip-level".to_string(),
            },
        ));
        let text = export_json(&sets);
        assert!(text.ends_with("}\n"));
        let imported = import_json(&text).unwrap();
        let expected: Vec<PromptSet> = sets
            .into_iter()
            .map(|s| PromptSet {
                builtin: false,
                ..s
            })
            .collect();
        assert_eq!(
            imported, expected,
            "only the builtin flag changes on the way through a file"
        );
    }

    #[test]
    fn export_writes_the_documented_shape() {
        let set = PromptSet {
            id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_abcd),
            name: "Skip-level".to_string(),
            scope: PromptScope::Tag {
                tag: "skip-level".to_string(),
            },
            prompts: vec![Prompt {
                id: "heard".to_string(),
                text: "What would {name} say {team} needs from me?".to_string(),
                help: "Their words, not yours.".to_string(),
            }],
            builtin: true,
            description: "For meetings with my reports' reports.".to_string(),
        };
        insta::assert_snapshot!("export_shape", export_json(&[set]));
    }

    #[test]
    fn scope_serialises_as_a_tagged_object() {
        let json = |s: &PromptScope| serde_json::to_string(s).unwrap();
        assert_eq!(
            json(&PromptScope::Kind {
                kind: TouchpointKind::TeamMeeting
            }),
            r#"{"type":"kind","kind":"team_meeting"}"#
        );
        assert_eq!(
            json(&PromptScope::Tag {
                tag: "ai-rollout".to_string()
            }),
            r#"{"type":"tag","tag":"ai-rollout"}"#
        );
        assert_eq!(
            json(&PromptScope::Recalibrate {
                dimension: "ability".to_string()
            }),
            r#"{"type":"recalibrate","dimension":"ability"}"#
        );
    }

    #[test]
    fn import_accepts_a_hand_written_file_and_never_marks_sets_builtin() {
        let text = r#"{
            "format": "touchpoint-prompts",
            "version": 1,
            "sets": [{
                "name": "Skip-level",
                "builtin": true,
                "scope": { "type": "kind", "kind": "one_on_one" },
                "prompts": [{ "id": "heard", "text": "What did {name} hear?" }]
            }]
        }"#;
        let sets = import_json(text).unwrap();
        assert_eq!(sets.len(), 1);
        assert!(
            !sets[0].builtin,
            "an imported set is never built-in, whatever the file says"
        );
        assert_eq!(
            sets[0].id.get_version_num(),
            7,
            "a set without an id gets a fresh one"
        );
        assert_eq!(sets[0].prompts[0].help, "");
        assert_eq!(sets[0].description, "");
    }

    #[test]
    fn import_rejects_malformed_json_with_its_position() {
        let m = message(import_json(
            "{\"format\": \"touchpoint-prompts\",\n  \"version\": 1,,",
        ));
        assert!(m.starts_with("this prompt file is not valid JSON"), "{m}");
        assert!(m.contains("line 2"), "the message points at the spot: {m}");
    }

    #[test]
    fn import_rejects_a_file_of_another_format() {
        let m = message(import_json(
            r#"{"format": "touchpoint-journal", "version": 1, "sets": []}"#,
        ));
        assert_eq!(
            m,
            "this is not a Touchpoint prompt file (its format is \"touchpoint-journal\", expected \"touchpoint-prompts\")"
        );
        for other in [r#"{"entries": []}"#, "[1, 2]", "\"hello\""] {
            let m = message(import_json(other));
            assert!(
                m.starts_with("this is not a Touchpoint prompt file"),
                "{other}: {m}"
            );
        }
    }

    #[test]
    fn import_rejects_a_newer_version() {
        let m = message(import_json(
            r#"{"format": "touchpoint-prompts", "version": 7, "sets": []}"#,
        ));
        assert_eq!(
            m,
            "prompt file version 7 is newer than this app reads (1); update Touchpoint to import it"
        );
    }

    #[test]
    fn import_rejects_a_missing_or_odd_version() {
        let m = message(import_json(
            r#"{"format": "touchpoint-prompts", "sets": []}"#,
        ));
        assert!(m.contains("has no version number"), "{m}");
        let m = message(import_json(
            r#"{"format": "touchpoint-prompts", "version": "1", "sets": []}"#,
        ));
        assert!(m.contains("should be a whole number"), "{m}");
        let m = message(import_json(
            r#"{"format": "touchpoint-prompts", "version": 0, "sets": []}"#,
        ));
        assert!(m.contains("version 0"), "{m}");
    }

    #[test]
    fn import_rejects_a_file_without_sets() {
        let m = message(import_json(
            r#"{"format": "touchpoint-prompts", "version": 1, "sets": []}"#,
        ));
        assert_eq!(m, "this prompt file contains no prompt sets");
        let m = message(import_json(
            r#"{"format": "touchpoint-prompts", "version": 1}"#,
        ));
        assert_eq!(m, "this prompt file has no list of \"sets\"");
    }

    #[test]
    fn import_names_the_set_it_cannot_read() {
        let text = file_with_set(serde_json::json!({ "name": "Skip-level", "prompts": [] }));
        let m = message(import_json(&text));
        assert!(
            m.starts_with("set 1 (\"Skip-level\") in the prompt file could not be read"),
            "{m}"
        );
        assert!(m.contains("scope"), "the missing field is named: {m}");
    }

    #[test]
    fn import_rejects_an_empty_prompt() {
        let text = file_with_set(set_json(serde_json::json!([
            { "id": "heard", "text": "What did {name} hear?" },
            { "id": "blank", "text": "   " }
        ])));
        assert_eq!(
            message(import_json(&text)),
            "prompt \"blank\" in prompt set \"Skip-level\" has no text; write the question"
        );
    }

    #[test]
    fn import_rejects_a_set_without_prompts_or_name() {
        let text = file_with_set(set_json(serde_json::json!([])));
        assert_eq!(
            message(import_json(&text)),
            "prompt set \"Skip-level\" has no prompts; add at least one"
        );
        let mut nameless = set_json(serde_json::json!([{ "id": "a", "text": "Why?" }]));
        nameless["name"] = serde_json::json!(" ");
        assert_eq!(
            message(import_json(&file_with_set(nameless))),
            "a prompt set needs a name"
        );
    }

    #[test]
    fn import_rejects_an_unknown_placeholder() {
        let text = file_with_set(set_json(serde_json::json!([
            { "id": "heard", "text": "What did {person} hear?" }
        ])));
        assert_eq!(
            message(import_json(&text)),
            "prompt \"heard\" in prompt set \"Skip-level\" uses the unknown placeholder {person}; \
             only {name} and {team} are filled in"
        );
        let text = file_with_set(set_json(serde_json::json!([
            { "id": "heard", "text": "What did {Name} hear?" }
        ])));
        assert!(
            message(import_json(&text))
                .ends_with("placeholders are written in lower case: use {name}"),
            "a wrongly cased placeholder gets a hint"
        );
        let text = file_with_set(set_json(serde_json::json!([
            { "id": "heard", "text": "What did {name} hear?", "help": "Ask {them}." }
        ])));
        assert!(message(import_json(&text)).starts_with("the help of prompt \"heard\""));
    }

    #[test]
    fn import_rejects_duplicate_prompt_ids() {
        let text = file_with_set(set_json(serde_json::json!([
            { "id": "heard", "text": "What did {name} hear?" },
            { "id": "heard", "text": "What did {name} say?" }
        ])));
        assert_eq!(
            message(import_json(&text)),
            "prompt set \"Skip-level\" uses the id \"heard\" for more than one prompt; each prompt needs its own id"
        );
    }

    #[test]
    fn import_rejects_duplicate_set_ids() {
        let set = user_set(
            "Skip-level",
            PromptScope::Kind {
                kind: TouchpointKind::OneOnOne,
            },
        );
        let text = export_json(&[set.clone(), set.clone()]);
        let m = message(import_json(&text));
        assert!(
            m.contains(&set.id.to_string()) && m.contains("more than one set"),
            "{m}"
        );
    }

    #[test]
    fn validate_rejects_long_text_bad_ids_bad_scopes_and_multi_line_help() {
        let base = user_set(
            "Skip-level",
            PromptScope::Kind {
                kind: TouchpointKind::OneOnOne,
            },
        );

        let mut long = base.clone();
        long.prompts[0].text = "a".repeat(501);
        assert_eq!(
            validate_message(&long),
            "prompt \"first\" in prompt set \"Skip-level\" is 501 characters long; shorten it to 500 or fewer"
        );
        long.prompts[0].text = "é".repeat(500);
        assert!(
            validate(&long).is_ok(),
            "the limit counts characters, not bytes"
        );

        let mut bad_id = base.clone();
        bad_id.prompts[0].id = "Heard It".to_string();
        assert!(validate_message(&bad_id).contains("may use only lower-case letters"));

        let mut no_id = base.clone();
        no_id.prompts[0].id = String::new();
        assert!(
            validate_message(&no_id).starts_with("prompt 1 in prompt set \"Skip-level\" has no id")
        );

        let mut help = base.clone();
        help.prompts[0].help = "one\ntwo".to_string();
        assert!(validate_message(&help).ends_with("must be a single line"));

        let mut dim = base.clone();
        dim.scope = PromptScope::Recalibrate {
            dimension: "trust".to_string(),
        };
        assert!(validate_message(&dim).contains("must be \"willingness\" or \"ability\""));

        let mut tag = base.clone();
        tag.scope = PromptScope::Tag {
            tag: " ".to_string(),
        };
        assert!(validate_message(&tag).ends_with("the tag is empty"));

        let mut many = base;
        many.prompts = (0..=MAX_PROMPTS)
            .map(|i| Prompt {
                id: format!("p{i}"),
                text: "Why?".to_string(),
                help: String::new(),
            })
            .collect();
        assert!(validate_message(&many).contains("at most 50"));
    }

    /// A plain listing of every built-in prompt, so an accidental edit shows up in review.
    #[test]
    fn builtin_prompt_texts() {
        let mut listing = String::new();
        for set in builtin_sets() {
            let scope = match &set.scope {
                PromptScope::Kind { kind } => format!("kind {kind}"),
                PromptScope::Tag { tag } => format!("tag {tag}"),
                PromptScope::Recalibrate { dimension } => format!("recalibrate {dimension}"),
            };
            listing.push_str(&format!(
                "## {} [{scope}] {}\n{}\n",
                set.name, set.id, set.description
            ));
            for p in &set.prompts {
                listing.push_str(&format!("- {}: {}\n    {}\n", p.id, p.text, p.help));
            }
            listing.push('\n');
        }
        insta::assert_snapshot!("builtin_prompt_texts", listing);
    }

    proptest! {
        /// Rendering fills exactly the two placeholders: text without braces comes back
        /// unchanged, and `{name}`/`{team}` become the given values verbatim, whatever
        /// characters those values contain.
        #[test]
        fn render_substitutes_exactly_the_placeholders(
            before in "[^{}]{0,20}",
            after in "[^{}]{0,20}",
            name in "\\PC{1,20}",
            team in "\\PC{1,20}",
        ) {
            prop_assert_eq!(render(&before, &name, Some(&team)), before.clone());
            let expected_name = if name.trim().is_empty() { NAME_FALLBACK } else { name.as_str() };
            let expected_team = if team.trim().is_empty() { TEAM_FALLBACK } else { team.as_str() };
            let text = format!("{before}{{name}}{after}{{team}}");
            prop_assert_eq!(
                render(&text, &name, Some(&team)),
                format!("{before}{expected_name}{after}{expected_team}")
            );
        }

        /// Any set that validates survives export and import unchanged, apart from the builtin flag.
        #[test]
        fn valid_sets_round_trip_through_a_file(
            name in "[A-Za-z][A-Za-z .-]{0,30}",
            texts in proptest::collection::vec("[A-Za-z ,.?]{1,40}( \\{name\\}| \\{team\\})?", 1..6),
            builtin in any::<bool>(),
        ) {
            let set = PromptSet {
                id: new_id(),
                name,
                scope: PromptScope::Kind { kind: TouchpointKind::Conflict },
                prompts: texts
                    .into_iter()
                    .enumerate()
                    .map(|(i, text)| Prompt { id: format!("p{i}"), text, help: "Help.".to_string() })
                    .collect(),
                builtin,
                description: String::new(),
            };
            prop_assume!(validate(&set).is_ok());
            let back = import_json(&export_json(std::slice::from_ref(&set))).unwrap();
            prop_assert_eq!(back, vec![PromptSet { builtin: false, ..set }]);
        }
    }
}
