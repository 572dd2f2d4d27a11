import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// One failed request: its kind, a message for logs and the outbox's `lastError`, and the delay
/// the server asked for (`Retry-After`), if any.
struct DeliveryFailure: Error, Sendable {
    var kind: DeliveryFailureKind
    var message: String
    /// Seconds from `Retry-After` (429, 503 and any 5xx that sends it); nil when absent or malformed.
    var retryAfter: TimeInterval?
    /// The HTTP status, when the controller answered.
    var httpStatus: Int? = nil

    /// The failure that a non-2xx `response` to `request` (e.g. `PATCH https://c/api/...`) means,
    /// or nil for a 2xx.
    static func from(response: ControllerResponse, request: String, now: Date) -> DeliveryFailure? {
        let status = response.status
        if (200..<300).contains(status) { return nil }
        let kind: DeliveryFailureKind
        switch status {
        case 408: kind = .timeout
        case 409: kind = .conflict
        case 429: kind = .throttled
        case 400..<500: kind = .rejected
        case 500..<600: kind = .serverError
        default: kind = .unexpectedStatus
        }
        var message = "\(request): HTTP \(status)"
        if !response.reason.isEmpty { message += " \(response.reason)" }
        let body = response.bodyPrefix.trimmingCharacters(in: .whitespacesAndNewlines)
        if !body.isEmpty { message += ": \(body)" }
        let retryAfter =
            (kind == .throttled || kind == .serverError)
            ? response.retryAfter.flatMap { RetryAfter.seconds($0, now: now) } : nil
        return DeliveryFailure(kind: kind, message: message, retryAfter: retryAfter, httpStatus: status)
    }

    /// The failure that `error`, thrown while sending `request` with a deadline of `timeout`
    /// seconds, means.
    static func from(error: any Error, request: String, timeout: TimeInterval) -> DeliveryFailure {
        let kind = classify(error)
        if let error = error as? HTTPClientError {
            let seconds = String(format: "%g", timeout)
            switch error {
            case .deadlineExceeded, .readTimeout:
                return DeliveryFailure(kind: kind, message: "\(request): no response within \(seconds) s", retryAfter: nil)
            case .connectTimeout:
                return DeliveryFailure(kind: kind, message: "\(request): cannot connect within \(seconds) s", retryAfter: nil)
            default:
                break
            }
        }
        return DeliveryFailure(kind: kind, message: "\(request): \(error)", retryAfter: nil)
    }

    /// The failure of a batch whose credentials could not be read.
    static func from(credentials error: ReporterError) -> DeliveryFailure {
        DeliveryFailure(kind: .credentials, message: error.description, retryAfter: nil)
    }

    static func classify(_ error: any Error) -> DeliveryFailureKind {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .readTimeout, .writeTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout,
                .tlsHandshakeTimeout:
                return .timeout
            default:
                return .connection
            }
        }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return .tls
        }
        if let error = error as? ChannelError, case .connectTimeout = error { return .timeout }
        return .connection
    }
}
