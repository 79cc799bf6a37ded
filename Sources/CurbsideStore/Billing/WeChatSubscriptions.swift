import FluentKit
import SQLKit

/// Citizens' agreements to WeChat subscription messages, by template: one
/// agreement, one message. A message is sent only against an agreement
/// taken in the same statement, so two senders never spend one twice.
public struct WeChatSubscriptions: Sendable {
    /// An agreement is good for one message; a citizen collects at most this many per template.
    public static let most = 50

    public let store: Store
    public let database: any Database

    public init(store: Store, database: any Database) {
        self.store = store
        self.database = database
    }

    /// Records that the citizen agreed, once, to each of `templates`; answers each template's agreements now.
    public func agree(citizen: String, templates: [String], now: Int64) async throws -> [String: Int] {
        try await store.write(on: database) { db in
            let sql = db.sql
            // One row per template however often it was accepted in one go: WeChat counts one acceptance per request.
            let rows = Set(templates).sorted().map { "(\(bind: citizen), \(bind: $0), 1, \(bind: now))" as SQLQueryString }
            if !rows.isEmpty {
                try await sql.raw("""
                    INSERT INTO wechat_subscriptions (citizen_id, template_id, quota, updated_ms) VALUES \(rows.joined(separator: ", "))
                    ON CONFLICT (citizen_id, template_id) DO UPDATE SET
                      quota = CASE WHEN wechat_subscriptions.quota < \(bind: Self.most) THEN wechat_subscriptions.quota + 1 ELSE \(bind: Self.most) END,
                      updated_ms = excluded.updated_ms
                    """).run()
            }
            struct Row: Decodable { var template_id: String; var quota: Int }
            return try await sql.raw("SELECT template_id, quota FROM wechat_subscriptions WHERE citizen_id = \(bind: citizen)")
                .all(decoding: Row.self).reduce(into: [:]) { $0[$1.template_id] = $1.quota }
        }
    }

    /// Takes one agreement of `template` from the citizen with this phone, if they have one and linked WeChat; answers their openid.
    public func take(phone: String, template: String, now: Int64) async throws -> String? {
        try await store.write(on: database) { db in
            let sql = db.sql
            struct Citizen: Decodable { var id: String; var wechat_openid: String? }
            guard let citizen = try await sql.raw("SELECT id, wechat_openid FROM citizens WHERE phone = \(bind: phone)").first(decoding: Citizen.self),
                  let openID = citizen.wechat_openid
            else { return nil }
            struct Taken: Decodable { var quota: Int }
            return try await sql.raw("""
                UPDATE wechat_subscriptions SET quota = quota - 1, updated_ms = \(bind: now)
                WHERE citizen_id = \(bind: citizen.id) AND template_id = \(bind: template) AND quota > 0 RETURNING quota
                """).first(decoding: Taken.self) == nil ? nil : openID
        }
    }

    /// Gives back an agreement taken for a message that did not go (WeChat did not answer).
    public func giveBack(phone: String, template: String, now: Int64) async throws {
        try await store.write(on: database) { db in
            try await db.sql.raw("""
                UPDATE wechat_subscriptions SET quota = quota + 1, updated_ms = \(bind: now)
                WHERE template_id = \(bind: template) AND citizen_id = (SELECT id FROM citizens WHERE phone = \(bind: phone))
                """).run()
        }
    }

    /// WeChat says the user has no agreement left (43101): none is counted any more.
    public func spent(phone: String, template: String, now: Int64) async throws {
        try await store.write(on: database) { db in
            try await db.sql.raw("""
                UPDATE wechat_subscriptions SET quota = 0, updated_ms = \(bind: now)
                WHERE template_id = \(bind: template) AND citizen_id = (SELECT id FROM citizens WHERE phone = \(bind: phone))
                """).run()
        }
    }
}
