//! Reminders without a daemon (issue 15 items 3–4): each case's follow-ups
//! from its receipts, less those marked done, for `status`; `receipts done
//! ORDER KIND` marks one done (a receipt); `receipts bill ORDER --sms
//! FILE|-` checks the first bill for the cancelled package and keeps what it
//! found as a receipt — a line still charging is a fact for the complaint.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::calendar::{case_of, case_of_summary};
use super::output::fail;
use super::summary::Summary;
use crate::core::followup::{FollowUp, FollowUpKind, followups};
use crate::core::model::{CarrierId, ReceiptEvent};
use crate::core::receipt::Receipt;
use crate::store::vault::{Record, Vault};
use crate::ui::Lang;
use crate::ui::i18n::{t, tr};

/// Kinds that stay on the list after their date until marked done: each
/// asks the person to check or do something. The others (stop using, the
/// appeal deadlines) only inform, and drop off once their day has passed.
const UNTIL_DONE: [FollowUpKind; 3] = [
    FollowUpKind::ReturnEquipment,
    FollowUpKind::CarrierAnswer,
    FollowUpKind::CheckFirstBill,
];

/// One follow-up as `status` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reminder {
    /// The follow-up (serialised by its stable name, `check_first_bill`…).
    pub kind: FollowUpKind,
    /// Its date.
    pub due: NaiveDate,
    /// Its last day (a span's end).
    pub last_day: NaiveDate,
    /// Whether its date has come and it is not done.
    pub overdue: bool,
    /// What to do, in one line.
    pub title: String,
}

/// The follow-ups of one case still open on `today`, overdue first (then by
/// date); empty when the case has none (not submitted, a plan change, no
/// effective date yet).
pub fn open(order: &str, records: &[Record], today: NaiveDate, lang: Lang) -> Vec<Reminder> {
    let Some(summary) = Summary::of(order, records) else {
        return Vec::new();
    };
    let Ok(case) = case_of_summary(order, &summary, records) else {
        return Vec::new();
    };
    let mut open: Vec<Reminder> = followups(&case.facts)
        .into_iter()
        .filter(|f| !summary.followups_done.contains(&f.kind))
        .filter(|f| !f.is_over(today) || UNTIL_DONE.contains(&f.kind))
        .map(|f| reminder(&f, &case.facts.plan_name, case.carrier, today, lang))
        .collect();
    open.sort_by_key(|r| (!r.overdue, r.due));
    open
}

fn reminder(
    f: &FollowUp,
    plan: &str,
    carrier: crate::core::model::CarrierId,
    today: NaiveDate,
    lang: Lang,
) -> Reminder {
    let carrier = match lang {
        Lang::Zh => carrier.name_zh(),
        Lang::En => carrier.name_en(),
    };
    let plan = crate::text::field(plan, 40);
    let amount = f.amount.map(|a| a.to_string()).unwrap_or_default();
    Reminder {
        kind: f.kind,
        due: f.due,
        last_day: f.last_day,
        overdue: f.is_due(today),
        title: tr(
            lang,
            f.kind.title_key(),
            &[
                ("plan", plan),
                ("amount", amount),
                ("carrier", carrier.to_owned()),
            ],
        ),
    }
}

/// `receipts done ORDER KIND`: marks a follow-up done, as a receipt.
pub fn done(vault: &Vault, order: &str, kind: &str) -> u8 {
    let Some(kind) = kind_of(kind) else {
        let names: Vec<&str> = FollowUpKind::ALL.iter().map(|k| k.id()).collect();
        return fail(format!(
            "{kind:?} is not a follow-up; one of: {}",
            names.join(", ")
        ));
    };
    match mark_done(vault, order, kind) {
        Ok(()) => {
            println!("Marked done for {order}: {}", kind.id());
            0
        }
        Err(why) => fail(why),
    }
}

/// The follow-up kind of a stable name (`check_first_bill`…).
pub fn kind_of(id: &str) -> Option<FollowUpKind> {
    FollowUpKind::ALL.into_iter().find(|k| k.id() == id)
}

/// Marks a follow-up of `order` done, as a receipt (the CLI's `receipts
/// done` and the wizard's follow-up panel alike).
pub fn mark_done(vault: &Vault, order: &str, kind: FollowUpKind) -> Result<(), String> {
    append(vault, order, ReceiptEvent::FollowUpDone { kind })
}

/// `receipts bill ORDER --sms FILE|-`: whether the bill still names the
/// cancelled package or charges its monthly fee.
pub fn bill(vault: &Vault, order: &str, text: String, lang: Lang) -> u8 {
    match check_bill(vault, order, text) {
        Ok(found) => {
            println!(
                "{}",
                crate::text::document(&bill_words(&found, order, lang))
            );
            0
        }
        Err(why) => fail(why),
    }
}

