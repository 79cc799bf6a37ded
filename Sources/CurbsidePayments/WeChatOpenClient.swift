import AsyncHTTPClient
import Foundation
import NIOCore

/// WeChat's open API for our mini-program (api.weixin.qq.com): a login code
/// from the citizen's phone (wx.login) exchanged for their openid
/// (`jscode2session`), which WeChat Pay's parking service knows them by. The
/// application secret goes in the query string, as WeChat requires: the URL
/// is never written anywhere, and neither is the session key, which is
/// thrown away.
public struct WeChatOpenClient: Sendable {
    public let baseURL: String
    public let appID: String
    let appSecret: String
    let http: HTTPClient
    let timeout: TimeAmount

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
