import CurbsideCore

/// The pay page's words, in Chinese (the default) or English.
struct PayPageText {
    enum Language: String {
        case zh, en

        var htmlCode: String { self == .zh ? "zh-CN" : "en" }

        /// `lang` if given, else the browser's first choice between the two, else Chinese.
        init(query: String?, acceptLanguage: String?) {
            if let query, let language = Language(rawValue: query) {
                self = language
                return
            }
            let first = acceptLanguage?.split(separator: ",").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            self = first.hasPrefix("en") ? .en : .zh
        }
    }

    enum Key {
        case title, lines, evidence, receipt, paymentNumber, channel, amount, transaction, paidAt, payWith, scanHint, noChannel
        case due, paid, void, appealed, unknown, noCar, parked, bill, plate, bay, start, end, tariff, dueOn, stayFrom, soFar, prepaid
        case waiting, expired, failed
    }

    let language: Language
    /// This page's address in the other language.
    let otherLanguageLink: String

    init(_ language: Language, path: String) {
        self.language = language
        let other: Language = language == .zh ? .en : .zh
        otherLanguageLink = "<a href=\"\("\(path)?lang=\(other.rawValue)".escaped)\">\(other == .en ? "English" : "中文")</a>"
    }

    subscript(key: Key) -> String {
        let words = Self.words[key] ?? ("", "")
        return language == .zh ? words.zh : words.en
    }

    func channel(_ channel: PaymentChannel) -> String {
        channel.name(in: language.rawValue)
    }

    /// What the script says while it works.
    var scriptTexts: [String: String] {
        ["waiting": self[.waiting], "expired": self[.expired], "failed": self[.failed]]
    }

    private static let words: [Key: (zh: String, en: String)] = [
        .title: ("路侧停车缴费", "On-street parking payment"),
        .lines: ("计费明细", "How it was priced"),
        .evidence: ("取证照片", "Evidence"),
        .receipt: ("缴费凭证", "Receipt"),
        .paymentNumber: ("支付单号", "Payment"),
        .channel: ("支付方式", "Paid with"),
        .amount: ("金额", "Amount"),
        .transaction: ("交易号", "Transaction"),
        .paidAt: ("支付时间", "Paid at"),
        .payWith: ("选择支付方式", "Pay with"),
        .scanHint: ("请用对应的App扫码支付（微信内可长按识别）", "Scan with the app to pay (in WeChat, press and hold the code)"),
        .noChannel: ("本站暂不能在线支付，请到服务点缴费。", "Online payment is not available here; please pay at a service point."),
        .due: ("待缴费用", "Amount due"),
        .paid: ("已缴清，谢谢", "Paid, thank you"),
        .void: ("此账单已作废，无需缴费", "This bill was voided: nothing to pay"),
        .appealed: ("申诉处理中，仍可先行缴费，核减部分将原路退回", "Under appeal: you may still pay, and anything reduced is refunded"),
        .unknown: ("未找到此账单，请核对通知中的链接", "No bill found: please check the link in your notice"),
        .noCar: ("此泊位当前没有停放车辆", "No car is parked in this bay now"),
        .parked: ("本次停车至今费用", "Your stay so far"),
        .bill: ("账单号", "Bill"),
        .plate: ("车牌", "Plate"),
        .bay: ("泊位", "Bay"),
        .start: ("驶入时间", "Arrived"),
        .end: ("驶离时间", "Left"),
        .tariff: ("收费标准", "Tariff"),
        .dueOn: ("缴费期限", "Due by"),
        .stayFrom: ("停车开始", "Parked since"),
        .soFar: ("至今应缴", "Due so far"),
        .prepaid: ("已预缴", "Prepaid"),
        .waiting: ("正在等待支付结果…", "Waiting for the payment to go through…"),
        .expired: ("订单已过期，请重新支付", "The order expired; please pay again"),
        .failed: ("暂时无法下单，请稍后再试", "The order could not be placed; please try again in a moment"),
    ]
}
