import CurbsideCore
import Foundation

extension IngestWork {
    static let packingVersion = 1

    /// The work as queued: packed (`PackedText`), as every batch writes one and every
    /// round reads them. Work queued as JSON before still reads.
    var text: String {
        var writer = PackedWriter(capacity: 64 * (bays.count + devices.count))
        writer.int(Self.packingVersion)
        writer.int(lastEvent)
        Self.pack(bays, into: &writer)
        writer.bool(cameras != nil)
        if let cameras { Self.pack(cameras, into: &writer) }
        writer.int(devices.count)
        for (id, report) in devices.sorted(by: { $0.key < $1.key }) {
            writer.string(id)
            report.pack(into: &writer)
        }
        return PackedText.text(writer.bytes)
    }

    init(text: String) throws {
        guard let bytes = try PackedText.bytes(text) else {
            self = try JSONDecoder().decode(IngestWork.self, from: Data(text.utf8))
            return
        }
        var reader = PackedReader(bytes)
        guard try reader.int() == Self.packingVersion else { throw PackingError(offset: 0) }
        lastEvent = try reader.int64()
        bays = try Self.times(&reader)
        cameras = try reader.bool() ? try Self.times(&reader) : nil
        for _ in 0..<(try reader.count()) {
            let id = try reader.string()
            devices[id] = try DeviceReport(unpacking: &reader)
        }
        guard reader.isAtEnd else { throw PackingError(offset: reader.offset) }
    }

    static func pack(_ times: [String: Int64], into writer: inout PackedWriter) {
        writer.int(times.count)
        for (key, time) in times {
            writer.string(key)
            writer.int(time)
        }
    }

    static func times(_ reader: inout PackedReader) throws(PackingError) -> [String: Int64] {
        let count = try reader.count()
        var times: [String: Int64] = .init(minimumCapacity: count)
        for _ in 0..<count {
            let key = try reader.string()
            times[key] = try reader.int64()
        }
        return times
    }
}

extension DeviceReport {
    func pack(into writer: inout PackedWriter) {
        writer.bool(kind == .sensor)
        writer.string(gateway)
        writer.int(lastEvent)
        writer.int(lastReceived)
        writer.bool(heartbeat != nil)
        if let heartbeat {
            writer.int(heartbeat.deviceTime)
            for value in [heartbeat.battery, heartbeat.rssi, heartbeat.temperatureDeci] { writer.int(value.map(Int64.init)) }
        }
        writer.bool(clock != nil)
        if let clock {
            writer.int(clock.best)
            writer.int(clock.prompt)
            writer.int(clock.late)
        }
    }

    init(unpacking reader: inout PackedReader) throws(PackingError) {
        kind = try reader.bool() ? .sensor : .camera
        gateway = try reader.string()
        lastEvent = try reader.int64()
        lastReceived = try reader.int64()
        heartbeat = nil
        if try reader.bool() {
            func value(_ reader: inout PackedReader) throws(PackingError) -> Int? {
                guard let value = try reader.optionalInt64() else { return nil }
                guard let int = Int(exactly: value) else { throw PackingError(offset: reader.offset) }
                return int
            }
            heartbeat = Heartbeat(deviceTime: try reader.int64(), battery: try value(&reader), rssi: try value(&reader), temperatureDeci: try value(&reader))
        }
        clock = try reader.bool() ? ClockSample(best: try reader.optionalInt64(), prompt: try reader.int(), late: try reader.int()) : nil
    }
}
