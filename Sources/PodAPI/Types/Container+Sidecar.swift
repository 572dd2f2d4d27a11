extension Container {
    /// Whether this is a restartable init container (`restartPolicy: Always` on an init
    /// container: a sidecar, kubelet 1.29+).
    public var isSidecar: Bool { other["restartPolicy"]?.stringValue == "Always" }
}
