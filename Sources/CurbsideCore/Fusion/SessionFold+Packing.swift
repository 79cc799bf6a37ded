extension SessionFold.Checkpoint {
    /// The first byte of packed state: a later layout gets another, and reads both.
    static let packingVersion: UInt8 = 1

    /// The state in a few hundred bytes, written and read back about twenty times
    /// faster than as JSON; the fold saves one per bay and round, and more when
    /// events arrive in bulk.
    public func packed() -> [UInt8] {
        var writer = PackedWriter()
        writer.int(Int(Self.packingVersion))
        writer.int(at)
        writer.bool(confirmed)
        writer.bool(pendingOccupied)
        writer.int(pendingAt)
        writer.int(lastOccupied)
        writer.int(lastEvidence)
        for session in [lastClosed, open] {
            writer.bool(session != nil)
            session?.pack(into: &writer)
        }
        writer.int(moved)
        writer.bool(contest != nil)
        if let contest {
            contest.read.pack(into: &writer)
            writer.string(contest.source)
            writer.int(contest.first)
            writer.int(contest.last)
            writer.int(contest.reads)
            writer.int(contest.confidentReads)
        }
        writer.bool(neighbours != nil)
        if let neighbours {
            writer.int(neighbours.count)
            // Sorted, so that the same state always packs to the same bytes.
            for (plate, sighting) in neighbours.sorted(by: { $0.key < $1.key }) {
                writer.string(plate)
                writer.string(sighting.bay)
                writer.int(sighting.at)
            }
        }
        return writer.bytes
    }

    public init(packed bytes: [UInt8]) throws(PackingError) {
        var reader = PackedReader(bytes)
        guard try reader.int() == Int(Self.packingVersion) else { throw PackingError(offset: 0) }
        at = try reader.int64()
        confirmed = try reader.optionalBool()
        pendingOccupied = try reader.optionalBool()
        pendingAt = try reader.optionalInt64()
        lastOccupied = try reader.optionalInt64()
        lastEvidence = try reader.optionalInt64()
        lastClosed = try reader.bool() ? try ParkingSession(unpacking: &reader) : nil
        open = try reader.bool() ? try ParkingSession(unpacking: &reader) : nil
        moved = try reader.optionalInt64()
        contest = nil
        if try reader.bool() {
            contest = SessionFold.Contest(
                read: try PlateRead(unpacking: &reader), source: try reader.string(), first: try reader.int64(), last: try reader.int64(),
                reads: try reader.int(), confidentReads: try reader.int()
            )
        }
        neighbours = nil
        if try reader.bool() {
            var sightings: [String: SessionFold.Sighting] = [:]
            for _ in 0..<(try reader.count()) {
                let plate = try reader.string()
                sightings[plate] = SessionFold.Sighting(bay: try reader.string(), at: try reader.int64())
            }
            neighbours = sightings
        }
        guard reader.isAtEnd else { throw PackingError(offset: reader.offset) }
    }
}
