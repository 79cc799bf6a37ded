import CurbsideCore
import CurbsidePayments
import Foundation
import Vapor

/// Alipay's parking platform (`alipay.eco.mycar.parking.*`) on the
/// simulator: agreement and vehicle queries, stays synced in and out, the
/// deduction charged at once under the agreement (a trade like any other,
/// so `alipay.trade.query`, refunds and the statement know it), and paid
/// orders synced.
extension AlipaySimulator {
    func parkingCall(_ method: String, _ biz: [String: Any]) -> Response {
        func text(_ key: String) -> String? { (biz[key] as? String).flatMap { $0.isEmpty ? nil : $0 } }
        func refuse(_ sub: String, _ message: String) -> Response {
            answer(method, #"{"code":"40004","msg":"Business Failed","sub_code":"\#(sub)","sub_msg":"\#(message)"}"#)
        }
        let parkingID = text("parking_id")
        switch method {
        case "alipay.eco.mycar.parking.agreement.query":
            guard let plate = text("car_number"), parkingID == Self.parkingID else { return refuse("PARAMETER_ERROR", "car_number 或 parking_id 无效") }
            return answer(method, #"{"code":"10000","msg":"Success","agreement_status":"\#(parking.isSigned(plate) ? "1" : "0")"}"#)
        case "alipay.eco.mycar.parking.vehicle.query":
            guard let plate = text("car_id").flatMap(parking.vehicle) else { return refuse("CAR_NOT_EXIST", "车辆信息不存在") }
            return answer(method, #"{"code":"10000","msg":"Success","car_number":"\#(plate)"}"#)
        case "alipay.eco.mycar.parking.enterinfo.sync":
            guard let plate = text("car_number"), let inTime = text("in_time"), let serial = text("out_serial_no"), parkingID == Self.parkingID else {
                return refuse("PARAMETER_ERROR", "car_number、in_time、out_serial_no 或 parking_id 无效")
            }
            let stay = parking.enter(outSerialNo: serial, plate: plate, inTime: inTime)
            return answer(method, #"{"code":"10000","msg":"Success","serial_no":"\#(stay.serialNo)","agreement_status":"\#(parking.isSigned(plate) ? "1" : "0")"}"#)
        case "alipay.eco.mycar.parking.exitinfo.sync":
            guard let serial = text("out_serial_no"), let outTime = text("out_time"), parking.exit(outSerialNo: serial, outTime: outTime) else {
                return refuse("RECORD_NOT_EXIST", "入场记录不存在")
            }
            return answer(method, #"{"code":"10000","msg":"Success"}"#)
        case "alipay.eco.mycar.parking.order.pay":
            return payParking(method, text, refuse)
        case "alipay.eco.mycar.parking.order.sync":
            guard let outOrderNo = text("out_order_no"), let tradeNo = text("order_no"), text("order_status") == "0", text("user_id") != nil else {
                return refuse("PARAMETER_ERROR", "订单信息不完整")
            }
            parking.synced(order: outOrderNo, tradeNo: tradeNo)
            return answer(method, #"{"code":"10000","msg":"Success"}"#)
        default:
            return json(#"{"error_response":{"code":"40004","msg":"Business Failed","sub_code":"isv.invalid-method","sub_msg":"\#(method)"}}"#)
        }
    }

    /// 停车缴费代扣: charged at once for a plate under a signed agreement; the same out_trade_no again answers the same charge.
    private func payParking(_ method: String, _ text: (String) -> String?, _ refuse: (String, String) -> Response) -> Response {
        guard let plate = text("car_number"), let number = text("out_trade_no"), let fen = text("total_fee").flatMap(Money.fen(fromYuan:)),
              (1...PaymentChannelSimulator.largestOrderFen).contains(fen), text("parking_id") == Self.parkingID, text("subject") != nil
        else { return refuse("ACQ.INVALID_PARAMETER", "car_number、out_trade_no、total_fee、subject 或 parking_id 无效") }
        guard parking.isSigned(plate) else { return refuse("AGREEMENT_NOT_EXIST", "用户未签约停车代扣") }
        guard !parking.failingPlates.contains(plate) else { return refuse("ACQ.BUYER_BALANCE_NOT_ENOUGH", "买家余额不足") }
        let outcome: Result<Trade, SimulatorError> = lock.withLock {
            if let trade = trades[number] {
                return trade.amountFen == fen && trade.method == method ? .success(trade) : .failure(SimulatorError("ACQ.CONTEXT_INCONSISTENT"))
            }
            sequence += 1
            let trade = Trade(
                outTradeNo: number, method: method, amountFen: fen, notifyURL: "", status: .success,
                tradeNo: String(format: "2026%024d", sequence), paidAt: clock().seconds
            )
            trades[number] = trade
            return .success(trade)
        }
        guard case let .success(trade) = outcome else { return refuse("ACQ.CONTEXT_INCONSISTENT", "参数与已有交易不一致") }
        if parking.losesAnswer() { return answer(method, #"{"code":"20000","msg":"Service Currently Unavailable","sub_code":"isp.unknow-error","sub_msg":"系统繁忙"}"#) }
        return answer(method, #"""
            {"code":"10000","msg":"Success","out_trade_no":"\#(number)","trade_no":"\#(trade.tradeNo ?? "")","total_fee":"\#(Money.yuan(fen))","user_id":"2088102177846880","gmt_payment":"\#(AlipayMerchant.timestamp(clock()))"}
            """#)
    }
}
