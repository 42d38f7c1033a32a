//! Checking the channel files (`assets/channels/*.toml`) and turning them into
//! Rust statics.
//!
//! Shared by `build.rs`, which runs it on every build so that a broken or
//! unsafe channel file stops the build, and by the library's unit tests, which
//! run it on bad input to show that it does. One checker, so the two cannot
//! disagree. It reads no file itself (the caller passes the texts) and
//! depends on `serde`, `toml` and `thiserror` only (all build-dependencies).
//!
//! The checks are anti-scam first: every number a step tells a person to call
//! or text, and every run of five or more digits in any text, must be on the
//! official list (`assets/channels/official-numbers.toml`) — and belong to the
//! file's carrier or to MIIT. Then honesty: every step and every limit names
//! its source, the date it was checked and how reliable it is.

use std::collections::BTreeMap;

/// Why the channel files cannot be used; each message names the file, the
/// place in it and what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChannelFileError {
    /// A file is not valid TOML or does not have the expected shape
    /// (an unknown carrier, kind, channel or field lands here too).
    #[error("{file}: {reason}; fix the file and rebuild")]
    Shape {
        /// The file, as `assets/channels/<name>`.
        file: String,
        /// What the TOML reader said, with the line.
        reason: String,
    },
    /// A number or recipient is not on the official list, or belongs to
    /// another carrier.
    #[error(
        "{file}: {place} names {number}, which is not an official number of this carrier \
         (assets/channels/official-numbers.toml); a wrong number sends people to scammers — \
         use one from that list"
    )]
    NotOfficial {
        /// The file.
        file: String,
        /// Which step (e.g. `value_added.sms step 2`).
        place: String,
        /// The number as written.
        number: String,
    },
    /// A step or limit lacks its source, checked date or reliability, or a
    /// text is empty.
    #[error("{file}: {place} has no {field}; every step says where it comes from")]
    Missing {
        /// The file.
        file: String,
        /// Which step.
        place: String,
        /// The missing field.
        field: &'static str,
    },
    /// A `checked` date is not a real YYYY-MM-DD date.
    #[error("{file}: {place} has checked = {date:?}, which is not a YYYY-MM-DD date")]
    BadDate {
        /// The file.
        file: String,
        /// Which step.
        place: String,
        /// The date as written.
        date: String,
    },
    /// The files as a whole are inconsistent (a carrier missing or twice, a
    /// recommended channel without steps, a bad `same_as`).
    #[error("{file}: {reason}")]
    Inconsistent {
        /// The file.
        file: String,
        /// What is wrong.
        reason: String,
    },
}

// The file's schema, in its own file beside this one (the path is relative
// to this file, so build.rs, which includes this file by path, finds it too).
#[path = "schema.rs"]
mod schema;
use schema::OfficialFile;
pub use schema::*;

/// Everything, checked: the official list (sorted by number) and one guide
/// per carrier in `CARRIERS` order, with every `same_as` resolved.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The official numbers.
    pub official: Vec<OfficialNumber>,
    /// The carriers' guides.
    pub carriers: Vec<CarrierGuide>,
}

/// Parses and checks the official list (`official`) and the carrier files
/// (`(file name, text)`), in any order.
pub fn check(official: &str, files: &[(&str, &str)]) -> Result<Checked, ChannelFileError> {
    let official = parse_official(official)?;
    let mut by_carrier = BTreeMap::new();
    for (name, text) in files {
        let file = format!("assets/channels/{name}");
        let mut guide: CarrierGuide = toml::from_str(text).map_err(|e| shape(&file, &e))?;
        if by_carrier.contains_key(&guide.carrier) {
            return Err(inconsistent(&file, "a second file for the same carrier"));
        }
        // Steps are checked where they are written, before `same_as` copies
        // them, so an error names the place to fix.
        check_carrier(&file, &guide, &official)?;
        resolve_same_as(&file, &mut guide)?;
        check_recommended(&file, &guide)?;
        by_carrier.insert(guide.carrier, guide);
    }
    let carriers = CARRIERS
        .iter()
        .map(|c| {
            by_carrier
                .remove(c)
                .ok_or_else(|| inconsistent("assets/channels", &format!("no file for {c:?}")))
        })
        .collect::<Result<_, _>>()?;
    Ok(Checked { official, carriers })
}

const OFFICIAL_FILE: &str = "assets/channels/official-numbers.toml";

