//! `unsubscribe-wizard receipts list | show | export | verify`.
//!
//! Formatting is pure (records in, text out) so the documents can be
//! snapshot-tested; the runner only reads the vault and writes the result.

use std::fmt::Write as _;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::summary::{Summary, beijing};
use crate::core::model::{FeeKind, Fen, OrderState, PlanKind, ReceiptEvent};
use crate::store::vault::{Anchoring, Broken, Record};
use crate::text;

/// The most characters a name, label or id is shown with (then "…").
const SHORT: usize = 120;
/// The most characters a notice or an offer's text is shown with.
const LONG: usize = 1000;

/// A carrier-given name, label or id as shown: escaped and bounded.
pub(super) fn short(value: &str) -> String {
    text::field(value, SHORT)
}

/// A carrier-given text (notice, offer, reason) as shown: escaped and bounded.
pub(super) fn long(value: &str) -> String {
    text::field(value, LONG)
}

/// Pads `text` to `width` terminal columns (CJK characters count two).
pub fn pad(text: &str, width: usize) -> String {
    let shown = text.width();
    format!("{text}{}", " ".repeat(width.saturating_sub(shown)))
}

/// The `list` table.
pub fn list(summaries: &[Summary]) -> String {
    if summaries.is_empty() {
        return "No receipts yet. 还没有凭证：完成或开始一次退订后，这里会列出订单。\n".to_owned();
    }
    let rows: Vec<[String; 6]> = summaries
        .iter()
        .map(|s| {
            [
                short(s.order_id.as_deref().unwrap_or(&s.name)),
                s.carrier.name_zh().to_owned(),
                s.plan_name().map_or_else(|| "—".to_owned(), short),
                short(&s.standing_label()),
                s.due()
                    .map(|t| t.to_string())
                    .unwrap_or_else(|| "—".to_owned()),
                beijing(s.last_change).format("%Y-%m-%d %H:%M").to_string(),
            ]
        })
        .collect();
    let header = [
        "ORDER",
        "CARRIER",
        "PLAN",
        "STATE",
        "TOTAL",
        "LAST CHANGE (+08:00)",
    ];
    let mut widths = header.map(UnicodeWidthStr::width);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let mut out = String::new();
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells.iter().zip(widths).map(|(c, w)| pad(c, w)).collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    out.push_str(&line(&header.map(str::to_owned)));
    for row in &rows {
        out.push_str(&line(row));
    }
    out
}

/// One line describing a record, for `show`.
fn describe(record: &Record) -> String {
    match &record.receipt.event {
        ReceiptEvent::QuoteShown { plan, quote } => format!(
            "报价 quote for {}: total {}, effective {}, valid until {}",
            short(&plan.name),
            quote.total,
            quote.effective_date,
            beijing(quote.expires_at.to_utc()).format("%H:%M:%S")
        ),
        ReceiptEvent::RetentionAnswered { offer, accepted } => format!(
            "挽留 retention offer \"{}\" ({} /month): {}",
            long(&offer.description),
            offer.monthly_fee,
            if *accepted {
                "accepted 接受"
            } else {
                "declined 拒绝"
            }
        ),
        ReceiptEvent::ApplicationSubmitted {
            application,
            idempotency_key,
            ..
        } => format!(
            "申请 submitted: {}, ID {}, contact {}, reason {} (key {})",
            short(&application.holder_name),
            short(&application.id_masked),
            short(&application.contact_masked),
            application.reason.wire(),
            idempotency_key.as_hex()
        ),
        ReceiptEvent::OrderCreated { order } => format!(
            "订单 order {} created: {}",
            short(&order.id),
            state_label(&order.state)
        ),
        ReceiptEvent::Payment { payment, amount } => format!(
            "缴费 payment {} by {:?}{}: {} — {:?}",
            short(&payment.id),
            payment.method,
            payment
                .card_last4
                .as_ref()
                .map(|l| format!(" (card ****{})", short(l)))
                .unwrap_or_default(),
            amount,
            payment.state
        ),
        ReceiptEvent::NoticeReceived { notice } => format!("短信 notice: {}", long(&notice.text)),
        ReceiptEvent::StatusChanged { state } => format!("状态 status: {}", state_label(state)),
        ReceiptEvent::Finished { outcome, error } => match (outcome, error) {
            (Some(o), _) => format!("结束 finished: {o:?}"),
            (None, Some(e)) => format!("结束 stopped: {}", long(&e.to_string())),
            (None, None) => "结束 finished".to_owned(),
        },
        guided => super::guided_text::describe(guided),
    }
}

