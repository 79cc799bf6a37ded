import CurbsideCore
import CurbsidePayments

/// A channel's daily statement as the simulators write it: the payments a
/// channel took on one day of China's clock, in WeChat Pay's trade bill
/// (backtick before each field, a summary under its own header), in
/// Alipay's 业务明细 file (comment lines around the details) or in the
/// acquirer's plain CSV.
struct SimulatedStatement {
    struct Row {
        var outTradeNo: String
        var transactionID: String
        var fen: Int
        /// When it was paid, seconds.
        var paidAt: Int64
    }

    static let china = ZoneClock(identifier: "Asia/Shanghai")!

    let day: String
    let rows: [Row]

    /// The rows of `all` paid on `day`; nil when the day is not a date.
    init?(day: String, all: [Row]) {
        guard let instants = LocalDate(day)?.instants(in: Self.china) else { return nil }
        self.day = day
        rows = all.filter { instants.contains($0.paidAt) }.sorted { $0.paidAt < $1.paidAt }
    }

    func time(_ seconds: Int64) -> String {
        let text = LocalDateTime.format(seconds, in: Self.china)
        return text.prefix(10) + " " + text.dropFirst(11).prefix(8)
    }

    /// WeChat Pay's SUCCESS trade bill of a merchant.
    func weChat(appID: String, merchantID: String) -> String {
        var lines = ["交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,商品名称,商户数据包,手续费,费率,订单金额,费率备注"]
        for row in rows {
            let yuan = Money.yuan(row.fen)
            let fee = Money.yuan(row.fen * 6 / 1000)
            lines.append([
                time(row.paidAt), appID, merchantID, "0", "", row.transactionID, row.outTradeNo, "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "NATIVE", "SUCCESS",
                "OTHERS", "CNY", yuan, "0.00", "路侧停车 \(row.outTradeNo)", "", fee, "0.60%", yuan, "",
            ].map { "`" + $0 }.joined(separator: ","))
        }
        let total = Money.yuan(rows.reduce(0) { $0 + $1.fen })
        lines.append("总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额")
        lines.append(["\(rows.count)", total, "0.00", "0.00", "0.00", total, "0.00"].map { "`" + $0 }.joined(separator: ","))
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The acquirer's statement: payment_id, transaction_id, amount in yuan.
    func plain() -> String {
        (["payment_id,transaction_id,amount"] + rows.map { "\($0.outTradeNo),\($0.transactionID),\(Money.yuan($0.fen))" }).joined(separator: "\n") + "\n"
    }

    /// Alipay's statement zip: the details and their summary, GBK text under GBK names.
    func alipayZip(account: String) -> [UInt8] {
        let compact = day.replacingOccurrences(of: "-", with: "")
        var details = [
            "#支付宝业务明细查询", "#账号：[\(account)]", "#起始日期：[\(day) 00:00:00]   终止日期：[\(day) 23:59:59]",
            "#-----------------------------------------业务明细列表----------------------------------------",
            "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注",
        ]
        for row in rows {
            let yuan = Money.yuan(row.fen)
            details.append([
                row.transactionID + "\t", row.outTradeNo + "\t", "交易", "路侧停车 \(row.outTradeNo)", time(row.paidAt), time(row.paidAt), "", "", "", "",
                "pay***@example.com", yuan, yuan, "0.00", "0.00", "0.00", "0.00", "0.00", "", "0.00", "0.00", "", "0.00", "0.00", "",
            ].joined(separator: ","))
        }
        let total = Money.yuan(rows.reduce(0) { $0 + $1.fen })
        details += [
            "#-----------------------------------------业务明细列表结束------------------------------------",
            "#交易合计：\(rows.count)笔，商家实收共\(total)元，商家优惠共0.00元", "#退款合计：0笔，商家实收退款共0.00元，商家优惠退款共0.00元",
            "#导出时间：[\(day) 09:00:00]",
        ]
        let summary = [
            "#支付宝业务汇总查询", "#账号：[\(account)]", "门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）",
            "合计,,\(rows.count),0,\(total),\(total)",
        ]
        func file(_ name: String, _ lines: [String]) -> (name: [UInt8], data: [UInt8]) {
            (GB18030.encode(name) ?? [], GB18030.encode(lines.joined(separator: "\r\n") + "\r\n") ?? [])
        }
        return ZipWriter.archive([
            file("\(account)_\(compact)_业务明细.csv", details), file("\(account)_\(compact)_业务明细(汇总).csv", summary),
        ])
    }
}
