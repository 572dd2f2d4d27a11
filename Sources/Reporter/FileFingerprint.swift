import Foundation

/// What tells that a small file changed without reading it: inode, size and modification time
/// (`stat` of the path, following symlinks, so a Kubernetes-style `..data` symlink swap counts).
struct FileFingerprint: Hashable, Sendable {
    var inode: UInt64
    var size: UInt64
    var modified: Date

    /// The file's fingerprint.
    /// - Throws: the `FileManager` error when the path cannot be stat'ed.
    static func of(_ path: String) throws -> FileFingerprint {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return FileFingerprint(
            inode: (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0,
            size: (attributes[.size] as? NSNumber)?.uint64Value ?? 0,
            modified: attributes[.modificationDate] as? Date ?? .distantPast)
    }
}

/// A short reason for a file error, e.g. "no such file" rather than Foundation's long sentence.
func describeFileError(_ error: any Error) -> String {
    let ns = error as NSError
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
        return String(cString: strerror(Int32(underlying.code)))
    }
    if ns.domain == NSCocoaErrorDomain {
        switch ns.code {
        case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "no such file"
        case NSFileReadNoPermissionError: return "permission denied"
        default: break
        }
    }
    if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
    return ns.localizedDescription
}
