import Crypto
import CurbsideCore
import CurbsidePayments
import Foundation
import Vapor

/// An invoicing platform on loopback, by docs/invoicing-platform.md:
/// invoices taken (ACCEPTED) and issued by the second query with a PDF and
/// an OFD, reversals likewise; every request's HMAC checked with the shared
/// secret, every answer signed with it.
public final class InvoicePlatformSimulator: @unchecked Sendable {
    /// The secret shared with Curbside (`CURBSIDE_INVOICE_PLATFORM_SECRET`).
    public let secret: String
    public private(set) var baseURL = ""
    public let invoicing = SimulatedInvoicing()
    public let clock: @Sendable () -> Date
    private let lock = NSLock()
    private var refusedSignatures = 0
    private let loopback: LoopbackChannel

    public init(secret: String = String((0..<40).map { _ in "0123456789abcdef".randomElement()! }), clock: @escaping @Sendable () -> Date = Date.init) async throws {
        self.secret = secret
        self.clock = clock
        loopback = try await LoopbackChannel()
        let app = loopback.app
        app.post("invoices") { [unowned self] request in self.checked(request) { try self.issue(request) } }
        app.get("invoices", ":id") { [unowned self] request in self.checked(request) { self.answer(self.invoicing.query(request.parameters.get("id") ?? "")) } }
        app.post("invoices", ":id", "reverse") { [unowned self] request in self.checked(request) { try self.reverse(request) } }
        // The files themselves, which the links in answers name.
        app.get("files", ":name") { request -> Response in
            Response(status: .ok, headers: ["Content-Type": "application/pdf"], body: .init(string: "%PDF-1.7 \(request.parameters.get("name") ?? "")"))
        }
        baseURL = try await loopback.start()
    }

    public func stop() async throws {
        try await loopback.stop()
    }

    /// Requests refused for their signature.
    public var refusedRequests: Int { lock.withLock { refusedSignatures } }

    private func checked(_ request: Request, _ answer: () throws -> Response) -> Response {
        let body = request.body.data.map { Array(buffer: $0) } ?? []
        let timestamp = request.headers.first(name: "X-Invoicing-Timestamp") ?? ""
        let key = SymmetricKey(data: Data(secret.utf8))
        let expected = AcquirerClient.requestSignature(timestamp: timestamp, method: request.method.rawValue, path: request.url.string, body: body, secret: key)
        guard let sent = Int64(timestamp), Freshness.within(300, sent: sent, now: clock().seconds),
              AcquirerCallback.same(expected, request.headers.first(name: "X-Invoicing-Signature") ?? "")
        else {
            lock.withLock { refusedSignatures += 1 }
            return refuse(.unauthorized, "SIGNATURE_INVALID", "The request's signature does not verify.")
        }
        if invoicing.isDown { return refuse(.serviceUnavailable, "UNAVAILABLE", "The platform is down for maintenance.") }
        do {
            return try answer()
        } catch {
            return refuse(.badRequest, "INVALID_REQUEST", "\(error)")
        }
    }

    private func issue(_ request: Request) throws -> Response {
        struct Body: Decodable {
            struct Buyer: Decodable { var type: String; var name: String; var taxpayer_id: String? }
            struct Line: Decodable { var bill: String; var tax_code: String; var tax_rate: Int; var amount_fen: Int; var tax_fen: Int }
            var invoice_id: String; var buyer: Buyer; var lines: [Line]; var total_fen: Int
        }
        let body = try JSONDecoder().decode(Body.self, from: Data(buffer: request.body.data ?? ByteBuffer()))
        guard !body.lines.isEmpty, body.lines.allSatisfy({ (1...PaymentChannelSimulator.largestOrderFen).contains($0.amount_fen) && (0...$0.amount_fen).contains($0.tax_fen) }),
              body.total_fen == body.lines.reduce(0, { $0 + $1.amount_fen }), ["personal", "company"].contains(body.buyer.type),
              body.buyer.type == "personal" || body.buyer.taxpayer_id != nil
        else { return refuse(.badRequest, "INVALID_REQUEST", "lines, total_fen or buyer is not valid.") }
        if invoicing.takesBusy() { return refuse(.tooManyRequests, "RATE_LIMITED", "Too many requests; slow down.") }
        if let id = body.buyer.taxpayer_id, invoicing.rejectedTaxpayers.contains(id) {
            return refuse(.badRequest, "BUYER_INVALID", "购买方纳税人识别号不正确")
        }
        guard let invoice = invoicing.take(.init(
            id: body.invoice_id, application: body.invoice_id, buyerName: body.buyer.name, taxpayerID: body.buyer.taxpayer_id, totalFen: body.total_fen,
            status: .accepted
        )) else { return refuse(.conflict, "INVOICE_CONFLICT", "invoice_id was used for other money.") }
        return answer(invoice)
    }

    private func reverse(_ request: Request) throws -> Response {
        let id = request.parameters.get("id") ?? ""
        guard invoicing.invoice(id) != nil else { return refuse(.notFound, "INVOICE_NOT_FOUND", "No such invoice.") }
        guard let invoice = invoicing.reverse(id, number: nil) else { return refuse(.conflict, "NOT_ISSUED", "Only an issued invoice can be reversed.") }
        return answer(invoice)
    }

    private func answer(_ invoice: SimulatedInvoicing.Invoice?) -> Response {
        guard let invoice else { return refuse(.notFound, "INVOICE_NOT_FOUND", "No such invoice.") }
        var fields: [String: Any] = ["invoice_id": invoice.id, "status": invoice.status.rawValue.uppercased()]
        if let number = invoice.number {
            fields["number"] = number
            fields["issued_at"] = "2026-12-02T12:00:00+08:00"
            fields["pdf_url"] = "\(baseURL)/files/\(number).pdf"
            fields["ofd_url"] = "\(baseURL)/files/\(number).ofd"
        }
        fields["red_number"] = invoice.redNumber
        let body = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return signed(.ok, body)
    }

    private func refuse(_ status: HTTPResponseStatus, _ code: String, _ message: String) -> Response {
        Response(status: status, headers: ["Content-Type": "application/json"], body: .init(string: #"{"code":"\#(code)","message":"\#(message)"}"#))
    }

    private func signed(_ status: HTTPResponseStatus, _ body: String) -> Response {
        let timestamp = String(clock().seconds)
        return Response(status: status, headers: [
            "Content-Type": "application/json", "X-Invoicing-Timestamp": timestamp,
            "X-Invoicing-Signature": AcquirerCallback.signature(timestamp: timestamp, body: Array(body.utf8), secret: SymmetricKey(data: Data(secret.utf8))),
        ], body: .init(string: body))
    }
}
