//! The follow-ups of one cancellation: what the person still has to do or
//! check after the request, each with a due date, from the facts of the
//! case. The periods are those of `GUIDE-FACTS.md`: the carrier answers
//! within 15 days of a request or complaint, after which (or after an
//! unsatisfying answer) the telecom appeal centre 12300 takes the case —
//! fee disputes within 5 months, others within 2 years; broadband equipment
//! pickup is bookable within 7 days; usage until the effective date can
//! still be billed.
//!
//! The bill check is dated on the 3rd day of the first billing cycle that
//! must no longer carry the plan: the cycle that starts on the effective
//! date when that is a 1st (次月生效), else the next 1st. Monthly fees are
//! taken at a cycle's start (月初扣费), so by its 3rd day a fee wrongly
//! still charged shows on the current month's bill in the carrier's app —
//! weeks before the monthly statement would, and while a dispute is cheap.
//!
//! Pure: the dates are parameters. The words are i18n keys
//! ([`FollowUpKind::title_key`], [`FollowUpKind::body_key`]); each
//! follow-up has a stable [`FollowUpKind::id`] and sorts by due date.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::fees::Fen;

/// Days the carrier has to answer a request or complaint.
pub const ANSWER_DAYS: u64 = 15;
/// Days within which the carrier should collect broadband equipment.
pub const PICKUP_DAYS: u64 = 7;
/// Months within which 12300 accepts a fee dispute.
pub const FEE_APPEAL_MONTHS: u32 = 5;
/// Months within which 12300 accepts any other dispute.
pub const OTHER_APPEAL_MONTHS: u32 = 24;
/// The day of the first fee-free cycle on which the bill is checked.
const BILL_CHECK_DAY: u64 = 3;

/// The facts of one case the follow-ups are made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    /// When the cancellation takes effect.
    pub effective_on: NaiveDate,
    /// The plan's name as the carrier gives it (raw; sanitise to show).
    pub plan_name: String,
    /// The plan's monthly fee: what must no longer appear on the bill.
    pub monthly_fee: Fen,
    /// Equipment to return (broadband modem 光猫, set-top box), if any.
    pub equipment: Option<Equipment>,
    /// The day the request was made.
    pub requested_on: NaiveDate,
    /// The day a complaint was made to the carrier, if one was.
    pub complained_on: Option<NaiveDate>,
    /// The day a fee the person may dispute was charged, if any.
    pub fee_charged_on: Option<NaiveDate>,
}

/// Equipment that goes back to the carrier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Equipment {
    /// What the carrier charges if it is not returned (zero when unknown).
    pub unreturned_fee: Fen,
}

/// What a follow-up is about; the order is the tie-break between two due
/// on the same day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpKind {
    /// Stop using the service from the effective date.
    StopUsing,
    /// Return the modem and set-top box; the carrier collects within 7 days.
    ReturnEquipment,
    /// The carrier's answer is due (15 days after the request or complaint);
    /// without one, 12300 takes the case.
    CarrierAnswer,
    /// Check the first bill that must no longer carry the monthly fee.
    CheckFirstBill,
    /// The last day 12300 accepts a fee dispute (5 months).
    AppealFeeDispute,
    /// The last day 12300 accepts any other dispute (2 years).
    AppealOther,
}

impl FollowUpKind {
    /// Every kind, in tie-break order.
    pub const ALL: [FollowUpKind; 6] = [
        FollowUpKind::StopUsing,
        FollowUpKind::ReturnEquipment,
        FollowUpKind::CarrierAnswer,
        FollowUpKind::CheckFirstBill,
        FollowUpKind::AppealFeeDispute,
        FollowUpKind::AppealOther,
    ];

