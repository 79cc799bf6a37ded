@testable import CurbsideStore
import CurbsideStoreTestSupport
import CurbsideTestThreads
import FluentKit
import SQLKit
import Testing

/// The store's own rules about concurrent writers, checked on the store alone:
/// SQLite's writers queue, PostgreSQL's losers of a deadlock run again, and a
/// queue's rows go to one claimer each.
@Suite("Store rules", .ownThread)
struct StoreRuleTests {
    @Test("SQLite: concurrent read-modify-write transactions queue for the write lock; none fails, none is lost")
    func sqliteWritersQueue() async throws {
        try await TestStores.with(.sqlite, content: .empty) { test in
            try await test.database.sql.raw("CREATE TABLE rule_counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)").run()
            try await test.database.sql.raw("INSERT INTO rule_counter (id, n) VALUES (1, 0)").run()
            struct Counter: Decodable { var n: Int }
            let handles = test.handlesOnEveryLoop()
            #expect(handles.count > 1)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<40 {
                    group.addTask {
                        try await test.store.write(on: handles[writer % handles.count]) { db in
                            let read = try await db.sql.raw("SELECT n FROM rule_counter WHERE id = 1").first(decoding: Counter.self)
                            // Let the others run between the read and the write, as real work does.
                            await Task.yield()
                            try await db.sql.raw("UPDATE rule_counter SET n = \(bind: (read?.n ?? 0) + 1) WHERE id = 1").run()
                        }
                    }
                }
                try await group.waitForAll()
            }
            let final = try await test.database.sql.raw("SELECT n FROM rule_counter WHERE id = 1").first(decoding: Counter.self)
            #expect(final?.n == 40)
        }
    }

    @Test("PostgreSQL: of two transactions that deadlock, the one aborted runs again and both take effect")
    func postgresDeadlockRetried() async throws {
        try await TestStores.with(.postgres, content: .empty) { test in
            try await test.database.sql.raw("CREATE TABLE rule_locks (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)").run()
            try await test.database.sql.raw("INSERT INTO rule_locks (id, n) VALUES (1, 0), (2, 0)").run()
            let meeting = Rendezvous(parties: 2)
            let attempts = Attempts()
            // Each locks its first row, waits until the other has too, then asks for the other's row.
            func crossing(_ first: Int, _ second: Int) async throws {
                try await test.store.write(on: test.database) { db in
                    let attempt = await attempts.next(first)
                    try await db.sql.raw("UPDATE rule_locks SET n = n + 1 WHERE id = \(bind: first)").run()
                    if attempt == 1 { await meeting.arrive() }
                    try await db.sql.raw("UPDATE rule_locks SET n = n + 1 WHERE id = \(bind: second)").run()
                }
            }
            async let one: Void = crossing(1, 2)
            async let two: Void = crossing(2, 1)
            _ = try await (one, two)
            struct Lock: Decodable { var id: Int; var n: Int }
            let rows = try await test.database.sql.raw("SELECT id, n FROM rule_locks ORDER BY id").all(decoding: Lock.self)
            #expect(rows.map(\.n) == [2, 2])
            #expect(await attempts.total == 3)
        }
    }

    @Test("A queue's rows are claimed by one claimer each, however many claim at once", arguments: StoreKind.testCases)
    func claimsAreExclusive(kind: StoreKind) async throws {
        try await TestStores.with(kind, content: .empty) { test in
            let now: Int64 = 1_780_000_000_000
            for number in 0..<60 {
                try await NoticeOutbox.enqueue(
                    .reminder, bill: "B\(number)", plate: "粤J\(10_000 + number)", colour: "blue", parameters: { _ in ["bill": "B\(number)"] },
                    link: "https://pay.example.cn/p/x", at: now, on: test.database.sql
                )
            }
            let outbox = NoticeOutbox(store: test.store, database: test.database)
            let claimed = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        var mine: [Int] = []
                        while true {
                            let batch = try await outbox.claim(limit: 4, now: now)
                            if batch.isEmpty { break }
                            mine += batch.map(\.id)
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: [Int]()) { $0 += $1 }
            }
            #expect(claimed.count == 60)
            #expect(Set(claimed).count == 60)
            // Once the lease has run out, an unsent notice is anyone's again.
            #expect(try await outbox.claim(limit: 100, now: now + NoticeOutbox.lease).count == 60)
        }
    }
}

/// Lets `parties` tasks continue only once all have arrived.
private actor Rendezvous {
    private let parties: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(parties: Int) { self.parties = parties }

    func arrive() async {
        if waiting.count + 1 == parties {
            waiting.forEach { $0.resume() }
            waiting = []
        } else {
            await withCheckedContinuation { waiting.append($0) }
        }
    }
}

/// Counts the tries of each transaction.
private actor Attempts {
    private var tries: [Int: Int] = [:]

    func next(_ key: Int) -> Int {
        tries[key, default: 0] += 1
        return tries[key]!
    }

    var total: Int { tries.values.reduce(0, +) }
}
