//! Time zones of calendar files: IANA names, Windows names, `VTIMEZONE` definitions, floating time.
//!
//! A `TZID` is resolved in this order: an IANA name (`Europe/Berlin`); a Windows name as
//! Outlook and Exchange write it (`W. Europe Standard Time`, mapped to IANA with the
//! table below, from the Unicode CLDR `windowsZones` mapping); an IANA name at the end of
//! a path (`/mozilla.org/20070129_1/Europe/Berlin` from old Thunderbird,
//! `tzone://Microsoft/Utc`); and last the file's own `VTIMEZONE` with that `TZID`, when
//! its observances are simple (fixed offsets switched by yearly rules, as every real
//! client writes them). IANA rules are preferred to the file's definition because they
//! know the history of the zone; a `VTIMEZONE` only describes its current rule.
//!
//! Then display names ([`display_zone`]), as some Windows and Mac exporters write them:
//! `(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna`, `Eastern Time (US &
//! Canada)`, `Western/Central Europe`, `W. Europe Daylight Time`. The offset written is read,
//! and the names in the string are matched against the IANA zones' cities, the Windows names
//! and a short table of region names, keeping only zones whose offset fits; no table of display
//! strings to keep up to date. A name that gives only an offset is read at that fixed offset.
//! A `TZID` that nothing places is read in the leader's own zone, with a note (see `ics`).

use std::rc::Rc;
use std::str::FromStr;

use chrono::{
    DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc,
};
use chrono_tz::Tz;

use super::recur::{Freq, Rule};

/// The time zone a calendar time is written in.
#[derive(Debug, Clone)]
pub(crate) enum Zone {
    /// UTC (`Z` suffix).
    Utc,
    /// The machine's own zone: floating times and all-day events.
    Machine,
    /// An IANA zone.
    Named(Tz),
    /// A `VTIMEZONE` of the file that no IANA name stands for.
    Custom(Rc<Custom>),
}

/// Converts a wall-clock time in `tz` to an instant. A time that occurs twice (when clocks
/// go back) is the first of the two; a time that does not exist (when clocks go forward)
/// is read with the offset before the gap, as RFC 5545 section 3.3.5 says.
fn resolve<T: TimeZone>(tz: &T, naive: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(d) => Some(d.fixed_offset()),
        LocalResult::Ambiguous(a, _) => Some(a.fixed_offset()),
        LocalResult::None => {
            let before = naive.checked_sub_signed(TimeDelta::days(1))?;
            let offset = tz.offset_from_utc_datetime(&before).fix();
            let utc = naive
                .checked_sub_signed(TimeDelta::seconds(i64::from(offset.local_minus_utc())))?;
            Some(tz.from_utc_datetime(&utc).fixed_offset())
        }
    }
}

impl Zone {
    /// The instant of a wall-clock time in this zone.
    pub(crate) fn at(&self, naive: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
        match self {
            Zone::Utc => Some(naive.and_utc().fixed_offset()),
            Zone::Machine => resolve(&chrono::Local, naive),
            Zone::Named(tz) => resolve(tz, naive),
            Zone::Custom(custom) => {
                let offset = custom.offset_at_local(naive);
                let utc = naive
                    .checked_sub_signed(TimeDelta::seconds(i64::from(offset.local_minus_utc())))?;
                Some(utc.and_utc().with_timezone(&offset))
            }
        }
    }

    /// The wall-clock time in this zone of a UTC instant.
    pub(crate) fn wall_clock(&self, utc: NaiveDateTime) -> NaiveDateTime {
        let instant = utc.and_utc();
        match self {
            Zone::Utc => utc,
            Zone::Machine => instant.with_timezone(&chrono::Local).naive_local(),
            Zone::Named(tz) => instant.with_timezone(tz).naive_local(),
            Zone::Custom(custom) => {
                let guess = custom.offset_at_local(utc);
                let local = utc
                    .checked_add_signed(TimeDelta::seconds(i64::from(guess.local_minus_utc())))
                    .unwrap_or(utc);
                let offset = custom.offset_at_local(local);
                utc.checked_add_signed(TimeDelta::seconds(i64::from(offset.local_minus_utc())))
                    .unwrap_or(utc)
            }
        }
    }
}

