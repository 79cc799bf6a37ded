/// A text message as an SMS provider's simulator took it.
public struct SentSMS: Sendable, Equatable {
    public var phone: String
    public var signName: String
    public var template: String
    /// Alibaba Cloud's by name; Tencent Cloud's by position, named "1", "2", ...
    public var parameters: [String: String]
    /// Ours (OutId, SessionContext).
    public var reference: String
    /// The provider's (BizId, SerialNo).
    public var providerID: String

    public init(phone: String, signName: String, template: String, parameters: [String: String], reference: String, providerID: String) {
        self.phone = phone
        self.signName = signName
        self.template = template
        self.parameters = parameters
        self.reference = reference
        self.providerID = providerID
    }
}
