//! `unsubscribe-wizard receipts complaint ORDER`: a draft appeal built from
//! the vault — first to the carrier, then, if it does not answer within 15
//! days (or the answer is unsatisfying), to the telecom appeal centre 12300.

use std::fmt::Write as _;

use super::summary::{Standing, Summary, beijing};

/// The draft, in Chinese with English guidance, ready to fill in and send.
pub fn draft(summary: &Summary, final_hash: Option<&str>) -> String {
    let order = summary
        .order_id
        .as_deref()
        .unwrap_or("（尚未分配 not yet assigned）");
    let plan = summary
        .plan
        .as_ref()
        .map(|(n, _)| n.as_str())
        .unwrap_or("（套餐名称 plan name）");
    let started = beijing(summary.started).format("%Y年%m月%d日 %H:%M");
    let last = beijing(summary.last_change).format("%Y年%m月%d日 %H:%M");
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
            .map(|a| a.holder_name.as_str())
            .unwrap_or("____"),
        summary.msisdn_masked
    );
    let _ = writeln!(
        out,
        "## 被投诉方 Respondent\n\n{}（{}），客服热线 {}\n",
        summary.carrier.name_zh(),
        summary.carrier.name_en(),
        summary.carrier.hotline()
    );
    let _ = writeln!(out, "## 事实 Facts\n");
    let _ = writeln!(
        out,
        "1. {started}，我通过官方渠道申请退订「{plan}」，订单号 {order}。"
    );
    if let Some(total) = summary.total {
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
        Standing::Stopped(kind) => format!("截至 {last}，退订未获确认（{kind}）"),
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
                n.text
            );
        }
    }
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
    let _ = writeln!(out, "\n## 期限 Deadlines\n");
    let _ = writeln!(
        out,
        "- Part 1 — to {}: by hotline {} or its official app; note the complaint ticket number. The carrier should answer within 15 days.",
        summary.carrier.name_en(),
        summary.carrier.hotline()
    );
    let _ = writeln!(
        out,
        "- Part 2 — to the telecom appeal centre (工业和信息化部电信用户申诉受理中心, 12300, or its website): only after the carrier has not answered within 15 days, or its answer is unsatisfying. The centre decides within 5 working days whether to accept, and answers within 30 days."
    );
    let _ = writeln!(
        out,
        "- Fee disputes must be raised within 5 months of the charge; other disputes within 2 years."
    );
    let _ = writeln!(out, "\n日期 Date: ____        签名 Signature: ____");
    out
}
