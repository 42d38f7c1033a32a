//! `unsubscribe-wizard receipts complaint ORDER`: a draft appeal built from
//! the vault — first to the carrier, then, if it does not answer within 15
//! days (or the answer is unsatisfying), to the telecom appeal centre 12300.

use std::fmt::Write as _;
use std::io;
use std::path::PathBuf;

use super::receipts::{long, short};
use super::summary::{Standing, Summary, beijing};
use crate::store::vault::{Vault, VaultError};

/// Why the complaint draft could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ComplaintError {
    /// The order's receipts could not be read (the vault's message says
    /// what to do).
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// The receipts hold nothing a draft could be built from.
    #[error("order {order} has no readable receipts")]
    NoReadableReceipts {
        /// The order asked for.
        order: String,
    },
    /// The draft could not be saved beside the receipts.
    #[error("{}: {source}", path.display())]
    Write {
        /// Where it was to go.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: io::Error,
    },
}

/// Writes the complaint draft for `order` beside its receipts
/// (`complaint-draft.md`) and returns its path.
pub fn write_complaint(vault: &Vault, order: &str) -> Result<PathBuf, ComplaintError> {
    let (records, verdict) = vault.read(order)?;
    let summary =
        Summary::of(order, &records).ok_or_else(|| ComplaintError::NoReadableReceipts {
            order: order.to_owned(),
        })?;
    let text = draft(&summary, verdict.as_ref().ok().map(String::as_str));
    let path = vault.chain_dir(order).join("complaint-draft.md");
    match crate::store::atomic::write(&path, crate::text::document(&text).as_bytes()) {
        Ok(()) => Ok(path),
        Err(source) => Err(ComplaintError::Write { path, source }),
    }
}

/// The draft, in Chinese with English guidance, ready to fill in and send.
pub fn draft(summary: &Summary, final_hash: Option<&str>) -> String {
    let order = summary
        .order_id
        .as_deref()
        .map_or_else(|| "（尚未分配 not yet assigned）".to_owned(), short);
    let order = order.as_str();
    let mut out = String::new();
    let _ = writeln!(out, "# 投诉草稿 Draft complaint — {order}\n");
    let _ = writeln!(
        out,
        "Fill in the blanks (____) before sending. Send part 1 to the carrier first; part 2 only if the carrier has not answered within 15 days, or its answer does not resolve the problem.\n"
    );
    let _ = writeln!(
        out,
        "## 投诉人 Complainant\n\n- 姓名 Name: {}\n- 联系地址 Address: ____\n- 联系电话 Phone: ____\n- 邮编 Postcode: ____\n- 涉及号码 Number concerned: {}\n",
        summary
            .application
            .as_ref()
            .map_or_else(|| "____".to_owned(), |a| short(&a.holder_name)),
        short(&summary.msisdn_masked)
    );
    let _ = writeln!(
        out,
        "## 被投诉方 Respondent\n\n{}（{}），客服热线 {}\n",
        summary.carrier.name_zh(),
        summary.carrier.name_en(),
        summary.carrier.hotline()
    );
    match &summary.guided {
        Some(guided) => super::guided_export::complaint_facts(&mut out, summary, guided),
        None => facts(&mut out, summary, order),
    }
    for (at, _, line) in &summary.bills {
        if let Some(line) = line {
            let _ = writeln!(
                out,
                "- 账单核对 Bill check, {}: 退订生效后的账单仍有该业务的收费：「{}」。",
                beijing(*at).format("%Y年%m月%d日"),
                long(line)
            );
        }
    }
    request_and_evidence(&mut out, order, final_hash);
    deadlines(&mut out, summary);
    out
}

