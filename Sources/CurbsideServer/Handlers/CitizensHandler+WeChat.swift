import CurbsideAPI
import CurbsideCore
import CurbsidePayments
import CurbsideStore
import Logging

/// A citizen's WeChat: linked by a login code from our mini-program (their
/// openid, which WeChat Pay's parking service and subscription messages
/// know them by), and the subscription messages they agreed to receive.
extension CitizensHandler {
    func linkMyWeChat(_ input: Operations.LinkMyWeChat.Input) async throws -> Operations.LinkMyWeChat.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        guard let open = orders.wechatOpen else {
            throw APIError(.notFound, BillingErrorCode.channelNotConfigured, "WeChat is not configured on this server.")
        }
        let openID: String
        do {
            openID = try await open.openID(code: request.code)
        } catch {
            guard case .refused = error else {
                Logger(label: "curbside.citizens").warning("WeChat login code not exchanged", metadata: ["error": "\(error)"])
                throw APIError(.badGateway, BillingErrorCode.channelUnavailable, "WeChat did not answer; try again in a moment.")
            }
            throw APIError.invalid(CitizenErrorCode.wechatCodeInvalid, "WeChat does not know this login code, or it was used; log in again in the mini-program.")
        }
        try await AutoPay(store: store, database: try database).linkWeChat(citizen: try principal.subject, openID: openID)
        return .noContent(.init())
    }

    func agreeToWeChatMessages(_ input: Operations.AgreeToWeChatMessages.Input) async throws -> Operations.AgreeToWeChatMessages.Output {
        guard case let .json(request) = input.body else { throw APIError.unsupportedBody }
        let citizen = try principal.subject
        let database = try database
        guard try await AutoPay(store: store, database: database).weChatOpenID(citizen: citizen) != nil else {
            throw APIError(.conflict, CitizenErrorCode.wechatNotLinked, "Link WeChat first (PUT /v1/citizen/wechat with a login code from the mini-program).")
        }
        let known = Set(NoticeKind.allCases.compactMap { texts.text($0, language: nil).wechat?.template })
        let templates = request.accepted.filter(known.contains)
        let quotas = try await WeChatSubscriptions(store: store, database: database).agree(citizen: citizen, templates: templates, now: now)
        return .ok(.init(body: .json(.init(items: quotas.sorted { $0.key < $1.key }.map { .init(templateId: $0.key, messages: $0.value) }))))
    }
}
