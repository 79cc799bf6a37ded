import CurbsideAPI
import CurbsideStore

extension CitizensHandler {
    func getMyPreferences(_ input: Operations.GetMyPreferences.Input) async throws -> Operations.GetMyPreferences.Output {
        guard let preferences = try await Citizens(store: store, database: try database).preferences(try principal.subject) else {
            throw APIError.unauthenticated
        }
        return .ok(.init(body: .json(.init(preferences))))
    }

    func setMyPreferences(_ input: Operations.SetMyPreferences.Input) async throws -> Operations.SetMyPreferences.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        guard let preferences = try await Citizens(store: store, database: try database)
            .setPreferences(try principal.subject, language: request.language?.rawValue, smsNotices: request.smsNotices, now: now)
        else { throw APIError.unauthenticated }
        return .ok(.init(body: .json(.init(preferences))))
    }
}
