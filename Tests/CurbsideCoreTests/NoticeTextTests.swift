import CurbsideCore
import CurbsideTestThreads
import Testing

/// Notice texts as the city writes them: template ids before `---`, the body
/// with named parameters after.
@Suite("Notice texts", .ownThread)
struct NoticeTextTests {
    @Test("Template ids are read from the header; parameters are filled by name and ordered as they first appear")
    func parsed() throws {
        let text = try NoticeText(kind: .reminder, file: "aliyun: SMS_1\r\ntencent: 42\r\n---\r\n${plate} 欠费 ${amount} 元，${plate} 请于 ${due} 前缴纳：${link}\r\n\r\n")
        #expect(text.templates == ["aliyun": "SMS_1", "tencent": "42"])
        #expect(text.order == ["plate", "amount", "due", "link"])
        #expect(text.render(["plate": "粤J5K321", "amount": "12.00", "due": "2026-12-01", "link": "https://p/x"])
            == "粤J5K321 欠费 12.00 元，粤J5K321 请于 2026-12-01 前缴纳：https://p/x")
        #expect(text.values(["plate": "A", "amount": "1"]).map(\.value) == ["A", "1", "", ""])
        // A WeChat subscription template names which parameter fills which of its keys.
        let wechat = try NoticeText(kind: .reminder, file: "wechat: TPL-1 plate=car_number1, amount=amount2\n---\n${plate} ${amount}")
        #expect(wechat.wechat?.template == "TPL-1" && wechat.templates["wechat"] == "TPL-1")
        #expect(wechat.wechat?.keys.map(\.parameter) == ["plate", "amount"] && wechat.wechat?.keys.map(\.key) == ["car_number1", "amount2"])
        #expect(throws: NoticeTextError.unknownParameter("code", allowed: NoticeKind.reminder.parameters.sorted())) {
            try NoticeText(kind: .reminder, file: "wechat: TPL-1 code=thing1\n---\n${plate}")
        }
        #expect(throws: NoticeTextError.header("wechat: TPL-1")) { try NoticeText(kind: .reminder, file: "wechat: TPL-1\n---\n${plate}") }
        // No header: a text for channels that send it as it is.
        #expect(try NoticeText(kind: .signInCode, file: "验证码 ${code}").templates.isEmpty)
    }

    @Test("A text that cannot be sent as written is refused with the reason")
    func refused() {
        #expect(throws: NoticeTextError.unknownParameter("code", allowed: NoticeKind.reminder.parameters.sorted())) {
            try NoticeText(kind: .reminder, file: "请缴纳 ${code}")
        }
        #expect(throws: NoticeTextError.unclosed) { try NoticeText(kind: .reminder, file: "请缴纳 ${amount") }
        #expect(throws: NoticeTextError.header("SMS_1")) { try NoticeText(kind: .reminder, file: "SMS_1\n---\n请缴纳") }
        #expect(throws: NoticeTextError.empty) { try NoticeText(kind: .reminder, file: "aliyun: SMS_1\n---\n \n") }
    }

    @Test("Every kind needs a Chinese text; a language without a kind's text falls back to Chinese")
    func fallback() throws {
        let chinese = try Dictionary(uniqueKeysWithValues: NoticeKind.allCases.map { ($0, try NoticeText(kind: $0, file: "中文 \($0.rawValue)")) })
        var partial = chinese
        partial[.refund] = nil
        #expect(throws: NoticeTextError.missing(.refund)) { try NoticeTexts(["zh": partial]) }
        let texts = try NoticeTexts(["zh": chinese, "en": [.refund: try NoticeText(kind: .refund, file: "Refunded ${amount}")]])
        #expect(texts.text(.refund, language: "en").body == "Refunded ${amount}")
        #expect(texts.text(.reminder, language: "en").body == "中文 reminder")
        #expect(texts.text(.reminder, language: "fr").body == "中文 reminder" && texts.text(.reminder, language: nil).body == "中文 reminder")
    }
}
