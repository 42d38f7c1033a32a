//! The library with no server and no terminal: the configuration as read and
//! refused (plain `http://` only to this computer, TLS by rustls alone), and
//! fuzzed input of every kind the wizard reads.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod config_hostile;
mod config_load;
mod fuzz_inputs;
mod security_config_tls;
