import StateStore

extension ContainerTermination {
    /// The exit code kubelet reports for a container the runtime lost (`ContainerStatusUnknown`).
    static let unknownExitCode: Int32 = 137
}
