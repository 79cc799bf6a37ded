import AsyncHTTPClient

extension HTTPClient {
    /// The client for every call to an outside provider: the payment channels,
    /// SMS, invoicing, WeChat's messages and the city platform. Unlike the
    /// shared client it does not try a refused connection again and again
    /// until the call's timeout: every such call is tried again by its job's
    /// schedule or by the citizen, and with a channel down a follow-up round
    /// otherwise spent the whole timeout on each refund it had to send.
    static let providers = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }())
}
