//! The spec's scenarios (the sandbox's clock is pinned at 2026-11-25) and
//! the three properties the issue asks for.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn today() -> NaiveDate {
    d(2026, 11, 25)
}

fn yuan(y: i64, f: i64) -> Fen {
    Fen::yuan(y, f)
}

fn input(fee: Fen, end: Option<NaiveDate>, quoted: QuotedLines) -> DateCostInput {
    DateCostInput {
        monthly_fee: fee,
        contract_end: end,
        stops_next_month: false,
        quoted,
        lapse: Lapse::Renews,
        today: today(),
    }
}

fn compared(input: &DateCostInput) -> Comparison {
    match compare(input) {
        Verdict::Compare(c) => c,
        other => panic!("expected a comparison, got {other:?}"),
    }
}

/// 13300133000: 天翼宽带 1000M, 199.00/month to 2026-12-31; penalty 59.70 +
/// modem 100.00 = 159.70 today. Waiting to the contract's end (billing
/// stops 2027-01-01) pays December, another 199.00, and saves the 59.70.
#[test]
fn telecom_broadband_cancelling_today_beats_waiting_for_the_contract_end() {
    let quoted = QuotedLines {
        penalty: yuan(59, 70),
        equipment: yuan(100, 0),
        ..QuotedLines::default()
    };
    let c = compared(&input(yuan(199, 0), Some(d(2026, 12, 31)), quoted));
    let whens: Vec<When> = c.options.iter().map(|o| o.when).collect();
    assert_eq!(
        whens,
        [When::Today, When::ContractEnd, When::AfterContractEnd]
    );
    let today = &c.options[0];
    assert_eq!(
        (today.basis, today.penalty, today.net),
        (Basis::Quote, yuan(59, 70), yuan(159, 70))
    );
    let end = &c.options[1];
    assert_eq!(end.basis, Basis::Estimate);
    assert_eq!((end.from, end.until), (d(2026, 12, 1), d(2026, 12, 31)));
    assert_eq!(end.billing_stops, d(2027, 1, 1));
    assert_eq!((end.penalty, end.monthly_fees), (Fen::ZERO, yuan(199, 0)));
    assert_eq!(end.net, yuan(299, 0));
    assert_eq!(
        Fen(end.net.0 - today.net.0),
        Fen(yuan(199, 0).0 - yuan(59, 70).0)
    );
    assert!(today.cheapest && !end.cheapest);
    assert_eq!(c.cheapest().map(|o| o.when), Some(When::Today));
    assert_eq!(c.options[2].net, yuan(498, 0), "January only adds a fee");
    assert!(c.quote_matches_rule);
}

/// 13800138000: 5G智享宽带 300M, 99.00/month to 2027-06-30, penalty 207.90:
/// each month of waiting costs 99.00 and saves 29.70.
#[test]
fn mobile_broadband_each_month_of_waiting_costs_a_fee_and_saves_thirty_percent() {
    let quoted = QuotedLines {
        penalty: yuan(207, 90),
        ..QuotedLines::default()
    };
    let c = compared(&input(yuan(99, 0), Some(d(2027, 6, 30)), quoted));
    assert_eq!(c.options.len(), 1 + 7 + 1, "today, Dec–Jun, July");
    assert_eq!(c.options[1].when, When::NextCycle);
    assert_eq!(c.options[1].from, d(2026, 12, 1));
    assert_eq!(c.options[7].when, When::ContractEnd);
    assert_eq!(c.options[7].until, d(2027, 6, 30));
    assert_eq!(c.options[8].when, When::AfterContractEnd);
    for pair in c.options[..8].windows(2) {
        assert_eq!(pair[1].monthly_fees.0 - pair[0].monthly_fees.0, 9900);
        assert_eq!(pair[0].penalty.0 - pair[1].penalty.0, 2970);
        assert_eq!(pair[1].net.0 - pair[0].net.0, 9900 - 2970);
    }
    assert_eq!(c.options[7].penalty, Fen::ZERO);
    assert_eq!(c.options[7].net, yuan(693, 0));
    assert_eq!(c.cheapest().map(|o| o.when), Some(When::Today));
}

