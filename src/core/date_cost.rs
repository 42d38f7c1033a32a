//! What cancelling costs on each date that changes the sum: today (the
//! carrier's quote) against each later month, the contract's end, and the
//! month after it (estimates from the fee rule of `carrier-api.md`), with
//! the cheapest marked — or, for a pack that ends by itself or has
//! expired, the plain verdict that there is nothing to cancel.
//!
//! The billing model the estimates rest on, and why:
//!
//! - A monthly fee is billed in full at each cycle start (the 1st). The fee
//!   rule charges a penalty only for the whole months *after* the month of
//!   the request, so the month of the request is the person's to pay: a
//!   request on day R pays every cycle after today's month up to and
//!   including R's month, plus `fees::penalty(fee, R, end)`. Today's month
//!   is already billed and the same for every date, so it is left out.
//! - The sum is therefore the same on every day of a month: it changes only
//!   on the 1st (one more fee, 30 % of one fee less penalty while the
//!   contract runs). Each later option is one month, from its 1st to its
//!   last day; the one holding the contract's end is labelled so, and one
//!   month after it shows that waiting longer only adds fees.
//! - A cancellation effective next month (次月生效) made on the last day of
//!   a month stops the next month's fee; one made a day later pays it. The
//!   same holds for one that stops at once; [`NextMonthDeadline`] names the
//!   day for the person.
//! - Equipment and arrears are owed whenever the request is made, so every
//!   estimate repeats the quoted ones. The quoted refund is for the unused
//!   rest of today's month; the fee rule promises none for a later date, so
//!   an estimate shows none rather than guess one.
//!
//! Pure: the dates are parameters; money is integer fen.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::fees::{self, Fen};
use super::model::{FeeKind, LineItem, Plan, PlanStatus, Quote};

/// The most later months listed: ten years of monthly rows is already far
/// beyond any contract the carriers offer; past it (bad data) the rows in
/// between are left out and the contract's end is still shown.
const MAX_MONTHS: usize = 120;

/// The carrier's quote for today, summed by kind of line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct QuotedLines {
    /// Penalty (违约金).
    pub penalty: Fen,
    /// Equipment not returned (modem, set-top box).
    pub equipment: Fen,
    /// Arrears settled with the cancellation.
    pub arrears: Fen,
    /// Refund of the rest of the current month (zero or negative).
    pub refund: Fen,
}

impl QuotedLines {
    /// Sums a quote's lines by kind (saturating: a sum past `i64` fen is a
    /// data error, not a reason to panic).
    pub fn from_items(items: &[LineItem]) -> QuotedLines {
        let mut lines = QuotedLines::default();
        for item in items {
            let slot = match item.kind {
                FeeKind::Penalty => &mut lines.penalty,
                FeeKind::Equipment => &mut lines.equipment,
                FeeKind::Arrears => &mut lines.arrears,
                FeeKind::Refund => &mut lines.refund,
            };
            *slot = add(*slot, item.amount);
        }
        lines
    }

    /// What the lines add up to.
    pub fn total(&self) -> Fen {
        [self.penalty, self.equipment, self.arrears, self.refund]
            .into_iter()
            .fold(Fen::ZERO, add)
    }
}

/// Whether the plan needs a cancellation at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "lapse")]
pub enum Lapse {
    /// It renews every month until cancelled.
    Renews,
    /// It ends by itself (到期自动失效), on this day if known: nothing to cancel.
    EndsByItself {
        /// The day it ends, when the carrier says.
        on: Option<NaiveDate>,
    },
    /// It has expired: it is left to lapse, not cancelled.
    Expired,
}

/// Everything the comparison needs; dates are parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateCostInput {
    /// The plan's monthly fee.
    pub monthly_fee: Fen,
    /// The contract's last day, if there is a contract.
    pub contract_end: Option<NaiveDate>,
    /// Whether a cancellation takes effect on the 1st of next month (次月生效)
    /// rather than at once.
    pub stops_next_month: bool,
    /// The carrier's quote for today.
    pub quoted: QuotedLines,
    /// Whether the plan needs cancelling.
    pub lapse: Lapse,
    /// Today (the sandbox's clock, or China's date).
    pub today: NaiveDate,
}

