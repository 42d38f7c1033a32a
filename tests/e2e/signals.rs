//! Issue 13 item 20: every catchable signal that would end the wizard gives
//! the terminal back (alternate screen off, cooked mode with echo) and keeps
//! the journal — not only SIGTERM and SIGHUP (`terminal_faults`).

use super::terminal_faults::signal_mid_call;

#[test]
fn sigint_mid_call_restores_the_terminal_and_keeps_the_journal() {
    signal_mid_call("INT");
}

#[test]
fn sigquit_mid_call_restores_the_terminal_and_keeps_the_journal() {
    signal_mid_call("QUIT");
}

#[test]
fn sigusr1_mid_call_restores_the_terminal_and_keeps_the_journal() {
    signal_mid_call("USR1");
}

#[test]
fn sigusr2_mid_call_restores_the_terminal_and_keeps_the_journal() {
    signal_mid_call("USR2");
}

#[test]
fn sigalrm_mid_call_restores_the_terminal_and_keeps_the_journal() {
    signal_mid_call("ALRM");
}
