/// Checks a document against itself, the stored registry and the loaded
/// tariffs, and works out the changes. Pure: the store applies the plan in
/// one transaction, so an import lands whole or not at all.
public struct RegistryPlanner: Sendable {
    /// How far a bay's point may lie from its segment's kerb line. Bays are
    /// drawn a few metres off the centre line; 30 m catches a bay put on the wrong street.
    public var maxBayOffsetMetres: Double
    public var tariffIDs: Set<String>

    public init(tariffIDs: Set<String>, maxBayOffsetMetres: Double = 30) {
        self.tariffIDs = tariffIDs
        self.maxBayOffsetMetres = maxBayOffsetMetres
    }

    /// `readIssues` are the problems found reading the document; they are
    /// reported together with the planning problems, sorted by feature.
    public func plan(_ document: RegistryDocument, against stored: RegistrySnapshot, readIssues: [ImportIssue] = []) -> Result<RegistryPlan, ImportRejection> {
        var issues = readIssues
        func issue(_ index: Int, _ id: String, _ code: String, _ message: String) {
            issues.append(ImportIssue(index: index, id: id, code: code, message: message))
        }

        let zones = firstOccurrences(document.zones, key: \.id) { item, first in
            issue(item.index, item.spec.id, "duplicate_id", "Zone \(item.spec.id) is already defined by feature \(first).")
        }
        let segments = firstOccurrences(document.segments, key: \.id) { item, first in
            issue(item.index, item.spec.id, "duplicate_id", "Road segment \(item.spec.id) is already defined by feature \(first).")
        }
        let bays = firstOccurrences(document.bays, key: \.code) { item, first in
            issue(item.index, item.spec.code.rawValue, "duplicate_code", "Bay \(item.spec.code) is already defined by feature \(first).")
        }

        for item in document.zones where !tariffIDs.contains(item.spec.tariffID) {
            issue(item.index, item.spec.id, "unknown_tariff", "Zone \(item.spec.id) refers to tariff '\(item.spec.tariffID)', which is not loaded from Tariffs/.")
        }
        for item in document.segments {
            let zoneLifecycle = zones[item.spec.zoneID].map { $0.lifecycle ?? stored.zones[item.spec.zoneID]?.lifecycle ?? .active }
                ?? stored.zones[item.spec.zoneID]?.lifecycle
            switch zoneLifecycle {
            case nil where document.unreadableZones.contains(item.spec.zoneID):
                break
            case nil:
                issue(item.index, item.spec.id, "unknown_zone", "Road segment \(item.spec.id) refers to zone '\(item.spec.zoneID)', which is neither in this file nor in the registry.")
            case .retired? where (item.lifecycle ?? stored.segments[item.spec.id]?.lifecycle ?? .active) == .active:
                issue(item.index, item.spec.id, "zone_retired", "Road segment \(item.spec.id) is in zone \(item.spec.zoneID), which is retired.")
            default:
                break
            }
        }

        var sensorOwners: [String: BayCode] = [:]
        for (code, entry) in stored.bays where bays[code] == nil && entry.lifecycle == .active {
            if let sensor = entry.spec.sensorID { sensorOwners[sensor] = code }
        }
        for item in document.bays {
            let spec = item.spec
            let id = spec.code.rawValue
            let segmentPath = segments[spec.segmentID]?.spec.path ?? stored.segments[spec.segmentID]?.spec.path
            if let path = segmentPath {
                let offset = GeoDistance.metres(from: spec.position, toPath: path)
                if offset > maxBayOffsetMetres {
                    issue(item.index, id, "bay_far_from_segment", "Bay \(id) is \(offset.isFinite && offset < 1e12 ? String(Int(offset.rounded())) : "too far") m from the kerb line of segment \(spec.segmentID); at most \(Int(maxBayOffsetMetres)) m is allowed.")
                }
            } else if !document.unreadableSegments.contains(spec.segmentID) {
                issue(item.index, id, "unknown_segment", "Bay \(id) refers to road segment '\(spec.segmentID)', which is neither in this file nor in the registry.")
            }
            let lifecycle = item.lifecycle ?? stored.bays[spec.code]?.lifecycle ?? .active
            if let sensor = spec.sensorID, lifecycle == .active {
                if let owner = sensorOwners[sensor], owner != spec.code {
                    issue(item.index, id, "sensor_already_bound", "Sensor \(sensor) is already bound to bay \(owner).")
                } else {
                    sensorOwners[sensor] = spec.code
                }
            }
        }

        checkRetirementIsFinal(document.zones, stored: { stored.zones[$0.id] }, id: \.id, noun: "Zone", issue: issue)
        checkRetirementIsFinal(document.segments, stored: { stored.segments[$0.id] }, id: \.id, noun: "Road segment", issue: issue)
        checkRetirementIsFinal(document.bays, stored: { stored.bays[$0.code] }, id: \.code.rawValue, noun: "Bay", issue: issue)

        guard issues.isEmpty else { return .failure(ImportRejection(issues: issues.sorted { ($0.index ?? -1, $0.code) < ($1.index ?? -1, $1.code) })) }

        var plan = RegistryPlan()
        plan.zones = changes(document.zones, stored: { stored.zones[$0.id] }, unchanged: &plan.unchanged)
        plan.segments = changes(document.segments, stored: { stored.segments[$0.id] }, unchanged: &plan.unchanged)
        plan.bays = changes(document.bays, stored: { stored.bays[$0.code] }, unchanged: &plan.unchanged)
        return .success(plan)
    }

