/// A change to the registry's static data: which zone, road segment or bay, what was done, and each field before and after.
public struct FeedRegistryChange: Sendable, Equatable, Codable {
    public var entity: String
    public var id: String
    public var action: String
    public var fields: [FieldChange]
    public var reason: String?

    public init(entity: String, id: String, action: String, fields: [FieldChange], reason: String?) {
        self.entity = entity
        self.id = id
        self.action = action
        self.fields = fields
        self.reason = reason
    }
}
