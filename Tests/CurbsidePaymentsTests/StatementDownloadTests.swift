import AsyncHTTPClient
import Crypto
import CurbsideCore
import CurbsidePayments
import CurbsideSimulation
import CurbsideTestThreads
import Foundation
import Testing

/// Statements downloaded by the channel clients from the loopback
/// simulators, and the zip and GBK reading Alipay's need, hostile files
/// included.
@Suite("Channel statements downloaded", .ownThread)
struct StatementDownloadTests {
    /// Today in China, as the simulators date payments.
    static var today: String {
        LocalDate(dayNumber: ZoneClock(identifier: "Asia/Shanghai")!.localDay(Date().seconds)).description
    }

    @Test("WeChat Pay's trade bill: applied for, downloaded with a signed request, checked by its SHA1; none for a quiet day; STATEMENT_CREATING and a damaged file refused")
    func weChatTradeBill() async throws {
        try await WeChatPayClientTests.withSimulator { simulator, client in
            // No server here to notify.
            simulator.losesNotifications = true
            for (number, fen) in [("PAY-S1", 1_250), ("PAY-S2", 300)] {
                _ = try await client.place(WeChatPayClientTests.order(number, fen: fen), scene: .native)
                try await simulator.pay(number)
            }
            // An order for Int.max fen is refused, and the statement's totals never meet it.
            await #expect(throws: WeChatPayError.refused(status: 400, code: "PARAM_ERROR", message: "The order's parameters are not valid.")) {
                try await client.place(WeChatPayClientTests.order("PAY-HUGE", fen: .max), scene: .native)
            }
            let text = try #require(try await client.tradeBill(day: Self.today))
            let lines = try ChannelStatement.lines(text).sorted { $0.paymentID < $1.paymentID }
            #expect(lines.map(\.paymentID) == ["PAY-S1", "PAY-S2"] && lines.map(\.amountFen) == [1_250, 300])
            #expect(lines.map(\.transactionID) == ["PAY-S1", "PAY-S2"].map { simulator.order($0)?.transactionID ?? "" })
            #expect(try await client.tradeBill(day: "2026-01-01") == nil)
            simulator.holdsStatements = true
            await #expect(throws: WeChatPayError.refused(status: 400, code: "STATEMENT_CREATING", message: "账单生成中")) {
                try await client.tradeBill(day: Self.today)
            }
            simulator.holdsStatements = false
            simulator.damagesStatements = true
            let damaged = await #expect(throws: WeChatPayError.self) { try await client.tradeBill(day: Self.today) }
            #expect(damaged?.description.contains("SHA1") == true, "\(String(describing: damaged))")
            #expect(simulator.refusedRequests == 0)
        }
    }

    @Test("Alipay's statement: its download URL from a signed answer, the zip read, the GBK details file decoded; none for a quiet day")
    func alipayBill() async throws {
        try await AlipayClientTests.withSimulator { simulator, client in
            simulator.losesNotifications = true
            _ = try await client.precreate(AlipayClientTests.order("PAY-A1", fen: 800))
            try await simulator.pay("PAY-A1")
            let text = try #require(try await client.tradeBill(day: Self.today))
            #expect(text.hasPrefix("#支付宝业务明细查询"))
            #expect(try ChannelStatement.lines(text) == [.init(paymentID: "PAY-A1", transactionID: simulator.trade("PAY-A1")?.tradeNo ?? "", amountFen: 800)])
            #expect(try await client.tradeBill(day: "2026-01-01") == nil)
            simulator.holdsStatements = true
            await #expect(throws: AlipayError.refused(code: "20000", subCode: "isp.unknow-error", message: "系统繁忙")) {
                try await client.tradeBill(day: Self.today)
            }
        }
    }

    @Test("Zip archives: entries read back with their GBK names; cut short, damaged or too large when unpacked, refused with a reason")
    func zipArchives() throws {
        let name = try #require(GB18030.encode("20880000000000000156_20261201_业务明细.csv"))
        let details = try #require(GB18030.encode(String(repeating: "支付宝交易号,商户订单号,业务类型\r\n", count: 200)))
        let zip = ZipWriter.archive([(name, details), (Array("empty.txt".utf8), [])])
        let entries = try ZipArchive(zip).entries
        #expect(entries.map(\.name) == ["20880000000000000156_20261201_业务明细.csv", "empty.txt"])
        #expect(entries.first?.data == details && GB18030.decode(details)?.hasPrefix("支付宝交易号") == true)

        #expect(throws: ZipArchive.Unreadable.self) { try ZipArchive(Array(zip.prefix(zip.count - 30))) }
        #expect(throws: ZipArchive.Unreadable.self) { try ZipArchive(Array("not a zip at all, but long enough to look".utf8)) }
        var damaged = zip
        // A byte of the first entry's deflated data.
        damaged[30 + name.count + 10] ^= 0xFF
        #expect(throws: ZipArchive.Unreadable.self) { try ZipArchive(damaged) }
        let tooLarge = #expect(throws: ZipArchive.Unreadable.self) { try ZipArchive(zip, limit: 1_000) }
        #expect(tooLarge?.description == "the entries unpack to more than 1000 bytes")
        // A hostile directory pointing past the end, or an entry claiming 4 GB, is refused, not trusted.
        var lying = zip
        let end = zip.count - 22
        lying[end + 16] = 0xFF
        lying[end + 17] = 0xFF
        #expect(throws: ZipArchive.Unreadable.self) { try ZipArchive(lying) }
    }
}
