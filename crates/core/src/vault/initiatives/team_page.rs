//! The page the leader shares with the team (the "shared dashboard" of the first practice):
//! what the tool does and does not do, the guidelines and who shaped them, wins and setbacks
//! with their lessons, and the exploration and training time planned.
//!
//! It never holds what is personal: no private entry (nor a guideline agreed in one, nor a win
//! or setback linked only to private entries), no rating, balance, measure, reflection or
//! concern, and no one's name except as the shaper of a guideline.

use chrono::{DateTime, Local, NaiveDate, Utc};

use super::super::Journal;
use crate::exchange::text::html;
use crate::initiative::{
    period_start, Cadence, Guideline, InitiativeError, Outcome, OutcomeKind, PlanStep,
    StatementSide, TeamPageFormat,
};
use crate::Result;

/// What the page shows, gathered once for either format.
struct Page {
    name: String,
    purpose: String,
    does: Vec<(String, NaiveDate)>,
    does_not: Vec<(String, NaiveDate)>,
    guidelines: Vec<Guideline>,
    outcomes: Vec<Outcome>,
    /// (label, cadence, hours, next period's first day)
    upcoming: Vec<(&'static str, Cadence, Option<u32>, NaiveDate)>,
    made_on: NaiveDate,
}

fn cadence_text(c: Cadence, hours: Option<u32>) -> String {
    let every = match c {
        Cadence::Weekly => "every week",
        Cadence::Monthly => "every month",
    };
    match hours {
        Some(h) => format!("{h} hours {every}"),
        None => every.to_string(),
    }
}

fn next_text(c: Cadence, from: NaiveDate) -> String {
    match c {
        Cadence::Weekly => format!("next: the week of {}", from.format("%-d %B %Y")),
        Cadence::Monthly => format!("next: {}", from.format("%B %Y")),
    }
}

impl Journal {
    /// The initiative's page for the team, as of `now`, in `format`. Refused when every entry
    /// linked to it is private.
    pub fn initiative_team_page(
        &self,
        initiative: uuid::Uuid,
        format: TeamPageFormat,
        now: DateTime<Utc>,
    ) -> Result<String> {
        let page = self.team_page(initiative, now)?;
        Ok(match format {
            TeamPageFormat::Html => render_html(&page),
            TeamPageFormat::Markdown => render_markdown(&page),
        })
    }

