//! A realistic synthetic journal, the same for the same seed and anchor date.
//!
//! Used for the "try a demo journal" path, the benchmarks (200 people, 100,000 touchpoints)
//! and tests. Each person gets a hidden relationship "climate" that drifts over time, so
//! balances, trends and slipping relationships look like a real leader's year, not noise.
//! One team is in the middle of an AI roll-out ([`rollout`]), so the initiative pages and their
//! nudges have something to show from the start.

mod rollout;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::model::{
    Commitment, CommitmentStatus, Group, GroupImpact, OpenTopic, PromptAnswer, Reflection,
    Touchpoint, TouchpointKind, TouchpointState,
};
use crate::vault::Journal;
use crate::{Error, Result};

/// What the generator made.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DemoSummary {
    /// People added.
    pub people: u32,
    /// Touchpoints added.
    pub touchpoints: u32,
    /// Reflections added.
    pub reflections: u32,
    /// Commitments added.
    pub commitments: u32,
    /// Open topics added.
    pub topics: u32,
}

const FIRST: &[&str] = &[
    "Ana", "Ben", "Chidi", "Dana", "Elif", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemal",
    "Lena", "Malik", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tanja", "Umar", "Vera",
    "Wen", "Ximena", "Yusuf", "Zoe", "Aiko", "Bruno", "Carla", "Dmitri", "Esme", "Femi",
];
const LAST: &[&str] = &[
    "Alvarez",
    "Berg",
    "Costa",
    "Dubois",
    "Eze",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quist",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Usman",
    "Varga",
    "Weber",
    "Yilmaz",
    "Zhang",
];
const TEAMS: &[&str] = &["Platform", "Mobile", "Data", "Support", "Design", "Growth"];
const TOPICS: &[&str] = &[
    "the on-call rotation",
    "the migration deadline",
    "promotion criteria",
    "the hiring plan",
    "the design review",
    "the customer escalation",
    "workload after the reorg",
    "the new AI assistant",
    "conference budget",
    "pairing with the new joiner",
    "the quarterly roadmap",
    "flaky release pipeline",
    "remote work days",
    "the budget cut",
];
const GOOD: &[&str] = &[
    "listened before answering",
    "made room for the quiet voices",
    "owned my part of the delay",
    "backed the decision with the reasons",
    "followed up on last week's promise",
    "shielded the team from the scope change",
    "asked what support they needed",
];
const BAD: &[&str] = &[
    "cut them off twice",
    "decided before hearing them out",
    "forgot the promised follow-up",
    "took the credit in the review",
    "sounded defensive",
    "checked my phone while they spoke",
    "changed the plan without telling them",
];
const TAGS: &[&str] = &["ai-rollout", "hiring", "reorg", "q3-planning", "offsite"];

/// Builds a time-ordered id from the generator, so the same seed gives the same ids.
fn demo_id(rng: &mut ChaCha8Rng, at: DateTime<Utc>) -> Uuid {
    let bytes: [u8; 10] = rng.gen();
    uuid::Builder::from_unix_timestamp_millis(at.timestamp_millis().max(0) as u64, &bytes)
        .into_uuid()
}

fn pick<'a>(rng: &mut ChaCha8Rng, items: &'a [&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or_default()
}

/// A kind drawn with the mix of a typical leader's week.
fn pick_kind(rng: &mut ChaCha8Rng) -> TouchpointKind {
    match rng.gen_range(0..100) {
        0..=44 => TouchpointKind::OneOnOne,
        45..=64 => TouchpointKind::TeamMeeting,
        65..=76 => TouchpointKind::Feedback,
        77..=82 => TouchpointKind::Conflict,
        83..=87 => TouchpointKind::Decision,
        _ => TouchpointKind::Other,
    }
}

fn clamp_rating(x: f64) -> i32 {
    (x.round() as i32).clamp(-2, 2)
}