impl DateCostInput {
    /// The input for a plan and the quote shown for it today: next-month
    /// effect when the quote takes effect after today; an expired plan left
    /// to lapse. Whether a pack ends by itself is not in the carriers'
    /// product lists; set [`DateCostInput::lapse`] when it is known.
    pub fn from_quote(plan: &Plan, quote: &Quote, today: NaiveDate) -> DateCostInput {
        DateCostInput {
            monthly_fee: plan.monthly_fee,
            contract_end: plan.contract_end,
            stops_next_month: quote.effective_date > today,
            quoted: QuotedLines::from_items(&quote.items),
            lapse: if plan.status == PlanStatus::Expired {
                Lapse::Expired
            } else {
                Lapse::Renews
            },
            today,
        }
    }
}

/// Where an option's figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The carrier's own quote (today only).
    Quote,
    /// The wizard's estimate from the fee rule: label it so.
    Estimate,
}

/// Which date an option stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum When {
    /// Today, as quoted.
    Today,
    /// From the next billing-cycle start.
    NextCycle,
    /// From a later month's first day.
    MonthStart,
    /// The month the contract ends in (the contract's end itself).
    ContractEnd,
    /// The month after the contract's end: only more fees.
    AfterContractEnd,
}

/// Cancelling within one span of days, and what it costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateOption {
    /// Which date this is.
    pub when: When,
    /// The first day a request gets this sum.
    pub from: NaiveDate,
    /// The last day a request gets this sum.
    pub until: NaiveDate,
    /// When a request made on `until` takes effect.
    pub effective_on: NaiveDate,
    /// The first cycle start that is no longer billed.
    pub billing_stops: NaiveDate,
    /// Quote (today) or estimate.
    pub basis: Basis,
    /// Monthly fees paid meanwhile, counted in months.
    pub months_paid: u32,
    /// The penalty.
    pub penalty: Fen,
    /// The monthly fees paid meanwhile.
    pub monthly_fees: Fen,
    /// Equipment not returned.
    pub equipment: Fen,
    /// Arrears.
    pub arrears: Fen,
    /// Refund (zero or negative).
    pub refund: Fen,
    /// The sum of the lines above.
    pub net: Fen,
    /// Whether this is the cheapest option (the earliest, on a tie).
    pub cheapest: bool,
}

impl DateOption {
    /// The lines the net is the sum of: penalty, monthly fees, equipment,
    /// arrears, refund.
    pub fn lines(&self) -> [Fen; 5] {
        [
            self.penalty,
            self.monthly_fees,
            self.equipment,
            self.arrears,
            self.refund,
        ]
    }
}

/// The last day a request stops next month's fee, said plainly for a
/// cancellation effective next month (次月生效).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextMonthDeadline {
    /// The last day of this month: a request today or up to this day stops
    /// next month's fee.
    pub request_by: NaiveDate,
    /// The next cycle start, whose fee a request one day later pays.
    pub next_cycle: NaiveDate,
    /// That fee.
    pub fee_avoided: Fen,
}

/// Today against the later dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// Today first, then each later option in date order.
    pub options: Vec<DateOption>,
    /// For a cancellation effective next month: the day that still stops
    /// next month's fee.
    pub next_month_deadline: Option<NextMonthDeadline>,
    /// Whether the carrier's penalty for today is the fee rule's: when it
    /// is not, the estimates follow a rule this carrier does not, and the
    /// screen should say they are rough.
    pub quote_matches_rule: bool,
}

impl Comparison {
    /// The cheapest option.
    pub fn cheapest(&self) -> Option<&DateOption> {
        self.options.iter().find(|o| o.cheapest)
    }

    /// Today's option (the carrier's quote).
    pub fn today(&self) -> Option<&DateOption> {
        self.options.first()
    }
}

/// What the fee step shows beside the quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "verdict")]
pub enum Verdict {
    /// The pack ends by itself (到期自动失效): no cancellation is needed.
    EndsByItself {
        /// The day it ends, when known.
        on: Option<NaiveDate>,
    },
    /// The pack has expired: it is left to lapse, not cancelled.
    Expired,
    /// Today against each later date that changes the sum.
    Compare(Comparison),
}

