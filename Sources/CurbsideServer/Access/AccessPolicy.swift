import CurbsideCore
import Yams

/// Who may call each operation, read from openapi.yaml itself: an operation
/// with `security: []` is public, every other one lists its roles in
/// `x-curbside-roles`. The contract and the enforcement cannot disagree.
public struct AccessPolicy: Sendable {
    public enum Rule: Sendable, Equatable {
        case everyone
        case roles(Set<Role>)
    }

    public let rules: [String: Rule]

    public init(openAPIDocument text: String) throws {
        guard let document = try Yams.load(yaml: text) as? [String: Any],
              let paths = document["paths"] as? [String: Any]
        else { throw AccessPolicyError("openapi.yaml has no paths") }
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        var rules: [String: Rule] = [:]
        for (path, item) in paths {
            guard let item = item as? [String: Any] else { continue }
            for (method, value) in item where methods.contains(method) {
                guard let operation = value as? [String: Any], let id = operation["operationId"] as? String else {
                    throw AccessPolicyError("\(method.uppercased()) \(path) has no operationId")
                }
                if let security = operation["security"] as? [Any], security.isEmpty {
                    rules[id] = .everyone
                    continue
                }
                guard let names = operation["x-curbside-roles"] as? [String], !names.isEmpty else {
                    throw AccessPolicyError("\(id) is neither public (security: []) nor lists x-curbside-roles")
                }
                let roles = try names.map { name in
                    guard let role = Role(rawValue: name) else { throw AccessPolicyError("\(id) names unknown role '\(name)'") }
                    return role
                }
                rules[id] = .roles(Set(roles))
            }
        }
        self.rules = rules
    }

    /// Operations not in the document are refused: the policy fails closed.
    public func allows(_ role: Role?, operation: String) -> Bool {
        switch rules[operation] {
        case .everyone?: true
        case let .roles(allowed)?: role.map(allowed.contains) ?? false
        case nil: false
        }
    }
}

struct AccessPolicyError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
