//! RFC 5545 recurrence rules (`RRULE`): parsing and expansion in wall-clock time.
//!
//! Supported: `FREQ=DAILY|WEEKLY|MONTHLY|YEARLY` with `INTERVAL`, `COUNT`, `UNTIL`, `BYDAY`
//! (with ordinals such as `2TU` or `-1FR` for monthly and yearly rules), `BYMONTHDAY`
//! (negative from the month's end), `BYMONTH`, `BYSETPOS` and `WKST`: what calendar
//! clients write for meeting series. Sub-daily frequencies and `BYWEEKNO`, `BYYEARDAY`,
//! `BYHOUR`, `BYMINUTE`, `BYSECOND` are refused with a message naming them.
//!
//! Expansion runs on naive local date-times (the event's wall clock) so that a 09:00
//! meeting stays at 09:00 across a daylight-saving change; the caller converts each
//! occurrence to an instant in the event's time zone. Work is bounded: rules without
//! `COUNT` jump straight to the period before the window, and every period expanded is
//! charged to a budget shared by the whole file.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, TimeDelta, Weekday};

/// How often a rule repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Freq {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// The end of a rule as written (`UNTIL`): a date, a UTC time or a floating time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Until {
    /// `UNTIL=20240630`: occurrences on that date are included.
    Date(NaiveDate),
    /// `UNTIL=20240630T215959Z`.
    Utc(NaiveDateTime),
    /// `UNTIL=20240630T215959`, in the event's own wall clock.
    Local(NaiveDateTime),
}

/// A parsed `RRULE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rule {
    pub freq: Freq,
    pub interval: u32,
    pub count: Option<u32>,
    pub until: Option<Until>,
    /// Weekdays, each with an ordinal (0 = every such weekday of the period).
    pub by_day: Vec<(i32, Weekday)>,
    pub by_month_day: Vec<i32>,
    pub by_month: Vec<u32>,
    pub by_set_pos: Vec<i32>,
    pub wkst: Weekday,
}

/// The expansion budget ran out: the rule repeats too often to expand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BudgetExceeded;

/// Largest `INTERVAL` accepted; larger ones are surely broken.
const MAX_INTERVAL: u32 = 100_000;
/// Last year any expansion reaches.
const LAST_YEAR: i32 = 9999;

