import Yams

/// What openapi.yaml says a request to each operation may carry: its
/// parameters with their schemas, and its body. Read once at start; the
/// middleware checks every request against it before the handler runs, so
/// the document and the server cannot drift apart.
struct RequestContract: Sendable {
    struct Parameter: Sendable {
        enum Location: String, Sendable {
            case path, query, header
        }

        var name: String
        var location: Location
        var required: Bool
        var schema: Int
    }

    struct Operation: Sendable {
        var id: String
        var method: String
        /// The path template, `/v1/bays/{code}`, split at slashes.
        var template: [Substring]
        var parameters: [Parameter]
        var bodyRequired: Bool
        /// The schema of an application/json body, where the operation takes one.
        var jsonBody: Int?
        /// Media types the operation reads its body as; `*/*` takes anything.
        var bodyTypes: [String]
        /// The array member of the body whose items are checked one by one
        /// (`x-curbside-items-alone`): a bad item is refused alone, not the body.
        var itemsAlone: String?
    }

    let schemas: ContractSchemas
    let operations: [String: Operation]

    init(openAPIDocument text: String) throws {
        guard let document = try Yams.load(yaml: text) as? [String: Any], let paths = document["paths"] as? [String: Any] else {
            throw ContractError("openapi.yaml has no paths")
        }
        var compiler = ContractSchemas.Compiler(document: document)
        let sharedParameters = (document["components"] as? [String: Any])?["parameters"] as? [String: Any] ?? [:]
        var operations: [String: Operation] = [:]
        for (path, item) in paths {
            guard let item = item as? [String: Any] else { continue }
            let inherited = item["parameters"] as? [Any] ?? []
            for method in ["get", "put", "post", "delete", "patch"] {
                guard let operation = item[method] as? [String: Any], let id = operation["operationId"] as? String else { continue }
                var parameters: [Parameter] = []
                for (offset, node) in (inherited + (operation["parameters"] as? [Any] ?? [])).enumerated() {
                    var node = node as? [String: Any] ?? [:]
                    if let reference = node["$ref"] as? String {
                        let name = reference.replacingOccurrences(of: "#/components/parameters/", with: "")
                        guard let shared = sharedParameters[name] as? [String: Any] else { throw ContractError("\(id): cannot resolve \(reference)") }
                        node = shared
                    }
                    guard let name = node["name"] as? String, let location = (node["in"] as? String).flatMap(Parameter.Location.init), let schema = node["schema"] else {
                        throw ContractError("\(id): parameter \(offset) needs a name, a location (path, query or header) and a schema")
                    }
                    parameters.append(Parameter(
                        name: name, location: location, required: node["required"] as? Bool ?? (location == .path),
                        schema: try compiler.compile(schema, at: "\(id).parameters.\(name)")
                    ))
                }
                var bodyRequired = false
                var jsonBody: Int?
                var bodyTypes: [String] = []
                var itemsAlone: String?
                if let body = operation["requestBody"] as? [String: Any] {
                    bodyRequired = body["required"] as? Bool ?? false
                    itemsAlone = body["x-curbside-items-alone"] as? String
                    let content = body["content"] as? [String: Any] ?? [:]
                    bodyTypes = content.keys.sorted()
                    if let json = (content["application/json"] as? [String: Any])?["schema"] {
                        jsonBody = try compiler.compile(json, at: "\(id).requestBody")
                    }
                }
                operations[id] = Operation(
                    id: id, method: method.uppercased(), template: path.split(separator: "/", omittingEmptySubsequences: false),
                    parameters: parameters, bodyRequired: bodyRequired, jsonBody: jsonBody, bodyTypes: bodyTypes, itemsAlone: itemsAlone
                )
            }
        }
        schemas = compiler.schemas
        self.operations = operations
    }
}
