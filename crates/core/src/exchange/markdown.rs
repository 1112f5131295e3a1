//! Markdown exports: one document, or one file per entry with YAML front matter.

use std::collections::HashMap;
use std::fmt::Write;

use uuid::Uuid;

use super::text::{
    group_label, kind_label, name_of, names, one_line, points, rating, status_label, when, yaml,
};
use super::ExportDocument;
use crate::model::{Reflection, Touchpoint};

/// The whole export as one Markdown document.
pub(crate) fn single(doc: &ExportDocument) -> String {
    let names = names(doc);
    let reflections = by_touchpoint(doc);
    let mut out = header(doc);
    if !doc.people.is_empty() {
        out.push_str("\n## People\n\n");
        let now = doc.exported_at.to_utc();
        let mut balances = doc.balances(now);
        for p in &doc.people {
            let balance = balances
                .remove(&p.id)
                .unwrap_or_else(|| doc.balance(p.id, now));
            let mut about = vec![group_label(p.group).to_string()];
            if !p.role.trim().is_empty() {
                about.push(one_line(&p.role));
            }
            if !p.teams.is_empty() {
                about.push(format!("teams: {}", p.teams.join(", ")));
            }
            let _ = writeln!(
                out,
                "- **{}**: {}; balance {} (willingness {}, ability {})",
                one_line(&p.name),
                about.join(", "),
                points(balance.balance),
                points(balance.willingness),
                points(balance.ability)
            );
        }
    }
    out.push_str("\n## Entries\n");
    if doc.touchpoints.is_empty() {
        out.push_str("\nNo entries were selected.\n");
    }
    for t in &doc.touchpoints {
        let _ = write!(
            out,
            "\n### {} · {}\n\n",
            t.occurred_at.format("%Y-%m-%d"),
            one_line(&t.title)
        );
        entry_body(&mut out, doc, t, &names, &reflections);
    }
    rest(&mut out, doc, &names);
    initiatives(&mut out, doc, &names);
    out
}

/// The change initiatives of the export, after everything else.
fn initiatives(out: &mut String, doc: &ExportDocument, names: &HashMap<Uuid, String>) {
    if doc.initiatives.is_empty() {
        return;
    }
    out.push_str("\n## Change initiatives\n");
    for section in super::initiatives::report(&doc.initiatives, names) {
        let _ = write!(
            out,
            "\n### {}\n\n{}\n",
            one_line(&section.title),
            one_line(&section.about)
        );
        for (title, items) in &section.lists {
            let _ = writeln!(out, "\n**{title}**\n");
            for item in items {
                let _ = writeln!(out, "- {}", one_line(item));
            }
        }
    }
}

/// One file per entry (with YAML front matter) plus `index.md`, as (file name, content).
pub(crate) fn per_entry(doc: &ExportDocument) -> Vec<(String, String)> {
    let names = names(doc);
    let reflections = by_touchpoint(doc);
    let mut files = Vec::with_capacity(doc.touchpoints.len() + 1);
    let mut index = header(doc);
    index.push_str("\n## Entries\n\n");
    for t in &doc.touchpoints {
        // Named by date, kind and id only: titles may carry names.
        let file = format!(
            "{}-{}-{}.md",
            t.occurred_at.format("%Y-%m-%d"),
            t.kind.as_str().replace('_', "-"),
            &t.id.simple().to_string()[..12]
        );
        let _ = writeln!(
            index,
            "- [{} · {}]({file})",
            t.occurred_at.format("%Y-%m-%d"),
            one_line(&t.title).replace(['[', ']'], "")
        );
        let mut text = front_matter(
            t,
            &names,
            reflections
                .get(&t.id)
                .map(Vec::as_slice)
                .unwrap_or_default(),
        );
        let _ = write!(text, "\n# {}\n\n", one_line(&t.title));
        entry_body(&mut text, doc, t, &names, &reflections);
        files.push((file, text));
    }
    rest(&mut index, doc, &names);
    files.push(("index.md".to_string(), index));
    files
}

fn by_touchpoint(doc: &ExportDocument) -> HashMap<Uuid, Vec<&Reflection>> {
    let mut map: HashMap<Uuid, Vec<&Reflection>> = HashMap::new();
    for r in &doc.reflections {
        map.entry(r.touchpoint_id).or_default().push(r);
    }
    map
}

