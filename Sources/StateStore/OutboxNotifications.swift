/// A signal from the writers of the status outbox to its consumer: "a status was queued". Made
/// by the daemon and handed to the agent (which signals) and the reporter (which consumes, and
/// then reads the outbox itself). Signals coalesce: a consumer that was busy sees one.
public struct OutboxNotifications: Sendable {
    /// One element per signal not yet consumed (at most one is buffered).
    public let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    public init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Signals that a status was queued; never blocks.
    public func statusQueued() { continuation.yield() }

    /// Ends the stream (its consumer's loop ends).
    public func finish() { continuation.finish() }
}
