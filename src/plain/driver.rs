//! The line dialogue's loop: print the step, ask, apply the answer through
//! the one [`Runner`], run the calls it returned until none is pending.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::answer::{Answer, answer};
use super::form::{Form, Question, question};
use super::input::Input;
use super::words::{t, tr};
use super::{EXIT_BLOCKED, EXIT_DONE, EXIT_IN_PROGRESS, render};
use crate::core::flow::{Call, Event, Mode, State, Step};
use crate::shell::link::{Link, now_with, read_inbox, sandbox_client};
use crate::shell::runner::{Runner, flow_id};
use crate::text::sanitize;
use crate::ui::Lang;

/// The dialogue while it runs.
pub(super) struct Plain<W: Write> {
    pub state: State,
    pub form: Form,
    pub runner: Runner,
    pub lang: Lang,
    pub out: W,
    pub input: Input,
    shown: Vec<String>,
    phone_seen: usize,
    phone: Vec<crate::ui::PhoneMessage>,
    await_prompted: bool,
}

impl<W: Write> Plain<W> {
    pub fn new(
        state: State,
        link: Arc<Link>,
        store: crate::shell::runner::Store,
        lang: Lang,
        out: W,
    ) -> Self {
        let runner = Runner::new(link, Some(store), flow_id(&state));
        Plain {
            state,
            form: Form::default(),
            runner,
            lang,
            out,
            input: Input::stdin(),
            shown: Vec::new(),
            phone_seen: 0,
            phone: Vec::new(),
            await_prompted: false,
        }
    }

    /// Prints one line (sanitised: nothing here may carry an escape byte).
    pub fn say(&mut self, line: &str) {
        let _ = writeln!(self.out, "{}", sanitize(line));
        let _ = self.out.flush();
    }

    fn now(&self) -> DateTime<Utc> {
        let sandbox = match (self.state.mode, self.state.carrier()) {
            (Mode::Api, Some(carrier)) => self.runner.link().sandbox(carrier),
            _ => None,
        };
        now_with(sandbox.map(|s| s.clock_offset))
    }

    /// The current step's lines.
    fn lines(&self) -> Vec<String> {
        let today = crate::core::flow::guided::china_date(self.now());
        render::lines(&self.state, &self.form, self.lang, today)
    }

    /// Prints the step's lines that are new since the last print.
    fn show(&mut self) {
        let lines = self.lines();
        let same_step = self.shown.first() == lines.first();
        let new: Vec<String> = lines
            .iter()
            .filter(|l| !same_step || !self.shown.contains(l))
            .cloned()
            .collect();
        for line in new {
            self.say(&line);
        }
        self.shown = lines;
    }

    /// Steps the core; the calls to make come back.
    fn apply(&mut self, event: Event) -> Vec<Call> {
        match self.runner.apply(&self.state, event, self.now()) {
            Ok(applied) => {
                self.state = applied.state;
                if let Some(cause) = applied.withheld {
                    self.say(&cause.to_string());
                }
                for failure in applied.failures {
                    self.say(&failure.to_string());
                }
                applied.calls
            }
            Err(refused) => {
                if let Some(words) = crate::ui::refusal(self.lang, &refused) {
                    self.say(&words);
                }
                Vec::new()
            }
        }
    }

    /// Applies `event` and runs every call that follows, printing as the
    /// state changes. `Some(code)` when the dialogue must end.
    pub async fn step(&mut self, event: Event) -> Option<u8> {
        let calls = self.apply(event);
        self.follow(calls).await
    }

    /// Prints the state, then runs `calls` and every call that follows.
    async fn follow(&mut self, calls: Vec<Call>) -> Option<u8> {
        let mut calls: VecDeque<Call> = calls.into();
        self.show();
        while let Some(call) = calls.pop_front() {
            let awaiting = matches!(self.state.step, Step::Await { .. });
            if awaiting && !self.await_prompted {
                self.await_prompted = true;
                let prompt = super::words::prompt(Question::Await, &self.state, self.lang);
                self.say(&prompt);
            }
            let done = self.runner.execute(call.clone());
            let event = if awaiting && !self.input.ended() {
                tokio::select! {
                    done = done => self.runner.accept(done),
                    line = self.input.line() => match self.while_awaiting(line) {
                        Ok(Some(event)) => event,
                        Ok(None) => {
                            calls.push_front(call);
                            continue;
                        }
                        Err(code) => return Some(code),
                    },
                }
            } else {
                let done = done.await;
                self.runner.accept(done)
            };
            calls.extend(self.apply(event));
            self.show();
            self.phone().await;
        }
        None
    }

    /// A line typed while the order is followed: an event, nothing, or the end.
    fn while_awaiting(&mut self, line: Option<String>) -> Result<Option<Event>, u8> {
        let Some(line) = line else {
            return Ok(None);
        };
        match answer(
            &self.state,
            &mut self.form,
            Question::Await,
            &line,
            self.lang,
        ) {
            Answer::Apply(event) => Ok(Some(event)),
            Answer::Quit => Err(self.stop()),
            Answer::Expected(words) => {
                self.say(&words);
                Ok(None)
            }
            _ => Ok(None),
        }
    }