/// One `STANDARD` or `DAYLIGHT` block of a `VTIMEZONE`.
#[derive(Debug, Clone)]
pub(crate) struct Observance {
    /// First onset, in the wall clock before it.
    pub start: NaiveDateTime,
    /// Offset before each onset.
    pub offset_from: FixedOffset,
    /// Offset from each onset on.
    pub offset_to: FixedOffset,
    /// Yearly rule of the onsets, if any.
    pub rule: Option<Rule>,
    /// Further onsets.
    pub rdates: Vec<NaiveDateTime>,
}

/// A time zone defined by the file itself.
#[derive(Debug, Clone, Default)]
pub(crate) struct Custom {
    /// Its observances.
    pub observances: Vec<Observance>,
}

impl Custom {
    /// The offset in force at a wall-clock time: that of the observance with the latest
    /// onset not after it (before every onset, the first observance's "from" offset).
    fn offset_at_local(&self, t: NaiveDateTime) -> FixedOffset {
        let mut best: Option<(NaiveDateTime, FixedOffset)> = None;
        for o in &self.observances {
            let mut latest = (o.start <= t).then_some(o.start);
            for r in &o.rdates {
                if *r <= t && latest.is_none_or(|l| *r > l) {
                    latest = Some(*r);
                }
            }
            // Only yearly rules: anything else is not a time zone and would cost too much.
            if let Some(rule) = o
                .rule
                .as_ref()
                .filter(|r| r.freq == Freq::Yearly && o.start <= t)
            {
                let until = rule.until.map(|u| match u {
                    super::recur::Until::Date(d) => d.and_hms_opt(23, 59, 59).unwrap_or_default(),
                    super::recur::Until::Local(n) => n,
                    super::recur::Until::Utc(n) => n
                        .checked_add_signed(TimeDelta::seconds(i64::from(
                            o.offset_from.local_minus_utc(),
                        )))
                        .unwrap_or(n),
                });
                let from = t.date().checked_sub_signed(TimeDelta::days(800));
                let mut budget = 16;
                let _ = rule.expand(o.start, until, from, t.date(), &mut budget, |onset| {
                    if onset <= t {
                        if latest.is_none_or(|l| onset > l) {
                            latest = Some(onset);
                        }
                        true
                    } else {
                        false
                    }
                });
            }
            if let Some(l) = latest {
                if best.is_none_or(|(b, _)| l > b) {
                    best = Some((l, o.offset_to));
                }
            }
        }
        match best {
            Some((_, offset)) => offset,
            None => self
                .observances
                .iter()
                .min_by_key(|o| o.start)
                .map(|o| o.offset_from)
                .unwrap_or_else(|| Utc.fix()),
        }
    }
}

/// Reads a `TZOFFSETFROM`/`TZOFFSETTO` value such as `+0100`, `-0530` or `+013000`.
pub(crate) fn parse_offset(value: &str) -> Option<FixedOffset> {
    let v = value.trim();
    let (sign, digits) = match v.as_bytes().first()? {
        b'+' => (1, &v[1..]),
        b'-' => (-1, &v[1..]),
        _ => return None,
    };
    if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i32 = digits[0..2].parse().ok()?;
    let m: i32 = digits[2..4].parse().ok()?;
    let s: i32 = if digits.len() == 6 {
        digits[4..6].parse().ok()?
    } else {
        0
    };
    if h > 23 || m > 59 || s > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60 + s))
}