/// 18600186000: the quoted refund is for today only; the penalty matches the rule.
#[test]
fn unicom_refund_is_today_only() {
    let quoted = QuotedLines {
        penalty: yuan(116, 10),
        refund: Fen(-2150),
        ..QuotedLines::default()
    };
    let c = compared(&input(yuan(129, 0), Some(d(2027, 2, 28)), quoted));
    assert_eq!(c.options[0].net, yuan(94, 60));
    assert!(c.options[1..].iter().all(|o| o.refund == Fen::ZERO));
    assert!(c.quote_matches_rule);
}

#[test]
fn a_quote_off_the_rule_is_flagged() {
    let quoted = QuotedLines {
        penalty: yuan(10, 0),
        ..QuotedLines::default()
    };
    assert!(!compared(&input(yuan(99, 0), Some(d(2027, 6, 30)), quoted)).quote_matches_rule);
}

#[test]
fn the_plain_cases_are_verdicts_not_tables() {
    let mut i = input(yuan(30, 0), None, QuotedLines::default());
    i.lapse = Lapse::EndsByItself {
        on: Some(d(2026, 11, 30)),
    };
    assert_eq!(
        compare(&i),
        Verdict::EndsByItself {
            on: Some(d(2026, 11, 30))
        }
    );
    i.lapse = Lapse::Expired;
    assert_eq!(compare(&i), Verdict::Expired);
}

/// 次月生效: a request on the last day of the month stops next month's fee;
/// one a day later pays it.
#[test]
fn next_month_effect_the_last_day_of_the_month_still_stops_next_months_fee() {
    let mut i = input(yuan(30, 0), None, QuotedLines::default());
    i.stops_next_month = true;
    let c = compared(&i);
    assert_eq!(
        c.next_month_deadline,
        Some(NextMonthDeadline {
            request_by: d(2026, 11, 30),
            next_cycle: d(2026, 12, 1),
            fee_avoided: yuan(30, 0),
        })
    );
    let today = &c.options[0];
    assert_eq!((today.effective_on, today.net), (d(2026, 12, 1), Fen::ZERO));
    let next = &c.options[1];
    assert_eq!(
        (next.from, next.monthly_fees),
        (d(2026, 12, 1), yuan(30, 0))
    );
    assert_eq!(next.effective_on, d(2027, 1, 1));
    // On the last day of the month, the same as today.
    i.today = d(2026, 11, 30);
    assert_eq!(compared(&i).options[1].from, d(2026, 12, 1));
    // A cancellation that stops at once has no such deadline to say.
    assert!(
        compared(&input(yuan(30, 0), None, QuotedLines::default()))
            .next_month_deadline
            .is_none()
    );
}

#[test]
fn from_quote_reads_plan_and_quote() {
    use chrono::TimeZone;
    let plan = Plan {
        id: "P".into(),
        name: "天翼宽带 1000M".into(),
        kind: crate::core::model::PlanKind::Broadband,
        monthly_fee: yuan(199, 0),
        status: PlanStatus::Expired,
        contract_end: Some(d(2026, 12, 31)),
        blocked: None,
    };
    let quote = Quote {
        id: "Q".into(),
        items: vec![
            LineItem {
                kind: FeeKind::Penalty,
                label: "违约金".into(),
                amount: yuan(59, 70),
            },
            LineItem {
                kind: FeeKind::Equipment,
                label: "光猫".into(),
                amount: yuan(100, 0),
            },
        ],
        total: yuan(159, 70),
        effective_date: d(2026, 12, 1),
        expires_at: chrono::FixedOffset::east_opt(8 * 3600)
            .unwrap()
            .with_ymd_and_hms(2026, 11, 25, 10, 15, 0)
            .unwrap(),
        retention: None,
    };
    let i = DateCostInput::from_quote(&plan, &quote, today());
    assert!(i.stops_next_month);
    assert_eq!(i.lapse, Lapse::Expired);
    assert_eq!(i.quoted.total(), quote.total);
}

