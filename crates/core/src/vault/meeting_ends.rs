//! When meetings not yet reflected on end: the schedule reminders are made from. It holds ids and
//! times only, so the app can keep it while the journal is locked without keeping any words.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::{get_id, Journal};
use crate::Result;

/// A meeting without a duration is taken to last this long.
pub const DEFAULT_MEETING_MINUTES: i64 = 30;

/// The longest meeting the schedule looks back for: a draft that started earlier than this
/// before the window cannot end inside it.
const LONGEST_MEETING_MINUTES: i64 = 24 * 60;

/// A draft meeting and when it ends; nothing else about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeetingEnd {
    /// The draft touchpoint.
    pub id: Uuid,
    /// Its start plus its duration (or [`DEFAULT_MEETING_MINUTES`]).
    pub ends_at: DateTime<Utc>,
}

impl Journal {
    /// Drafts (not in the trash) that end within `from..=to`, soonest first, however many
    /// drafts lie before or after the window.
    pub fn meetings_ending(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<MeetingEnd>> {
        let earliest_start = (from - Duration::minutes(LONGEST_MEETING_MINUTES)).timestamp_millis();
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, occurred_ms + 60000 * COALESCE(duration_minutes, ?3) AS ends
             FROM touchpoints
             WHERE deleted_at IS NULL AND state = 'draft'
               AND occurred_ms BETWEEN ?1 AND ?2
               AND occurred_ms + 60000 * COALESCE(duration_minutes, ?3) BETWEEN ?4 AND ?2
             ORDER BY ends",
        )?;
        let rows = stmt.query_map(
            rusqlite::params![
                earliest_start,
                to.timestamp_millis(),
                DEFAULT_MEETING_MINUTES,
                from.timestamp_millis()
            ],
            |r| Ok((get_id(r, 0)?, r.get::<_, i64>(1)?)),
        )?;
        let mut out = Vec::new();
        for row in rows {
            let (id, ends) = row?;
            if let Some(ends_at) = DateTime::from_timestamp_millis(ends) {
                out.push(MeetingEnd { id, ends_at });
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NewPerson, NewTouchpoint, TouchpointKind, TouchpointState};
    use crate::secret::Passphrase;

    fn draft(j: &mut Journal, who: Uuid, start: DateTime<Utc>, minutes: Option<u32>) -> Uuid {
        j.add_touchpoint(NewTouchpoint {
            kind: TouchpointKind::OneOnOne,
            occurred_at: Some(start.fixed_offset()),
            duration_minutes: minutes,
            title: "From the calendar".into(),
            participants: vec![who],
            team: None,
            affected_groups: Vec::new(),
            notes: String::new(),
            tags: Vec::new(),
            private: false,
            source: "calendar:uid".into(),
            state: Some(TouchpointState::Draft),
        })
        .expect("draft")
        .id
    }

    /// The meeting that just ended is found though 500 drafts lie ahead of it (the old reminder
    /// read only the 50 newest drafts, the furthest in the future).
    #[test]
    fn a_meeting_ending_now_is_found_behind_500_future_drafts() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut j, _code) = Journal::init(
            &dir.path().join("j"),
            &Passphrase::new("reminders that arrive".into()),
        )
        .expect("init");
        let ana = j
            .add_person(NewPerson {
                name: "Ana".into(),
                ..NewPerson::default()
            })
            .expect("person")
            .id;
        let now = Utc::now();
        let ended = draft(&mut j, ana, now - Duration::minutes(50), Some(45));
        let untimed = draft(&mut j, ana, now - Duration::minutes(32), None);
        let trashed = draft(&mut j, ana, now - Duration::minutes(40), Some(35));
        j.trash_touchpoint(trashed, now).expect("trash");
        draft(&mut j, ana, now - Duration::hours(5), Some(60));
        for i in 1..=500 {
            draft(&mut j, ana, now + Duration::hours(i), Some(30));
        }
        let recent = j
            .meetings_ending(now - Duration::minutes(15), now)
            .expect("schedule");
        let ids: Vec<Uuid> = recent.iter().map(|m| m.id).collect();
        assert_eq!(
            ids,
            vec![ended, untimed],
            "ended five and two minutes ago, soonest first"
        );
        assert_eq!(
            recent[0].ends_at.timestamp_millis() / 1000,
            (now - Duration::minutes(5)).timestamp_millis() / 1000
        );
        let ahead = j
            .meetings_ending(now, now + Duration::hours(24))
            .expect("schedule");
        // Starting every hour from now + 1 h, each half an hour long: 23 end within a day.
        assert_eq!(ahead.len(), 23, "the next day's meetings");
    }
}
