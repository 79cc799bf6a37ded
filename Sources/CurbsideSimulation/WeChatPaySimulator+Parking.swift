import CurbsidePayments
import Foundation
import Vapor

/// WeChat Pay's parking service (微信支付分停车服务) on the simulator: the
/// plate's service looked up, cars entered, deductions taken (ACCEPTED) and
/// charged a moment later, SUCCESS or PAY_FAIL, each notified signed and
/// encrypted as payments are; an entry blocked later is notified too.
extension WeChatPaySimulator {
    func parkingRoutes(_ app: Application) {
        app.get("v3", "vehicle", "parking", "services", "find") { [unowned self] request async throws -> Response in
            try await self.slowly { self.findService(request) }
        }
        app.post("v3", "vehicle", "parking", "parkings") { [unowned self] request async throws -> Response in
            try await self.slowly { self.enter(request) }
        }
        app.post("v3", "vehicle", "transactions", "parking") { [unowned self] request async throws -> Response in
            try await self.slowly { try self.deduct(request) }
        }
        app.get("v3", "vehicle", "transactions", "out-trade-no", ":number") { [unowned self] request async throws -> Response in
            try await self.slowly { self.deduction(request) }
        }
        // `POST /simulator/parking/open?plate_number=&plate_color=&openid=`: the user opens the service in WeChat, for a tool under test.
        app.post("simulator", "parking", "open") { [unowned self] request -> Response in
            guard let plate = request.query[String.self, at: "plate_number"], let colour = request.query[String.self, at: "plate_color"],
                  let openID = request.query[String.self, at: "openid"]
            else { return Response(status: .badRequest) }
            self.parking.open(plate: plate, colour: colour, openID: openID)
            return Response(status: .noContent)
        }
    }

    /// Charges every deduction still ACCEPTED (with `parking.holdsDeductions`), as WeChat Pay does a moment after taking it.
    public func chargeDeductions() async throws {
        let waiting = lock.withLock { orders.values.filter { $0.kind == "parking" && $0.state == .notPaid }.map(\.outTradeNo) }
        for number in waiting.sorted() { try await charge(number) }
    }

    /// The user's service is paused or removed while the car is parked: the entry is blocked and that is notified.
    public func blockParking(_ outParkingNo: String, reason: String) async throws {
        guard let entry = parking.update(outParkingNo, state: "BLOCKED", reason: reason) else { throw SimulatorError("no entry \(outParkingNo)") }
        let notification = try channels.weChatNotification(event: "VEHICLE.ENTRANCE_STATE_CHANGE", id: entry.parkingID, resource: Self.entryJSON(entry, stateKey: "parking_state"),
                                                           associatedData: "vehicle", at: clock().seconds, signer: nil)
        try await loopback.notify(entry.notifyURL, contentType: "application/json", headers: notification.headers, body: notification.body)
    }

    private func findService(_ request: Request) -> Response {
        if let refusal = checkSignature(request) { return refusal }
        guard let plate = request.query[String.self, at: "plate_number"], let colour = request.query[String.self, at: "plate_color"],
              let openID = request.query[String.self, at: "openid"], request.query[String.self, at: "appid"] != nil
        else { return refuse(.badRequest, "PARAM_ERROR", "appid, plate_number, plate_color and openid are required.") }
        let state = parking.state(plate: plate, colour: colour, openID: openID)
        return signed(.ok, Self.json([
            "plate_number": plate, "plate_color": colour, "openid": openID, "service_state": state.rawValue, "service_open_time": "2026-11-01T09:00:00+08:00",
        ]))
    }

