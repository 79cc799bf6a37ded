import Foundation

/// The contract this module is generated from, as shipped: the server checks
/// requests against it and serves it at /openapi.yaml.
public enum Contract {
    public static let document: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("openapi.yaml is missing from the CurbsideAPI bundle") }
        return text
    }()
}