    private func firstOccurrences<Spec, Key: Hashable>(
        _ items: [RegistryDocument.Item<Spec>], key: KeyPath<Spec, Key>,
        duplicate: (RegistryDocument.Item<Spec>, Int) -> Void
    ) -> [Key: RegistryDocument.Item<Spec>] {
        var seen: [Key: RegistryDocument.Item<Spec>] = [:]
        for item in items {
            if let first = seen[item.spec[keyPath: key]] {
                duplicate(item, first.index)
            } else {
                seen[item.spec[keyPath: key]] = item
            }
        }
        return seen
    }

    private func checkRetirementIsFinal<Spec>(
        _ items: [RegistryDocument.Item<Spec>], stored: (Spec) -> RegistrySnapshot.Entry<Spec>?,
        id: KeyPath<Spec, String>, noun: String, issue: (Int, String, String, String) -> Void
    ) {
        for item in items where item.lifecycle == .active && stored(item.spec)?.lifecycle == .retired {
            issue(item.index, item.spec[keyPath: id], "retired_is_final", "\(noun) \(item.spec[keyPath: id]) is retired and cannot return to service; give the new one a new id.")
        }
    }

    private func changes<Spec: FieldDiffable & Equatable>(
        _ items: [RegistryDocument.Item<Spec>], stored: (Spec) -> RegistrySnapshot.Entry<Spec>?,
        unchanged: inout Int
    ) -> [RegistryPlan.Change<Spec>] {
        items.compactMap { item in
            guard let old = stored(item.spec) else {
                let lifecycle = item.lifecycle ?? .active
                var fields = item.spec.changes(from: nil)
                if lifecycle == .retired { fields.append(FieldChange(field: "status", from: nil, to: "retired")) }
                return .init(action: .created, spec: item.spec, lifecycle: lifecycle, fields: fields)
            }
            let lifecycle = item.lifecycle ?? old.lifecycle
            var fields = item.spec.changes(from: old.spec)
            if lifecycle != old.lifecycle {
                fields.append(FieldChange(field: "status", from: old.lifecycle.rawValue, to: lifecycle.rawValue))
            }
            guard !fields.isEmpty else {
                unchanged += 1
                return nil
            }
            let action: RegistryPlan.Action = lifecycle == .retired && old.lifecycle == .active ? .retired : .updated
            return .init(action: action, spec: item.spec, lifecycle: lifecycle, fields: fields)
        }
    }
}
