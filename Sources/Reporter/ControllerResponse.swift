import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// The controller's answer to one request: status, `Retry-After`, and the start of the body
/// (for logging errors).
struct ControllerResponse: Sendable {
    var status: Int
    var reason: String
    var retryAfter: String?
    /// At most `ControllerClient.maxBodyPrefix` bytes of the body, as UTF-8 (lossy).
    var bodyPrefix: String
}
