import CurbsideCore
import CurbsideStore

/// A curb place the CDS Metrics API reports on: a zone (Curb Area), a road
/// segment (Curb Zone) or a bay (Curb Space), with its bays in service.
struct CDSPlace {
    enum Kind: String {
        case area, zone, space, object
    }

    var kind: Kind
    var code: String
    var bays: [BayRecord]
    var timeZone: String

    /// The place's CDS id, as the Curbs API gives it.
    var id: String {
        switch kind {
        case .area: CDSIdentifier.area(code)
        case .zone: CDSIdentifier.zone(code)
        case .space, .object: CDSIdentifier.space(code)
        }
    }

    /// Places of a kind, in code order; `id` picks one (404 if there is none such).
    static func all(_ kind: Kind, id: String?, bays: [BayRecord], zones: [ZoneRecord], cityTimeZone: String) throws -> [CDSPlace] {
        let timeZones = Dictionary(zones.map { ($0.spec.id, $0.spec.timeZone) }, uniquingKeysWith: { first, _ in first })
        let key: (BayRecord) -> String? = switch kind {
        case .area: { $0.zoneID }
        case .zone: { $0.spec.segmentID }
        case .space: { $0.spec.code.rawValue }
        case .object: { _ in nil }
        }
        var members: [String: [BayRecord]] = [:]
        for bay in bays {
            if let code = key(bay) { members[code, default: []].append(bay) }
        }
        var places = members.keys.sorted().map { code in
            let bays = members[code]!
            return CDSPlace(kind: kind, code: code, bays: bays, timeZone: timeZones[bays[0].zoneID] ?? cityTimeZone)
        }
        if let id {
            places = places.filter { $0.id == id.lowercased() }
            if places.isEmpty {
                throw APIError(.notFound, CDSErrorCode.curbPlaceNotFound, "No curb \(kind.rawValue) \(id) in service; the Curbs API lists them.")
            }
        }
        return places
    }

    /// Whether one of the place's bays lies within the filter.
    func matches(_ location: CDSLocationFilter) -> Bool {
        bays.contains { location.contains($0.spec.position) }
    }

    /// Metres from the point filter's centre to the nearest bay.
    func distance(_ location: CDSLocationFilter) -> Double {
        bays.compactMap { location.distance($0.spec.position) }.min() ?? 0
    }
}