fn state_label(state: &OrderState) -> String {
    match state {
        OrderState::AwaitingPayment => "awaiting payment 待缴费".to_owned(),
        OrderState::Processing => "processing 处理中".to_owned(),
        OrderState::Completed => "completed 已完成".to_owned(),
        OrderState::Rejected(reason) => format!(
            "rejected 被拒绝 ({})",
            reason
                .as_deref()
                .map_or_else(|| "no reason given".to_owned(), long)
        ),
    }
}

/// The `show` timeline.
pub fn show(name: &str, records: &[Record], verdict: &Result<String, Broken>) -> String {
    let mut out = format!("Receipts for {}\n", short(name));
    for r in records {
        let _ = writeln!(
            out,
            "{:>3}  {}  {}",
            r.seq,
            beijing(r.at_utc).format("%Y-%m-%d %H:%M:%S%:z"),
            describe(r)
        );
    }
    out.push_str(&chain_line(verdict));
    out
}

fn chain_line(verdict: &Result<String, Broken>) -> String {
    match verdict {
        Ok(hash) => format!("Chain intact. Final SHA-256: {hash}\n"),
        Err(b) => format!("CHAIN BROKEN at record {}: {}\n", b.seq, long(&b.reason)),
    }
}

fn fee_label(kind: FeeKind) -> &'static str {
    match kind {
        FeeKind::Penalty => "违约金 penalty",
        FeeKind::Equipment => "设备 equipment",
        FeeKind::Arrears => "欠费 arrears",
        FeeKind::Refund => "退款 refund",
    }
}

/// The Markdown export: what was cancelled, what was paid, when it takes
/// effect, the notices, the timeline and the chain's final hash, with what
/// the verdict proves.
pub fn export_md(
    summary: &Summary,
    records: &[Record],
    verdict: &Result<String, Broken>,
    anchoring: Anchoring,
) -> String {
    let mut out = String::new();
    overview(&mut out, summary);
    fees_and_payments(&mut out, summary);
    match &summary.guided {
        Some(guided) => {
            super::guided_export::sections(&mut out, guided);
            timeline(&mut out, records);
        }
        None => notices_and_timeline(&mut out, summary, records),
    }
    let _ = write!(
        out,
        "\n## 完整性 Integrity\n\n{}",
        integrity(verdict, anchoring)
    );
    out
}

/// What a chain's verdict says and proves, for the export.
fn integrity(verdict: &Result<String, Broken>, anchoring: Anchoring) -> String {
    match (verdict, anchoring) {
        (Ok(hash), Anchoring::Anchored) => format!(
            "Chain intact and anchored. Final SHA-256: {hash}\n\nKeep this final hash somewhere else (write it down, mail it to yourself): any later change to these receipts changes it. Each record carries the SHA-256 of the record before it and a MAC under a key kept outside the receipts folder, where an index also remembers every chain; `unsubscribe-wizard receipts verify` checks all three. What it cannot rule out: a change made by someone who could also read that key file (anyone with your access to the data folder).\n"
        ),
        (Ok(hash), Anchoring::NotAnchored) => format!(
            "Hash chain intact, not anchored. Final SHA-256: {hash}\n\nThese receipts were written before the wizard anchored its chains: each record carries the SHA-256 of the record before it, which shows an accidental or partial edit, but not one that recomputes every hash. Keep the final hash somewhere else to compare later.\n"
        ),
        (Err(_), _) => format!(
            "{}\n`unsubscribe-wizard receipts verify` says what is wrong; the records above are as found.\n",
            chain_line(verdict).trim_end()
        ),
    }
}

/// The title and the table of who, what and where it stands.
fn overview(out: &mut String, summary: &Summary) {
    let order = summary
        .order_id
        .as_deref()
        .map_or_else(|| "(not yet assigned 未分配)".to_owned(), short);
    let _ = writeln!(out, "# 退订凭证 Cancellation receipt — {order}\n");
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(
        out,
        "| 运营商 Carrier | {} {} |",
        summary.carrier.name_zh(),
        summary.carrier.name_en()
    );
    let _ = writeln!(out, "| 号码 Number | {} |", short(&summary.msisdn_masked));
    if let Some(guided) = &summary.guided {
        super::guided_export::overview_rows(out, guided);
    }
    if let Some((name, kind)) = &summary.plan {
        let kind = match kind {
            PlanKind::Broadband => "宽带 broadband",
            PlanKind::DataPack => "流量包 data pack",
            PlanKind::Bundle => "融合套餐 bundle",
        };
        let _ = writeln!(out, "| 套餐 Plan | {} ({kind}) |", short(name));
    }
    let _ = writeln!(out, "| 订单号 Order | {order} |");
    let _ = writeln!(out, "| 状态 State | {} |", short(&summary.standing_label()));
    if let Some(date) = summary.effective_date {
        let _ = writeln!(out, "| 生效日期 Effective | {date} |");
    }
    if summary.guided.is_none() {
        let _ = writeln!(out, "| 已付 Paid | {} |", summary.paid());
    }
    let _ = writeln!(out, "| 客服热线 Hotline | {} |", summary.carrier.hotline());
    if let Some(app) = &summary.application {
        let _ = writeln!(
            out,
            "| 机主 Holder | {} · {} |",
            short(&app.holder_name),
            short(&app.id_masked)
        );
    }
}

