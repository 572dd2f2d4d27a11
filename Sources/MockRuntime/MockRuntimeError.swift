/// Errors of the mock's own set-up helpers (not of ``RuntimeService`` calls, which throw
/// `RuntimeError`).
public enum MockRuntimeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not a valid image reference (e.g. upper case in the path, empty, a bad tag).
    case invalidReference(String)
    /// Not an OCI digest (`sha256:` + 64 lowercase hex).
    case invalidDigest(String)
    /// The state file exists but could not be read or decoded.
    case unreadableStateFile(path: String, detail: String)
    /// The state file could not be written (`detail`: the system's reason, e.g. "No space left
    /// on device").
    case unwritableStateFile(path: String, detail: String)

    public var description: String {
        switch self {
        case .invalidReference(let ref): return "invalid image reference \"\(ref)\""
        case .invalidDigest(let digest): return "invalid digest \"\(digest)\""
        case .unreadableStateFile(let path, let detail): return "cannot read mock runtime state \(path): \(detail)"
        case .unwritableStateFile(let path, let detail): return "cannot save mock runtime state \(path): \(detail)"
        }
    }
}
