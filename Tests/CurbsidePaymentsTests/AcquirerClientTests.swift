import AsyncHTTPClient
import Crypto
import CurbsideCore
import CurbsidePayments
import CurbsideSimulation
import CurbsideTestSupport
import CurbsideTestThreads
import Foundation
import Testing

/// Our side of the acquirer protocol (UnionPay, bank cards, ETC) against the
/// loopback simulator over real HTTP: requests signed with the shared secret
/// and checked there, answers signed there and checked here.
@Suite("Acquirer client", .ownThread)
struct AcquirerClientTests {
    static let channels = PaymentChannelSimulator.shared

    static func withSimulator(secret: SymmetricKey = channels.acquirerKey, _ body: (AcquirerSimulator, AcquirerClient) async throws -> Void) async throws {
        let simulator = try await AcquirerSimulator(channels: channels)
        simulator.losesNotifications = true
        let client = AcquirerClient(baseURL: simulator.baseURL, secret: secret, http: .shared, timeout: Loopback.deadline)
        do {
            try await body(simulator, client)
        } catch {
            try await simulator.stop()
            throw error
        }
        try await simulator.stop()
    }

    static func order(_ id: String, _ channel: PaymentChannel = .unionpay, fen: Int = 800, scene: AcquirerOrder.Scene = .qr) -> AcquirerOrder {
        AcquirerOrder(
            paymentID: id, channel: channel, subject: "路侧停车 \(id)", amountFen: fen, notifyURL: "http://127.0.0.1:9/notify", returnURL: "https://pay.example.cn/p/x",
            expiresAt: Date().addingTimeInterval(1_800), scene: scene
        )
    }

    @Test("An order's life: placed by QR or page, queried, paid, refunded in part, closed when unpaid; the day's statement per channel")
    func orderLife() async throws {
        try await Self.withSimulator { simulator, client in
            #expect(try await client.place(Self.order("PAY-U1")) == .qr("https://qr.95516.com/00010000/PAY-U1"))
            #expect(try await client.place(Self.order("PAY-B1", .bankCard, fen: 300, scene: .mobileWeb)) == .page(simulator.baseURL + "/cashier/PAY-B1"))
            await #expect(throws: AcquirerError.refused(status: 400, code: "INVALID_REQUEST", message: "amount_fen, currency or channel is not valid.")) {
                try await client.place(Self.order("PAY-HUGE", fen: .max))
            }
            #expect(try await client.query(paymentID: "PAY-U1").status == .pending)
            let transaction = try await simulator.pay("PAY-U1")
            let trade = try await client.query(paymentID: "PAY-U1")
            #expect(trade.status == .success && trade.transactionID == transaction && trade.amountFen == 800)
            let refund = try await client.refund(refundID: "R-1", paymentID: "PAY-U1", fen: 300, reason: "wrong class")
            #expect(refund.state == .succeeded && refund.channelRefundID?.hasPrefix("UR") == true && simulator.refunded("R-1") == 300)
            #expect(try await client.refund(refundID: "R-1") == refund)
            await #expect(throws: AcquirerError.refused(status: 400, code: "AMOUNT_EXCEEDS_PAID", message: "The refund is not taken.")) {
                try await client.refund(refundID: "R-2", paymentID: "PAY-U1", fen: Int.max, reason: "hostile")
            }
            try await client.close(paymentID: "PAY-B1")
            #expect(simulator.order("PAY-B1")?.status == .closed)
            await #expect(throws: AcquirerError.refused(status: 409, code: "ORDER_PAID", message: "The order cannot be closed.")) {
                try await client.close(paymentID: "PAY-U1")
            }
            let today = StatementDownloadTests.today
            #expect(try ChannelStatement.lines(try #require(try await client.statement(day: today, channel: .unionpay))) == [
                .init(paymentID: "PAY-U1", transactionID: transaction, amountFen: 800),
            ])
            #expect(try await client.statement(day: today, channel: .bankCard) == nil)
            #expect(simulator.refusedRequests == 0)
        }
    }

    @Test("A request signed with another secret is refused; an answer signed with another secret is not believed")
    func wrongSecrets() async throws {
        try await Self.withSimulator(secret: SymmetricKey(data: Data(String(repeating: "x", count: 32).utf8))) { simulator, client in
            await #expect(throws: AcquirerError.refused(status: 401, code: "SIGNATURE_INVALID", message: "The request's signature does not verify.")) {
                try await client.place(Self.order("PAY-X1"))
            }
            #expect(simulator.refusedRequests == 1 && simulator.order("PAY-X1") == nil)
        }
        try await Self.withSimulator { simulator, client in
            simulator.answerSigner = SymmetricKey(data: Data(String(repeating: "f", count: 32).utf8))
            await #expect(throws: AcquirerError.unverifiedAnswer) { try await client.place(Self.order("PAY-X2")) }
        }
    }
}
