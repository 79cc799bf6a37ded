import CurbsideStore
import CurbsideStoreTestSupport
import CurbsideTestThreads
import FluentKit
import Foundation
import SQLKit
import Testing

/// The embedded SQLite file is written by `serve` and, beside it, by commands
/// such as `curbside token`: each process queues its own writers, but not the
/// other's.
@Suite("Another process writing the same SQLite file", .ownThread)
struct SQLiteOtherProcessTests {
    /// Where the other process is when this one's transaction, having read, comes to write.
    enum Other: String, CaseIterable, Sendable {
        /// It has written and committed since the read: SQLite refuses the stale snapshot.
        case committed
        /// It holds the write lock: SQLite refuses at once rather than wait, as the reader might deadlock it.
        case writing
    }

    @Test("A write that meets another process's write between its read and its own is run again, not refused as busy", arguments: Other.allCases)
    func otherWriter(other: Other) async throws {
        let directory = NSTemporaryDirectory() + "curbside-other-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/store.sqlite"
        try await TestStores.withDatabases { mine in
            let store = try Store.open(.sqlite(path: path), in: mine, poolSize: 1)
            let database = try TestStores.defaultDatabase(of: mine)
            try await store.prepare(database)
            try await database.sql.raw("CREATE TABLE marks (id INTEGER PRIMARY KEY, note TEXT NOT NULL)").run()
            // The other process: a store and databases of its own, so no lock in common.
            try await TestStores.withDatabases { theirs in
                _ = try Store.open(.sqlite(path: path), in: theirs, poolSize: 1)
                let them = try TestStores.defaultDatabase(of: theirs)
                let runs = Runs()
                try await store.write(on: database) { db in
                    struct Count: Decodable { var n: Int }
                    let seen = try await db.sql.raw("SELECT COUNT(*) AS n FROM marks").first(decoding: Count.self)?.n ?? -1
                    let insert = { try await db.sql.raw("INSERT INTO marks (note) VALUES (\(bind: "mine after \(seen)"))").run() }
                    guard runs.next() == 1 else { return try await insert() }
                    switch other {
                    case .committed:
                        try await them.sql.raw("INSERT INTO marks (note) VALUES ('theirs')").run()
                        try await insert()
                    case .writing:
                        let holding = Latch(), release = Latch()
                        let writer = Task {
                            try await them.transaction { db in
                                try await db.sql.raw("INSERT INTO marks (note) VALUES ('theirs')").run()
                                await holding.open()
                                await release.wait()
                            }
                        }
                        await holding.wait()
                        do {
                            try await insert()
                        } catch {
                            await release.open()
                            try await writer.value
                            throw error
                        }
                    }
                }
                #expect(runs.count == 2, "the first run was refused and the second went through")
                struct Row: Decodable { var note: String }
                let notes = try await database.sql.raw("SELECT note FROM marks ORDER BY id").all(decoding: Row.self).map(\.note)
                #expect(notes == ["theirs", "mine after 1"])
            }
        }
    }

    /// How many times the transaction's body ran.
    final class Runs: @unchecked Sendable {
        private let lock = NSLock()
        private var runs = 0
        func next() -> Int { lock.withLock { runs += 1; return runs } }
        var count: Int { lock.withLock { runs } }
    }

    /// Opened once; whoever waits, before or after, goes on.
    actor Latch {
        private var isOpen = false
        private var waiting: [CheckedContinuation<Void, Never>] = []
        func open() {
            isOpen = true
            waiting.forEach { $0.resume() }
            waiting = []
        }
        func wait() async {
            if isOpen { return }
            await withCheckedContinuation { waiting.append($0) }
        }
    }
}
