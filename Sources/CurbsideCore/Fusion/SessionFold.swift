/// The thresholds fusion works with (milliseconds).
public struct FusionRules: Sendable, Equatable {
    /// A detector change reverted within this time is passing traffic, not a car.
    public var debounce: Int64
    /// Camera and detector events this close belong to the same arrival or departure.
    public var association: Int64
    /// A session with no report from the bay for this long went through an outage.
    public var outage: Int64
    /// A plate a shared camera read at a neighbouring bay is taken to stand there this long after
    /// the read, unless the camera saw it leave or read it here: no stay lasts longer unread.
    public var neighbourMemory: Int64

    public init(debounce: Int64 = Milliseconds.minute, association: Int64 = 5 * Milliseconds.minute, outage: Int64 = Milliseconds.hour, neighbourMemory: Int64 = 12 * Milliseconds.hour) {
        self.debounce = debounce
        self.association = association
        self.outage = outage
        self.neighbourMemory = neighbourMemory
    }
}

/// Folds the events of one bay into parking sessions. Pure and deterministic:
/// the same events give the same sessions whatever order they arrived in, so
/// replaying the stored events reproduces the stored sessions exactly.
///
/// The rules, in brief (docs/fusion.md has them in full):
/// - Events are taken in device-time order; an event seen twice counts once.
/// - A detector change stands once it has lasted `debounce`; a change
///   reverted sooner is a flap and ignored. Changes stand only when a later
///   event proves they lasted, so the fold never depends on the wall clock.
/// - A heartbeat reporting a state other than the standing one reveals a
///   missed change: a missed departure ends the session when the car was last
///   known to be there, a missed arrival starts one at the heartbeat.
/// - A camera arrival attaches its plate to the session the detector opened,
///   or opens one. A different plate ends the session only when the bay's own
///   evidence allows a change of car (a detector's movement; on a camera-only
///   bay, repeated confident reads); otherwise it is contested. A likely
///   misread (京N/京M) with more confidence corrects the plate.
/// - A plate the same camera has on a neighbouring bay at that moment is the
///   neighbour's, filed under this bay by mistake: it changes nothing here.
/// - A camera departure ends the session; late departure evidence within
///   `association` of a session's end is attached to it.
/// - A gap of more than `outage` between reports while a session is open marks
///   it for patrol, so it is never billed unseen.
/// - A patrol officer's start opens a session where none covers its time; an
///   end closes the open one (a detector departure inside its debounce is the
///   truer time); a plate confirms or corrects the covering session's plate,
///   clears its outage, and no camera changes that plate afterwards. Actions
///   about a session that has already ended before them change nothing. A
///   stay started by hand raises no outage: it has no devices to fall silent.
public struct SessionFold: Sendable {
    /// The fold's state at one point of a bay's event sequence: after every event
    /// before `at` (device time). Folding the later events from a checkpoint gives
    /// exactly what folding everything from the beginning gives, so a late event
    /// only costs a refold from the last checkpoint before it.
    public struct Checkpoint: Codable, Sendable, Equatable {
        public var at: Int64
        var confirmed: Bool?
        var pendingOccupied: Bool?
        var pendingAt: Int64?
        var lastOccupied: Int64?
        var lastEvidence: Int64?
        /// The last closed session (late departure evidence may still attach to it) and the open one.
        var lastClosed: ParkingSession?
        var open: ParkingSession?
        var moved: Int64?
        var contest: Contest?
        /// Where the shared camera last read each plate standing in a neighbouring bay.
        var neighbours: [String: Sighting]?

        /// Sessions starting at or after this belong to the refold; earlier ones are final.
        public var firstAffectedStart: Int64 {
            [lastClosed?.start, open?.start, pendingAt, at].compactMap { $0 }.min()!
        }
    }

    public struct Result: Sendable, Equatable {
        /// From the checkpoint's last closed session on (all sessions when folding from the beginning).
        public var sessions: [ParkingSession]
        /// Detector changes ignored as flaps.
        public var flaps: Int
        /// A detector change waits for a later event to prove it lasted.
        public var pending: Bool
        /// The state before each time asked for, in the order asked.
        public var checkpoints: [Checkpoint]
    }