/// The IANA zone a `TZID` stands for, if any (without looking at the file's `VTIMEZONE`s).
pub(crate) fn named_zone(tzid: &str) -> Option<Tz> {
    let tzid = tzid.trim().trim_matches('"').trim();
    if tzid.is_empty() {
        return None;
    }
    if let Ok(tz) = Tz::from_str(tzid) {
        return Some(tz);
    }
    if let Some((_, iana)) = WINDOWS_ZONES
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(tzid))
    {
        return Tz::from_str(iana).ok();
    }
    // A path ending in an IANA name, or in UTC.
    for (i, _) in tzid.match_indices('/') {
        let rest = &tzid[i + 1..];
        if let Ok(tz) = Tz::from_str(rest) {
            return Some(tz);
        }
    }
    let last = tzid.rsplit('/').next().unwrap_or(tzid);
    if ["utc", "gmt", "z"]
        .iter()
        .any(|u| last.eq_ignore_ascii_case(u))
    {
        return Some(Tz::UTC);
    }
    None
}

/// How sure a zone read from a display name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Guess {
    /// A city or region of the name that fits its offset: read as that IANA zone.
    Place,
    /// Only the offset could be read: a fixed offset without daylight saving.
    OffsetOnly,
}

/// The IANA zone a display name stands for, as some exporters write `TZID`s:
/// Windows' display strings (`(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna`),
/// region names (`Western/Central Europe`, `Eastern Time (US & Canada)`) and Windows names
/// with another ending (`W. Europe Daylight Time`, `GMT Summer Time`).
///
/// Data-driven: the offset of `(UTC±hh:mm)` is read, then the names in the string are
/// matched against the cities of the IANA zones (`Europe/Amsterdam`), the Windows names and
/// a few region names; a zone only counts when its offset in January or July is the one
/// written. With an offset and no place that fits, the fixed offset is returned
/// ([`Guess::OffsetOnly`]).
pub(crate) fn display_zone(tzid: &str) -> Option<(Tz, Guess)> {
    let text = tzid.trim().trim_matches('"').trim();
    if text.is_empty() {
        return None;
    }
    let (offset, rest) = display_offset(text);
    let fits = |tz: &Tz| offset.is_none_or(|o| offsets_of(tz).contains(&o));
    let region = normalise(rest);
    let named = REGIONS
        .iter()
        .find(|(r, _)| *r == region)
        .map(|(_, iana)| *iana)
        .or_else(|| {
            WINDOWS_ZONES
                .iter()
                .find(|(w, _)| normalise(w) == region)
                .map(|(_, iana)| *iana)
        })
        .and_then(|iana| Tz::from_str(iana).ok())
        .filter(|tz| !region.is_empty() && fits(tz));
    if let Some(tz) = named {
        return Some((tz, Guess::Place));
    }
    for token in rest.split([',', '/', ';', '(', ')']) {
        let city = token.trim().replace(' ', "_");
        if city.len() < 3 {
            continue;
        }
        let found = chrono_tz::TZ_VARIANTS.iter().find(|tz| {
            let name = tz.name();
            name.contains('/')
                && name
                    .rsplit('/')
                    .next()
                    .is_some_and(|last| last.eq_ignore_ascii_case(&city))
                && fits(tz)
        });
        if let Some(tz) = found {
            return Some((*tz, Guess::Place));
        }
    }
    let seconds = offset?;
    // Etc/GMT-1 is UTC+01:00 (POSIX signs); only whole hours exist there.
    if seconds % 3600 != 0 {
        return None;
    }
    let hours = -seconds / 3600;
    let name = match hours {
        0 => "Etc/UTC".to_string(),
        h => format!("Etc/GMT{h:+}"),
    };
    Tz::from_str(&name).ok().map(|tz| (tz, Guess::OffsetOnly))
}