#[test]
fn far_contract_ends_are_bounded_but_still_shown() {
    let c = compared(&input(
        yuan(1, 0),
        Some(d(2099, 12, 31)),
        QuotedLines::default(),
    ));
    assert_eq!(c.options.len(), 1 + MAX_MONTHS + 1);
    assert_eq!(c.options[MAX_MONTHS].when, When::ContractEnd);
    assert_eq!(c.options[MAX_MONTHS].until, d(2099, 12, 31));
}

fn any_input() -> impl Strategy<Value = (DateCostInput, Option<NaiveDate>)> {
    (
        0i64..100_000,
        0u32..=3 * 365,
        prop::option::of(0u32..=5 * 365),
        any::<bool>(),
        0i64..50_000,
        0i64..50_000,
        -20_000i64..=0,
    )
        .prop_map(|(fee, day, end_days, next, equipment, arrears, refund)| {
            let today = d(2025, 1, 1) + chrono::Days::new(u64::from(day));
            let end = end_days.map(|n| today + chrono::Days::new(u64::from(n)));
            let fee = Fen(fee);
            let quoted = QuotedLines {
                penalty: fees::penalty(fee, today, end),
                equipment: Fen(equipment),
                arrears: Fen(arrears),
                refund: Fen(refund),
            };
            let input = DateCostInput {
                monthly_fee: fee,
                contract_end: end,
                stops_next_month: next,
                quoted,
                lapse: Lapse::Renews,
                today,
            };
            (input, end)
        })
}

proptest! {
    /// The figure for today is the fee rule's quote, line for line.
    #[test]
    fn today_is_the_fee_rules_quote((input, end) in any_input()) {
        let c = compared(&input);
        let today = &c.options[0];
        prop_assert_eq!(today.basis, Basis::Quote);
        prop_assert_eq!(today.penalty, fees::penalty(input.monthly_fee, input.today, end));
        prop_assert_eq!(today.net, input.quoted.total());
        prop_assert!(c.quote_matches_rule);
        prop_assert!(c.options[1..].iter().all(|o| o.basis == Basis::Estimate));
    }

    /// Every net is the sum of its lines, and exactly one option is the
    /// cheapest, with no option cheaper.
    #[test]
    fn net_is_the_sum_of_its_lines((input, _) in any_input()) {
        let c = compared(&input);
        for o in &c.options {
            prop_assert_eq!(Some(o.net), Fen::checked_sum(o.lines()));
        }
        prop_assert_eq!(c.options.iter().filter(|o| o.cheapest).count(), 1);
        let best = c.cheapest().map(|o| o.net);
        prop_assert!(c.options.iter().all(|o| Some(o.net) >= best));
    }

    /// No date after the contract's end is cheaper than the contract's end.
    #[test]
    fn nothing_after_the_contract_end_is_cheaper((input, end) in any_input()) {
        let Some(end) = end else { return Ok(()) };
        let c = compared(&input);
        let at_end = c
            .options
            .iter()
            .find(|o| o.from <= end && end <= o.until)
            .or_else(|| c.options.first().filter(|_| end < c.options[1].from));
        let at_end = at_end.map(|o| o.net);
        prop_assert!(at_end.is_some());
        for later in c.options.iter().filter(|o| o.from > end) {
            prop_assert!(Some(later.net) >= at_end, "{:?} vs {:?}", later, at_end);
        }
    }

    /// Dates run forward and the sum never falls once the contract is over.
    #[test]
    fn options_run_in_date_order((input, _) in any_input()) {
        let c = compared(&input);
        for pair in c.options.windows(2) {
            prop_assert!(pair[0].until < pair[1].from);
            prop_assert!(pair[1].months_paid > pair[0].months_paid);
        }
    }
}