    public let rules: FusionRules

    public init(rules: FusionRules = FusionRules()) {
        self.rules = rules
    }

    /// Folds the events of `bay` (events of other bays are ignored), from the beginning or
    /// from a checkpoint (then only events at or after `checkpoint.at` count), and returns
    /// the state before each of `checkpointsAt` (times at or after the checkpoint's).
    /// `neighbours` are the events of the camera that watches the bay (its other bays'
    /// count; the bay's own are ignored there): they tell a misfiled read of the neighbour's plate.
    public func fold(
        _ events: [DeviceEvent], bay: BayCode, neighbours: [DeviceEvent] = [], from checkpoint: Checkpoint? = nil, checkpointsAt: [Int64] = []
    ) -> Result {
        var seen = Set<String>()
        let from = checkpoint?.at ?? .min
        let own = events.filter { $0.bay == bay && $0.deviceTime >= from && seen.insert($0.key).inserted }.map { (event: $0, neighbour: false) }
        let others = neighbours.filter { $0.bay != bay && $0.isCameraEvent && $0.deviceTime >= from && seen.insert($0.key).inserted }
        // A neighbour's read of a moment counts before this bay's events of the same moment.
        let ordered = (own + others.map { (event: $0, neighbour: true) })
            .sorted { ($0.event.deviceTime, $0.neighbour ? 0 : 1, $0.event.key) < ($1.event.deviceTime, $1.neighbour ? 0 : 1, $1.event.key) }
        var state = State(rules: rules, bay: bay)
        if let checkpoint { state.restore(checkpoint) }
        let times = checkpointsAt.sorted()
        var snapshots: [Int64: Checkpoint] = [:]
        var next = times.startIndex
        for (event, neighbour) in ordered {
            while next < times.endIndex, event.deviceTime >= times[next] {
                snapshots[times[next]] = state.checkpoint(at: times[next])
                next += 1
            }
            if neighbour { state.observeNeighbour(event) } else { state.apply(event) }
        }
        for at in times[next...] { snapshots[at] = state.checkpoint(at: at) }
        return Result(
            sessions: state.closed + (state.open.map { [$0] } ?? []), flaps: state.flaps, pending: state.pending != nil,
            checkpoints: checkpointsAt.map { snapshots[$0]! }
        )
    }

}

extension SessionFold {
    /// The fold's working state for one bay.
    struct State {
        let rules: FusionRules
        let bay: BayCode
        var closed: [ParkingSession] = []
        var open: ParkingSession?
        /// The detector state that stands; nil until the first report.
        var confirmed: Bool?
        var pending: (occupied: Bool, at: Int64)?
        var lastOccupied: Int64?
        var lastEvidence: Int64?
        var flaps = 0
        /// When the detector last saw something move (a change, or a flap): a car may have changed.
        var moved: Int64?
        /// Reads of another plate than the open session's, not yet shown to be another car.
        var contest: Contest?
        /// Plates (by text) the shared camera last read standing in a neighbouring bay, and where and when.
        var neighbours: [String: Sighting] = [:]

        init(rules: FusionRules, bay: BayCode) {
            self.rules = rules
            self.bay = bay
        }

        mutating func restore(_ checkpoint: Checkpoint) {
            confirmed = checkpoint.confirmed
            if let occupied = checkpoint.pendingOccupied, let at = checkpoint.pendingAt { pending = (occupied, at) }
            lastOccupied = checkpoint.lastOccupied
            lastEvidence = checkpoint.lastEvidence
            closed = checkpoint.lastClosed.map { [$0] } ?? []
            open = checkpoint.open
            moved = checkpoint.moved
            contest = checkpoint.contest
            neighbours = checkpoint.neighbours ?? [:]
        }

