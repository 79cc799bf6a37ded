extension VehicleClass {
    /// The class a plate is priced as, before permits: police, armed-police,
    /// military and emergency-rescue plates are exempt (the vehicles the city
    /// rules free of parking fees on duty), yellow plates are large vehicles,
    /// green plates and new-energy plates are new-energy cars, everything else
    /// is small.
    public static func of(_ plate: Plate, colour: PlateColour) -> VehicleClass {
        switch plate.kind {
        case .police, .armedPolice, .military, .emergency: return .exempt
        default: break
        }
        switch colour {
        case .yellow, .yellowGreen: return .large
        case .green: return .nev
        default: return plate.kind == .newEnergy ? .nev : .small
        }
    }
}
