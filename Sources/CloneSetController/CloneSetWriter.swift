import CloneSetAPI
import Foundation
import KubeAPI
import KubeClient
import Logging
import PodAPI

/// Carries out a ``SyncPlan`` through the API, in the plan's order, recording each write in the
/// ``Expectations`` before it is sent. A failed write is logged and recorded as kruise's
/// warning event (`FailedCreate`, `FailedDelete`, `FailedUpdatePodInPlace`); the next sync
/// decides again from what the informers then show.
struct CloneSetWriter {
    let client: KubeClient
    let expectations: Expectations
    let events: EventRecorder
    let logger: Logger

    /// - Returns: whether every write succeeded.
    @discardableResult
    func apply(_ plan: SyncPlan, set: JSONValue, key: String, now: Date = Date()) async -> Bool {
        let ns = set["metadata"]?.string("namespace") ?? "default"
        var ok = true
        func warn(_ reason: String, _ message: String) async {
            ok = false
            logger.warning("cloneset: \(reason)", metadata: ["cloneset": "\(key)", "error": "\(message)"])
            await events.record(set: set, type: "Warning", reason: reason, message: message)
        }
        if let revision = plan.revisionToCreate {
            do { _ = try await client.create(.controllerRevisions, namespace: ns, revision) } catch  where error.isAlreadyExists {
            } catch { await warn("FailedCreate", "failed to create revision: \(error)") }
        }
        // Created 16 at a time; each expected before it is sent.
        let createFailures = await Self.concurrently(plan.creates) { pod -> String? in
            let name = pod["metadata"]?.string("name") ?? ""
            expectations.expectCreate(key, pod: name)
            do {
                _ = try await client.create(.pods, namespace: ns, pod)
                return nil
            } catch {
                expectations.forgetCreate(key, pod: name)
                return "failed to create pod \(name): \(error)"
            }
        }
        for failure in createFailures.compactMap({ $0 }) { await warn("FailedCreate", failure) }
        for pod in plan.deletes {
            expectations.expectDelete(key, uid: pod.uid)
            do { try await client.delete(.pods, namespace: ns, name: pod.name, uid: pod.uid) } catch  where error.isNotFound {
            } catch { await warn("FailedDelete", "failed to delete pod \(pod.name): \(error)") }
        }
        for pod in plan.markForRecreate {
            let patch: JSONValue = [
                "metadata": ["resourceVersion": .string(pod.resourceVersion), "labels": ["apps.kruise.io/specified-delete": "true"]]
            ]
            do {
                let answer = try await client.patch(.pods, namespace: ns, name: pod.name, contentType: mergePatch, patch)
                expect(key, answer)
            } catch {
                await warn("FailedUpdatePodReCreate", "failed to patch pod specified-delete \(pod.name): \(error)")
            }
        }
        // The pods of a wave are updated side by side (each pod's own writes stay in order).
        let failures = await Self.concurrently(plan.inPlace) { step -> String? in
            do {
                try await inPlace(step, ns: ns, key: key, now: now)
                if let event = step.event { await events.record(set: set, type: event.type, reason: event.reason, message: event.message) }
                return nil
            } catch {
                return "failed to update pod \(step.pod.name) in-place: \(error)"
            }
        }
        for failure in failures.compactMap({ $0 }) { await warn("FailedUpdatePodInPlace", failure) }
        let gateResults = await Self.concurrently(plan.openGates) { pod -> Bool in
            let patch: JSONValue = [
                "metadata": ["resourceVersion": .string(pod.resourceVersion)],
                "status": ["conditions": [InPlaceSteps.gateCondition(open: true, now: now)]],
            ]
            do {
                expect(
                    key,
                    try await client.patch(.pods, namespace: ns, name: pod.name, contentType: strategicPatch, patch, subresource: "status"))
                return true
            } catch let error as KubeClientError where error.isConflict || error.isNotFound {
                return true  // A newer pod object is coming; the next sync judges it (kruise: no retry here).
            } catch {
                logger.info("cloneset: cannot open the gate", metadata: ["pod": "\(ns)/\(pod.name)", "error": "\(error)"])
                return false
            }
        }
        if gateResults.contains(false) { ok = false }
        for name in plan.revisionsToDelete {
            try? await client.delete(.controllerRevisions, namespace: ns, name: name)
        }
        for event in plan.events { await events.record(set: set, type: event.type, reason: event.reason, message: event.message) }
        var written = set
        if let rollback = plan.rollback {
            var spec = set["spec"] ?? .object([:])
            spec.set("template", rollback.template)
            do {
                written = try await client.update(.cloneSetsV1beta1, namespace: ns, name: name(set), set.with("spec", spec))
            } catch {
                await warn("FailedRollback", "failed to roll back to revision \(rollback.revision): \(error)")
            }
        }
        if plan.status != (written["status"] ?? .object([:])) {
            do {
                _ = try await client.update(
                    .cloneSetsV1beta1, namespace: ns, name: name(set), written.with("status", plan.status), subresource: "status")
            } catch {
                ok = false
                logger.info("cloneset: status not written", metadata: ["cloneset": "\(key)", "error": "\(error)"])
            }
        }
        return ok
    }

