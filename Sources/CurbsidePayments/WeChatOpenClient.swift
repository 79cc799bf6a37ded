import AsyncHTTPClient
import Foundation
import NIOCore

/// WeChat's open API for our mini-program (api.weixin.qq.com): a login code
/// from the citizen's phone (wx.login) exchanged for their openid
/// (`jscode2session`), which WeChat Pay's parking service knows them by; and
/// subscription messages sent to a citizen who agreed to them, under an
/// access token (`stable_token`) kept until shortly before it expires. The
/// application secret goes in the query string of jscode2session, and the
/// token in that of every message, as WeChat requires: those URLs are never
/// written anywhere, and neither is the session key, which is thrown away.
public struct WeChatOpenClient: Sendable {
    public let baseURL: String
    public let appID: String
    let appSecret: String
    let http: HTTPClient
    let timeout: TimeAmount
    let token = AccessTokenCache()

    public init(baseURL: String = "https://api.weixin.qq.com", appID: String, appSecret: String, http: HTTPClient, timeout: TimeAmount = .seconds(10)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.appID = appID
        self.appSecret = appSecret
        self.http = http
        self.timeout = timeout
    }

    /// The openid behind a login code; a code is good once, for five minutes.
    public func openID(code: String) async throws(WeChatOpenError) -> String {
        let query = [("appid", appID), ("secret", appSecret), ("js_code", code), ("grant_type", "authorization_code")]
            .map { "\($0.0)=\(ChannelText.escaped($0.1))" }.joined(separator: "&")
        let answer: [UInt8]
        do {
            let response = try await http.execute(HTTPClientRequest(url: baseURL + "/sns/jscode2session?" + query), timeout: timeout)
            answer = Array(buffer: try await response.body.collect(upTo: 1 << 16))
        } catch {
            // The error names the URL, secret and all: only its kind is kept.
            throw .unreachable(String(describing: type(of: error)))
        }
        struct Session: Decodable { var openid: String?; var errcode: Int?; var errmsg: String? }
        guard let session = try? JSONDecoder().decode(Session.self, from: Data(answer)) else { throw .malformedAnswer("not jscode2session's JSON") }
        if let code = session.errcode, code != 0 { throw .refused(code: code, message: session.errmsg ?? "") }
        guard let openID = session.openid, !openID.isEmpty else { throw .malformedAnswer("no openid in the answer") }
        return openID
    }
}

extension WeChatOpenClient {
    /// Sends a subscription message (`message/subscribe/send`). A token WeChat no longer takes (40001, 42001) is
    /// fetched again once; 43101 means the user has not agreed to this template (or has used up their agreement).
    public func send(_ message: WeChatSubscribeMessage) async throws(WeChatOpenError) {
        let data = Dictionary(message.data.map { ($0.key, ["value": WeChatSubscribeMessage.fitted($0.value, key: $0.key)]) }) { _, last in last }
        let body: [String: Any] = [
            "touser": message.openID, "template_id": message.template, "page": message.page, "miniprogram_state": "formal", "lang": "zh_CN", "data": data,
        ]
        for attempt in 0..<2 {
            let token = try await accessToken(fresh: attempt > 0)
            let answer = try await post("/cgi-bin/message/subscribe/send?access_token=\(ChannelText.escaped(token))", body)
            switch answer.errcode ?? 0 {
            case 0: return
            case let code where (code == 40001 || code == 42001) && attempt == 0: continue
            case let code: throw .refused(code: code, message: answer.errmsg ?? "")
            }
        }
    }

    /// An access token: the one held, or (`fresh`, or none held that lasts five more minutes) a new one from `stable_token`.
    func accessToken(fresh: Bool) async throws(WeChatOpenError) -> String {
        if !fresh, let held = await token.current(now: Date()) { return held }
        let answer = try await post("/cgi-bin/stable_token", ["grant_type": "client_credential", "appid": appID, "secret": appSecret, "force_refresh": fresh])
        if let code = answer.errcode, code != 0 { throw .refused(code: code, message: answer.errmsg ?? "") }
        guard let value = answer.access_token, let lifetime = answer.expires_in else { throw .malformedAnswer("no access_token in the answer") }
        await token.hold(value, until: Date().addingTimeInterval(TimeInterval(lifetime)))
        return value
    }

    struct Answer: Decodable { var errcode: Int?; var errmsg: String?; var access_token: String?; var expires_in: Int? }

    private func post(_ path: String, _ body: [String: Any]) async throws(WeChatOpenError) -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let bytes: [UInt8]
        do {
            request.body = .bytes(ByteBuffer(bytes: Array(try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes]))))
            let response = try await http.execute(request, timeout: timeout)
            bytes = Array(buffer: try await response.body.collect(upTo: 1 << 16))
        } catch {
            // The error may name the URL, and with it the token or the secret: only its kind is kept.
            throw .unreachable(String(describing: type(of: error)))
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(bytes)) else { throw .malformedAnswer("not WeChat's JSON") }
        return answer
    }
}

/// The access token held, shared by every copy of the client.
final actor AccessTokenCache {
    private var value: String?
    private var until = Date.distantPast

    func current(now: Date) -> String? { now.addingTimeInterval(300) < until ? value : nil }

    func hold(_ value: String, until: Date) {
        self.value = value
        self.until = until
    }
}

public enum WeChatOpenError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 40029 invalid code, 40163 code been used, 45011 too frequent, 40226 high-risk user ...
    case refused(code: Int, message: String)
    case malformedAnswer(String)
    case unreachable(String)

    public var description: String {
        switch self {
        case let .refused(code, message): "WeChat refused (\(code)): \(message)"
        case let .malformedAnswer(reason): "WeChat's answer cannot be read: \(reason)"
        case let .unreachable(reason): "WeChat did not answer: \(reason)"
        }
    }
}
