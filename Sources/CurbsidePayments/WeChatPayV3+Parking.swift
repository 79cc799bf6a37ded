import CurbsideCore
import Foundation

/// What WeChat Pay's parking service notifies: a deduction charged or not
/// (TRANSACTION.SUCCESS, TRANSACTION.FAIL), or an entry whose state changed
/// (VEHICLE.ENTRANCE_STATE_CHANGE). Told apart by the decrypted resource.
public enum WeChatParkingNotification: Sendable, Equatable {
    /// `failure` is WeChat Pay's description when the deduction failed.
    case trade(ChannelNotification, failure: String?)
    case entry(outParkingNo: String, parkingID: String, state: String, blockReason: String?)
}

extension WeChatPayV3 {
    /// Checks and decrypts a parking service notification as a payment notification is checked.
    public func verifyParking(timestamp: String, nonce: String, signature: String, body: [UInt8], now: Int64) throws(NotificationError) -> WeChatParkingNotification {
        try verifySignature(timestamp: timestamp, nonce: nonce, signature: signature, body: body, now: now)
        let plain = try resource(of: body)
        struct Trade: Decodable {
            struct Amount: Decodable { var total: Int; var currency: String? }
            var out_trade_no: String; var transaction_id: String?; var trade_state: String; var trade_state_description: String?; var amount: Amount
        }
        struct Entry: Decodable { var out_parking_no: String; var parking_id: String; var parking_state: String; var block_reason: String? }
        if let trade = try? JSONDecoder().decode(Trade.self, from: plain) {
            let succeeded = trade.trade_state == "SUCCESS"
            return .trade(ChannelNotification(
                channel: .wechat, paymentID: trade.out_trade_no, transactionID: trade.transaction_id ?? "", amountFen: trade.amount.total,
                currency: trade.amount.currency ?? "CNY", succeeded: succeeded
            ), failure: succeeded ? nil : trade.trade_state_description ?? trade.trade_state)
        }
        if let entry = try? JSONDecoder().decode(Entry.self, from: plain) {
            return .entry(outParkingNo: entry.out_parking_no, parkingID: entry.parking_id, state: entry.parking_state, blockReason: entry.block_reason)
        }
        throw .malformed("The decrypted resource is neither a parking deduction nor an entry.")
    }
}