        func checkpoint(at time: Int64) -> Checkpoint {
            Checkpoint(
                at: time, confirmed: confirmed, pendingOccupied: pending?.occupied, pendingAt: pending?.at, lastOccupied: lastOccupied,
                lastEvidence: lastEvidence, lastClosed: closed.last, open: open, moved: moved, contest: contest,
                neighbours: Self.fresh(neighbours, at: time, memory: rules.neighbourMemory)
            )
        }

        /// The sightings still remembered at `time`; nil for none, so a bay without neighbours saves nothing.
        static func fresh(_ sightings: [String: Sighting], at time: Int64, memory: Int64) -> [String: Sighting]? {
            let kept = sightings.filter { time - $0.value.at <= memory }
            return kept.isEmpty ? nil : kept
        }

        mutating func apply(_ event: DeviceEvent) {
            let t = event.deviceTime
            if let change = pending, t - change.at >= rules.debounce {
                settle(change)
            }
            // The neighbour's car filed here says nothing of this bay, not even that its devices still report.
            if isMisfiled(event) { return }
            // A stay started by hand has no devices to fall silent: the officer who started it ends it.
            if let last = lastEvidence, t - last > rules.outage, open != nil, open!.quality != .patrolEntered {
                open!.flags.insert(.outage)
            }
            switch event.payload {
            case let .sensorChange(occupied):
                if occupied { lastOccupied = t }
                if let change = pending {
                    if change.occupied != occupied {
                        pending = nil
                        flaps += 1
                        moved = change.at
                    }
                } else if confirmed != occupied {
                    pending = (occupied, t)
                }
            case let .heartbeat(heartbeat):
                guard let occupied = heartbeat.occupied else { break }
                let previousOccupied = lastOccupied
                if occupied { lastOccupied = t }
                if let change = pending {
                    if change.occupied != occupied {
                        pending = nil
                        flaps += 1
                        moved = change.at
                    }
                } else if confirmed != occupied {
                    confirmed = occupied
                    if occupied {
                        if open == nil { begin(at: t, flags: .startEstimated) }
                    } else if let session = open {
                        finish(session, at: max(previousOccupied ?? session.start, session.start), flags: .endEstimated)
                    }
                }
            case let .cameraArrival(read):
                arrive(read, at: t, event: event, standing: false)
            case let .cameraRead(read):
                arrive(read, at: t, event: event, standing: true)
            case let .cameraDeparture(read):
                depart(read, at: t, event: event)
            case let .patrolStart(read):
                if covering(t) == nil {
                    begin(at: t, flags: [])
                    open!.quality = .patrolEntered
                }
                if let read { confirm(read, at: t, event: event) }
            case .patrolEnd:
                guard let session = open else { break }
                // A detector departure still inside its debounce is the truer time.
                var end = t
                if let change = pending, !change.occupied, change.at >= session.start, t - change.at <= rules.association {
                    end = change.at
                    confirmed = false
                    pending = nil
                }
                finish(session, at: end, flags: .patrolEnded)
            case let .patrolPlate(read):
                confirm(read, at: t, event: event)
            case let .patrolPhotos(images):
                update(covering(t)) { session in session.evidence.append(contentsOf: images.filter { !session.evidence.contains($0) }) }
            }
            lastEvidence = max(lastEvidence ?? t, t)
            if open != nil { open!.lastEvidence = max(open!.lastEvidence, t) }
        }

        /// A detector change that has lasted: it opens or ends a session.
        mutating func settle(_ change: (occupied: Bool, at: Int64)) {
            pending = nil
            moved = change.at
            confirmed = change.occupied
            if change.occupied {
                guard let session = open else {
                    begin(at: change.at, flags: [])
                    return
                }
                // A camera opened the session; the detector's earlier time is the truer start.
                if change.at < session.start, session.start - change.at <= rules.association, change.at >= (closed.last?.end ?? .min) {
                    open!.start = change.at
                }
            } else if let session = open, change.at >= session.start {
                finish(session, at: change.at, flags: [])
            }
        }

