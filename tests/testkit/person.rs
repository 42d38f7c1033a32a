//! A person at the keyboard: looks at the English screen, decides what to do
//! next the way someone following the wizard would, and types it. Used to
//! drive whole flows — including resumed ones — without scripting every key.

use std::time::{Duration, Instant};

use super::pty::Pty;
use super::pty::keys::{DOWN, ENTER, TAB};

/// Who is cancelling, and how they pay.
#[derive(Debug, Clone, Copy)]
pub struct Person {
    pub number: &'static str,
    pub name: &'static str,
    pub id: &'static str,
    pub password: Option<&'static str>,
    pub pays: Paying,
    /// Where this person's phone is when the wizard has no sandbox phone
    /// panel (a carrier at another address): that sandbox's base URL.
    pub phone: Option<&'static str>,
}

/// The payment method the person picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paying {
    Balance,
    Card(&'static str),
    Alipay,
}

/// Which of the six steps the header marks as current (●N), if any.
pub fn current_step(screen: &str) -> Option<u8> {
    let header = screen.lines().nth(1)?;
    let at = header.find('●')?;
    header[at + '●'.len_utf8()..]
        .chars()
        .next()?
        .to_digit(10)
        .map(|d| d as u8)
}

/// The newest 6-digit code in a screen region, ignoring `seen`.
pub fn code_in(region: &str, seen: &[String]) -> Option<String> {
    let mut found = None;
    for line in region.lines() {
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_ascii_digit() {
                let start = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                let run: String = chars[start..i].iter().collect();
                if run.len() == 6 && !seen.contains(&run) {
                    found = Some(run);
                }
            } else {
                i += 1;
            }
        }
    }
    found
}

impl Person {
    /// Acts on what the screen shows until `done` says stop (checked before
    /// each action), or panics with the screen after `timeout`.
    pub fn drive(&self, pty: &mut Pty, timeout: Duration, done: impl Fn(&str) -> bool) -> String {
        self.drive_with_codes(pty, timeout, done).0
    }

    /// Like [`Person::drive`], also returning every SMS code typed.
    pub fn drive_with_codes(
        &self,
        pty: &mut Pty,
        timeout: Duration,
        done: impl Fn(&str) -> bool,
    ) -> (String, Vec<String>) {
        let deadline = Instant::now() + timeout;
        let mut codes_used: Vec<String> = Vec::new();
        let mut last_action = String::new();
        loop {
            // A spinner never settles; a second is enough to read the screen.
            let screen = pty.wait_stable(Duration::from_millis(200), Duration::from_secs(1));
            if done(&screen) {
                return (screen, codes_used);
            }
            assert!(
                Instant::now() < deadline,
                "stuck after {last_action:?}; the screen:\n{screen}"
            );
            let action = self.next_action(pty, &screen, &codes_used);
            match action {
                Some(Act::Type(keys, note)) => {
                    if let Some(code) = note {
                        codes_used.push(code);
                    }
                    last_action = keys.clone();
                    pty.send(&keys);
                    // On a busy machine the wizard may not redraw within the
                    // quiet time; acting on the old screen again would type the
                    // same keys into the next field (the number into the SMS
                    // code). So wait, bounded, until the screen reacts.
                    let until = Instant::now() + Duration::from_secs(5);
                    while pty.screen() == screen && Instant::now() < until {
                        std::thread::sleep(Duration::from_millis(50));
                    }
                }
                None => std::thread::sleep(Duration::from_millis(200)),
            }
        }
    }

    fn next_action(&self, pty: &Pty, screen: &str, codes_used: &[String]) -> Option<Act> {
        // The footer may wrap to a second line when its keys do not fit.
        let lines: Vec<&str> = screen.lines().collect();
        let footer = lines[lines.len().saturating_sub(2)..].join(" ");
        let footer = footer.as_str();
        if screen.contains("An unfinished cancellation") {
            return Some(Act::Type("y".into(), None));
        }
        // A follow-up of an earlier case (the sandbox's dates are in the
        // past of the real clock): left for later.
        if screen.contains("A follow-up is due") {
            return Some(Act::Type(crate::testkit::pty::keys::ESC.into(), None));
        }
        match current_step(screen)? {
            1 => {
                if screen.contains("11 digits") {
                    return Some(Act::Type(format!("{}{ENTER}", self.number), None));
                }
                if footer.contains("send code") {
                    // Wait out the 60 s code cooldown if the screen asks to.
                    if screen.contains("can be requested in") && !screen.contains("in 0 s") {
                        return None;
                    }
                    return Some(Act::Type(ENTER.into(), None));
                }
                if footer.contains("log in") {
                    let code = match self.phone {
                        Some(url) => code_in(&read_phone(url, self.number), codes_used)?,
                        None => code_in(&pty.region(50, 30), codes_used)?,
                    };
                    let mut keys = code.clone();
                    if let Some(password) = self.password {
                        keys.push_str(TAB);
                        keys.push_str(password);
                    }
                    keys.push_str(ENTER);
                    return Some(Act::Type(keys, Some(code)));
                }
                None
            }
            2 => footer
                .contains("Enter")
                .then(|| Act::Type(ENTER.into(), None)),
            3 => {
                if footer.contains("keep cancelling") {
                    return Some(Act::Type("n".into(), None));
                }
                if screen.contains("nothing is sent before you confirm") {
                    return Some(Act::Type(ENTER.into(), None));
                }
                if screen.contains("as on the ID") {
                    // An empty form (its placeholder shows): fill it in.
                    return Some(Act::Type(
                        format!("{}{TAB}{}{ENTER}", self.name, self.id),
                        None,
                    ));
                }
                screen
                    .contains("All filled in")
                    .then(|| Act::Type(ENTER.into(), None))
            }
            4 => {
                if !screen.contains("Due:")
                    || screen.contains("Waiting for payment")
                    || screen.contains("waiting for payment")
                {
                    return None;
                }
                if screen.contains("from the account balance?") {
                    // The balance asks once before paying (issue 13 item 25).
                    return Some(Act::Type("y".into(), None));
                }
                match self.pays {
                    Paying::Balance => Some(Act::Type(ENTER.into(), None)),
                    Paying::Card(card) => Some(Act::Type(format!("{TAB}{card}{ENTER}"), None)),
                    Paying::Alipay => {
                        if screen.contains("scan") && footer.contains("pay") {
                            Some(Act::Type(format!("{DOWN}{ENTER}"), None))
                        } else {
                            None
                        }
                    }
                }
            }
            _ => None,
        }
    }
}

/// The SMS inbox of a sandbox at `url`, as text (one message a line).
fn read_phone(url: &str, number: &str) -> String {
    let out = std::process::Command::new("curl")
        .args(["-sf", &format!("{url}/sandbox/inbox/{number}")])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    // One code per message text; `code_in` takes the newest unused one.
    out.split("\"text\"").collect::<Vec<_>>().join("\n")
}

enum Act {
    /// Keys to type, and the SMS code they contain (so it is not used twice).
    Type(String, Option<String>),
}