    private func enter(_ request: Request) -> Response {
        if let refusal = checkSignature(request) { return refusal }
        struct Body: Decodable {
            var out_parking_no: String; var plate_number: String; var plate_color: String; var notify_url: String; var start_time: String
            var parking_name: String; var free_duration: Int
        }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(buffer: request.body.data ?? ByteBuffer())), body.free_duration >= 0 else {
            return refuse(.badRequest, "PARAM_ERROR", "The entry's parameters are not valid.")
        }
        let entry = parking.enter(.init(
            parkingID: "", outParkingNo: body.out_parking_no, plate: body.plate_number, colour: body.plate_color, start: body.start_time,
            parkingName: body.parking_name, notifyURL: body.notify_url, state: "", blockReason: nil
        ))
        return signed(.ok, Self.entryJSON(entry, stateKey: "state", freeDuration: body.free_duration))
    }

    private func deduct(_ request: Request) throws -> Response {
        if let refusal = checkSignature(request) { return refusal }
        struct Body: Decodable {
            struct Amount: Decodable { var total: Int; var currency: String }
            struct Info: Decodable { var parking_id: String; var plate_number: String; var plate_color: String; var start_time: String; var end_time: String }
            var appid: String; var description: String; var out_trade_no: String; var notify_url: String; var trade_scene: String
            var amount: Amount; var parking_info: Info
        }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(buffer: request.body.data ?? ByteBuffer())), body.trade_scene == "PARKING",
              body.amount.currency == "CNY", (1...PaymentChannelSimulator.largestOrderFen).contains(body.amount.total)
        else { return refuse(.badRequest, "PARAM_ERROR", "参数错误") }
        guard let entry = parking.entry(parkingID: body.parking_info.parking_id), entry.plate == body.parking_info.plate_number,
              entry.colour == body.parking_info.plate_color
        else { return refuse(.badRequest, "INVALID_REQUEST", "停车入场id不存在") }
        guard entry.state == "NORMAL" else { return refuse(.badRequest, "INVALID_REQUEST", "停车入场状态不可用(\(entry.blockReason ?? entry.state))") }
        let existing: Order? = lock.withLock {
            if let order = orders[body.out_trade_no] { return order }
            orders[body.out_trade_no] = Order(
                outTradeNo: body.out_trade_no, appID: body.appid, kind: "parking", amountFen: body.amount.total, notifyURL: body.notify_url, state: .notPaid,
                parkingID: body.parking_info.parking_id
            )
            return nil
        }
        if let existing, existing.amountFen != body.amount.total || existing.kind != "parking" {
            return refuse(.badRequest, "INVALID_REQUEST", "out_trade_no was used with other parameters.")
        }
        // Answered as taken (ACCEPTED) before the charge can start: it comes later, notified.
        let answer = signed(.ok, Self.tradeJSON(existing ?? order(body.out_trade_no)!, entry: entry))
        if existing == nil, !parking.holdsDeductions {
            let number = body.out_trade_no
            Task { [weak self] in try? await self?.charge(number) }
        }
        return answer
    }

    private func deduction(_ request: Request) -> Response {
        if let refusal = checkSignature(request) { return refusal }
        guard let order = order(request.parameters.get("number") ?? ""), order.kind == "parking" else {
            return refuse(.notFound, "ORDER_NOT_EXIST", "No such order.")
        }
        return signed(.ok, Self.tradeJSON(order, entry: nil))
    }

    /// Charges an ACCEPTED deduction: SUCCESS, or PAY_FAIL for a plate whose account cannot pay; notified unless notifications are lost.
    private func charge(_ number: String) async throws {
        let failing = parking.failingPlates
        let charged: (Order, String)? = lock.withLock {
            guard var order = orders[number], order.state == .notPaid else { return nil }
            let plate = order.parkingID.flatMap { parking.entry(parkingID: $0)?.plate } ?? ""
            if failing.contains(plate) {
                order.state = .failed
            } else {
                sequence += 1
                order.state = .success
                order.transactionID = String(format: "4200%018d", sequence)
                order.paidAt = clock().seconds
            }
            orders[number] = order
            return losesNotifications ? nil : (order, order.state == .success ? "TRANSACTION.SUCCESS" : "TRANSACTION.FAIL")
        }
        guard let (order, event) = charged else { return }
        let notification = try channels.weChatNotification(
            event: event, id: order.transactionID ?? "F" + order.outTradeNo, resource: Self.tradeJSON(order, entry: nil), associatedData: "transaction",
            at: clock().seconds, signer: nil
        )
        try await loopback.notify(order.notifyURL, contentType: "application/json", headers: notification.headers, body: notification.body)
    }

    static func tradeJSON(_ order: Order, entry: SimulatedParkingService.Entry?) -> String {
        let state = switch order.state {
        case .success: "SUCCESS"
        case .failed: "PAY_FAIL"
        case .refund: "REFUND"
        default: "ACCEPTED"
        }
        var fields: [String: Any] = [
            "appid": order.appID, "out_trade_no": order.outTradeNo, "trade_state": state, "trade_scene": "PARKING",
            "trade_state_description": state == "PAY_FAIL" ? "用户账户余额不足" : state, "amount": ["total": order.amountFen, "currency": "CNY"],
        ]
        fields["transaction_id"] = order.transactionID
        if order.state == .success { fields["success_time"] = "2026-12-02T12:00:00+08:00" }
        if let entry { fields["parking_info"] = ["parking_id": entry.parkingID, "plate_number": entry.plate, "plate_color": entry.colour] }
        return json(fields)
    }

    static func entryJSON(_ entry: SimulatedParkingService.Entry, stateKey: String, freeDuration: Int = 1800) -> String {
        var fields: [String: Any] = [
            "id": entry.parkingID, "parking_id": entry.parkingID, "out_parking_no": entry.outParkingNo, "plate_number": entry.plate,
            "plate_color": entry.colour, "start_time": entry.start, "parking_name": entry.parkingName, "free_duration": freeDuration, stateKey: entry.state,
        ]
        fields["block_reason"] = entry.blockReason
        return json(fields)
    }

    static func json(_ fields: [String: Any]) -> String {
        (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
