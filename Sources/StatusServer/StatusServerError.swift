/// Why the status server could not start.
public enum StatusServerError: Error, Equatable, CustomStringConvertible {
    /// A live process accepts connections on the socket path already.
    case alreadyServing(path: String)
    /// Something that is not a unix socket sits at the socket path; it is never deleted.
    case notASocket(path: String)
    /// The path does not fit in `sockaddr_un.sun_path` (107 bytes on Linux).
    case pathTooLong(path: String, maxBytes: Int)
    /// `socketGroup` names no group in the group database.
    case unknownGroup(String)
    /// A system call on the socket file or its directory failed.
    case system(operation: String, path: String, errno: Int32)

    public var description: String {
        switch self {
        case .alreadyServing(let path):
            return "another inplaced is already serving \(path)"
        case .notASocket(let path):
            return "\(path) exists and is not a unix socket; refusing to replace it (move it away or choose another --socket path)"
        case .pathTooLong(let path, let max):
            return "socket path \(path) is \(path.utf8.count) bytes; a unix socket path may have at most \(max)"
        case .unknownGroup(let group):
            return "socket group \"\(group)\" does not exist"
        case .system(let operation, let path, let code):
            return "\(operation) \(path): \(SocketFile.errorString(code))"
        }
    }
}