    /// A stable name (calendar UIDs, JSON, the journal): never renamed.
    pub fn id(self) -> &'static str {
        match self {
            FollowUpKind::StopUsing => "stop_using",
            FollowUpKind::ReturnEquipment => "return_equipment",
            FollowUpKind::CarrierAnswer => "carrier_answer",
            FollowUpKind::CheckFirstBill => "check_first_bill",
            FollowUpKind::AppealFeeDispute => "appeal_fee_dispute",
            FollowUpKind::AppealOther => "appeal_other",
        }
    }

    /// The i18n key of its one-line title.
    pub fn title_key(self) -> &'static str {
        match self {
            FollowUpKind::StopUsing => "followup.stop_using.title",
            FollowUpKind::ReturnEquipment => "followup.return_equipment.title",
            FollowUpKind::CarrierAnswer => "followup.carrier_answer.title",
            FollowUpKind::CheckFirstBill => "followup.check_first_bill.title",
            FollowUpKind::AppealFeeDispute => "followup.appeal_fee_dispute.title",
            FollowUpKind::AppealOther => "followup.appeal_other.title",
        }
    }

    /// The i18n key of what to do.
    pub fn body_key(self) -> &'static str {
        match self {
            FollowUpKind::StopUsing => "followup.stop_using.body",
            FollowUpKind::ReturnEquipment => "followup.return_equipment.body",
            FollowUpKind::CarrierAnswer => "followup.carrier_answer.body",
            FollowUpKind::CheckFirstBill => "followup.check_first_bill.body",
            FollowUpKind::AppealFeeDispute => "followup.appeal_fee_dispute.body",
            FollowUpKind::AppealOther => "followup.appeal_other.body",
        }
    }
}

/// One thing to do or check, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// What it is about.
    pub kind: FollowUpKind,
    /// The day it is due (its first day, for a span).
    pub due: NaiveDate,
    /// Its last day (the same as `due` but for the equipment pickup window).
    pub last_day: NaiveDate,
    /// How many days ahead a reminder is useful.
    pub remind_days_before: u32,
    /// The amount it concerns: the fee that must be gone from the bill, or
    /// what unreturned equipment costs.
    pub amount: Option<Fen>,
}

impl FollowUp {
    /// The order follow-ups are listed in: by due date, then by kind.
    pub fn sort_key(&self) -> (NaiveDate, FollowUpKind) {
        (self.due, self.kind)
    }

    /// Whether it is due on or before `today` (and so worth a reminder).
    pub fn is_due(&self, today: NaiveDate) -> bool {
        self.due <= today
    }

    /// Whether its last day has passed.
    pub fn is_over(&self, today: NaiveDate) -> bool {
        self.last_day < today
    }

    fn on(kind: FollowUpKind, due: NaiveDate, remind_days_before: u32) -> FollowUp {
        FollowUp {
            kind,
            due,
            last_day: due,
            remind_days_before,
            amount: None,
        }
    }
}

/// The follow-ups of a case, sorted by [`FollowUp::sort_key`].
pub fn followups(facts: &CaseFacts) -> Vec<FollowUp> {
    let mut list = vec![FollowUp::on(FollowUpKind::StopUsing, facts.effective_on, 1)];
    if let Some(equipment) = facts.equipment {
        list.push(FollowUp {
            last_day: plus_days(facts.effective_on, PICKUP_DAYS),
            amount: Some(equipment.unreturned_fee).filter(|f| f.is_positive()),
            ..FollowUp::on(FollowUpKind::ReturnEquipment, facts.effective_on, 1)
        });
    }
    let asked = facts.complained_on.unwrap_or(facts.requested_on);
    list.push(FollowUp::on(
        FollowUpKind::CarrierAnswer,
        plus_days(asked, ANSWER_DAYS),
        1,
    ));
    list.push(FollowUp {
        amount: Some(facts.monthly_fee),
        ..FollowUp::on(
            FollowUpKind::CheckFirstBill,
            bill_check_day(facts.effective_on),
            1,
        )
    });
    if let Some(charged) = facts.fee_charged_on {
        list.push(FollowUp::on(
            FollowUpKind::AppealFeeDispute,
            plus_months(charged, FEE_APPEAL_MONTHS),
            7,
        ));
    }
    list.push(FollowUp::on(
        FollowUpKind::AppealOther,
        plus_months(facts.requested_on, OTHER_APPEAL_MONTHS),
        7,
    ));
    list.sort_by_key(FollowUp::sort_key);
    list
}

