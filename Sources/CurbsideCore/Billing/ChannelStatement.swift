/// Reads a payment channel's daily statement (CSV). The columns are found by
/// their headers, in WeChat Pay's (商户订单号, 微信订单号, 订单金额), Alipay's
/// (商户订单号, 支付宝交易号, 订单金额（元）) or plain English names (payment_id,
/// transaction_id, amount); amounts are in yuan. WeChat's backtick before each
/// field and closing summary, Alipay's `#` comment lines, and a summary after a
/// blank line are allowed. Only payments count: where the statement has a kind
/// of row (Alipay's 业务类型) or a trade state (WeChat's 交易状态), rows other
/// than 交易 or SUCCESS, such as refunds, are passed over.
public enum ChannelStatement {
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// 1-based line number in the file.
        public var line: Int
        public var message: String

        public var description: String { "line \(line): \(message)" }

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    static let paymentHeaders: Set<String> = ["商户订单号", "payment_id"]
    static let transactionHeaders: Set<String> = ["微信订单号", "支付宝交易号", "transaction_id"]
    static let amountHeaders: Set<String> = ["订单金额", "订单金额（元）", "订单金额(元)", "amount"]
    /// A column naming what a row is, and the value a payment's row has there.
    static let paymentRows: [(header: String, value: String)] = [("业务类型", "交易"), ("交易状态", "SUCCESS")]

    public static func lines(_ text: String) throws(Problem) -> [Reconciliation.Line] {
        var header: (payment: Int, transaction: Int, amount: Int, kind: (column: Int, value: String)?)?
        var result: [Reconciliation.Line] = []
        // "\r\n" is one Character, and a newline.
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if line.hasPrefix("#") { continue }
            if line.allSatisfy(\.isWhitespace) {
                if header != nil, !result.isEmpty { break }
                continue
            }
            let fields = fields(of: line)
            // WeChat ends the details with a summary under its own header.
            if fields.first == "总交易单数" { break }
            guard let columns = header else {
                func column(_ names: Set<String>) -> Int? { fields.firstIndex { names.contains($0) } }
                guard let payment = column(paymentHeaders), let transaction = column(transactionHeaders), let amount = column(amountHeaders) else {
                    throw Problem(line: index + 1, message: "The header names no payment id, transaction id and amount column.")
                }
                let kind = paymentRows.lazy.compactMap { row in fields.firstIndex(of: row.header).map { (column: $0, value: row.value) } }.first
                header = (payment, transaction, amount, kind)
                continue
            }
            guard fields.count > max(columns.payment, columns.transaction, columns.amount, columns.kind?.column ?? 0) else {
                throw Problem(line: index + 1, message: "The line has \(fields.count) fields; the header has more.")
            }
            if let kind = columns.kind, fields[kind.column] != kind.value { continue }
            guard let fen = Money.fen(fromYuan: fields[columns.amount]) else {
                throw Problem(line: index + 1, message: "'\(fields[columns.amount])' is not an amount in yuan.")
            }
            result.append(Reconciliation.Line(paymentID: fields[columns.payment], transactionID: fields[columns.transaction], amountFen: fen))
        }
        guard header != nil else { throw Problem(line: 1, message: "The statement is empty.") }
        return result
    }

    /// The fields of one CSV line: quotes may hold commas and doubled quotes; a
    /// leading backtick (WeChat's guard against spreadsheets) and spaces go.
    static func fields(of line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        var pending: Character?
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" { current.append("\"") } else { quoted = false; pending = next }
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                fields.append(clean(current))
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(clean(current))
        return fields
    }

    static func clean(_ field: String) -> String {
        var text = Substring(field)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        if text.first == "`" { text = text.dropFirst() }
        return String(text)
    }
}