    /// The sandbox phone's new texts (the codes the sandbox "sends").
    async fn phone(&mut self) {
        if self.state.mode != Mode::Api
            || !matches!(
                self.state.step,
                Step::Login {
                    code_sent_at: Some(_),
                    ..
                }
            )
        {
            return;
        }
        let (Some(carrier), Some(msisdn)) = (self.state.carrier(), self.state.facts.msisdn())
        else {
            return;
        };
        let Some(base) = self.runner.link().sandbox(carrier).map(|s| s.base.clone()) else {
            return;
        };
        let Some(client) = sandbox_client() else {
            return;
        };
        if let Some(messages) = read_inbox(&client, &base, msisdn.as_str()).await {
            let new: Vec<String> = messages
                .iter()
                .skip(self.phone_seen)
                .map(|m| m.text.clone())
                .collect();
            self.phone_seen = messages.len();
            self.phone = messages;
            for text in new {
                let line = tr(self.lang, "plain.phone", &[("text", sanitize(&text))]);
                self.say(&line);
            }
        }
    }

    /// The last code the sandbox phone received.
    pub fn code_from_phone(&self) -> Option<String> {
        let last = self.phone.iter().rev().find(|m| m.is_code)?;
        let digits: String = last
            .text
            .split(|c: char| !c.is_ascii_digit())
            .find(|run| run.len() == 6)?
            .to_owned();
        Some(digits)
    }

    /// Stops before the end: the journal keeps the case.
    pub fn stop(&mut self) -> u8 {
        let words = t(self.lang, "plain.journalled");
        self.say(&words);
        EXIT_IN_PROGRESS
    }

    /// The exit code of a flow that has ended.
    pub fn finished(&mut self) -> u8 {
        match &self.state.step {
            Step::Blocked { .. } => EXIT_BLOCKED,
            _ => EXIT_DONE,
        }
    }

    /// One question asked and answered; `Some(code)` at the end.
    pub async fn ask(&mut self) -> Option<u8> {
        self.show();
        let question = question(&self.state, &self.form);
        match question {
            Question::Done => return Some(self.finished()),
            Question::Wait => return Some(self.stop()),
            _ => {}
        }
        let prompt = super::words::prompt(question, &self.state, self.lang);
        self.say(&prompt);
        let line = {
            let _quiet = question.is_secret().then(|| self.input.no_echo());
            self.input.line().await
        };
        if question.is_secret() && self.input.tty {
            self.say("");
        }
        let Some(line) = line else {
            return Some(self.stop());
        };
        self.answer(question, &line).await
    }

    async fn answer(&mut self, question: Question, line: &str) -> Option<u8> {
        match answer(&self.state, &mut self.form, question, line, self.lang) {
            Answer::Apply(event) => self.step(event).await,
            Answer::Noted => None,
            Answer::Quit => Some(self.stop()),
            Answer::Expected(words) => {
                self.say(&words);
                None
            }
            Answer::CodeFromPhone => {
                let code = self
                    .code_from_phone()
                    .and_then(|c| crate::core::validate::sms_code(&c).ok());
                let Some(code) = code else {
                    let words = t(self.lang, "plain.no_phone_code");
                    self.say(&words);
                    return None;
                };
                let password = self.form.password.take();
                self.step(Event::Login { code, password }).await
            }
            Answer::Paste { from } => {
                let text = self.paste().await;
                let before = self.state.facts.guided.as_ref().map(|c| c.messages.len());
                let calls = self.apply(Event::PasteSms { text, from });
                let after = self.state.facts.guided.as_ref().map(|c| c.messages.len());
                self.said_of_paste(before != after);
                self.follow(calls).await
            }
        }
    }

    /// What a pasted text meant, said once after it; a login code is
    /// dropped by the core (`kept` is false), and the words say so.
    fn said_of_paste(&mut self, kept: bool) {
        use crate::core::flow::guided::Verdict;
        let verdict = self.state.facts.guided.as_ref().and_then(|c| c.verdict);
        if kept || verdict == Some(Verdict::LoginCode) {
            // Unless the step's own lines say it.
            if let Some(words) = super::guided::verdict(&self.state, self.lang)
                && !self.lines().contains(&words)
            {
                self.say(&words);
            }
        }
    }

    /// A pasted text: lines up to an empty line or the end of input.
    async fn paste(&mut self) -> String {
        let words = t(self.lang, "plain.paste");
        self.say(&words);
        let mut lines = Vec::new();
        while let Some(line) = self.input.line().await {
            if line.trim().is_empty() {
                break;
            }
            lines.push(line);
        }
        lines.join("\n")
    }
}