/// The quoted fees, the retention offer and its answer, and the payments.
fn fees_and_payments(out: &mut String, summary: &Summary) {
    if !summary.items.is_empty() {
        let _ = writeln!(
            out,
            "\n## 费用 Fees (as quoted by the carrier)\n\n| item | label | amount |\n|---|---|---:|"
        );
        for item in &summary.items {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                fee_label(item.kind),
                short(&item.label),
                item.amount
            );
        }
        if let Some(total) = summary.total {
            let _ = writeln!(out, "| **合计 Total** | | **{total}** |");
        }
        if let Some(offer) = &summary.plan_change {
            let _ = writeln!(
                out,
                "| **应付 Due** | 改套餐，非退订 plan change, not a cancellation: {}/月 a month | **{}** |",
                offer.monthly_fee,
                Fen::ZERO
            );
        }
    }
    if let Some((offer, accepted)) = &summary.retention {
        let answer = if *accepted {
            "accepted 接受"
        } else {
            "declined 拒绝"
        };
        let _ = writeln!(
            out,
            "\n## 挽留 Retention offer\n\n{} ({} /month) — {answer}",
            long(&offer.description),
            offer.monthly_fee
        );
    }
    if !summary.payments.is_empty() {
        let _ = writeln!(out, "\n## 缴费 Payments\n");
        for (p, amount) in &summary.payments {
            let card = p
                .card_last4
                .as_ref()
                .map(|l| format!(", card ****{}", short(l)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- {} — {:?}{card}, {amount}, {:?}",
                short(&p.id),
                p.method,
                p.state
            );
        }
    }
}

/// The carrier's notices, then every record in order.
fn notices_and_timeline(out: &mut String, summary: &Summary, records: &[Record]) {
    let _ = writeln!(out, "\n## 短信通知 Carrier notices\n");
    if summary.notices.is_empty() {
        let _ = writeln!(out, "None received. 未收到运营商短信。");
    }
    for n in &summary.notices {
        let _ = writeln!(
            out,
            "- {} — {}",
            beijing(n.sent_at.to_utc()).format("%Y-%m-%d %H:%M:%S%:z"),
            long(&n.text)
        );
    }
    timeline(out, records);
}

/// Every record in order.
fn timeline(out: &mut String, records: &[Record]) {
    let _ = writeln!(out, "\n## 时间线 Timeline\n");
    for r in records {
        let _ = writeln!(
            out,
            "{}. {} — {}",
            r.seq,
            beijing(r.at_utc).format("%Y-%m-%d %H:%M:%S%:z"),
            describe(r)
        );
    }
}

#[derive(Serialize)]
struct ExportJson<'a> {
    order: Option<&'a str>,
    chain: &'a str,
    intact: bool,
    final_sha256: Option<&'a str>,
    broken_at: Option<u32>,
    /// Intact and anchored by a MAC under the key outside the receipts folder.
    anchored: bool,
    /// What was paid, in fen, each payment id counted once.
    paid_fen: i64,
    records: &'a [Record],
}

/// The JSON export: every record as stored, with the verdict.
pub fn export_json(
    summary: &Summary,
    records: &[Record],
    verdict: &Result<String, Broken>,
    anchoring: Anchoring,
) -> String {
    let doc = ExportJson {
        order: summary.order_id.as_deref(),
        chain: &summary.name,
        intact: verdict.is_ok(),
        final_sha256: verdict.as_ref().ok().map(String::as_str),
        broken_at: verdict.as_ref().err().map(|b| b.seq),
        anchored: verdict.is_ok() && anchoring == Anchoring::Anchored,
        paid_fen: summary.paid().0,
        records,
    };
    let json =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    // Verbatim once parsed; nothing a terminal acts on when printed.
    text::json(&json) + "\n"
}
