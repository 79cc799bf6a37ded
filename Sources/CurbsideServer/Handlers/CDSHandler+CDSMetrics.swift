import CurbsideAPI
import CurbsideCore
import CurbsideRender
import CurbsideStore
import Foundation
import OpenAPIRuntime

/// The CDS Metrics API: stays as CDS sessions, and hourly aggregates of curb
/// places (total sessions and events, turnover, dwell time, occupancy), both
/// as CSV in the CDS media type. Plates are not published.
extension CDSHandler {
    /// Most rows one request may ask for; a longer export is split by time or place.
    static let cdsMetricRowLimit = 200_000
    static let cdsMetricLongestWindow: Int64 = 31 * Milliseconds.day

    func listCDSMetricSessions(_ input: Operations.ListCDSMetricSessions.Input) async throws -> Operations.ListCDSMetricSessions.Output {
        try CDSMediaType.require(CDSMediaType.csv, in: input.headers.accept)
        let query = input.query
        let (window, location) = try Self.metricScope(query, now: now)
        var bays = try await registry.activeBays()
        if let kind = try Self.placeKind(query.curbPlaceType?.rawValue, id: query.curbPlaceId) {
            bays = try CDSPlace.all(kind, id: query.curbPlaceId, bays: bays, zones: try await registry.zones(), cityTimeZone: configuration.city.timeZone.identifier).flatMap(\.bays)
        }
        if let location { bays = bays.filter { location.contains($0.spec.position) } }
        let byCode = Dictionary(uniqueKeysWithValues: bays.map { ($0.spec.code.rawValue, $0) })
        let filtered = query.curbPlaceType != nil || location != nil
        let stays = try await CurbStays(database: try database)
            .stays(overlapping: window, bays: filtered ? Array(byCode.keys) : nil, limit: Self.cdsMetricRowLimit)
        guard stays.count <= Self.cdsMetricRowLimit else { throw Self.tooManyRows(what: "stays") }
        var rows = stays.compactMap { stay in byCode[stay.bayCode].map { (stay, $0) } }
        if let location, case .circle = location {
            let distance = byCode.mapValues { location.distance($0.spec.position) ?? 0 }
            rows.sort { (distance[$0.0.bayCode]!, $0.0.start, $0.0.id) < (distance[$1.0.bayCode]!, $1.0.start, $1.0.id) }
        }
        var places: [String: [String]] = [:]
        let lines = rows.map { stay, bay in
            let code = bay.spec.code.rawValue
            let place = places[code] ?? [CDSIdentifier.zone(bay.spec.segmentID), CDSIdentifier.area(bay.zoneID), CDSIdentifier.space(code)]
            places[code] = place
            return Self.sessionLine(stay, at: bay.spec.position, place: place)
        }
        return .ok(.init(body: .applicationVnd_cdsCsvVersion_1_1(HTTPBody(CSVText.lines([Self.sessionColumns] + lines)))))
    }