fn parse_official(text: &str) -> Result<Vec<OfficialNumber>, ChannelFileError> {
    let file: OfficialFile = toml::from_str(text).map_err(|e| shape(OFFICIAL_FILE, &e))?;
    let mut numbers = file.number;
    for n in &numbers {
        let place = format!("number {}", n.number);
        if n.number.is_empty() || !n.number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(inconsistent(
                OFFICIAL_FILE,
                &format!("{place}: a number is digits only"),
            ));
        }
        require(OFFICIAL_FILE, &place, "source", Some(&n.source))?;
        check_date(OFFICIAL_FILE, &place, Some(&n.checked))?;
        require(OFFICIAL_FILE, &place, "role", Some(&n.role.zh))?;
        require(OFFICIAL_FILE, &place, "role.en", Some(&n.role.en))?;
    }
    numbers.sort_by(|a, b| a.number.cmp(&b.number));
    if let Some(w) = numbers.windows(2).find(|w| w[0].number == w[1].number) {
        return Err(inconsistent(
            OFFICIAL_FILE,
            &format!("number {} is listed twice", w[0].number),
        ));
    }
    Ok(numbers)
}

/// Replaces each `same_as = "<kind>"` channel by a copy of that kind's
/// channel, which must itself be written out (no chains).
fn resolve_same_as(file: &str, guide: &mut CarrierGuide) -> Result<(), ChannelFileError> {
    let source = guide.clone();
    for kind in [
        &mut guide.data_pack,
        &mut guide.value_added,
        &mut guide.broadband,
        &mut guide.main_plan,
    ] {
        for (channel, ch) in kind.channels_mut() {
            let Some(target) = ch.same_as else { continue };
            if !ch.steps.is_empty() || !ch.cannot.is_empty() {
                return Err(inconsistent(
                    file,
                    &format!("{channel:?} has same_as = {target:?} and steps of its own"),
                ));
            }
            let copy = source
                .kind(target)
                .channels()
                .into_iter()
                .find(|(c, _)| *c == channel)
                .map(|(_, g)| g.clone())
                .unwrap_or_default();
            if copy.same_as.is_some() {
                return Err(inconsistent(
                    file,
                    &format!("{channel:?} same_as {target:?}, which is itself a same_as"),
                ));
            }
            *ch = copy;
        }
    }
    Ok(())
}

fn check_carrier(
    file: &str,
    guide: &CarrierGuide,
    official: &[OfficialNumber],
) -> Result<(), ChannelFileError> {
    let owner = match guide.carrier {
        Carrier::ChinaMobile => Owner::ChinaMobile,
        Carrier::ChinaUnicom => Owner::ChinaUnicom,
        Carrier::ChinaTelecom => Owner::ChinaTelecom,
    };
    let allowed = |number: &str| {
        official
            .iter()
            .any(|n| n.number == number && (n.owner == owner || n.owner == Owner::Miit))
    };
    for (kind, k) in guide.kinds() {
        let place = snake(&format!("{kind:?}"));
        require(file, &place, "reason", Some(&k.reason.zh))?;
        require(file, &place, "reason.en", Some(&k.reason.en))?;
        let reason = [&k.reason.zh, &k.reason.en];
        check_digits(file, &format!("{place}.reason"), reason, &allowed)?;
        for (channel, ch) in k.channels() {
            let place = format!("{place}.{}", snake(&format!("{channel:?}")));
            check_channel(file, &place, ch, &allowed)?;
        }
    }
    Ok(())
}

/// The recommended channel of every kind has at least one step (after
/// `same_as` is resolved), so the guided flow always has something to show.
fn check_recommended(file: &str, guide: &CarrierGuide) -> Result<(), ChannelFileError> {
    for (kind, k) in guide.kinds() {
        let empty = k
            .channels()
            .iter()
            .any(|(c, ch)| *c == k.recommended && ch.steps.is_empty());
        if empty {
            let place = format!(
                "{}.{}",
                snake(&format!("{kind:?}")),
                snake(&format!("{:?}", k.recommended))
            );
            return Err(inconsistent(
                file,
                &format!("{place} is recommended but has no steps"),
            ));
        }
    }
    Ok(())
}

