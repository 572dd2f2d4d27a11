import ContainerRuntime
import Foundation
import PodAPI

/// Why an image could not be made present: kubelet's waiting reason and message.
struct ImagePullFailure: Error, CustomStringConvertible {
    /// `ErrImagePull`, `ErrImageNeverPull` or `InvalidImageName`.
    var reason: String
    var message: String
    var description: String { "\(reason): \(message)" }
}

/// Makes a container's image present per its imagePullPolicy, as kubelet's EnsureImageExists,
/// recording `Pulling` / `Pulled` / `Failed` events as kubelet words them.
struct ImagePuller {
    let ctx: SyncContext

    /// Returns the image reference to create the container from.
    /// - Throws: ``ImagePullFailure`` when the image is missing and cannot be pulled.
    func ensure(_ run: SyncRun, _ c: Container) async throws -> String {
        let image = c.image ?? ""
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
            if let present = (try await ctx.runtime.imageStatus(image)) {
                run.event(PendingEvent(container: c.name, reason: EventReason.pulled,
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
            run.event(PendingEvent(container: c.name, reason: EventReason.pulled,
                                   message: "Successfully pulled image \"\(image)\" in \(took) (\(took) including waiting). Image size: \(size) bytes."))
            return ref
        } catch {
            let detail = (error as? RuntimeError).map { Self.detail($0) } ?? "\(error)"
            run.event(PendingEvent(container: c.name, type: "Warning", reason: EventReason.failed,
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

/// Go's `time.Duration.String()` rendering of seconds (`1.5s`, `230ms`, `12.5µs`, `2m3s`).
enum GoDuration {
    static func format(_ seconds: Double) -> String {
        guard seconds.isFinite, abs(seconds) < 9.2e9 else { return seconds.isNaN ? "NaN" : (seconds < 0 ? "-" : "") + "2562047h47m16.854775807s" }
        if seconds < 0 { return "-" + format(-seconds) }
        let ns = Int64((seconds * 1e9).rounded())
        if ns == 0 { return "0s" }
        if ns < 1_000 { return "\(ns)ns" }
        if ns < 1_000_000 { return trim(Double(ns) / 1e3) + "µs" }
        if ns < 1_000_000_000 { return trim(Double(ns) / 1e6) + "ms" }
        var rest = Double(ns) / 1e9
        var out = ""
        if rest >= 3600 { let h = Int(rest / 3600); out += "\(h)h"; rest -= Double(h) * 3600 }
        if rest >= 60 || !out.isEmpty { let m = Int(rest / 60); out += "\(m)m"; rest -= Double(m) * 60 }
        return out + trim(rest) + "s"
    }

    private static func trim(_ v: Double) -> String {
        var s = String(format: "%.9f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
