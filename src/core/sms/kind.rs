//! Which kind of message it is, by rules checked in a fixed order, and the
//! reply that confirms a cancellation. The order is the safety: a list, a
//! failure and an opt-out of reminders are decided before anything could
//! read as a cancellation, and an invitation to reply in order to ORDER is
//! marketing, never a prompt.

use serde::{Deserialize, Serialize};

use super::Reply;
use super::products;
use super::scan::{self, has_any, token_at, word_at};
use super::senders;
use crate::core::model::CarrierId;

/// The kinds of message the parser tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A list of subscribed services (the reply to "0000").
    ServiceList,
    /// The carrier asks for a reply to confirm a cancellation.
    ConfirmPrompt,
    /// 受理: the request is in progress, not yet done.
    Accepted,
    /// The cancellation is done, or will take effect on a date.
    Cancelled,
    /// Refused, with the reason.
    Failed,
    /// A charge, penalty, bill line or new monthly fee.
    FeeNotice,
    /// Reminders or marketing switched off — never proof of a cancellation.
    OptOutNotice,
    /// A login or verification code.
    LoginCode,
    /// Marketing, including any invitation to reply to order something.
    Marketing,
    /// Anything else; kept verbatim for the person to read.
    Other,
}

impl Kind {
    /// The name as the JSON and the strings files spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::ServiceList => "service_list",
            Kind::ConfirmPrompt => "confirm_prompt",
            Kind::Accepted => "accepted",
            Kind::Cancelled => "cancelled",
            Kind::Failed => "failed",
            Kind::FeeNotice => "fee_notice",
            Kind::OptOutNotice => "opt_out_notice",
            Kind::LoginCode => "login_code",
            Kind::Marketing => "marketing",
            Kind::Other => "other",
        }
    }
}

/// Verbs of ending a product.
const CANCEL_VERBS: &[&str] = &["取消", "退订", "注销", "拆机", "解约", "关闭", "退出"];
/// Verbs of getting something.
const ORDER_VERBS: &[&str] = &[
    "订购", "办理", "开通", "领取", "参与", "购买", "升级", "加装", "预约", "抢", "兑换", "续订",
];
/// A cancellation that has happened (or is set for a date).
const DONE: &[&str] = &[
    "退订成功",
    "成功退订",
    "已退订",
    "取消成功",
    "成功取消",
    "已取消",
    "已为您取消",
    "已为您退订",
    "已为您办理退订",
    "已为您办理取消",
    "注销成功",
    "已注销",
    "已为您注销",
    "拆机成功",
    "已拆机",
    "已成功关闭",
    "关闭成功",
    "已关闭",
    "解约成功",
    "已解约",
];
/// A request taken in, not yet done.
const IN_PROGRESS: &[&str] = &[
    "已受理",
    "受理成功",
    "已收到您的",
    "正在为您处理",
    "正在处理",
    "处理中",
    "已提交",
    "预约成功",
    "将在",
    "将于",
    "工作日内",
    "将自动为您",
    "预约拆机",
];
/// A refusal.
const REFUSED: &[&str] = &[
    "退订失败",
    "取消失败",
    "办理失败",
    "注销失败",
    "操作失败",
    "失败原因",
    "未能成功",
    "无法为您",
    "无法退订",
    "无法取消",
    "无法进行",
    "无法办理",
    "不能退订",
    "不能取消",
    "不允许退订",
    "不允许取消",
    "不符合退订",
    "不满足",
    "未成功",
];
/// A code to log in or verify.
const CODE_WORDS: &[&str] = &[
    "验证码",
    "验证密码",
    "动态密码",
    "校验码",
    "短信密码",
    "随机码",
    "登录密码",
];
/// Promotions.
const PROMO_WORDS: &[&str] = &[
    "活动",
    "优惠",
    "特惠",
    "限时",
    "福利",
    "领取",
    "赠送",
    "送您",
    "免费领",
    "专享",
    "立享",
    "低至",
    "秒杀",
    "手慢无",
    "抽奖",
    "签到",
    "折",
    "红包",
    "权益",
];
/// Charges and bills.
const FEE_WORDS: &[&str] = &[
    "扣费",
    "扣除",
    "扣取",
    "收取",
    "账单",
    "违约金",
    "费用合计",
    "本期消费",
    "月基本费",
    "已产生",
    "增值业务费",
    "欠费",
    "充值",
    "余额",
    "成功订购",
    "订购成功",
    "已订购",
    "开通成功",
    "资费",
];
/// Words that mark a list of subscribed services.
const LIST_WORDS: &[&str] = &[
    "已订购",
    "已开通",
    "订购了",
    "开通的",
    "您订购的",
    "已订业务",
    "定制的",
    "订制的",
    "回复序号",
    "回复相应序号",
    "回复业务序号",
    "相应的序号",
    "序号",
];

