import Prometheus

/// The API server's request counter as kube-apiserver names it: `apiserver_request_total` by
/// `verb` (GET, LIST, WATCH, POST, PUT, PATCH, DELETE), `resource`, `subresource` and `code`,
/// in a swift-prometheus registry served at `GET /metrics` (admins only).
public final class APIMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()

    public init() {}

    func count(verb: String, resource: String, subresource: String, code: Int) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "apiserver_request", unitName: "total", helpText: "Requests answered, by verb, resource and HTTP code."),
            labels: [("verb", verb), ("resource", resource), ("subresource", subresource), ("code", String(code))]
        ).increment()
    }

    /// kube-apiserver's verb of a request: the HTTP method, LIST and WATCH for collection reads.
    static func verb(_ info: RequestInfo?, method: String) -> String {
        switch info?.verb {
        case "list": "LIST"
        case "watch": "WATCH"
        default: method.uppercased()
        }
    }
}
