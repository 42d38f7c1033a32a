//! Fault rules (`POST /sandbox/faults`): which calls misbehave, and how.
//!
//! A rule matches a call by route (an optional leading verb, then the end of
//! the path segment by segment with `{…}`/`*` wildcards, or a Telecom RPC
//! method), optionally narrowed to one RPC method; it fires on matching calls
//! `nth … nth+times−1` (`times = 0`: every call from `nth` on), each with
//! `probability` drawn from a seeded generator so runs are reproducible.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// How a call misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FaultKind {
    /// Answer HTTP 500 without doing anything.
    #[serde(rename = "http_500")]
    Http500,
    /// Answer HTTP 429 with `Retry-After: retryAfter`, without doing anything.
    #[serde(rename = "http_429")]
    Http429,
    /// Close the connection without any response, without doing anything.
    #[serde(rename = "reset")]
    Reset,
    /// Do the call, then close the connection without any response.
    #[serde(rename = "commit_then_reset")]
    CommitThenReset,
    /// Wait `delayMs`, then answer normally.
    #[serde(rename = "delay_ms")]
    DelayMs,
    /// Do the call, then answer 200 with the body truncated and garbled.
    #[serde(rename = "malformed_body")]
    MalformedBody,
    /// Answer with the dialect's busy code, without doing anything.
    #[serde(rename = "busy")]
    Busy,
}

/// One fault rule, as posted.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FaultRule {
    /// `"POST /cmcc/v2/cancel/orders"`, `"/cancel/orders/{id}/payments"`,
    /// `"cancelPay"`, `"cancel.submit"` or `"*"`.
    pub route: String,
    /// Narrows the rule to one Telecom RPC method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rpc: Option<String>,
    /// What happens.
    pub kind: FaultKind,
    /// The first matching call that misbehaves (1-based).
    #[serde(default = "one")]
    pub nth: u64,
    /// How many matching calls misbehave; 0 = every one from `nth` on.
    #[serde(default = "one")]
    pub times: u64,
    /// Chance that a call inside the window misbehaves (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// `Retry-After` seconds for `http_429` (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u32>,
    /// Delay for `delay_ms` (default 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// Seed for this rule's `probability` draws (default: the world's seed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

fn one() -> u64 {
    1
}

/// What a firing rule makes the server do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaultAction {
    /// What happens.
    pub kind: FaultKind,
    /// For `http_429`.
    pub retry_after: u32,
    /// For `delay_ms`.
    pub delay_ms: u64,
}

/// The call a rule is matched against.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    /// HTTP verb.
    pub verb: &'a str,
    /// Request path.
    pub path: &'a str,
    /// Telecom RPC method, for `/ctcc/rpc`.
    pub rpc: Option<&'a str>,
}

#[derive(Debug)]
struct Installed {
    rule: FaultRule,
    matched: u64,
    fired: u64,
    rng: StdRng,
}

/// The installed rules and their counters.
#[derive(Debug)]
pub struct Faults {
    seed: u64,
    rules: Vec<Installed>,
}

const VERBS: [&str; 7] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

impl Faults {
    /// No rules; probabilities drawn from `seed`.
    pub fn new(seed: u64) -> Faults {
        Faults {
            seed,
            rules: Vec::new(),
        }
    }

    /// Parses a posted body: one rule, a list, or `{"rules": [...]}`.
    pub fn parse(body: Value) -> Result<Vec<FaultRule>, String> {
        let list = match body {
            Value::Array(items) => items,
            Value::Object(mut map) if map.contains_key("rules") && !map.contains_key("route") => {
                match map.remove("rules") {
                    Some(Value::Array(items)) => items,
                    _ => return Err("`rules` must be a list of fault rules".into()),
                }
            }
            other => vec![other],
        };
        list.into_iter()
            .enumerate()
            .map(|(i, item)| {
                let rule: FaultRule =
                    serde_json::from_value(item).map_err(|e| format!("rule {}: {e}", i + 1))?;
                check(&rule).map_err(|e| format!("rule {}: {e}", i + 1))?;
                Ok(rule)
            })
            .collect()
    }