/// The kind of `text` (normalised, footers masked).
pub fn classify(text: &str) -> Kind {
    if text.trim().is_empty() {
        return Kind::Other;
    }
    let done = has_any(text, DONE);
    if !done && is_login_code(text) {
        return Kind::LoginCode;
    }
    if has_any(text, LIST_WORDS) && products::list_items(text).len() >= 2 {
        return Kind::ServiceList;
    }
    if has_any(text, REFUSED)
        && has_any(
            text,
            &[
                "失败",
                "无法",
                "不能",
                "不允许",
                "不符合",
                "不满足",
                "未成功",
                "未能",
            ],
        )
    {
        return Kind::Failed;
    }
    if is_opt_out(text) {
        return Kind::OptOutNotice;
    }
    let replies = replies(text);
    if !done && replies.iter().any(|r| r.cancels) {
        return Kind::ConfirmPrompt;
    }
    if done {
        return Kind::Cancelled;
    }
    if has_any(text, &["受理", "申请"]) && has_any(text, IN_PROGRESS) && has_any(text, CANCEL_VERBS)
    {
        return Kind::Accepted;
    }
    if replies.iter().any(|r| r.orders) {
        return Kind::Marketing;
    }
    // An order confirmation states a new charge; its "优惠活动" is no offer.
    if has_any(text, &["成功订购", "订购成功", "开通成功"]) && has_any(text, &["元", "免费"])
    {
        return Kind::FeeNotice;
    }
    let promo = has_any(text, PROMO_WORDS);
    let bill = has_any(text, &["账单", "扣费", "本期", "违约金", "扣除"]);
    if promo && !bill {
        return Kind::Marketing;
    }
    if has_any(text, FEE_WORDS) && has_any(text, &["元", "扣费", "扣取", "账单", "免费"]) {
        return Kind::FeeNotice;
    }
    if promo {
        return Kind::Marketing;
    }
    Kind::Other
}

/// A code word followed (or preceded) closely by 4 to 8 digits.
fn is_login_code(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len()).any(|i| {
        let Some(n) = word_at(&chars, i, CODE_WORDS) else {
            return false;
        };
        let window = |from: usize, to: usize| -> bool {
            let mut run = 0;
            for c in &chars[from.min(chars.len())..to.min(chars.len())] {
                if c.is_ascii_digit() {
                    run += 1;
                } else {
                    if (4..=8).contains(&run) {
                        return true;
                    }
                    run = 0;
                }
            }
            (4..=8).contains(&run)
        };
        window(i + n, i + n + 12) || window(i.saturating_sub(10), i)
    })
}

/// Reminders or marketing switched off: a cancel verb that happened, whose
/// object is the messages (提醒, 通知, 短信 but not 短信包…), or "将不再向您发送".
fn is_opt_out(text: &str) -> bool {
    if has_any(
        text,
        &[
            "将不再向您发送",
            "不再向您推送",
            "将不再收到",
            "不再接收此类",
            "不再向您发送",
        ],
    ) {
        return true;
    }
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len()).any(|i| {
        let Some(n) = word_at(&chars, i, &["退订", "取消", "关闭"]) else {
            return false;
        };
        let before: String = chars[i.saturating_sub(4)..i].iter().collect();
        let after: String = chars[i + n..(i + n + 16).min(chars.len())]
            .iter()
            .take_while(|c| !scan::CLAUSE_END.contains(c))
            .collect();
        let happened = has_any(&before, &["已", "成功"]) || after.starts_with("成功");
        let about_messages = has_any(
            &after,
            &["提醒", "通知", "推送", "营销", "广告", "此类", "本类"],
        ) || (after.contains("短信")
            && !has_any(&after, &["短信包", "短信套餐", "短信业务"]));
        happened && about_messages
    })
}

/// A reply a message invites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invited {
    /// The text to send.
    pub token: String,
    /// A number named in the text to send it to.
    pub to: Option<String>,
    /// Whether the reply confirms a cancellation.
    pub cancels: bool,
    /// Whether the reply orders something.
    pub orders: bool,
}

