//! The functional core: decides, never does. No IO, no async, no clock reads
//! (time is a parameter), nothing from terminals or HTTP.

pub mod channels;
pub mod date_cost;
pub mod error;
pub mod fees;
pub mod flow;
pub mod followup;
pub mod lang;
pub mod mask;
pub mod model;
pub mod receipt;
pub mod secret;
pub mod sms;
pub mod time;
pub mod validate;
