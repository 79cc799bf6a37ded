import CurbsideCore
import CurbsideTestThreads
import Testing

@Suite("Reconciliation of channel statements", .ownThread)
struct ReconciliationTests {
    static let weChat = """
        交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注
        `2026-11-20 09:12:01,`wx0001,`1600000001,`0,`,`4200001,`PAY-1,`o1,`JSAPI,`SUCCESS,`CMB_DEBIT,`CNY,`12.50,`0.00,`0,`0,`0.00,`0.00,`,`,`停车费,`,`0.08,`0.60%,`12.50,`0.00,`
        `2026-11-20 10:40:12,`wx0001,`1600000001,`0,`,`4200002,`PAY-2,`o2,`JSAPI,`SUCCESS,`CMB_DEBIT,`CNY,`5.00,`0.00,`0,`0,`0.00,`0.00,`,`,"停车费, 两张",`,`0.03,`0.60%,`5.00,`0.00,`
        `2026-11-20 18:02:44,`wx0001,`1600000001,`0,`,`4200001,`PAY-1,`o1,`JSAPI,`REFUND,`CMB_DEBIT,`CNY,`0.00,`0.00,`5030001,`R-1,`2.50,`0.00,`ORIGINAL,`SUCCESS,`停车费,`,`-0.02,`0.60%,`0.00,`2.50,`
        总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额
        `2,`17.50,`0.00,`0.00,`0.11,`17.50,`0.00
        """

    static let alipay = """
        #支付宝业务明细查询
        #账号：[20880000000000000156]
        支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）
        2026112022001,PAY-3,退款,停车费,2026-11-20 12:00:00,2026-11-20 12:00:01,,,,,ab***@x.com,-3.00,-3.00
        2026112022001,PAY-3,交易,停车费,2026-11-20 11:00:00,2026-11-20 11:00:05,,,,,ab***@x.com,8.00,8.00
        #-----------------------------------------业务明细列表结束------------------------------------
        #交易合计：1笔，商家实收共8.00元
        """

    @Test("WeChat Pay's and Alipay's statements are read by their headers, amounts in fen, their refund rows passed over")
    func parse() throws {
        #expect(try ChannelStatement.lines(Self.weChat) == [
            .init(paymentID: "PAY-1", transactionID: "4200001", amountFen: 1_250), .init(paymentID: "PAY-2", transactionID: "4200002", amountFen: 500),
        ])
        #expect(try ChannelStatement.lines(Self.alipay) == [.init(paymentID: "PAY-3", transactionID: "2026112022001", amountFen: 800)])
        #expect(try ChannelStatement.lines("payment_id,transaction_id,amount\r\nPAY-9,T9,0.5\r\n") == [.init(paymentID: "PAY-9", transactionID: "T9", amountFen: 50)])
    }

    @Test("A statement that cannot be read says which line and why")
    func problems() {
        #expect(throws: ChannelStatement.Problem(line: 1, message: "The header names no payment id, transaction id and amount column.")) {
            try ChannelStatement.lines("a,b,c\n1,2,3")
        }
        #expect(throws: ChannelStatement.Problem(line: 2, message: "'12.345' is not an amount in yuan.")) {
            try ChannelStatement.lines("payment_id,transaction_id,amount\nP,T,12.345")
        }
        #expect(throws: ChannelStatement.Problem(line: 1, message: "The statement is empty.")) { try ChannelStatement.lines("") }
    }

    @Test("Every difference is listed: missing on our side, missing on theirs, amount mismatch")
    func differences() {
        let ours: [Reconciliation.Line] = [.init(paymentID: "P1", transactionID: "T1", amountFen: 1_250), .init(paymentID: "P2", transactionID: "T2", amountFen: 600), .init(paymentID: "P3", transactionID: "T3", amountFen: 300)]
        let theirs: [Reconciliation.Line] = [.init(paymentID: "P1", transactionID: "T1", amountFen: 1_250), .init(paymentID: "P2", transactionID: "T2", amountFen: 500), .init(paymentID: "P4", transactionID: "T4", amountFen: 800)]
        let result = Reconciliation(ours: ours, theirs: theirs)
        #expect(result.matched == 1)
        #expect(result.ourTotalFen == 2_150)
        #expect(result.theirTotalFen == 2_550)
        #expect(result.differences == [.amountMismatch(ours: ours[1], theirs: theirs[1]), .missingOnTheirs(ours[2]), .missingOnOurSide(theirs[2])])
        #expect(Reconciliation(ours: ours, theirs: ours).differences.isEmpty)
    }
}
