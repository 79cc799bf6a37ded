import CurbsideAPI
@testable import CurbsideServer
import CurbsideCore
import CurbsideTestSupport
import CurbsideTestThreads
import Testing
import Vapor
import Yams

@Suite("OpenAPI contract", .ownThread)
struct ContractTests {
    static var document: [String: Any] { try! Yams.load(yaml: Contract.document) as! [String: Any] }

    static var operations: [(method: String, path: String, id: String, operation: [String: Any])] {
        let paths = document["paths"] as! [String: Any]
        return paths.flatMap { path, item in
            (item as! [String: Any]).compactMap { method, value in
                guard let operation = value as? [String: Any], let id = operation["operationId"] as? String else { return nil }
                return (method.uppercased(), path, id, operation)
            }
        }
    }

    @Test("Every route the server answers is in openapi.yaml, and every operation there is served")
    func routesMatchDocument() async throws {
        try await withTestApp(.sqlite, content: .empty) { app in
            let served = Set(app.app.routes.all.map { route in
                "\(route.method.rawValue) /" + route.path.map { component -> String in
                    if case let .parameter(name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
            })
            let documented = Set(Self.operations.map { "\($0.method) \($0.path)" })
            #expect(served == documented)
            #expect(documented.count >= 30)
        }
    }

    @Test("Every operation is either public or names the roles allowed, and the server enforces that table")
    func accessPolicyCoversEveryOperation() throws {
        let policy = try AccessPolicy(openAPIDocument: Contract.document)
        for operation in Self.operations {
            let rule = try #require(policy.rules[operation.id], "\(operation.id) has no access rule")
            if let security = operation.operation["security"] as? [Any], security.isEmpty {
                #expect(rule == .everyone, "\(operation.id)")
            } else {
                let roles = try #require(operation.operation["x-curbside-roles"] as? [String], "\(operation.id)")
                #expect(rule == .roles(Set(roles.compactMap(Role.init(rawValue:)))), "\(operation.id)")
                #expect(!roles.contains("citizen") || operation.path.hasPrefix("/v1/citizen"), "\(operation.id) exposes staff data to citizens")
            }
        }
        #expect(!policy.allows(.admin, operation: "notAnOperation"))
    }

    @Test("A document whose operation names no roles is refused at start, so nothing is open by mistake")
    func failsClosed() {
        let text = """
        openapi: 3.1.0
        paths:
          /x:
            get:
              operationId: getX
              responses: {'200': {description: ok}}
        """
        #expect(throws: (any Error).self) { try AccessPolicy(openAPIDocument: text) }
    }

    @Test("Every operation documents its error responses with the Error schema")
    func errorsDocumented() {
        for operation in Self.operations where operation.path.hasPrefix("/v1/admin") {
            let responses = operation.operation["responses"] as? [String: Any] ?? [:]
            #expect(responses["401"] != nil && responses["403"] != nil, "\(operation.id) lacks 401/403")
        }
    }

    /// The operations that never wait for a database connection: liveness, metrics, the document, a static
    /// page and CDS's unimplemented parts (readiness answers its own 503).
    static let withoutDatabase: Set = [
        "getHealth", "getReadiness", "getMetrics", "getOpenAPIDocument", "getConcessionPage",
        "listCDSCurbObjects", "getCDSCurbObject", "listCDSCurbPolicies", "getCDSCurbPolicy",
    ]

    @Test("Every operation that reads the database documents 503 database_busy with Retry-After; the others do not")
    func databaseBusyDocumented() {
        for operation in Self.operations {
            let responses = operation.operation["responses"] as? [String: Any] ?? [:]
            let busy = (responses["503"] as? [String: Any])?["$ref"] as? String == "#/components/responses/DatabaseBusy"
            #expect(busy != Self.withoutDatabase.contains(operation.id), "\(operation.id)")
        }
        let response = (Self.document["components"] as? [String: Any]).flatMap { $0["responses"] as? [String: Any] }?["DatabaseBusy"] as? [String: Any]
        #expect((response?["headers"] as? [String: Any])?["Retry-After"] != nil)
    }
}

extension ContractTests {
    /// Every schema of the document, requests and responses alike, through the
    /// request checker's compiler, which refuses keywords it does not know. An
    /// unquoted comma in a flow-style description makes the rest of it a key of
    /// its own, valid YAML that no YAML linter sees; this does.
    @Test("Every schema in openapi.yaml uses only keywords the checker knows")
    func schemasUseKnownKeywords() throws {
        var compiler = ContractSchemas.Compiler(document: Self.document)
        var found = 0
        func walk(_ node: Any, at location: String) throws {
            if let map = node as? [String: Any] {
                for (key, value) in map {
                    if key == "schema" {
                        _ = try compiler.compile(value, at: "\(location).schema")
                        found += 1
                    } else {
                        try walk(value, at: "\(location).\(key)")
                    }
                }
            } else if let list = node as? [Any] {
                for (index, value) in list.enumerated() { try walk(value, at: "\(location)[\(index)]") }
            }
        }
        try walk(Self.document["paths"] as Any, at: "paths")
        let components = Self.document["components"] as! [String: Any]
        try walk(components["parameters"] as Any, at: "components.parameters")
        try walk(components["responses"] as Any, at: "components.responses")
        for (name, schema) in components["schemas"] as! [String: Any] {
            _ = try compiler.compile(schema, at: "components.schemas.\(name)")
            found += 1
        }
        #expect(found > 200)
        // And the check has teeth: the form that broke the contract once is refused.
        let broken = try Yams.load(yaml: "{ type: string, description: The CDS version, 1.1. }") as Any
        #expect(throws: ContractError.self) { _ = try compiler.compile(broken, at: "broken") }
    }
}
