//! Guided step 2, select the package (screen
//! `ui/screens/guided/package.rs`): the carrier's list, pasted (China Mobile:
//! the replies to `0000` from 10086977), read off the app's 已订业务 page, or
//! typed by hand; the person picks the one to cancel.

use super::case::{Package, Source};
use super::{Cx, act, paste};
use crate::core::flow::messages::{Event, StepError};
use crate::core::flow::shared::{Applied, Handled, Turn};
use crate::core::flow::state::{State, Step};
use crate::core::receipt::ReceiptEvent;
use crate::core::sms::MAX_NAME_CHARS;

/// The highest monthly fee typed by hand that is taken as meant: ¥10,000.
pub const MAX_TYPED_MONTHLY_FEN: i64 = 1_000_000;

pub(super) fn on_intent(s: &mut State, cx: &mut Cx, event: Event, t: &mut Turn) -> Applied {
    match event {
        Event::PasteSms { text, from } => {
            paste::read(s, cx, text, from, t)?;
        }
        Event::PickPackage { index } => {
            let product = cx
                .case
                .listed
                .get(index)
                .ok_or(StepError::PlanNotChoosable)?;
            let package = Package::listed(product);
            choose(s, cx, package, t);
        }
        Event::EnterPackage(package) => {
            let package = checked(package)?;
            choose(s, cx, package, t);
        }
        Event::ChooseChannel(channel) => act::switch_channel(s, cx, channel, t)?,
        Event::Back => s.step = Step::login(),
        _ => return Ok(Handled::NotHere),
    }
    Ok(Handled::Done)
}

/// A package typed by hand: a name of sensible length and a fee in range,
/// recorded as the person's word.
fn checked(mut package: Package) -> Result<Package, StepError> {
    let name = package.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(StepError::BadPackageName(MAX_NAME_CHARS));
    }
    if package
        .monthly_fee
        .is_some_and(|fee| !(0..=MAX_TYPED_MONTHLY_FEN).contains(&fee.0))
    {
        return Err(StepError::AmountOutOfRange);
    }
    package.name = name.to_owned();
    package.source = Source::Statement;
    Ok(package)
}

/// The package to cancel: recorded, then on to acting through the channel.
fn choose(s: &mut State, cx: &mut Cx, package: Package, t: &mut Turn) {
    cx.receipt(
        s,
        t,
        ReceiptEvent::PackageChosen {
            package: package.clone(),
        },
    );
    cx.case.package = Some(package);
    act::enter(s, cx, t);
}
