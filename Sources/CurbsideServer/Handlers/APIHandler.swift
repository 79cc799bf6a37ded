import CurbsideAPI
import CurbsideCore
import CurbsideStore
import Foundation

/// The contract's operations, each sent to the handler of its capability.
/// This is the one place the capabilities are put together; each handler
/// holds only what its operations use.
struct APIHandler: APIProtocol {
    let registry: RegistryHandler
    let ingest: IngestHandler
    let sessions: SessionsHandler
    let billing: BillingHandler
    let citizens: CitizensHandler
    let patrol: PatrolHandler
    let enforcement: EnforcementHandler
    let reports: ReportsHandler
    let cds: CDSHandler
    let operations: OperationsHandler

    init(
        configuration: CurbsideConfiguration, store: Store, tariffs: TariffBook, bindings: DeviceBindingsCache, evidence: any EvidenceObjects,
        jobs: BackgroundJobs, channels: ChannelVerifiers, orders: ChannelOrders, notifier: any Notifier, texts: NoticeTexts, tokens: TokenService, guards: EdgeGuards,
        contract: ConcessionContract?, drain: ServerDrain, clock: @escaping @Sendable () -> Date
    ) {
        // One cache of device bindings: ingestion reads it, device listings show what it holds.
        registry = RegistryHandler(configuration: configuration, store: store, clock: clock, tariffs: tariffs)
        ingest = IngestHandler(configuration: configuration, store: store, clock: clock, bindings: bindings, evidence: evidence, jobs: jobs, contract: contract)
        sessions = SessionsHandler(configuration: configuration, store: store, clock: clock, bindings: bindings)
        billing = BillingHandler(
            configuration: configuration, store: store, clock: clock, tariffs: tariffs, channels: channels, evidence: evidence, orders: orders,
            contract: contract
        )
        citizens = CitizensHandler(
            configuration: configuration, store: store, clock: clock, tariffs: tariffs, notifier: notifier, texts: texts, orders: orders, tokens: tokens, guards: guards
        )
        patrol = PatrolHandler(
            configuration: configuration, store: store, clock: clock, tariffs: tariffs, beatLists: BeatListCache(maxAge: .milliseconds(configuration.patrol.beatListMaxAge)), jobs: jobs
        )
        enforcement = EnforcementHandler(configuration: configuration, store: store, clock: clock, guards: guards)
        reports = ReportsHandler(configuration: configuration, store: store, clock: clock, contract: contract)
        cds = CDSHandler(configuration: configuration, store: store, clock: clock, tariffs: tariffs, contract: contract)
        operations = OperationsHandler(configuration: configuration, store: store, clock: clock, tokens: tokens, guards: guards, drain: drain)
    }

