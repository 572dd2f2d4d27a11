/// Client-side deadlines for CRI calls, in seconds. A call that outlives its deadline is abandoned
/// and throws `RuntimeError.unavailable(call:detail: "deadline exceeded after N s")`.
///
/// kubelet gives every CRI call `--runtime-request-timeout` (default 2 min) and pulls 4x that, and
/// gives StopContainer and ExecSync their own timeout on top (kuberuntime's
/// `remote_runtime.go`: `timeout + runtimeRequestTimeout`). inplaced prefers to fail fast and
/// retry on its next sync, so the defaults here are shorter; on containerd 1.6 the usual calls
/// take 0.3-100 ms (docs/containerd.md, "containerd on this project's machines"), so 30 s only trips
/// when the runtime is wedged.
public struct CRITimeouts: Sendable, Hashable {
    /// Every call not listed below (Version, sandbox and container lifecycle, status, lists,
    /// ImageStatus, ListImages). Default 30 s.
    public var general: Double
    /// PullImage. Default 300 s (an image of a few hundred MB over a slow link).
    public var pullImage: Double
    /// Added to StopContainer's own `timeoutSeconds` (the grace between the stop signal and
    /// SIGKILL), so the call can wait for the kill and the cleanup. Default 30 s.
    public var stopContainerExtra: Double
    /// Added to ExecSync's own `timeoutSeconds` (which the runtime enforces). Default 5 s. An
    /// ExecSync with `timeoutSeconds == 0` (no runtime limit) gets ``general`` as its deadline.
    public var execSyncExtra: Double

    public init(general: Double = 30, pullImage: Double = 300, stopContainerExtra: Double = 30, execSyncExtra: Double = 5) {
        self.general = general
        self.pullImage = pullImage
        self.stopContainerExtra = stopContainerExtra
        self.execSyncExtra = execSyncExtra
    }

    /// StopContainer's deadline for a given grace period: `max(timeoutSeconds, 0) + stopContainerExtra`.
    public func stopContainer(timeoutSeconds: Int64) -> Double {
        Double(max(timeoutSeconds, 0)) + stopContainerExtra
    }

    /// ExecSync's deadline: `timeoutSeconds + execSyncExtra`, or ``general`` when `timeoutSeconds <= 0`.
    public func execSync(timeoutSeconds: Int64) -> Double {
        timeoutSeconds > 0 ? Double(timeoutSeconds) + execSyncExtra : general
    }
}

extension Double {
    /// `30 s`, `0.5 s`: seconds as the error messages print them.
    var secondsText: String {
        if self == rounded(), abs(self) < 1e15 { return "\(Int64(self)) s" }
        return "\(self) s"
    }

    /// The duration for gRPC's `CallOptions.timeout` (at least 1 ms).
    var grpcDuration: Duration {
        .milliseconds(Swift.max(1, Int64((self * 1000).rounded())))
    }
}
