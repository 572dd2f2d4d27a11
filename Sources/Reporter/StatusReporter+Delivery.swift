import Foundation
import Logging
import NIOCore
import PodAPI
import StateStore

// One delivery: send, then write the outcome back to the outbox.
extension StatusReporter {
    static let contentType = "application/strategic-merge-patch+json"

    /// The conditions kubelet writes; the others (readiness gates such as `InPlaceUpdateReady`,
    /// `PodScheduled`) belong to other writers and are never sent (bug case B9).
    static let kubeletConditions = WellKnown.kubeletConditionTypes

    /// The PodStatus fields kubelet writes (besides `conditions`).
    static let kubeletStatusFields = [
        "phase", "message", "reason", "hostIP", "hostIPs", "podIP", "podIPs", "startTime", "initContainerStatuses",
        "containerStatuses", "ephemeralContainerStatuses", "qosClass",
    ]

    /// The request body, as kubelet's status manager sends it: a strategic merge patch
    /// `{"metadata":{"uid":...},"status":{...}}` with only kubelet's conditions and
    /// `$setElementOrder/conditions` listing them; the uid makes the API server refuse (422) a
    /// status meant for an earlier pod of the same name.
    static func body(statusJSON: String, podUID: String) -> ByteBuffer {
        let parsed = StatusJSONReader.parse(statusJSON) ?? (try? JSONValue.parse(Array(statusJSON.utf8)))
        guard let parsed, case .object = parsed else {
            var buffer = ByteBuffer()
            buffer.writeString("{\"status\":\(statusJSON)}")
            return buffer
        }
        return body(status: parsed, podUID: podUID)
    }

    /// The request body for a status already read (an object).
    static func body(status: JSONValue, podUID: String) -> ByteBuffer {
        var status = status
        // As kubelet's two-way patch: a field kubelet no longer sets is sent as null, so the
        // merge removes it (a Ready condition that became True loses its old reason).
        let conditions = status.array("conditions").filter { kubeletConditions.contains($0.string("type") ?? "") }.map { c in
            var c = c
            for field in ["reason", "message"] where c[field] == nil { c.set(field, .null) }
            return c
        }
        status.set("conditions", .array(conditions))
        for field in kubeletStatusFields where status[field] == nil { status.set(field, .null) }
        status.set("$setElementOrder/conditions", .array(conditions.map { .object(["type": $0["type"] ?? .null]) }))
        let patch: JSONValue = .object(["metadata": .object(["uid": .string(podUID)]), "status": status])
        return ByteBuffer(bytes: patch.jsonBytes())
    }

    /// Failures that say the controller is unreachable or failing, rather than refusing one status.
    static let unavailableKinds: Set<DeliveryFailureKind> = [.connection, .timeout, .tls, .serverError]

    func deliver(_ delivery: Delivery, _ client: ControllerClient) async {
        let row = delivery.record
        let path = ControllerEndpoint.podStatusPath(namespace: row.namespace, name: row.name)
        let request = "PATCH \(client.endpoint.url)\(path)"
        var failure: DeliveryFailure?
        let sentAt = now()
        do {
            let response = try await client.send(
                method: .PATCH, path: path, contentType: Self.contentType,
                body: Self.body(statusJSON: row.statusJSON, podUID: row.podUID), bearer: delivery.bearer)
            failure = DeliveryFailure.from(response: response, request: request, now: now())
            // 404: the API holds no such pod (a manifest pod, or one deleted); 422: the pod of that
            // name is another one (another uid). Either way this status has nobody to go to, and
            // kubelet drops it too.
            if response.status == 404 || response.status == 422 {
                logger.debug(
                    "reporter: status dropped", metadata: ["pod": "\(row.namespace)/\(row.name)", "status": "\(response.status)"])
                failure = nil
            }
        } catch {
            if Task.isCancelled {  // shutting down: the row stays queued as it is
                release(row.podUID)
                return
            }
            failure = DeliveryFailure.from(error: error, request: request, timeout: client.endpoint.requestTimeout)
        }
        var retryIn: TimeInterval?
        if let failure {
            retryIn = await recordFailure([row], failure, tokenGeneration: delivery.tokenGeneration, sentAt: sentAt)
        } else {
            await recordSuccess(row)
        }
        release(row.podUID)
        // A back-off shorter than the poll interval: look again when it ends.
        if let retryIn, retryIn < configuration.pollInterval {
            do { try await Task.sleep(for: .seconds(max(retryIn, 0.001))) } catch { return }
            wake()
        }
    }

    private func release(_ podUID: String) {
        shared.withLockedValue { shared in
            shared.inFlight.remove(podUID)
            shared.state.inFlight = shared.inFlight.count
        }
        wake()
    }

