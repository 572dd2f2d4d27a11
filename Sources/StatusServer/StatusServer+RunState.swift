import Foundation
import Hummingbird
import Logging
import NodeAgent
import ServiceLifecycle
import Synchronization

/// What the server's start-up callback tells `run()`: the bound socket's identity and any failure.
final class RunState: @unchecked Sendable {
    private let lock = NSLock()
    private var _identity: FileIdentity?
    private var _failure: Error?

    var identity: FileIdentity? { lock.withLock { _identity } }
    var failure: Error? { lock.withLock { _failure } }
    func setIdentity(_ id: FileIdentity?) { lock.withLock { _identity = id } }
    func setFailure(_ error: Error) { lock.withLock { _failure = error } }
}
