import CurbsideCore

/// A session the simulated day must produce, worked out from what really
/// happened and what the devices could see of it, not by folding the events.
public struct ExpectedSession: Sendable, Equatable {
    public var bay: String
    /// UTC seconds.
    public var start: Int64
    public var end: Int64?
    public var plate: String?
    public var quality: ParkingSession.Quality
    public var flags: ParkingSession.Flags
    public var evidence: [String]
    /// The plate's colour as the camera reads it (with the plate, it gives the vehicle class a bill is priced for).
    public var colour: String?
    /// The car's true plate, whatever the devices made of it (nil for a stay no one could see).
    public var truePlate: String?

    /// One compact JSON object, in the form of the fusion fixtures.
    public func json(in clock: ZoneClock) -> String {
        var fields = ["\"bay\":\"\(bay)\"", "\"start\":\"\(LocalDateTime.format(start, in: clock))\""]
        fields.append("\"end\":" + (end.map { "\"\(LocalDateTime.format($0, in: clock))\"" } ?? "null"))
        fields.append("\"plate\":" + (plate.map { "\"\($0)\"" } ?? "null"))
        fields.append("\"quality\":\"\(quality.rawValue)\"")
        fields.append("\"flags\":[\(flags.names.map { "\"\($0)\"" }.joined(separator: ","))]")
        fields.append("\"evidence\":[\(evidence.map { "\"\($0)\"" }.joined(separator: ","))]")
        return "{" + fields.joined(separator: ",") + "}"
    }
}
