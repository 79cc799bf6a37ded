import Foundation
import Vapor

/// WeChat's open API for a mini-program on loopback: `jscode2session`
/// exchanges a login code, once, for the user's openid, if the application's
/// id and secret are right.
public final class WeChatOpenSimulator: @unchecked Sendable {
    public let appID: String
    public let appSecret: String
    public private(set) var baseURL = ""

    private let lock = NSLock()
    private var codes: [String: String] = [:]
    private var sequence = 0
    private let loopback: LoopbackChannel

    public init(appID: String, appSecret: String = "simulated-wechat-app-secret") async throws {
        self.appID = appID
        self.appSecret = appSecret
        loopback = try await LoopbackChannel()
        loopback.app.get("sns", "jscode2session") { [unowned self] request -> Response in self.session(request) }
        baseURL = try await loopback.start()
    }

    public func stop() async throws {
        try await loopback.stop()
    }

    /// The user `openID` opens the mini-program: wx.login gives the page this code.
    public func login(openID: String) -> String {
        lock.withLock {
            sequence += 1
            let code = String(format: "0a3%029d", sequence)
            codes[code] = openID
            return code
        }
    }

    private func session(_ request: Request) -> Response {
        let query = (try? request.query.decode([String: String].self)) ?? [:]
        guard query["appid"] == appID, query["secret"] == appSecret else { return answer(#"{"errcode":40125,"errmsg":"invalid appsecret"}"#) }
        guard query["grant_type"] == "authorization_code", let code = query["js_code"] else { return answer(#"{"errcode":40029,"errmsg":"invalid code"}"#) }
        guard let openID = lock.withLock({ codes.removeValue(forKey: code) }) else { return answer(#"{"errcode":40029,"errmsg":"invalid code"}"#) }
        return answer(#"{"openid":"\#(openID)","session_key":"tiihtNczf5v6AKRyjwEUhQ=="}"#)
    }

    private func answer(_ json: String) -> Response {
        Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: json))
    }
}
