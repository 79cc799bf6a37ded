import FluentKit

/// How many WeChat subscription messages of each template a citizen agreed to
/// receive: each agreement in the mini-program is good for one message.
struct M0026_CreateWeChatSubscriptions: AsyncMigration {
    var name: String { "0026_create_wechat_subscriptions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("wechat_subscriptions")
            .field("citizen_id", .string, .required)
            .field("template_id", .string, .required)
            .field("quota", .int32, .required)
            .field("updated_ms", .int64, .required)
            .compositeIdentifier(over: "citizen_id", "template_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("wechat_subscriptions").delete()
    }
}