    fn team_page(&self, initiative: uuid::Uuid, now: DateTime<Utc>) -> Result<Page> {
        let i = self.initiative(initiative)?;
        let entries = self.initiative_entries(initiative)?;
        if !entries.is_empty() && entries.iter().all(|e| e.private) {
            return Err(InitiativeError::OnlyPrivate.into());
        }
        let private: std::collections::HashSet<uuid::Uuid> =
            entries.iter().filter(|e| e.private).map(|e| e.id).collect();
        let is_private = |id: &uuid::Uuid| -> Result<bool> {
            if private.contains(id) {
                return Ok(true);
            }
            // An entry not linked to the initiative (a win may name any entry).
            Ok(self.touchpoint(*id).map(|t| t.private).unwrap_or(true))
        };
        let today = now.with_timezone(&Local).date_naive();
        let page = self.initiative_page(initiative, now)?;
        let current = |side| {
            page.statements
                .iter()
                .filter(|s| s.side == side && s.withdrawn_on.is_none())
                .map(|s| (s.text.clone(), s.said_on))
                .collect()
        };
        let mut guidelines = Vec::new();
        for g in page.guidelines.iter() {
            if g.touchpoint_id.map(|t| is_private(&t)).transpose()? != Some(true) {
                guidelines.push(g.clone());
            }
        }
        let mut outcomes = Vec::new();
        for o in page.outcomes.iter() {
            let mut all_private = !o.touchpoints.is_empty();
            for t in &o.touchpoints {
                all_private &= is_private(t)?;
            }
            if !all_private {
                outcomes.push(o.clone());
            }
        }
        let mut upcoming = Vec::new();
        for (step, label) in [
            (PlanStep::Exploration, "Time to explore the tool"),
            (PlanStep::Training, "Training"),
        ] {
            let state = page.plan.iter().find(|s| s.step == step);
            if let Some((c, s)) = state.and_then(|s| s.cadence.map(|c| (c, s))) {
                let this = period_start(c, today);
                let held_now = s
                    .periods
                    .last()
                    .is_some_and(|p| p.starts_on == this && p.entries > 0);
                let next = if held_now {
                    match c {
                        Cadence::Weekly => this + chrono::Days::new(7),
                        Cadence::Monthly => this + chrono::Months::new(1),
                    }
                } else {
                    this.max(s.since.map_or(this, |d| period_start(c, d)))
                };
                upcoming.push((label, c, s.hours_per_month, next));
            }
        }
        Ok(Page {
            name: i.name,
            purpose: i.purpose,
            does: current(StatementSide::Does),
            does_not: current(StatementSide::DoesNot),
            guidelines,
            outcomes,
            upcoming,
            made_on: today,
        })
    }
}

fn names(g: &Guideline) -> String {
    g.shaped_by
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn render_markdown(p: &Page) -> String {
    let mut out = format!("# {}\n\n", one_line(&p.name));
    if !p.purpose.is_empty() {
        out.push_str(&format!("{}\n\n", one_line(&p.purpose)));
    }
    for (title, list) in [
        ("What the tool does", &p.does),
        ("What the tool does not do", &p.does_not),
    ] {
        out.push_str(&format!("## {title}\n\n"));
        if list.is_empty() {
            out.push_str("Nothing written yet.\n\n");
            continue;
        }
        for (text, on) in list {
            out.push_str(&format!("- {} *(said {on})*\n", one_line(text)));
        }
        out.push('\n');
    }
    out.push_str("## Our guidelines\n\n");
    if p.guidelines.is_empty() {
        out.push_str("None agreed yet.\n\n");
    }
    for g in &p.guidelines {
        let by = names(g);
        let by = if by.is_empty() {
            String::new()
        } else {
            format!(" — shaped by {}", one_line(&by))
        };
        out.push_str(&format!(
            "- {}{by} *(agreed {})*\n",
            one_line(&g.text),
            g.agreed_on
        ));
    }
    out.push_str("\n## Wins and setbacks\n\n");
    if p.outcomes.is_empty() {
        out.push_str("None recorded yet.\n\n");
    }
    for o in &p.outcomes {
        let kind = match o.kind {
            OutcomeKind::Win => "Win",
            OutcomeKind::Setback => "Setback",
        };
        out.push_str(&format!(
            "- **{kind}**, {}: {}",
            o.happened_on,
            one_line(&o.what)
        ));
        if !o.lesson.is_empty() {
            out.push_str(&format!(" — *lesson:* {}", one_line(&o.lesson)));
        }
        out.push('\n');
    }
    out.push_str("\n## Time to explore and learn\n\n");
    if p.upcoming.is_empty() {
        out.push_str("Not planned yet.\n");
    }
    for (label, c, hours, next) in &p.upcoming {
        out.push_str(&format!(
            "- {label}: {} ({})\n",
            cadence_text(*c, *hours),
            next_text(*c, *next)
        ));
    }
    out.push_str(&format!(
        "\n*Shared by the team's leader on {}.*\n",
        p.made_on
    ));
    out
}

/// Text on one line, with Markdown's active characters escaped.
fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
    {
        if "\\`*_{}[]<>#|!".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;\
padding:0 1rem;color:#1d232a;background:#fff}h1{font-size:1.8rem}h2{font-size:1.2rem;\
margin-top:2rem;border-bottom:1px solid #ccd3da}small{color:#5b6671}.kind{font-weight:600}\
@media (prefers-color-scheme:dark){body{color:#e4e9ee;background:#161b20}small{color:#9aa6b2}\
h2{border-color:#36414c}}@media print{body{margin:0;max-width:none;color:#000;background:#fff}}";

fn render_html(p: &Page) -> String {
    let mut out = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"color-scheme\" content=\"light dark\">\
         <title>{}</title><style>{STYLE}</style></head><body>\n<h1>{}</h1>\n",
        html(&p.name),
        html(&p.name)
    );
    if !p.purpose.is_empty() {
        out.push_str(&format!("<p>{}</p>\n", html(&p.purpose)));
    }
    for (title, list) in [
        ("What the tool does", &p.does),
        ("What the tool does not do", &p.does_not),
    ] {
        out.push_str(&format!("<h2>{title}</h2>\n"));
        if list.is_empty() {
            out.push_str("<p>Nothing written yet.</p>\n");
            continue;
        }
        out.push_str("<ul>\n");
        for (text, on) in list {
            out.push_str(&format!(
                "<li>{} <small>said {on}</small></li>\n",
                html(text)
            ));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<h2>Our guidelines</h2>\n");
    if p.guidelines.is_empty() {
        out.push_str("<p>None agreed yet.</p>\n");
    } else {
        out.push_str("<ul>\n");
        for g in &p.guidelines {
            let by = names(g);
            let by = if by.is_empty() {
                String::new()
            } else {
                format!(" — shaped by {}", html(&by))
            };
            out.push_str(&format!(
                "<li>{}{by} <small>agreed {}</small></li>\n",
                html(&g.text),
                g.agreed_on
            ));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<h2>Wins and setbacks</h2>\n");
    if p.outcomes.is_empty() {
        out.push_str("<p>None recorded yet.</p>\n");
    } else {
        out.push_str("<ul>\n");
        for o in &p.outcomes {
            let kind = match o.kind {
                OutcomeKind::Win => "Win",
                OutcomeKind::Setback => "Setback",
            };
            let lesson = if o.lesson.is_empty() {
                String::new()
            } else {
                format!("<br><em>Lesson:</em> {}", html(&o.lesson))
            };
            out.push_str(&format!(
                "<li><span class=\"kind\">{kind}</span> <small>{}</small>: {}{lesson}</li>\n",
                o.happened_on,
                html(&o.what)
            ));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<h2>Time to explore and learn</h2>\n");
    if p.upcoming.is_empty() {
        out.push_str("<p>Not planned yet.</p>\n");
    } else {
        out.push_str("<ul>\n");
        for (label, c, hours, next) in &p.upcoming {
            out.push_str(&format!(
                "<li>{label}: {} <small>{}</small></li>\n",
                cadence_text(*c, *hours),
                next_text(*c, *next)
            ));
        }
        out.push_str("</ul>\n");
    }
    out.push_str(&format!(
        "<p><small>Shared by the team's leader on {}.</small></p>\n</body></html>\n",
        p.made_on
    ));
    out
}

#[cfg(test)]
mod tests;