/// Reads a leading `(UTC+01:00)`, `(GMT-05:00)`, `(UTC)` or `UTC+1`: the offset in seconds
/// and the rest of the name.
fn display_offset(text: &str) -> (Option<i32>, &str) {
    let inner = text.strip_prefix('(').unwrap_or(text);
    let Some(after) = ["UTC", "GMT"].iter().find_map(|p| {
        inner
            .get(..3)
            .filter(|head| head.eq_ignore_ascii_case(p))
            .map(|_| &inner[3..])
    }) else {
        return (None, text);
    };
    let sign = match after.as_bytes().first() {
        Some(b'+') => 1,
        Some(b'-') | Some(b'\xe2') => -1,
        _ => {
            // "(UTC) Dublin": no offset written, so zero.
            return match after.strip_prefix(')') {
                Some(rest) => (Some(0), rest.trim()),
                None if after.is_empty() => (Some(0), after),
                None => (None, text),
            };
        }
    };
    // A minus sign may be U+2212.
    let body = after
        .strip_prefix(['+', '-'])
        .or_else(|| after.strip_prefix('\u{2212}'))
        .unwrap_or(after);
    let end = body
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(body.len());
    let (number, rest) = body.split_at(end);
    let rest = rest.strip_prefix(')').unwrap_or(rest).trim();
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let (h, m) = match (number.contains([':', '.']), digits.len()) {
        (true, 3 | 4) => digits.split_at(digits.len() - 2),
        (false, 1 | 2) => (digits.as_str(), "0"),
        (false, 4) => digits.split_at(2),
        _ => return (None, text),
    };
    match (h.parse::<i32>(), m.parse::<i32>()) {
        (Ok(h), Ok(m)) if h <= 14 && m < 60 => (Some(sign * (h * 3600 + m * 60)), rest),
        _ => (None, text),
    }
}

/// Lowercase, single spaces, without `(US & Canada)` or `(Canada)` and without the ending
/// `Standard Time`, `Daylight Time`, `Summer Time` or `Time`.
fn normalise(name: &str) -> String {
    let mut s = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    for tail in ["(us & canada)", "(us and canada)", "(canada)"] {
        if let Some(cut) = s.strip_suffix(tail) {
            s = cut.trim_end().to_string();
        }
    }
    for tail in [" standard time", " daylight time", " summer time", " time"] {
        if let Some(cut) = s.strip_suffix(tail) {
            return cut.to_string();
        }
    }
    s
}

/// The offsets of `tz` in mid-January and mid-July 2025, in seconds.
fn offsets_of(tz: &Tz) -> [i32; 2] {
    [1, 7].map(|month| {
        let at = NaiveDate::from_ymd_opt(2025, month, 15)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .unwrap_or_default();
        tz.offset_from_utc_datetime(&at).fix().local_minus_utc()
    })
}

/// Region names some exporters write instead of a zone (normalised, see [`normalise`]),
/// beyond the Windows names: the usual zone of each.
const REGIONS: &[(&str, &str)] = &[
    ("western/central europe", "Europe/Berlin"),
    ("central european", "Europe/Berlin"),
    ("western europe", "Europe/Lisbon"),
    ("western european", "Europe/Lisbon"),
    ("eastern europe", "Europe/Bucharest"),
    ("eastern european", "Europe/Bucharest"),
    ("british", "Europe/London"),
    ("greenwich mean", "Europe/London"),
    ("irish", "Europe/Dublin"),
    ("alaska", "America/Anchorage"),
    ("hawaii", "Pacific/Honolulu"),
    ("japan", "Asia/Tokyo"),
    ("australian eastern", "Australia/Sydney"),
];

/// The local date of a UTC instant in `zone`, for windows.
pub(crate) fn local_date(zone: &Zone, utc: DateTime<Utc>) -> NaiveDate {
    zone.wall_clock(utc.naive_utc()).date()
}

