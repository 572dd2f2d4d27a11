/// Why a request to the controller failed; the raw value is a stable metric label.
public enum DeliveryFailureKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// The connection could not be made or broke (refused, reset, DNS, closed mid-request).
    case connection
    /// No response head within the request deadline (or a connect/read timeout, or HTTP 408).
    case timeout
    /// The TLS handshake failed (e.g. the server's certificate does not chain to the CA file).
    case tls
    /// HTTP 5xx.
    case serverError = "server_error"
    /// HTTP 429 Too Many Requests.
    case throttled
    /// HTTP 409 Conflict (retried as a transient failure).
    case conflict
    /// Any other HTTP 4xx (400, 401, 403, 404, 422, ...): the controller refused this request;
    /// retried only every `rejectedRetryInterval`.
    case rejected
    /// An unexpected status outside 2xx/4xx/5xx (1xx, 3xx).
    case unexpectedStatus = "unexpected_status"
    /// The token file or CA file cannot be used; nothing was sent.
    case credentials
}
