/// One text message to one phone, by a template the provider has approved:
/// Chinese SMS providers send only registered templates, filled with
/// parameters, under a registered signature (签名).
public struct SMSMessage: Sendable, Equatable {
    /// Mainland mobile number, 11 digits.
    public var phone: String
    /// The provider's template: Alibaba Cloud's TemplateCode, Tencent Cloud's TemplateId.
    public var template: String
    /// The template's parameters in order, with their names (Alibaba Cloud fills by name, Tencent Cloud by position).
    public var parameters: [(name: String, value: String)]
    /// Ours, stable per message, given back in delivery reports (OutId, SessionContext).
    public var reference: String

    public init(phone: String, template: String, parameters: [(name: String, value: String)], reference: String) {
        self.phone = phone
        self.template = template
        self.parameters = parameters
        self.reference = reference
    }

    public static func == (lhs: SMSMessage, rhs: SMSMessage) -> Bool {
        lhs.phone == rhs.phone && lhs.template == rhs.template && lhs.reference == rhs.reference
            && lhs.parameters.map(\.name) == rhs.parameters.map(\.name) && lhs.parameters.map(\.value) == rhs.parameters.map(\.value)
    }
}

/// What a provider says when it takes a message: its id for it, which its delivery report names.
public struct SMSAccepted: Sendable, Equatable {
    public var providerID: String

    public init(providerID: String) {
        self.providerID = providerID
    }
}

public enum SMSError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The provider refused the message; `retryable` when it may take it later (rate limits, its own trouble).
    case refused(code: String, message: String, retryable: Bool)
    case malformedAnswer(String)
    case unreachable(String)

    public var description: String {
        switch self {
        case let .refused(code, message, retryable): "the SMS provider refused (\(code))\(retryable ? ", try later" : ""): \(message)"
        case let .malformedAnswer(reason): "the SMS provider's answer cannot be read: \(reason)"
        case let .unreachable(reason): "the SMS provider did not answer: \(reason)"
        }
    }
}

/// Sends text messages through a provider.
public protocol SMSProvider: Sendable {
    func send(_ message: SMSMessage) async throws(SMSError) -> SMSAccepted
}