/// Windows time zone names (as Outlook and Exchange write them in `TZID`) and the IANA zone
/// of each: the "001" territory of the Unicode CLDR `windowsZones` mapping.
pub(crate) const WINDOWS_ZONES: &[(&str, &str)] = &[
    ("Dateline Standard Time", "Etc/GMT+12"),
    ("UTC-11", "Etc/GMT+11"),
    ("Aleutian Standard Time", "America/Adak"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("Marquesas Standard Time", "Pacific/Marquesas"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("UTC-09", "Etc/GMT+9"),
    ("Pacific Standard Time (Mexico)", "America/Tijuana"),
    ("UTC-08", "Etc/GMT+8"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("Mountain Standard Time (Mexico)", "America/Mazatlan"),
    ("Mountain Standard Time", "America/Denver"),
    ("Yukon Standard Time", "America/Whitehorse"),
    ("Central America Standard Time", "America/Guatemala"),
    ("Central Standard Time", "America/Chicago"),
    ("Easter Island Standard Time", "Pacific/Easter"),
    ("Central Standard Time (Mexico)", "America/Mexico_City"),
    ("Canada Central Standard Time", "America/Regina"),
    ("SA Pacific Standard Time", "America/Bogota"),
    ("Eastern Standard Time (Mexico)", "America/Cancun"),
    ("Eastern Standard Time", "America/New_York"),
    ("Haiti Standard Time", "America/Port-au-Prince"),
    ("Cuba Standard Time", "America/Havana"),
    ("US Eastern Standard Time", "America/Indiana/Indianapolis"),
    ("Turks And Caicos Standard Time", "America/Grand_Turk"),
    ("Paraguay Standard Time", "America/Asuncion"),
    ("Atlantic Standard Time", "America/Halifax"),
    ("Venezuela Standard Time", "America/Caracas"),
    ("Central Brazilian Standard Time", "America/Cuiaba"),
    ("SA Western Standard Time", "America/La_Paz"),
    ("Pacific SA Standard Time", "America/Santiago"),
    ("Newfoundland Standard Time", "America/St_Johns"),
    ("Tocantins Standard Time", "America/Araguaina"),
    ("E. South America Standard Time", "America/Sao_Paulo"),
    ("SA Eastern Standard Time", "America/Cayenne"),
    ("Argentina Standard Time", "America/Argentina/Buenos_Aires"),
    ("Greenland Standard Time", "America/Nuuk"),
    ("Montevideo Standard Time", "America/Montevideo"),
    ("Magallanes Standard Time", "America/Punta_Arenas"),
    ("Saint Pierre Standard Time", "America/Miquelon"),
    ("Bahia Standard Time", "America/Bahia"),
    ("UTC-02", "Etc/GMT+2"),
    ("Mid-Atlantic Standard Time", "Etc/GMT+2"),
    ("Azores Standard Time", "Atlantic/Azores"),
    ("Cape Verde Standard Time", "Atlantic/Cape_Verde"),
    ("UTC", "Etc/UTC"),
    ("Coordinated Universal Time", "Etc/UTC"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("Sao Tome Standard Time", "Africa/Sao_Tome"),
    ("Morocco Standard Time", "Africa/Casablanca"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("W. Central Africa Standard Time", "Africa/Lagos"),
    ("Jordan Standard Time", "Asia/Amman"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("Middle East Standard Time", "Asia/Beirut"),
    ("Egypt Standard Time", "Africa/Cairo"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("Syria Standard Time", "Asia/Damascus"),
    ("West Bank Standard Time", "Asia/Hebron"),
    ("South Africa Standard Time", "Africa/Johannesburg"),
    ("FLE Standard Time", "Europe/Kiev"),
    ("Israel Standard Time", "Asia/Jerusalem"),
    ("South Sudan Standard Time", "Africa/Juba"),
    ("Kaliningrad Standard Time", "Europe/Kaliningrad"),
    ("Sudan Standard Time", "Africa/Khartoum"),
    ("Libya Standard Time", "Africa/Tripoli"),
    ("Namibia Standard Time", "Africa/Windhoek"),
    ("Arabic Standard Time", "Asia/Baghdad"),
    ("Turkey Standard Time", "Europe/Istanbul"),
    ("Arab Standard Time", "Asia/Riyadh"),
    ("Belarus Standard Time", "Europe/Minsk"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("E. Africa Standard Time", "Africa/Nairobi"),
    ("Volgograd Standard Time", "Europe/Volgograd"),
    ("Iran Standard Time", "Asia/Tehran"),
    ("Arabian Standard Time", "Asia/Dubai"),
    ("Astrakhan Standard Time", "Europe/Astrakhan"),
    ("Azerbaijan Standard Time", "Asia/Baku"),
    ("Russia Time Zone 3", "Europe/Samara"),
    ("Mauritius Standard Time", "Indian/Mauritius"),
    ("Saratov Standard Time", "Europe/Saratov"),
    ("Georgian Standard Time", "Asia/Tbilisi"),
    ("Caucasus Standard Time", "Asia/Yerevan"),
    ("Afghanistan Standard Time", "Asia/Kabul"),
    ("West Asia Standard Time", "Asia/Tashkent"),
    ("Ekaterinburg Standard Time", "Asia/Yekaterinburg"),
    ("Pakistan Standard Time", "Asia/Karachi"),
    ("Qyzylorda Standard Time", "Asia/Qyzylorda"),
    ("India Standard Time", "Asia/Kolkata"),
    ("Sri Lanka Standard Time", "Asia/Colombo"),
    ("Nepal Standard Time", "Asia/Kathmandu"),
    ("Central Asia Standard Time", "Asia/Almaty"),
    ("Bangladesh Standard Time", "Asia/Dhaka"),
    ("Omsk Standard Time", "Asia/Omsk"),
    ("Myanmar Standard Time", "Asia/Yangon"),
    ("SE Asia Standard Time", "Asia/Bangkok"),
    ("Altai Standard Time", "Asia/Barnaul"),
    ("W. Mongolia Standard Time", "Asia/Hovd"),
    ("North Asia Standard Time", "Asia/Krasnoyarsk"),
    ("N. Central Asia Standard Time", "Asia/Novosibirsk"),
    ("Tomsk Standard Time", "Asia/Tomsk"),
    ("China Standard Time", "Asia/Shanghai"),
    ("North Asia East Standard Time", "Asia/Irkutsk"),
    ("Singapore Standard Time", "Asia/Singapore"),
    ("W. Australia Standard Time", "Australia/Perth"),
    ("Taipei Standard Time", "Asia/Taipei"),
    ("Ulaanbaatar Standard Time", "Asia/Ulaanbaatar"),
    ("Aus Central W. Standard Time", "Australia/Eucla"),
    ("Transbaikal Standard Time", "Asia/Chita"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("North Korea Standard Time", "Asia/Pyongyang"),
    ("Korea Standard Time", "Asia/Seoul"),
    ("Yakutsk Standard Time", "Asia/Yakutsk"),
    ("Cen. Australia Standard Time", "Australia/Adelaide"),
    ("AUS Central Standard Time", "Australia/Darwin"),
    ("E. Australia Standard Time", "Australia/Brisbane"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("West Pacific Standard Time", "Pacific/Port_Moresby"),
    ("Tasmania Standard Time", "Australia/Hobart"),
    ("Vladivostok Standard Time", "Asia/Vladivostok"),
    ("Lord Howe Standard Time", "Australia/Lord_Howe"),
    ("Bougainville Standard Time", "Pacific/Bougainville"),
    ("Russia Time Zone 10", "Asia/Srednekolymsk"),
    ("Magadan Standard Time", "Asia/Magadan"),
    ("Norfolk Standard Time", "Pacific/Norfolk"),
    ("Sakhalin Standard Time", "Asia/Sakhalin"),
    ("Central Pacific Standard Time", "Pacific/Guadalcanal"),
    ("Russia Time Zone 11", "Asia/Kamchatka"),
    ("New Zealand Standard Time", "Pacific/Auckland"),
    ("UTC+12", "Etc/GMT-12"),
    ("Fiji Standard Time", "Pacific/Fiji"),
    ("Chatham Islands Standard Time", "Pacific/Chatham"),
    ("UTC+13", "Etc/GMT-13"),
    ("Tonga Standard Time", "Pacific/Tongatapu"),
    ("Samoa Standard Time", "Pacific/Apia"),
    ("Line Islands Standard Time", "Pacific/Kiritimati"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::recur::{parse_rule, Until};

    #[test]
    fn every_windows_zone_maps_to_a_known_iana_zone() {
        assert!(WINDOWS_ZONES.len() >= 60);
        for (windows, iana) in WINDOWS_ZONES {
            assert!(Tz::from_str(iana).is_ok(), "{windows} -> {iana}");
            if Tz::from_str(windows).is_ok() {
                continue; // "UTC" is an IANA name too.
            }
            assert_eq!(named_zone(windows).map(|t| t.name()), Some(*iana));
        }
    }

    #[test]
    fn tzid_spellings() {
        let name = |s: &str| named_zone(s).map(|t| t.name());
        assert_eq!(name("Europe/Berlin"), Some("Europe/Berlin"));
        assert_eq!(name("w. europe standard time"), Some("Europe/Berlin"));
        assert_eq!(name("Pacific Standard Time"), Some("America/Los_Angeles"));
        assert_eq!(name("GMT Standard Time"), Some("Europe/London"));
        assert_eq!(
            name("/mozilla.org/20070129_1/Europe/Paris"),
            Some("Europe/Paris")
        );
        assert_eq!(name("tzone://Microsoft/Utc"), Some("UTC"));
        assert_eq!(name("Mars/Olympus_Mons"), None);
        assert_eq!(name(""), None);
    }

    #[test]
    fn display_names_are_placed_by_offset_and_city_or_region() {
        let place = |s: &str| display_zone(s).map(|(tz, guess)| (tz.name(), guess));
        let sure = |iana| Some((iana, Guess::Place));
        assert_eq!(
            place("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"),
            sure("Europe/Amsterdam")
        );
        assert_eq!(
            place("(UTC+01:00) Brussels, Copenhagen, Madrid, Paris"),
            sure("Europe/Brussels")
        );
        assert_eq!(
            place("(UTC+00:00) Dublin, Edinburgh, Lisbon, London"),
            sure("Europe/Dublin")
        );
        assert_eq!(
            place("(UTC) Dublin, Edinburgh, Lisbon, London"),
            sure("Europe/Dublin")
        );
        assert_eq!(
            place("(UTC-06:00) Guadalajara, Mexico City, Monterrey"),
            sure("America/Mexico_City")
        );
        assert_eq!(
            place("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi"),
            sure("Asia/Kolkata")
        );
        assert_eq!(
            place("(UTC+10:00) Canberra, Melbourne, Sydney"),
            sure("Australia/Canberra")
        );
        assert_eq!(
            place("(GMT-03:00) Buenos Aires"),
            sure("America/Argentina/Buenos_Aires")
        );
        assert_eq!(
            place("(UTC-05:00) Eastern Time (US & Canada)"),
            sure("America/New_York")
        );
        assert_eq!(
            place("Eastern Time (US & Canada)"),
            sure("America/New_York")
        );
        assert_eq!(
            place("Pacific Time (US & Canada)"),
            sure("America/Los_Angeles")
        );
        assert_eq!(place("Atlantic Time (Canada)"), sure("America/Halifax"));
        assert_eq!(place("Western/Central Europe"), sure("Europe/Berlin"));
        assert_eq!(place("Central Europe"), sure("Europe/Budapest"));
        assert_eq!(place("Central European Time"), sure("Europe/Berlin"));
        assert_eq!(place("W. Europe Daylight Time"), sure("Europe/Berlin"));
        assert_eq!(place("GMT Daylight Time"), sure("Europe/London"));
        assert_eq!(place("GMT Summer Time"), sure("Europe/London"));
        assert_eq!(place("Greenwich Mean Time"), sure("Europe/London"));
        assert_eq!(place("Romance Standard Time"), sure("Europe/Paris"));
        assert_eq!(place("(UTC) Coordinated Universal Time"), sure("Etc/UTC"));
        // A city that does not fit the offset written is not taken.
        assert_eq!(
            place("(UTC+09:00) Berlin"),
            Some(("Etc/GMT-9", Guess::OffsetOnly))
        );
        // An offset and no place: the fixed offset.
        assert_eq!(
            place("(UTC+01:00) West Central Africa"),
            Some(("Etc/GMT-1", Guess::OffsetOnly))
        );
        assert_eq!(
            place("(UTC−05:00) Nowhere"),
            Some(("Etc/GMT+5", Guess::OffsetOnly))
        );
        assert_eq!(place("(UTC+05:45) Nowhere"), None, "no whole-hour zone");
        assert_eq!(place("Mars Standard Time"), None);
        assert_eq!(place("(UTC+99:00) Amsterdam"), sure("Europe/Amsterdam"));
        for odd in [
            "",
            "(",
            "(UTC",
            "(UTC+",
            "(UTC+:)",
            "UTC+123456",
            "\u{2212}",
            "(UTC\u{2212}",
        ] {
            let _ = display_zone(odd);
        }
    }

    #[test]
    fn gaps_take_the_offset_before_and_overlaps_the_first() {
        let berlin = Zone::Named(chrono_tz::Europe::Berlin);
        let dt = |s| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        // 31 March 2024 02:30 does not exist in Berlin: read as 02:30+01:00 = 03:30+02:00.
        assert_eq!(
            berlin.at(dt("2024-03-31 02:30")).unwrap().to_rfc3339(),
            "2024-03-31T03:30:00+02:00"
        );
        // 27 October 2024 02:30 happens twice: the first, still in summer time.
        assert_eq!(
            berlin.at(dt("2024-10-27 02:30")).unwrap().to_rfc3339(),
            "2024-10-27T02:30:00+02:00"
        );
    }

    #[test]
    fn custom_zone_follows_its_yearly_rules() {
        let until = |v: &str| NaiveDate::parse_from_str(v, "%Y%m%d").ok().map(Until::Date);
        let dt = |s| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let custom = Custom {
            observances: vec![
                Observance {
                    start: dt("1601-01-01 03:00"),
                    offset_from: parse_offset("+0200").unwrap(),
                    offset_to: parse_offset("+0100").unwrap(),
                    rule: Some(parse_rule("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", until).unwrap()),
                    rdates: vec![],
                },
                Observance {
                    start: dt("1601-01-01 02:00"),
                    offset_from: parse_offset("+0100").unwrap(),
                    offset_to: parse_offset("+0200").unwrap(),
                    rule: Some(parse_rule("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", until).unwrap()),
                    rdates: vec![],
                },
            ],
        };
        let zone = Zone::Custom(Rc::new(custom));
        assert_eq!(
            zone.at(dt("2024-07-01 09:00")).unwrap().to_rfc3339(),
            "2024-07-01T09:00:00+02:00"
        );
        assert_eq!(
            zone.at(dt("2024-12-01 09:00")).unwrap().to_rfc3339(),
            "2024-12-01T09:00:00+01:00"
        );
        assert_eq!(
            zone.at(dt("2024-10-28 09:00")).unwrap().to_rfc3339(),
            "2024-10-28T09:00:00+01:00"
        );
        assert_eq!(
            zone.wall_clock(dt("2024-07-01 07:00")),
            dt("2024-07-01 09:00")
        );
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+0530").unwrap().local_minus_utc(), 19800);
        assert_eq!(parse_offset("-0800").unwrap().local_minus_utc(), -28800);
        assert_eq!(parse_offset("+013000").unwrap().local_minus_utc(), 5400);
        assert!(parse_offset("0100").is_none());
        assert!(parse_offset("+2500").is_none());
        assert!(parse_offset("+1").is_none());
        assert!(parse_offset("+ü12").is_none());
    }
}
