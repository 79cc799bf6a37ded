/// A configuration value that cannot be used, named so the operator can fix it.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var variable: String
    public var reason: String
    public var description: String { "\(variable): \(reason)" }
}
