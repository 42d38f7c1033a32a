//! Guided step 1, identify (screen `ui/screens/guided/identify.rs`): the
//! number, the carrier the person confirms (numbers move between carriers),
//! the kind of package and the channel to act through. No code and no
//! password: in guided mode those belong to the carrier alone.

use chrono::{DateTime, Utc};

use super::case::GuidedCase;
use crate::core::channels::{self, Channel, Kind as PackageKind};
use crate::core::flow::messages::StepError;
use crate::core::flow::shared::{Applied, Handled, Turn};
use crate::core::flow::state::{Line, State, Step};
use crate::core::model::KeySeed;
use crate::core::receipt::ReceiptEvent;
use crate::core::time::china_date;

/// The case's own number: `G`, the day it began (China time) and six hex
/// digits of its random seed — unique enough per person, a valid order id
/// (`[A-Za-z0-9_-]`), and readable aloud.
pub fn case_id(seed: &KeySeed, started: DateTime<Utc>) -> String {
    format!(
        "G{}-{}",
        china_date(started).format("%Y%m%d"),
        hex::encode_upper(&seed.0[..3])
    )
}

/// Takes the person's line, package kind and channel; on to the package.
pub(super) fn identify(
    s: &mut State,
    line: Line,
    kind: PackageKind,
    channel: Channel,
    t: &mut Turn,
) -> Applied {
    let guide = channels::guide(line.carrier, kind);
    if guide.steps(channel).is_empty() {
        return Err(StepError::ChannelCannot);
    }
    // Back at step 1 of a case already begun: the same case, amended.
    let case = match s.facts.guided.take() {
        Some(mut case) => {
            case.kind = kind;
            case.channel = channel;
            case
        }
        None => GuidedCase::new(case_id(&s.facts.key_seed, s.started_at), kind, channel),
    };
    s.facts.guided = Some(case);
    s.facts.line = Some(line.clone());
    t.receipt(
        s,
        &line,
        ReceiptEvent::ChannelChosen {
            kind,
            channel,
            recommended: guide.recommended(),
        },
    );
    s.step = Step::SelectPlan { problem: None };
    Ok(Handled::Done)
}