    // Registry
    func listZones(_ input: Operations.ListZones.Input) async throws -> Operations.ListZones.Output { try await registry.listZones(input) }
    func createZone(_ input: Operations.CreateZone.Input) async throws -> Operations.CreateZone.Output { try await registry.createZone(input) }
    func getZone(_ input: Operations.GetZone.Input) async throws -> Operations.GetZone.Output { try await registry.getZone(input) }
    func updateZone(_ input: Operations.UpdateZone.Input) async throws -> Operations.UpdateZone.Output { try await registry.updateZone(input) }
    func suspendZone(_ input: Operations.SuspendZone.Input) async throws -> Operations.SuspendZone.Output { try await registry.suspendZone(input) }
    func reinstateZone(_ input: Operations.ReinstateZone.Input) async throws -> Operations.ReinstateZone.Output { try await registry.reinstateZone(input) }
    func retireZone(_ input: Operations.RetireZone.Input) async throws -> Operations.RetireZone.Output { try await registry.retireZone(input) }
    func listSegments(_ input: Operations.ListSegments.Input) async throws -> Operations.ListSegments.Output { try await registry.listSegments(input) }
    func createSegment(_ input: Operations.CreateSegment.Input) async throws -> Operations.CreateSegment.Output { try await registry.createSegment(input) }
    func getSegment(_ input: Operations.GetSegment.Input) async throws -> Operations.GetSegment.Output { try await registry.getSegment(input) }
    func updateSegment(_ input: Operations.UpdateSegment.Input) async throws -> Operations.UpdateSegment.Output { try await registry.updateSegment(input) }
    func retireSegment(_ input: Operations.RetireSegment.Input) async throws -> Operations.RetireSegment.Output { try await registry.retireSegment(input) }
    func listBays(_ input: Operations.ListBays.Input) async throws -> Operations.ListBays.Output { try await registry.listBays(input) }
    func createBay(_ input: Operations.CreateBay.Input) async throws -> Operations.CreateBay.Output { try await registry.createBay(input) }
    func getBay(_ input: Operations.GetBay.Input) async throws -> Operations.GetBay.Output { try await registry.getBay(input) }
    func updateBay(_ input: Operations.UpdateBay.Input) async throws -> Operations.UpdateBay.Output { try await registry.updateBay(input) }
    func suspendBay(_ input: Operations.SuspendBay.Input) async throws -> Operations.SuspendBay.Output { try await registry.suspendBay(input) }
    func reinstateBay(_ input: Operations.ReinstateBay.Input) async throws -> Operations.ReinstateBay.Output { try await registry.reinstateBay(input) }
    func retireBay(_ input: Operations.RetireBay.Input) async throws -> Operations.RetireBay.Output { try await registry.retireBay(input) }
    func importRegistry(_ input: Operations.ImportRegistry.Input) async throws -> Operations.ImportRegistry.Output { try await registry.importRegistry(input) }
    func listRegistryChanges(_ input: Operations.ListRegistryChanges.Input) async throws -> Operations.ListRegistryChanges.Output { try await registry.listRegistryChanges(input) }
    func getStaticData(_ input: Operations.GetStaticData.Input) async throws -> Operations.GetStaticData.Output { try await registry.getStaticData(input) }
    func listAvailability(_ input: Operations.ListAvailability.Input) async throws -> Operations.ListAvailability.Output { try await registry.listAvailability(input) }
    func getZoneAvailability(_ input: Operations.GetZoneAvailability.Input) async throws -> Operations.GetZoneAvailability.Output { try await registry.getZoneAvailability(input) }
    func lookupBay(_ input: Operations.LookupBay.Input) async throws -> Operations.LookupBay.Output { try await registry.lookupBay(input) }
    func listTariffs(_ input: Operations.ListTariffs.Input) async throws -> Operations.ListTariffs.Output { try await registry.listTariffs(input) }
    func quoteStay(_ input: Operations.QuoteStay.Input) async throws -> Operations.QuoteStay.Output { try await registry.quoteStay(input) }
    func getZoneTariff(_ input: Operations.GetZoneTariff.Input) async throws -> Operations.GetZoneTariff.Output { try await registry.getZoneTariff(input) }

    // Ingest
    func ingestEvents(_ input: Operations.IngestEvents.Input) async throws -> Operations.IngestEvents.Output { try await ingest.ingestEvents(input) }
    func uploadEvidenceImage(_ input: Operations.UploadEvidenceImage.Input) async throws -> Operations.UploadEvidenceImage.Output { try await ingest.uploadEvidenceImage(input) }
    func getEvidenceImage(_ input: Operations.GetEvidenceImage.Input) async throws -> Operations.GetEvidenceImage.Output { try await ingest.getEvidenceImage(input) }
    func listGateways(_ input: Operations.ListGateways.Input) async throws -> Operations.ListGateways.Output { try await ingest.listGateways(input) }
    func createGateway(_ input: Operations.CreateGateway.Input) async throws -> Operations.CreateGateway.Output { try await ingest.createGateway(input) }

    // Sessions
    func listSessions(_ input: Operations.ListSessions.Input) async throws -> Operations.ListSessions.Output { try await sessions.listSessions(input) }
    func getSession(_ input: Operations.GetSession.Input) async throws -> Operations.GetSession.Output { try await sessions.getSession(input) }
    func listSessionCorrections(_ input: Operations.ListSessionCorrections.Input) async throws -> Operations.ListSessionCorrections.Output { try await sessions.listSessionCorrections(input) }
    func listDevices(_ input: Operations.ListDevices.Input) async throws -> Operations.ListDevices.Output { try await sessions.listDevices(input) }
    func listDeviceStatusEvents(_ input: Operations.ListDeviceStatusEvents.Input) async throws -> Operations.ListDeviceStatusEvents.Output { try await sessions.listDeviceStatusEvents(input) }

