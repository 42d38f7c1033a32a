//! A guided case in the export and the complaint: the channel, the carrier's
//! texts verbatim and the person's statements, each named as what it is, and
//! the 15-day clock from the 受理 date. Nothing here claims a payment: in
//! guided mode the carrier collects through its own channel and the wizard
//! never sees money move.

use std::fmt::Write as _;

use chrono::{DateTime, Duration, Utc};

use super::receipts::{long, short};
use super::summary::{GuidedFacts, Summary, beijing};
use crate::core::channels::{Channel, Kind as PackageKind};
use crate::core::flow::guided::{Source, Statement};
use crate::core::sms::Missing;

/// Days the carrier has to answer a request or complaint (GUIDE-FACTS.md).
pub const ANSWER_DAYS: i64 = 15;

/// The channel, in both languages.
pub fn channel_label(channel: Channel) -> &'static str {
    match channel {
        Channel::Sms => "短信 SMS",
        Channel::App => "手机营业厅 app",
        Channel::Hotline => "客服热线 hotline",
        Channel::Hall => "营业厅 business hall",
    }
}

/// The package kind, in both languages.
pub fn kind_label(kind: PackageKind) -> &'static str {
    match kind {
        PackageKind::DataPack => "流量包 data pack",
        PackageKind::ValueAdded => "增值业务 value-added service",
        PackageKind::Broadband => "宽带 broadband",
        PackageKind::MainPlan => "主套餐 main plan",
    }
}

fn source_label(source: Source) -> &'static str {
    match source {
        Source::CarrierText => "运营商短信 carrier text",
        Source::Statement => "本人陈述 my statement",
    }
}

fn at(time: DateTime<Utc>) -> String {
    beijing(time).format("%Y-%m-%d %H:%M").to_string()
}

/// When the carrier's answer is due: 15 days after it accepted the request,
/// else after the person acted.
pub fn answer_due(guided: &GuidedFacts) -> Option<DateTime<Utc>> {
    let from = guided.accepted.as_ref().map(|a| a.at).or(guided.acted_at)?;
    from.checked_add_signed(Duration::days(ANSWER_DAYS))
}

/// The overview rows of a guided case (after carrier and number).
pub fn overview_rows(out: &mut String, guided: &GuidedFacts) {
    let _ = writeln!(out, "| 方式 Mode | 官方渠道引导 guided |");
    let _ = writeln!(out, "| 渠道 Channel | {} |", channel_label(guided.channel));
    if let Some(package) = &guided.package {
        let _ = writeln!(
            out,
            "| 业务 Package | {} ({}){} |",
            short(&package.name),
            kind_label(guided.kind),
            package
                .monthly_fee
                .map(|f| format!(", {f}/月 a month"))
                .unwrap_or_default()
        );
    }
    if let Some(reference) = guided.reference() {
        let _ = writeln!(out, "| 受理单号 Reference | {} |", short(reference));
    }
    let _ = writeln!(
        out,
        "| 缴费 Payment | 不经本向导，由运营商自行收取 not handled by the wizard: the carrier collects through its own channel |"
    );
}

/// The guided sections of the export: what the carrier quoted, every text
/// verbatim, every statement.
pub fn sections(out: &mut String, guided: &GuidedFacts) {
    if let Some(q) = &guided.quoted {
        let _ = writeln!(
            out,
            "\n## 运营商报价 Carrier's quote ({})\n\n| item | amount |\n|---|---:|\n| 违约金 penalty | {} |\n| 设备 equipment | {} |\n| 退款 refund | −{} |\n| **合计 Total** | **{}** |",
            source_label(q.quoted.source),
            q.quoted.penalty,
            q.quoted.equipment,
            q.quoted.refund,
            q.total
        );
        if let Some(estimate) = q.estimate {
            let _ = writeln!(
                out,
                "\nThe wizard's own estimate of the penalty by the fee rule was {estimate} (an estimate, not the carrier's figure)."
            );
        }
    }
    let _ = writeln!(out, "\n## 运营商短信 Carrier texts (verbatim, as pasted)\n");
    if guided.texts.is_empty() {
        let _ = writeln!(out, "None pasted. 未粘贴运营商短信。");
    }
    for text in &guided.texts {
        let _ = writeln!(
            out,
            "- pasted {}{} — read as {}:\n\n  > {}\n",
            at(text.at),
            text.from
                .as_deref()
                .map(|f| format!(", sender named as {}", short(f)))
                .unwrap_or_default(),
            text.parsed.kind.as_str(),
            long(&text.text).replace('\n', "\n  > ")
        );
    }
    if !guided.statements.is_empty() {
        let _ = writeln!(out, "\n## 本人陈述 My statements (not carrier texts)\n");
        for (time, statement) in &guided.statements {
            let _ = writeln!(out, "- {} — {}", at(*time), statement_zh_en(statement));
        }
    }
}

