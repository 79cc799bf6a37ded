import Logging
import Vapor

/// What every command does first: read the configuration, set up logging,
/// and make a Vapor application for the database and, for `serve`, HTTP.
/// Shared by `curbside` and `curbside-bench`.
public enum CommandEnvironment {
    public static func configuration() throws -> CurbsideConfiguration {
        do {
            return try CurbsideConfiguration.fromEnvironment()
        } catch let error as ConfigurationError {
            throw CommandLineError("Configuration: \(error)")
        }
    }

    public static func bootstrapLogging(_ configuration: CurbsideConfiguration, level: Logger.Level? = nil) {
        CurbsideLogging.bootstrap(format: configuration.log.format, level: level ?? configuration.log.level)
    }

    /// An application whose Vapor command line is `arguments` (only `serve` reads it).
    public static func application(arguments: [String] = ["curbside"], logLevel: Logger.Level) async throws -> Application {
        let app = try await Application.make(Environment(name: "production", arguments: arguments))
        app.logger.logLevel = logLevel
        return app
    }

    /// Runs `body` with an application, shutting it down however `body` ends.
    @discardableResult
    public static func withApplication<T>(
        arguments: [String] = ["curbside"], logLevel: Logger.Level, _ body: (Application) async throws -> T
    ) async throws -> T {
        let app = try await application(arguments: arguments, logLevel: logLevel)
        do {
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}

/// A command cannot start; its message is for the operator who ran it.
public struct CommandLineError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
