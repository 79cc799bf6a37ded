import Foundation
import Vapor

/// WeChat's open API for a mini-program on loopback: `jscode2session`
/// exchanges a login code, once, for the user's openid, if the application's
/// id and secret are right; `stable_token` gives an access token; and
/// `message/subscribe/send` delivers a subscription message only as often
/// as its user agreed to that template (43101 otherwise).
public final class WeChatOpenSimulator: @unchecked Sendable {
    public let appID: String
    public let appSecret: String
    public private(set) var baseURL = ""

    /// A subscription message as the simulator took it.
    public struct Delivered: Sendable, Equatable {
        public var openID: String
        public var template: String
        public var data: [String: String]
        public var page: String
    }

    private let lock = NSLock()
    private var codes: [String: String] = [:]
    private var sequence = 0
    private var tokens: Set<String> = []
    private var agreed: [String: Int] = [:]
    private var messages: [Delivered] = []
    private let loopback: LoopbackChannel

    public init(appID: String, appSecret: String = "simulated-wechat-app-secret") async throws {
        self.appID = appID
        self.appSecret = appSecret
        loopback = try await LoopbackChannel()
        loopback.app.get("sns", "jscode2session") { [unowned self] request -> Response in self.session(request) }
        loopback.app.post("cgi-bin", "stable_token") { [unowned self] request -> Response in self.stableToken(request) }
        loopback.app.post("cgi-bin", "message", "subscribe", "send") { [unowned self] request -> Response in self.subscribeSend(request) }
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

    /// The user agrees, in the mini-program (wx.requestSubscribeMessage), to one message of `template`.
    public func agree(openID: String, template: String) {
        lock.withLock { agreed["\(openID)|\(template)", default: 0] += 1 }
    }

    public var delivered: [Delivered] { lock.withLock { messages } }

    /// Access tokens given so far stop working, as when WeChat expires them early.
    public func expireTokens() {
        lock.withLock { tokens.removeAll() }
    }

    private func stableToken(_ request: Request) -> Response {
        struct Body: Decodable { var grant_type: String; var appid: String; var secret: String }
        guard let body = try? request.content.decode(Body.self, as: .json), body.grant_type == "client_credential" else {
            return answer(#"{"errcode":40002,"errmsg":"invalid grant_type"}"#)
        }
        guard body.appid == appID, body.secret == appSecret else { return answer(#"{"errcode":40125,"errmsg":"invalid appsecret"}"#) }
        let token: String = lock.withLock {
            sequence += 1
            let token = String(format: "86_simulated_access_token_%08d", sequence)
            tokens.insert(token)
            return token
        }
        return answer(#"{"access_token":"\#(token)","expires_in":7200}"#)
    }

    private func subscribeSend(_ request: Request) -> Response {
        guard let token = request.query[String.self, at: "access_token"], lock.withLock({ tokens.contains(token) }) else {
            return answer(#"{"errcode":40001,"errmsg":"invalid credential, access_token is invalid or not latest"}"#)
        }
        struct Body: Decodable {
            struct Value: Decodable { var value: String }
            var touser: String; var template_id: String; var page: String?; var data: [String: Value]
        }
        guard let body = try? request.content.decode(Body.self, as: .json) else { return answer(#"{"errcode":47001,"errmsg":"data format error"}"#) }
        let taken: Bool = lock.withLock {
            let key = "\(body.touser)|\(body.template_id)"
            guard let left = agreed[key], left > 0 else { return false }
            agreed[key] = left - 1
            messages.append(Delivered(openID: body.touser, template: body.template_id, data: body.data.mapValues(\.value), page: body.page ?? ""))
            return true
        }
        return taken ? answer(#"{"errcode":0,"errmsg":"ok"}"#) : answer(#"{"errcode":43101,"errmsg":"user refuse to accept the msg"}"#)
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