/// The first cycle start that must carry no fee: the effective date if it
/// is a 1st, else the next 1st.
pub fn first_fee_free_cycle(effective_on: NaiveDate) -> NaiveDate {
    if effective_on.day() == 1 {
        return effective_on;
    }
    let first = effective_on.with_day(1).unwrap_or(effective_on);
    plus_months(first, 1)
}

/// The day the bill is checked (see the module's documentation).
pub fn bill_check_day(effective_on: NaiveDate) -> NaiveDate {
    plus_days(first_fee_free_cycle(effective_on), BILL_CHECK_DAY - 1)
}

fn plus_days(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days)).unwrap_or(date)
}

fn plus_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months)).unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn telecom_broadband() -> CaseFacts {
        CaseFacts {
            effective_on: d(2026, 11, 25),
            plan_name: "天翼宽带 1000M".into(),
            monthly_fee: Fen(19900),
            equipment: Some(Equipment {
                unreturned_fee: Fen(10000),
            }),
            requested_on: d(2026, 11, 25),
            complained_on: None,
            fee_charged_on: Some(d(2026, 11, 25)),
        }
    }

    #[test]
    fn a_broadband_case_has_every_follow_up_in_date_order() {
        let list = followups(&telecom_broadband());
        let got: Vec<(FollowUpKind, NaiveDate)> = list.iter().map(|f| (f.kind, f.due)).collect();
        assert_eq!(
            got,
            [
                (FollowUpKind::StopUsing, d(2026, 11, 25)),
                (FollowUpKind::ReturnEquipment, d(2026, 11, 25)),
                (FollowUpKind::CheckFirstBill, d(2026, 12, 3)),
                (FollowUpKind::CarrierAnswer, d(2026, 12, 10)),
                (FollowUpKind::AppealFeeDispute, d(2027, 4, 25)),
                (FollowUpKind::AppealOther, d(2028, 11, 25)),
            ]
        );
        let equipment = list[1];
        assert_eq!(equipment.last_day, d(2026, 12, 2));
        assert_eq!(equipment.amount, Some(Fen(10000)));
        assert_eq!(list[2].amount, Some(Fen(19900)));
    }

    #[test]
    fn a_complaint_moves_the_answer_and_a_data_pack_has_no_equipment() {
        let facts = CaseFacts {
            effective_on: d(2026, 12, 1),
            equipment: None,
            complained_on: Some(d(2026, 12, 20)),
            fee_charged_on: None,
            ..telecom_broadband()
        };
        let list = followups(&facts);
        let kinds: Vec<FollowUpKind> = list.iter().map(|f| f.kind).collect();
        assert!(!kinds.contains(&FollowUpKind::ReturnEquipment));
        assert!(!kinds.contains(&FollowUpKind::AppealFeeDispute));
        let answer = list.iter().find(|f| f.kind == FollowUpKind::CarrierAnswer);
        assert_eq!(answer.map(|f| f.due), Some(d(2027, 1, 4)));
        // 次月生效 on 2026-12-01: December is the first cycle without the fee.
        assert_eq!(bill_check_day(d(2026, 12, 1)), d(2026, 12, 3));
        assert_eq!(bill_check_day(d(2026, 12, 31)), d(2027, 1, 3));
    }

    #[test]
    fn kinds_have_stable_ids_and_keys() {
        for kind in FollowUpKind::ALL {
            assert!(kind.title_key().starts_with("followup."));
            assert!(kind.title_key().contains(kind.id()));
            assert!(kind.body_key().contains(kind.id()));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.id()));
        }
    }

    #[test]
    fn due_and_over() {
        let list = followups(&telecom_broadband());
        let equipment = list[1];
        assert!(equipment.is_due(d(2026, 11, 25)));
        assert!(!equipment.is_over(d(2026, 12, 2)));
        assert!(equipment.is_over(d(2026, 12, 3)));
    }
}
