//! SMS codes, wrong-try locks and sessions.

use chrono::{DateTime, Duration, FixedOffset};

use super::notices::signature;
use super::*;

impl Sim {
    /// Sends a login code to the number's inbox (frozen accounts too).
    pub fn send_code(&mut self, carrier: CarrierId, msisdn: &str) -> Result<(), Refusal> {
        let now = self.now();
        self.account(carrier, msisdn)?;
        if let Some(last) = self.codes.get(msisdn)
            && now - last.issued_at < CODE_INTERVAL
        {
            return Err(Refusal::TooOften);
        }
        let code = format!("{:06}", rand::random_range(0..1_000_000u32));
        let text = format!(
            "{}您的验证码为{code}，5分钟内有效。请勿向任何人泄露。",
            signature(carrier)
        );
        self.deliver(msisdn, MessageKind::Code, text, Some(code.clone()), now);
        self.codes.insert(
            msisdn.to_owned(),
            CodeState {
                code,
                issued_at: now,
            },
        );
        tracing::debug!(number = %mask(msisdn), "sandbox: code sent");
        Ok(())
    }

    /// Checks the code (and the service password where the carrier asks for
    /// one) and opens a session; returns the token and when it expires.
    pub fn login(
        &mut self,
        carrier: CarrierId,
        msisdn: &str,
        code: &str,
        password: Option<&str>,
    ) -> Result<(String, DateTime<FixedOffset>), Refusal> {
        let now = self.now();
        let account = self.account(carrier, msisdn)?;
        if account.config.frozen {
            return Err(Refusal::Frozen);
        }
        let password_ok = match (&account.config.service_password, password) {
            (Some(expected), Some(given)) => expected == given,
            (Some(_), None) => false,
            (None, _) => true,
        };
        let guard = self.guards.entry(msisdn.to_owned()).or_default();
        if let Some(until) = guard.locked_until {
            if now < until {
                return Err(Refusal::Locked);
            }
            *guard = LoginGuard::default();
        }
        let code_ok = self
            .codes
            .get(msisdn)
            .is_some_and(|c| c.code == code && now - c.issued_at < CODE_VALID);
        if !(code_ok && password_ok) {
            guard.wrong_tries += 1;
            if guard.wrong_tries >= MAX_WRONG_TRIES {
                guard.locked_until = Some(now + LOCK_FOR);
                return Err(Refusal::Locked);
            }
            return Err(Refusal::WrongCode);
        }
        *guard = LoginGuard::default();
        self.codes.remove(msisdn);
        let token = hex::encode(rand::random::<[u8; 16]>());
        let expires_at = now + Duration::seconds(SESSION_SECS);
        self.sessions.insert(
            token.clone(),
            SessionRec {
                carrier,
                msisdn: msisdn.to_owned(),
                expires_at,
            },
        );
        Ok((token, expires_at))
    }

    /// The number a live session belongs to.
    pub fn authenticate(
        &mut self,
        carrier: CarrierId,
        token: Option<&str>,
    ) -> Result<String, Refusal> {
        let now = self.now();
        let session = token
            .and_then(|t| self.sessions.get(t))
            .filter(|s| s.carrier == carrier && now < s.expires_at)
            .ok_or(Refusal::Unauthorized)?;
        Ok(session.msisdn.clone())
    }

    /// The holder's name with all but the first character starred (`刘*`).
    pub fn masked_holder(&self, msisdn: &str) -> String {
        self.accounts
            .get(msisdn)
            .map(|a| {
                let mut chars = a.config.holder_name.chars();
                let first: String = chars.next().into_iter().collect();
                first + &"*".repeat(chars.count())
            })
            .unwrap_or_default()
    }
}
