/// The text of one kind of notice in one language, as the city registered it
/// with its SMS provider: a file such as
///
///     aliyun: SMS_465980001
///     tencent: 2100001
///     ---
///     ${plate} 于 ${start} 至 ${end} 停车，应缴 ${amount} 元：${link}
///
/// Lines before `---` name the template this text is at each provider; the
/// body is the template with named `${...}` parameters. Tencent Cloud fills
/// templates by position (`{1}`, `{2}`): the order is the order the names
/// first appear in the body.
public struct NoticeText: Sendable, Equatable {
    public let kind: NoticeKind
    public let body: String
    /// Template ids by provider (`aliyun`, `tencent`).
    public let templates: [String: String]
    /// Parameter names in the order they first appear.
    public let order: [String]
    /// The WeChat subscription message template this kind is sent as, and which parameter fills which of its keys:
    /// the header line `wechat: <template id> plate=car_number1,amount=amount2,...`.
    public let wechat: (template: String, keys: [(parameter: String, key: String)])?

    public init(kind: NoticeKind, file: String) throws(NoticeTextError) {
        self.kind = kind
        var templates: [String: String] = [:]
        // "\r\n" is one Character: files written on Windows split as well.
        var lines = file.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        if let rule = lines.firstIndex(of: "---") {
            for line in lines[..<rule] where !line.allSatisfy(\.isWhitespace) {
                guard let colon = line.firstIndex(of: ":") else { throw .header(String(line)) }
                let key = line[..<colon].trimmingCharacters(in: .whitespaces)
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                guard !key.isEmpty, !value.isEmpty else { throw .header(String(line)) }
                templates[key] = value
            }
            lines.removeSubrange(...rule)
        }
        while lines.last?.allSatisfy(\.isWhitespace) == true { lines.removeLast() }
        body = lines.joined(separator: "\n")
        guard !body.allSatisfy(\.isWhitespace) else { throw .empty }
        var order: [String] = []
        var rest = body[...]
        while let open = rest.range(of: "${") {
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { throw .unclosed }
            let name = String(rest[open.upperBound..<close])
            guard kind.parameters.contains(name) else { throw .unknownParameter(name, allowed: kind.parameters.sorted()) }
            if !order.contains(name) { order.append(name) }
            rest = rest[rest.index(after: close)...]
        }
        if let line = templates["wechat"] {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            let keys = try (parts.count > 1 ? parts[1] : "").split(separator: ",").map { pair throws(NoticeTextError) -> (parameter: String, key: String) in
                let sides = pair.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
                guard sides.count == 2, !sides[1].isEmpty else { throw .header("wechat: \(line)") }
                guard kind.parameters.contains(sides[0]) else { throw .unknownParameter(sides[0], allowed: kind.parameters.sorted()) }
                return (sides[0], sides[1])
            }
            guard !keys.isEmpty else { throw .header("wechat: \(line)") }
            wechat = (parts[0], keys)
            templates["wechat"] = parts[0]
        } else {
            wechat = nil
        }
        self.templates = templates
        self.order = order
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.kind == rhs.kind && lhs.body == rhs.body && lhs.templates == rhs.templates && lhs.order == rhs.order
            && lhs.wechat?.keys.map(\.parameter) == rhs.wechat?.keys.map(\.parameter) && lhs.wechat?.keys.map(\.key) == rhs.wechat?.keys.map(\.key)
    }

    /// The body filled in; a parameter not given is left empty.
    public func render(_ parameters: [String: String]) -> String {
        order.reduce(body) { $0.replacingOccurrences(of: "${\($1)}", with: parameters[$1] ?? "") }
    }

    /// The parameters in the template's order, with their names.
    public func values(_ parameters: [String: String]) -> [(name: String, value: String)] {
        order.map { ($0, parameters[$0] ?? "") }
    }
}

public enum NoticeTextError: Error, Equatable, Sendable, CustomStringConvertible {
    case header(String)
    case empty
    case unclosed
    case unknownParameter(String, allowed: [String])
    case missing(NoticeKind)

    public var description: String {
        switch self {
        case let .header(line): "a line before --- is not `provider: template id`: \(line)"
        case .empty: "the text is empty"
        case .unclosed: "a ${ is not closed"
        case let .unknownParameter(name, allowed): "${\(name)} is not a parameter of this kind (\(allowed.joined(separator: ", ")))"
        case let .missing(kind): "no Chinese text for \(kind.rawValue)"
        }
    }
}
