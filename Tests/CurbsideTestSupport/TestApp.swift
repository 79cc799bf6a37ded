import AsyncHTTPClient
import CurbsideAPI
import CurbsideCore
import CurbsideServer
import CurbsideStore
import FluentKit
import Foundation
import NIOCore
import NIOHTTP1
import SQLKit
import Testing
import Vapor

/// A running Curbside server on a fresh database, reached over real HTTP on a
/// loopback port, with helpers to call it as any role.
public struct TestApp: Sendable {
    public let app: Application
    public let kind: StoreKind
    public let store: Store
    public let configuration: CurbsideConfiguration
    public let baseURL: String
    public let clock: TestClock

    public var database: any Database { app.db }
    public var registry: Registry { Registry(store: store, database: app.db) }

    /// A token for `subject` (by default one per role, `operator.tester`) in
    /// `role`, its account made (or, for staff, moved to `role`) first: the
    /// server checks every token against its account.
    public func token(_ role: Role, subject: String? = nil) async throws -> String {
        let subject = subject ?? "\(role.rawValue).tester"
        let principal = Principal(subject: subject, role: role)
        if role.isStaff {
            // A test may act as one person in several roles, one after another.
            try await app.db.sql.raw("UPDATE staff SET role = \(bind: role.rawValue), active = \(bind: true) WHERE id = \(bind: subject)").run()
        }
        let phone = "19" + String(subject.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 } % 1_000_000_000).leftPadded(to: 9)
        try await Principals(store: store, database: app.db).provision(principal, phone: phone, now: Int64(Date().timeIntervalSince1970 * 1000))
        return try await CurbsideApp.tokenService(configuration).issue(for: principal, validFor: 3600, now: Date())
    }

    /// Sends a request; `as` signs it with a fresh token for that role.
    public func request(
        _ method: HTTPMethod, _ path: String, json: Any? = nil, body: Data? = nil, contentType: String = "application/json",
        as role: Role? = nil, subject: String? = nil, token: String? = nil, headers: [(String, String)] = []
    ) async throws -> TestResponse {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        var bearer = token
        if bearer == nil, let role { bearer = try await self.token(role, subject: subject) }
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let payload = try json.map { try JSONSerialization.data(withJSONObject: $0, options: [.fragmentsAllowed]) } ?? body
        if let payload {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(data: payload))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: Loopback.deadline)
        let collected = try await response.body.collect(upTo: 64 << 20)
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: Data(buffer: collected))
    }

    public func get(_ path: String, as role: Role? = nil) async throws -> TestResponse {
        try await request(.GET, path, as: role)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

public struct TestResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object; an empty object if it is not one.
    public var json: [String: any Sendable] {
        ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]).map { $0.mapValues { $0 as! (any Sendable) } } ?? [:]
    }

    public var errorCode: String? { json["code"] as? String }

    /// The body as the contract's type `T` (from CurbsideAPI), read as the generated client reads it.
    public func contract<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            try RFC3339DateTranscoder().decode(try decoder.singleValueContainer().decode(String.self))
        }
        return try decoder.decode(type, from: body)
    }
}

/// Bounds how many test servers run at once. Swift Testing starts every test at
/// the same time; unbounded, their connection pools exhaust PostgreSQL and
/// their servers starve each other of the machine's two cores.
actor TestAppGate {
    static let shared = TestAppGate(permits: 6)
    private var permits: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(permits: Int) {
        self.permits = permits
    }

    func enter() async {
        if permits > 0 {
            permits -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty {
            permits += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// A clock tests move by hand.
public final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date = Date()) {
        current = start
    }

    public var now: Date {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }

    public func advance(by seconds: TimeInterval) {
        lock.withLock { current.addTimeInterval(seconds) }
    }
}

/// Runs `body` against a server on a fresh database of `kind`. PostgreSQL cases
/// are cancelled (reported as skipped, with the reason) where PostgreSQL is not
/// installed, unless CURBSIDE_REQUIRE_POSTGRES=1 makes that a failure.
public func withTestApp<T: Sendable>(
    _ kind: StoreKind, content: TestContent = .heshan, clock: TestClock = TestClock(),
    configure: @Sendable (inout CurbsideConfiguration) -> Void = { _ in },
    _ body: (TestApp) async throws -> T
) async throws -> T {
    if kind == .postgres && !TestPostgres.isAvailable && !TestPostgres.isRequired {
        try Test.cancel(Comment(rawValue: TestPostgres.skipReason))
    }
    await TestAppGate.shared.enter()
    defer { Task { await TestAppGate.shared.leave() } }
    let location = try await TestDatabases.shared.fresh(kind, content: content)
    let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("curbside-test-data-\(UUID().uuidString)").path
    var configuration = TestConfiguration.make(location, dataDirectory: dataDirectory)
    configure(&configuration)
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning
    do {
        let store = try await CurbsideApp.configure(app, configuration, options: .init(migrate: false, loadTariffs: false, seedRegistry: false, clock: { clock.now }))
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let port = app.http.server.shared.localAddress!.port!
        let testApp = TestApp(app: app, kind: kind, store: store, configuration: configuration, baseURL: "http://127.0.0.1:\(port)", clock: clock)
        let result = try await body(testApp)
        await app.server.shutdown()
        try await app.asyncShutdown()
        await TestDatabases.shared.discard(location)
        try? FileManager.default.removeItem(atPath: dataDirectory)
        return result
    } catch {
        await app.server.shutdown()
        try? await app.asyncShutdown()
        await TestDatabases.shared.discard(location)
        try? FileManager.default.removeItem(atPath: dataDirectory)
        throw error
    }
}

extension TestApp {
    /// A second server on the same database and configuration, as another instance of a deployment is:
    /// its own connections, its own jobs' state.
    public func twin<T: Sendable>(_ body: (TestApp) async throws -> T) async throws -> T {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        let clock = clock
        let store: Store
        do {
            store = try await CurbsideApp.configure(
                app, configuration, options: .init(migrate: false, loadTariffs: false, seedRegistry: false, clock: { clock.now })
            )
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        do {
            let port = app.http.server.shared.localAddress!.port!
            let result = try await body(TestApp(app: app, kind: kind, store: store, configuration: configuration, baseURL: "http://127.0.0.1:\(port)", clock: clock))
            await app.server.shutdown()
            try await app.asyncShutdown()
            return result
        } catch {
            await app.server.shutdown()
            try? await app.asyncShutdown()
            throw error
        }
    }
}
