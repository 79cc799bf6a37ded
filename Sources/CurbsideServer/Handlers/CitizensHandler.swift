import CurbsideCore
import CurbsideStore
import Foundation

/// A citizen's account: sign-in, bound plates, their bills, payments and wallet.
struct CitizensHandler: BillShowing {
    let configuration: CurbsideConfiguration
    let store: Store
    let clock: @Sendable () -> Date
    let tariffs: TariffBook
    let notifier: any Notifier
    let texts: NoticeTexts
    /// WeChat Pay's parking service, asked whether a plate has it open.
    let orders: ChannelOrders
    let tokens: TokenService
    let guards: EdgeGuards
}