    // Billing
    func findBills(_ input: Operations.FindBills.Input) async throws -> Operations.FindBills.Output { try await billing.findBills(input) }
    func findAlipayVehicleBills(_ input: Operations.FindAlipayVehicleBills.Input) async throws -> Operations.FindAlipayVehicleBills.Output {
        try await billing.findAlipayVehicleBills(input)
    }
    func getBillForPayment(_ input: Operations.GetBillForPayment.Input) async throws -> Operations.GetBillForPayment.Output { try await billing.getBillForPayment(input) }
    func openPayLink(_ input: Operations.OpenPayLink.Input) async throws -> Operations.OpenPayLink.Output { try await billing.openPayLink(input) }
    func payPage(_ input: Operations.PayPage.Input) async throws -> Operations.PayPage.Output { try await billing.payPage(input) }
    func bayPage(_ input: Operations.BayPage.Input) async throws -> Operations.BayPage.Output { try await billing.bayPage(input) }
    func getPayLinkEvidence(_ input: Operations.GetPayLinkEvidence.Input) async throws -> Operations.GetPayLinkEvidence.Output { try await billing.getPayLinkEvidence(input) }
    func getPaymentQR(_ input: Operations.GetPaymentQR.Input) async throws -> Operations.GetPaymentQR.Output { try await billing.getPaymentQR(input) }
    func getPayLinkQR(_ input: Operations.GetPayLinkQR.Input) async throws -> Operations.GetPayLinkQR.Output { try await billing.getPayLinkQR(input) }
    func getBayStay(_ input: Operations.GetBayStay.Input) async throws -> Operations.GetBayStay.Output { try await billing.getBayStay(input) }
    func createPayment(_ input: Operations.CreatePayment.Input) async throws -> Operations.CreatePayment.Output { try await billing.createPayment(input) }
    func getPayment(_ input: Operations.GetPayment.Input) async throws -> Operations.GetPayment.Output { try await billing.getPayment(input) }
    func wechatNotify(_ input: Operations.WechatNotify.Input) async throws -> Operations.WechatNotify.Output { try await billing.wechatNotify(input) }
    func wechatRefundNotify(_ input: Operations.WechatRefundNotify.Input) async throws -> Operations.WechatRefundNotify.Output { try await billing.wechatRefundNotify(input) }
    func wechatParkingNotify(_ input: Operations.WechatParkingNotify.Input) async throws -> Operations.WechatParkingNotify.Output { try await billing.wechatParkingNotify(input) }
    func aliyunSMSReports(_ input: Operations.AliyunSMSReports.Input) async throws -> Operations.AliyunSMSReports.Output { try await billing.aliyunSMSReports(input) }
    func tencentSMSReports(_ input: Operations.TencentSMSReports.Input) async throws -> Operations.TencentSMSReports.Output { try await billing.tencentSMSReports(input) }
    func alipayNotify(_ input: Operations.AlipayNotify.Input) async throws -> Operations.AlipayNotify.Output { try await billing.alipayNotify(input) }
    func acquirerNotify(_ input: Operations.AcquirerNotify.Input) async throws -> Operations.AcquirerNotify.Output { try await billing.acquirerNotify(input) }
    func listBills(_ input: Operations.ListBills.Input) async throws -> Operations.ListBills.Output { try await billing.listBills(input) }
    func getBill(_ input: Operations.GetBill.Input) async throws -> Operations.GetBill.Output { try await billing.getBill(input) }
    func refundBill(_ input: Operations.RefundBill.Input) async throws -> Operations.RefundBill.Output { try await billing.refundBill(input) }
    func getPayLinkInvoice(_ input: Operations.GetPayLinkInvoice.Input) async throws -> Operations.GetPayLinkInvoice.Output { try await billing.getPayLinkInvoice(input) }
    func requestPayLinkInvoice(_ input: Operations.RequestPayLinkInvoice.Input) async throws -> Operations.RequestPayLinkInvoice.Output { try await billing.requestPayLinkInvoice(input) }
    func issueInvoice(_ input: Operations.IssueInvoice.Input) async throws -> Operations.IssueInvoice.Output { try await billing.issueInvoice(input) }
    func getInvoice(_ input: Operations.GetInvoice.Input) async throws -> Operations.GetInvoice.Output { try await billing.getInvoice(input) }
    func reverseInvoice(_ input: Operations.ReverseInvoice.Input) async throws -> Operations.ReverseInvoice.Output { try await billing.reverseInvoice(input) }
    func reconcileStatement(_ input: Operations.ReconcileStatement.Input) async throws -> Operations.ReconcileStatement.Output { try await billing.reconcileStatement(input) }
    func listReconciliations(_ input: Operations.ListReconciliations.Input) async throws -> Operations.ListReconciliations.Output { try await billing.listReconciliations(input) }
    func listStatementRuns(_ input: Operations.ListStatementRuns.Input) async throws -> Operations.ListStatementRuns.Output { try await billing.listStatementRuns(input) }
    func listPermits(_ input: Operations.ListPermits.Input) async throws -> Operations.ListPermits.Output { try await billing.listPermits(input) }
    func addPermit(_ input: Operations.AddPermit.Input) async throws -> Operations.AddPermit.Output { try await billing.addPermit(input) }
    func listAuditLog(_ input: Operations.ListAuditLog.Input) async throws -> Operations.ListAuditLog.Output { try await billing.listAuditLog(input) }
    func listLegalHolds(_ input: Operations.ListLegalHolds.Input) async throws -> Operations.ListLegalHolds.Output { try await operations.listLegalHolds(input) }
    func placeLegalHold(_ input: Operations.PlaceLegalHold.Input) async throws -> Operations.PlaceLegalHold.Output { try await operations.placeLegalHold(input) }
    func releaseLegalHold(_ input: Operations.ReleaseLegalHold.Input) async throws -> Operations.ReleaseLegalHold.Output {
        try await operations.releaseLegalHold(input)
    }

