/// One attribute that differs between two versions of a record.
public struct FieldChange: Hashable, Sendable, Codable {
    public var field: String
    public var from: String?
    public var to: String?

    public init(field: String, from: String?, to: String?) {
        self.field = field
        self.from = from
        self.to = to
    }
}

/// A record whose attributes can be listed as text, so that change records
/// say exactly what changed in a form the city platform can store.
public protocol FieldDiffable {
    var fieldValues: [(String, String)] { get }
}

extension FieldDiffable {
    /// The fields that differ from `old`, in declaration order; all fields when `old` is nil.
    public func changes(from old: Self?) -> [FieldChange] {
        guard let old else {
            return fieldValues.filter { !$0.1.isEmpty }.map { FieldChange(field: $0.0, from: nil, to: $0.1) }
        }
        return zip(old.fieldValues, fieldValues).compactMap { before, after in
            before.1 == after.1 ? nil : FieldChange(field: after.0, from: before.1, to: after.1)
        }
    }
}
