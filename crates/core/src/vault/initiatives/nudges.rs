//! What Today says about running initiatives: concerns waiting too long, nothing learnt for a
//! month, exploration or training time missed, and relationships slipping within them.

use chrono::{DateTime, Local, Utc};

use super::super::Journal;
use crate::initiative::{
    InitiativeNudge, InitiativeRef, InitiativeStatus, PeriodMark, PlanStep, CONCERN_NUDGE_DAYS,
    QUIET_NUDGE_DAYS,
};
use crate::Result;

impl Journal {
    /// The nudges of every running initiative as of `now`, initiative by initiative: concerns
    /// open longer than 14 days (oldest first), no win or lesson for 30 days (counted from the
    /// start when there is none yet), the last finished exploration or training period missed,
    /// and each person the initiative's balance is slipping with. Planned, paused and finished
    /// initiatives say nothing.
    pub fn initiative_nudges(&self, now: DateTime<Utc>) -> Result<Vec<InitiativeNudge>> {
        let today = now.with_timezone(&Local).date_naive();
        let mut out = Vec::new();
        for i in self.initiatives()? {
            if i.status != InitiativeStatus::Running {
                continue;
            }
            let at = InitiativeRef {
                id: i.id,
                name: i.name.clone(),
            };
            for concern in self.concerns(i.id, true)? {
                let days = (now - concern.raised_at.with_timezone(&Utc)).num_days();
                if days > CONCERN_NUDGE_DAYS {
                    out.push(InitiativeNudge::ConcernWaiting {
                        initiative: at.clone(),
                        concern,
                        days: days as u32,
                    });
                }
            }
            let last = self.outcomes(i.id)?.last().map(|o| o.happened_on);
            let from = last
                .or(i.starts_on)
                .unwrap_or_else(|| i.created_at.date_naive());
            let days = (today - from).num_days();
            if days > QUIET_NUDGE_DAYS {
                out.push(InitiativeNudge::NothingLearnt {
                    initiative: at.clone(),
                    last,
                    days: days as u32,
                });
            }
            for step in [PlanStep::Exploration, PlanStep::Training] {
                let state = self.plan_state(i.id, step, today)?;
                let finished = state
                    .periods
                    .iter()
                    .rev()
                    .find(|p| p.mark != PeriodMark::Pending);
                if let Some(period) = finished.filter(|p| p.mark == PeriodMark::Missed) {
                    out.push(InitiativeNudge::SlotMissed {
                        initiative: at.clone(),
                        step,
                        period: period.clone(),
                    });
                }
            }
            for share in self.initiative_balances(i.id, now)?.people {
                if let (true, Some(person)) = (share.summary.slipping, share.person) {
                    out.push(InitiativeNudge::Slipping {
                        initiative: at.clone(),
                        person,
                        reasons: share.summary.slip_reasons,
                    });
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, Local, Utc};

    use super::super::super::Journal;
    use crate::initiative::{
        Cadence, ConcernKind, InitiativeNudge, InitiativeStatus, NewInitiative, NewOutcome,
        OutcomeKind, PlanStep, CONCERN_NUDGE_DAYS, QUIET_NUDGE_DAYS,
    };
    use crate::model::{NewPerson, NewReflection, NewTouchpoint, TouchpointKind};
    use crate::secret::Passphrase;

    fn kinds(n: &[InitiativeNudge]) -> Vec<&'static str> {
        n.iter()
            .map(|n| match n {
                InitiativeNudge::ConcernWaiting { .. } => "concern",
                InitiativeNudge::NothingLearnt { .. } => "quiet",
                InitiativeNudge::SlotMissed { .. } => "missed",
                InitiativeNudge::Slipping { .. } => "slipping",
            })
            .collect()
    }

    /// A fresh journal with Ana and a running initiative: the journal's folder (kept alive),
    /// the journal, Ana's id and the initiative's id.
    fn running_initiative_with_ana() -> (tempfile::TempDir, Journal, uuid::Uuid, uuid::Uuid) {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut j, _) = Journal::init(
            &dir.path().join("j"),
            &Passphrase::new("nudges test passphrase".into()),
        )
        .expect("init");
        let ana = j
            .add_person(NewPerson {
                name: "Ana".into(),
                ..NewPerson::default()
            })
            .expect("person")
            .id;
        let id = j
            .add_initiative(NewInitiative {
                name: "Roll-out".into(),
                status: Some(InitiativeStatus::Running),
                ..NewInitiative::default()
            })
            .expect("initiative")
            .id;
        (dir, j, ana, id)
    }

    /// The app's promises: "an open concern older than 14 days", "no win or lesson recorded in
    /// 30 days", "an exploration or training slot missed", "slipping with someone".
    #[test]
    fn today_nudges_after_14_days_of_an_open_concern_and_30_quiet_days_not_before() {
        assert_eq!((CONCERN_NUDGE_DAYS, QUIET_NUDGE_DAYS), (14, 30));
        let (_dir, mut j, ana, id) = running_initiative_with_ana();
        let c = j
            .add_concern(
                id,
                ConcernKind::Fairness,
                ana,
                "Who gets seats first?",
                None,
            )
            .expect("concern");
        let now = Utc::now();
        assert!(j.initiative_nudges(now).expect("nudges").is_empty());
        let day13 = now + Duration::days(CONCERN_NUDGE_DAYS - 1);
        assert!(j.initiative_nudges(day13).expect("nudges").is_empty());
        let day15 = now + Duration::days(CONCERN_NUDGE_DAYS + 1);
        assert_eq!(
            kinds(&j.initiative_nudges(day15).expect("nudges")),
            ["concern"]
        );
        let day31 = now + Duration::days(QUIET_NUDGE_DAYS + 1);
        assert_eq!(
            kinds(&j.initiative_nudges(day31).expect("nudges")),
            ["concern", "quiet"]
        );
        j.answer_concern(c.id, "First come, first served, by team", now)
            .expect("answer");
        j.add_outcome(
            id,
            OutcomeKind::Win,
            NewOutcome {
                what: "Release notes drafted in minutes".into(),
                happened_on: Some((Local::now() + Duration::days(QUIET_NUDGE_DAYS)).date_naive()),
                ..NewOutcome::default()
            },
        )
        .expect("win");
        assert!(
            j.initiative_nudges(day31).expect("nudges").is_empty(),
            "answered, and a win recorded"
        );
        j.set_initiative_status(id, InitiativeStatus::Paused)
            .expect("pause");
        assert!(j
            .initiative_nudges(now + Duration::days(400))
            .expect("nudges")
            .is_empty());
    }

    #[test]
    fn a_missed_exploration_week_and_a_slipping_person_are_nudged() {
        let (_dir, mut j, ana, id) = running_initiative_with_ana();
        let since = (Local::now() - Duration::days(20)).date_naive();
        j.plan_step(
            id,
            PlanStep::Exploration,
            Some(Cadence::Weekly),
            None,
            Some(since),
        )
        .expect("plan");
        let t = j
            .add_touchpoint(NewTouchpoint {
                kind: TouchpointKind::OneOnOne,
                occurred_at: None,
                duration_minutes: None,
                title: "Hard talk about the tool".into(),
                participants: vec![ana],
                team: None,
                affected_groups: Vec::new(),
                notes: String::new(),
                tags: Vec::new(),
                private: false,
                source: String::new(),
                state: None,
            })
            .expect("entry");
        j.reflect(NewReflection {
            touchpoint_id: t.id,
            person_id: ana,
            answers: Vec::new(),
            their_side: String::new(),
            willingness: -1,
            ability: 0,
            adversarial: true,
            would_have_helped: String::new(),
            next_time: String::new(),
        })
        .expect("reflect");
        j.link_initiative(id, t.id).expect("link");
        let nudges = j.initiative_nudges(Utc::now()).expect("nudges");
        assert_eq!(kinds(&nudges), ["missed", "slipping"]);
        match &nudges[0] {
            InitiativeNudge::SlotMissed { step, .. } => assert_eq!(*step, PlanStep::Exploration),
            other => panic!("{other:?}"),
        }
    }
}