/// Every reply the text invites ("回复“Y”确认取消", "回复是办理", "发送1到10086"),
/// each judged by its own clause: a cancel verb without 不 makes it
/// cancelling; an order verb without a cancel verb makes it ordering.
pub fn replies(text: &str) -> Vec<Invited> {
    let mut found = Vec::new();
    for clause in scan::clauses(text) {
        let chars: Vec<char> = clause.chars().collect();
        for i in 0..chars.len() {
            let Some(n) = word_at(&chars, i, &["回复", "发送", "编辑短信", "编辑"])
            else {
                continue;
            };
            let Some((token, end)) = token_at(&chars, i + n) else {
                continue;
            };
            let to = word_at(&chars, end, &["到", "至"]).and_then(|k| {
                let (_, len) = scan::digits_at(&chars, end + k, 12);
                (len >= 5).then(|| chars[end + k..end + k + len].iter().collect())
            });
            let negated = has_any(clause, &["不取消", "不退订", "不注销", "不办理", "不订购"])
                && !has_any(clause, &["确认取消", "确认退订", "确认注销"]);
            let cancels = !negated && has_any(clause, CANCEL_VERBS);
            let orders = !cancels && !negated && (has_any(clause, ORDER_VERBS) || token == "是");
            found.push(Invited {
                token,
                to,
                cancels,
                orders,
            });
            if found.len() >= 16 {
                return found;
            }
        }
    }
    found
}

/// The reply that confirms a cancellation, sent only ever to an official
/// number: one named in the text, else the sender the person named, else
/// the carrier's SMS number. For a list the text is the chosen key.
pub fn cancel_reply(
    text: &str,
    kind: Kind,
    carrier: Option<CarrierId>,
    from: Option<&str>,
) -> Option<Reply> {
    let official = |n: &str| senders::is_official(n, carrier);
    let cancelling: Vec<Invited> = replies(text).into_iter().filter(|r| r.cancels).collect();
    if cancelling
        .iter()
        .any(|r| r.to.as_deref().is_some_and(|n| !official(n)))
    {
        // A cancellation "confirmed" at an unofficial number is a scam's shape.
        return None;
    }
    let invited = cancelling
        .iter()
        .find(|r| r.to.is_some())
        .or_else(|| cancelling.first())
        .cloned();
    let named = invited.as_ref().and_then(|r| r.to.clone());
    let to = named
        .or_else(|| {
            from.filter(|f| official(f))
                .and_then(senders::official_number)
                .map(str::to_owned)
        })
        .or_else(|| carrier.map(|c| senders::sms_number(c).to_owned()))?;
    let text_to_send = match kind {
        Kind::ServiceList => None,
        _ => Some(invited?.token),
    };
    Some(Reply {
        to,
        text: text_to_send,
        deadline_minutes: deadline_minutes(text),
    })
}

/// "2小时内回复" / "10分钟内有效" → minutes.
pub fn deadline_minutes(text: &str) -> Option<u32> {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len()).find_map(|i| {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_digit()) {
            return None;
        }
        let (value, len) = scan::digits_at(&chars, i, 4);
        let unit = word_at(&chars, i + len, &["小时内", "个小时内", "分钟内"])?;
        let after = i + len + unit;
        let tail: String = chars[after..(after + 6).min(chars.len())].iter().collect();
        if !has_any(&tail, &["回复", "有效", "内回"]) {
            return None;
        }
        let minutes = if chars[i + len] == '分' {
            value
        } else {
            value.saturating_mul(60)
        };
        Some(minutes)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sms_reply_to_order_is_marketing_and_to_cancel_a_prompt() {
        assert_eq!(classify("回复“是”办理5G流量包，10元/月"), Kind::Marketing);
        assert_eq!(
            classify(
                "请确认是否取消和多号包月业务，回复“Y”确认取消，回复“N”不取消，2小时内回复有效"
            ),
            Kind::ConfirmPrompt
        );
    }

    #[test]
    fn sms_opt_out_of_reminders_is_never_a_cancellation() {
        assert_eq!(classify("您已成功退订账单提醒短信"), Kind::OptOutNotice);
        assert_eq!(
            classify("您已成功退订10元短信包，次月生效"),
            Kind::Cancelled
        );
    }

    #[test]
    fn sms_failed_accepted_and_code() {
        assert_eq!(classify("很抱歉，退订失败，原因：合约期内"), Kind::Failed);
        assert_eq!(
            classify("您的退订申请已受理，将在24小时内处理"),
            Kind::Accepted
        );
        assert_eq!(
            classify("验证码为：388947，请在3分钟内输入"),
            Kind::LoginCode
        );
    }

    #[test]
    fn sms_deadlines_in_minutes() {
        assert_eq!(deadline_minutes("2小时内回复有效"), Some(120));
        assert_eq!(deadline_minutes("10分钟内有效"), Some(10));
        assert_eq!(deadline_minutes("24小时内生效"), None);
    }
}
