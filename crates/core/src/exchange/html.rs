//! The HTML report: one self-contained page (inline CSS and SVG, no scripts, no external
//! resources) that reads well on screen and prints well to PDF from any browser.

use std::collections::HashMap;
use std::fmt::Write;

use uuid::Uuid;

use super::text::{
    group_label, html as esc, kind_label, name_of, names, one_line, points, rating, status_label,
    when,
};
use super::ExportDocument;
use crate::balance::{BalanceReport, EventSource, SlipReason};
use crate::model::{Annotation, Commitment, OpenTopic, Person, Reflection, Touchpoint};

const CSS: &str = r#"
:root { --ink: #1d232b; --muted: #5b6673; --line: #d8dde3; --soft: #f4f6f8;
  --up: #17703a; --down: #a8261d; --accent: #2f5d8a; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 58rem; padding: 2rem 1.5rem 4rem; color: var(--ink);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.9rem; margin: 0 0 .25rem; }
h2 { font-size: 1.4rem; margin: 2.5rem 0 1rem; padding-bottom: .3rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.15rem; margin: 0 0 .25rem; }
h4 { font-size: 1rem; margin: 1rem 0 .25rem; }
a { color: var(--accent); }
.meta { color: var(--muted); font-size: .92rem; margin: 0 0 .75rem; }
.note { background: var(--soft); border-left: 4px solid var(--accent); padding: .6rem .9rem; font-size: .92rem; }
nav ul { columns: 2; padding-left: 1.2rem; }
.person, .entry { border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin: 0 0 1.25rem; }
.figures { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; margin: .5rem 0 1rem; }
.figures div { min-width: 6.5rem; }
.figures dt { color: var(--muted); font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; }
.figures dd { margin: 0; font-size: 1.2rem; font-weight: 600; font-variant-numeric: tabular-nums; }
.up { color: var(--up); } .down { color: var(--down); }
.slipping { color: var(--down); font-weight: 600; }
svg.chart { width: 100%; height: auto; max-height: 14rem; display: block; margin: .5rem 0 1rem; }
svg.chart text { font: 11px system-ui, sans-serif; fill: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: .88rem; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.reflection { border-top: 1px dashed var(--line); margin-top: .75rem; padding-top: .25rem; }
blockquote { margin: .5rem 0; padding: .25rem .9rem; border-left: 3px solid var(--line); color: #33404d; }
dl.answers dt { font-weight: 600; margin-top: .4rem; } dl.answers dd { margin: 0 0 .2rem 0; }
.comment { background: #fff8e6; border: 1px solid #f0dca8; border-radius: 6px; padding: .4rem .7rem; margin: .5rem 0; font-size: .92rem; }
.tag { display: inline-block; background: var(--soft); border: 1px solid var(--line); border-radius: 1rem; padding: 0 .5rem; font-size: .8rem; }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  .person, .entry { break-inside: avoid; border-color: #bbb; }
  h2 { break-after: avoid; }
  .comment { background: none; }
}
"#;

/// The whole report.
pub(crate) fn render(doc: &ExportDocument) -> String {
    let names = names(doc);
    let now = doc.exported_at.to_utc();
    let mut out = String::with_capacity(64 * 1024);
    let exported = doc.exported_at.format("%Y-%m-%d %H:%M %:z").to_string();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"{}\">\n<title>Touchpoint report, exported {}</title>\n\
         <style>{CSS}</style>\n</head>\n<body>\n<header>\n<h1>Touchpoint report</h1>\n",
        esc(&doc.generator),
        esc(&exported[..10.min(exported.len())]),
    );
    let mut facts = vec![
        format!("Exported {exported}"),
        format!("{} entries", doc.touchpoints.len()),
        format!("{} people", doc.people.len()),
    ];
    if let Some(since) = doc.options.since {
        facts.push(format!("from {}", since.format("%Y-%m-%d")));
    }
    if let Some(until) = doc.options.until {
        facts.push(format!("until {}", until.format("%Y-%m-%d")));
    }
    if doc.options.pseudonymise {
        facts.push("people pseudonymised".into());
    }
    let _ = writeln!(out, "<p class=\"meta\">{}</p>", esc(&facts.join(" · ")));
    let _ = writeln!(
        out,
        "<p class=\"note\">Each balance on this page is computed from the entries in this report \
         only (withdrawals weigh {}× a deposit), so it shows the balance of what was shared, \
         which can differ from the leader's full journal. The numbers are the leader's own \
         reading of each relationship; they do not judge anyone.</p>\n</header>",
        esc(&format!("{:.1}", doc.settings_loss_weight))
    );

    let mut balances = doc.balances(now);
    let reports: Vec<(&Person, BalanceReport)> = doc
        .people
        .iter()
        .map(|p| {
            (
                p,
                balances
                    .remove(&p.id)
                    .unwrap_or_else(|| doc.balance(p.id, now)),
            )
        })
        .collect();
    let index = Index::new(doc);
    if !reports.is_empty() {
        out.push_str("<nav aria-label=\"People\">\n<h2>People</h2>\n<ul>\n");
        for (p, report) in &reports {
            let _ = writeln!(
                out,
                "<li><a href=\"#p-{}\">{}</a> <span class=\"meta\">balance {}</span></li>",
                p.id,
                esc(&p.name),
                points(report.balance)
            );
        }
        out.push_str("</ul>\n</nav>\n");
    }
    out.push_str("<main>\n");
    if !reports.is_empty() {
        out.push_str("<section aria-labelledby=\"relationships\">\n<h2 id=\"relationships\">Relationships</h2>\n");
        for (p, report) in &reports {
            person(&mut out, &index, p, report);
        }
        out.push_str("</section>\n");
    }
    out.push_str("<section aria-labelledby=\"entries\">\n<h2 id=\"entries\">Entries</h2>\n");
    if doc.touchpoints.is_empty() {
        out.push_str("<p class=\"meta\">No entries were selected.</p>\n");
    }
    for t in &doc.touchpoints {
        entry(&mut out, &index, t, &names);
    }
    out.push_str("</section>\n");
    if !doc.initiatives.is_empty() {
        out.push_str("<section aria-labelledby=\"initiatives\">\n<h2 id=\"initiatives\">Change initiatives</h2>\n");
        for section in super::initiatives::report(&doc.initiatives, &names) {
            let _ = writeln!(
                out,
                "<article class=\"entry\">\n<h3>{}</h3>\n<p>{}</p>",
                esc(&section.title),
                esc(&section.about)
            );
            for (title, items) in &section.lists {
                let _ = writeln!(out, "<h4>{}</h4>\n<ul>", esc(title));
                for item in items {
                    let _ = writeln!(out, "<li>{}</li>", esc(item));
                }
                out.push_str("</ul>\n");
            }
            out.push_str("</article>\n");
        }
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n");
    let _ = writeln!(
        out,
        "<footer>Made with {} from the leader's journal. Private entries are never exported.</footer>\n</body>\n</html>",
        esc(&doc.generator)
    );
    out
}

/// The document's records grouped by the entry and the person they belong to.
struct Index<'a> {
    reflections: HashMap<Uuid, Vec<&'a Reflection>>,
    comments: HashMap<Uuid, Vec<&'a Annotation>>,
    made_in: HashMap<Uuid, Vec<&'a Commitment>>,
    raised_in: HashMap<Uuid, Vec<&'a OpenTopic>>,
    promised_to: HashMap<Uuid, Vec<&'a Commitment>>,
    raised_by: HashMap<Uuid, Vec<&'a OpenTopic>>,
}

impl<'a> Index<'a> {
    fn new(doc: &'a ExportDocument) -> Self {
        let mut index = Index {
            reflections: HashMap::new(),
            comments: HashMap::new(),
            made_in: HashMap::new(),
            raised_in: HashMap::new(),
            promised_to: HashMap::new(),
            raised_by: HashMap::new(),
        };
        for r in &doc.reflections {
            index
                .reflections
                .entry(r.touchpoint_id)
                .or_default()
                .push(r);
        }
        for a in &doc.annotations {
            index.comments.entry(a.target_id).or_default().push(a);
        }
        for c in &doc.commitments {
            index.promised_to.entry(c.person_id).or_default().push(c);
            if let Some(t) = c.touchpoint_id {
                index.made_in.entry(t).or_default().push(c);
            }
        }
        for t in &doc.topics {
            index.raised_by.entry(t.person_id).or_default().push(t);
            if let Some(x) = t.touchpoint_id {
                index.raised_in.entry(x).or_default().push(t);
            }
        }
        index
    }
}

fn all<T>(map: &HashMap<Uuid, Vec<T>>, id: Uuid) -> &[T] {
    map.get(&id).map(Vec::as_slice).unwrap_or_default()
}

fn signed_class(value: f64) -> &'static str {
    if value > 0.0 {
        "up"
    } else if value < 0.0 {
        "down"
    } else {
        ""
    }
}

fn person(out: &mut String, index: &Index<'_>, p: &Person, report: &BalanceReport) {
    let _ = writeln!(
        out,
        "<section class=\"person\" id=\"p-{}\" aria-labelledby=\"h-p-{}\">\n<h3 id=\"h-p-{}\">{}</h3>",
        p.id,
        p.id,
        p.id,
        esc(&p.name)
    );
    let mut about = vec![group_label(p.group).to_string()];
    if !p.role.trim().is_empty() {
        about.push(one_line(&p.role));
    }
    if !p.teams.is_empty() {
        about.push(format!("teams: {}", p.teams.join(", ")));
    }
    let _ = writeln!(out, "<p class=\"meta\">{}</p>", esc(&about.join(" · ")));
    out.push_str("<dl class=\"figures\">\n");
    for (label, value) in [
        ("Balance", report.balance),
        ("Willingness", report.willingness),
        ("Ability", report.ability),
        ("30 days", report.trend_30d),
        ("90 days", report.trend_90d),
    ] {
        let _ = writeln!(
            out,
            "<div><dt>{label}</dt><dd class=\"{}\">{}</dd></div>",
            signed_class(value),
            points(value)
        );
    }
    out.push_str("</dl>\n");
    if report.slipping {
        let reasons: Vec<&str> = report
            .slip_reasons
            .iter()
            .map(|r| match r {
                SlipReason::LastThreeNegative => "the last three events were withdrawals",
                SlipReason::SharpDrop => "the balance fell by 4 or more in 30 days",
                SlipReason::Adversarial => "a moment felt adversarial and no deposit has followed",
            })
            .collect();
        let _ = writeln!(
            out,
            "<p class=\"slipping\">Slipping: {}.</p>",
            esc(&reasons.join("; "))
        );
    }
    chart(out, report, &p.name, p.id);
    if !report.events.is_empty() {
        let _ = writeln!(
            out,
            "<table>\n<caption>How the balance was made</caption>\n<thead><tr><th scope=\"col\">Date</th>\
             <th scope=\"col\">Kind</th><th scope=\"col\">w</th><th scope=\"col\">a</th>\
             <th scope=\"col\">Weight</th><th scope=\"col\">Delta</th><th scope=\"col\">Balance</th>\
             <th scope=\"col\">What</th></tr></thead>\n<tbody>"
        );
        for e in &report.events {
            let kind = match (e.source, e.touchpoint_kind) {
                (EventSource::Reflection, Some(k)) => kind_label(k).to_string(),
                (EventSource::CommitmentKept, _) => "Commitment kept".into(),
                (EventSource::CommitmentBroken, _) => "Commitment broken".into(),
                (EventSource::CommitmentRenegotiated, _) => "Commitment renegotiated".into(),
                (EventSource::Decision, _) => "Decision".into(),
                (EventSource::Reflection, None) => "Reflection".into(),
            };
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">×{:.1}</td><td class=\"num {}\">{}</td><td class=\"num\">{}</td><td>{}{}</td></tr>",
                esc(&e.at.format("%Y-%m-%d").to_string()),
                esc(&kind),
                rating(e.willingness),
                rating(e.ability),
                e.weight,
                signed_class(e.delta),
                points(e.delta),
                points(e.balance_after),
                esc(&one_line(&e.label)),
                if e.adversarial { " <em>(felt adversarial)</em>" } else { "" },
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    let commitments = all(&index.promised_to, p.id);
    if !commitments.is_empty() {
        out.push_str("<h4>Commitments</h4>\n<ul>\n");
        for c in commitments {
            let due = c.due.map(|d| format!(", due {d}")).unwrap_or_default();
            let _ = writeln!(
                out,
                "<li>{} <span class=\"meta\">({}{})</span></li>",
                esc(&one_line(&c.what)),
                status_label(c.status),
                esc(&due)
            );
        }
        out.push_str("</ul>\n");
    }
    let topics = all(&index.raised_by, p.id);
    if !topics.is_empty() {
        out.push_str("<h4>Topics they raised</h4>\n<ul>\n");
        for t in topics {
            let state = if t.closed_at.is_some() {
                "closed"
            } else {
                "open"
            };
            let _ = writeln!(
                out,
                "<li>{} <span class=\"meta\">({state})</span></li>",
                esc(&one_line(&t.text))
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

/// A step chart of the running balance, one step per event.
fn chart(out: &mut String, report: &BalanceReport, name: &str, id: Uuid) {
    if report.series.is_empty() {
        out.push_str("<p class=\"meta\">No balance events in this export.</p>\n");
        return;
    }
    let (width, height) = (640.0_f64, 190.0_f64);
    let (left, right, top, bottom) = (46.0, 14.0, 12.0, 26.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let times: Vec<f64> = report
        .series
        .iter()
        .map(|p| p.at.timestamp() as f64)
        .collect();
    let t0 = times[0];
    let t1 = times[times.len() - 1];
    let low = report
        .series
        .iter()
        .map(|p| p.balance)
        .fold(0.0_f64, f64::min);
    let mut high = report
        .series
        .iter()
        .map(|p| p.balance)
        .fold(0.0_f64, f64::max);
    if high - low < 1.0 {
        high = low + 1.0;
    }
    let x = |t: f64| {
        if t1 > t0 {
            left + (t - t0) / (t1 - t0) * plot_w
        } else {
            left + plot_w / 2.0
        }
    };
    let y = |v: f64| top + (high - v) / (high - low) * plot_h;
    let _ = writeln!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"c-{id}\" xmlns=\"http://www.w3.org/2000/svg\">\n\
         <title id=\"c-{id}\">Balance of {} over time, from {} to {}</title>",
        esc(name),
        points(0.0),
        points(report.balance)
    );
    // Axes: zero line, top and bottom values, first and last dates.
    let _ = writeln!(
        out,
        "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#9aa5b1\" stroke-dasharray=\"4 3\"/>",
        width - right,
        y(0.0),
        y(0.0)
    );
    for v in [high, low] {
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 6.0,
            y(v) + 4.0,
            points(v)
        );
    }
    if low < 0.0 && high > 0.0 {
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">0</text>",
            left - 6.0,
            y(0.0) + 4.0
        );
    }
    let first = &report.series[0];
    let last = &report.series[report.series.len() - 1];
    let _ = writeln!(
        out,
        "<text x=\"{left}\" y=\"{:.1}\">{}</text>\n<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
        height - 6.0,
        first.at.format("%Y-%m-%d"),
        width - right,
        height - 6.0,
        last.at.format("%Y-%m-%d")
    );
    let mut path = format!("M{:.1},{:.1}", x(times[0]), y(0.0));
    let mut previous = 0.0;
    for (p, t) in report.series.iter().zip(&times) {
        let _ = write!(
            path,
            " L{:.1},{:.1} L{:.1},{:.1}",
            x(*t),
            y(previous),
            x(*t),
            y(p.balance)
        );
        previous = p.balance;
    }
    let _ = writeln!(
        out,
        "<path d=\"{path}\" fill=\"none\" stroke=\"#2f5d8a\" stroke-width=\"2\" stroke-linejoin=\"round\"/>"
    );
    for ((p, t), e) in report.series.iter().zip(&times).zip(&report.events) {
        let colour = if e.delta < 0.0 { "#a8261d" } else { "#17703a" };
        let _ = writeln!(
            out,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"{colour}\"><title>{} · {} · {} → {}</title></circle>",
            x(*t),
            y(p.balance),
            p.at.format("%Y-%m-%d"),
            esc(&one_line(&e.label)),
            points(e.delta),
            points(p.balance)
        );
    }
    out.push_str("</svg>\n");
}

fn entry(out: &mut String, index: &Index<'_>, t: &Touchpoint, names: &HashMap<Uuid, String>) {
    let _ = writeln!(
        out,
        "<article class=\"entry\" id=\"t-{}\" aria-labelledby=\"h-t-{}\">\n<h3 id=\"h-t-{}\">{}</h3>",
        t.id,
        t.id,
        t.id,
        esc(&one_line(&t.title))
    );
    let mut meta = vec![
        format!(
            "<time datetime=\"{}\">{}</time>",
            esc(&t.occurred_at.to_rfc3339()),
            esc(&when(&t.occurred_at))
        ),
        esc(kind_label(t.kind)),
    ];
    if let Some(d) = t.duration_minutes {
        meta.push(format!("{d} min"));
    }
    if !t.participants.is_empty() {
        let people: Vec<String> = t
            .participants
            .iter()
            .map(|p| format!("<a href=\"#p-{p}\">{}</a>", esc(&name_of(names, *p))))
            .collect();
        meta.push(people.join(", "));
    }
    if let Some(team) = &t.team {
        meta.push(format!("team {}", esc(team)));
    }
    let _ = writeln!(out, "<p class=\"meta\">{}</p>", meta.join(" · "));
    if !t.tags.is_empty() {
        let tags: Vec<String> = t
            .tags
            .iter()
            .map(|g| format!("<span class=\"tag\">{}</span>", esc(g)))
            .collect();
        let _ = writeln!(out, "<p>{}</p>", tags.join(" "));
    }
    if !t.affected_groups.is_empty() {
        out.push_str("<table>\n<caption>Impact on stakeholder groups</caption>\n<thead><tr><th scope=\"col\">Group</th><th scope=\"col\">Impact</th></tr></thead>\n<tbody>\n");
        for g in &t.affected_groups {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
                group_label(g.group),
                rating(g.impact)
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    if !t.notes.trim().is_empty() {
        let _ = writeln!(out, "<div class=\"text\">{}</div>", esc(t.notes.trim()));
    }
    for r in all(&index.reflections, t.id) {
        reflection(out, r, names, &index.comments);
    }
    let made = all(&index.made_in, t.id);
    if !made.is_empty() {
        out.push_str("<h4>Commitments made</h4>\n<ul>\n");
        for c in made {
            let _ = writeln!(
                out,
                "<li>To {}: {} <span class=\"meta\">({})</span></li>",
                esc(&name_of(names, c.person_id)),
                esc(&one_line(&c.what)),
                status_label(c.status)
            );
        }
        out.push_str("</ul>\n");
    }
    let raised = all(&index.raised_in, t.id);
    if !raised.is_empty() {
        out.push_str("<h4>Topics raised</h4>\n<ul>\n");
        for x in raised {
            let _ = writeln!(
                out,
                "<li>{}: {}</li>",
                esc(&name_of(names, x.person_id)),
                esc(&one_line(&x.text))
            );
        }
        out.push_str("</ul>\n");
    }
    comments_on(out, &index.comments, t.id);
    out.push_str("</article>\n");
}

fn reflection(
    out: &mut String,
    r: &Reflection,
    names: &HashMap<Uuid, String>,
    comments: &HashMap<Uuid, Vec<&Annotation>>,
) {
    let name = name_of(names, r.person_id);
    let _ = writeln!(
        out,
        "<section class=\"reflection\" id=\"r-{}\">\n<h4>{}'s side</h4>\n<p class=\"meta\">Willingness {} · Ability {}{}</p>",
        r.id,
        esc(&name),
        rating(r.willingness),
        rating(r.ability),
        if r.adversarial { " · <strong>felt adversarial</strong>" } else { "" }
    );
    if !r.their_side.trim().is_empty() {
        let _ = writeln!(
            out,
            "<blockquote class=\"text\">{}</blockquote>",
            esc(r.their_side.trim())
        );
    }
    let answered: Vec<_> = r
        .answers
        .iter()
        .filter(|a| !a.answer.trim().is_empty())
        .collect();
    if !answered.is_empty() {
        out.push_str("<dl class=\"answers\">\n");
        for a in answered {
            let _ = writeln!(
                out,
                "<dt>{}</dt><dd class=\"text\">{}</dd>",
                esc(&one_line(&a.prompt)),
                esc(a.answer.trim())
            );
        }
        out.push_str("</dl>\n");
    }
    for (label, text) in [
        (
            "What would have left them feeling protected",
            &r.would_have_helped,
        ),
        ("Next time", &r.next_time),
    ] {
        if !text.trim().is_empty() {
            let _ = writeln!(
                out,
                "<p><strong>{label}:</strong> <span class=\"text\">{}</span></p>",
                esc(text.trim())
            );
        }
    }
    comments_on(out, comments, r.id);
    out.push_str("</section>\n");
}

fn comments_on(out: &mut String, comments: &HashMap<Uuid, Vec<&Annotation>>, target: Uuid) {
    for a in comments.get(&target).into_iter().flatten() {
        let _ = writeln!(
            out,
            "<aside class=\"comment\"><strong>{}</strong> <span class=\"meta\">{}</span><div class=\"text\">{}</div></aside>",
            esc(&a.author),
            esc(&when(&a.created_at)),
            esc(a.text.trim())
        );
    }
}
