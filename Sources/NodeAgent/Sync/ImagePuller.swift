import ContainerRuntime
import Foundation
import PodAPI

/// Makes a container's image present per its imagePullPolicy, as kubelet's EnsureImageExists,
/// recording `Pulling` / `Pulled` / `Failed` events as kubelet words them.
struct ImagePuller {
    let ctx: SyncContext

    /// Returns the image reference to create the container from. Asks the runtime once per sync
    /// and container: a second call in the same sync (the start after an in-place update's
    /// pre-pull) returns the first answer, with no call and no second `Pulled` event; an answer
    /// the sync's look already has (``RuntimeObservation/images``) is taken instead of a call.
    /// - Throws: ``ImagePullFailure`` when the image is missing and cannot be pulled.
    func ensure(_ run: SyncRun, _ c: Container) async throws -> String {
        let image = c.image ?? ""
        if let done = run.ensuredImages[c.name], done.image == image { return done.reference }
        let reference = try await present(run, c, image: image)
        run.ensuredImages[c.name] = (image, reference)
        return reference
    }

    private func present(_ run: SyncRun, _ c: Container, image: String) async throws -> String {
        let reference: ImageReference
        do {
            reference = try ImageReference.parse(image)
        } catch {
            let msg = "Failed to apply default image tag \"\(image)\": couldn't parse image name \"\(image)\": \(error)"
            run.event(PendingEvent(container: c.name, type: "Warning", reason: "InspectFailed", message: msg))
            throw ImagePullFailure(reason: "InvalidImageName", message: msg)
        }
        let policy = c.imagePullPolicy ?? (reference.isLatestOrUntagged ? "Always" : "IfNotPresent")
        if policy != "Always" {
            // The sync's look may have asked already, side by side with its other calls.
            let looked = run.observed.images.removeValue(forKey: image)
            let seen: RuntimeImage?
            if let looked { seen = looked } else { seen = try await ctx.runtime.imageStatus(image) }
            if let present = seen {
                run.event(
                    PendingEvent(
                        container: c.name, reason: EventReason.pulled,
                        message: "Container image \"\(image)\" already present on machine and can be accessed by the pod"))
                return present.repoDigests.first ?? present.id
            }
            if policy == "Never" {
                let msg = "Container image \"\(image)\" is not present with pull policy of Never"
                run.event(PendingEvent(container: c.name, type: "Warning", reason: "ErrImageNeverPull", message: msg))
                throw ImagePullFailure(reason: "ErrImageNeverPull", message: msg)
            }
        }
        run.event(PendingEvent(container: c.name, reason: EventReason.pulling, message: "Pulling image \"\(image)\""))
        let start = Date()
        do {
            let ref = try await ctx.runtime.pullImage(image, sandboxConfig: nil)
            let took = GoDuration.format(Date().timeIntervalSince(start))
            let size = (try? await ctx.runtime.imageStatus(image))?.size ?? 0
            run.event(
                PendingEvent(
                    container: c.name, reason: EventReason.pulled,
                    message: "Successfully pulled image \"\(image)\" in \(took) (\(took) including waiting). Image size: \(size) bytes."))
            return ref
        } catch {
            let detail = (error as? RuntimeError).map { Self.detail($0) } ?? "\(error)"
            run.event(
                PendingEvent(
                    container: c.name, type: "Warning", reason: EventReason.failed,
                    message: "Failed to pull image \"\(image)\": \(detail)"))
            run.event(PendingEvent(container: c.name, type: "Warning", reason: EventReason.failed, message: "Error: ErrImagePull"))
            throw ImagePullFailure(reason: "ErrImagePull", message: "Failed to pull image \"\(image)\": \(detail)")
        }
    }

    static func detail(_ e: RuntimeError) -> String {
        switch e {
        case .failed(_, let d), .unavailable(_, let d): return d
        case .notFound(_, let kind, let id): return "\(kind) \"\(id)\" not found"
        }
    }
}