    func listCDSMetricAggregates(_ input: Operations.ListCDSMetricAggregates.Input) async throws -> Operations.ListCDSMetricAggregates.Output {
        try CDSMediaType.require(CDSMediaType.csv, in: input.headers.accept)
        let query = input.query
        let (window, location) = try Self.metricScope(query, now: now)
        let kind = try Self.placeKind(query.curbPlaceType?.rawValue, id: query.curbPlaceId) ?? .area
        var places = try CDSPlace.all(kind, id: query.curbPlaceId, bays: try await registry.activeBays(), zones: try await registry.zones(), cityTimeZone: configuration.city.timeZone.identifier)
        if let location {
            places = places.filter { $0.matches(location) }
            if case .circle = location { places.sort { ($0.distance(location), $0.code) < ($1.distance(location), $1.code) } }
        }
        let metrics = query.metricType.map { [CurbMetric(rawValue: $0.rawValue)!] } ?? CurbMetric.allCases

        // Places are counted in their own zone's local hours.
        var byTimeZone: [(timeZone: String, places: [CDSPlace], hours: [LocalHour])] = []
        for (timeZone, members) in Dictionary(grouping: places, by: \.timeZone).sorted(by: { $0.key < $1.key }) {
            guard let clock = ZoneClock(identifier: timeZone) else { continue }
            byTimeZone.append((timeZone, members, LocalHour.covering(window, clock: clock).filter { $0.start < now }))
        }
        let rowCount = byTimeZone.reduce(0) { $0 + $1.places.count * $1.hours.count } * metrics.count
        guard rowCount <= Self.cdsMetricRowLimit else { throw Self.tooManyRows(rowCount, what: "rows") }
        let hours = byTimeZone.flatMap(\.hours)
        guard let from = hours.map(\.start).min(), let until = hours.map(\.end).max() else {
            return .ok(.init(body: .applicationVnd_cdsCsvVersion_1_1(HTTPBody(CSVText.lines([Self.aggregateColumns])))))
        }
        let curb = CurbStays(database: try database)
        let filter = query.curbPlaceId != nil || location != nil ? places.flatMap(\.bays).map(\.spec.code.rawValue) : nil
        // Every area or segment of the city reads the segments' quarter sums of ended stays, and the stays not
        // ended by now one by one; bays, or places picked by id or location, read their stays one by one.
        let summed = filter == nil && (kind == .area || kind == .zone)
        let quarters = from / QuarterFigures.quarter..<until / QuarterFigures.quarter
        let sums = summed ? try await SegmentQuarters(store: store, database: try database).figures(in: quarters, byZone: kind == .area) : []
        let stays = try await curb.spans(counting: from..<until, bays: filter, openAt: summed ? now : nil)
        let outages = try await curb.outages(within: from..<until)

        var lines: [[String]] = []
        for group in byTimeZone {
            var aggregates = CurbAggregates(places: group.places.map { $0.bays.map(\.spec.code.rawValue) }, hours: group.hours, now: now)
            let placeOfCode = Dictionary(uniqueKeysWithValues: group.places.enumerated().map { ($0.element.code, $0.offset) })
            for sum in sums {
                guard let place = placeOfCode[sum.place] else { continue }
                aggregates.add(sum.figures, quarter: sum.quarter, place: place)
            }
            for stay in stays {
                // The sums hold a stay whose recorded end is still to come as ended: it is taken back out and counted as under way.
                if summed, let end = stay.end, let place = aggregates.place(ofBay: stay.bayCode) {
                    for (quarter, figures) in QuarterFigures.of(start: stay.start, end: end) {
                        aggregates.add(-figures, quarter: quarter, place: place)
                    }
                }
                aggregates.add(bay: stay.bayCode, start: stay.start, end: stay.end)
            }
            for bay in group.places.flatMap(\.bays) {
                // The detector watches a bay where one is fitted; otherwise its camera does.
                guard let device = bay.spec.sensorID ?? bay.spec.cameraID else { continue }
                for outage in outages[device] ?? [] { aggregates.addOutage(bay: bay.spec.code.rawValue, during: outage) }
            }
            for (index, place) in group.places.enumerated() {
                for metric in metrics {
                    for (hourIndex, hour) in group.hours.enumerated() {
                        guard let value = aggregates.value(metric, place: index, hour: hourIndex) else { continue }
                        lines.append([place.kind.rawValue, place.id, metric.rawValue, hour.date.description, String(hour.hour), Self.metricNumber(value)])
                    }
                }
            }
        }
        return .ok(.init(body: .applicationVnd_cdsCsvVersion_1_1(HTTPBody(CSVText.lines([Self.aggregateColumns] + lines)))))
    }

    static let sessionColumns = [
        "session_type", "event_session_id", "event_id_start", "event_id_end", "event_location_start_latitude", "event_location_start_longitude",
        "event_location_end_latitude", "event_location_end_longitude", "event_time_start", "event_time_end", "curb_zone_id", "curb_area_ids", "curb_space_id",
    ]

