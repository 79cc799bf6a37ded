import Foundation

/// The parking service's calls (微信支付分停车服务): signed and checked as
/// every other WeChat Pay API v3 call is.
extension WeChatPayClient {
    /// Whether `openID` has the service open for the plate (查询车牌服务开通信息).
    public func parkingService(plate: String, colour: String, openID: String) async throws(WeChatPayError) -> WeChatParking.ServiceState {
        let query = ["appid": merchant.appID, "plate_number": plate, "plate_color": colour, "openid": openID]
            .sorted { $0.key < $1.key }.map { "\($0.key)=\(ChannelText.escaped($0.value))" }.joined(separator: "&")
        struct Service: Decodable { var plate_number: String?; var service_state: String }
        let service: Service = try Self.decode(try await send("GET", "/v3/vehicle/parking/services/find?\(query)", json: nil))
        guard let state = WeChatParking.ServiceState(rawValue: service.service_state) else {
            throw .malformedAnswer("unknown service_state \(service.service_state)")
        }
        return state
    }

    /// Enters a parked car (创建停车入场); entering the same out_parking_no again answers the same entry.
    public func enterParking(
        outParkingNo: String, plate: String, colour: String, start: Date, parkingName: String, freeSeconds: Int, notifyURL: String
    ) async throws(WeChatPayError) -> WeChatParking.Entry {
        let answer = try await send("POST", "/v3/vehicle/parking/parkings", json: [
            "out_parking_no": outParkingNo, "plate_number": plate, "plate_color": colour, "notify_url": notifyURL,
            "start_time": ChannelText.rfc3339(start), "parking_name": parkingName, "free_duration": freeSeconds,
        ])
        struct Entry: Decodable { var id: String; var out_parking_no: String; var state: String; var block_reason: String? }
        let entry: Entry = try Self.decode(answer)
        guard entry.out_parking_no == outParkingNo else { throw .malformedAnswer("the answer is about entry \(entry.out_parking_no), not \(outParkingNo)") }
        return WeChatParking.Entry(parkingID: entry.id, outParkingNo: entry.out_parking_no, state: entry.state, blockReason: entry.block_reason)
    }

    /// Asks for the stay's fee (停车扣费受理): WeChat Pay takes it (ACCEPTED) and charges the user's account, or says it cannot.
    public func deduct(_ deduction: WeChatParking.Deduction) async throws(WeChatPayError) -> WeChatParking.Trade {
        let answer = try await send("POST", "/v3/vehicle/transactions/parking", json: [
            "appid": merchant.appID, "description": deduction.description, "out_trade_no": deduction.outTradeNo, "notify_url": deduction.notifyURL,
            "trade_scene": "PARKING", "profit_sharing": "N", "amount": ["total": deduction.amountFen, "currency": "CNY"],
            "parking_info": [
                "parking_id": deduction.parkingID, "plate_number": deduction.plate, "plate_color": deduction.colour,
                "start_time": ChannelText.rfc3339(deduction.start), "end_time": ChannelText.rfc3339(deduction.end),
                "parking_name": deduction.parkingName, "charging_duration": deduction.chargingSeconds, "device_id": deduction.deviceID,
            ] as [String: Any],
        ])
        return try Self.parkingTrade(answer, of: deduction.outTradeNo)
    }

    /// A deduction as WeChat Pay has it now (查询订单).
    public func parkingTrade(outTradeNo: String) async throws(WeChatPayError) -> WeChatParking.Trade {
        try Self.parkingTrade(try await send("GET", "/v3/vehicle/transactions/out-trade-no/\(ChannelText.escaped(outTradeNo))", json: nil), of: outTradeNo)
    }

    static func parkingTrade(_ answer: [UInt8], of outTradeNo: String) throws(WeChatPayError) -> WeChatParking.Trade {
        struct Trade: Decodable {
            struct Amount: Decodable { var total: Int? }
            var out_trade_no: String
            var trade_state: String
            var trade_state_description: String?
            var transaction_id: String?
            var success_time: String?
            var amount: Amount?
        }
        let trade: Trade = try decode(answer)
        guard trade.out_trade_no == outTradeNo else { throw .malformedAnswer("the answer is about order \(trade.out_trade_no), not \(outTradeNo)") }
        guard let state = WeChatParking.Trade.State(rawValue: trade.trade_state) else { throw .malformedAnswer("unknown trade_state \(trade.trade_state)") }
        return WeChatParking.Trade(
            outTradeNo: outTradeNo, state: state, description: trade.trade_state_description, transactionID: trade.transaction_id,
            amountFen: trade.amount?.total, successTime: trade.success_time
        )
    }
}
