import FluentKit
import Foundation
import SQLKit

/// One queue row per stored batch in place of one row per bay: batches no
/// longer write the same rows, so they never wait for one another or for a
/// fusion round. Bays still queued move over.
struct M0011_CreateIngestQueue: AsyncMigration {
    var name: String { "0011_create_ingest_queue" }

    func prepare(on database: any Database) async throws {
        try await database.schema("ingest_queue")
            .field("id", .int64, .identifier(auto: true))
            .field("queued_ms", .int64, .required)
            .field("work", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        struct Row: Decodable { var bay_code: String; var dirty_from_ms: Int64; var queued_ms: Int64 }
        let queued = try await sql.raw("SELECT bay_code, dirty_from_ms, queued_ms FROM fusion_queue").all(decoding: Row.self)
        if !queued.isEmpty {
            let work = IngestWork(bays: Dictionary(queued.map { ($0.bay_code, $0.dirty_from_ms) }) { min($0, $1) }, lastEvent: .max)
            let text = String(decoding: try JSONEncoder().encode(work), as: UTF8.self)
            try await sql.raw("INSERT INTO ingest_queue (queued_ms, work) VALUES (\(bind: queued.map(\.queued_ms).max()!), \(bind: text))").run()
        }
        try await database.schema("fusion_queue").delete()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("fusion_queue")
            .field("bay_code", .string, .identifier(auto: false))
            .field("dirty_from_ms", .int64, .required)
            .field("queued_ms", .int64, .required)
            .create()
        let sql = database as! any SQLDatabase
        struct Row: Decodable { var queued_ms: Int64; var work: String }
        var bays: [String: (from: Int64, queued: Int64)] = [:]
        for row in try await sql.raw("SELECT queued_ms, work FROM ingest_queue").all(decoding: Row.self) {
            for (bay, from) in try JSONDecoder().decode(IngestWork.self, from: Data(row.work.utf8)).bays {
                bays[bay] = (min(bays[bay]?.from ?? .max, from), max(bays[bay]?.queued ?? .min, row.queued_ms))
            }
        }
        for (bay, entry) in bays {
            try await sql.raw("INSERT INTO fusion_queue (bay_code, dirty_from_ms, queued_ms) VALUES (\(bind: bay), \(bind: entry.from), \(bind: entry.queued))").run()
        }
        try await database.schema("ingest_queue").delete()
    }
}
