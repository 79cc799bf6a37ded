import CurbsideStore

extension InvoiceSettings {
    /// Who can invoice what: WeChat Pay where it is on and its merchant configured, a platform where one is.
    func routing(_ orders: ChannelOrders) -> InvoiceRouting {
        InvoiceRouting(wechat: wechat && orders.wechat != nil, platform: platformURL != nil && platformSecret != nil, taxRate: taxRate)
    }
}
