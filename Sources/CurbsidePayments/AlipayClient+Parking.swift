import CurbsideCore
import Foundation

/// Alipay's parking calls (`alipay.eco.mycar.parking.*`): signed and checked
/// as every other Alipay call is. Times are China's, as Alipay writes them.
extension AlipayClient {
    /// Whether the plate's owner signed Alipay's parking deduction agreement for our lot (车牌代扣状态查询).
    public func parkingAgreement(plate: String, parkingID: String) async throws(AlipayError) -> Bool {
        struct Answer: Decodable { var agreement_status: String? }
        let answer: Answer = try await call("alipay.eco.mycar.parking.agreement.query", biz: ["car_number": plate, "parking_id": parkingID], notifyURL: nil)
        return answer.agreement_status == AlipayParking.agreementSigned
    }

    /// Syncs a car in (车辆驶入); the same stay again is the same entry (our session is its out_serial_no).
    public func parkingEntered(
        parkingID: String, plate: String, at start: Date, outSerialNo: String, freeMinutes: Int
    ) async throws(AlipayError) -> AlipayParking.Entry {
        struct Answer: Decodable { var serial_no: String?; var agreement_status: String? }
        let answer: Answer = try await call("alipay.eco.mycar.parking.enterinfo.sync", biz: [
            "parking_id": parkingID, "car_number": plate, "in_time": AlipayMerchant.timestamp(start), "out_serial_no": outSerialNo,
            "free_minutes": String(freeMinutes), "agreement_query": "true",
        ], notifyURL: nil)
        return AlipayParking.Entry(serialNo: answer.serial_no, agreementSigned: answer.agreement_status == AlipayParking.agreementSigned)
    }

    /// Syncs the car out (车辆驶出) with what the stay cost.
    public func parkingExited(_ deduction: AlipayParking.Deduction, outSerialNo: String) async throws(AlipayError) {
        struct Answer: Decodable { var code: String }
        var biz: [String: Any] = [
            "parking_id": deduction.parkingID, "car_number": deduction.plate, "out_time": AlipayMerchant.timestamp(deduction.end),
            "out_serial_no": outSerialNo, "order_amount": Money.yuan(deduction.amountFen), "actual_amount": Money.yuan(deduction.amountFen),
        ]
        if let serial = deduction.serialNo { biz["serial_no"] = serial }
        let _: Answer = try await call("alipay.eco.mycar.parking.exitinfo.sync", biz: biz, notifyURL: nil)
    }

    /// Charges the stay to the owner's Alipay account under the deduction agreement (停车缴费代扣); asking again with the
    /// same out_trade_no is the same charge. Alipay charges at once: its 10000 answer is the payment.
    public func payParking(_ deduction: AlipayParking.Deduction) async throws(AlipayError) -> AlipayParking.Payment {
        struct Answer: Decodable { var out_trade_no: String?; var trade_no: String?; var total_fee: String?; var user_id: String?; var gmt_payment: String? }
        var biz: [String: Any] = [
            "car_number": deduction.plate, "out_trade_no": deduction.outTradeNo, "subject": deduction.subject, "total_fee": Money.yuan(deduction.amountFen),
            "parking_id": deduction.parkingID, "out_parking_id": deduction.outParkingID, "in_time": AlipayMerchant.timestamp(deduction.start),
            "out_time": AlipayMerchant.timestamp(deduction.end), "in_duration": String(deduction.minutes),
        ]
        if let serial = deduction.serialNo { biz["serial_no"] = serial }
        let answer: Answer = try await call("alipay.eco.mycar.parking.order.pay", biz: biz, notifyURL: nil)
        guard answer.out_trade_no == deduction.outTradeNo, let trade = answer.trade_no, let fen = answer.total_fee.flatMap(Money.fen(fromYuan:)) else {
            throw .malformedAnswer("the deduction's answer is about \(answer.out_trade_no ?? "?"), or has no trade_no or total_fee")
        }
        return AlipayParking.Payment(outTradeNo: deduction.outTradeNo, tradeNo: trade, amountFen: fen, userID: answer.user_id, paidAt: answer.gmt_payment)
    }

    /// Records the paid stay in the owner's Alipay parking orders (订单同步).
    public func syncParkingOrder(_ payment: AlipayParking.Payment, deduction: AlipayParking.Deduction, parkingName: String) async throws(AlipayError) {
        struct Answer: Decodable { var code: String }
        let paidAt = payment.paidAt ?? AlipayMerchant.timestamp(deduction.end)
        let _: Answer = try await call("alipay.eco.mycar.parking.order.sync", biz: [
            "user_id": payment.userID ?? "", "out_parking_id": deduction.outParkingID, "parking_name": parkingName, "car_number": deduction.plate,
            "out_order_no": deduction.outTradeNo, "order_status": "0", "order_time": AlipayMerchant.timestamp(deduction.end), "order_no": payment.tradeNo,
            "pay_time": paidAt, "pay_type": "2", "pay_money": Money.yuan(payment.amountFen), "in_time": AlipayMerchant.timestamp(deduction.start),
            "parking_id": deduction.parkingID, "in_duration": String(deduction.minutes),
        ], notifyURL: nil)
    }

    /// The plate of a car the owner chose in Alipay's car-owner pages (车牌查询): Alipay hands us only its car_id.
    public func parkingVehicle(carID: String) async throws(AlipayError) -> String {
        struct Answer: Decodable { var car_number: String? }
        let answer: Answer = try await call("alipay.eco.mycar.parking.vehicle.query", biz: ["car_id": carID], notifyURL: nil)
        guard let plate = answer.car_number, !plate.isEmpty else { throw .malformedAnswer("no car_number for the car") }
        return plate
    }
}