    /// Adds rules after those already installed.
    pub fn install(&mut self, rules: Vec<FaultRule>) {
        for rule in rules {
            let seed = rule
                .seed
                .unwrap_or(self.seed ^ (self.rules.len() as u64).wrapping_mul(0x9E37_79B9));
            self.rules.push(Installed {
                rule,
                matched: 0,
                fired: 0,
                rng: StdRng::seed_from_u64(seed),
            });
        }
    }

    /// Removes every rule.
    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// The rules with how often each matched and fired.
    pub fn list(&self) -> Value {
        let rules: Vec<Value> = self
            .rules
            .iter()
            .map(|r| {
                let mut v = serde_json::to_value(&r.rule).unwrap_or(Value::Null);
                if let Value::Object(map) = &mut v {
                    map.insert("matched".into(), json!(r.matched));
                    map.insert("fired".into(), json!(r.fired));
                }
                v
            })
            .collect();
        json!({ "rules": rules })
    }

    /// Counts the call against every matching rule; the first that fires
    /// decides what happens.
    pub fn decide(&mut self, call: Call<'_>) -> Option<FaultAction> {
        let mut action = None;
        for installed in &mut self.rules {
            if !matches(&installed.rule, call) {
                continue;
            }
            installed.matched += 1;
            let rule = &installed.rule;
            let n = installed.matched;
            let in_window = n >= rule.nth && (rule.times == 0 || n < rule.nth + rule.times);
            if !in_window || action.is_some() {
                continue;
            }
            let lucky = match rule.probability {
                Some(p) => installed.rng.random::<f64>() < p,
                None => true,
            };
            if lucky {
                installed.fired += 1;
                action = Some(FaultAction {
                    kind: rule.kind,
                    retry_after: rule.retry_after.unwrap_or(1),
                    delay_ms: rule.delay_ms.unwrap_or(1000),
                });
            }
        }
        action
    }
}

fn check(rule: &FaultRule) -> Result<(), String> {
    let route = rule.route.trim();
    if route.is_empty() {
        return Err("`route` is empty; expected e.g. \"POST /cmcc/v2/cancel/orders\", \"cancelPay\", \"cancel.submit\" or \"*\"".into());
    }
    if let Some((verb, _)) = route.split_once(' ')
        && !VERBS.contains(&verb.to_ascii_uppercase().as_str())
    {
        return Err(format!(
            "`route` starts with {verb:?}, which is not an HTTP verb; expected one of {VERBS:?} or just a path"
        ));
    }
    if rule.nth == 0 {
        return Err("`nth` is 0; calls are counted from 1".into());
    }
    if let Some(p) = rule.probability
        && !(0.0..=1.0).contains(&p)
    {
        return Err(format!(
            "`probability` is {p}; expected a number from 0 to 1"
        ));
    }
    Ok(())
}

