import CurbsideCore
import CurbsideStore
import Foundation

/// Bills and payments: look-ups and pay links, payments, channel notifications, and finance (bills, refunds, permits, reconciliation, the audit log).
struct BillingHandler: BillShowing {
    let configuration: CurbsideConfiguration
    let store: Store
    let clock: @Sendable () -> Date
    let tariffs: TariffBook
    let channels: ChannelVerifiers
    /// Evidence images, shown to the holder of a bill's link.
    let evidence: any EvidenceObjects
    /// Places orders with the channels whose merchant keys are configured.
    let orders: ChannelOrders
    /// nil where no concession contract is configured: reports are then refused.
    let contract: ConcessionContract?
}