    // Citizens
    func requestSignInCode(_ input: Operations.RequestSignInCode.Input) async throws -> Operations.RequestSignInCode.Output { try await citizens.requestSignInCode(input) }
    func signIn(_ input: Operations.SignIn.Input) async throws -> Operations.SignIn.Output { try await citizens.signIn(input) }
    func listMyPlates(_ input: Operations.ListMyPlates.Input) async throws -> Operations.ListMyPlates.Output { try await citizens.listMyPlates(input) }
    func bindPlate(_ input: Operations.BindPlate.Input) async throws -> Operations.BindPlate.Output { try await citizens.bindPlate(input) }
    func unbindPlate(_ input: Operations.UnbindPlate.Input) async throws -> Operations.UnbindPlate.Output { try await citizens.unbindPlate(input) }
    func listMyBills(_ input: Operations.ListMyBills.Input) async throws -> Operations.ListMyBills.Output { try await citizens.listMyBills(input) }
    func listMyInvoices(_ input: Operations.ListMyInvoices.Input) async throws -> Operations.ListMyInvoices.Output { try await citizens.listMyInvoices(input) }
    func requestMyInvoice(_ input: Operations.RequestMyInvoice.Input) async throws -> Operations.RequestMyInvoice.Output { try await citizens.requestMyInvoice(input) }
    func listMyPayments(_ input: Operations.ListMyPayments.Input) async throws -> Operations.ListMyPayments.Output { try await citizens.listMyPayments(input) }
    func getMyWallet(_ input: Operations.GetMyWallet.Input) async throws -> Operations.GetMyWallet.Output { try await citizens.getMyWallet(input) }
    func setAutoPay(_ input: Operations.SetAutoPay.Input) async throws -> Operations.SetAutoPay.Output { try await citizens.setAutoPay(input) }
    func stopAutoPay(_ input: Operations.StopAutoPay.Input) async throws -> Operations.StopAutoPay.Output { try await citizens.stopAutoPay(input) }
    func agreeToWeChatMessages(_ input: Operations.AgreeToWeChatMessages.Input) async throws -> Operations.AgreeToWeChatMessages.Output { try await citizens.agreeToWeChatMessages(input) }
    func linkMyWeChat(_ input: Operations.LinkMyWeChat.Input) async throws -> Operations.LinkMyWeChat.Output { try await citizens.linkMyWeChat(input) }
    func getMyPreferences(_ input: Operations.GetMyPreferences.Input) async throws -> Operations.GetMyPreferences.Output { try await citizens.getMyPreferences(input) }
    func setMyPreferences(_ input: Operations.SetMyPreferences.Input) async throws -> Operations.SetMyPreferences.Output { try await citizens.setMyPreferences(input) }