/// What the date of the request changes, for `input`.
pub fn compare(input: &DateCostInput) -> Verdict {
    match input.lapse {
        Lapse::EndsByItself { on } => return Verdict::EndsByItself { on },
        Lapse::Expired => return Verdict::Expired,
        Lapse::Renews => {}
    }
    let today = input.today;
    let next_cycle = next_month_start(today);
    let mut options = vec![today_option(input, next_cycle)];
    options.extend(
        later_months(today, input.contract_end)
            .into_iter()
            .map(|(months, when)| later_option(input, months, when)),
    );
    mark_cheapest(&mut options);
    Verdict::Compare(Comparison {
        options,
        next_month_deadline: input.stops_next_month.then(|| NextMonthDeadline {
            request_by: next_cycle.pred_opt().unwrap_or(today),
            next_cycle,
            fee_avoided: input.monthly_fee,
        }),
        quote_matches_rule: input.quoted.penalty
            == fees::penalty(input.monthly_fee, today, input.contract_end),
    })
}

/// Today, exactly as the carrier quoted it.
fn today_option(input: &DateCostInput, next_cycle: NaiveDate) -> DateOption {
    let q = input.quoted;
    DateOption {
        when: When::Today,
        from: input.today,
        until: input.today,
        effective_on: fees::default_effective_date(input.today, input.stops_next_month),
        billing_stops: next_cycle,
        basis: Basis::Quote,
        months_paid: 0,
        penalty: q.penalty,
        monthly_fees: Fen::ZERO,
        equipment: q.equipment,
        arrears: q.arrears,
        refund: q.refund,
        net: q.total(),
        cheapest: false,
    }
}

/// The request made in the month `months` after today's, estimated.
fn later_option(input: &DateCostInput, months: u32, when: When) -> DateOption {
    let from = add_months(month_start(input.today), months);
    let billing_stops = next_month_start(from);
    let until = billing_stops.pred_opt().unwrap_or(from);
    let monthly_fees = Fen(input.monthly_fee.0.saturating_mul(i64::from(months)));
    let penalty = fees::penalty(input.monthly_fee, from, input.contract_end);
    let mut option = DateOption {
        when,
        from,
        until,
        effective_on: fees::default_effective_date(until, input.stops_next_month),
        billing_stops,
        basis: Basis::Estimate,
        months_paid: months,
        penalty,
        monthly_fees,
        equipment: input.quoted.equipment,
        arrears: input.quoted.arrears,
        refund: Fen::ZERO,
        net: Fen::ZERO,
        cheapest: false,
    };
    option.net = option.lines().into_iter().fold(Fen::ZERO, add);
    option
}

/// The later months to show, counted from today's month, with their label:
/// each month up to the one the contract ends in, then one more; without a
/// contract (or one already over), the next cycle only, as one more month
/// is all that waiting changes.
fn later_months(today: NaiveDate, contract_end: Option<NaiveDate>) -> Vec<(u32, When)> {
    let end_month = contract_end
        .map(|end| months_between(today, end))
        .filter(|&m| m > 0);
    let Some(end_month) = end_month else {
        let when = if contract_end.is_some() {
            When::AfterContractEnd
        } else {
            When::NextCycle
        };
        return vec![(1, when)];
    };
    let mut months: Vec<u32> = (1..=end_month).collect();
    if months.len() > MAX_MONTHS {
        months.drain(MAX_MONTHS - 1..months.len() - 1);
    }
    let mut rows: Vec<(u32, When)> = months
        .into_iter()
        .map(|m| match m {
            m if m == end_month => (m, When::ContractEnd),
            1 => (m, When::NextCycle),
            _ => (m, When::MonthStart),
        })
        .collect();
    rows.push((end_month + 1, When::AfterContractEnd));
    rows
}

/// Marks the option with the lowest net; the earliest wins a tie, so
/// today is preferred over waiting for nothing.
fn mark_cheapest(options: &mut [DateOption]) {
    let best = options
        .iter()
        .enumerate()
        .min_by_key(|(i, o)| (o.net, *i))
        .map(|(i, _)| i);
    if let Some(i) = best {
        options[i].cheapest = true;
    }
}

fn add(a: Fen, b: Fen) -> Fen {
    Fen(a.0.saturating_add(b.0))
}

fn month_start(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months)).unwrap_or(date)
}

fn next_month_start(date: NaiveDate) -> NaiveDate {
    add_months(month_start(date), 1)
}

/// Calendar months from `from`'s month to `to`'s (negative when earlier).
fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let index = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    u32::try_from(index(to) - index(from)).unwrap_or(0)
}

#[cfg(test)]
mod tests;