    static let aggregateColumns = ["curb_place_type", "curb_place_id", "metric_type", "date", "hour", "value"]

    /// One stay as a CDS session, with the same ids the Events API gives its park_start and park_end; a stay under way has no end.
    /// `place` is the bay's Curb Zone, Area and Space ids.
    static func sessionLine(_ stay: CurbStays.Stay, at position: GeoPoint, place: [String]) -> [String] {
        let ended = stay.end != nil
        return [
            "parking", CDSIdentifier.uuid("session", stay.id), CDSIdentifier.uuid("event", "park_start:\(stay.id)"),
            ended ? CDSIdentifier.uuid("event", "park_end:\(stay.id)") : "",
            "\(position.latitude)", "\(position.longitude)", ended ? "\(position.latitude)" : "", ended ? "\(position.longitude)" : "",
            String(stay.start), stay.end.map(String.init) ?? "",
        ] + place
    }

    /// The time window and location filter both Metrics endpoints take.
    static func metricScope(_ query: some CDSMetricQuery, now: Int64) throws -> (Range<Int64>, CDSLocationFilter?) {
        let location = try CDSLocationFilter.parse(query)
        return (try metricWindow(start: query.startTime, end: query.endTime, now: now), location)
    }

    /// `start_time` to `end_time` (UTC ms); the end defaults to now, the start to 24 hours before the end.
    static func metricWindow(start: Int64?, end: Int64?, now: Int64) throws -> Range<Int64> {
        // Checked before any arithmetic: the contract bounds them too, but a handler does not rely on that.
        let instants = RFC3339.range.lowerBound * 1000..<RFC3339.range.upperBound * 1000
        guard [start, end].allSatisfy({ $0.map(instants.contains) ?? true }) else {
            throw APIError.badRequest(CDSErrorCode.invalidTimeRange, "start_time and end_time are UTC milliseconds from 1970 to 2199.")
        }
        let until = end ?? now
        let from = start ?? until - Milliseconds.day
        guard from < until else {
            throw APIError.badRequest(CDSErrorCode.invalidTimeRange, "start_time must come before end_time (UTC milliseconds).")
        }
        guard until - from <= cdsMetricLongestWindow else {
            throw APIError.badRequest(CDSErrorCode.timeRangeTooLong, "A window may be at most 31 days; ask for a long period month by month.")
        }
        return from..<until
    }

    /// The place kind asked for; an id needs its kind.
    static func placeKind(_ text: String?, id: String?) throws -> CDSPlace.Kind? {
        if id != nil && text == nil {
            throw APIError.badRequest(CDSErrorCode.curbPlaceTypeRequired, "curb_place_id needs curb_place_type (area, zone or space) to say what it names.")
        }
        return text.flatMap(CDSPlace.Kind.init(rawValue:))
    }

    /// `count` where it is known; a list of stays is read only up to one past the limit.
    static func tooManyRows(_ count: Int? = nil, what: String) -> APIError {
        let covers = count.map { "\($0) \(what)" } ?? "more than \(cdsMetricRowLimit) \(what)"
        return APIError.badRequest(
            CDSErrorCode.tooManyRows, "The request covers \(covers); at most \(cdsMetricRowLimit) go in one answer. Narrow the time window, the place, or the metric."
        )
    }

    /// Whole numbers as they are, others to four decimals without trailing zeros: "12", "33.3333", "-1".
    static func metricNumber(_ value: Double) -> String {
        if value == value.rounded() { return String(Int64(value)) }
        var text = String(format: "%.4f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

/// The query parameters the two Metrics operations share.
protocol CDSMetricQuery: CDSLocationQuery {
    var startTime: Int64? { get }
    var endTime: Int64? { get }
}

extension Operations.ListCDSMetricSessions.Input.Query: CDSMetricQuery {}
extension Operations.ListCDSMetricAggregates.Input.Query: CDSMetricQuery {}