fn weekday(code: &str) -> Option<Weekday> {
    Some(match code {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

fn int_list(
    key: &str,
    value: &str,
    range: std::ops::RangeInclusive<i32>,
) -> Result<Vec<i32>, String> {
    value
        .split(',')
        .map(|v| {
            let n: i32 = v
                .trim()
                .trim_start_matches('+')
                .parse()
                .map_err(|_| format!("{key} value {v:?} is not a number"))?;
            if n == 0 || !range.contains(&n) {
                return Err(format!("{key} value {n} is out of range"));
            }
            Ok(n)
        })
        .collect()
}

/// Parses the value of an `RRULE` property; `parse_until` reads its `UNTIL` value.
pub(crate) fn parse_rule(
    value: &str,
    parse_until: impl Fn(&str) -> Option<Until>,
) -> Result<Rule, String> {
    let mut freq = None;
    let mut rule = Rule {
        freq: Freq::Daily,
        interval: 1,
        count: None,
        until: None,
        by_day: Vec::new(),
        by_month_day: Vec::new(),
        by_month: Vec::new(),
        by_set_pos: Vec::new(),
        wkst: Weekday::Mon,
    };
    for part in value.split(';').filter(|p| !p.trim().is_empty()) {
        let (key, val) = part
            .split_once('=')
            .ok_or_else(|| format!("RRULE part {part:?} is not KEY=VALUE"))?;
        let key = key.trim().to_ascii_uppercase();
        let val = val.trim();
        match key.as_str() {
            "FREQ" => {
                freq = Some(match val.to_ascii_uppercase().as_str() {
                    "DAILY" => Freq::Daily,
                    "WEEKLY" => Freq::Weekly,
                    "MONTHLY" => Freq::Monthly,
                    "YEARLY" => Freq::Yearly,
                    "HOURLY" | "MINUTELY" | "SECONDLY" => {
                        return Err(format!(
                            "events repeating {} are not supported",
                            match val.to_ascii_uppercase().as_str() {
                                "HOURLY" => "every hour",
                                "MINUTELY" => "every minute",
                                _ => "every second",
                            }
                        ))
                    }
                    other => return Err(format!("unknown RRULE frequency {other:?}")),
                })
            }
            "INTERVAL" => {
                rule.interval = val
                    .parse()
                    .ok()
                    .filter(|n| (1..=MAX_INTERVAL).contains(n))
                    .ok_or_else(|| {
                        format!("RRULE INTERVAL {val:?} is not a number from 1 to {MAX_INTERVAL}")
                    })?
            }
            "COUNT" => {
                rule.count = Some(
                    val.parse()
                        .map_err(|_| format!("RRULE COUNT {val:?} is not a number"))?,
                )
            }
            "UNTIL" => {
                rule.until = Some(
                    parse_until(val)
                        .ok_or_else(|| format!("RRULE UNTIL {val:?} is not a date or date-time"))?,
                )
            }
            "BYDAY" => {
                for item in val.split(',') {
                    let item = item.trim().to_ascii_uppercase();
                    let split = item.len().saturating_sub(2);
                    let (ord, code) = item.split_at(if item.is_char_boundary(split) {
                        split
                    } else {
                        0
                    });
                    let day = weekday(code)
                        .ok_or_else(|| format!("RRULE BYDAY value {item:?} is not a weekday"))?;
                    let ord = if ord.is_empty() {
                        0
                    } else {
                        let n: i32 = ord
                            .trim_start_matches('+')
                            .parse()
                            .map_err(|_| format!("RRULE BYDAY value {item:?} has a bad ordinal"))?;
                        if n == 0 || !(-53..=53).contains(&n) {
                            return Err(format!("RRULE BYDAY value {item:?} has a bad ordinal"));
                        }
                        n
                    };
                    rule.by_day.push((ord, day));
                }
            }
            "BYMONTHDAY" => rule.by_month_day = int_list("RRULE BYMONTHDAY", val, -31..=31)?,
            "BYMONTH" => {
                rule.by_month = int_list("RRULE BYMONTH", val, 1..=12)?
                    .into_iter()
                    .map(|m| m as u32)
                    .collect()
            }
            "BYSETPOS" => rule.by_set_pos = int_list("RRULE BYSETPOS", val, -366..=366)?,
            "WKST" => {
                rule.wkst = weekday(&val.to_ascii_uppercase())
                    .ok_or_else(|| format!("RRULE WKST {val:?} is not a weekday"))?
            }
            "BYWEEKNO" | "BYYEARDAY" | "BYHOUR" | "BYMINUTE" | "BYSECOND" => {
                return Err(format!("the recurrence part {key} is not supported"))
            }
            _ => {} // X- extensions and future parts: ignored.
        }
    }
    rule.freq = freq.ok_or("RRULE has no FREQ")?;
    Ok(rule)
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    match (NaiveDate::from_ymd_opt(year, month, 1), next) {
        (Some(a), Some(b)) => (b - a).num_days() as u32,
        _ => 0,
    }
}

/// Every day in `days` that is the `ord`-th (`0` = every) `wd` among them.
fn nth_weekday(days: &[NaiveDate], ord: i32, wd: Weekday, out: &mut Vec<NaiveDate>) {
    let matching = days.iter().filter(|d| d.weekday() == wd);
    if ord == 0 {
        out.extend(matching);
        return;
    }
    let all: Vec<NaiveDate> = matching.copied().collect();
    let index = if ord > 0 {
        ord as usize - 1
    } else {
        match all.len().checked_sub(ord.unsigned_abs() as usize) {
            Some(i) => i,
            None => return,
        }
    };
    if let Some(d) = all.get(index) {
        out.push(*d);
    }
}

fn month_days(year: i32, month: u32) -> Vec<NaiveDate> {
    (1..=days_in_month(year, month))
        .filter_map(|d| NaiveDate::from_ymd_opt(year, month, d))
        .collect()
}

fn resolve_month_day(year: i32, month: u32, md: i32) -> Option<NaiveDate> {
    let len = days_in_month(year, month) as i32;
    let day = if md > 0 { md } else { len + md + 1 };
    if day < 1 || day > len {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day as u32)
}

impl Rule {
    /// The candidate days of one month of a monthly rule, or of a yearly rule with `BYMONTH`.
    fn month_candidates(&self, year: i32, month: u32, start: NaiveDate, out: &mut Vec<NaiveDate>) {
        if self.by_day.is_empty() && self.by_month_day.is_empty() {
            out.extend(NaiveDate::from_ymd_opt(year, month, start.day()));
            return;
        }
        let days = month_days(year, month);
        let by_month_day: Vec<NaiveDate> = self
            .by_month_day
            .iter()
            .filter_map(|&md| resolve_month_day(year, month, md))
            .collect();
        if self.by_day.is_empty() {
            out.extend(by_month_day);
            return;
        }
        let mut by_day = Vec::new();
        for &(ord, wd) in &self.by_day {
            nth_weekday(&days, ord, wd, &mut by_day);
        }
        if self.by_month_day.is_empty() {
            out.extend(by_day);
        } else {
            out.extend(by_day.into_iter().filter(|d| by_month_day.contains(d)));
        }
    }

    /// The candidate days of period `p` (before `BYSETPOS`), or `None` past the last year.
    fn period(&self, start: NaiveDate, p: u64, out: &mut Vec<NaiveDate>) -> Option<()> {
        out.clear();
        let step = p.checked_mul(u64::from(self.interval))?;
        let month_ok =
            |d: &NaiveDate| self.by_month.is_empty() || self.by_month.contains(&d.month());
        match self.freq {
            Freq::Daily => {
                let day =
                    start.checked_add_signed(TimeDelta::try_days(i64::try_from(step).ok()?)?)?;
                if day.year() > LAST_YEAR {
                    return None;
                }
                let day_ok = self.by_day.is_empty()
                    || self.by_day.iter().any(|&(_, wd)| wd == day.weekday());
                let md_ok = self.by_month_day.is_empty()
                    || self
                        .by_month_day
                        .iter()
                        .any(|&md| resolve_month_day(day.year(), day.month(), md) == Some(day));
                if month_ok(&day) && day_ok && md_ok {
                    out.push(day);
                }
            }
            Freq::Weekly => {
                let back = (7 + start.weekday().num_days_from_monday()
                    - self.wkst.num_days_from_monday())
                    % 7;
                let week = start
                    .checked_sub_signed(TimeDelta::days(i64::from(back)))?
                    .checked_add_signed(TimeDelta::try_weeks(i64::try_from(step).ok()?)?)?;
                if week.year() > LAST_YEAR {
                    return None;
                }
                for i in 0..7 {
                    let day = week.checked_add_signed(TimeDelta::days(i))?;
                    let wanted = if self.by_day.is_empty() {
                        day.weekday() == start.weekday()
                    } else {
                        self.by_day.iter().any(|&(_, wd)| wd == day.weekday())
                    };
                    if wanted && month_ok(&day) {
                        out.push(day);
                    }
                }
            }
            Freq::Monthly => {
                let first = start
                    .with_day(1)?
                    .checked_add_months(Months::new(u32::try_from(step).ok()?))?;
                if first.year() > LAST_YEAR {
                    return None;
                }
                if month_ok(&first) {
                    self.month_candidates(first.year(), first.month(), start, out);
                }
            }
            Freq::Yearly => {
                let year = i64::from(start.year()).checked_add(i64::try_from(step).ok()?)?;
                if year > i64::from(LAST_YEAR) {
                    return None;
                }
                let year = year as i32;
                if !self.by_month.is_empty() {
                    let mut months = self.by_month.clone();
                    months.sort_unstable();
                    months.dedup();
                    for m in months {
                        self.month_candidates(year, m, start, out);
                    }
                } else if !self.by_day.is_empty() && self.by_month_day.is_empty() {
                    let days: Vec<NaiveDate> = (1..=12).flat_map(|m| month_days(year, m)).collect();
                    for &(ord, wd) in &self.by_day {
                        nth_weekday(&days, ord, wd, out);
                    }
                } else if !self.by_month_day.is_empty() {
                    for m in 1..=12 {
                        self.month_candidates(year, m, start, out);
                    }
                } else {
                    out.extend(NaiveDate::from_ymd_opt(year, start.month(), start.day()));
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        if !self.by_set_pos.is_empty() {
            let all = std::mem::take(out);
            for &pos in &self.by_set_pos {
                let i = if pos > 0 {
                    Some(pos as usize - 1)
                } else {
                    all.len().checked_sub(pos.unsigned_abs() as usize)
                };
                if let Some(d) = i.and_then(|i| all.get(i)) {
                    out.push(*d);
                }
            }
            out.sort_unstable();
            out.dedup();
        }
        Some(())
    }

    /// The first period worth expanding for occurrences on or after `from`: rules with
    /// `COUNT` must be counted from their start, the others can jump ahead.
    fn first_period(&self, start: NaiveDate, from: Option<NaiveDate>) -> u64 {
        let Some(from) = from.filter(|_| self.count.is_none()) else {
            return 0;
        };
        if from <= start {
            return 0;
        }
        let units = match self.freq {
            Freq::Daily => (from - start).num_days(),
            Freq::Weekly => (from - start).num_days() / 7,
            Freq::Monthly => {
                i64::from(from.year() - start.year()) * 12 + i64::from(from.month())
                    - i64::from(start.month())
            }
            Freq::Yearly => i64::from(from.year() - start.year()),
        };
        // One period of slack keeps partial weeks and month ends safe.
        u64::try_from(units / i64::from(self.interval) - 1).unwrap_or(0)
    }

    /// Calls `emit` with every occurrence, in order, starting with `dtstart` itself (which
    /// always counts as the first), until `COUNT` or `UNTIL` (`until`, already in wall-clock
    /// time) is reached, `emit` returns `false`, or a period starts after `horizon`.
    /// Occurrences before `from` may be skipped. Each period costs one unit of `budget`.
    pub(crate) fn expand(
        &self,
        dtstart: NaiveDateTime,
        until: Option<NaiveDateTime>,
        from: Option<NaiveDate>,
        horizon: NaiveDate,
        budget: &mut u64,
        mut emit: impl FnMut(NaiveDateTime) -> bool,
    ) -> Result<(), BudgetExceeded> {
        let mut emitted: u64 = 1;
        if !emit(dtstart) {
            return Ok(());
        }
        let limit = self.count.map(u64::from);
        if limit.is_some_and(|c| emitted >= c) {
            return Ok(());
        }
        let start = dtstart.date();
        let time = dtstart.time();
        let mut days = Vec::new();
        let mut p = self.first_period(start, from);
        loop {
            *budget = budget.checked_sub(1).ok_or(BudgetExceeded)?;
            if self.period(start, p, &mut days).is_none() {
                return Ok(());
            }
            for day in &days {
                let at = day.and_time(time);
                if at <= dtstart {
                    continue;
                }
                if until.is_some_and(|u| at > u) || *day > horizon {
                    return Ok(());
                }
                emitted += 1;
                if !emit(at) || limit.is_some_and(|c| emitted >= c) {
                    return Ok(());
                }
            }
            // A period entirely past the horizon ends the expansion even when it is empty.
            if days.is_empty() && self.period_start(start, p).is_none_or(|s| s > horizon) {
                return Ok(());
            }
            p += 1;
        }
    }

    /// The first day a period covers, for stopping rules that match nothing.
    fn period_start(&self, start: NaiveDate, p: u64) -> Option<NaiveDate> {
        let step = p.checked_mul(u64::from(self.interval))?;
        match self.freq {
            Freq::Daily => {
                start.checked_add_signed(TimeDelta::try_days(i64::try_from(step).ok()?)?)
            }
            Freq::Weekly => start
                .checked_sub_signed(TimeDelta::days(7))?
                .checked_add_signed(TimeDelta::try_weeks(i64::try_from(step).ok()?)?),
            Freq::Monthly => start
                .with_day(1)?
                .checked_add_months(Months::new(u32::try_from(step).ok()?)),
            Freq::Yearly => NaiveDate::from_ymd_opt(
                i32::try_from(i64::from(start.year()).checked_add(i64::try_from(step).ok()?)?)
                    .ok()?,
                1,
                1,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(text: &str) -> Rule {
        parse_rule(text, |v| {
            NaiveDate::parse_from_str(v, "%Y%m%d").ok().map(Until::Date)
        })
        .unwrap()
    }

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn all(r: &Rule, start: &str, until: Option<&str>) -> Vec<String> {
        let mut out = Vec::new();
        let mut budget = 100_000;
        r.expand(
            dt(start),
            until.map(dt),
            None,
            NaiveDate::from_ymd_opt(2100, 1, 1).unwrap(),
            &mut budget,
            |d| {
                out.push(d.format("%Y-%m-%d").to_string());
                out.len() < 50
            },
        )
        .unwrap();
        out
    }

    #[test]
    fn weekly_by_day_with_count() {
        let r = rule("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=5");
        assert_eq!(
            all(&r, "2024-05-06 09:00", None),
            [
                "2024-05-06",
                "2024-05-08",
                "2024-05-13",
                "2024-05-15",
                "2024-05-20"
            ]
        );
    }

    #[test]
    fn every_other_week_until() {
        let r = rule("FREQ=WEEKLY;INTERVAL=2");
        assert_eq!(
            all(&r, "2024-05-01 09:00", Some("2024-06-12 09:00")),
            ["2024-05-01", "2024-05-15", "2024-05-29", "2024-06-12"]
        );
    }

    #[test]
    fn monthly_ordinals_and_month_days() {
        let last_friday = rule("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3");
        assert_eq!(
            all(&last_friday, "2024-05-31 10:00", None),
            ["2024-05-31", "2024-06-28", "2024-07-26"]
        );
        let second_tuesday = rule("FREQ=MONTHLY;BYDAY=2TU;COUNT=3");
        assert_eq!(
            all(&second_tuesday, "2024-05-14 10:00", None),
            ["2024-05-14", "2024-06-11", "2024-07-09"]
        );
        let the_31st = rule("FREQ=MONTHLY;COUNT=3");
        assert_eq!(
            all(&the_31st, "2024-05-31 10:00", None),
            ["2024-05-31", "2024-07-31", "2024-08-31"],
            "months without a 31st are skipped"
        );
        let last_day = rule("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3");
        assert_eq!(
            all(&last_day, "2024-01-31 10:00", None),
            ["2024-01-31", "2024-02-29", "2024-03-31"]
        );
        let last_workday = rule("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=3");
        assert_eq!(
            all(&last_workday, "2024-08-30 10:00", None),
            ["2024-08-30", "2024-09-30", "2024-10-31"]
        );
    }

    #[test]
    fn yearly_rules() {
        let birthday = rule("FREQ=YEARLY;COUNT=3");
        assert_eq!(
            all(&birthday, "2024-02-29 00:00", None),
            ["2024-02-29", "2028-02-29", "2032-02-29"]
        );
        let dst_end = rule("FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;COUNT=2");
        assert_eq!(
            all(&dst_end, "1996-10-27 03:00", None),
            ["1996-10-27", "1997-10-26"]
        );
        let daily_weekdays = rule("FREQ=DAILY;BYDAY=MO,FR;COUNT=3");
        assert_eq!(
            all(&daily_weekdays, "2024-05-03 08:00", None),
            ["2024-05-03", "2024-05-06", "2024-05-10"]
        );
    }

    #[test]
    fn unsupported_and_bad_rules_are_named() {
        let p = |t: &str| parse_rule(t, |_| None).unwrap_err();
        assert!(p("FREQ=HOURLY").contains("every hour"));
        assert!(p("FREQ=YEARLY;BYWEEKNO=20").contains("BYWEEKNO"));
        assert!(p("INTERVAL=2").contains("no FREQ"));
        assert!(p("FREQ=DAILY;INTERVAL=0").contains("INTERVAL"));
        assert!(p("FREQ=WEEKLY;BYDAY=XX").contains("weekday"));
        assert!(p("FREQ=WEEKLY;BYDAY=Ü").contains("weekday"));
        assert!(p("FREQ=MONTHLY;BYDAY=0MO").contains("ordinal"));
        assert!(p("FREQ=DAILY;UNTIL=soon").contains("UNTIL"));
    }

    #[test]
    fn open_rules_jump_to_the_window_and_impossible_ones_stop() {
        let r = rule("FREQ=DAILY");
        let mut budget = 1_000;
        let mut seen = Vec::new();
        r.expand(
            dt("1900-01-01 09:00"),
            None,
            NaiveDate::from_ymd_opt(2024, 5, 1),
            NaiveDate::from_ymd_opt(2024, 5, 3).unwrap(),
            &mut budget,
            |d| {
                seen.push(d);
                true
            },
        )
        .unwrap();
        assert_eq!(
            seen.len(),
            1 + 4,
            "the start, then 30 April (slack) to 3 May"
        );
        assert!(budget > 990);

        let never = rule("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30");
        let mut budget = 1_000;
        never
            .expand(
                dt("2024-01-30 09:00"),
                None,
                None,
                NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                &mut budget,
                |_| true,
            )
            .unwrap();
        assert!(budget > 900);

        let counted = rule("FREQ=DAILY;COUNT=1000000");
        let mut budget = 100;
        assert_eq!(
            counted.expand(
                dt("1900-01-01 09:00"),
                None,
                None,
                NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
                &mut budget,
                |_| true
            ),
            Err(BudgetExceeded)
        );
    }
}