/// What the bill check says: the line still charging, or that it is clean.
pub fn bill_words(still_charged: &Option<String>, order: &str, lang: Lang) -> String {
    match still_charged {
        Some(line) => tr(
            lang,
            "followup.bill_still_charged",
            &[
                ("line", crate::text::field(line, 200)),
                ("order", order.to_owned()),
            ],
        ),
        None => t(lang, "followup.bill_clean"),
    }
}

/// Checks a bill against `order`'s cancelled package and keeps what was
/// found as a receipt (a line still charging is a fact for the complaint;
/// a clean bill is the bill check done, a second receipt). Returns the
/// line still charging, if one does.
pub fn check_bill(vault: &Vault, order: &str, text: String) -> Result<Option<String>, String> {
    let (records, _) = vault.read(order).map_err(|e| e.to_string())?;
    let Ok(case) = case_of(order, &records) else {
        return Err(format!(
            "order {order} has no cancellation to check a bill against; `unsubscribe-wizard receipts show {order}` shows what there is"
        ));
    };
    let still_charged = charging_line(&text, &case.facts.plan_name, case.facts.monthly_fee);
    let event = ReceiptEvent::BillChecked {
        text,
        still_charged: still_charged.clone(),
    };
    append(vault, order, event)?;
    if still_charged.is_none() {
        mark_done(vault, order, FollowUpKind::CheckFirstBill)?;
    }
    Ok(still_charged)
}

/// One follow-up that is due, of one case: what the wizard shows first
/// when it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// The order (the receipts chain) it belongs to.
    pub order: String,
    /// Which follow-up.
    pub kind: FollowUpKind,
    /// Its date.
    pub due: NaiveDate,
    /// What to do, in one line.
    pub title: String,
}

/// Every follow-up due on `today` across the vault's cases, oldest first.
pub fn due(vault: &Vault, today: NaiveDate, lang: Lang) -> Vec<Due> {
    let mut all: Vec<Due> = vault
        .chains()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|order| {
            let (records, _) = vault.read(&order).ok()?;
            let open = open(&order, &records, today, lang);
            Some((order, open))
        })
        .flat_map(|(order, open)| {
            open.into_iter().filter(|r| r.overdue).map(move |r| Due {
                order: order.clone(),
                kind: r.kind,
                due: r.due,
                title: r.title,
            })
        })
        .collect();
    all.sort_by(|a, b| (a.due, a.kind, &a.order).cmp(&(b.due, b.kind, &b.order)));
    all
}

/// The first line of `bill` that names the package, or states its monthly
/// fee next to a word of it: the evidence that it is still charged.
pub fn charging_line(
    bill: &str,
    plan: &str,
    monthly_fee: crate::core::fees::Fen,
) -> Option<String> {
    let plan = plan.trim();
    let fee = monthly_fee.is_positive().then(|| {
        let yuan = monthly_fee.to_yuan_string();
        let short = yuan.trim_end_matches(".00").to_owned();
        (yuan, short)
    });
    bill.lines()
        .map(str::trim)
        .find(|line| {
            let named = !plan.is_empty() && line.contains(plan);
            // A short name inside a longer bill label (流量加油包 in
            // 流量加油包30GB包月) counts only with the fee beside it.
            let core_name: String = plan.chars().take_while(|c| !c.is_ascii_digit()).collect();
            let fee_here = fee.as_ref().is_some_and(|(yuan, short)| {
                line.contains(yuan.as_str()) || line.contains(&format!("{short}元"))
            });
            named || (core_name.chars().count() >= 2 && line.contains(&core_name) && fee_here)
        })
        .map(str::to_owned)
}

/// Appends a receipt to the order's chain, as its first record names it.
fn append(vault: &Vault, order: &str, event: ReceiptEvent) -> Result<(), String> {
    append_with(vault, order, |_, _| Ok(event))
}

/// Appends to an existing chain a receipt made from the chain's carrier and
/// the time now (`event` may refuse, with its reason): the number and
/// carrier are the chain's own, from its first record.
pub(super) fn append_with(
    vault: &Vault,
    order: &str,
    event: impl FnOnce(CarrierId, DateTime<Utc>) -> Result<ReceiptEvent, String>,
) -> Result<(), String> {
    let (records, _) = vault.read(order).map_err(|e| e.to_string())?;
    let Some(first) = records.first() else {
        return Err(format!(
            "there are no receipts for {order}: `unsubscribe-wizard receipts list` shows the order numbers there are"
        ));
    };
    let at = Utc::now();
    let event = event(first.receipt.carrier, at)?;
    let receipt = Receipt {
        at,
        carrier: first.receipt.carrier,
        msisdn_masked: first.receipt.msisdn_masked.clone(),
        order_id: Some(order.to_owned()),
        event,
    };
    vault
        .append(order, &receipt)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Today in China, the day follow-ups are counted in.
pub fn today() -> NaiveDate {
    crate::core::time::china_date(Utc::now())
}
