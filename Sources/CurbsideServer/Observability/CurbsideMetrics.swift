import Metrics
import Prometheus

/// The process's metrics, exposed at /metrics in the Prometheus text format.
/// swift-metrics allows one bootstrap per process, so the registry is a
/// process-wide singleton shared by every application instance (tests start many).
enum CurbsideMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    static func bootstrap() {
        _ = registry
    }
}
