import CurbsideAPI
import CurbsideCore
import Foundation

extension Components.Schemas.DeviceEventInput {
    /// A simulated device's event as its gateway sends it; nil for a type the contract does not know.
    public init?(_ event: GatewayEvent) {
        guard let type = _TypePayload(rawValue: event.type) else { return nil }
        self.init(
            deviceId: event.deviceID, eventId: event.eventID, bay: event.bay, time: Date(seconds: event.time), _type: type,
            occupied: event.occupied, battery: event.battery, rssi: event.rssi, temperature: event.temperature.map { Double($0) / 10 },
            plate: event.read.map { .init(text: $0.plate, colour: .init(rawValue: $0.colour), confidence: Double($0.confidence) / 100) },
            images: event.images.isEmpty ? nil : event.images.map {
                .init(sha256: $0.sha256, capturedAt: Date(seconds: $0.capturedAt), deviceId: $0.deviceID,
                      longitude: $0.position.longitude, latitude: $0.position.latitude)
            }
        )
    }
}
