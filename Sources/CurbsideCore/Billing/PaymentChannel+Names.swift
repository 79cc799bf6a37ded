extension PaymentChannel {
    /// The channel's name as citizens know it, in Chinese or (`en`) English.
    public func name(in language: String?) -> String {
        let names: (zh: String, en: String) = switch self {
        case .wechat: ("微信支付", "WeChat Pay")
        case .alipay: ("支付宝", "Alipay")
        case .unionpay: ("银联", "UnionPay")
        case .bankCard: ("银行卡", "Bank card")
        case .etc: ("ETC", "ETC")
        case .cash: ("现金", "Cash")
        case .wallet: ("钱包", "Wallet")
        }
        return language == "en" ? names.en : names.zh
    }
}