    // Patrol
    func listBeats(_ input: Operations.ListBeats.Input) async throws -> Operations.ListBeats.Output { try await patrol.listBeats(input) }
    func createBeat(_ input: Operations.CreateBeat.Input) async throws -> Operations.CreateBeat.Output { try await patrol.createBeat(input) }
    func listBeatBaysAsSupervisor(_ input: Operations.ListBeatBaysAsSupervisor.Input) async throws -> Operations.ListBeatBaysAsSupervisor.Output { try await patrol.listBeatBaysAsSupervisor(input) }
    func openShift(_ input: Operations.OpenShift.Input) async throws -> Operations.OpenShift.Output { try await patrol.openShift(input) }
    func getMyShift(_ input: Operations.GetMyShift.Input) async throws -> Operations.GetMyShift.Output { try await patrol.getMyShift(input) }
    func closeMyShift(_ input: Operations.CloseMyShift.Input) async throws -> Operations.CloseMyShift.Output { try await patrol.closeMyShift(input) }
    func listMyBeat(_ input: Operations.ListMyBeat.Input) async throws -> Operations.ListMyBeat.Output { try await patrol.listMyBeat(input) }
    func inspectBay(_ input: Operations.InspectBay.Input) async throws -> Operations.InspectBay.Output { try await patrol.inspectBay(input) }
    func inspectPlate(_ input: Operations.InspectPlate.Input) async throws -> Operations.InspectPlate.Output { try await patrol.inspectPlate(input) }
    func uploadStreetActions(_ input: Operations.UploadStreetActions.Input) async throws -> Operations.UploadStreetActions.Output { try await patrol.uploadStreetActions(input) }

    // Enforcement
    func listEnforcementCases(_ input: Operations.ListEnforcementCases.Input) async throws -> Operations.ListEnforcementCases.Output { try await enforcement.listEnforcementCases(input) }
    func getEnforcementCase(_ input: Operations.GetEnforcementCase.Input) async throws -> Operations.GetEnforcementCase.Output { try await enforcement.getEnforcementCase(input) }
    func exportEnforcementCase(_ input: Operations.ExportEnforcementCase.Input) async throws -> Operations.ExportEnforcementCase.Output { try await enforcement.exportEnforcementCase(input) }
    func listMyAlerts(_ input: Operations.ListMyAlerts.Input) async throws -> Operations.ListMyAlerts.Output { try await enforcement.listMyAlerts(input) }
    func listAlerts(_ input: Operations.ListAlerts.Input) async throws -> Operations.ListAlerts.Output { try await enforcement.listAlerts(input) }
    func acknowledgeAlert(_ input: Operations.AcknowledgeAlert.Input) async throws -> Operations.AcknowledgeAlert.Output { try await enforcement.acknowledgeAlert(input) }
    func streamMyAlerts(_ input: Operations.StreamMyAlerts.Input) async throws -> Operations.StreamMyAlerts.Output { try await enforcement.streamMyAlerts(input) }
    func fileAppeal(_ input: Operations.FileAppeal.Input) async throws -> Operations.FileAppeal.Output { try await enforcement.fileAppeal(input) }
    func listMyAppeals(_ input: Operations.ListMyAppeals.Input) async throws -> Operations.ListMyAppeals.Output { try await enforcement.listMyAppeals(input) }
    func listAppeals(_ input: Operations.ListAppeals.Input) async throws -> Operations.ListAppeals.Output { try await enforcement.listAppeals(input) }
    func decideAppeal(_ input: Operations.DecideAppeal.Input) async throws -> Operations.DecideAppeal.Output { try await enforcement.decideAppeal(input) }

    // Reports
    func getMonthReport(_ input: Operations.GetMonthReport.Input) async throws -> Operations.GetMonthReport.Output { try await reports.getMonthReport(input) }
    func getDayReport(_ input: Operations.GetDayReport.Input) async throws -> Operations.GetDayReport.Output { try await reports.getDayReport(input) }
    func getMonthReportCSV(_ input: Operations.GetMonthReportCSV.Input) async throws -> Operations.GetMonthReportCSV.Output { try await reports.getMonthReportCSV(input) }
    func getMonthReportChart(_ input: Operations.GetMonthReportChart.Input) async throws -> Operations.GetMonthReportChart.Output { try await reports.getMonthReportChart(input) }
    func listReportEntries(_ input: Operations.ListReportEntries.Input) async throws -> Operations.ListReportEntries.Output { try await reports.listReportEntries(input) }
    func getConcessionPage(_ input: Operations.GetConcessionPage.Input) async throws -> Operations.GetConcessionPage.Output { try await reports.getConcessionPage(input) }

