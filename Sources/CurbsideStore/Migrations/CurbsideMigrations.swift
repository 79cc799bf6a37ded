import FluentKit

/// Every migration, in order. Append only: a landed migration is never edited.
public enum CurbsideMigrations {
    public static let all: [any Migration] = [
        M0001_CreateTariffs(),
        M0002_CreateZones(),
        M0003_CreateRoadSegments(),
        M0004_CreateBays(),
        M0005_CreateRegistryChanges(),
        M0006_CreateHolidayCalendars(),
        M0007_CreateDeviceEvents(),
        M0008_CreateParkingSessions(),
        M0009_CreateDevices(),
        M0010_CreateFoldTails(),
        M0011_CreateIngestQueue(),
        M0012_CreateBilling(),
        M0013_CreateEnforcement(),
        M0014_CreateStreetActions(),
        M0015_CreateFeedOutbox(),
        M0016_CreateFeedOccupancy(),
        M0017_CreateStaffRecords(),
        M0018_CreateSignInCodeLog(),
        M0019_BoundMoneyAmounts(),
        M0020_CreateEventIDConflicts(),
        M0021_AddDeviceClockWindow(),
        M0022_AddChannelFollowUps(),
        M0023_CreateStatementRuns(),
        M0024_AddNoticeDelivery(),
        M0025_CreateAutoPay(),
        M0026_CreateWeChatSubscriptions(),
        M0027_CreateInvoices(),
        M0028_CreateLegalHolds(),
        M0029_AddFoldTailCoverage(),
        M0030_TuneHotTables(),
        M0031_CreateReportRollups(),
        M0032_IndexPersonalData(),
    ]
}
