//! The demo's AI roll-out: one running initiative over the last sixteen weeks of one team, with
//! statements (one restated), guidelines the team shaped, the five steps held and missed, wins
//! and setbacks with their lessons, concerns (one open past the nudge), monthly measures and
//! linked entries. Everything is dated from the anchor, so the same seed gives the same story.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use super::demo_id;
use crate::exchange::{
    ExportedConcern, ExportedGuideline, ExportedInitiative, ExportedOutcome, ExportedStep,
};
use crate::initiative::{
    period_start, Cadence, ConcernKind, InitiativeStatus, Measure, OutcomeKind, PlanStep,
    Statement, StatementSide, StatementVersion, DEFAULT_TAG,
};
use crate::model::TouchpointKind;
use crate::vault::{add_tag, put_initiative_record, Journal};
use crate::Result;

/// Whether a step was held in its period number `n` (from the start).
type Held = dyn Fn(usize) -> bool;

/// How many weeks ago the roll-out started.
const WEEKS: i64 = 16;

/// A demo entry the roll-out may link.
pub(super) struct Candidate {
    pub id: Uuid,
    pub at: DateTime<FixedOffset>,
    pub kind: TouchpointKind,
    pub team: String,
    pub participants: Vec<Uuid>,
}

/// A demo person the roll-out may name.
pub(super) struct Member {
    pub id: Uuid,
    pub name: String,
    pub team: String,
}