    /// Closes the gate (retried on conflict against a fresh read), then writes labels,
    /// annotations and images with the resourceVersion the gate write returned (re-read on conflict).
    func inPlace(_ step: SyncPlan.InPlaceStep, ns: String, key: String, now: Date) async throws {
        var version = step.pod.resourceVersion
        if step.closeGate {
            let patch: JSONValue = ["status": ["conditions": [InPlaceSteps.gateCondition(open: false, now: now)]]]
            let answer = try await client.patch(
                .pods, namespace: ns, name: step.pod.name, contentType: strategicPatch, patch, subresource: "status")
            guard answer["metadata"]?.string("uid") == step.pod.uid else {
                throw KubeClientError.status(code: 409, reason: "Conflict", message: "pod \(step.pod.name) was replaced")
            }
            version = answer["metadata"]?.string("resourceVersion") ?? version
        }
        var patch = step.patch
        let answer = try await retryOnConflict {
            var meta = patch["metadata"] ?? .object([:])
            meta.set("resourceVersion", .string(version))
            patch.set("metadata", meta)
            do {
                return try await client.patch(.pods, namespace: ns, name: step.pod.name, contentType: strategicPatch, patch)
            } catch let error as KubeClientError where error.isConflict {
                let fresh = try await client.get(.pods, namespace: ns, name: step.pod.name)
                guard fresh["metadata"]?.string("uid") == step.pod.uid else { throw error }
                version = fresh["metadata"]?.string("resourceVersion") ?? version
                throw error
            }
        }
        expect(key, answer)
    }

    /// `body` over `items`, at most 16 at a time; the results in `items`' order.
    static func concurrently<T: Sendable, R: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) async -> R) async -> [R] {
        await withTaskGroup(of: (Int, R).self) { group in
            var results = [R?](repeating: nil, count: items.count)
            var next = 0
            func add() {
                guard next < items.count else { return }
                let i = next
                next += 1
                group.addTask { (i, await body(items[i])) }
            }
            for _ in 0..<16 { add() }
            while let (i, r) = await group.next() {
                results[i] = r
                add()
            }
            return results.map { $0! }
        }
    }

    func name(_ set: JSONValue) -> String { set["metadata"]?.string("name") ?? "" }

    func expect(_ key: String, _ answer: JSONValue) {
        guard let name = answer["metadata"]?.string("name"), let rv = answer["metadata"]?.string("resourceVersion") else { return }
        expectations.expectWrite(key, pod: name, resourceVersion: rv)
    }

    let mergePatch = "application/merge-patch+json"
    let strategicPatch = "application/strategic-merge-patch+json"
}
