import CurbsideAPI
import CurbsideCore
import CurbsidePayments
import CurbsideStore
import Logging

/// The pay page as Alipay's car-owner platform (车主平台) opens it: with the car's car_id, whose plate Alipay names.
extension BillingHandler {
    func findAlipayVehicleBills(_ input: Operations.FindAlipayVehicleBills.Input) async throws -> Operations.FindAlipayVehicleBills.Output {
        guard let alipay = orders.alipay else {
            throw APIError(.notFound, BillingErrorCode.channelNotConfigured, "Alipay is not configured on this server.")
        }
        let named: String
        do {
            named = try await alipay.parkingVehicle(carID: input.path.carId)
        } catch {
            if case .refused = error, !error.isRetryable { throw APIError.notFound(BillingErrorCode.alipayVehicleNotFound, input.path.carId) }
            Logger(label: "curbside.payments").warning("Alipay vehicle not looked up", metadata: ["error": "\(error)"])
            throw APIError(.badGateway, BillingErrorCode.channelUnavailable, "Alipay did not answer; try again in a moment.")
        }
        let plate = try InputValidation.plate(named)
        let bills = try await Bills(store: store, database: try database).bills(plate: plate, colour: nil)
        // Masked as a plate lookup is: asked once per colour the plate's bills have.
        var masked: [PlateColour: Bool] = [:]
        for colour in Set(bills.map(\.bill.plateColour)) { masked[colour] = try await isMasked(plate: plate, colour: colour) }
        return .ok(.init(body: .json(.init(
            items: bills.map { .init($0, masked: masked[$0.bill.plateColour] ?? true, clock: clock(of: $0)) },
            totalDueFen: bills.reduce(0) { $0 + $1.outstandingFen }
        ))))
    }
}