/// Writes the roll-out for the team with the most people, over `entries` (the demo's logged,
/// shared entries of the last months), as of the demo's `anchor` (the end of its last day).
pub(super) fn add(
    journal: &mut Journal,
    rng: &mut ChaCha8Rng,
    anchor: DateTime<Utc>,
    people: &[Member],
    entries: &[Candidate],
) -> Result<()> {
    let Some(team) = largest_team(people) else {
        return Ok(());
    };
    let members: Vec<&Member> = people.iter().filter(|p| p.team == team).collect();
    let who = |n: usize| members[n % members.len()];
    let today = anchor.date_naive();
    let start = today - Duration::weeks(WEEKS);
    let offset = FixedOffset::east_opt(3600).expect("valid offset");
    let moment = |day: NaiveDate, hour: u32| {
        offset
            .from_local_datetime(&day.and_hms_opt(hour, 0, 0).expect("valid time"))
            .single()
            .expect("fixed offsets are unambiguous")
    };
    let mut id = |day: NaiveDate| demo_id(rng, moment(day, 8).to_utc());

    let ours: Vec<&Candidate> = entries
        .iter()
        .filter(|e| e.team == team && e.at.date_naive() >= start)
        .collect();
    let meetings: Vec<&Candidate> = ours
        .iter()
        .copied()
        .filter(|e| e.kind == TouchpointKind::TeamMeeting)
        .collect();
    // The leader links about every other team entry, and every one a step or concern needs.
    let mut linked: Vec<Uuid> = ours.iter().step_by(2).take(24).map(|e| e.id).collect();

    // The steps: each held in the periods of `held` (by index from the start), missed in the others.
    let mut plan = Vec::new();
    let steps: [(PlanStep, Cadence, Option<u32>, &Held); 5] = [
        (
            PlanStep::ContributionRecord,
            Cadence::Monthly,
            None,
            &|_| true,
        ),
        // Learning Fridays: held most weeks, missed in weeks 5, 9 and 10 and in the last one.
        (PlanStep::Exploration, Cadence::Weekly, None, &|w| {
            ![5, 9, 10, WEEKS as usize - 1].contains(&w)
        }),
        (PlanStep::Guidelines, Cadence::Monthly, None, &|m| m < 2),
        (PlanStep::Measures, Cadence::Monthly, None, &|m| m != 2),
        (PlanStep::Training, Cadence::Monthly, Some(4), &|m| m != 1),
    ];
    for (step, cadence, hours, held) in steps {
        let mut touchpoints = Vec::new();
        let mut period = period_start(cadence, start);
        let mut n = 0;
        while period <= today {
            let next = match cadence {
                Cadence::Weekly => period + Duration::weeks(1),
                Cadence::Monthly => period
                    .checked_add_months(chrono::Months::new(1))
                    .expect("a month later"),
            };
            let session = ours
                .iter()
                .find(|e| {
                    let d = e.at.date_naive();
                    d >= period.max(start) && d < next && d < today
                })
                .map(|e| e.id);
            if let Some(t) = session.filter(|_| held(n)) {
                touchpoints.push(t);
                if !linked.contains(&t) {
                    linked.push(t);
                }
            }
            period = next;
            n += 1;
        }
        plan.push(ExportedStep {
            step,
            cadence: Some(cadence),
            hours_per_month: hours,
            since: start,
            touchpoints,
        });
    }

    // An entry with the person, linked, for a concern raised in it.
    let mut with = |person: Uuid, near: NaiveDate| -> Option<Uuid> {
        let found = ours
            .iter()
            .filter(|e| e.participants.contains(&person))
            .min_by_key(|e| (e.at.date_naive() - near).num_days().abs())
            .map(|e| e.id)?;
        if !linked.contains(&found) {
            linked.push(found);
        }
        Some(found)
    };
    let day = |n: i64| start + Duration::days(n);
    let concern = |id: Uuid,
                   kind: ConcernKind,
                   person: &Member,
                   touchpoint: Option<Uuid>,
                   text: &str,
                   raised: NaiveDate,
                   answer: Option<(&str, NaiveDate)>| ExportedConcern {
        id,
        kind,
        person_id: person.id,
        touchpoint_id: touchpoint,
        text: text.into(),
        raised_at: moment(raised, 11),
        answer: answer.map(|(a, _)| a.into()),
        answered_at: answer.map(|(_, on)| moment(on, 16)),
    };
    let raised = [
        day(9),
        day(30),
        today - Duration::days(25),
        today - Duration::days(6),
    ];
    let spots: Vec<Option<Uuid>> = (0..4).map(|n| with(who(n).id, raised[n])).collect();
    let concerns =
        vec![
        concern(
            id(raised[0]),
            ConcernKind::Replacement,
            who(0),
            spots[0],
            &format!("{} worries the assistant is the first step to a smaller team.", who(0).name),
            raised[0],
            Some((
                "Said plainly, and in writing: no role changes and no headcount cut come with it.",
                day(12),
            )),
        ),
        concern(
            id(raised[1]),
            ConcernKind::Skills,
            who(1),
            spots[1],
            "Not confident writing prompts; afraid of falling behind the others.",
            raised[1],
            Some(("Paired sessions on learning Fridays, no output expected.", day(40))),
        ),
        concern(
            id(raised[2]),
            ConcernKind::Privacy,
            who(2),
            spots[2],
            "Asked whether the tool keeps our code and our chats, and who can read them.",
            raised[2],
            None,
        ),
        concern(
            id(raised[3]),
            ConcernKind::Workload,
            who(3),
            spots[3],
            "Reviewing generated code takes longer than writing it.",
            raised[3],
            None,
        ),
    ];

    let statement = |id: Uuid, side: StatementSide, words: &[(&str, NaiveDate)]| Statement {
        id,
        side,
        text: words.last().map(|w| w.0.to_string()).unwrap_or_default(),
        said_on: words.last().map(|w| w.1).unwrap_or(start),
        withdrawn_on: None,
        history: words
            .iter()
            .map(|(text, on)| StatementVersion {
                text: (*text).into(),
                said_on: *on,
                recorded_at: moment(*on, 18),
            })
            .collect(),
    };
    let statements = vec![
        statement(
            id(start),
            StatementSide::Does,
            &[
                ("Drafts unit tests and review comments.", start),
                (
                    "Drafts unit tests and review comments; a person reads, changes and owns \
                     every line that is merged.",
                    day(35),
                ),
            ],
        ),
        statement(
            id(start),
            StatementSide::Does,
            &[("Summarises long review threads on request.", day(14))],
        ),
        statement(
            id(start),
            StatementSide::DoesNot,
            &[("It is not used to measure or rate anyone's work.", start)],
        ),
        statement(
            id(start),
            StatementSide::DoesNot,
            &[(
                "It does not replace anyone's role or shrink the team.",
                start,
            )],
        ),
        statement(
            id(start),
            StatementSide::DoesNot,
            &[("It never sees customer data.", day(21))],
        ),
    ];

    let meeting_near = |near: NaiveDate| {
        meetings
            .iter()
            .min_by_key(|e| (e.at.date_naive() - near).num_days().abs())
            .map(|e| e.id)
    };
    let mut guideline = |text: &str, by: &[usize], on: NaiveDate| {
        let touchpoint = meeting_near(on);
        if let Some(t) = touchpoint {
            if !linked.contains(&t) {
                linked.push(t);
            }
        }
        let mut shaped_by: Vec<Uuid> = by.iter().map(|n| who(*n).id).collect();
        shaped_by.sort();
        shaped_by.dedup();
        ExportedGuideline {
            id: id(on),
            text: text.into(),
            shaped_by,
            touchpoint_id: touchpoint,
            agreed_on: on,
        }
    };
    let guidelines = vec![
        guideline(
            "Generated code gets the same review as any other, by someone who did not prompt it.",
            &[0, 1],
            day(16),
        ),
        guideline(
            "Scripts that touch data or migrations get a second reviewer.",
            &[2, 3],
            day(45),
        ),
        guideline(
            "Nobody is asked how much they used the tool.",
            &[1, 2],
            day(58),
        ),
    ];

    let outcome = |id: Uuid,
                   kind: OutcomeKind,
                   on: NaiveDate,
                   what: &str,
                   lesson: &str,
                   people: Vec<Uuid>| ExportedOutcome {
        id,
        kind,
        happened_on: on,
        what: what.into(),
        lesson: lesson.into(),
        people,
        touchpoints: meeting_near(on).into_iter().collect(),
    };
    let outcomes =
        vec![
        outcome(
            id(day(24)),
            OutcomeKind::Win,
            day(24),
            &format!("{} cleared the test backlog of the billing module in two days.", who(1).name),
            "Start with the chores nobody likes.",
            vec![who(1).id],
        ),
        outcome(
            id(day(41)),
            OutcomeKind::Setback,
            day(41),
            "A generated migration script dropped a column in staging.",
            "Generated scripts get a second reviewer; it is now a guideline.",
            vec![who(2).id],
        ),
        outcome(
            id(day(70)),
            OutcomeKind::Win,
            day(70),
            "Review threads are summarised before the weekly sync; the sync is 20 minutes shorter.",
            "Show the time saved, not the lines written.",
            Vec::new(),
        ),
        outcome(
            id(today - Duration::days(12)),
            OutcomeKind::Win,
            today - Duration::days(12),
            &format!("{} used it to learn the payments code in a week.", who(3).name),
            "Learning time pays off when it is protected.",
            vec![who(3).id],
        ),
    ];

    let readings = [
        (-1, 0, 0, -2, "Wary; most have not tried it."),
        (0, 0, 0, -1, "Curious after the first learning Fridays."),
        (
            0,
            1,
            0,
            0,
            "The staging incident shook confidence for a week.",
        ),
        (1, 1, 1, 1, "More at ease; they show each other tricks."),
    ];
    let measures = readings
        .iter()
        .enumerate()
        .map(|(n, (s, c, q, k, note))| {
            let on = day(20 + 28 * n as i64);
            Measure {
                id: id(on),
                taken_on: on,
                satisfaction: *s,
                collaboration: *c,
                quality: *q,
                confidence: *k,
                note: (*note).into(),
            }
        })
        .collect();

    // The outcomes and guidelines hang on linked meetings too.
    for o in &outcomes {
        for t in &o.touchpoints {
            if !linked.contains(t) {
                linked.push(*t);
            }
        }
    }
    let initiative = ExportedInitiative {
        id: id(start),
        name: "AI code assistant roll-out".into(),
        purpose: format!(
            "Let the {team} team try an AI coding assistant for tests and reviews, on their terms."
        ),
        status: InitiativeStatus::Running,
        starts_on: Some(start),
        review_on: Some(today + Duration::days(30)),
        tag: Some(DEFAULT_TAG.into()),
        teams: vec![team.clone()],
        people: Vec::new(),
        created_at: moment(start, 9),
        touchpoints: linked,
        statements,
        guidelines,
        outcomes,
        concerns,
        plan,
        measures,
    };
    // Linking adds the initiative's tag, as it does in the app.
    journal.write(|tx| {
        put_initiative_record(tx, &initiative)?;
        for t in &initiative.touchpoints {
            add_tag(tx, *t, DEFAULT_TAG)?;
        }
        Ok(())
    })
}