        /// A shared camera's read of a neighbouring bay: a plate read standing there, or leaving.
        mutating func observeNeighbour(_ event: DeviceEvent) {
            switch event.payload {
            case let .cameraArrival(read?), let .cameraRead(read):
                // This bay's own car filed next door is still here.
                guard read.plate.kind != .unrecognised, read.plate != open?.plate?.plate else { return }
                neighbours[read.plate.text] = Sighting(bay: event.bay.rawValue, at: event.deviceTime)
            case let .cameraDeparture(read?):
                neighbours[read.plate.text] = nil
            default:
                break
            }
        }

        /// Whether `plate` stands in a neighbouring bay by the camera's latest read of it: read
        /// there exactly, or (for a standing car's read or a departure, not an arrival: a car
        /// arriving here with a plate one character from the neighbour's is likelier than a
        /// misfiled arrival) a look-alike of a plate read there that is not also one of this bay's own.
        func isNeighbours(_ plate: Plate, own: Plate?, at t: Int64, lookAlikes: Bool = true) -> Bool {
            guard plate.kind != .unrecognised, plate != own, !neighbours.isEmpty else { return false }
            if let seen = neighbours[plate.text], t - seen.at <= rules.neighbourMemory { return true }
            guard lookAlikes else { return false }
            if let own, plate.isProbableMisread(of: own) { return false }
            return neighbours.contains { t - $0.value.at <= rules.neighbourMemory && plate.isProbableMisread(of: Plate(stored: $0.key)) }
        }

        /// A camera event that is the neighbour's car filed under this bay. An arrival while this
        /// bay's detector has an arrival pending is not: a car is arriving here, and it is this one.
        func isMisfiled(_ event: DeviceEvent) -> Bool {
            let t = event.deviceTime
            switch event.payload {
            case let .cameraArrival(read?):
                if open == nil, let change = pending, change.occupied { return false }
                return isNeighbours(read.plate, own: open?.plate?.plate, at: t, lookAlikes: false)
            case let .cameraRead(read):
                return isNeighbours(read.plate, own: open?.plate?.plate, at: t)
            case let .cameraDeparture(read?):
                return isNeighbours(read.plate, own: open?.plate?.plate ?? closed.last?.plate?.plate, at: t)
            default:
                return false
            }
        }

        mutating func arrive(_ read: PlateRead?, at t: Int64, event: DeviceEvent, standing: Bool) {
            // Read here, the car is here, wherever the camera filed it before.
            if let read { neighbours[read.plate.text] = nil }
            if let session = open {
                guard t >= session.start else { return }
                // An officer has seen the car: a standing camera's other reading is the camera's mistake.
                if standing, session.flags.contains(.patrolConfirmed), let read, read.plate != session.plate?.plate { return }
                guard let read else {
                    if session.plate == nil, t - session.start > rules.association, carMayHaveChanged(at: t, since: session.start) {
                        replace(session, at: t, read: nil, event: event)
                    }
                    return
                }
                guard let current = session.plate, current.plate.kind != .unrecognised else {
                    // The first read of the car, or the first readable one: whatever a camera reads of a stay the detector
                    // holds is this car's unless the detector saw something move.
                    if session.plate == nil, !standing, t - session.start > rules.association, carMayHaveChanged(at: t, since: session.start) {
                        replace(session, at: t, read: read, event: event)
                    } else {
                        attach(read, event: event, correct: session.plate == nil || read.plate.kind != .unrecognised || read.confidence > session.plate!.confidence)
                    }
                    return
                }
                if read.plate.kind == .unrecognised {
                    attach(read, event: event, correct: false)
                } else if current.plate == read.plate {
                    contest = nil
                    attach(read, event: event, correct: read.confidence > current.confidence)
                } else if read.plate.isProbableMisread(of: current.plate) {
                    contest = nil
                    attach(read, event: event, correct: read.confidence > current.confidence)
                    if read.confidence > current.confidence { open!.flags.insert(.plateCorrected) }
                } else if confirmed != nil, carMayHaveChanged(at: t, since: session.start) {
                    replace(session, at: t, read: read, event: event)
                } else {
                    dispute(session, read: read, at: t, event: event)
                }
                return
            }
            if let change = pending, change.occupied {
                // The camera confirms the detector's arrival before the debounce has passed.
                pending = nil
                confirmed = true
                begin(at: change.at, flags: [])
            } else {
                begin(at: t, flags: standing ? .startEstimated : [])
            }
            if let read { attach(read, event: event, correct: true) }
        }

