import CurbsideCore
import CurbsideStore

/// A handler that shows bills, which read in the time zone of the tariff that priced them.
protocol BillShowing: RequestHandling {
    var tariffs: TariffBook { get }
}

extension BillShowing {
    /// The clock of the tariff that priced the bill, or the city's.
    func clock(of bill: StoredBill) -> ZoneClock {
        tariffs.engine(id: bill.bill.tariffID, version: bill.bill.tariffVersion)?.clock ?? configuration.city.timeZone
    }
}
