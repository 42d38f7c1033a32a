//! The library with no server and no terminal: the configuration as read and
//! refused (plain `http://` only to this computer, TLS by rustls alone), and
//! fuzzed input of every kind the wizard reads.

// Tests may unwrap (a failure is the report), and a scripted scenario reads
// best as one story top to bottom, so the 80-line rule is for src/ only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod channels;
mod config_hostile;
mod config_load;
mod fuzz_inputs;
mod security_config_tls;
mod sms;
