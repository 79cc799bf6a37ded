import CurbsideCore
import Foundation

/// A parking session as stored: what the fold produced, plus what billing and
/// corrections added. Two rows with the same fold output compare equal, which
/// is how refolds and replays find what changed.
public struct SessionRow: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable {
        case open, closed
        /// A billed session that later events showed did not happen as billed.
        case void
    }

    public var id: String
    public var bay: String
    public var zoneID: String
    public var start: Int64
    public var end: Int64?
    public var plate: String?
    public var plateColour: String?
    public var plateConfidence: Int?
    public var plateSource: String?
    public var quality: String
    public var flags: Int
    public var evidence: [String]
    public var lastEvidence: Int64

    public init(_ session: ParkingSession, zoneID: String) {
        id = session.id
        bay = session.bay.rawValue
        self.zoneID = zoneID
        start = session.start
        end = session.end
        plate = session.plate?.plate.text
        plateColour = session.plate?.colour.rawValue
        plateConfidence = session.plate?.confidence
        plateSource = session.plateSource
        quality = session.quality.rawValue
        flags = session.flags.rawValue
        evidence = session.evidence
        lastEvidence = session.lastEvidence
    }

    init(columns c: SessionColumns) {
        id = c.id
        bay = c.bay_code
        zoneID = c.zone_id
        start = c.start_ms
        end = c.end_ms
        plate = c.plate
        plateColour = c.plate_colour
        plateConfidence = c.plate_confidence
        plateSource = c.plate_source
        quality = c.quality
        flags = c.flags
        evidence = (try? JSONDecoder().decode([String].self, from: Data(c.evidence.utf8))) ?? []
        lastEvidence = c.last_evidence_ms
    }

    public var status: Status { end == nil ? .open : .closed }

    /// The stay as the city platform is told of it.
    var feedStay: FeedStay {
        FeedStay(session: id, bay: bay, zone: zoneID, start: start, end: end, plate: plate, plateColour: plateColour, images: evidence)
    }

    public var sessionFlags: ParkingSession.Flags { ParkingSession.Flags(rawValue: flags) }

    /// The row as JSON, for correction records.
    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}

/// A stored session as read back, with what only the store knows.
public struct StoredSession: Sendable {
    public var row: SessionRow
    public var status: SessionRow.Status
    /// When the session was billed, if it was: changes to it then leave correction records.
    public var billedAt: Int64?
    public var revision: Int
    public var updatedAt: Int64
}

/// The columns of parking_sessions as SQL rows decode them.
struct SessionColumns: Decodable {
    var id: String
    var bay_code: String
    var zone_id: String
    var start_ms: Int64
    var end_ms: Int64?
    var plate: String?
    var plate_colour: String?
    var plate_confidence: Int?
    var plate_source: String?
    var quality: String
    var flags: Int
    var evidence: String
    var last_evidence_ms: Int64
    var status: String
    var billed_ms: Int64?
    var revision: Int
    var updated_ms: Int64

    static let list = "id, bay_code, zone_id, start_ms, end_ms, plate, plate_colour, plate_confidence, plate_source, quality, flags, evidence, last_evidence_ms, status, billed_ms, revision, updated_ms"

    var stored: StoredSession {
        StoredSession(row: SessionRow(columns: self), status: SessionRow.Status(rawValue: status) ?? .closed, billedAt: billed_ms, revision: revision, updatedAt: updated_ms)
    }
}

extension SessionRow {
    /// The session as the domain sees it, for billing; nil if the stored bay no longer parses.
    public var parkingSession: ParkingSession? {
        guard let bay = try? BayCode(parsing: bay) else { return nil }
        var read: PlateRead?
        if let plate {
            read = PlateRead(plate: Plate(stored: plate), colour: plateColour.flatMap(PlateColour.init(rawValue:)) ?? .unknown, confidence: plateConfidence ?? 0, images: [])
        }
        return ParkingSession(
            bay: bay, start: start, end: end, plate: read, plateSource: plateSource, quality: ParkingSession.Quality(rawValue: quality) ?? .sensorOnly,
            flags: sessionFlags, evidence: evidence, lastEvidence: lastEvidence
        )
    }
}