fn check_channel(
    file: &str,
    place: &str,
    ch: &ChannelGuide,
    allowed: &dyn Fn(&str) -> bool,
) -> Result<(), ChannelFileError> {
    for (i, step) in ch.steps.iter().enumerate() {
        let place = format!("{place} step {}", i + 1);
        check_step(file, &place, step, allowed)?;
        for (j, alt) in step.alternatives.iter().enumerate() {
            let place = format!("{place} alternative {}", j + 1);
            if !alt.alternatives.is_empty() {
                return Err(inconsistent(
                    file,
                    &format!("{place} has alternatives of its own"),
                ));
            }
            check_step(file, &place, alt, allowed)?;
        }
    }
    for (i, limit) in ch.cannot.iter().enumerate() {
        let place = format!("{place} cannot {}", i + 1);
        check_step(file, &place, limit, allowed)?;
        let extra = limit.number.is_some()
            || limit.command.is_some()
            || limit.note.is_some()
            || !limit.alternatives.is_empty();
        if extra {
            return Err(inconsistent(
                file,
                &format!("{place}: a limit has only zh, en, source, checked and reliability"),
            ));
        }
    }
    Ok(())
}

fn check_step(
    file: &str,
    place: &str,
    step: &Step,
    allowed: &dyn Fn(&str) -> bool,
) -> Result<(), ChannelFileError> {
    require(file, place, "zh text", Some(&step.zh))?;
    require(file, place, "en text", Some(&step.en))?;
    require(file, place, "source", step.source.as_ref())?;
    check_date(file, place, step.checked.as_ref())?;
    if step.reliability.is_none() {
        return Err(ChannelFileError::Missing {
            file: file.to_owned(),
            place: place.to_owned(),
            field: "reliability",
        });
    }
    let note = step.note.as_ref();
    let texts = [
        Some(&step.zh),
        Some(&step.en),
        note.map(|n| &n.zh),
        note.map(|n| &n.en),
    ];
    check_digits(file, place, texts.into_iter().flatten(), allowed)?;
    if let Some(number) = &step.number {
        if !allowed(number) {
            return Err(not_official(file, place, number));
        }
    }
    if let Some(command) = &step.command {
        require(file, place, "command text", Some(command))?;
        check_digits(file, &format!("{place} command"), [command], allowed)?;
    }
    Ok(())
}

fn require(
    file: &str,
    place: &str,
    field: &'static str,
    value: Option<&String>,
) -> Result<(), ChannelFileError> {
    match value {
        Some(v) if !v.trim().is_empty() => Ok(()),
        _ => Err(ChannelFileError::Missing {
            file: file.to_owned(),
            place: place.to_owned(),
            field,
        }),
    }
}

/// Every run of five or more digits in a text must be an allowed number:
/// a number written into prose reaches the person as surely as `number`.
/// (Four digits are commands such as `0000`; dates have at most four.)
fn check_digits<'a>(
    file: &str,
    place: &str,
    texts: impl IntoIterator<Item = &'a String>,
    allowed: &dyn Fn(&str) -> bool,
) -> Result<(), ChannelFileError> {
    for s in texts {
        for run in s.split(|c: char| !c.is_ascii_digit()) {
            if run.len() >= 5 && !allowed(run) {
                return Err(not_official(file, place, run));
            }
        }
    }
    Ok(())
}

/// Whether `date` is a real calendar date written YYYY-MM-DD.
pub fn is_date(date: &str) -> bool {
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn check_date(file: &str, place: &str, date: Option<&String>) -> Result<(), ChannelFileError> {
    require(file, place, "checked date", date)?;
    match date {
        Some(d) if is_date(d) => Ok(()),
        other => Err(ChannelFileError::BadDate {
            file: file.to_owned(),
            place: place.to_owned(),
            date: other.cloned().unwrap_or_default(),
        }),
    }
}

fn shape(file: &str, e: &toml::de::Error) -> ChannelFileError {
    ChannelFileError::Shape {
        file: file.to_owned(),
        reason: e.to_string().trim().replace('\n', " "),
    }
}

fn inconsistent(file: &str, reason: &str) -> ChannelFileError {
    ChannelFileError::Inconsistent {
        file: file.to_owned(),
        reason: reason.to_owned(),
    }
}

fn not_official(file: &str, place: &str, number: &str) -> ChannelFileError {
    ChannelFileError::NotOfficial {
        file: file.to_owned(),
        place: place.to_owned(),
        number: number.to_owned(),
    }
}

/// `ValueAdded` → `value_added`, as the files spell it.
fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}