        /// Whether the bay's own evidence allows another car to have taken the
        /// place since `start`: no detector (a camera-only bay), or a detector that
        /// saw something move (a change, a flap, or a departure not yet proved)
        /// within the association time before `t`.
        func carMayHaveChanged(at t: Int64, since start: Int64) -> Bool {
            guard confirmed != nil else { return true }
            if let change = pending, !change.occupied, change.at >= start, t - change.at <= rules.association { return true }
            if let moved, moved >= start, moved <= t, t - moved <= rules.association { return true }
            return false
        }

        /// A read of another plate that the bay's evidence does not show to be another
        /// car: a shared camera reading the neighbour, most often. It never ends the
        /// stay on a bay with a detector; kept, it flags the stay for patrol once the
        /// same plate has been read over the association time. On a camera-only bay
        /// the other plate stands once confidently read twice, the debounce apart,
        /// with no read of the first plate between: the car was changed unseen.
        mutating func dispute(_ session: ParkingSession, read: PlateRead, at t: Int64, event: DeviceEvent) {
            var silence: Int64 = 0
            if var current = contest, current.read.plate == read.plate {
                silence = t - current.last
                current.last = t
                current.reads += 1
                if read.confidence >= Contest.confident { current.confidentReads += 1 }
                if read.confidence > current.read.confidence { (current.read, current.source) = (read, event.key) }
                contest = current
            } else {
                contest = Contest(read: read, source: event.key, first: t, last: t, reads: 1, confidentReads: read.confidence >= Contest.confident ? 1 : 0)
            }
            let current = contest!
            if confirmed == nil {
                guard current.confidentReads >= 2, current.last - current.first >= rules.debounce else { return }
                contest = nil
                replace(session, at: current.first, read: current.read, event: nil, source: current.source)
                // The new car's stay began at the first read: a silence since is an outage of it too.
                if silence > rules.outage { open!.flags.insert(.outage) }
            } else if current.reads >= 2, current.last - current.first >= rules.association {
                open!.flags.insert(.plateContested)
            }
        }

        mutating func depart(_ read: PlateRead?, at t: Int64, event: DeviceEvent) {
            if let read { neighbours[read.plate.text] = nil }
            if var session = open, t >= session.start {
                // On a camera-only bay, the departure of the plate read against the stay's shows the car was changed unseen.
                if confirmed == nil, let read, let contested = contest, contested.read.plate == read.plate, contested.first > session.start {
                    contest = nil
                    replace(session, at: contested.first, read: contested.read, event: nil, source: contested.source)
                    if t - contested.last > rules.outage { open!.flags.insert(.outage) }
                    session = open!
                }
                if let read {
                    let current = session.plate?.plate
                    if let current, current.kind != .unrecognised, read.plate.kind != .unrecognised, current != read.plate,
                       !read.plate.isProbableMisread(of: current) {
                        open!.flags.insert(.departurePlateMismatch)
                        open!.evidence.append(contentsOf: read.images.filter { !open!.evidence.contains($0) })
                    } else {
                        attach(read, event: event, correct: current == nil || (current!.kind == .unrecognised && read.plate.kind != .unrecognised))
                    }
                }
                // A detector departure still inside its debounce is the truer time.
                var end = t
                if let change = pending, !change.occupied, change.at <= t, t - change.at <= rules.association, change.at >= session.start {
                    end = change.at
                }
                if confirmed != nil { confirmed = false }
                pending = nil
                finish(open!, at: end, flags: [])
                return
            }
            // Departure evidence arriving just after the detector ended the session belongs to it.
            guard let read, let last = closed.indices.last, let end = closed[last].end, t >= end, t - end <= rules.association else { return }
            if closed[last].plate == nil {
                closed[last].plate = read
                closed[last].plateSource = event.key
                closed[last].quality = .videoConfirmed
            }
            closed[last].evidence.append(contentsOf: read.images.filter { !closed[last].evidence.contains($0) })
        }

