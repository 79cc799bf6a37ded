import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideSimulation
import Foundation

/// Reaching the citizen in the demo: notices go by SMS through the Alibaba
/// Cloud SMS simulator (the real client, signed requests, the text file's
/// template), and its delivery reports come back over HTTP.
extension DemoDay {
    static let citizenPhone = "13800138000"

    /// The first notice the outbox sent, as its recipient reads it, with its QR code's size.
    func firstNotice(_ bill: Bill, finance: Client) async throws -> String? {
        let detail = try await finance.getBill(path: .init(number: bill.number)).ok.body.json
        guard let notice = detail.value2.notices.first else { return nil }
        let token = String(detail.value2.payLink.split(separator: "/").last ?? "")
        let png = try await Data(collecting: client.api().getPayLinkQR(path: .init(token: token)).ok.body.png, upTo: 1 << 20)
        return "\(notice.text)  [QR code: \(png.count) bytes of PNG; sent by \(notice.channel ?? "none") to \(notice.recipient)]"
    }

    /// A citizen signs in by the code the SMS provider carried and binds the plate of an unpaid bill from its notice; answers the citizen.
    @discardableResult
    func citizenBinds(_ bill: Bill, finance: Client, phone: String = Self.citizenPhone, quietly: Bool = false) async throws -> Client {
        let anyone = client.api()
        _ = try await anyone.requestSignInCode(body: .json(.init(phone: phone))).accepted
        guard let sms = channels.sms.sent.last, let code = sms.parameters["code"] else { throw DemoError("The SMS simulator took no sign-in code.") }
        if !quietly {
            output("")
            output("Reaching the citizen: \(phone) asks for a sign-in code; Alibaba Cloud SMS takes it (SendSms, template \(sms.template), "
                   + "signed HMAC-SHA1, BizId \(sms.providerID))")
        }
        let citizen = client.api(try await anyone.signIn(body: .json(.init(phone: phone, code: code))).ok.body.json.token)
        let link = try await finance.getBill(path: .init(number: bill.number)).ok.body.json.value2.payLink
        let plate = try CurbsideCore.Plate(parsing: bill.plate)
        _ = try await citizen.bindPlate(body: .json(.init(plate: plate.text, colour: .init(rawValue: bill.plateColour.rawValue) ?? .blue,
                                                          noticeToken: String(link.split(separator: "/").last ?? "")))).created
        if !quietly { output("  Signed in with it, the citizen binds \(bill.plate) with the token of its notice's link: its notices now come to the phone") }
        return citizen
    }

    /// A week on, the arrears job reminds every unpaid bill; the bound plate's reminder goes by SMS and its delivery report comes back.
    func weekLater(_ bill: Bill, finance: Client) async throws {
        let instant = jobs.now + 7 * Milliseconds.day + Milliseconds.hour
        let run = CurbsideApp.arrearsRun(jobs.app.db, configuration, store: jobs.store)
        var reminders = 0
        while case let round = try await run.runOnce(now: instant), round.examined > 0 { reminders += round.notices }
        let before = channels.sms.sent.count
        let sent = try await jobs.sendNotices(at: instant)
        output("")
        output("A week later the arrears job reminds every unpaid bill: \(reminders) reminders; the outbox sends \(sent) notices (the refund's among them), "
               + "\(channels.sms.sent.count - before) by SMS to the citizens who bound their plates, the rest to plates nobody bound")
        guard let sms = channels.sms.sent.last else { return }
        output("  To \(sms.phone): template \(sms.template) with \(sms.parameters.keys.sorted().joined(separator: ", ")); status: "
               + (try await delivery(bill, finance: finance)))
        guard let answer = try await channels.sms.pushReports() else { return }
        output("  Alibaba Cloud pushes its delivery report to POST /v1/channels/sms/aliyun/reports -> \(answer.status) \(answer.body); status: "
               + (try await delivery(bill, finance: finance)))
    }

    private func delivery(_ bill: Bill, finance: Client) async throws -> String {
        let notice = try await finance.getBill(path: .init(number: bill.number)).ok.body.json.value2.notices.last
        return [notice?.delivery?.rawValue ?? "waiting", notice?.deliveryCode].compactMap { $0 }.joined(separator: " ")
    }
}