/// Fills `journal` with `people` people and `touchpoints` touchpoints ending the day before `anchor`'s date.
///
/// Everything is written in one transaction; a journal that already has people is refused,
/// so a demo never mixes with real entries.
pub fn generate(
    journal: &mut Journal,
    people: u32,
    touchpoints: u32,
    seed: u64,
    anchor: DateTime<Utc>,
) -> Result<DemoSummary> {
    if people == 0 || people > 100_000 {
        return Err(Error::InvalidInput(
            "--people must be between 1 and 100000".into(),
        ));
    }
    if touchpoints > 2_000_000 {
        return Err(Error::InvalidInput(
            "--touchpoints must be at most 2000000".into(),
        ));
    }
    if !journal.people(true)?.is_empty() {
        return Err(Error::InvalidInput(
            "the demo generator only fills an empty journal; create a new one for the demo".into(),
        ));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let anchor = Utc.from_utc_datetime(
        &(anchor.date_naive() - Duration::days(1))
            .and_hms_opt(23, 59, 59)
            .expect("valid time"),
    );
    // Ten years for a big journal, one year for a small one.
    let span_days: i64 = if touchpoints >= 5_000 { 3650 } else { 365 };
    let offsets = [
        FixedOffset::east_opt(3600).expect("valid offset"),
        FixedOffset::east_opt(7200).expect("valid offset"),
        FixedOffset::west_opt(5 * 3600).expect("valid offset"),
        FixedOffset::east_opt(9 * 3600).expect("valid offset"),
    ];
    let mut summary = DemoSummary {
        people,
        ..DemoSummary::default()
    };

    // People: about two thirds direct reports, the rest spread over the other groups.
    struct DemoPerson {
        id: Uuid,
        name: String,
        group: Group,
        team: String,
        climate: f64,
        drift: f64,
    }
    let mut roster = Vec::new();
    let start = anchor - Duration::days(span_days + 30);
    for i in 0..people {
        let first = FIRST[i as usize % FIRST.len()];
        // Every first name meets each last name once before any pair repeats (800 people).
        let last = LAST[(i as usize / FIRST.len() + (i as usize % FIRST.len()) * 7) % LAST.len()];
        let name = if (i as usize) < FIRST.len() * LAST.len() {
            format!("{first} {last}")
        } else {
            format!("{first} {last} {}", i)
        };
        let group = match rng.gen_range(0..100) {
            0..=64 => Group::DirectReport,
            65..=79 => Group::Peer,
            80..=84 => Group::LeaderAbove,
            85..=92 => Group::Customer,
            _ => Group::Community,
        };
        roster.push(DemoPerson {
            id: demo_id(&mut rng, start),
            name,
            group,
            team: pick(&mut rng, TEAMS).to_string(),
            climate: rng.gen_range(-0.2..1.6),
            drift: rng.gen_range(-0.02..0.02),
        });
    }

    // The shared, reflected entries of the last months, for the roll-out to link.
    let mut candidates: Vec<rollout::Candidate> = Vec::new();
    journal.write(|tx| {
        for p in &roster {
            let cadence = match p.group {
                Group::DirectReport => Some([7, 14, 14, 21][p.id.as_bytes()[15] as usize % 4]),
                _ => None,
            };
            let email = format!("{}@example.test", p.name.to_lowercase().replace(' ', "."));
            tx.execute(
                "INSERT INTO people(id, name, emails, role, grp, cadence_days, notes, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, '', ?7)",
                rusqlite::params![
                    p.id.to_string(),
                    p.name,
                    serde_json::to_string(&[email]).expect("strings serialise"),
                    match p.group {
                        Group::DirectReport => "Engineer",
                        Group::Peer => "Engineering manager",
                        Group::LeaderAbove => "Director",
                        Group::Customer => "Customer lead",
                        _ => "Community organiser",
                    },
                    p.group.as_str(),
                    cadence,
                    start.with_timezone(&offsets[0]).to_rfc3339(),
                ],
            )?;
            let team_id: String =
                match tx.query_row("SELECT id FROM teams WHERE name = ?1", [&p.team], |r| {
                    r.get(0)
                }) {
                    Ok(id) => id,
                    Err(rusqlite::Error::QueryReturnedNoRows) => {
                        let id = Uuid::from_u128(rng.gen()).to_string();
                        tx.execute(
                            "INSERT INTO teams(id, name) VALUES (?1, ?2)",
                            [&id, &p.team],
                        )?;
                        id
                    }
                    Err(e) => return Err(e.into()),
                };
            tx.execute(
                "INSERT INTO team_members(team_id, person_id) VALUES (?1, ?2)",
                rusqlite::params![team_id, p.id.to_string()],
            )?;
        }

        let step_ms = (span_days * 86_400_000) / i64::from(touchpoints.max(1));
        for n in 0..touchpoints {
            let ms_back =
                span_days * 86_400_000 - step_ms * i64::from(n) - rng.gen_range(0..step_ms.max(1));
            let offset = offsets[if rng.gen_bool(0.85) {
                0
            } else {
                rng.gen_range(1..offsets.len())
            }];
            // Meetings happen in working hours of the place they were written in.
            let day = (anchor - Duration::milliseconds(ms_back.max(0)))
                .with_timezone(&offset)
                .date_naive();
            let local = day
                .and_hms_opt(
                    rng.gen_range(9..18),
                    [0, 15, 30, 45][rng.gen_range(0..4)],
                    0,
                )
                .expect("valid time");
            let mut at = offset
                .from_local_datetime(&local)
                .single()
                .expect("fixed offsets are unambiguous");
            if at.with_timezone(&Utc) > anchor {
                at -= Duration::days(1);
            }
            let at_utc = at.with_timezone(&Utc);
            let kind = pick_kind(&mut rng);
            let main = rng.gen_range(0..roster.len());
            let mut who = vec![main];
            if matches!(kind, TouchpointKind::TeamMeeting | TouchpointKind::Decision) {
                let team = roster[main].team.clone();
                who.extend(
                    (0..roster.len())
                        .filter(|&i| i != main && roster[i].team == team)
                        .take(rng.gen_range(2..6)),
                );
            }
            let topic = pick(&mut rng, TOPICS);
            // The climate of the main person at this moment decides how the meeting went.
            let elapsed_days = (span_days * 86_400_000 - ms_back) as f64 / 86_400_000.0;
            let climate = roster[main].climate + roster[main].drift * elapsed_days / 30.0;
            let mood = climate + rng.gen_range(-1.6..1.6);
            let (what_i_did, went) = if mood >= 0.0 {
                (pick(&mut rng, GOOD), "went well")
            } else {
                (pick(&mut rng, BAD), "was rough")
            };
            let names: Vec<&str> = who.iter().map(|&i| roster[i].name.as_str()).collect();
            let title = match kind {
                TouchpointKind::OneOnOne => format!("One-on-one with {}", names[0]),
                TouchpointKind::TeamMeeting => format!("{} team sync", roster[main].team),
                TouchpointKind::Feedback => format!("Feedback to {} on {topic}", names[0]),
                TouchpointKind::Conflict => format!("Disagreement with {} about {topic}", names[0]),
                TouchpointKind::Decision => format!("Decided on {topic}"),
                TouchpointKind::Other => format!("Hallway chat with {}", names[0]),
            };
            let notes = format!(
                "We talked about {topic}. It {went}: I {what_i_did}. {} raised {}.",
                names[0],
                pick(&mut rng, TOPICS)
            );
            let mut tags = Vec::new();
            if rng.gen_bool(0.08) {
                tags.push(pick(&mut rng, TAGS).to_string());
            }
            let recent = ms_back < 3 * 86_400_000;
            // The last few meetings wait for reflection, as they would after a busy day.
            let draft = n + 3 >= touchpoints || (recent && rng.gen_bool(0.3));
            let affected_groups = if kind == TouchpointKind::Decision {
                let mut groups: Vec<Group> = Group::ALL.to_vec();
                groups.shuffle(&mut rng);
                groups
                    .into_iter()
                    .take(rng.gen_range(1..3))
                    .map(|group| GroupImpact {
                        group,
                        impact: clamp_rating(mood + rng.gen_range(-1.0..1.0)),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let t = Touchpoint {
                id: demo_id(&mut rng, at_utc),
                kind,
                occurred_at: at,
                duration_minutes: Some([15, 30, 30, 45, 60][rng.gen_range(0..5)]),
                title,
                participants: who.iter().map(|&i| roster[i].id).collect(),
                team: Some(roster[main].team.clone()),
                affected_groups,
                notes,
                tags,
                private: rng.gen_bool(0.03),
                source: if draft {
                    format!("demo-calendar-{n}")
                } else {
                    "manual".into()
                },
                state: if draft {
                    TouchpointState::Draft
                } else {
                    TouchpointState::Logged
                },
                created_at: at,
            };
            crate::vault::put_touchpoint(tx, &t)?;
            summary.touchpoints += 1;
            if draft {
                continue;
            }
            if !t.private && ms_back < 130 * 86_400_000 {
                candidates.push(rollout::Candidate {
                    id: t.id,
                    at: t.occurred_at,
                    kind: t.kind,
                    team: roster[main].team.clone(),
                    participants: t.participants.clone(),
                });
            }
            for &i in &who {
                if i != main && !rng.gen_bool(0.6) {
                    continue;
                }
                let personal = mood + rng.gen_range(-0.7..0.7);
                let adversarial = personal < -1.6 && rng.gen_bool(0.4);
                let r = Reflection {
                    id: demo_id(&mut rng, at_utc),
                    touchpoint_id: t.id,
                    person_id: roster[i].id,
                    answers: vec![PromptAnswer {
                        prompt: "What would they say I did well, and what would they say I missed?"
                            .into(),
                        answer: format!("They would say I {what_i_did}."),
                    }],
                    their_side: if personal >= 0.0 {
                        format!("My manager actually heard me on {topic}.")
                    } else {
                        format!("I felt brushed off about {topic}.")
                    },
                    willingness: clamp_rating(personal + rng.gen_range(-0.5..0.5)),
                    ability: clamp_rating(personal * 0.8 + rng.gen_range(-0.8..0.8)),
                    adversarial,
                    would_have_helped: if personal < 0.0 {
                        "Hearing me out before deciding.".into()
                    } else {
                        String::new()
                    },
                    next_time: if personal < 0.0 {
                        format!("Open with {topic} and listen first.")
                    } else {
                        String::new()
                    },
                    created_at: at,
                };
                crate::vault::put_reflection(tx, &r)?;
                summary.reflections += 1;
            }
            if rng.gen_bool(0.2) {
                let person = roster[main].id;
                let due = (at_utc + Duration::days(rng.gen_range(3..21))).date_naive();
                let resolved = (ms_back > 21 * 86_400_000 || rng.gen_bool(0.3)).then(|| {
                    let status = if mood + rng.gen_range(-0.5..1.0) >= 0.0 {
                        CommitmentStatus::Kept
                    } else if rng.gen_bool(0.7) {
                        CommitmentStatus::Broken
                    } else {
                        CommitmentStatus::Renegotiated
                    };
                    (status, at + Duration::days(rng.gen_range(1..14)))
                });
                let c = Commitment {
                    id: demo_id(&mut rng, at_utc),
                    person_id: person,
                    touchpoint_id: Some(t.id),
                    what: format!("Follow up on {topic}"),
                    due: Some(due),
                    status: resolved.map_or(CommitmentStatus::Open, |r| r.0),
                    created_at: at,
                    resolved_at: resolved.map(|r| r.1.min(anchor.with_timezone(&offset))),
                };
                crate::vault::put_commitment(tx, &c)?;
                summary.commitments += 1;
            }
            if rng.gen_bool(0.1) {
                let o = OpenTopic {
                    id: demo_id(&mut rng, at_utc),
                    person_id: roster[main].id,
                    touchpoint_id: Some(t.id),
                    text: format!("Wants to talk about {}", pick(&mut rng, TOPICS)),
                    created_at: at,
                    closed_at: (ms_back > 60 * 86_400_000).then_some(at + Duration::days(14)),
                };
                crate::vault::put_topic(tx, &o)?;
                summary.topics += 1;
            }
        }
        Ok(())
    })?;
    let direct: Vec<rollout::Member> = roster
        .iter()
        .filter(|p| p.group == Group::DirectReport)
        .map(|p| rollout::Member {
            id: p.id,
            name: p.name.clone(),
            team: p.team.clone(),
        })
        .collect();
    rollout::add(journal, &mut rng, anchor, &direct, &candidates)?;
    Ok(summary)
}

/// The anchor the CLI uses: the start of today in UTC.
pub fn today_anchor() -> DateTime<Utc> {
    let d: NaiveDate = Utc::now().date_naive();
    Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).expect("valid time"))
}
