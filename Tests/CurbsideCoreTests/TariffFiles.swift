import CurbsideCore
import Foundation
import Testing
import Yams

/// The shipped tariff files, read the way the server reads them.
enum TariffFiles {
    static let directory: String = {
        var url = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Tariffs").path
    }()

    static let calendar: HolidayCalendar = {
        let text = try! String(contentsOfFile: directory + "/holidays-cn.yaml", encoding: .utf8)
        return try! YAMLDecoder().decode(HolidayCalendarDocument.self, from: text).calendar
    }()

    static func tariff(_ name: String) throws -> Tariff {
        let text = try String(contentsOfFile: directory + "/\(name).yaml", encoding: .utf8)
        return try YAMLDecoder().decode(TariffDocument.self, from: text).tariff
    }

    static func engine(_ name: String) throws -> TariffEngine {
        let tariff = try tariff(name)
        return TariffEngine(tariff: tariff, calendar: tariff.calendarID == nil ? nil : calendar, clock: ZoneClock(identifier: tariff.header.timeZone)!)
    }
}

/// A golden case: a stay written in local time, and the price the published rules give.
struct Stay: CustomTestStringConvertible, Sendable {
    var name: String
    var zoneClass: ZoneClass = .one
    var vehicle: VehicleClass = .small
    var from: String
    var to: String
    var fen: Int

    var testDescription: String { "\(name): \(from) – \(to) class \(zoneClass.rawValue) \(vehicle.rawValue) = \(Money.display(fen))" }

    init(_ name: String, _ from: String, _ to: String, _ fen: Int, class zoneClass: ZoneClass = .one, vehicle: VehicleClass = .small) {
        self.name = name
        self.from = from
        self.to = to
        self.fen = fen
        self.zoneClass = zoneClass
        self.vehicle = vehicle
    }

    func quote(_ engine: TariffEngine) throws -> Quote {
        let start = LocalDateTime.instant(from, in: engine.clock)!, end = LocalDateTime.instant(to, in: engine.clock)!
        return try engine.quote(zoneClass: zoneClass, vehicle: vehicle, from: start, to: end)
    }
}