fn statement_zh_en(statement: &Statement) -> String {
    match statement {
        Statement::Acted => {
            "我已按指引通过官方渠道办理 I acted through the official channel".to_owned()
        }
        Statement::Reference { reference } => format!(
            "运营商给了受理单号 {0} the carrier gave me reference {0}",
            short(reference)
        ),
        Statement::Cancelled { effective_date } => format!(
            "运营商告知已退订{} the carrier told me it is cancelled",
            effective_date
                .map(|d| format!("，生效日期 {d}"))
                .unwrap_or_default()
        ),
    }
}

/// The complaint's numbered facts for a guided case.
pub fn complaint_facts(out: &mut String, summary: &Summary, guided: &GuidedFacts) {
    let package = guided.package.as_ref().map_or_else(
        || "（业务名称 package name）".to_owned(),
        |p| short(&p.name),
    );
    let _ = writeln!(out, "## 事实 Facts\n");
    let mut n = 1;
    let mut fact = |out: &mut String, text: String| {
        let _ = writeln!(out, "{n}. {text}");
        n += 1;
    };
    let acted = guided
        .acted_at
        .or(guided.accepted.as_ref().map(|a| a.at))
        .unwrap_or(summary.started);
    fact(
        out,
        format!(
            "{}，我通过{}申请退订「{package}」（{}）。",
            beijing(acted).format("%Y年%m月%d日"),
            channel_label(guided.channel),
            kind_label(guided.kind)
        ),
    );
    if let Some(accepted) = &guided.accepted {
        fact(
            out,
            format!(
                "{}，运营商受理{}（依据：{}）。",
                beijing(accepted.at).format("%Y年%m月%d日"),
                accepted
                    .reference
                    .as_deref()
                    .map(|r| format!("，受理单号 {}", short(r)))
                    .unwrap_or_default(),
                source_label(accepted.source)
            ),
        );
    }
    if let Some(q) = &guided.quoted {
        fact(
            out,
            format!(
                "运营商告知费用合计 {}（违约金 {}，设备 {}，退款 {}；依据：{}）。",
                q.total,
                q.quoted.penalty,
                q.quoted.equipment,
                q.quoted.refund,
                source_label(q.quoted.source)
            ),
        );
    }
    fact(out, confirmation_fact(summary, guided));
    if !guided.texts.is_empty() {
        fact(out, "收到的运营商短信（原文）：".to_owned());
        for text in &guided.texts {
            let _ = writeln!(out, "   - {} {}", at(text.at), long(&text.text));
        }
    }
}

/// The confirmation, or its absence, as a fact; a confirmation lacking what
/// the 2012 rule requires says so.
fn confirmation_fact(summary: &Summary, guided: &GuidedFacts) -> String {
    let Some(c) = &guided.confirmed else {
        return format!(
            "截至 {}，我未收到运营商的退订确认。",
            beijing(summary.last_change).format("%Y年%m月%d日 %H:%M")
        );
    };
    let lacks: Vec<&str> = c
        .missing
        .iter()
        .map(|m| match m {
            Missing::Price => "资费",
            Missing::EffectiveDate => "生效日期",
        })
        .collect();
    format!(
        "{}，运营商确认退订{}（依据：{}）{}。",
        beijing(c.at).format("%Y年%m月%d日"),
        c.effective_date
            .map(|d| format!("，生效日期 {d}"))
            .unwrap_or_default(),
        source_label(c.source),
        if lacks.is_empty() {
            String::new()
        } else {
            format!(
                "；该确认短信未写明{}，不符合工信部电管函[2012]27号的提醒要求",
                lacks.join("、")
            )
        }
    )
}

/// The carrier's answer deadline for a guided case, for the complaint.
pub fn deadline_line(out: &mut String, guided: &GuidedFacts) {
    if let Some(due) = answer_due(guided) {
        let _ = writeln!(
            out,
            "- The carrier's 15 days run from the 受理 date: its answer is due by {} (Beijing time). Only after that date, or after an unsatisfying answer, go to 12300.",
            beijing(due).format("%Y-%m-%d")
        );
    }
}