/// Whether a rule's route (and `rpc`) match a call.
pub fn matches(rule: &FaultRule, call: Call<'_>) -> bool {
    if let Some(rpc) = &rule.rpc
        && call.rpc != Some(rpc.as_str())
    {
        return false;
    }
    let route = rule.route.trim();
    if route == "*" || call.rpc == Some(route) {
        return true;
    }
    let pattern = match route.split_once(' ') {
        Some((verb, rest)) => {
            if !verb.eq_ignore_ascii_case(call.verb) {
                return false;
            }
            rest.trim()
        }
        None => route,
    };
    let wanted: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
    let have: Vec<&str> = call.path.split('/').filter(|s| !s.is_empty()).collect();
    if wanted.len() > have.len() {
        return false;
    }
    have[have.len() - wanted.len()..]
        .iter()
        .zip(&wanted)
        .all(|(seg, want)| {
            *want == "*" || (want.starts_with('{') && want.ends_with('}')) || seg == want
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(route: &str) -> FaultRule {
        Faults::parse(json!({"route": route, "kind": "http_500"}))
            .unwrap()
            .remove(0)
    }

    fn call<'a>(verb: &'a str, path: &'a str, rpc: Option<&'a str>) -> Call<'a> {
        Call { verb, path, rpc }
    }

    #[test]
    fn routes_match_by_verb_and_path_suffix() {
        let orders = call("POST", "/cmcc/v2/cancel/orders", None);
        let pay = call("POST", "/cmcc/v2/cancel/orders/OD1/payments", None);
        assert!(matches(&rule("POST /cmcc/v2/cancel/orders"), orders));
        assert!(!matches(&rule("GET /cmcc/v2/cancel/orders"), orders));
        assert!(!matches(&rule("POST /cmcc/v2/cancel/orders"), pay));
        assert!(matches(&rule("/cancel/orders/{orderId}/payments"), pay));
        assert!(matches(&rule("/cancel/orders/*/payments"), pay));
        assert!(matches(
            &rule("cancelPay"),
            call("POST", "/cucc/mall/cancelPay", None)
        ));
        assert!(!matches(
            &rule("cancelPay"),
            call("POST", "/cucc/mall/cancelSubmit", None)
        ));
        let rpc = call("POST", "/ctcc/rpc", Some("cancel.submit"));
        assert!(matches(&rule("cancel.submit"), rpc));
        assert!(!matches(&rule("cancel.pay"), rpc));
        assert!(matches(&rule("*"), pay));
    }

    #[test]
    fn rpc_narrows_a_rule() {
        let mut r = rule("/ctcc/rpc");
        r.rpc = Some("cancel.pay".into());
        assert!(matches(&r, call("POST", "/ctcc/rpc", Some("cancel.pay"))));
        assert!(!matches(
            &r,
            call("POST", "/ctcc/rpc", Some("cancel.submit"))
        ));
    }

    #[test]
    fn fires_on_the_window_only() {
        let mut faults = Faults::new(1);
        faults.install(
            Faults::parse(json!({"route": "*", "kind": "busy", "nth": 2, "times": 2})).unwrap(),
        );
        let c = call("GET", "/x", None);
        let fired: Vec<bool> = (0..5).map(|_| faults.decide(c).is_some()).collect();
        assert_eq!(fired, [false, true, true, false, false]);
    }

    #[test]
    fn times_zero_fires_forever() {
        let mut faults = Faults::new(1);
        faults.install(
            Faults::parse(json!({"route": "*", "kind": "busy", "nth": 3, "times": 0})).unwrap(),
        );
        let c = call("GET", "/x", None);
        let fired: Vec<bool> = (0..6).map(|_| faults.decide(c).is_some()).collect();
        assert_eq!(fired, [false, false, true, true, true, true]);
    }

    #[test]
    fn probability_is_reproducible_with_a_seed() {
        let draw = || {
            let mut faults = Faults::new(7);
            faults.install(
                Faults::parse(
                    json!({"route": "*", "kind": "busy", "times": 0, "probability": 0.5}),
                )
                .unwrap(),
            );
            (0..64)
                .map(|_| faults.decide(call("GET", "/x", None)).is_some())
                .collect::<Vec<_>>()
        };
        let first = draw();
        assert_eq!(first, draw());
        assert!(first.iter().any(|f| *f) && first.iter().any(|f| !*f));
    }

    #[test]
    fn bad_rules_are_explained() {
        let err = Faults::parse(json!({"route": "*", "kind": "explode"})).unwrap_err();
        assert!(err.contains("explode"), "{err}");
        let err =
            Faults::parse(json!({"route": "*", "kind": "busy", "probability": 2.0})).unwrap_err();
        assert!(err.contains("probability"), "{err}");
        let err = Faults::parse(json!({"route": "FETCH /x", "kind": "busy"})).unwrap_err();
        assert!(err.contains("HTTP verb"), "{err}");
        let err = Faults::parse(json!({"route": "*", "kind": "busy", "colour": 1})).unwrap_err();
        assert!(err.contains("colour"), "{err}");
        assert_eq!(
            Faults::parse(
                json!({"rules": [{"route": "*", "kind": "reset"}, {"route": "x", "kind": "busy"}]})
            )
            .unwrap()
            .len(),
            2
        );
        assert_eq!(
            Faults::parse(json!([{"route": "*", "kind": "reset"}]))
                .unwrap()
                .len(),
            1
        );
    }
}