    // CDS
    func listCDSCurbAreas(_ input: Operations.ListCDSCurbAreas.Input) async throws -> Operations.ListCDSCurbAreas.Output { try await cds.listCDSCurbAreas(input) }
    func getCDSCurbArea(_ input: Operations.GetCDSCurbArea.Input) async throws -> Operations.GetCDSCurbArea.Output { try await cds.getCDSCurbArea(input) }
    func listCDSCurbZones(_ input: Operations.ListCDSCurbZones.Input) async throws -> Operations.ListCDSCurbZones.Output { try await cds.listCDSCurbZones(input) }
    func getCDSCurbZone(_ input: Operations.GetCDSCurbZone.Input) async throws -> Operations.GetCDSCurbZone.Output { try await cds.getCDSCurbZone(input) }
    func listCDSCurbSpaces(_ input: Operations.ListCDSCurbSpaces.Input) async throws -> Operations.ListCDSCurbSpaces.Output { try await cds.listCDSCurbSpaces(input) }
    func getCDSCurbSpace(_ input: Operations.GetCDSCurbSpace.Input) async throws -> Operations.GetCDSCurbSpace.Output { try await cds.getCDSCurbSpace(input) }
    func listCDSCurbObjects(_ input: Operations.ListCDSCurbObjects.Input) async throws -> Operations.ListCDSCurbObjects.Output { try await cds.listCDSCurbObjects(input) }
    func getCDSCurbObject(_ input: Operations.GetCDSCurbObject.Input) async throws -> Operations.GetCDSCurbObject.Output { try await cds.getCDSCurbObject(input) }
    func listCDSCurbPolicies(_ input: Operations.ListCDSCurbPolicies.Input) async throws -> Operations.ListCDSCurbPolicies.Output { try await cds.listCDSCurbPolicies(input) }
    func getCDSCurbPolicy(_ input: Operations.GetCDSCurbPolicy.Input) async throws -> Operations.GetCDSCurbPolicy.Output { try await cds.getCDSCurbPolicy(input) }
    func listCDSEvents(_ input: Operations.ListCDSEvents.Input) async throws -> Operations.ListCDSEvents.Output { try await cds.listCDSEvents(input) }
    func listCDSMetricSessions(_ input: Operations.ListCDSMetricSessions.Input) async throws -> Operations.ListCDSMetricSessions.Output { try await cds.listCDSMetricSessions(input) }
    func listCDSMetricAggregates(_ input: Operations.ListCDSMetricAggregates.Input) async throws -> Operations.ListCDSMetricAggregates.Output { try await cds.listCDSMetricAggregates(input) }

    // Operations
    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output { try await operations.getHealth(input) }
    func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output { try await operations.getReadiness(input) }
    func getMetrics(_ input: Operations.GetMetrics.Input) async throws -> Operations.GetMetrics.Output { try await operations.getMetrics(input) }
    func getOpenAPIDocument(_ input: Operations.GetOpenAPIDocument.Input) async throws -> Operations.GetOpenAPIDocument.Output { try await operations.getOpenAPIDocument(input) }
    func staffSignIn(_ input: Operations.StaffSignIn.Input) async throws -> Operations.StaffSignIn.Output { try await operations.staffSignIn(input) }
    func createStaff(_ input: Operations.CreateStaff.Input) async throws -> Operations.CreateStaff.Output { try await operations.createStaff(input) }
    func listStaff(_ input: Operations.ListStaff.Input) async throws -> Operations.ListStaff.Output { try await operations.listStaff(input) }
    func getStaff(_ input: Operations.GetStaff.Input) async throws -> Operations.GetStaff.Output { try await operations.getStaff(input) }
    func updateStaff(_ input: Operations.UpdateStaff.Input) async throws -> Operations.UpdateStaff.Output { try await operations.updateStaff(input) }
    func unlockStaff(_ input: Operations.UnlockStaff.Input) async throws -> Operations.UnlockStaff.Output { try await operations.unlockStaff(input) }
    func assignBeats(_ input: Operations.AssignBeats.Input) async throws -> Operations.AssignBeats.Output { try await operations.assignBeats(input) }
}