/// The team with the most people (the first by name among equals).
fn largest_team(people: &[Member]) -> Option<String> {
    let mut teams: Vec<(&str, usize)> = Vec::new();
    for p in people {
        match teams.iter_mut().find(|(t, _)| *t == p.team) {
            Some((_, n)) => *n += 1,
            None => teams.push((&p.team, 1)),
        }
    }
    teams.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    teams.first().map(|(t, _)| (*t).to_string())
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use crate::initiative::{InitiativeNudge, InitiativeStatus, OutcomeKind, PlanStep};
    use crate::secret::Passphrase;
    use crate::Journal;

    /// The demo as the app makes it ("Try the demo": 24 people, 1500 entries, its seed).
    fn demo() -> (tempfile::TempDir, Journal) {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut j, _code) = Journal::init(
            &dir.path().join("demo"),
            &Passphrase::new("demo test passphrase".into()),
        )
        .expect("init");
        super::super::generate(&mut j, 24, 1500, 20_240_601, super::super::today_anchor())
            .expect("demo");
        (dir, j)
    }

    #[test]
    fn the_demo_has_an_ai_rollout_with_a_history_nudges_and_a_balance() {
        let (_dir, j) = demo();
        let all = j.initiatives().expect("initiatives");
        assert_eq!(all.len(), 1);
        let i = &all[0];
        assert_eq!(i.status, InitiativeStatus::Running);
        let page = j.initiative_page(i.id, Utc::now()).expect("page");
        assert!(page.statements.len() >= 4);
        assert!(
            page.statements.iter().any(|s| s.history.len() == 2),
            "one restated"
        );
        assert!(page.guidelines.iter().all(|g| !g.shaped_by.is_empty()));
        assert_eq!(page.guidelines.len(), 3);
        assert!(page.outcomes.iter().any(|o| o.kind == OutcomeKind::Win));
        assert!(page
            .outcomes
            .iter()
            .any(|o| o.kind == OutcomeKind::Setback && !o.lesson.is_empty()));
        assert_eq!(page.concerns.iter().filter(|c| c.answered).count(), 2);
        assert_eq!(page.concerns.iter().filter(|c| !c.answered).count(), 2);
        assert_eq!(page.plan.len(), 5);
        assert!(page.plan.iter().all(|s| s.cadence.is_some()));
        let exploration = &page.plan[PlanStep::ALL
            .iter()
            .position(|s| *s == PlanStep::Exploration)
            .expect("exploration")];
        assert!(
            exploration.held > 5 && exploration.missed > 0,
            "{exploration:?}"
        );
        assert_eq!(page.measures.len(), 4);
        assert!(page.entries.len() >= 10, "{} linked", page.entries.len());
        assert!(!page.balance.total.events.is_empty());
        assert!(!page.balance.people.is_empty());
        for e in &page.entries {
            let t = j.touchpoint(e.id).expect("entry");
            assert!(
                t.tags.iter().any(|g| g == "ai-rollout"),
                "linking tags {}",
                t.id
            );
        }

        let nudges = j.initiative_nudges(Utc::now()).expect("nudges");
        assert!(
            nudges
                .iter()
                .any(|n| matches!(n, InitiativeNudge::ConcernWaiting { days, .. } if *days > 14)),
            "{nudges:?}"
        );
    }

    #[test]
    fn the_same_seed_and_anchor_give_the_same_rollout() {
        let (_a, one) = demo();
        let (_b, two) = demo();
        let id = one.initiatives().expect("list")[0].id;
        assert_eq!(
            one.initiative_record(id).expect("read"),
            two.initiative_record(id).expect("read")
        );
    }
}
