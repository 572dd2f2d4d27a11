import ContainerRuntime

/// A fault waiting for its call.
struct InjectedFault: Sendable {
    var method: MockMethod
    var error: RuntimeError
    /// Calls left to fail; nil = every call until cleared.
    var remaining: Int?
    /// Substring of the call's argument or subjects (object ID, image ref, ...); nil = any call.
    var matching: String?

    func matches(_ method: MockMethod, subjects: [String]) -> Bool {
        guard method == self.method else { return false }
        guard let matching else { return true }
        return subjects.contains { !$0.isEmpty && $0.contains(matching) }
    }
}