/// What happened, numbered: the application, the quote, the payment, where
/// the order stands and the carrier's notices.
fn facts(out: &mut String, summary: &Summary, order: &str) {
    let plan = summary
        .plan
        .as_ref()
        .map_or_else(|| "（套餐名称 plan name）".to_owned(), |(n, _)| short(n));
    let started = beijing(summary.started).format("%Y年%m月%d日 %H:%M");
    let last = beijing(summary.last_change).format("%Y年%m月%d日 %H:%M");
    let _ = writeln!(out, "## 事实 Facts\n");
    let _ = writeln!(
        out,
        "1. {started}，我通过官方渠道申请退订「{plan}」，订单号 {order}。"
    );
    if let Some(offer) = &summary.plan_change {
        let _ = writeln!(
            out,
            "2. 我接受了运营商的挽留优惠，申请改为「{}」，月费 {}，无需缴纳任何费用（这是改套餐，不是退订）。",
            long(&offer.description),
            offer.monthly_fee
        );
    } else if let Some(total) = summary.total {
        let _ = writeln!(
            out,
            "2. 运营商报价合计 {total}{}。",
            summary
                .effective_date
                .map(|d| format!("，生效日期 {d}"))
                .unwrap_or_default()
        );
    }
    let paid = summary.paid();
    if paid.is_positive() {
        let _ = writeln!(out, "3. 我已缴纳 {paid}（缴费记录见附件）。");
    }
    let state = match &summary.standing {
        Standing::Cancelled => "运营商已确认退订".to_owned(),
        Standing::RetentionAccepted => "我接受了挽留优惠".to_owned(),
        Standing::Stopped(kind) => {
            format!("截至 {last}，退订未获确认（{}）", long(&kind.to_string()))
        }
        Standing::InProgress(_) if summary.plan_change.is_some() => {
            format!("截至 {last}，运营商仍未确认改套餐")
        }
        Standing::InProgress(_) => format!("截至 {last}，运营商仍未确认退订"),
    };
    let _ = writeln!(out, "4. {state}。");
    if summary.notices.is_empty() {
        let _ = writeln!(out, "5. 我未收到运营商的短信通知。");
    } else {
        let _ = writeln!(out, "5. 收到的运营商通知：");
        for n in &summary.notices {
            let _ = writeln!(
                out,
                "   - {} {}",
                beijing(n.sent_at.to_utc()).format("%Y-%m-%d %H:%M"),
                long(&n.text)
            );
        }
    }
}

/// What is asked for, and the receipts that prove it.
fn request_and_evidence(out: &mut String, order: &str, final_hash: Option<&str>) {
    let _ = writeln!(
        out,
        "\n## 诉求 Request\n\n请确认并完成上述套餐的退订，自生效日期起停止计费；对生效日期之后产生的费用予以退还；书面答复处理结果。\n"
    );
    let _ = writeln!(
        out,
        "## 证据 Evidence\n\n附：`unsubscribe-wizard receipts export {order} --format md` 导出的凭证（含报价、提交记录、缴费记录与短信通知）。"
    );
    if let Some(hash) = final_hash {
        let _ = writeln!(out, "凭证链最终 SHA-256：{hash}");
    }
}

/// Where to send each part and by when, then the signature line.
fn deadlines(out: &mut String, summary: &Summary) {
    let _ = writeln!(out, "\n## 期限 Deadlines\n");
    let _ = writeln!(
        out,
        "- Part 1 — to {}: by hotline {} or its official app; note the complaint ticket number. The carrier should answer within 15 days.",
        summary.carrier.name_en(),
        summary.carrier.hotline()
    );
    if let Some(guided) = &summary.guided {
        super::guided_export::deadline_line(out, guided);
    }
    let _ = writeln!(
        out,
        "- Part 2 — to the telecom appeal centre (工业和信息化部电信用户申诉受理中心, 12300, or its website): only after the carrier has not answered within 15 days, or its answer is unsatisfying. The centre decides within 5 working days whether to accept, and answers within 30 days."
    );
    let _ = writeln!(
        out,
        "- Fee disputes must be raised within 5 months of the charge; other disputes within 2 years."
    );
    let _ = writeln!(out, "\n日期 Date: ____        签名 Signature: ____");
}
