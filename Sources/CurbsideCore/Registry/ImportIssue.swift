/// One thing wrong with one feature of an import, located by its index in the
/// file's `features` array (nil when the problem is with the file as a whole).
public struct ImportIssue: Hashable, Sendable, Codable, CustomStringConvertible {
    public var index: Int?
    public var id: String?
    public var code: String
    public var message: String
    /// The request field at fault, as a path such as `bills[2]` or a parameter's name.
    public var field: String?

    public init(index: Int?, id: String? = nil, code: String, message: String, field: String? = nil) {
        self.index = index
        self.id = id
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String {
        let place = index.map { "feature \($0)" } ?? "file"
        let name = id.map { " (\($0))" } ?? ""
        return "\(place)\(name): \(message) [\(code)]"
    }
}

/// An import or edit refused, with every reason found.
public struct ImportRejection: Error, Sendable {
    public var issues: [ImportIssue]

    public init(issues: [ImportIssue]) {
        self.issues = issues
    }
}