    private func recordSuccess(_ row: OutboxRecord) async {
        let at = now()
        var removed = false
        do {
            removed = try await uncancellableWrite { tx in try tx.markDelivered(podUID: row.podUID, seq: row.seq) }
        } catch {
            // The controller has it; the row stays and is sent again (a PATCH of the same status).
            noteStoreError("marking \(row.namespace)/\(row.name) seq \(row.seq) delivered", error)
        }
        let latency = max(0, at.timeIntervalSince(row.enqueuedAt))
        let (recovered, reset) = shared.withLockedValue { shared -> (Bool, Set<String>?) in
            let wasConnected = shared.state.isConnected
            shared.streaks[row.podUID] = removed ? nil : 0
            shared.state.delivered += 1
            shared.state.lastSuccessAt = at
            // Back from unreachable: the statuses waiting out a back-off go now (but rejected ones).
            var reset: Set<String>?
            if shared.unavailable,
                shared.lastReset.map({ at.timeIntervalSince($0) >= configuration.recoveryResetInterval || at < $0 }) ?? true
            {
                shared.lastReset = at
                reset = Set(shared.rejected.keys)
            }
            shared.unavailable = false
            return (!wasConnected, reset)
        }
        if recovered {
            logger.info("reporter: the controller accepts pod statuses again", metadata: ["controller": "\(configuration.endpoint.url)"])
        }
        if let reset { await makeDue(except: reset) }
        logger.trace("reporter: delivered", metadata: ["pod": "\(row.namespace)/\(row.name)", "seq": "\(row.seq)"])
        observer?.statusDelivered(latency: latency)
    }

    /// Records `failure` for each row (one transaction) and returns the shortest delay before a retry,
    /// in seconds.
    func recordFailure(
        _ rows: [OutboxRecord], _ failure: DeliveryFailure, tokenGeneration: Int, sentAt: Date? = nil
    ) async -> TimeInterval {
        let at = now()
        let (streaks, lastReset) = shared.withLockedValue { shared in
            (rows.map { shared.streaks[$0.podUID] ?? $0.attempts }, shared.lastReset)
        }
        // A request sent before the controller was found back (a heartbeat or another status got
        // through since) failed against the controller as it was: its answer, coming after the
        // back-offs were reset, must not start a new one, or its status waits up to
        // `backoff.maximum` after the controller is back.
        let superseded = sentAt.map { sent in lastReset.map { $0 > sent } ?? false } ?? false
        let delays: [TimeInterval] = streaks.map { streak in
            if failure.kind == .rejected { return configuration.rejectedRetryInterval }
            if superseded { return 0 }
            if let retryAfter = failure.retryAfter { return min(retryAfter, configuration.maxRetryAfter) }
            return configuration.backoff.delay(afterFailures: streak)
        }
        let plan = zip(rows, delays).map { (podUID: $0.podUID, seq: $0.seq, next: at.addingTimeInterval($1)) }
        let message = failure.message
        let onNewerRow = failure.kind != .rejected
        do {
            try await uncancellableWrite { tx in
                for item in plan {
                    if try tx.recordDeliveryFailure(podUID: item.podUID, seq: item.seq, error: message, nextAttemptAt: item.next) {
                        continue
                    }
                    // A newer status replaced the row meanwhile. Back-off belongs to the pod's
                    // delivery, so a transient failure delays the newer one too; a rejection was
                    // about the old payload, so the newer one goes at once.
                    if onNewerRow, let current = try tx.outboxEntry(podUID: item.podUID) {
                        try tx.recordDeliveryFailure(
                            podUID: item.podUID, seq: current.seq, error: message,
                            nextAttemptAt: item.next)
                    }
                }
            }
        } catch {
            noteStoreError("recording a delivery failure", error)
        }
        let firstFailure = shared.withLockedValue { shared -> Bool in
            let first = shared.state.isConnected
            for (row, streak) in zip(rows, streaks) {
                shared.streaks[row.podUID] = streak + 1
                if failure.kind == .rejected {
                    shared.rejected[row.podUID] = Rejection(
                        seq: row.seq, httpStatus: failure.httpStatus,
                        tokenGeneration: tokenGeneration)
                }
            }
            shared.state.failed += rows.count
            shared.state.failuresByKind[failure.kind, default: 0] += rows.count
            if Self.unavailableKinds.contains(failure.kind) { shared.unavailable = true }
            shared.state.lastError = message
            shared.state.lastErrorAt = at
            return first
        }
        for _ in rows { observer?.statusDeliveryFailed(kind: failure.kind) }
        let pods = rows.prefix(5).map { "\($0.namespace)/\($0.name)" }.joined(separator: ",") + (rows.count > 5 ? ",..." : "")
        let metadata: Logger.Metadata = [
            "pods": "\(pods)", "kind": "\(failure.kind.rawValue)", "error": "\(message)",
            "retry_in_s": "\(String(format: "%.2f", delays.min() ?? 0))",
        ]
        if failure.kind == .rejected {
            logger.warning(
                "reporter: the controller rejected a pod status; retrying in \(Int(configuration.rejectedRetryInterval)) s or with a newer status",
                metadata: metadata)
        } else if firstFailure {
            logger.warning("reporter: cannot deliver pod statuses; retrying with back-off", metadata: metadata)
        } else {
            logger.debug("reporter: delivery failed", metadata: metadata)
        }
        return delays.min() ?? 0
    }
}
