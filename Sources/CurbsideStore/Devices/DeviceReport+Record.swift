import CurbsideCore
import SQLKit

extension DeviceReport {
    /// Last seen, battery, signal, temperature and the clock's window of each reporting device.
    /// A device that was offline is back: that is recorded as comms_restored, at the time its report came in.
    static func record(_ reports: [String: DeviceReport], on sql: any SQLDatabase) async throws {
        for chunk in reports.keys.sorted().chunks(of: 500) {
            let list = chunk.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
            struct Offline: Decodable { var device_id: String }
            let back = try await sql.raw("SELECT device_id FROM devices WHERE online = \(bind: false) AND device_id IN (\(list))").all(decoding: Offline.self)
            if !back.isEmpty {
                let restored = back.map { "(\(bind: $0.device_id), 'comms_restored', \(bind: reports[$0.device_id]!.lastReceived))" as SQLQueryString }
                try await sql.raw("INSERT INTO device_status_events (device_id, kind, at_ms) VALUES \(restored.joined(separator: ", "))").run()
            }
            let values = chunk.map { id -> SQLQueryString in
                let report = reports[id]!
                let beat = report.heartbeat
                let clock = report.clock ?? DeviceReport.ClockSample()
                return """
                    (\(bind: id), \(bind: report.kind.rawValue), \(bind: report.gateway), \(bind: report.lastReceived), \(bind: report.lastReceived),
                     \(bind: report.lastEvent), \(bind: beat?.battery.map(Int16.init)), \(bind: beat?.rssi.map(Int16.init)),
                     \(bind: beat?.temperatureDeci.map(Int16.init)), \(bind: clock.best), \(bind: true), \(bind: report.lastReceived),
                     \(bind: report.lastReceived), \(bind: Int32(clamping: clock.prompt)), \(bind: Int32(clamping: clock.late)))
                    """
            }.joined(separator: ", ")
            // The clock is judged over a window of a day: a new window starts from this batch's reports.
            // Counts stop growing at a million (far past any threshold), so a flood of reports cannot overflow the int32 columns.
            let renew: SQLQueryString = "(devices.clock_window_ms IS NULL OR excluded.clock_window_ms - devices.clock_window_ms >= 86400000)"
            try await sql.raw("""
                INSERT INTO devices (device_id, kind, gateway_id, first_seen_ms, last_seen_ms, last_event_ms, battery, rssi, temperature_deci,
                    clock_skew_ms, online, comms_changed_ms, clock_window_ms, clock_prompt, clock_late) VALUES \(values)
                ON CONFLICT (device_id) DO UPDATE SET
                    kind = excluded.kind,
                    clock_skew_ms = CASE WHEN \(renew) OR devices.clock_skew_ms IS NULL THEN excluded.clock_skew_ms
                        WHEN excluded.clock_skew_ms > devices.clock_skew_ms THEN excluded.clock_skew_ms ELSE devices.clock_skew_ms END,
                    clock_prompt = CASE WHEN \(renew) THEN excluded.clock_prompt WHEN devices.clock_prompt >= 1000000 THEN devices.clock_prompt
                        ELSE devices.clock_prompt + excluded.clock_prompt END,
                    clock_late = CASE WHEN \(renew) THEN excluded.clock_late WHEN devices.clock_late >= 1000000 THEN devices.clock_late
                        ELSE devices.clock_late + excluded.clock_late END,
                    clock_window_ms = CASE WHEN \(renew) THEN excluded.clock_window_ms ELSE devices.clock_window_ms END,
                    gateway_id = excluded.gateway_id,
                    last_seen_ms = CASE WHEN excluded.last_seen_ms > devices.last_seen_ms THEN excluded.last_seen_ms ELSE devices.last_seen_ms END,
                    last_event_ms = CASE WHEN excluded.last_event_ms > devices.last_event_ms THEN excluded.last_event_ms ELSE devices.last_event_ms END,
                    battery = COALESCE(excluded.battery, devices.battery),
                    rssi = COALESCE(excluded.rssi, devices.rssi),
                    temperature_deci = COALESCE(excluded.temperature_deci, devices.temperature_deci),
                    comms_changed_ms = CASE WHEN devices.online THEN devices.comms_changed_ms ELSE excluded.comms_changed_ms END,
                    online = excluded.online
                """).run()
        }
    }
}