fn header(doc: &ExportDocument) -> String {
    let mut out = String::from("# Touchpoint export\n\n");
    let _ = writeln!(
        out,
        "Exported {} by {}: {} entries, {} people{}.",
        when(&doc.exported_at),
        doc.generator,
        doc.touchpoints.len(),
        doc.people.len(),
        if doc.options.pseudonymise {
            ", people pseudonymised"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "\nBalances are computed from the entries in this export only, so they show the balance \
         of what was shared. They are the leader's own reading; they do not judge anyone."
    );
    out
}

/// YAML front matter: every string double-quoted and escaped (see `text::yaml`).
fn front_matter(
    t: &Touchpoint,
    names: &HashMap<Uuid, String>,
    reflections: &[&Reflection],
) -> String {
    let mut out = String::from("---\n");
    let _ = writeln!(out, "id: {}", yaml(&t.id.to_string()));
    let _ = writeln!(out, "kind: {}", yaml(t.kind.as_str()));
    let _ = writeln!(out, "occurred_at: {}", yaml(&t.occurred_at.to_rfc3339()));
    let _ = writeln!(out, "title: {}", yaml(&t.title));
    if let Some(d) = t.duration_minutes {
        let _ = writeln!(out, "duration_minutes: {d}");
    }
    if let Some(team) = &t.team {
        let _ = writeln!(out, "team: {}", yaml(team));
    }
    list(
        &mut out,
        "people",
        t.participants.iter().map(|p| name_of(names, *p)),
    );
    list(&mut out, "tags", t.tags.iter().cloned());
    if reflections.is_empty() {
        out.push_str("ratings: []\n");
    } else {
        out.push_str("ratings:\n");
        for r in reflections {
            let _ = writeln!(out, "  - person: {}", yaml(&name_of(names, r.person_id)));
            let _ = writeln!(out, "    willingness: {}", r.willingness);
            let _ = writeln!(out, "    ability: {}", r.ability);
            let _ = writeln!(out, "    adversarial: {}", r.adversarial);
        }
    }
    if !t.affected_groups.is_empty() {
        out.push_str("affected_groups:\n");
        for g in &t.affected_groups {
            let _ = writeln!(out, "  - group: {}", yaml(g.group.as_str()));
            let _ = writeln!(out, "    impact: {}", g.impact);
        }
    }
    out.push_str("---\n");
    out
}

fn list(out: &mut String, key: &str, items: impl Iterator<Item = String>) {
    let items: Vec<String> = items.collect();
    if items.is_empty() {
        let _ = writeln!(out, "{key}: []");
    } else {
        let _ = writeln!(out, "{key}:");
        for item in items {
            let _ = writeln!(out, "  - {}", yaml(&item));
        }
    }
}

fn entry_body(
    out: &mut String,
    doc: &ExportDocument,
    t: &Touchpoint,
    names: &HashMap<Uuid, String>,
    reflections: &HashMap<Uuid, Vec<&Reflection>>,
) {
    let _ = writeln!(out, "- When: {}", when(&t.occurred_at));
    let _ = writeln!(out, "- Kind: {}", kind_label(t.kind));
    if !t.participants.is_empty() {
        let people: Vec<String> = t.participants.iter().map(|p| name_of(names, *p)).collect();
        let _ = writeln!(out, "- People: {}", people.join(", "));
    }
    if let Some(team) = &t.team {
        let _ = writeln!(out, "- Team: {}", one_line(team));
    }
    if !t.tags.is_empty() {
        let _ = writeln!(out, "- Tags: {}", t.tags.join(", "));
    }
    for g in &t.affected_groups {
        let _ = writeln!(
            out,
            "- Impact on {}: {}",
            group_label(g.group),
            rating(g.impact)
        );
    }
    if !t.notes.trim().is_empty() {
        let _ = write!(out, "\n{}\n", t.notes.trim());
    }
    for r in reflections.get(&t.id).into_iter().flatten() {
        let _ = write!(
            out,
            "\n#### {}'s side\n\nWillingness {}, ability {}{}.\n",
            name_of(names, r.person_id),
            rating(r.willingness),
            rating(r.ability),
            if r.adversarial {
                ", felt adversarial"
            } else {
                ""
            }
        );
        if !r.their_side.trim().is_empty() {
            out.push('\n');
            for line in r.their_side.trim().lines() {
                let _ = writeln!(out, "> {line}");
            }
        }
        for a in r.answers.iter().filter(|a| !a.answer.trim().is_empty()) {
            let _ = write!(
                out,
                "\n**{}**\n\n{}\n",
                one_line(&a.prompt),
                a.answer.trim()
            );
        }
        if !r.would_have_helped.trim().is_empty() {
            let _ = write!(
                out,
                "\n**What would have left them feeling protected:** {}\n",
                r.would_have_helped.trim()
            );
        }
        if !r.next_time.trim().is_empty() {
            let _ = write!(out, "\n**Next time:** {}\n", r.next_time.trim());
        }
        comments(out, doc, r.id);
    }
    comments(out, doc, t.id);
}

fn comments(out: &mut String, doc: &ExportDocument, target: Uuid) {
    if doc.annotations.is_empty() {
        return;
    }
    for a in doc.annotations.iter().filter(|a| a.target_id == target) {
        let _ = write!(
            out,
            "\n> **Comment from {}** ({}): {}\n",
            one_line(&a.author),
            when(&a.created_at),
            one_line(&a.text)
        );
    }
}

fn rest(out: &mut String, doc: &ExportDocument, names: &HashMap<Uuid, String>) {
    if !doc.commitments.is_empty() {
        out.push_str("\n## Commitments\n\n");
        for c in &doc.commitments {
            let mark = if c.status == crate::model::CommitmentStatus::Open {
                " "
            } else {
                "x"
            };
            let due = c.due.map(|d| format!(", due {d}")).unwrap_or_default();
            let _ = writeln!(
                out,
                "- [{mark}] {} (to {}, {}{due})",
                one_line(&c.what),
                name_of(names, c.person_id),
                status_label(c.status)
            );
        }
    }
    if !doc.topics.is_empty() {
        out.push_str("\n## Topics\n\n");
        for t in &doc.topics {
            let _ = writeln!(
                out,
                "- {} (raised by {}, {})",
                one_line(&t.text),
                name_of(names, t.person_id),
                if t.closed_at.is_some() {
                    "closed"
                } else {
                    "open"
                }
            );
        }
    }
}