        /// Another vehicle arrived before this one was seen to leave.
        mutating func replace(_ session: ParkingSession, at t: Int64, read: PlateRead?, event: DeviceEvent?, source: String? = nil) {
            let detector = confirmed != nil
            finish(session, at: t, flags: [.endEstimated, .endedByNextArrival])
            if detector { confirmed = true }
            pending = nil
            begin(at: t, flags: [])
            if let read { attach(read, source: source ?? event!.key, correct: true) }
        }

        mutating func attach(_ read: PlateRead, event: DeviceEvent, correct: Bool) {
            attach(read, source: event.key, correct: correct)
        }

        mutating func attach(_ read: PlateRead, source: String, correct: Bool) {
            guard open != nil else { return }
            if (correct || open!.plate == nil) && !open!.flags.contains(.patrolConfirmed) {
                open!.plate = read
                open!.plateSource = source
            }
            // A plate no format knows is held for patrol to read; a readable one releases it.
            if open!.plate?.plate.kind == .unrecognised { open!.flags.insert(.plateUnrecognised) } else { open!.flags.remove(.plateUnrecognised) }
            open!.quality = .videoConfirmed
            open!.evidence.append(contentsOf: read.images.filter { !open!.evidence.contains($0) })
        }

        /// Which session a patrol action at `t` is about: the open one, or the last closed one if it was still there at `t`.
        func covering(_ t: Int64) -> Which? {
            if let session = open, session.start <= t { return .open }
            if let last = closed.last, last.start <= t, let end = last.end, t <= end { return .lastClosed }
            return nil
        }

        enum Which { case open, lastClosed }

        mutating func update(_ which: Which?, _ change: (inout ParkingSession) -> Void) {
            switch which {
            case .open: change(&open!)
            case .lastClosed: change(&closed[closed.count - 1])
            case nil: break
            }
        }

        /// An officer's plate: it overrides any camera's, and the officer's look stands in for the reports an outage missed.
        mutating func confirm(_ read: PlateRead, at t: Int64, event: DeviceEvent) {
            update(covering(t)) { session in
                if let current = session.plate, current.plate != read.plate || current.colour != read.colour { session.flags.insert(.plateCorrected) }
                session.plate = read
                session.plateSource = event.key
                session.flags.insert(.patrolConfirmed)
                session.flags.remove(.outage)
                session.evidence.append(contentsOf: read.images.filter { !session.evidence.contains($0) })
            }
        }

        mutating func begin(at t: Int64, flags: ParkingSession.Flags) {
            let start = max(t, closed.last?.end ?? .min)
            open = ParkingSession(
                bay: bay, start: start, end: nil, plate: nil, plateSource: nil,
                quality: .sensorOnly, flags: flags, evidence: [], lastEvidence: start
            )
        }

        mutating func finish(_ session: ParkingSession, at t: Int64, flags: ParkingSession.Flags) {
            contest = nil
            // The car was here: a read of it next door was this bay's car misfiled, and it has left both.
            if let plate = session.plate?.plate { neighbours[plate.text] = nil }
            var done = session
            done.end = max(t, session.start)
            done.flags.formUnion(flags)
            closed.append(done)
            open = nil
        }
    }
}

extension SessionFold {
    /// Where and when a shared camera last read a plate standing in a neighbouring bay.
    struct Sighting: Codable, Sendable, Equatable {
        var bay: String
        var at: Int64
    }

    /// Reads of one other plate during a stay, as `dispute` weighs them.
    struct Contest: Codable, Sendable, Equatable {
        /// Per mille: a read this sure counts towards a camera-only bay's change of car.
        static let confident = 800

        var read: PlateRead
        var source: String
        var first: Int64
        var last: Int64
        var reads: Int
        var confidentReads: Int
    }
}
