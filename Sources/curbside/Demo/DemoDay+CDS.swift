import CurbsideAPI
import CurbsideCore
import Foundation
import OpenAPIRuntime

extension DemoDay {
    /// The day as the city's tools see it through CDS 1.1: the curb's layout and live availability,
    /// the day's stays as Metrics sessions (as many as were fused), and each area's busiest hour.
    func cityView(day: LocalDate, clock: ZoneClock, sessions: Int) async throws {
        let city = client.api(try await token(.auditor, "demo-city"))
        let zones = try await client.api().listCDSCurbZones().ok.body.applicationVnd_cdsJsonVersion_1_1.value2.data.zones
        let known = zones.compactMap(\.availableSpaces)
        output("")
        output("The city's view in CDS 1.1 (docs/cds.md)")
        output("  GET /cds/curbs/zones: \(zones.reduce(0) { $0 + $1.numSpaces }) Curb Spaces in \(zones.count) Curb Zones; free spaces are given "
               + "where every bay of a zone reports: \(known.reduce(0, +)) free now")
        let from = clock.utc(fromLocal: Int64(day.dayNumber) * 86_400) * 1000
        let csv = [AcceptHeaderContentType(contentType: Operations.ListCDSMetricSessions.AcceptableContentType.applicationVnd_cdsCsvVersion_1_1)]
        let sessionsCSV = try await city.listCDSMetricSessions(query: .init(startTime: from, endTime: from + Milliseconds.day), headers: .init(accept: csv))
        let rows = String(decoding: try await Data(collecting: sessionsCSV.ok.body.applicationVnd_cdsCsvVersion_1_1, upTo: 64 << 20), as: UTF8.self)
            .split(separator: "\r\n").dropFirst()
        output("  GET /cds/metrics/sessions for \(day): \(rows.count) sessions, no plates; as many as were fused: \(rows.count == sessions ? "yes" : "NO")")
        let aggregatesCSV = try await city.listCDSMetricAggregates(
            query: .init(metricType: .occupancyPercent, startTime: from, endTime: from + Milliseconds.day),
            headers: .init(accept: [.init(contentType: .applicationVnd_cdsCsvVersion_1_1)])
        )
        let aggregates = String(decoding: try await Data(collecting: aggregatesCSV.ok.body.applicationVnd_cdsCsvVersion_1_1, upTo: 64 << 20), as: UTF8.self)
            .split(separator: "\r\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        var busiest: [String: (hour: String, value: Double)] = [:]
        for row in aggregates where row.count == 6 {
            let value = Double(row[5]) ?? 0
            if value > busiest[row[1]]?.value ?? -1 { busiest[row[1]] = (row[4], value) }
        }
        let areas = try await client.api().listCDSCurbAreas().ok.body.applicationVnd_cdsJsonVersion_1_1.value2.data.areas
        output("  GET /cds/metrics/aggregates (occupancy by Curb Area and local hour), the busiest hour of each: "
               + areas.compactMap { area in
                   busiest[area.curbAreaId].map { $0.value > 0 ? "\(area.name) \($0.hour):00 \(String(format: "%.1f", $0.value))%" : "\(area.name) no stays" }
               }.joined(separator: ", "))
        if rows.count != sessions { throw DemoError("CDS sessions (\(rows.count)) differ from the day's sessions (\(sessions))") }
    }
}
