import CurbsideCore
import Foundation

extension DemoDay {
    /// The day as the city's tools see it through CDS 1.1: the curb's layout and live availability,
    /// the day's stays as Metrics sessions (as many as were fused), and each area's busiest hour.
    func cityView(day: LocalDate, clock: ZoneClock, sessions: Int) async throws {
        struct Envelope: Decodable { var data: Zones }
        struct Zones: Decodable { var zones: [Zone] }
        struct Zone: Decodable { var numSpaces: Int; var availableSpaces: Int? }
        let accept = [("Accept", "application/vnd.cds+csv; version=1.1")]
        let city = try await token(.auditor, "demo-city")
        let zones = try await client.send(.GET, "/cds/curbs/zones", headers: [("Accept", "application/vnd.cds+json; version=1.1")]).decode(Envelope.self).data.zones
        let known = zones.compactMap(\.availableSpaces)
        output("")
        output("The city's view in CDS 1.1 (docs/cds.md)")
        output("  GET /cds/curbs/zones: \(zones.reduce(0) { $0 + $1.numSpaces }) Curb Spaces in \(zones.count) Curb Zones; free spaces are given "
               + "where every bay of a zone reports: \(known.reduce(0, +)) free now")
        let from = clock.utc(fromLocal: Int64(day.dayNumber) * 86_400) * 1000
        let window = "start_time=\(from)&end_time=\(from + 86_400_000)"
        let rows = String(decoding: try await client.send(.GET, "/cds/metrics/sessions?\(window)", token: city, headers: accept).body, as: UTF8.self)
            .split(separator: "\r\n").dropFirst()
        output("  GET /cds/metrics/sessions for \(day): \(rows.count) sessions, no plates; as many as were fused: \(rows.count == sessions ? "yes" : "NO")")
        let aggregates = String(decoding: try await client.send(.GET, "/cds/metrics/aggregates?metric_type=occupancy_percent&\(window)", token: city, headers: accept).body,
                                as: UTF8.self).split(separator: "\r\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        var busiest: [String: (hour: String, value: Double)] = [:]
        for row in aggregates where row.count == 6 {
            let value = Double(row[5]) ?? 0
            if value > busiest[row[1]]?.value ?? -1 { busiest[row[1]] = (row[4], value) }
        }
        struct Areas: Decodable { var data: AreaList }
        struct AreaList: Decodable { var areas: [Area] }
        struct Area: Decodable { var curbAreaId: String; var name: String }
        let areas = try await client.send(.GET, "/cds/curbs/areas", headers: [("Accept", "application/vnd.cds+json; version=1.1")]).decode(Areas.self).data.areas
        output("  GET /cds/metrics/aggregates (occupancy by Curb Area and local hour), the busiest hour of each: "
               + areas.compactMap { area in
                   busiest[area.curbAreaId].map { $0.value > 0 ? "\(area.name) \($0.hour):00 \(String(format: "%.1f", $0.value))%" : "\(area.name) no stays" }
               }.joined(separator: ", "))
        if rows.count != sessions { throw DemoError("CDS sessions (\(rows.count)) differ from the day's sessions (\(sessions))") }
    }
}
