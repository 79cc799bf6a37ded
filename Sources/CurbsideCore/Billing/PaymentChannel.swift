/// The ways a citizen pays (seed 003 第5条 lists the payment types fee records carry).
public enum PaymentChannel: String, Sendable, Codable, CaseIterable {
    case wechat
    case alipay
    case unionpay
    case bankCard = "bank_card"
    case etc
    /// Collected on the street by patrol.
    case cash
    /// The citizen's stored-value wallet.
    case wallet
}
